"""The build cache's second half: each page's finished HTML, kept between builds.

A page's entry is found by a key made of everything its template is given: the page
itself as converted (its HTML, table of contents, title, front matter, addresses, its
`ifg` data as `incremental.fingerprints` hashes it), the nav, `mkdocs.yml` (every setting
and each plugin's options), the data files, the theme's own files, the generator's code
and the versions of what renders (Jinja, MkDocs, Material...). A page whose key has an
entry is not rendered: MkDocs is handed the HTML the entry holds. Anything else about
the site that changed changes the key, so a stale entry can only be missed, never shown.

Entries are files `<key>.html` under `<cache_dir>/build/pages/`, each starting with a
line of its key and a MAC of key and HTML by this machine's cache key (`trust.py`,
SECURITY.md): one that is truncated, corrupt, unreadable or not signed by that key is
rendered again (said once, in one info line). A reused entry is the page a reader gets,
so nothing else about it is taken on trust. A build removes the entries it did not
use, so the folder holds one build's pages at most.

MkDocs has no event that skips a page's template. A page with an entry is given a
template of one line that prints nothing (`REUSED_TEMPLATE`) and the entry replaces that
output; should the entry fail to read by then, the page's own template renders it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from babel.core import Locale
from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from ..content import reader
from . import internals, trust
from .cache import tidy, versions, write_entry

log = logging.getLogger("mkdocs.plugins.field_guide")

FOLDER = "pages"  # under the build cache's folder
REUSED_TEMPLATE = "field-guide/reused.html"
# What renders a page besides what converts its Markdown (cache.DISTRIBUTIONS).
DISTRIBUTIONS = ("jinja2", "markupsafe", "babel", "pyyaml")
# Settings no template reads, or hashed otherwise: where the site is written, the file
# read, what `serve` watches; the Markdown settings are in `cache.settings_key`.
UNREAD_SETTINGS = {"site_dir", "config_file_path", "watch", "dev_addr", "markdown_extensions", "mdx_configs",
                   "plugins", "theme", "nav", "hooks"}


class Unhashable(TypeError):
    pass


def _encode(value: Any) -> Any:
    """`json.dumps`'s `default`: the values templates are given, as plain data."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Locale):  # the theme's language
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if hasattr(value, "items") and callable(value.items):  # MkDocs' Config objects
        return dict(value.items())
    raise Unhashable(f"cannot hash a {type(value).__name__}")


def digest(data: Any) -> str:
    text = json.dumps(data, default=_encode, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _bytes_digest(text: str) -> str:
    """A page's HTML, hashed as bytes: faster than escaping it for JSON."""
    return hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=20).hexdigest()


def _files_digest(folder: Path) -> list[tuple[str, str]]:
    return [(path.relative_to(folder).as_posix(), hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
            for path in sorted(folder.rglob("*")) if path.is_file() and "__pycache__" not in path.parts]


def _nav(items: Any) -> list[Any]:
    """The nav as every page's template sees it: kind, title, address, children."""
    return [[type(item).__name__, str(item.title or ""), getattr(item, "url", None),
             _nav(item.children) if getattr(item, "children", None) else []] for item in items]


def shared_key(config: MkDocsConfig, nav: Any, *, markdown: str, preview: bool,
               unpublished: set[str]) -> str | None:
    """What every page is rendered with; None if a setting cannot be hashed.
    `markdown`: `cache.settings_key`, the Markdown settings (templates read them too: the
    table of contents' title) and the generator's version. `unpublished`: the slugs the
    preview marks as drafts or scheduled wherever they are linked."""
    theme = config.theme
    try:
        return digest({
            "markdown": markdown,
            "versions": versions(DISTRIBUTIONS),
            "preview": preview,
            "unpublished": sorted(unpublished) if preview else [],
            "settings": {key: value for key, value in config.items() if key not in UNREAD_SETTINGS},
            "plugins": {name: dict(plugin.config.items()) for name, plugin in config.plugins.items()},
            "theme": {"name": theme.name, "dirs": theme.dirs, "settings": dict(theme.items()),
                      "own": _files_digest(Path(theme.custom_dir)) if theme.custom_dir else []},
            "data": _files_digest(Path(config.docs_dir) / reader.DATA_DIR),
            "nav": _nav(nav.items),
        })
    except (Unhashable, TypeError, ValueError, OSError):
        return None


def page_key(shared: str, page: Page, context_print: str | None) -> str | None:
    """Everything `page`'s template is given, once its Markdown is converted."""
    def neighbour(other: Page | None) -> Any:
        return None if other is None else [other.url, str(other.title or "")]
    try:
        return digest([
            shared, page.file.src_uri, page.file.dest_uri, page.url, page.canonical_url, page.abs_url,
            page.edit_url, page.update_date, page.is_homepage, str(page.file.inclusion), str(page.title or ""), page.meta,
            _bytes_digest(page.content or ""), internals.toc_items(page.toc), neighbour(page.previous_page), neighbour(page.next_page),
            [str(section.title or "") for section in page.ancestors], context_print,
        ])
    except (Unhashable, TypeError, ValueError):
        return None


def add_reused_template(env: Environment) -> None:
    """The template a reused page gets: it prints nothing (the entry replaces it)."""
    env.loader = ChoiceLoader([DictLoader({REUSED_TEMPLATE: ""}), *([env.loader] if env.loader else [])])


class RenderedPages:
    """This build's view of the page entries: what it keys, reuses and writes."""

    def __init__(self, folder: Path, *, signing_key: bytes) -> None:
        self.folder = folder
        self.signing_key = signing_key  # trust.cache_key: what every entry is signed with
        self.shared: str | None = None
        self.keys: dict[str, str] = {}  # by src_uri: this build's key of each page rendered or reused
        self.planned: dict[str, str] = {}  # by src_uri: the original template of a page to reuse
        self.reused = 0
        self.unreadable = 0
        self.broken: str | None = None

    def settle(self, config: MkDocsConfig, nav: Any, *, markdown: str, preview: bool,
               unpublished: set[str]) -> bool:
        """Once the nav is made: the key every page shares. False if it cannot be hashed."""
        self.shared = shared_key(config, nav, markdown=markdown, preview=preview, unpublished=unpublished)
        if self.shared is None:
            log.info("Build cache: a setting cannot be hashed, so every page is rendered.")
        return self.shared is not None

    def plan(self, page: Page, context_print: str | None) -> None:
        """Once `page` is converted: key it, and if an entry is there, give it the empty
        template (`take` then hands over the entry)."""
        # MkDocs marks an excluded page's content as a draft after this: rendered each time.
        if self.shared is None or self.broken or page.file.inclusion.is_excluded():
            return
        key = page_key(self.shared, page, context_print)
        if key is None:
            return
        self.keys[page.file.src_uri] = key
        if (self.folder / f"{key}.html").is_file():
            self.planned[page.file.src_uri] = page.meta.get("template") or "main.html"
            page.meta["template"] = REUSED_TEMPLATE

    def template_of(self, page: Page) -> str | None:
        """The page's own template, if it was given the empty one."""
        return self.planned.get(page.file.src_uri)

    def take(self, page: Page) -> str | None:
        """The finished HTML of a planned page, or None (then it is rendered after all)."""
        key = self.keys.get(page.file.src_uri)
        if key is None or page.file.src_uri not in self.planned:
            return None
        try:
            data = (self.folder / f"{key}.html").read_bytes()
        except OSError:
            self.unreadable += 1
            return None
        header, newline, payload = data.partition(b"\n")
        named, _, claimed = header.partition(b" ")
        if not newline or named != key.encode() or \
                not trust.signed(self.signing_key, key, payload, claimed.decode("ascii", errors="replace")):
            self.unreadable += 1
            return None
        try:
            html = payload.decode("utf-8")
        except UnicodeDecodeError:
            self.unreadable += 1
            return None
        self.reused += 1
        return html

    def put(self, page: Page, html: str) -> None:
        key = self.keys.get(page.file.src_uri)
        if key is None or self.broken:
            return
        payload = html.encode("utf-8", errors="xmlcharrefreplace")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_entry(self.folder / f"{key}.html",
                        f"{key} {trust.mac(self.signing_key, key, payload)}\n".encode() + payload)
        except OSError as error:
            self.broken = error.strerror or str(error)

    def finish(self) -> None:
        """After a build: say what was reused or wrong, remove the entries not used."""
        if self.reused:
            log.info(f"{self.reused} page{'s' if self.reused != 1 else ''} taken from the build cache unchanged.")
        if self.unreadable:
            log.info(f"Build cache: {self.unreadable} unreadable page entr{'ies' if self.unreadable != 1 else 'y'} "
                     f"ignored, those pages rendered again.")
        if self.broken:
            log.info(f"Build cache: could not write to {self.folder} ({self.broken}); the next build renders "
                     "those pages again.")
        tidied = tidy(self.folder, {f"{key}.html" for key in self.keys.values()})
        if tidied is not None:
            log.debug(f"Build cache: {tidied[0]:,} pages, {tidied[1] / 1_000_000:.1f} MB in {self.folder}.")
