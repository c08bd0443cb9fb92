"""The whole pipeline without MkDocs: load, validate, build the graph, derive the pages, lint.

The MkDocs plugin and the `check` command both run it, so they report the same problems
with the same words.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..content import charts
from ..content.errors import ContentError, ContentErrors
from ..content.facts import ValueMatcher, resolve_html, unknown_references
from ..content.models import Fact
from ..content.policy import Allowance, mask_code
from ..content.reader import Content, page_url, read_content
from ..markdown.parity import Parity
from ..markdown.rewrites import Rewrites
from ..markdown.settings import MarkdownSettings
from .figures import figure_images
from .graph import SiteGraph, build_graph
from .lint import SiteMap, TimeBased, lint, placeholders, time_based
from .media import LeadImage, lead_images
from .pages import ARTICLES_PER_PAGE, PageSpec, derive_pages


@dataclass
class PreparedSite:
    content: Content
    graph: SiteGraph
    pages: dict[str, PageSpec]
    warnings: list[ContentError] = field(default_factory=list)  # fail --strict
    notes: list[ContentError] = field(default_factory=list)  # on drafts: shown, never fatal
    # Appeared as days passed (stale resources, articles due for review): shown, fatal only
    # to `check` told their entry changed or run by the schedule (see lint.py).
    time_based: list[TimeBased] = field(default_factory=list)
    today: dt.date | None = None  # the build's day: which articles are out, which fact values are in force
    lead_images: dict[str, LeadImage] = field(default_factory=dict)  # by article slug
    figure_images: dict[str, LeadImage] = field(default_factory=dict)  # images the articles show, by src_uri

    def resolve_facts(self, html: str) -> str:
        """A page's HTML with each fact shown as its value on the build's day (facts.py)."""
        if self.today is None:
            return html
        return resolve_html(html, self.facts_by_id, self.today)

    def resolve_charts(self, html: str) -> str:
        """A page's HTML with each chart placeholder drawn as of the build's day (charts.py)."""
        if self.today is None:
            return html
        return charts.resolve_html(html, self.chart_groups, self.today)

    @cached_property
    def chart_groups(self) -> dict[str, list[Fact]]:
        return charts.groups(self.content.facts)

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.content.facts}

    @property
    def has_dates(self) -> bool:
        """Whether any page has a real date (MkDocs needs one to date the sitemap archive)."""
        return any(spec.modified for spec in self.pages.values())


def build_date(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The build's "today": the day of SOURCE_DATE_EPOCH when set (reproducible builds),
    else the calendar's. It decides which dated articles are published and which
    resources are stale, for `check` as for the build."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def prepare(
    root: Path | str,
    content_dir: Path | str = "content",
    *,
    today: dt.date,
    preview: bool = False,
    icon_exists: Callable[[str], bool] | None = None,
    allow_html: Sequence[Allowance] = (),
    site_description: str = "",
    per_page: int = ARTICLES_PER_PAGE,
    markdown: MarkdownSettings | None = None,
) -> PreparedSite:
    """Everything the site will show, checked; raises ContentErrors on invalid content.

    The errors come with the warnings and notes of whatever could be read (ContentErrors'
    `warnings` and `notes`), so one run reports every problem, whatever its kind.
    `preview` (mkdocs serve) keeps drafts and scheduled articles in the site, with a banner.
    `markdown` is what the site's pages are converted with: the articles are compared
    with GitHub's rendering of them (parity.py).
    """
    root = Path(root).resolve()
    # As given, not resolved: a content folder reached through a link is refused.
    content, errors = read_content(root, content_dir, icon_exists=icon_exists, allow_html=allow_html)
    content_dir = (root / content_dir).resolve()
    leads, image_errors = lead_images(content.articles, content_dir, content.files, content.refused_images)
    errors += image_errors
    graph = build_graph(content, today=today, include_unpublished=preview)
    pages = derive_pages(
        graph,
        site_description=site_description,
        has_home_source=(content_dir / "index.md").is_file(),
        per_page=per_page,
        lead_images=leads,
        today=today,
    )
    errors += _files_at_generated_urls(root, content_dir, pages, content.files)
    generated = [spec.src_uri for spec in pages.values() if spec.generated]
    hidden = set() if preview else graph.unpublished_slugs
    invalid = content.invalid_articles
    site_map = SiteMap(content_dir, generated,
                       [*(a for a in content.articles if a.slug not in hidden), *(a for a in invalid if not a.draft)],
                       [*(a for a in content.articles if a.slug in hidden), *(a for a in invalid if a.draft)])
    drafts = [a for a in content.articles if a.meta.draft]
    not_drafts = [a for a in content.articles if not a.meta.draft]
    parity = Parity(markdown) if markdown is not None else None
    rewrites = Rewrites(markdown) if markdown is not None else None
    values = ValueMatcher(content.facts)
    warnings = lint(site_map, articles=[*not_drafts, *(a for a in invalid if not a.draft)], parity=parity,
                    rewrites=rewrites, values=values)
    notes = lint(site_map, articles=[*drafts, *(a for a in invalid if a.draft)], parity=parity, rewrites=rewrites,
                 values=values)
    # A link to a fact no file defines would publish its label in place of a figure: an error,
    # drafts included, as for any unknown id (none is checked when a facts file is unreadable).
    if content.fact_ids is not None:
        for article in [*content.articles, *invalid]:
            errors += unknown_references(article.path, article.body, article.masked_body or mask_code(article.body),
                                         article.body_line, content.fact_ids)
        # A chart of a group no fact belongs to would publish its title alone.
        known_groups = list(charts.groups(content.facts))
        for article in [*content.articles, *invalid]:
            errors += charts.unknown_groups(article.path, article.masked_body or mask_code(article.body),
                                            article.body_line, known_groups)
    errors += charts.group_problems(content.facts)
    # A placeholder from the archetype left in is never published: an error, a note on a draft.
    errors += placeholders(not_drafts)
    notes = sorted(notes + placeholders(drafts))
    if errors:
        raise ContentErrors(errors, warnings=warnings, notes=notes)
    return PreparedSite(
        content, graph, pages,
        warnings=warnings,
        notes=notes,
        time_based=time_based(content, today=today, articles=not_drafts),
        today=today,
        lead_images=leads,
        figure_images=figure_images(content.articles, content_dir, content.files),
    )


def _files_at_generated_urls(root: Path, content_dir: Path, pages: Mapping[str, PageSpec],
                             files: frozenset[str]) -> list[ContentError]:
    """A file in content/ at a generated page's place (content/benefits/index.md) would
    take that page's URL: an error, whichever of the two the build would have kept. URLs
    compared without case: on a disk that ignores it (macOS, Windows), /Tags/ is /tags/."""
    published: dict[str, str] = {}
    for src in sorted(files):
        published.setdefault((page_url(src) if src.endswith(".md") else src).casefold(), src)
    clashes = []
    for spec in pages.values():
        src = published.get(page_url(spec.src_uri).casefold()) if spec.generated else None
        if src is not None:
            path = content_dir / src
            clashes.append(ContentError(
                path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path), 1, 1, "(file)",
                f"takes the URL /{spec.src_uri.removesuffix('index.md')} that the generated "
                f"page {spec.title!r} needs: move or rename the file", "url-clash",
            ))
    return clashes
