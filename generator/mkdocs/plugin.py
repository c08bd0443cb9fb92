"""The MkDocs plugin `field-guide`: MkDocs' events, each handed to the file that does the job."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..content import errors, reader
from ..markdown import mdext
from ..site import csp, figures, incremental, pipeline
from . import config as options
from . import files as file_set
from . import admin, output, parallel, preview, publish, rendered, search, templates, trust
from .cache import FOLDER, MarkdownCache, turned_off
from .cards import SocialCards
from .conversion import Conversions
from .media import LeadImageFiles
from .sources import ArticleSources
from .theme_scripts import ThemeScripts
from .workers import Workers, how_many

log = logging.getLogger("mkdocs.plugins.field_guide")


def _fail(invalid: errors.ContentErrors) -> PluginError:
    """Log each error on a line of its own, with the warnings and notes on what could be
    read (as `check` prints them all), then abort with the count of errors."""
    for error in invalid.errors:
        log.error(str(error))
    for warning in invalid.warnings:
        log.warning(str(warning))
    for note in invalid.notes:
        log.info(str(note))
    count = len(invalid.errors)
    return PluginError(
        f"{count} content error{'s' if count != 1 else ''}: the site was not built; fix them and build again."
    )


class FieldGuidePlugin(BasePlugin[options.FieldGuideConfig]):
    def __init__(self) -> None:
        self.site: pipeline.PreparedSite | None = None
        self.settings: options.Settings | None = None
        self.preview = False  # mkdocs serve
        self.dirty = False  # mkdocs serve --dirty
        self.dirty_preview = preview.DirtyPreview()
        self.article_html: dict[str, str] = {}  # rendered bodies of the articles in the feeds
        self.in_feeds: set[str] = set()  # their slugs
        self.workers = Workers()
        self.parallel: parallel.ParallelMarkdown | None = None
        self.cache: MarkdownCache | None = None
        self.conversions = Conversions()
        self.rendered: rendered.RenderedPages | None = None  # pages kept between builds
        self.context_prints: dict[str, str] = {}  # by src_uri: incremental.fingerprints
        self.finished: dict[str, str] = {}  # by src_uri: a reused page's HTML, until MkDocs writes it
        self.env: Environment | None = None
        self.theme_scripts: ThemeScripts | None = None  # the pages' CSP; none in the preview
        self.policies: dict[str, str] = {}  # by src_uri or static template: the CSP, until the page is finished
        self.cards: SocialCards | None = None
        self.signing_key: bytes | None = None  # trust.cache_key, or None: the cache folder is not used
        self.build_id = ""  # tells the workers one build from the next
        self.markdown_extension = mdext.SafeLinksExtension()
        self.sources = ArticleSources()
        self.site_folder = publish.SiteFolder()  # where `mkdocs build` writes until the build passed

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` previews drafts and scheduled articles; `build` never publishes them.
        self.preview = command == "serve"
        self.dirty = self.preview and dirty
        if dirty and not self.preview:
            log.info("`mkdocs build --dirty` renders every page: a published site is built whole.")
        if self.dirty:
            self.dirty_preview.start()
        elif self.preview:
            log.info("`mkdocs serve --dirty` renders again only the pages an edit changes: "
                     "much faster rebuilds on a large site.")

    @event_priority(100)  # before any plugin reads site_dir, or logs a warning --strict counts
    def _build_aside(self, config: MkDocsConfig) -> None:
        if not self.preview:
            self.site_folder.build_aside(config)

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate everything before MkDocs cleans site/, so a failed build leaves the
        # previous site as it was.
        self.settings = options.settings_of(config, self.config)
        if not self.preview and (problem := options.site_url_problem(config)) is not None:
            log.error(str(problem))
            raise PluginError("site_url is not the site's address: the site was not built.")
        search.check(config)  # before site/ is touched: a missing indexer fails the build here
        self.dirty_preview.rendered = set()
        self.finished = {}
        self.policies = {}
        if not self.dirty:  # a dirty rebuild keeps the bodies of the articles it does not render
            self.article_html = {}
        if self.preview:
            preview.reload_pipeline(config)
        templates.add_static_templates(config)
        self.markdown_extension = mdext.SafeLinksExtension(allow_html=tuple(self.settings.allow_html))
        config.markdown_extensions.append(self.markdown_extension)
        self._start_conversions(config)  # the workers convert Markdown while the content is read
        try:
            self.site = options.prepare(self.settings, today=pipeline.build_date(), preview=self.preview)
        except errors.ContentErrors as invalid:
            raise _fail(invalid) from None
        self.sources = ArticleSources(self.site)
        self.in_feeds = {article.slug for article in self.site.graph.published[:self.config.feed_limit]}
        # Warnings fail `mkdocs build --strict`, as they fail `check --strict`.
        for warning in self.site.warnings:
            log.warning(str(warning))
        for note in self.site.notes:  # on drafts: shown, as `check` shows them, never fatal
            log.info(str(note))
        # Time-based findings (a resource not checked for a year) never fail a build: the
        # daily deployment publishes scheduled articles whatever the calendar has aged.
        for finding in self.site.time_based:
            log.info(str(finding.problem))
        # The live preview also rebuilds when the theme or the generator itself changes
        # (MkDocs watches only content/ and mkdocs.yml unless told).
        if self.preview:
            for folder in (config.theme.custom_dir, str(preview.GENERATOR)):
                if folder and folder not in config.watch:
                    config.watch.append(folder)
        return config

    on_config = CombinedEvent(_build_aside, _on_config)

    def _start_conversions(self, config: MkDocsConfig) -> None:
        """Open the build cache, and start the worker processes, if there are enough
        articles the cache lacks to gain from them, with those articles to convert."""
        self._stop_workers()
        self.build_id = f"{os.getpid()}-{id(config)}-{dt.datetime.now().timestamp()}"
        self.workers = Workers(how_many(self.config.workers))
        folder = Path(config.docs_dir)
        articles = reader.article_files(folder)
        self.cache = None
        self.rendered = None
        self.signing_key = self._signing_key()
        if not turned_off(self.config.build_cache) and self.signing_key is not None:
            assert self.settings is not None
            self.cache = MarkdownCache.open(self.settings.root / self.config.cache_dir / FOLDER, config,
                                            articles, folder, signing_key=self.signing_key)
            if self.cache is not None:
                self.rendered = rendered.RenderedPages(self.cache.folder / rendered.FOLDER,
                                                       signing_key=self.signing_key)
        self.conversions = Conversions(self.cache)
        if self.workers.count == 0 or self.preview:
            return
        sources = [path.relative_to(folder).as_posix() for path in articles]
        if self.cache is not None:
            sources = [src_uri for src_uri in sources if not self.cache.has(src_uri)]
        markdown = parallel.markdown_settings(config)
        if markdown is None or not sources or \
                (self.config.workers is None and len(sources) < parallel.MIN_ARTICLES):
            return
        self.parallel = parallel.ParallelMarkdown.start(self.workers.get(), config, self.build_id, sources, markdown)
        self.conversions.parallel = self.parallel

    def _signing_key(self) -> bytes | None:
        """The key the cache's entries and cards are signed with; None (said why) if the
        cache folder cannot be trusted: then nothing is read from it or written to it."""
        if turned_off(self.config.build_cache) and not self.config.social_cards:
            return None
        assert self.settings is not None
        try:
            return trust.cache_key(self.settings.root, self.settings.root / self.config.cache_dir)
        except trust.Untrusted as why:
            log.info(f"Build cache not used: {why}.")
            return None

    def _stop_workers(self, *, wait: bool = True) -> None:
        self.workers.stop(wait=wait)
        if self.cards is not None:
            self.cards.jobs = []
        self.parallel = self.conversions.parallel = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        files = file_set.arrange(files, config, self.site, preview=self.preview)
        self.cards = None
        if self.config.social_cards:
            self.cards = SocialCards(self.settings.root / self.config.cache_dir / "social", config.site_name,
                                     signing_key=self.signing_key)
            self.cards.plan(self.site, config.site_description or "")
        # What each page's template is given, hashed once for the page entries and the preview.
        self.context_prints = incremental.fingerprints(self.site.pages) \
            if self.rendered is not None or self.dirty else {}
        if self.dirty:
            self.dirty_preview.choose_pages_to_render(files, config, self.site, self.context_prints,
                                                      set(self.cards.cards) if self.cards else set())
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        # Every plugin has configured the build: the workers' Markdown settings are checked,
        # and the cards are handed out after the Markdown, which the build needs first.
        if self.parallel is not None:
            self.parallel.settle(config)
        if self.cache is not None and not self.cache.settle(config):
            self.cache = self.conversions.cache = None
        if self.rendered is not None:
            assert self.site is not None
            if self.cache is None or not self.rendered.settle(
                    config, nav, markdown=self.cache.settings, preview=self.preview,
                    unpublished=self.site.graph.unpublished_slugs):
                self.rendered = None
        if self.cards is not None:
            self.cards.start(self.workers)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.site is not None
        self.env = env
        rendered.add_reused_template(env)
        # No compiled templates are kept on disk: Jinja's are marshalled code (SECURITY.md).
        # The dirty preview keeps its own, in memory.
        env = templates.configure(env, self.site, preview=self.preview,
                                  compiled=self.dirty_preview.compiled_templates if self.dirty else None)
        assert self.settings is not None
        self.theme_scripts = None if self.preview else ThemeScripts(env, config, self.settings.allow_html)
        return env

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        self.conversions.offer(page)
        return page

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.sources.source(page)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        self.sources.set_meta(page)
        if page.file.abs_src_path:  # images are sized from the page's own folder
            self.markdown_extension.source_dir = Path(page.file.abs_src_path).parent
        templates.set_page_meta(page, self.site)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        # Facts' values as of the build's day, after the conversion (however it was reused):
        # the page, its feed entry, its search record and its cache key all see them.
        html = page.content = self.site.resolve_facts(html)
        spec = self.site.pages.get(page.file.src_uri)
        # Only the feeds' articles, except in a dirty preview: an article it does not render
        # again may join the feeds after an edit to another.
        slug = spec.context["article"].slug if spec is not None and spec.kind == "article" else None
        if slug is not None and (self.dirty or slug in self.in_feeds):
            self.article_html[slug] = html  # the feeds keep plain images
        if spec is not None and spec.kind == "article":  # after the sanitizer: the figures' markup is ours
            html = figures.with_figures(html, page.url, self.site.figure_images)
        # Charts as of the build's day, after the feeds took the page (they keep the link's text).
        html = self.site.resolve_charts(html)
        if self.rendered is not None:
            self.rendered.plan(page, self.context_prints.get(page.file.src_uri))
        return html

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        assert self.site is not None
        self.dirty_preview.rendered.add(page.url)
        policy = self._policy(context)  # from MkDocs' context, before ours adds the page's data
        own_template = self.rendered.template_of(page) if self.rendered is not None else None
        if own_template is not None:  # a page whose entry was found: MkDocs renders it empty
            assert self.rendered is not None and self.env is not None
            html = self.rendered.take(page)
            if html is None:  # the entry failed to read: rendered here after all
                context = templates.page_context(context, page, config, self.site)
                html = templates.finish_html(self.env.get_template(own_template).render(context), policy=policy)
                self.rendered.put(page, html)
            self.finished[page.file.src_uri] = html
            return context
        if policy is not None:
            self.policies[page.file.src_uri] = policy
        return templates.page_context(context, page, config, self.site)

    def _policy(self, context) -> str | None:
        """The CSP of the page or template MkDocs gave `context` (by its depth); None in the preview."""
        return self.theme_scripts.policy(context) if self.theme_scripts is not None else None

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        policy = self._policy(context) if template_name.endswith(".html") else None
        if policy is not None:
            self.policies[template_name] = policy
        if template_name == "404.html" and self.site is not None:
            return templates.not_found_context(context, self.site)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        html = self.finished.pop(page.file.src_uri, None)
        if html is not None:
            return html
        html = templates.finish_html(output, policy=self._policy_of(page.file.src_uri))
        if self.rendered is not None:
            self.rendered.put(page, html)
        return html

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        return templates.finish_html(output_content, policy=self._policy_of(template_name))

    def _policy_of(self, name: str) -> str | None:
        """The CSP taken from the page's context; should there be none, one that approves
        no inline script (a page without its scripts, rather than with anyone's)."""
        policy = self.policies.pop(name, None)
        if policy is None and self.theme_scripts is not None:
            policy = csp.policy((), self.theme_scripts.frames)
        return policy

    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None
        if self.dirty:
            self.dirty_preview.finish(Path(config.site_dir))
        # From the pages on disk, once a dirty preview has deleted those that are gone: every
        # build's index holds exactly what it serves, and an edit shows in search. Pagefind
        # reads the articles' pages only, so the rest is written while it works.
        indexing = search.start_index(config, self.site, preview=self.preview)
        try:
            self._write_the_rest(config)
        except BaseException:
            if indexing is not None:
                indexing.stop()
            raise
        search.finish_index(indexing, config, preview=self.preview)
        if not self.preview:
            output.write_manifest(config)
        self._stop_workers()

    def _write_the_rest(self, config: MkDocsConfig) -> None:
        """Feeds, robots.txt, /admin/ and cards; what the caches and workers did, said."""
        assert self.site is not None
        output.write_feeds_and_robots(self.site, config, article_html=self.article_html, limit=self.config.feed_limit)
        if not self.preview:  # the editors' CMS: built sites only (`python -m generator cms` serves one)
            assert self.settings is not None
            admin.write_admin(config, self.settings.root, self.config.cms)
        if self.parallel is not None:
            count = self.workers.count
            log.info(f"Markdown of {self.conversions.by_workers} of {self.parallel.pages} articles converted "
                     f"by {count} worker process{'es' if count != 1 else ''}.")
        if self.cache is not None:
            if self.conversions.from_cache:
                log.info(f"Markdown of {self.conversions.from_cache} article"
                         f"{'s' if self.conversions.from_cache != 1 else ''} taken from the build cache.")
            self.cache.finish()
        if self.rendered is not None:
            self.rendered.finish()
        if self.cards is not None:
            self.cards.finish(Path(config.site_dir), self.workers)
        if self.site.lead_images or self.site.figure_images:
            assert self.settings is not None
            LeadImageFiles(self.settings.root / self.config.cache_dir / "media", signing_key=self.signing_key) \
                .write([*self.site.lead_images.values(), *self.site.figure_images.values()],
                       Path(config.docs_dir), Path(config.site_dir))
        self._stop_workers(wait=False)  # they wind down while the build finishes

    @event_priority(-100)  # after every plugin has written what it writes
    def _publish(self, *, config: MkDocsConfig) -> None:
        self.site_folder.publish()

    on_post_build = CombinedEvent(_on_post_build, _publish)

    @event_priority(-100)  # last, as it may end the build with a one-line error
    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()
        if self.cards is not None:
            self.cards.discard()
        self.site_folder.abandon(error)

    def on_shutdown(self) -> None:
        self.site_folder.abandon()  # a build stopped by Ctrl-C, which on_build_error never hears of
