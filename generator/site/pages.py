"""The pages readers get: one spec per page, with the template and the data it shows.

Every listing is taken from the site graph; nothing here re-reads or re-renders content.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from collections.abc import Iterable, Mapping

from markupsafe import Markup

from ..content import charts
from ..content.models import Resource
from ..content.reader import ARTICLES_DIR, Article
from ..content.regions import REGIONS, region_name
from ..markdown.markup import render_markdown
from .graph import SiteGraph
from .media import LeadImage

ARTICLES_PER_PAGE = 20
TOPIC_PER_PAGE = 50  # tag, author and benefit pages: a topic's articles, newest first
HOME_LATEST = 6
HOME_TAGS = 12  # the front page's topics: the most used tags


# Our templates: rendered with autoescaping on. Material's own templates are not.
OUR_TEMPLATES = ("main.html", "404.html", "layouts/", "partials/ifg/")


def autoescape(template_name: str | None) -> bool:
    return template_name is not None and template_name.startswith(OUR_TEMPLATES)


def long_date(day: dt.date) -> str:
    """`2026-03-05` -> `5 March 2026`: unambiguous for readers everywhere."""
    return f"{day.day} {day:%B %Y}"


class Urls:
    """Site-relative URLs of every kind of page (templates pass them through `| url`)."""

    home = ""
    articles = f"{ARTICLES_DIR}/"
    benefits = "benefits/"
    resources = "resources/"
    key_figures = "key-figures/"
    tags = "tags/"
    authors = "authors/"
    about = "about/"  # content/about.md; the footer links to its sections
    search = "search/"

    @staticmethod
    def article(slug: str) -> str:
        return f"{ARTICLES_DIR}/{slug}/"

    @staticmethod
    def page(first: str, number: int) -> str:
        """Page `number` of the listing that starts at `first`: `tags/x/` -> `tags/x/page/2/`."""
        return first if number == 1 else f"{first}page/{number}/"

    @staticmethod
    def benefit(benefit_id: str) -> str:
        return f"benefits/{benefit_id}/"

    @staticmethod
    def tag(tag: str) -> str:
        return f"tags/{tag}/"

    @staticmethod
    def author(author_id: str) -> str:
        return f"authors/{author_id}/"

    @staticmethod
    def region(code: str) -> str:
        return f"{ARTICLES_DIR}/regions/{code}/"


@dataclass
class PageSpec:
    src_uri: str  # the Markdown path MkDocs knows the page by
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    generated: bool = True  # False where the page has a source file in content/
    modified: dt.date | None = None  # what changed last on the page: the sitemap's lastmod
    indexed: bool = True  # False: `noindex` for search engines, and left out of the sitemap

    @property
    def kind(self) -> str:
        """`layouts/benefit.html` -> `benefit`."""
        return self.template.removeprefix("layouts/").removesuffix(".html")


def modified(article: Article) -> dt.date:
    """The last day the article changed: updated, or fact-checked (reviewed), or published."""
    return max(day for day in (article.meta.date, article.meta.updated, article.meta.reviewed) if day)


def _newest(articles: Iterable[Article] = (), resources: Iterable[Resource] = ()) -> dt.date | None:
    """The latest change among these articles and resources, never the build time."""
    dates = [modified(article) for article in articles] + [resource.last_checked for resource in resources]
    return max(dates, default=None)


BANDS = 8  # colours of the bands (theme/assets/ifg/media.css: .ifg-band--0 to --7)


def band(article: Article, benefit_ids: list[str]) -> int:
    """The colour band of an article: its first benefit's place in benefits.yml, in
    BANDS colours; an article without benefits takes the last colour."""
    first = article.meta.benefits[0] if article.meta.benefits else None
    return benefit_ids.index(first) % BANDS if first in benefit_ids else BANDS - 1


def _src(url: str) -> str:
    """The virtual source of a generated page: `tags/x/` -> `tags/x/index.md`."""
    return f"{url}index.md"


def _paginated(first_url: str, template: str, title: str, description: str, articles: list[Article],
               per_page: int, context: dict[str, Any], *, first_page_only: Iterable[str] = (),
               first_modified: dt.date | None = None) -> list[PageSpec]:
    """A listing split into pages of `per_page` articles: `first_url`, then `first_url`page/N/.

    Keys of `context` named in `first_page_only` (a benefit's resources) are on page 1 only.
    Every page is bounded in size, so the output stays linear however large a topic grows.
    """
    count = max(1, math.ceil(len(articles) / per_page))
    specs = []
    for number in range(1, count + 1):
        chunk = articles[(number - 1) * per_page: number * per_page]
        page_context = {key: value for key, value in context.items() if number == 1 or key not in first_page_only}
        specs.append(PageSpec(
            _src(Urls.page(first_url, number)), template,
            title if number == 1 else f"{title}, page {number} of {count}", description,
            {
                **page_context,
                "articles": chunk,
                "total": len(articles),
                "page_number": number,
                "page_count": count,
                "previous_url": Urls.page(first_url, number - 1) if number > 1 else None,
                "next_url": Urls.page(first_url, number + 1) if number < count else None,
            },
            modified=first_modified if number == 1 and first_modified else _newest(chunk),
        ))
    return specs


def home_tags(articles_by_tag: dict[str, list[Article]], limit: int = HOME_TAGS) -> list[tuple[str, int]]:
    """The most used tags with their article counts, most used first, then by name."""
    counted = sorted(((tag, len(articles)) for tag, articles in articles_by_tag.items()),
                     key=lambda item: (-item[1], item[0]))
    return counted[:limit]


def resource_categories(graph: SiteGraph) -> list[tuple[Any, int]]:
    """Each resource category that has resources, in display order, with its count."""
    return [(category, len(graph.resources_by_category[category.id]))
            for category in graph.categories if graph.resources_by_category[category.id]]


def derive_pages(graph: SiteGraph, *, site_description: str = "", has_home_source: bool = False,
                 per_page: int = ARTICLES_PER_PAGE, lead_images: Mapping[str, LeadImage] | None = None,
                 today: dt.date | None = None) -> dict[str, PageSpec]:
    """Every derived page by its src_uri, plus the template choice for article pages.
    `lead_images`: the articles' lead images by slug (media.py); `today`, the build's day,
    draws the key figures page's charts."""
    lead_images = lead_images or {}
    summaries = {benefit.id: render_markdown(benefit.summary) for benefit in graph.benefits}
    benefits_by_id = graph.benefits_by_id
    categories_by_id = graph.categories_by_id
    specs: list[PageSpec] = []

    specs.append(PageSpec(
        _src(Urls.home), "layouts/home.html", "Home", site_description,
        {
            # The lead story, then the latest after it.
            "latest": graph.articles[:HOME_LATEST + 1],
            "benefits": graph.benefits,
            "summaries": summaries,
            "tags": home_tags(graph.articles_by_tag),
            "categories": resource_categories(graph),
            "article_count": len(graph.articles),
            "resource_count": len(graph.resources),
        },
        generated=not has_home_source,
        modified=_newest(graph.articles, graph.resources),
    ))

    # The countries articles apply to, each a filter of the articles listing.
    regions = [(code, REGIONS[code], len(articles)) for code, articles in graph.articles_by_region.items()]
    specs += _paginated(Urls.articles, "layouts/articles.html", "Articles",
                        "Every article of the Internship Field Guide, newest first.", graph.articles, per_page,
                        {"regions": regions})
    for code, articles in graph.articles_by_region.items():
        specs += _paginated(Urls.region(code), "layouts/articles.html", f"Articles for {REGIONS[code]}",
                            f"Articles whose advice applies in {REGIONS[code]}, newest first.", articles,
                            TOPIC_PER_PAGE, {"regions": regions, "region": code})

    for article in graph.articles:
        specs.append(PageSpec(
            article.src_uri, "layouts/article.html", article.meta.title, article.meta.description,
            {
                "article": article,
                "authors": [(author_id, graph.authors[author_id]) for author_id in article.meta.authors],
                "benefits": [benefits_by_id[benefit_id] for benefit_id in article.meta.benefits],
                "related": graph.related[article.slug],
                "lead_image": lead_images.get(article.slug),
                "newer": graph.newer[article.slug],
                "older": graph.older[article.slug],
                "facts": graph.facts_named.get(article.slug, []),
                # Only in a preview: "draft" or "scheduled", shown as a banner.
                "status": None if article.slug not in graph.unpublished_slugs
                else "draft" if article.meta.draft else "scheduled",
            },
            generated=False,
            modified=modified(article),
        ))

    specs.append(PageSpec(
        _src(Urls.benefits), "layouts/benefits.html", "Benefits of internships",
        "What an internship gives you, and the articles and resources for each benefit.",
        {
            "benefits": graph.benefits,
            "summaries": summaries,
            "article_counts": {b.id: len(graph.articles_by_benefit[b.id]) for b in graph.benefits},
            "resource_counts": {b.id: len(graph.resources_by_benefit[b.id]) for b in graph.benefits},
        },
        modified=_newest(graph.articles, graph.resources),
    ))
    for benefit in graph.benefits:
        specs += _paginated(
            Urls.benefit(benefit.id), "layouts/benefit.html", benefit.title,
            f"{benefit.title}: why it matters, the articles that cover it and resources that help.",
            graph.articles_by_benefit[benefit.id], TOPIC_PER_PAGE,
            {
                "benefit": benefit,
                "summary": summaries[benefit.id],
                "resources": graph.resources_by_benefit[benefit.id],
                "categories": categories_by_id,
                "benefits_by_id": benefits_by_id,
            },
            first_page_only=("resources",),
            first_modified=_newest(graph.articles_by_benefit[benefit.id][:TOPIC_PER_PAGE],
                                   graph.resources_by_benefit[benefit.id]),
        )

    specs.append(PageSpec(
        _src(Urls.resources), "layouts/resources.html", "Resources",
        "Job boards, government programmes, guides and tools for finding and making the most of an internship.",
        {
            "groups": [
                (category, graph.resources_by_category[category.id])
                for category in graph.categories if graph.resources_by_category[category.id]
            ],
            "categories": graph.categories,
            "benefits": graph.benefits,
            "benefits_by_id": benefits_by_id,
            "total": len(graph.resources),
        },
        modified=_newest(resources=graph.resources),
    ))

    # The search results page: filled in the reader's browser from the index (search-page.js).
    specs.append(PageSpec(
        _src(Urls.search), "layouts/search.html", "Search",
        "Search every article of the Internship Field Guide: results with excerpts, by benefit, tag or author.",
        {"filters": [("benefit", "Benefit"), ("tag", "Tag"), ("author", "Author")]},
        indexed=False,  # a page of results is no page for a search engine to list
    ))

    specs.append(PageSpec(
        _src(Urls.tags), "layouts/tags.html", "Tags", "Every topic we write about.",
        {"tags": [(tag, len(articles)) for tag, articles in graph.articles_by_tag.items()]},
        modified=_newest(graph.articles),
    ))
    for tag, articles in graph.articles_by_tag.items():
        specs += _paginated(Urls.tag(tag), "layouts/tag.html", f"Tagged “{tag}”", f"Articles about {tag}.",
                            articles, TOPIC_PER_PAGE, {"tag": tag})

    specs.append(PageSpec(
        _src(Urls.authors), "layouts/authors.html", "Authors", "The desks that write the Internship Field Guide.",
        {"authors": [(author_id, author, len(graph.articles_by_author[author_id]))
                     for author_id, author in graph.authors.items()]},
        modified=_newest(graph.articles),
    ))
    for author_id, author in graph.authors.items():
        specs += _paginated(Urls.author(author_id), "layouts/author.html", author.name, author.bio,
                            graph.articles_by_author[author_id], TOPIC_PER_PAGE,
                            {"author": author, "author_id": author_id})

    specs.append(_key_figures(graph, today))
    return {spec.src_uri: spec for spec in specs}


def _key_figures(graph: SiteGraph, today: dt.date | None) -> PageSpec:
    """Every fact, by region: the value in force, since when, the next change, the source;
    above a region's table, the charts of its groups (a group's region is its first fact's)."""
    facts_in_order = [row.fact for rows_ in graph.facts_by_region.values() for row in rows_]
    drawn: dict[str, list[Markup]] = {}
    if today is not None:
        for group, members in sorted(charts.groups(facts_in_order).items()):
            drawn.setdefault(members[0].region, []).append(Markup(charts.chart_html(  # escaped there
                group, _file_order(members), today, title=charts.title_of(group, members))))
    groups = [(code, region_name(code), facts) for code, facts in graph.facts_by_region.items()]
    rows = [row for _, _, facts in groups for row in facts]
    # Its last real change: a value taking effect, or a source checked (never the build's day).
    days = [day for row in rows for day in (row.fact.source.accessed, row.current.from_ if row.current else None)
            if day]
    return PageSpec(
        _src(Urls.key_figures), "layouts/key-figures.html", "Key figures",
        "The wages, hour limits, deadlines and durations our articles use: the value in force, "
        "its source and when it changes next.",
        {"groups": groups, "total": len(rows), "charts": drawn},
        modified=max(days, default=None),
    )


def _file_order(facts: list) -> list:
    """The key figures table sorts by label; bars keep the order the facts file gives."""
    return sorted(facts, key=lambda fact: (fact.source_path() or "", fact.first_line() or 0))
