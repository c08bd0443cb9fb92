"""The whole pipeline without MkDocs: load, validate, build the graph, derive the pages, lint.

The MkDocs plugin and the `check` command both run it, so they report the same problems
with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .content import Content, load_content
from .errors import ContentError
from .graph import SiteGraph, build_graph
from .lint import SiteMap, TimeBased, lint, time_based
from .markdown_settings import MarkdownSettings
from .pages import ARTICLES_PER_PAGE, PageSpec, derive_pages
from .parity import Parity
from .policy import Allowance


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

    @property
    def has_dates(self) -> bool:
        """Whether any page has a real date (MkDocs needs one to date the sitemap archive)."""
        return any(spec.modified for spec in self.pages.values())


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

    `preview` (mkdocs serve) keeps drafts and scheduled articles in the site, with a banner.
    `markdown` is what the site's pages are converted with: the articles are compared
    with GitHub's rendering of them (parity.py).
    """
    root = Path(root).resolve()
    content_dir = (root / content_dir).resolve()
    content = load_content(root, content_dir, icon_exists=icon_exists, allow_html=allow_html)
    graph = build_graph(content, today=today, include_unpublished=preview)
    pages = derive_pages(
        graph,
        site_description=site_description,
        has_home_source=(content_dir / "index.md").is_file(),
        per_page=per_page,
    )
    generated = [spec.src_uri for spec in pages.values() if spec.generated]
    hidden = set() if preview else graph.unpublished_slugs
    site_map = SiteMap(content_dir, generated,
                       [a for a in content.articles if a.slug not in hidden],
                       [a for a in content.articles if a.slug in hidden])
    drafts = [a for a in content.articles if a.meta.draft]
    not_drafts = [a for a in content.articles if not a.meta.draft]
    parity = Parity(markdown) if markdown is not None else None
    return PreparedSite(
        content, graph, pages,
        warnings=lint(site_map, articles=not_drafts, parity=parity),
        notes=lint(site_map, articles=drafts, parity=parity),
        time_based=time_based(content, today=today, articles=not_drafts),
    )
