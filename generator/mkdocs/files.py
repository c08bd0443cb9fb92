"""The site's file set: what of `content/` is published, and the generated pages added."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel

from ..content import reader
from ..site.pipeline import PreparedSite
from .internals import RenderedWhenMarked


class GeneratedPage(RenderedWhenMarked):
    """A page with no source file (a listing, a tag page...). The preview renders it only
    when its fingerprint changed (see preview.py)."""


class UncheckedFile(PluginError):
    """MkDocs found a file in content/ that the content check did not allow."""


def arrange(files: Files, config: MkDocsConfig, prepared: PreparedSite, *, preview: bool) -> Files:
    """Drop data files and unpublished articles, add the generated pages.

    A file at a generated page's place is refused by `pipeline.prepare`, before this. So is any
    file content/ may not hold (inventory.py); should MkDocs' own walk, which follows links,
    find one all the same (it changed since), the build stops here, before any is copied.
    """
    hidden = set() if preview else {article.src_uri for article in prepared.graph.unpublished}
    docs_dir = os.path.abspath(config.docs_dir)
    for file in list(files):
        from_content = file.src_dir is not None and os.path.abspath(file.src_dir) == docs_dir
        if not from_content:  # the theme's files, pages generated
            continue
        # Data is read by the generator, not published; unpublished articles stay out;
        # dot-files are MkDocs' to leave out (never read, never published).
        if file.src_uri.startswith(f"{reader.DATA_DIR}/") or file.src_uri in hidden or \
                any(part.startswith(".") for part in file.src_uri.split("/")):
            files.remove(file)
        elif file.src_uri not in prepared.content.files:
            files.remove(file)
            where = os.path.relpath(os.path.join(docs_dir, file.src_uri), os.path.dirname(config.config_file_path))
            raise UncheckedFile(f"{Path(where).as_posix()}: appeared in content/ after the content was checked, "
                                "and is not published: build again")

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
