"""Articles' Markdown converted in worker processes while the build renders.

A build renders on one core, and converting Markdown is half its time. As soon as the
build starts, the articles' Markdown is handed out in tasks, last articles first, to
worker processes that convert it as MkDocs' `Page.render` does, with this build's
Markdown settings, while the build itself reads and checks the content. The build then
converts from the first article on, and takes a worker's result when it reaches a page
whose task is done; they meet in the middle. Nothing waits: a task not started yet is
cancelled and its pages converted by the build itself.

A worker converts before the build has settled which pages the site has (drafts are
dropped, listing pages added), so it records every page it looked up to resolve a
link, and the build takes a result only if each lookup, the page's own address and its
Markdown are the same in the final site (conversion.py: the rule the build cache
follows too); otherwise it converts that page itself.
"""

from __future__ import annotations

import copy
import logging
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from ..markdown import mdext
from .conversion import Rendered, captured_logs, convert
from .internals import RecordingFiles

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


def markdown_settings(config: MkDocsConfig) -> bytes | None:
    """The Markdown extensions and their settings, pickled; None if they cannot be."""
    try:
        return pickle.dumps((list(config.markdown_extensions), dict(config.mdx_configs or {})))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


_worker_site: tuple[str, MkDocsConfig, RecordingFiles] | None = None  # (build, configuration, files)
# The build's own configuration, which a forked worker inherits with the build's memory:
# it need not load mkdocs.yml again (half a second of CPU per worker). A spawned worker
# starts without it, and loads its own.
_build_config: tuple[str, MkDocsConfig] | None = None  # (build, configuration)


def _render_pages(setup: _RenderSetup, src_uris: list[str]) -> dict[str, Rendered]:
    """Convert these pages in a worker process, as `Page.render` in the build would."""
    global _worker_site
    if _worker_site is None or _worker_site[0] != setup.build:
        logging.getLogger("mkdocs").setLevel(setup.log_level)
        with captured_logs():  # the build reports on its configuration itself
            if _build_config is not None and _build_config[0] == setup.build:
                config = copy.copy(_build_config[1])  # its Markdown settings are replaced below
            else:
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
        results[src_uri] = convert(page, config, files, files.lookups)
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
        global _build_config
        _build_config = (build, config)  # before the first task forks the workers
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

    def has(self, src_uri: str) -> bool:
        return src_uri in self.tasks

    def take(self, src_uri: str) -> Rendered | None:
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
