"""The scripts the theme writes, found by rendering it without content: what each page's
Content-Security-Policy approves (generator/site/csp.py makes the policy).

Material writes a few small inline scripts, and one of them names the site's base
(`__md_scope=new URL("../..",location)`): it differs with a page's depth, and on the 404
page, whose addresses are absolute. So the theme is rendered through the build's own
Jinja environment, with nothing from content: no page, an empty nav, no `ifg` or `seo`,
and every template's `content` block emptied; and with a mark in place of `base_url`
(what MkDocs gives a template for the page's depth), which each depth's scripts then
name instead: one render serves every depth, where one render per depth took a few
percent of a build. A `base_url` that HTML escaping would change gets a render of its
own. Every page template (`main.html`,
`layouts/*.html`, the static templates such as 404.html) is rendered that way (one that
only fills the `content` block of another is that other, rendered once), and the policy
of a depth approves the inline scripts of them all: two pages at the same depth get the
same policy. `mkdocs.yml` is read as the theme reads it (it is trusted as code:
it can run hooks and plugins).

What this cannot know is a script whose text depends on the page itself (its title, its
address beyond the depth, anything inside a `content` block): it is not approved, so
the browser does not run it. None of ours or Material's does, and the build tests check
that every inline script of every page is approved; a template that needs one should
load it from a file under theme/assets/ instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateError, nodes
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ..content.policy import Allowance
from ..site import csp, pages
from . import internals

MAIN = "main.html"
LAYOUTS = "layouts/"
# The part of MkDocs' template context that is about the site, not about one page:
# copied from a page's context into the render without content.
SITE_CONTEXT = ("base_url", "config", "mkdocs_version", "build_date_utc", "extra_css", "extra_javascript")
CONTENT_BLOCK = "content"
# Stands for `base_url` in the one render: nothing in it for a filter to escape or resolve.
BASE_URL_MARK = "ifg-base-url-b1e5d0c3"
_SKELETON = '{%% extends %r %%}{%% block ' + CONTENT_BLOCK + ' %%}{%% endblock %%}'


def page_templates(env: Environment, config: MkDocsConfig) -> list[str]:
    """Every template a page of ours is rendered with, and the static HTML templates."""
    # From the theme's folders, not `env.list_templates()`, which walks Material's icons too.
    layouts = sorted({f"{LAYOUTS}{path.name}" for folder in config.theme.dirs
                      for path in (Path(folder) / LAYOUTS).glob("*.html") if path.is_file()})
    static = sorted(name for name in config.theme.static_templates if name.endswith(".html"))
    return list(dict.fromkeys([MAIN, *layouts, *static]))


def _parent_if_it_only_fills_content(env: Environment, name: str) -> str | None:
    """The template `name` extends, when all it does besides is import macros and fill the
    `content` block (as most of our layouts do): then rendered without content it is its
    parent rendered without content, and need not be rendered again. Else None."""
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        tree = env.parse(source, name, filename)
    except (TemplateError, AttributeError):
        return None
    parent = None
    for node in tree.body:
        if isinstance(node, nodes.Extends) and isinstance(node.template, nodes.Const) and parent is None:
            parent = node.template.value
        elif isinstance(node, nodes.Block) and node.name == CONTENT_BLOCK:
            continue
        elif isinstance(node, (nodes.Import, nodes.FromImport)):
            continue
        elif isinstance(node, nodes.Output) and all(
                isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes):
            continue
        else:
            return None
    return parent if isinstance(parent, str) else None


def distinct_skeletons(env: Environment, names: Iterable[str]) -> list[str]:
    """Of `names`, those whose rendering without content may differ, `main.html` first."""
    distinct = []
    for name in names:
        seen = set()
        while name != MAIN and name not in seen:
            seen.add(name)
            parent = _parent_if_it_only_fills_content(env, name)
            if parent is None:
                break
            name = parent
        distinct.append(name)
    return list(dict.fromkeys(distinct))


class ThemeScripts:
    """The hashes of the theme's inline scripts at each `base_url`, rendered once each."""

    def __init__(self, env: Environment, config: MkDocsConfig, allow_html: Iterable[Allowance]) -> None:
        self.env = env
        self.templates = page_templates(env, config)
        # Only the distinct ones are rendered; `main.html` first, so hashes keep its order.
        self.rendered = distinct_skeletons(env, self.templates)
        self.frames = csp.frame_sources(allow_html)
        self._skeletons: dict[str, Template] = {}
        self._policies: dict[str, str] = {}
        self._marked: list[str] | None = None  # the scripts rendered with BASE_URL_MARK

    def policy(self, context: Mapping[str, Any]) -> str:
        """The policy of a page or template MkDocs gave `context`: that of its `base_url`."""
        base_url = context["base_url"]
        found = self._policies.get(base_url)
        if found is None:
            found = self._policies[base_url] = csp.policy(self.hashes(context), self.frames)
        return found

    def hashes(self, context: Mapping[str, Any]) -> list[str]:
        """The theme's inline scripts at `context`'s depth, from the site's settings alone."""
        base_url = context["base_url"]
        if not isinstance(base_url, str) or escape(base_url) != base_url or BASE_URL_MARK in base_url:
            texts = self._scripts(context)
        else:
            if self._marked is None:
                self._marked = self._scripts({**context, "base_url": BASE_URL_MARK})
            texts = [text.replace(BASE_URL_MARK, base_url) for text in self._marked]
        return list(dict.fromkeys(csp.script_hash(text) for text in texts))

    def _scripts(self, context: Mapping[str, Any]) -> list[str]:
        neutral = {key: context[key] for key in SITE_CONTEXT if key in context}
        texts: list[str] = []
        for name in self.rendered:
            try:
                html = self._skeleton(name).render({
                    **neutral, "page": None, "nav": internals.empty_nav(), "pages": [], "urls": pages.Urls})
            except Exception as error:  # a theme bug: say which template, not a traceback
                raise PluginError(
                    f"theme: {name} cannot be rendered without a page's content, which the build does to "
                    f"find the scripts the theme writes (Content-Security-Policy): {type(error).__name__}: "
                    f"{error}") from None
            texts.extend(csp.inline_scripts(html))
        return texts

    def _skeleton(self, name: str) -> Template:
        """`name` with its `content` block empty: where a page's content goes, and nothing else."""
        template = self._skeletons.get(name)
        if template is None:
            template = self._skeletons[name] = self.env.from_string(_SKELETON % name)
        return template
