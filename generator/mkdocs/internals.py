"""Every undocumented part of MkDocs and Material that the adapter relies on, in one place.

Each is used through the names below and nowhere else, and `tests/test_internals.py`
checks each against the installed versions, failing with a message that names them
(`versions()`), so an upgrade that changes one is caught by the suite, not by a reader.

| Reliance | Why there is no documented way | Used by |
| --- | --- | --- |
| `Page.render` replaced on one page object | no event replaces a page's Markdown conversion | conversion.py |
| `Page.render`'s steps, done with one converter reset for each page (`render`): MkDocs' four per-page processors (`_RawHTMLPreprocessor`, `_ExtractAnchorsTreeprocessor`, `_RelativePathTreeprocessor`, `_ExtractTitleTreeprocessor`) registered on it, and `get_toc` | `Page.render` makes a new converter for every page, a third of a millisecond of its Markdown extensions' setup (2 % of a build) | conversion.py |
| `Page._title_from_render`, `present_anchor_ids`, `links_to_anchors` set from a worker's or the cache's result | `Page.render` sets them; nothing else may | conversion.py |
| `Page.render` resolves links with `Files.get_file_from_path` | the only way to learn which pages a conversion looked up | conversion.py, parallel.py |
| `mkdocs.structure.toc.AnchorLink(title, id, level)` and its `children` rebuild a page's table of contents | a cached conversion must give back the same `page.toc` | cache.py |
| a dirty build consults `File.is_modified()` | how `mkdocs serve --dirty` decides what to render | files.py, preview.py |
| `mkdocs.utils.meta.YAML_RE`: how MkDocs splits front matter from a page's Markdown | an article's body is handed to MkDocs only where MkDocs would have split the file the same way | sources.py |
| MkDocs' dirty-build warning, filtered by its text | it has no other handle | preview.py |
| `mkdocs.utils.markdown_extensions`, the suffixes MkDocs renders as pages, and its default `exclude_docs` (`.*`), which leaves dot-files out | module constants, not settings | inventory.py, files.py |
| Material's templates print `page.meta`'s `title`, `description`, `subtitle`, `icon`, `status`, `hide` (and `author`, `location`, `revision_date`, `git_*`, which pages cannot set) unescaped; `status` is a class, styled for `new` and `deprecated` | its documentation lists the fields, not how it prints them | models.PageMeta, templates.py |
| `--strict` counts the warnings on MkDocs' own logger and aborts after every `on_post_build`; an error raised in `on_build_error` is the one the build ends with | no event follows the strict check, and none turns an error into a message | publish.py |
| Material's `base.html` sets `autocomplete="off"` on checkboxes, outside any block | a block or partial cannot override it | htmlfix.py |
| `theme/partials/header.html` and `toc.html` are Material's, each with one change | partials are Material's markup | theme/ |
| `Navigation([], [])` is a nav Material's templates render, showing nothing | the theme is rendered without content to find its scripts, and the nav holds page titles | theme_scripts.py |
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import markdown
import mkdocs.structure.pages
import mkdocs.utils.meta
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

DIRTY_BUILD_WARNING = "A 'dirty' build is being performed"

# Material's partials our theme overrides: (file, Material's line, ours instead). The test
# applies each change to the installed Material's partial and compares it with ours.
OVERRIDDEN_PARTIALS = {
    "partials/header.html": [(
        '    {% if "material/search" in config.plugins %}',
        # Our search box (Pagefind), where Material puts its own.
        '    {% include "partials/ifg/search.html" %}\n    {% if "material/search" in config.plugins %}',
    )],
    "partials/toc.html": [(
        '    <label class="md-nav__title" for="__toc">',
        # The `__toc` toggle it points at exists only on pages in `nav`.
        '    <label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>',
    )],
}

PARTIAL_HEADER = "{#- Material's %s, with the change named in generator/mkdocs/internals.py. -#}\n"


def overridden_partial(name: str, material: str) -> str:
    """Our override of one of Material's partials: Material's text with our changes."""
    for theirs, ours in OVERRIDDEN_PARTIALS[name]:
        if material.count(theirs) != 1:
            raise LookupError(f"{versions()}: {name} no longer has the line {theirs!r}")
        material = material.replace(theirs, ours)
    return PARTIAL_HEADER % name + material


def engine() -> str:
    """Which MkDocs runs this build: `mkdocs` itself or ProperDocs, its maintained fork
    (which makes `import mkdocs` import `properdocs`)."""
    return "properdocs" if sys.modules["mkdocs"].__name__ == "properdocs" else "mkdocs"


def versions() -> str:
    """The versions an internal was found changed in, for the failure's message."""
    def of(distribution: str) -> str:
        try:
            return version(distribution)
        except PackageNotFoundError:
            return "not installed"
    return f"{'ProperDocs' if engine() == 'properdocs' else 'MkDocs'} {of(engine())}, " \
           f"Material for MkDocs {of('mkdocs-material')}"


# Front matter (sources.py)

FRONT_MATTER = mkdocs.utils.meta.YAML_RE


# Page conversion (conversion.py, parallel.py, cache.py)


# The converter of the configuration last rendered with, and what it was made from: the
# configuration, its extensions and their settings, held (so none is another's by reuse
# of its memory) and compared by identity. One per build and worker process.
_converter: tuple[MkDocsConfig, tuple[Any, ...], Any, markdown.Markdown] | None = None


def _converter_for(config: MkDocsConfig) -> markdown.Markdown:
    global _converter
    extensions = tuple(config.markdown_extensions)
    if _converter is None or _converter[0] is not config or _converter[2] is not config.mdx_configs or \
            len(_converter[1]) != len(extensions) or any(a is not b for a, b in zip(_converter[1], extensions)):
        md = markdown.Markdown(extensions=list(extensions), extension_configs=config.mdx_configs or {})
        _converter = (config, extensions, config.mdx_configs, md)
    return _converter[3]


def render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What `Page.render` does (MkDocs 1.6), with one converter for the configuration,
    reset for each page, instead of a new one per page: Python-Markdown's `reset` clears
    every extension's state, and MkDocs' per-page processors replace the last page's
    (a processor registered under a name another holds takes its place)."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = _converter_for(config).reset()
    pages = mkdocs.structure.pages
    raw_html = pages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = pages._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def replace_render(page: Page, render: Callable[[Any, Files], None]) -> None:
    """Make `page.render(config, files)`, as the build calls it, call `render` instead."""
    page.render = render  # type: ignore[method-assign]


def restore_render(page: Page) -> None:
    del page.render  # back to Page.render


def rendered_title(page: Page) -> str | None:
    """The title `Page.render` found in the page's first heading."""
    return page._title_from_render


def set_rendered(page: Page, *, content: str, toc: Any, title: str | None, anchor_ids: set[str],
                 links_to_anchors: dict[File, dict[str, str]] | None) -> None:
    """Set on a page what `Page.render` would have set."""
    page.content = content
    page.toc = toc
    page._title_from_render = title
    page.present_anchor_ids = anchor_ids
    if links_to_anchors is not None:
        page.links_to_anchors = links_to_anchors


class RecordingFiles(Files):
    """The site's files, noting every page a conversion looks up to resolve a link."""

    def __init__(self, files: list[File]) -> None:
        super().__init__(files)
        self.lookups: dict[str, tuple[str, bool] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = super().get_file_from_path(path)
        self.lookups[path] = where(file)
        return file


@contextlib.contextmanager
def recorded_lookups(files: Files) -> Iterator[dict[str, tuple[str, bool] | None]]:
    """Every page looked up in `files` meanwhile, as RecordingFiles notes them, for the
    build's own file set (which a conversion in the build's process is given)."""
    lookups: dict[str, tuple[str, bool] | None] = {}
    look_up = files.get_file_from_path

    def recording(path: str) -> File | None:
        file = look_up(path)
        lookups[path] = where(file)
        return file

    files.get_file_from_path = recording  # type: ignore[method-assign]
    try:
        yield lookups
    finally:
        del files.get_file_from_path


def toc_items(toc: Any) -> list[dict[str, Any]]:
    """A table of contents as plain data: title, id, level and children of each entry, and
    whether it is marked active (`get_toc` marks the first)."""
    return [{"title": item.title, "id": item.id, "level": item.level, "children": toc_items(item.children),
             **({"active": item.active} if hasattr(item, "active") else {})}
            for item in toc]


def toc_from_items(items: list[dict[str, Any]]) -> Any:
    """The table of contents `toc_items` described, as `Page.render` makes it."""
    def links(entries: list[dict[str, Any]]) -> list[AnchorLink]:
        made = []
        for entry in entries:
            link = AnchorLink(entry["title"], entry["id"], entry["level"])
            link.children = links(entry["children"])
            if "active" in entry:
                link.active = entry["active"]  # type: ignore[attr-defined]
            made.append(link)
        return made
    return TableOfContents(links(items))


def where(file: File | None) -> tuple[str, bool] | None:
    """What a conversion learns of a page it links to, or of its own: address and exclusion."""
    return None if file is None else (file.url, file.inclusion.is_excluded())


# The theme rendered without content (theme_scripts.py)


def empty_nav() -> Navigation:
    """A nav of no pages: what Material's templates show with nothing from content."""
    return Navigation([], [])


# Dirty builds (files.py, preview.py)


class RenderedWhenMarked(File):
    """A file a dirty build renders only when `rebuild` is set: MkDocs renders a page
    whose `is_modified()` is true, and would render a page without a source every time."""

    rebuild = True

    def is_modified(self) -> bool:
        return self.rebuild


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_BUILD_WARNING)


def hide_dirty_build_warning() -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)


# Publishing (publish.py)


def strict_counted_logger() -> logging.Logger:
    """The logger whose warnings fail `--strict`: the engine's own (`mkdocs`, or
    `properdocs`), counted once every plugin's `on_post_build` has run."""
    return logging.getLogger(engine())
