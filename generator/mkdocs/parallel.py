"""Articles' Markdown converted in worker processes while the build renders.

A build renders on one core, and converting Markdown is half its time. As soon as the
build starts, the articles' Markdown is handed out in tasks, last articles first, to
worker processes that convert it with MkDocs' own `Page.render` and this build's
Markdown settings, while the build itself reads and checks the content. The build then
converts from the first article on, and takes a worker's result when it reaches a page
whose task is done; they meet in the middle. Nothing waits: a task not started yet is
cancelled and its pages converted by the build itself.

A worker converts before the build has settled which pages the site has (drafts are
dropped, listing pages added), so it records every page it looked up to resolve a
link, and the build takes a result only if each lookup, the page's own address and its
Markdown are the same in the final site; otherwise it converts that page itself.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import pickle
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.pages import Page

from .. import mdext
from . import internals
from .internals import RecordingFiles, where

# Fewer articles than this: converting their Markdown in worker processes saves less than
# starting one costs. The `workers` option overrides it.
MIN_ARTICLES = 64
ARTICLES_PER_TASK = 20


@dataclass(frozen=True)
class _RenderSetup:
    """What a worker needs to convert pages as this build does."""

    build: str  # tells this build's setup from an earlier one's in a long-lived worker
    config_file: str
    use_directory_urls: bool
    markdown: bytes  # the pickled Markdown extensions and their settings
    log_level: int


@dataclass(frozen=True)
class _Rendered:
    """What `Page.render` sets on a page, as a worker computed it, and what it relied on."""

    markdown_digest: bytes  # of the Markdown converted
    page: tuple[str, bool] | None  # the page's own `where`
    lookups: dict[str, tuple[str, bool] | None]  # every page looked up, and its `where`
    content: str
    toc: Any
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked page's src_uri
    logs: list[tuple[str, int, str]]  # (logger, level, message), replayed by the build


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def markdown_settings(config: MkDocsConfig) -> bytes | None:
    """The Markdown extensions and their settings, pickled; None if they cannot be."""
    try:
        return pickle.dumps((list(config.markdown_extensions), dict(config.mdx_configs or {})))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def _captured_logs() -> Iterator[list[tuple[str, int, str]]]:
    """What MkDocs logs meanwhile, kept instead of printed: the build logs it in its turn."""
    logger = logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers[:], logger.propagate
    captured = _Captured()
    logger.handlers[:], logger.propagate = [captured], False
    try:
        yield captured.records
    finally:
        logger.handlers[:], logger.propagate = handlers, propagate


_worker_site: tuple[str, MkDocsConfig, RecordingFiles] | None = None  # (build, configuration, files)


def _render_pages(setup: _RenderSetup, src_uris: list[str]) -> dict[str, _Rendered]:
    """Convert these pages in a worker process, as `Page.render` in the build would."""
    global _worker_site
    if _worker_site is None or _worker_site[0] != setup.build:
        logging.getLogger("mkdocs").setLevel(setup.log_level)
        with _captured_logs():  # the build reports on its configuration itself
            config = load_config(config_file=setup.config_file, use_directory_urls=setup.use_directory_urls)
            files = RecordingFiles(list(get_files(config)))
        config.markdown_extensions, config.mdx_configs = pickle.loads(setup.markdown)
        _worker_site = (setup.build, config, files)
    _, config, files = _worker_site
    safe_links = [e for e in config.markdown_extensions if isinstance(e, mdext.SafeLinksExtension)]
    results = {}
    for src_uri in src_uris:
        file = files.get_file_from_path(src_uri)
        if file is None or file.abs_src_path is None:
            continue
        page = Page(None, file, config)
        page.read_source(config)
        assert page.markdown is not None
        for extension in safe_links:  # as on_page_markdown does in the build
            extension.source_dir = Path(file.abs_src_path).parent
        files.lookups = {}
        with _captured_logs() as logs:
            page.render(config, files)
        links = None if page.links_to_anchors is None else \
            {target.src_uri: dict(anchors) for target, anchors in page.links_to_anchors.items()}
        results[src_uri] = _Rendered(_digest(page.markdown), where(file), files.lookups,
                                     page.content or "", page.toc, internals.rendered_title(page),
                                     set(page.present_anchor_ids or ()), links, logs)
    return results


class ParallelMarkdown:
    """The build's side: the tasks handed out, and each page's result when it is reached."""

    def __init__(self, tasks: dict[str, Future], markdown: bytes):
        self.tasks = tasks  # by src_uri: the task converting that page
        self.markdown = markdown  # the settings the workers convert with
        self.pages = len(tasks)
        self.by_workers = 0  # pages whose worker result the build used

    @classmethod
    def start(cls, pool: ProcessPoolExecutor, config: MkDocsConfig, build: str,
              sources: list[str], markdown: bytes) -> ParallelMarkdown:
        """Hand out these pages, before the build has read any."""
        setup = _RenderSetup(build, str(config.config_file_path), config.use_directory_urls, markdown,
                             logging.getLogger("mkdocs").getEffectiveLevel())
        tasks: dict[str, Future] = {}
        chunks = [sources[start:start + ARTICLES_PER_TASK] for start in range(0, len(sources), ARTICLES_PER_TASK)]
        for chunk in reversed(chunks):  # the build starts from the first page: the workers from the last
            task = pool.submit(_render_pages, setup, chunk)
            tasks.update((src_uri, task) for src_uri in chunk)
        return cls(tasks, setup.markdown)

    def settle(self, config: MkDocsConfig) -> None:
        """Once every plugin has configured the build: if the Markdown settings changed
        since the tasks were handed out, no result is used (nor converted)."""
        if markdown_settings(config) != self.markdown:
            for task in self.tasks.values():
                task.cancel()
            self.tasks = {}

    def offer(self, page: Page) -> None:
        """Before MkDocs converts this page: let its conversion take a worker's result.
        MkDocs has no event to replace a page's Markdown conversion, so the page's own
        `render` is replaced."""
        if page.file.src_uri in self.tasks:
            internals.replace_render(page, functools.partial(self._render, page))

    def _take(self, src_uri: str) -> _Rendered | None:
        """The worker's result for this page if it is ready; else None, and the task is
        cancelled if it has not started (the build converts its pages itself)."""
        task = self.tasks.pop(src_uri, None)
        if task is None or not task.done():
            if task is not None:
                task.cancel()
            return None
        if task.cancelled() or task.exception() is not None:
            return None
        return task.result().pop(src_uri, None)

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`page.render` for a page a worker may have converted."""
        internals.restore_render(page)  # Page.render for anything later
        rendered = self._take(page.file.src_uri)
        if (rendered is None or page.markdown is None or rendered.markdown_digest != _digest(page.markdown)
                or rendered.page != where(page.file)
                or any(where(files.get_file_from_path(path)) != where_ for path, where_ in rendered.lookups.items())):
            page.render(config, files)
            return
        self.by_workers += 1
        # As Page.render does: links to anchors are kept only above the debug level.
        links = None
        if rendered.links_to_anchors is not None and \
                logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            links = {target: anchors for src_uri, anchors in rendered.links_to_anchors.items()
                     if (target := files.get_file_from_path(src_uri)) is not None}
        internals.set_rendered(page, content=rendered.content, toc=rendered.toc, title=rendered.title,
                               anchor_ids=rendered.anchor_ids, links_to_anchors=links)
        for name, level, message in rendered.logs:
            logging.getLogger(name).log(level, message)
