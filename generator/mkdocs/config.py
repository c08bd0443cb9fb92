"""The plugin's options, and everything the pipeline takes from `mkdocs.yml`, read once.

The build reads `mkdocs.yml` through MkDocs as it starts; `python -m generator check`
reads it with the same `load_config`, so both hand `pipeline.prepare` the same settings
(options validated by the same schema, Markdown extensions resolved by MkDocs, the
theme's icon folders) and report the same problems.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from ..content import policy
from ..content.errors import ContentError
from ..markdown import mdext
from ..markdown.settings import MarkdownSettings
from ..site import pipeline
from ..site.pages import ARTICLES_PER_PAGE
from . import search

PLUGIN_NAME = "field-guide"
# Set (to 1) only by the steps that build what is deployed; never inferred from CI, which
# every test run has. A deploy build's site_url must be the site's real address.
DEPLOY_VARIABLE = "FIELD_GUIDE_DEPLOY"
# Hosts a site_url has only by mistake in a deploy build: the examples' and this machine's.
NOT_DEPLOYED_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


class _SrcPrefix(c.Type):
    """An https:// address in its normal form, ending at a path segment's end, so that a
    `src` cannot match it and load something else (policy.normalized_url)."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        problem = policy.prefix_problem(value)
        if problem is not None:
            raise c.ValidationError(problem)
        return value


class AllowHtml(base.Config):
    # An embed is the one element the sanitizer can keep for an allowance.
    element = c.Choice(["iframe"])
    src_prefix = _SrcPrefix()


class _Matching(c.Type):
    """Text that fully matches `pattern`, said as `what` when it does not."""

    def __init__(self, pattern: str, what: str, **kwargs) -> None:
        super().__init__(str, **kwargs)
        self.pattern, self.what = re.compile(pattern), what

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if not self.pattern.fullmatch(value):
            raise c.ValidationError(f"must be {self.what} (got {value!r})")
        return value


class CmsConfig(base.Config):
    # The GitHub repository Decap CMS on /admin/ edits ("owner/name"), and its branch.
    repo = _Matching(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", "a GitHub repository, owner/name",
                     default="internship-field-guide/internship-field-guide")
    branch = _Matching(r"[A-Za-z0-9._/-]+", "a branch name", default="main")
    # The OAuth proxy editors sign in to GitHub through (CONTRIBUTING.md, Editing in the
    # browser); unset, Decap's default (Netlify's), which a GitHub Pages site cannot use.
    # Editors hand it their GitHub sign-in: an https:// address, nothing else.
    auth_url = c.Optional(_Matching(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?",
                                    "an https:// address, such as https://decap-proxy.example.workers.dev"))


class FieldGuideConfig(base.Config):
    per_page = c.Type(int, default=ARTICLES_PER_PAGE)
    # Raw HTML forms that content may use although the policy forbids them in general,
    # e.g. `{element: iframe, src_prefix: "https://www.youtube-nocookie.com/embed/"}`.
    allow_html = c.ListOfItems(c.SubConfig(AllowHtml), default=[])
    # Social preview images, drawn once per distinct article card and cached here.
    social_cards = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache")
    # Articles' converted Markdown (cache.py) and pages' HTML (rendered.py) kept in
    # cache_dir between builds; false, or FIELD_GUIDE_CACHE=off in the environment,
    # converts and renders everything.
    build_cache = c.Type(bool, default=True)
    feed_limit = c.Type(int, default=20)
    # Worker processes that convert articles' Markdown and draw social cards while the
    # build renders pages. Unset: one per core but the build's own, on sites of
    # parallel.MIN_ARTICLES articles or more. 0: everything in the build's own process.
    workers = c.Optional(c.Type(int))
    # Decap CMS on /admin/ (admin.py).
    cms = c.SubConfig(CmsConfig)


@dataclass(frozen=True)
class Settings:
    """What the pipeline is given from `mkdocs.yml`."""

    root: Path  # the folder of mkdocs.yml
    docs_dir: str
    site_description: str
    icon_dirs: list[Path]
    allow_html: list[policy.Allowance]
    per_page: int
    # `markdown_extensions` as MkDocs resolved it (`!!python/name:` tags imported, its
    # built-in toc, tables and fenced_code first), and each extension's settings.
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)

    def icon_exists(self, name: str) -> bool:
        return any((folder / f"{name}.svg").is_file() for folder in self.icon_dirs)


def settings_of(config: MkDocsConfig, options: FieldGuideConfig) -> Settings:
    allow_html = tuple(policy.Allowance(a.element, a.src_prefix) for a in options.allow_html)
    return Settings(
        root=Path(config.config_file_path).resolve().parent,
        docs_dir=config.docs_dir,
        site_description=config.site_description or "",
        icon_dirs=[Path(folder) / ".icons" for folder in config.theme.dirs],
        allow_html=list(allow_html),
        per_page=options.per_page,
        # With the extension the plugin adds to the build's (its sanitizer above all), so
        # that `check` converts as the build does.
        markdown=MarkdownSettings([*config.markdown_extensions, mdext.SafeLinksExtension(allow_html=allow_html)],
                                  {name: dict(settings) for name, settings in (config.mdx_configs or {}).items()}),
    )


def prepare(settings: Settings, *, today, preview: bool = False) -> pipeline.PreparedSite:
    """The one call into the pipeline, for the build and for `check`."""
    return pipeline.prepare(
        settings.root, settings.docs_dir, today=today, preview=preview, icon_exists=settings.icon_exists,
        site_description=settings.site_description, allow_html=settings.allow_html, per_page=settings.per_page,
        markdown=settings.markdown,
    )


class InvalidConfig(Exception):
    """mkdocs.yml cannot be used; `problems` says where and why."""

    def __init__(self, problems: list[ContentError]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []  # (level, message)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))

    def about_settings(self, *, errors: bool) -> list[str]:
        return [message for level, message in self.messages
                if message.startswith("Config value") and (level >= logging.ERROR) == errors]


def load(root: Path) -> tuple[MkDocsConfig, Settings, list[ContentError]]:
    """Read `root/mkdocs.yml` as `mkdocs build` does (for `check`, which builds nothing):
    the configuration, the pipeline's settings, and what MkDocs warns about (which fails
    a strict build).

    MkDocs logs each problem it finds and raises a summary: both are turned into
    `mkdocs.yml:line:col: key: message` problems.
    """
    path = root / "mkdocs.yml"
    logger = logging.getLogger("mkdocs")
    captured = _Messages()
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers[:], logger.propagate = [captured], False
    try:
        config = load_config(config_file=str(path))
    except (MkDocsException, yaml.YAMLError) as error:
        messages = captured.about_settings(errors=True) or [str(error)]
        raise InvalidConfig([_place(path, message) for message in messages]) from None
    finally:
        logger.handlers[:], logger.propagate = handlers, propagate
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise InvalidConfig([_place(path, f"Config value 'plugins': {PLUGIN_NAME!r} is not in the list")])
    if (problem := search.plugins_problem(config)) is not None:
        raise InvalidConfig([_place(path, f"Config value 'plugins': {problem}")])
    if (problem := site_url_problem(config)) is not None:
        raise InvalidConfig([problem])
    warnings = [_place(path, message) for message in captured.about_settings(errors=False)]
    return config, settings_of(config, plugin.config), warnings


def site_url_problem(config: MkDocsConfig, environ: Mapping[str, str] = os.environ) -> ContentError | None:
    """In a deploy build (DEPLOY_VARIABLE set), a site_url that is not a real address:
    canonical links, the sitemap, the feeds and the social images would all point there."""
    if environ.get(DEPLOY_VARIABLE, "").strip().lower() not in ("1", "true", "yes"):
        return None
    url = config.site_url or ""
    host = (urlsplit(url).hostname or "").lower()
    if host and host not in NOT_DEPLOYED_HOSTS and host.split(".")[-2:-1] != ["example"] \
            and not host.endswith(".localhost"):
        return None
    problem = _place(Path(config.config_file_path), f"Config value 'site_url': {url or '(none)'!r} is not where "
                     f"the site is published, and this is a deploy build ({DEPLOY_VARIABLE}=1): set the "
                     "environment variable SITE_URL to the site's address (GitHub Pages: actions/configure-pages' "
                     "base_url)")
    return dataclasses.replace(problem, code="deploy-site-url")


def _place(path: Path, message: str) -> ContentError:
    """MkDocs names the top-level key (`Config value 'plugins': ...`): point at its line.
    A YAML error is pointed at where YAML noticed it. Each problem on one line."""
    message = " ".join(part.strip() for part in message.splitlines())
    key = message.split("'")[1] if message.startswith("Config value '") else ""
    line, column = 1, 1
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        document = None
    if isinstance(document, yaml.MappingNode):
        for key_node, _ in document.value:
            if key_node.value == key:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return ContentError(path.name, line, column, key or "(file)",
                        message.removeprefix(f"Config value '{key}': ") if key else message, "mkdocs-config")

