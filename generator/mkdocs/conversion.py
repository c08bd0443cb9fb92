"""One page's Markdown conversion as a value, and the one rule for reusing it.

A conversion done elsewhere (by a worker process while this build reads the content,
or by an earlier build, kept in the build cache) is what `Page.render` set on the page,
plus everything that conversion relied on: the Markdown it converted, the page's own
address, every page it looked up to resolve a link, and every image it measured. It is
used only if each of those is the same in this build (`Rendered.fits`); otherwise the
build converts the page itself. Messages MkDocs logged while converting are replayed,
so a reused conversion says what converting again would have said.

Every page the build converts itself is recorded the same way, for the cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..markdown import mdext
from . import internals
from .internals import where


@dataclass(frozen=True)
class Rendered:
    """What `Page.render` sets on a page, as converted elsewhere, and what it relied on."""

    markdown_digest: bytes  # of the Markdown converted
    page: tuple[str, bool] | None  # the page's own `where`
    lookups: dict[str, tuple[str, bool] | None]  # every page looked up, and its `where`
    content: str
    toc: Any
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked page's src_uri
    logs: list[tuple[str, int, str]]  # (logger, level, message), replayed by the build
    images: dict[str, tuple[int, int] | None]  # every image file measured, and its size

    def fits(self, page: Page, files: Files) -> bool:
        """Whether converting `page` in this build would give exactly this."""
        return (page.markdown is not None and self.markdown_digest == digest(page.markdown)
                and self.page == where(page.file)
                and all(where(files.get_file_from_path(path)) == where_ for path, where_ in self.lookups.items())
                and all(mdext.image_size_at(Path(path)) == size for path, size in self.images.items()))

    def apply(self, page: Page, files: Files) -> None:
        """Set on `page` what `Page.render` would have set, and say what it would have said."""
        # As Page.render does: links to anchors are kept only above the debug level.
        links = None
        if self.links_to_anchors is not None and \
                logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            links = {target: anchors for src_uri, anchors in self.links_to_anchors.items()
                     if (target := files.get_file_from_path(src_uri)) is not None}
        internals.set_rendered(page, content=self.content, toc=self.toc, title=self.title,
                               anchor_ids=self.anchor_ids, links_to_anchors=links)
        replay(self.logs)


def digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def captured_logs() -> Iterator[list[tuple[str, int, str]]]:
    """What MkDocs logs meanwhile, kept instead of printed: the build logs it in its turn.
    Information is kept even from a quiet build (`-q`), for a later one that shows it."""
    logger = logging.getLogger("mkdocs")
    handlers, propagate, level = logger.handlers[:], logger.propagate, logger.level
    captured = _Captured()
    logger.handlers[:], logger.propagate = [captured], False
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield captured.records
    finally:
        logger.handlers[:], logger.propagate = handlers, propagate
        logger.setLevel(level)


def replay(logs: list[tuple[str, int, str]]) -> None:
    """Say again what a conversion said, as far as this build's log level shows."""
    for name, level, message in logs:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.log(level, message)


def convert(page: Page, config: MkDocsConfig, files: Files,
            lookups: dict[str, tuple[str, bool] | None]) -> Rendered:
    """`Page.render`'s conversion of `page` (`internals.render`), recorded; `lookups` fills
    with the pages it looks up (`files` records them into it: RecordingFiles, or
    `internals.recorded_lookups`)."""
    assert page.markdown is not None
    safe_links = [e for e in config.markdown_extensions if isinstance(e, mdext.SafeLinksExtension)]
    for extension in safe_links:
        extension.images_seen = {}
    with captured_logs() as logs:
        internals.render(page, config, files)
    links = None if page.links_to_anchors is None else \
        {target.src_uri: dict(anchors) for target, anchors in page.links_to_anchors.items()}
    images = {path: size for extension in safe_links for path, size in extension.images_seen.items()}
    return Rendered(digest(page.markdown), where(page.file), dict(lookups), page.content or "", page.toc,
                    internals.rendered_title(page), set(page.present_anchor_ids or ()), links, list(logs), images)


class Conversions:
    """The build's side: each article's conversion taken from the cache, from a worker,
    or made here, in that order of preference; what was made is kept in the cache."""

    def __init__(self, cache: Any = None, parallel: Any = None) -> None:
        self.cache = cache  # cache.MarkdownCache or None
        self.parallel = parallel  # parallel.ParallelMarkdown or None
        self.from_cache = 0
        self.by_workers = 0
        self.converted = 0

    def offer(self, page: Page) -> None:
        """Before MkDocs converts this page: let its conversion be taken from elsewhere, or
        made with the build's one converter (`internals.render`). MkDocs has no event to
        replace a page's Markdown conversion, so the page's own `render` is replaced."""
        src_uri = page.file.src_uri
        if (self.cache is not None and self.cache.covers(src_uri)) or \
                (self.parallel is not None and self.parallel.has(src_uri)):
            internals.replace_render(page, functools.partial(self._render, page))
        else:
            internals.replace_render(page, functools.partial(internals.render, page))

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`page.render` for a page converted elsewhere, perhaps."""
        internals.restore_render(page)  # Page.render for anything later
        src_uri = page.file.src_uri
        for source in (self.cache, self.parallel):
            rendered = source.take(src_uri) if source is not None else None
            if rendered is not None and rendered.fits(page, files):
                rendered.apply(page, files)
                if source is self.cache:
                    self.from_cache += 1
                else:
                    self.by_workers += 1
                    if self.cache is not None:
                        self.cache.put(src_uri, rendered)
                return
        if self.cache is None:
            internals.render(page, config, files)
            return
        with internals.recorded_lookups(files) as lookups:
            rendered = convert(page, config, files, lookups)
        self.converted += 1
        self.cache.put(src_uri, rendered)
        replay(rendered.logs)
