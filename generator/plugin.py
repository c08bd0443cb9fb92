"""The MkDocs adapter: the only module that imports `mkdocs`.

It wires MkDocs events to the plain-Python pipeline (`site.prepare`: load and validate
`content/`, build the site graph, derive the pages, lint) and hands each page its
template and data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib
import logging
import multiprocessing
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from markupsafe import Markup, escape
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.structure.pages import Page

from . import (content, csp, errors, feeds, gfm, graph, htmlfix, incremental, lint, manifest, markdown_settings,
               markup, mdext, models, pages, parity, policy, regions, seo, site, social, yamlsource)
from .pages import ARTICLES_PER_PAGE

# The plain-Python pipeline, in import order. `mkdocs serve` reloads it before each
# rebuild, so an edit to the generator shows in the preview like an edit to content.
PIPELINE = (errors, regions, yamlsource, models, policy, mdext, gfm, markdown_settings, markup, content, graph, pages,
            incremental, parity, lint, site, csp, seo, feeds, social, htmlfix)

log = logging.getLogger("mkdocs.plugins.field_guide")
# Listings of articles repeat what the articles say: in search they only crowd the results.
NOT_SEARCHED = {"articles", "tags", "tag", "authors", "author"}
CARDS_WORTH_A_PROCESS = 24  # fewer cards to draw than this: draw them in the build's own process
CARDS_PER_TASK = 16
# Fewer articles than this: converting their Markdown in worker processes saves less than
# starting one costs. The `workers` option overrides it.
PARALLEL_MIN_ARTICLES = 64
ARTICLES_PER_TASK = 20


class AllowHtml(base.Config):
    element = c.Choice(sorted(policy.FORBIDDEN_ELEMENTS))
    src_prefix = c.Type(str)


class FieldGuideConfig(base.Config):
    per_page = c.Type(int, default=ARTICLES_PER_PAGE)
    # Raw HTML forms that content may use although the policy forbids them in general,
    # e.g. `{element: iframe, src_prefix: "https://www.youtube-nocookie.com/embed/"}`.
    allow_html = c.ListOfItems(c.SubConfig(AllowHtml), default=[])
    # Social preview images, drawn once per distinct article card and cached here.
    social_cards = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache")
    feed_limit = c.Type(int, default=20)
    # Worker processes that convert articles' Markdown and draw social cards while the
    # build renders pages. Unset: one per core but the build's own, on sites of
    # PARALLEL_MIN_ARTICLES articles or more. 0: everything in the build's own process.
    workers = c.Optional(c.Type(int))


class _GeneratedPage(File):
    """A page with no source file. MkDocs would render it on every rebuild; the preview
    renders it only when its fingerprint changed (see `incremental`)."""

    rebuild = True

    def is_modified(self) -> bool:
        return self.rebuild


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory from one preview rebuild to the next: MkDocs
    makes a new Jinja environment per build, which would compile every template again.
    Jinja checks each template's source, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.code.clear()


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns that a dirty build may leave pages stale: ours renders every page an
    # edit changes, so the warning would only alarm editors at every rebuild.
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


@dataclass
class _Built:
    """What a preview build rendered: the next dirty rebuild compares against it."""

    fingerprints: dict[str, str]  # by src_uri: see incremental.fingerprints
    shared: Any  # what every page is rendered with
    sources: set[str]  # the src_uri of every page
    outputs: set[str]  # every file the build wrote for a page, relative to site_dir
    urls: set[str]  # every page's URL


def _fail(invalid: errors.ContentErrors) -> PluginError:
    """Log each error on a line of its own, then abort with the count."""
    for error in invalid.errors:
        log.error(str(error))
    count = len(invalid.errors)
    return PluginError(
        f"{count} content error{'s' if count != 1 else ''}: the site was not built; fix them and build again."
    )


class FieldGuidePlugin(BasePlugin[FieldGuideConfig]):
    def __init__(self) -> None:
        self.site: site.PreparedSite | None = None
        self.root = Path.cwd()
        self.preview = False
        self.article_html: dict[str, str] = {}  # rendered bodies of the articles in the feeds
        self.in_feeds: set[str] = set()  # their slugs
        self.cards: dict[str, tuple[str, str]] = {}  # site path -> (title, subtitle)
        self.pool: ProcessPoolExecutor | None = None
        self.stopping: threading.Thread | None = None  # waits for the workers to exit
        self.workers = 1
        self.card_jobs: list[tuple[Future, list[tuple[str, str, str]]]] = []  # (job, the cards it draws)
        self.parallel: _ParallelMarkdown | None = None
        self.build_id = ""  # tells the workers one build from the next
        self.markdown_extension = mdext.SafeLinksExtension()
        # `mkdocs serve --dirty`: what the last good build rendered, to render only what changed.
        self.dirty = False
        self.built: _Built | None = None
        self.building: _Built | None = None
        self.rendered: set[str] = set()  # URLs of the pages rendered by this build
        self.compiled_templates = _CompiledTemplates()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` previews drafts and scheduled articles; `build` never publishes them.
        self.preview = command == "serve"
        self.dirty = self.preview and dirty
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)
        elif self.preview:
            log.info("`mkdocs serve --dirty` renders again only the pages an edit changes: "
                     "much faster rebuilds on a large site.")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate everything before MkDocs cleans site/, so a failed build leaves the
        # previous site as it was.
        self.root = Path(config.config_file_path).resolve().parent
        if not self.dirty:  # a dirty rebuild keeps the bodies of the articles it does not render
            self.article_html = {}
        self.rendered = set()
        icon_dirs = [Path(d) / ".icons" for d in config.theme.dirs]

        def icon_exists(name: str) -> bool:
            return any((d / f"{name}.svg").is_file() for d in icon_dirs)

        if self.preview:
            for module in PIPELINE:
                importlib.reload(module)
        self.markdown_extension = mdext.SafeLinksExtension()
        config.markdown_extensions.append(self.markdown_extension)
        self._start_workers(config)  # they convert Markdown while the content is read
        try:
            self.site = site.prepare(
                self.root, config.docs_dir, today=build_date(), preview=self.preview,
                icon_exists=icon_exists, site_description=config.site_description or "",
                allow_html=[policy.Allowance(a.element, a.src_prefix) for a in self.config.allow_html],
                per_page=self.config.per_page,
                markdown=markdown_settings.MarkdownSettings(list(config.markdown_extensions),
                                                            dict(config.mdx_configs or {})),
            )
        except errors.ContentErrors as invalid:
            raise _fail(invalid) from None
        self.in_feeds = {article.slug for article in self.site.graph.published[:self.config.feed_limit]}
        # Warnings fail `mkdocs build --strict`, as they fail `check --strict`.
        for warning in self.site.warnings:
            log.warning(str(warning))
        # Time-based findings (a resource not checked for a year) never fail a build: the
        # daily deployment publishes scheduled articles whatever the calendar has aged.
        for finding in self.site.time_based:
            log.info(str(finding.problem))
        # The live preview also rebuilds when the theme or the generator itself changes
        # (MkDocs watches only content/ and mkdocs.yml unless told).
        if self.preview:
            for folder in (config.theme.custom_dir, str(Path(__file__).parent)):
                if folder and folder not in config.watch:
                    config.watch.append(folder)
        return config

    def _start_workers(self, config: MkDocsConfig) -> None:
        """Start the worker processes, if the site is large enough to gain from them, with
        every article's Markdown to convert (see `_ParallelMarkdown`)."""
        self._stop_workers()
        self.build_id = f"{os.getpid()}-{id(config)}-{dt.datetime.now().timestamp()}"
        self.workers = max(1, (os.cpu_count() or 1) - 1) if self.config.workers is None else max(0, self.config.workers)
        if self.workers == 0 or self.preview:
            return
        folder = Path(config.docs_dir)
        sources = sorted(path.relative_to(folder).as_posix() for path in (folder / content.ARTICLES_DIR).glob("*.md"))
        markdown = _markdown_settings(config)
        if markdown is None or (self.config.workers is None and len(sources) < PARALLEL_MIN_ARTICLES):
            return
        self.parallel = _ParallelMarkdown.start(self._worker_pool(), config, self.build_id, sources, markdown)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        hidden = set() if self.preview else {article.src_uri for article in self.site.graph.unpublished}
        for file in list(files):
            # Data is read by the generator, not published; unpublished articles stay out.
            if file.src_uri.startswith(f"{content.DATA_DIR}/") or file.src_uri in hidden:
                files.remove(file)

        # Pages outside `nav` are expected (articles, tags...): no notice for each of them.
        in_nav = set(_nav_paths(config.nav or []))
        for article in self.site.graph.articles:
            file = files.get_file_from_path(article.src_uri)
            if file is not None and article.src_uri not in in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV

        clashes = []
        for spec in self.site.pages.values():
            if not spec.generated:
                continue
            if files.get_file_from_path(spec.src_uri) is not None:
                path = Path(config.docs_dir, spec.src_uri).resolve()
                clashes.append(errors.ContentError(
                    path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path),
                    1, 1, "(file)",
                    f"takes the URL /{spec.src_uri.removesuffix('index.md')} that the generated "
                    f"page {spec.title!r} needs: move or rename the file", "url-clash",
                ))
                continue
            inclusion = InclusionLevel.UNDEFINED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(_GeneratedPage.generated(config, spec.src_uri, content="", inclusion=inclusion))
        if clashes:
            raise _fail(errors.ContentErrors(clashes))
        if self.config.social_cards:
            self._plan_social_cards(config)
        if self.dirty:
            self._choose_pages_to_render(files, config)
        return files

    def _choose_pages_to_render(self, files: Files, config: MkDocsConfig) -> None:
        """Mark the pages this dirty rebuild renders: those whose fingerprint changed, the
        articles that link to a page just added or removed, or every page when something
        they all share changed. MkDocs adds the pages whose source file was edited."""
        assert self.site is not None
        documents = files.documentation_pages()
        shared = {
            "files": incremental.tree_signature(
                [config.config_file_path, *([config.theme.custom_dir] if config.theme.custom_dir else []),
                 Path(__file__).parent]),
            "unpublished": sorted(self.site.graph.unpublished_slugs),
        }
        prints = incremental.fingerprints(self.site.pages)
        sources = {file.src_uri for file in documents}
        # A nav entry without a title shows its page's title on every page.
        untitled = set(_nav_paths(config.nav or [], untitled_only=True))
        self.building = _Built(prints, shared, sources,
                               outputs={file.dest_uri for file in documents} | set(self.cards),
                               urls={file.url for file in documents})
        previous = self.built
        everything = (previous is None or previous.shared != shared
                      or any(file.src_uri in untitled and not isinstance(file, _GeneratedPage)
                             and file.is_modified() for file in documents))
        stale = set() if everything else incremental.changed(previous.fingerprints, prints)
        if previous is not None and (appeared_or_gone := sources ^ previous.sources):
            stale |= incremental.linking_to(self.site.graph.articles, appeared_or_gone)
            # Pages written by hand may link to it too; there are few of them.
            stale |= {file.src_uri for file in documents
                      if not isinstance(file, _GeneratedPage) and file.src_uri not in self.site.pages}
        if everything:  # the generator may have changed how templates compile (autoescaping)
            self.compiled_templates.clear()
        for file in documents:
            render = everything or file.src_uri in stale
            if isinstance(file, _GeneratedPage):
                file.rebuild = render
            elif render:  # MkDocs renders a page whose output is missing
                Path(file.abs_dest_path).unlink(missing_ok=True)

    def _forget_removed_pages(self, site_dir: Path) -> None:
        """Delete what the last build wrote for pages that are gone (a renamed article, a
        listing page fewer): a dirty build leaves them, and the preview would serve them."""
        assert self.built is not None and self.building is not None
        for output in self.built.outputs - self.building.outputs:
            path = site_dir / output
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
                    break
                folder.rmdir()

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        # Every plugin has configured the build: the workers' Markdown settings are checked,
        # and the cards are handed out after the Markdown, which the build needs first.
        if self.parallel is not None:
            self.parallel.settle(config)
        if self.config.social_cards:
            self._start_social_cards(config)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.parallel is not None and page.file.src_uri in self.parallel:
            # MkDocs has no event to replace a page's Markdown conversion: this page's own
            # `render` takes the worker's result, if it is ready and holds for the final site.
            page.render = functools.partial(self.parallel.render, page)  # type: ignore[method-assign]
        return page

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.site is not None
        env.autoescape = pages.autoescape
        if self.dirty:
            env.bytecode_cache = self.compiled_templates
        env.filters["long_date"] = pages.long_date
        env.filters["region_names"] = regions.region_names
        # Non-empty only in a preview, where drafts and scheduled articles are listed.
        env.globals["unpublished_slugs"] = self.site.graph.unpublished_slugs if self.preview else set()
        env.globals["feeds"] = [(feeds.FEED_TYPES[kind], file) for kind, file in feeds.FEED_FILES.items()]
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        spec = self.site.pages.get(page.file.src_uri)
        # Only the feeds' articles, except in a dirty preview: an article it does not render
        # again may join the feeds after an edit to another.
        slug = spec.context["article"].slug if spec is not None and spec.kind == "article" else None
        if slug is not None and (self.dirty or slug in self.in_feeds):
            self.article_html[slug] = html
        return html

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        # The 404 page is a static template: it gets the latest articles to offer instead.
        if template_name == "404.html" and self.site is not None:
            context["urls"] = pages.Urls
            context["ifg"] = {"latest": self.site.graph.published[:pages.HOME_LATEST]}
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        if page.file.abs_src_path:  # images are sized from the page's own folder
            self.markdown_extension.source_dir = Path(page.file.abs_src_path).parent
        spec = self.site.pages.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            page.meta["title"] = spec.title
            page.meta["description"] = spec.description
            if spec.kind in NOT_SEARCHED:
                page.meta["search"] = {"exclude": True}
        # The sitemap's lastmod: the page's real last change, or none (never the build time).
        if self.site.has_dates:
            page.update_date = spec.modified.isoformat() if spec is not None and spec.modified else ""
        # Material prints the title and description into HTML without escaping them:
        # escaped Markup prints the same in its templates and in our autoescaped ones.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        return markdown

    @event_priority(100)  # before the search plugin writes its index
    def _merge_search_index(self, *, config: MkDocsConfig) -> None:
        """Keep the search entries of the pages a dirty rebuild did not render.

        Material's search plugin merges a dirty rebuild's entries by the first page
        rendered only, which duplicates or drops the others (all of them when the
        home page comes first). Instead: the previous entries minus the pages rendered
        again or gone, plus this build's.
        """
        search = next((plugin for name, plugin in config.plugins.items() if name.endswith("search")), None)
        index = getattr(search, "search_index", None)
        previous = getattr(search, "search_index_prev", None)
        if not self.dirty or self.building is None or index is None or previous is None:
            return
        kept = [entry for entry in previous.entries
                if (url := entry["location"].split("#")[0]) not in self.rendered and url in self.building.urls]
        index.entries = kept + index.entries
        search.search_index_prev = None

    def _finish_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        site_url = _site_url(config)
        for name, text in feeds.build_feeds(
            self.site.graph.published, site_url=site_url, site_name=config.site_name,
            site_description=config.site_description or "", authors=self.site.content.authors,
            content_html=self.article_html, limit=self.config.feed_limit,
        ).items():
            (site_dir / name).write_text(text, encoding="utf-8")
        (site_dir / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n",
                                             encoding="utf-8")
        if self.parallel is not None:
            log.info(f"Markdown of {self.parallel.by_workers} of {self.parallel.pages} articles converted "
                     f"by {self.workers} worker process{'es' if self.workers != 1 else ''}.")
        if self.config.social_cards:
            self._finish_social_cards(config, site_dir)
        self._stop_workers(wait=False)  # they wind down while the build finishes
        if self.dirty and self.building is not None:
            if self.built is not None:
                self._forget_removed_pages(site_dir)
                log.info(f"Rendered {len(self.rendered)} of {len(self.building.urls)} pages: the others did not change.")
            self.built, self.building = self.building, None
        # Last: a hash of every file, so CI can list the pages a pull request changes.
        if not self.preview:
            manifest.write_manifest(site_dir)
        self._stop_workers()

    on_post_build = CombinedEvent(_merge_search_index, _finish_build)

    def _plan_social_cards(self, config: MkDocsConfig) -> None:
        """Every card the site shows, by its path in the site: (title, subtitle)."""
        assert self.site is not None
        authors = self.site.content.authors
        self.cards = {seo.SITE_CARD: (config.site_name, config.site_description or "")}
        for article in self.site.graph.published:
            byline = " · ".join(authors[a].name for a in article.meta.authors)
            self.cards[seo.card_path(article)] = (article.meta.title,
                                                  f"{byline} · {article.reading_minutes} min read")

    def _start_social_cards(self, config: MkDocsConfig) -> None:
        """Draw the cards the cache lacks in worker processes, while MkDocs renders the pages.

        A build renders on one core, so the cards are drawn on the others; at the end the
        build draws whatever the workers have not started yet itself, rather than wait.
        """
        cache = self.root / self.config.cache_dir / "social"
        missing = [(title, subtitle, config.site_name) for title, subtitle in self.cards.values()
                   if not social.cached_card(title=title, subtitle=subtitle, site_name=config.site_name,
                                             cache_dir=cache).is_file()]
        self.card_jobs = []
        if not missing or self.workers == 0 or (self.pool is None and len(missing) < CARDS_WORTH_A_PROCESS):
            return  # drawn in on_post_build (for a few, faster than starting a process)
        pool = self._worker_pool()
        self.card_jobs = [(pool.submit(social.draw_cards, missing[start:start + CARDS_PER_TASK], cache),
                           missing[start:start + CARDS_PER_TASK])
                          for start in range(0, len(missing), CARDS_PER_TASK)]

    def _finish_social_cards(self, config: MkDocsConfig, site_dir: Path) -> None:
        cache = self.root / self.config.cache_dir / "social"
        try:
            for job, cards in self.card_jobs:
                if job.cancel():  # not started: drawn here, while the workers finish theirs
                    social.draw_cards(cards, cache)
            for job, cards in self.card_jobs:
                if not job.cancelled():
                    try:
                        job.result()
                    except BrokenProcessPool:  # a worker died (killed, out of memory): draw them here
                        social.draw_cards(cards, cache)
        finally:
            self._stop_workers(wait=False)
        (site_dir / seo.SOCIAL_DIR).mkdir(parents=True, exist_ok=True)
        for target, (title, subtitle) in self.cards.items():
            card = social.social_card(title=title, subtitle=subtitle, site_name=config.site_name, cache_dir=cache)
            _link_or_copy(card, site_dir / target)

    def _worker_pool(self) -> ProcessPoolExecutor:
        """The worker processes, started on first use: a build's own process renders on one core."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_worker_start_method())
        return self.pool

    def _stop_workers(self, *, wait: bool = True) -> None:
        """Cancel what the workers have not started, and let them exit; with `wait`, wait
        until they have (also for workers an earlier call left winding down)."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            self.stopping = threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True})
            self.stopping.start()
        if wait and self.stopping is not None:
            self.stopping.join()
            self.stopping = None
        self.card_jobs = []
        self.parallel = None

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        output = htmlfix.repair(output)
        # Not in the preview: MkDocs' live reload injects an inline script of its own.
        return output if self.preview else csp.with_policy(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        output_content = htmlfix.repair(output_content)
        return output_content if self.preview else csp.with_policy(output_content)

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        assert self.site is not None
        spec = self.site.pages.get(page.file.src_uri)
        self.rendered.add(page.url)
        context["urls"] = pages.Urls
        if spec is not None:
            context["ifg"] = spec.context
        context["seo"] = seo.page_meta(
            site_url=_site_url(config), site_name=config.site_name, url=page.url,
            title=spec.title if spec else _plain(page.title),
            description=spec.description if spec and spec.description
            else _plain(page.meta.get("description") or config.site_description or ""),
            spec=spec, authors=self.site.content.authors, is_home=page.is_homepage,
        )
        return context


# Markdown converted in worker processes.
#
# A build renders on one core, and converting Markdown is half its time. As soon as the
# build starts, the articles' Markdown is handed out in tasks, last articles first, to
# worker processes that convert it with MkDocs' own `Page.render` and this build's
# Markdown settings, while the build itself reads and checks the content. The build then
# converts from the first article on, and takes a worker's result when it reaches a page
# whose task is done; they meet in the middle. Nothing waits: a task not started yet is
# cancelled and its pages converted by the build itself.
#
# A worker converts before the build has settled which pages the site has (drafts are
# dropped, listing pages added), so it records every page it looked up to resolve a
# link, and the build takes a result only if each lookup, the page's own address and its
# Markdown are the same in the final site; otherwise it converts that page itself.


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
    page: tuple[str, bool] | None  # the page's own `_where`
    lookups: dict[str, tuple[str, bool] | None]  # every page looked up, and its `_where`
    content: str
    toc: Any
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked page's src_uri
    logs: list[tuple[str, int, str]]  # (logger, level, message), replayed by the build


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def _where(file: File | None) -> tuple[str, bool] | None:
    """What a conversion learns of a page it links to, or of its own: address and exclusion."""
    return None if file is None else (file.url, file.inclusion.is_excluded())


def _markdown_settings(config: MkDocsConfig) -> bytes | None:
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


class _RecordingFiles(Files):
    """The site's files as a worker sees them, noting every page a conversion looks up."""

    def __init__(self, files: list[File]) -> None:
        super().__init__(files)
        self.lookups: dict[str, tuple[str, bool] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = super().get_file_from_path(path)
        self.lookups[path] = _where(file)
        return file


_worker_site: tuple[str, MkDocsConfig, _RecordingFiles] | None = None  # (build, configuration, files)


def _render_pages(setup: _RenderSetup, src_uris: list[str]) -> dict[str, _Rendered]:
    """Convert these pages in a worker process, as `Page.render` in the build would."""
    global _worker_site
    if _worker_site is None or _worker_site[0] != setup.build:
        logging.getLogger("mkdocs").setLevel(setup.log_level)
        with _captured_logs():  # the build reports on its configuration itself
            config = load_config(config_file=setup.config_file, use_directory_urls=setup.use_directory_urls)
            files = _RecordingFiles(list(get_files(config)))
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
        results[src_uri] = _Rendered(_digest(page.markdown), _where(file), files.lookups,
                                     page.content or "", page.toc, page._title_from_render,
                                     set(page.present_anchor_ids or ()), links, logs)
    return results


class _ParallelMarkdown:
    """The build's side: the tasks handed out, and each page's result when it is reached."""

    def __init__(self, tasks: dict[str, Future], markdown: bytes):
        self.tasks = tasks  # by src_uri: the task converting that page
        self.markdown = markdown  # the settings the workers convert with
        self.pages = len(tasks)
        self.by_workers = 0  # pages whose worker result the build used

    @classmethod
    def start(cls, pool: ProcessPoolExecutor, config: MkDocsConfig, build: str,
              sources: list[str], markdown: bytes) -> _ParallelMarkdown:
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
        if _markdown_settings(config) != self.markdown:
            for task in self.tasks.values():
                task.cancel()
            self.tasks = {}

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self.tasks

    def take(self, src_uri: str) -> _Rendered | None:
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

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`page.render` for a page a worker may have converted."""
        del page.render  # back to Page.render for anything later
        rendered = self.take(page.file.src_uri)
        if (rendered is None or page.markdown is None or rendered.markdown_digest != _digest(page.markdown)
                or rendered.page != _where(page.file)
                or any(_where(files.get_file_from_path(path)) != where for path, where in rendered.lookups.items())):
            page.render(config, files)
            return
        self.by_workers += 1
        page.content = rendered.content
        page.toc = rendered.toc
        page._title_from_render = rendered.title
        page.present_anchor_ids = rendered.anchor_ids
        if rendered.links_to_anchors is not None and \
                logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {target: anchors for src_uri, anchors in rendered.links_to_anchors.items()
                                     if (target := files.get_file_from_path(src_uri)) is not None}
        for name, level, message in rendered.logs:
            logging.getLogger(name).log(level, message)


def _worker_start_method() -> multiprocessing.context.BaseContext:
    """Fork on Linux: a worker starts at once with MkDocs imported, where a spawned one
    would spend half a second importing it again. Only while this process runs one thread
    (not in `mkdocs serve`): forking with threads can deadlock. Elsewhere fork is unsafe
    (macOS) or absent."""
    fork = sys.platform == "linux" and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (the cache and the site share a disk): no copying."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _site_url(config: MkDocsConfig) -> str:
    url = config.site_url or "/"
    return url if url.endswith("/") else url + "/"


def _plain(text) -> str:
    """Text as written: page titles are kept escaped (Markup) for Material's templates."""
    return text.unescape() if isinstance(text, Markup) else str(text or "")


def _nav_paths(nav, *, untitled_only: bool = False) -> list[str]:
    """Every page path named in the `nav` setting, at any depth; with `untitled_only`, only
    those named without a title of their own (MkDocs shows the page's title)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() if not (untitled_only and isinstance(value, str))
                for path in _nav_paths(value, untitled_only=untitled_only)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item, untitled_only=untitled_only)]
    return []
