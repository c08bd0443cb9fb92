"""What each page's template is given (its template, title, data, SEO meta), the Jinja
environment's settings, and the finishing of each rendered page (HTML repairs, CSP)."""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from ..content import regions
from ..content.models import ArticleMeta
from ..site import csp, feeds, htmlfix, pages, seo
from ..site.pipeline import PreparedSite
from .output import site_url


# Rendered once per build besides the pages: sitemap.xml is an index that names this file
# (theme/sitemap.xml says why).
STATIC_TEMPLATES = ("sitemap-pages.xml",)


def add_static_templates(config: MkDocsConfig) -> None:
    config.theme.static_templates.update(STATIC_TEMPLATES)


def set_page_meta(page: Page, prepared: PreparedSite) -> None:
    """Before the page's Markdown is converted: its metadata as validated, its template,
    title and description."""
    src_uri = page.file.src_uri
    # Only what the pipeline validated reaches Material's templates, whatever MkDocs read
    # from the file: a page's fields as PageMeta holds them; an article's, among its
    # model's fields; a generated page's, none.
    source = prepared.content.pages.get(src_uri)
    if source is not None:
        page.meta = source.meta.model_dump(exclude_none=True, exclude_defaults=True)
    else:
        allowed = set(ArticleMeta.model_fields) if src_uri in prepared.content.article_sources else set()
        page.meta = {key: value for key, value in page.meta.items() if key in allowed}
    spec = prepared.pages.get(src_uri)
    if spec is not None:
        page.meta["template"] = spec.template
        page.meta["title"] = spec.title
        page.meta["description"] = spec.description
        if not spec.indexed:
            page.meta["robots"] = "noindex"
    # The sitemap's lastmod: the page's real last change, or none (never the build time).
    if prepared.has_dates:
        page.update_date = spec.modified.isoformat() if spec is not None and spec.modified else ""
    # Material prints page.meta into HTML without escaping it (the title, the description,
    # the subtitle...): escaped Markup prints the same in its templates and in our
    # autoescaped ones.
    page.meta = {key: _escaped(value) for key, value in page.meta.items()}


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def page_context(context, page: Page, config: MkDocsConfig, prepared: PreparedSite):
    spec = prepared.pages.get(page.file.src_uri)
    context["urls"] = pages.Urls
    if spec is not None:
        context["ifg"] = spec.context
    context["seo"] = seo.page_meta(
        site_url=site_url(config), site_name=config.site_name, url=page.url,
        title=spec.title if spec else _plain(page.title),
        description=spec.description if spec and spec.description
        else _plain(page.meta.get("description") or config.site_description or ""),
        spec=spec, authors=prepared.content.authors, is_home=page.is_homepage,
    )
    return context


def not_found_context(context, prepared: PreparedSite):
    """The 404 page is a static template: it gets the latest articles to offer instead."""
    context["urls"] = pages.Urls
    context["ifg"] = {"latest": prepared.graph.published[:pages.HOME_LATEST]}
    return context


def configure(env: Environment, prepared: PreparedSite, *, preview: bool,
              compiled: BytecodeCache | None) -> Environment:
    # Autoescaping for our templates: everything from YAML and front matter is escaped
    # unless it is Markdown we rendered.
    env.autoescape = pages.autoescape
    if compiled is not None:
        env.bytecode_cache = compiled
    env.filters["long_date"] = pages.long_date
    env.filters["region_names"] = regions.region_names
    benefit_ids = [benefit.id for benefit in prepared.graph.benefits]
    env.filters["band"] = lambda article: pages.band(article, benefit_ids)
    # Non-empty only in a preview, where drafts and scheduled articles are listed.
    env.globals["unpublished_slugs"] = prepared.graph.unpublished_slugs if preview else set()
    env.globals["feeds"] = [(feeds.FEED_TYPES[kind], file) for kind, file in feeds.FEED_FILES.items()]
    # The footer and the home page link to about.md's sections only where there is one.
    env.globals["about_page"] = "about.md" in prepared.content.pages
    env.globals["feed_links"] = [(feeds.FEED_LABELS[kind], feeds.FEED_TYPES[kind], file)
                                 for kind, file in feeds.FEED_FILES.items()]
    return env


def finish_html(html: str, *, policy: str | None) -> str:
    """`policy`: the page's Content-Security-Policy (theme_scripts.py), or None in the
    preview, where MkDocs' live reload injects an inline script of its own."""
    html = htmlfix.repair(html)
    return html if policy is None else csp.with_policy(html, policy)


def _plain(text) -> str:
    """Text as written: page titles are kept escaped (Markup) for Material's templates."""
    return text.unescape() if isinstance(text, Markup) else str(text or "")
