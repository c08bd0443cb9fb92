"""The MkDocs adapter: the only module that imports `mkdocs`.

It wires MkDocs events to the plain-Python pipeline (`site.prepare`: load and validate
`content/`, build the site graph, derive the pages, lint) and hands each page its
template and data.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

import multiprocessing
import shutil
from concurrent.futures import Future, ProcessPoolExecutor

from markupsafe import Markup

from . import (content, csp, errors, feeds, graph, htmlfix, lint, manifest, markup, mdext, models, pages, policy,
               seo, site, social, yamlsource)
from .pages import ARTICLES_PER_PAGE

# The plain-Python pipeline, in import order. `mkdocs serve` reloads it before each
# rebuild, so an edit to the generator shows in the preview like an edit to content.
PIPELINE = (errors, yamlsource, models, policy, mdext, markup, content, graph, pages, lint, site, csp, seo,
            feeds, social, htmlfix)

log = logging.getLogger("mkdocs.plugins.field_guide")
# Listings of articles repeat what the articles say: in search they only crowd the results.
NOT_SEARCHED = {"articles", "tags", "tag", "authors", "author"}
CARDS_WORTH_A_PROCESS = 24  # fewer cards to draw than this: draw them in the build's own process


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


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


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
        self.article_html: dict[str, str] = {}  # rendered bodies, for the feeds
        self.cards: dict[str, tuple[str, str]] = {}  # site path -> (title, subtitle)
        self.card_pool: ProcessPoolExecutor | None = None
        self.card_jobs: list[Future] = []
        self.markdown_extension = mdext.SafeLinksExtension()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` previews drafts and scheduled articles; `build` never publishes them.
        self.preview = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate everything before MkDocs cleans site/, so a failed build leaves the
        # previous site as it was.
        self.root = Path(config.config_file_path).resolve().parent
        self.article_html = {}
        icon_dirs = [Path(d) / ".icons" for d in config.theme.dirs]

        def icon_exists(name: str) -> bool:
            return any((d / f"{name}.svg").is_file() for d in icon_dirs)

        if self.preview:
            for module in PIPELINE:
                importlib.reload(module)
        try:
            self.site = site.prepare(
                self.root, config.docs_dir, today=build_date(), preview=self.preview,
                icon_exists=icon_exists, site_description=config.site_description or "",
                allow_html=[policy.Allowance(a.element, a.src_prefix) for a in self.config.allow_html],
                per_page=self.config.per_page,
            )
        except errors.ContentErrors as invalid:
            raise _fail(invalid) from None
        # Warnings fail `mkdocs build --strict`, as they fail `check --strict`.
        for warning in self.site.warnings:
            log.warning(str(warning))
        self.markdown_extension = mdext.SafeLinksExtension()
        config.markdown_extensions.append(self.markdown_extension)
        # The live preview also rebuilds when the theme or the generator itself changes
        # (MkDocs watches only content/ and mkdocs.yml unless told).
        if self.preview:
            for folder in (config.theme.custom_dir, str(Path(__file__).parent)):
                if folder and folder not in config.watch:
                    config.watch.append(folder)
        return config

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
            files.append(File.generated(config, spec.src_uri, content="", inclusion=inclusion))
        if clashes:
            raise _fail(errors.ContentErrors(clashes))
        if self.config.social_cards:
            self._start_social_cards(config)
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.site is not None
        env.autoescape = pages.autoescape
        env.filters["long_date"] = pages.long_date
        # Non-empty only in a preview, where drafts and scheduled articles are listed.
        env.globals["unpublished_slugs"] = self.site.graph.unpublished_slugs if self.preview else set()
        env.globals["feeds"] = [(feeds.FEED_TYPES[kind], file) for kind, file in feeds.FEED_FILES.items()]
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        spec = self.site.pages.get(page.file.src_uri)
        if spec is not None and spec.kind == "article":
            self.article_html[spec.context["article"].slug] = html
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

    def on_post_build(self, *, config: MkDocsConfig) -> None:
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
        if self.config.social_cards:
            self._finish_social_cards(config, site_dir)
        # Last: a hash of every file, so CI can list the pages a pull request changes.
        if not self.preview:
            manifest.write_manifest(site_dir)

    def _start_social_cards(self, config: MkDocsConfig) -> None:
        """Draw the cards the cache lacks in worker processes, while MkDocs renders the pages.

        Drawing is most of the work of a cold build; a build renders on one core, so the
        cards are drawn on the others and the build only waits for them at the end.
        """
        assert self.site is not None
        authors = self.site.content.authors
        self.cards = {seo.SITE_CARD: (config.site_name, config.site_description or "")}
        for article in self.site.graph.published:
            byline = " · ".join(authors[a].name for a in article.meta.authors)
            self.cards[seo.card_path(article)] = (article.meta.title,
                                                  f"{byline} · {article.reading_minutes} min read")
        cache = self.root / self.config.cache_dir / "social"
        missing = [(title, subtitle, config.site_name) for title, subtitle in self.cards.values()
                   if not (cache / f"{social.card_key(title=title, subtitle=subtitle, site_name=config.site_name)}.png")
                   .is_file()]
        self.card_jobs = []
        if len(missing) < CARDS_WORTH_A_PROCESS:
            return  # drawn in on_post_build, faster than starting a process
        workers = max(1, (os.cpu_count() or 2) - 1)
        self.card_pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        chunk = max(1, len(missing) // (workers * 4))
        self.card_jobs = [self.card_pool.submit(social.draw_cards, missing[start:start + chunk], cache)
                          for start in range(0, len(missing), chunk)]

    def _finish_social_cards(self, config: MkDocsConfig, site_dir: Path) -> None:
        cache = self.root / self.config.cache_dir / "social"
        try:
            for job in self.card_jobs:
                job.result()
        finally:
            self._stop_card_pool()
        (site_dir / seo.SOCIAL_DIR).mkdir(parents=True, exist_ok=True)
        for target, (title, subtitle) in self.cards.items():
            card = social.social_card(title=title, subtitle=subtitle, site_name=config.site_name, cache_dir=cache)
            _link_or_copy(card, site_dir / target)

    def _stop_card_pool(self) -> None:
        if self.card_pool is not None:
            self.card_pool.shutdown(cancel_futures=True)
            self.card_pool = None
        self.card_jobs = []

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_card_pool()

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


def _nav_paths(nav) -> list[str]:
    """Every page path named in the `nav` setting, at any depth."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []
