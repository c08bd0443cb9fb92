"""The site's file set: what of `content/` is published, and the generated pages added."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel

from .. import content
from ..site import PreparedSite
from .internals import RenderedWhenMarked


class GeneratedPage(RenderedWhenMarked):
    """A page with no source file (a listing, a tag page...). The preview renders it only
    when its fingerprint changed (see preview.py)."""


def arrange(files: Files, config: MkDocsConfig, prepared: PreparedSite, *, preview: bool) -> Files:
    """Drop data files and unpublished articles, add the generated pages.

    A file at a generated page's place is refused by `site.prepare`, before this.
    """
    hidden = set() if preview else {article.src_uri for article in prepared.graph.unpublished}
    for file in list(files):
        # Data is read by the generator, not published; unpublished articles stay out.
        if file.src_uri.startswith(f"{content.DATA_DIR}/") or file.src_uri in hidden:
            files.remove(file)

    # Pages outside `nav` are expected (articles, tags...): no notice for each of them.
    in_nav = set(nav_paths(config.nav or []))
    for article in prepared.graph.articles:
        file = files.get_file_from_path(article.src_uri)
        if file is not None and article.src_uri not in in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV

    for spec in prepared.pages.values():
        if spec.generated:
            inclusion = InclusionLevel.UNDEFINED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(GeneratedPage.generated(config, spec.src_uri, content="", inclusion=inclusion))
    return files


def nav_paths(nav, *, untitled_only: bool = False) -> list[str]:
    """Every page path named in the `nav` setting, at any depth; with `untitled_only`, only
    those named without a title of their own (MkDocs shows the page's title)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() if not (untitled_only and isinstance(value, str))
                for path in nav_paths(value, untitled_only=untitled_only)]
    if isinstance(nav, list):
        return [path for item in nav for path in nav_paths(item, untitled_only=untitled_only)]
    return []
