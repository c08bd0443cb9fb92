"""The MkDocs adapter: the only module that imports `mkdocs`.

It wires MkDocs events to the plain-Python phases: load and validate `content/`,
build the site graph, derive the pages, and hand each page its template and data.
"""

from __future__ import annotations

import datetime as dt
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

from .content import DATA_DIR, load_content
from .errors import ContentError, ContentErrors
from .graph import SiteGraph, build_graph
from .pages import ARTICLES_PER_PAGE, PageSpec, Urls, autoescape, derive_pages, long_date


class FieldGuideConfig(base.Config):
    per_page = c.Type(int, default=ARTICLES_PER_PAGE)


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


class FieldGuidePlugin(BasePlugin[FieldGuideConfig]):
    def __init__(self) -> None:
        self.graph: SiteGraph | None = None
        self.pages: dict[str, PageSpec] = {}
        self.root = Path.cwd()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate everything before MkDocs cleans site/, so a failed build leaves the
        # previous site as it was.
        self.root = Path(config.config_file_path).resolve().parent
        docs_dir = Path(config.docs_dir).resolve()
        icon_dirs = [Path(d) / ".icons" for d in config.theme.dirs]

        def icon_exists(name: str) -> bool:
            return any((d / f"{name}.svg").is_file() for d in icon_dirs)

        try:
            content = load_content(self.root, docs_dir, icon_exists=icon_exists)
        except ContentErrors as invalid:
            raise PluginError(str(invalid)) from None
        self.graph = build_graph(content, today=build_date())
        self.pages = derive_pages(
            self.graph,
            site_description=config.site_description or "",
            has_home_source=(docs_dir / "index.md").is_file(),
            per_page=self.config.per_page,
        )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.graph is not None
        hidden = {article.src_uri for article in self.graph.unpublished}
        for file in list(files):
            # Data is read by the generator, not published; unpublished articles stay out.
            if file.src_uri.startswith(f"{DATA_DIR}/") or file.src_uri in hidden:
                files.remove(file)

        # Pages outside `nav` are expected (articles, tags...): no notice for each of them.
        in_nav = set(_nav_paths(config.nav or []))
        for article in self.graph.articles:
            file = files.get_file_from_path(article.src_uri)
            if file is not None and article.src_uri not in in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV

        clashes = []
        for spec in self.pages.values():
            existing = files.get_file_from_path(spec.src_uri)
            if spec.generated and existing is not None:
                path = Path(config.docs_dir, spec.src_uri).resolve()
                clashes.append(ContentError(
                    path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path),
                    1, 1, "(file)",
                    f"takes the URL /{spec.src_uri.removesuffix('index.md')} that the generated "
                    f"page {spec.title!r} needs: move or rename the file",
                ))
            elif spec.generated:
                inclusion = InclusionLevel.UNDEFINED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, spec.src_uri, content="", inclusion=inclusion))
        if clashes:
            raise PluginError(str(ContentErrors(clashes)))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.autoescape = autoescape
        env.filters["long_date"] = long_date
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            page.meta["title"] = spec.title
            page.meta["description"] = spec.description
        # Material prints the title and description into HTML without escaping them:
        # escaped Markup prints the same in its templates and in our autoescaped ones.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        return markdown

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        spec = self.pages.get(page.file.src_uri)
        context["urls"] = Urls
        if spec is not None:
            context["ifg"] = spec.context
        return context


def _nav_paths(nav) -> list[str]:
    """Every page path named in the `nav` setting, at any depth."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []
