"""The site graph: every cross-reference and listing, computed once from the content.

Each index is built in one pass over the articles, and related articles are found
among a bounded window of neighbours per shared key, so the whole graph is linear in
the number of articles.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..content.facts import FactRow, fact_links, rows
from ..content.models import Author, Benefit, Category, Resource
from ..content.policy import mask_code
from ..content.reader import Article, Content
from ..content.regions import REGIONS, region_name

RELATED_COUNT = 3
# How many neighbours (by date) each shared tag or benefit contributes as candidates.
RELATED_WINDOW = 12
TAG_WEIGHT = 2
BENEFIT_WEIGHT = 1


@dataclass
class SiteGraph:
    articles: list[Article]  # on the site, newest first
    unpublished: list[Article]  # drafts and scheduled: out of the site, except in a preview
    benefits: list[Benefit]
    categories: list[Category]
    resources: list[Resource]
    authors: dict[str, Author]
    articles_by_benefit: dict[str, list[Article]] = field(default_factory=dict)
    articles_by_tag: dict[str, list[Article]] = field(default_factory=dict)
    articles_by_author: dict[str, list[Article]] = field(default_factory=dict)
    articles_by_region: dict[str, list[Article]] = field(default_factory=dict)  # by country code, A to Z by name
    resources_by_category: dict[str, list[Resource]] = field(default_factory=dict)
    resources_by_benefit: dict[str, list[Resource]] = field(default_factory=dict)
    related: dict[str, list[Article]] = field(default_factory=dict)
    newer: dict[str, Article | None] = field(default_factory=dict)
    older: dict[str, Article | None] = field(default_factory=dict)
    # Every fact as of the build's day, by region code (regions A to Z by name, facts by label).
    facts_by_region: dict[str, list[FactRow]] = field(default_factory=dict)
    # By slug: the facts each article names, as of the build's day. Part of what its page is
    # given, so an edit to a fact renders the articles that show it again (the preview).
    facts_named: dict[str, list[FactRow]] = field(default_factory=dict)

    @cached_property
    def unpublished_slugs(self) -> set[str]:
        return {article.slug for article in self.unpublished}

    @property
    def published(self) -> list[Article]:
        """Newest first, never a draft or a scheduled article, even in a preview (feeds, 404)."""
        return [article for article in self.articles if article.slug not in self.unpublished_slugs]

    @property
    def benefits_by_id(self) -> dict[str, Benefit]:
        return {benefit.id: benefit for benefit in self.benefits}

    @property
    def categories_by_id(self) -> dict[str, Category]:
        return {category.id: category for category in self.categories}


def is_published(article: Article, today: dt.date) -> bool:
    return not article.meta.draft and article.meta.date <= today


def _newest_first(article: Article) -> tuple[int, str]:
    return (-article.meta.date.toordinal(), article.slug)


def build_graph(content: Content, *, today: dt.date, include_unpublished: bool = False) -> SiteGraph:
    """Resolve every cross-reference of the published content.

    `include_unpublished` (for previews) lists drafts and scheduled articles like the rest.
    """
    unpublished = [a for a in content.articles if not is_published(a, today)]
    hidden = {a.slug for a in unpublished}
    shown = content.articles if include_unpublished else [a for a in content.articles if a.slug not in hidden]
    published = sorted(shown, key=_newest_first)
    graph = SiteGraph(
        articles=published,
        unpublished=unpublished,
        benefits=content.benefits,
        categories=content.categories,
        resources=content.resources,
        authors=content.authors,
    )

    graph.articles_by_benefit = {benefit.id: [] for benefit in content.benefits}
    graph.articles_by_author = {author_id: [] for author_id in content.authors}
    by_tag: dict[str, list[Article]] = defaultdict(list)
    by_region: dict[str, list[Article]] = defaultdict(list)
    for article in published:  # newest first, so every index is too
        for benefit_id in dict.fromkeys(article.meta.benefits):
            graph.articles_by_benefit[benefit_id].append(article)
        for author_id in dict.fromkeys(article.meta.authors):
            graph.articles_by_author[author_id].append(article)
        for tag in dict.fromkeys(article.meta.tags):
            by_tag[tag].append(article)
        for region in dict.fromkeys(article.meta.regions):
            by_region[region].append(article)
    graph.articles_by_tag = dict(sorted(by_tag.items()))
    graph.articles_by_region = dict(sorted(by_region.items(), key=lambda item: REGIONS[item[0]]))

    graph.resources_by_category = {category.id: [] for category in content.categories}
    graph.resources_by_benefit = {benefit.id: [] for benefit in content.benefits}
    for resource in content.resources:
        graph.resources_by_category[resource.category].append(resource)
        for benefit_id in dict.fromkeys(resource.benefits):
            graph.resources_by_benefit[benefit_id].append(resource)

    for index, article in enumerate(published):
        graph.newer[article.slug] = published[index - 1] if index > 0 else None
        graph.older[article.slug] = published[index + 1] if index + 1 < len(published) else None

    graph.related = _related(published, graph.articles_by_tag, graph.articles_by_benefit)

    by_fact_region: dict[str, list[FactRow]] = defaultdict(list)
    fact_rows = sorted(rows(content.facts, today), key=lambda row: (row.fact.label.casefold(), row.fact.id))
    for row in fact_rows:
        by_fact_region[row.fact.region].append(row)
    by_id = {row.fact.id: row for row in fact_rows}
    for article in published:
        masked = article.masked_body or mask_code(article.body)
        named = dict.fromkeys(link.fact_id for link in fact_links(article.body, masked, 1))
        graph.facts_named[article.slug] = [by_id[fact_id] for fact_id in named if fact_id in by_id]
    graph.facts_by_region = dict(sorted(by_fact_region.items(), key=lambda item: region_name(item[0])))
    return graph


def _related(
    articles: list[Article],
    by_tag: dict[str, list[Article]],
    by_benefit: dict[str, list[Article]],
) -> dict[str, list[Article]]:
    """Up to RELATED_COUNT articles per article, scored by shared tags and benefits.

    Candidates come from the RELATED_WINDOW nearest articles (by date) in each shared
    tag or benefit list, which keeps the work per article bounded however large the
    site grows; ties go to the article closest in date.
    """
    positions: dict[tuple[str, str], dict[str, int]] = {}
    for kind, index in (("tag", by_tag), ("benefit", by_benefit)):
        for key, members in index.items():
            positions[(kind, key)] = {article.slug: i for i, article in enumerate(members)}

    related: dict[str, list[Article]] = {}
    for article in articles:
        scores: dict[str, int] = defaultdict(int)
        candidates: dict[str, Article] = {}
        keys = [("tag", tag, by_tag, TAG_WEIGHT) for tag in dict.fromkeys(article.meta.tags)]
        keys += [("benefit", b, by_benefit, BENEFIT_WEIGHT) for b in dict.fromkeys(article.meta.benefits)]
        for kind, key, index, weight in keys:
            members = index[key]
            here = positions[(kind, key)][article.slug]
            for other in members[max(0, here - RELATED_WINDOW): here + RELATED_WINDOW + 1]:
                if other.slug != article.slug:
                    scores[other.slug] += weight
                    candidates[other.slug] = other
        day = article.meta.date.toordinal()
        ranked = sorted(
            candidates.values(),
            key=lambda other: (-scores[other.slug], abs(other.meta.date.toordinal() - day), other.slug),
        )
        related[article.slug] = ranked[:RELATED_COUNT]
    return related
