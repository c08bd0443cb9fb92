"""The build cache: each article's converted Markdown, kept between builds.

An entry is found by a key made of everything that decides the article's HTML before
the site around it is known: its source file (front matter and Markdown), the Markdown
settings (extensions and their options, MkDocs' link validation, directory URLs, the
log level), the generator's own code and the versions of what converts. It is then used
only if it fits this build by the rule every reused conversion follows
(`conversion.Rendered.fits`: the pages its links resolved to, its address, its images).
So a stale entry can only be missed, never shown.

Entries are files `<key>.json` under `<cache_dir>/build/`: a header with the entry's key
and a MAC of key and payload by this machine's cache key (`trust.py`, SECURITY.md), then
the payload, JSON whose every field's type is checked. One that is truncated, corrupt,
from another format, unreadable or not signed by this machine's key is ignored (said
once, in one info line) and converted again. A build removes the entries of articles it
no longer has, so the folder does not grow without bound.

`build_cache: false` in the plugin's settings, or `FIELD_GUIDE_CACHE=off` in the
environment, builds without it (nothing read, nothing written).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import pickle
import platform
import sys
import types
import inspect
from collections import defaultdict
from importlib.metadata import Distribution, PackageNotFoundError, distributions, version
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..markdown import sanitize
from . import internals, trust
from .conversion import Rendered

log = logging.getLogger("mkdocs.plugins.field_guide")

FORMAT = 2  # of an entry; a change to Rendered or to the encoding below raises it
FOLDER = "build"  # under the plugin's cache_dir
ENVIRONMENT = "FIELD_GUIDE_CACHE"  # "off" (or 0, false, no): build without the cache
VERSION_FILE = "generator-version"
GENERATOR = Path(__file__).resolve().parent.parent
# What converts Markdown besides the generator, by distribution name.
DISTRIBUTIONS = ("mkdocs", "properdocs", "markdown", "pymdown-extensions", "mkdocs-material", "pillow")


def turned_off(option: bool, environ: dict[str, str] | os._Environ = os.environ) -> bool:
    return not option or environ.get(ENVIRONMENT, "").strip().lower() in ("off", "0", "false", "no")


def generator_version() -> str:
    """A hash of the generator's source files and of the versions of what converts:
    a new generator (or MkDocs, or Python-Markdown...) misses every entry. Computed for
    each build: the preview reloads an edited generator between two."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{FORMAT} {platform.python_version()}".encode())
    hasher.update(f" sanitizer {sanitize.VERSION}".encode())  # nh3's version and the allow-list's
    for installed in versions(DISTRIBUTIONS):
        hasher.update(f" {installed}".encode())
    for path in sorted(GENERATOR.rglob("*.py")):
        hasher.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def versions(distributions: tuple[str, ...]) -> list[str]:
    """`name version` of each distribution installed, `name -` of each not."""
    found = []
    for distribution in distributions:
        try:
            found.append(f"{distribution} {version(distribution)}")
        except PackageNotFoundError:
            found.append(f"{distribution} -")
    return found


def settings_key(config: MkDocsConfig, generator: str, *, verbose: bool | None = None) -> str | None:
    """A hash of every setting `Page.render` converts with, and of the generator's
    version; None if a setting cannot be hashed.

    `verbose`: whether MkDocs logs at the debug level (`--verbose`), where `Page.render`
    keeps no links to anchors and says more; by default, as this build does.
    """
    if verbose is None:
        verbose = logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG

    def extension(item: Any) -> Any:
        # An Extension object is named by its class and options, not its state
        # (mdext.SafeLinksExtension remembers the page it converted last).
        return item if isinstance(item, str) else (type(item).__module__, type(item).__qualname__,
                                                   sorted(item.getConfigs().items()))
    described = io.BytesIO()
    try:
        _SettingsPickler(described, protocol=4).dump((
            [extension(item) for item in config.markdown_extensions],
            sorted((name, sorted(settings.items())) for name, settings in (config.mdx_configs or {}).items()),
            json.dumps(config.validation, default=dict, sort_keys=True),
            config.use_directory_urls,
            internals.engine(),  # MkDocs or ProperDocs: each converts with its own Page.render
            verbose,
        ))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return None
    return hashlib.blake2b(described.getvalue() + generator.encode(), digest_size=16).hexdigest()


class _SettingsPickler(pickle.Pickler):
    """Pickles the settings, but names each function, class and module they reference
    (`!!python/name:` in mkdocs.yml) by its import path and the version of what provides
    it: the preview reloads the generator, after which a function the settings hold is
    no longer the one its path names, and pickle refuses it."""

    def persistent_id(self, obj: Any) -> str | None:
        if isinstance(obj, types.ModuleType):
            return reference(obj.__name__, "")
        if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type)):
            return reference(getattr(obj, "__module__", None) or "", obj.__qualname__)
        return None


def reference(module: str, qualname: str) -> str:
    """`module:qualname version`: the version of the distribution that provides the module;
    for a module no distribution provides (a local file), a hash of its source instead."""
    return f"{module}:{qualname} {_provider(module)}"


def _provider(module: str) -> str:
    top = module.partition(".")[0]
    if top in sys.stdlib_module_names or top == "builtins":
        return f"python {platform.python_version()}"
    if top == GENERATOR.name:
        return "generator"  # its source is hashed into every key (generator_version)
    providers = _distributions().get(top)
    if providers:
        return " ".join(versions(tuple(sorted({dist.metadata["Name"] for dist in providers}))))
    path = getattr(sys.modules.get(module), "__file__", None)
    try:
        return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest() if path else "-"
    except OSError:
        return "-"


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[Distribution]]:
    """The installed distributions by the top-level modules they provide, as
    `importlib.metadata.packages_distributions()` finds them but ten times faster (a
    tenth of a second of every build): it reads each RECORD as text, and each
    distribution's name (its METADATA, which takes an email parser) only when asked."""
    found: dict[str, list[Distribution]] = defaultdict(list)
    for dist in distributions():
        for top in _top_level(dist):
            found[top].append(dist)
    return found


def _top_level(dist: Distribution) -> set[str]:
    declared = dist.read_text("top_level.txt")
    if declared is not None:
        return set(declared.split())
    tops = set()
    for line in (dist.read_text("RECORD") or "").splitlines():
        first, folder, _ = line.partition(",")[0].partition("/")
        tops.add(first if folder else inspect.getmodulename(first) or first)
    return tops


class MarkdownCache:
    """This build's view of the cache folder: the key of each article, the entries read."""

    def __init__(self, folder: Path, sources: dict[str, bytes], generator: str, settings: str,
                 other_settings: str | None = None, *, signing_key: bytes) -> None:
        self.folder = folder
        self.signing_key = signing_key  # trust.cache_key: what every entry is signed with
        self.generator = generator
        self.sources = sources  # by src_uri: a hash of the article's file
        self.settings = settings  # settings_key: the Markdown settings and the generator
        self.keys = self._keys(settings)
        # The keys of the same articles built with(out) --verbose: kept, not pruned.
        self.other_keys = self._keys(other_settings) if other_settings else {}
        self.unreadable = 0  # entries found but not usable as written
        self.written = 0
        self.broken: str | None = None  # why the folder cannot be used, once found

    @classmethod
    def open(cls, folder: Path, config: MkDocsConfig, articles: list[Path], docs_dir: Path, *,
             signing_key: bytes) -> MarkdownCache | None:
        """The cache for this build, keyed by these article files, its entries signed with
        `signing_key`; None (said why) when it cannot be used."""
        generator = generator_version()
        settings = settings_key(config, generator)
        if settings is None:
            log.info("Build cache not used: a Markdown setting cannot be hashed, so every page is converted.")
            return None
        sources = {}
        for path in articles:
            try:
                sources[path.relative_to(docs_dir).as_posix()] = hashlib.blake2b(path.read_bytes(),
                                                                                 digest_size=16).digest()
            except OSError:
                continue  # the content check reports it
        verbose = logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG
        cache = cls(folder, sources, generator, settings, settings_key(config, generator, verbose=not verbose),
                    signing_key=signing_key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            marker = folder / VERSION_FILE
            previous = marker.read_text(encoding="utf-8", errors="replace").strip() if marker.is_file() else None
            if previous is not None and previous != generator and any(folder.glob("*.json")):
                log.info("Build cache from another version of the generator (or its version file is damaged): "
                         "what no longer fits is converted again.")
            if previous != generator:
                marker.write_text(generator + "\n", encoding="utf-8")
        except OSError as error:
            log.info(f"Build cache not used: {folder} cannot be written ({error.strerror}).")
            return None
        return cache

    def _keys(self, settings: str) -> dict[str, str]:
        return {src_uri: hashlib.blake2b(f"{settings}\0{src_uri}\0".encode() + source, digest_size=20).hexdigest()
                for src_uri, source in self.sources.items()}

    def settle(self, config: MkDocsConfig) -> bool:
        """Once every plugin has configured the build: the keys for the final settings.
        False if they cannot be hashed any more (then the cache is not used)."""
        settings = settings_key(config, self.generator)
        if settings is None:
            return False
        self.settings = settings
        self.keys = self._keys(settings)
        verbose = logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG
        other = settings_key(config, self.generator, verbose=not verbose)
        self.other_keys = self._keys(other) if other else {}
        return True

    def covers(self, src_uri: str) -> bool:
        return src_uri in self.keys

    def has(self, src_uri: str) -> bool:
        """Whether an entry is there for this page (not yet whether it fits)."""
        key = self.keys.get(src_uri)
        return key is not None and (self.folder / f"{key}.json").is_file()

    def take(self, src_uri: str) -> Rendered | None:
        key = self.keys.get(src_uri)
        if key is None or self.broken:
            return None
        path = self.folder / f"{key}.json"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self.unreadable += 1
            return None
        rendered = decode(data, key, self.signing_key)
        if rendered is None:
            self.unreadable += 1
        return rendered

    def put(self, src_uri: str, rendered: Rendered) -> None:
        key = self.keys.get(src_uri)
        if key is None or self.broken:
            return
        try:
            write_entry(self.folder / f"{key}.json", encode(rendered, key, self.signing_key))
            self.written += 1
        except (OSError, TypeError, ValueError) as error:
            self.broken = getattr(error, "strerror", None) or str(error)

    def finish(self) -> None:
        """After a build: remove the entries no article of this build has, say what was
        wrong, and (with --verbose) how large the cache is."""
        if self.unreadable:
            log.info(f"Build cache: {self.unreadable} unreadable entr{'ies' if self.unreadable != 1 else 'y'} "
                     f"ignored, their pages converted again.")
        if self.broken:
            log.info(f"Build cache: could not write to {self.folder} ({self.broken}); the next build converts "
                     "those pages again.")
        live = {f"{key}.json" for keys in (self.keys, self.other_keys) for key in keys.values()}
        tidied = tidy(self.folder, live, keep=VERSION_FILE)
        if tidied is not None:
            log.debug(f"Build cache: {tidied[0]:,} entries, {tidied[1] / 1_000_000:.1f} MB in {self.folder}.")


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all: never a half-written one under its key."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def prune(folder: Path, live: set[str], *, keep: str | None = None) -> tuple[int, int]:
    """Remove the files of `folder` not named in `live` (its folders and the file `keep`
    stay); how many entries are left and their bytes. Raises OSError."""
    entries = size = 0
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name == keep or entry.is_dir():  # rendered.py's pages/ is another's
                continue
            if entry.name in live:
                entries += 1
                size += entry.stat().st_size
            else:
                os.unlink(entry.path)
    return entries, size


def tidy(folder: Path, live: set[str], *, keep: str | None = None) -> tuple[int, int] | None:
    """`prune`, at a build's end: how many entries are left and their bytes, (0, 0) for a
    folder never written, None (said in one info line) for one that cannot be tidied."""
    try:
        return prune(folder, live, keep=keep)
    except FileNotFoundError:
        return 0, 0
    except OSError as error:
        log.info(f"Build cache: {folder} could not be tidied ({error.strerror}).")
        return None


def encode(rendered: Rendered, key: str, signing_key: bytes) -> bytes:
    payload = json.dumps({
        "markdown_digest": rendered.markdown_digest.hex(),
        "page": rendered.page,
        "lookups": rendered.lookups,
        "content": rendered.content,
        "toc": internals.toc_items(rendered.toc),
        "title": rendered.title,
        "anchor_ids": sorted(rendered.anchor_ids),
        "links_to_anchors": rendered.links_to_anchors,
        "logs": rendered.logs,
        "images": rendered.images,
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"format": FORMAT, "key": key, "mac": trust.mac(signing_key, key, payload)}).encode("utf-8")
    return header + b"\n" + payload


class Malformed(ValueError):
    """A signed entry whose payload is not what `encode` writes."""


def decode(data: bytes, key: str, signing_key: bytes) -> Rendered | None:
    """The entry written by `encode` for this key with this signing key, or None if it
    is anything else. Nothing in it is trusted before its MAC is checked, and then only
    as data of the types `encode` writes."""
    header_bytes, newline, payload = data.partition(b"\n")
    try:
        header = json.loads(header_bytes)
        if not newline or not isinstance(header, dict) or header.keys() != {"format", "key", "mac"} \
                or header["format"] != FORMAT or header["key"] != key \
                or not trust.signed(signing_key, key, payload, header["mac"]):
            return None
        fields = _object(json.loads(payload), {"markdown_digest", "page", "lookups", "content", "toc", "title",
                                               "anchor_ids", "links_to_anchors", "logs", "images"})
        links = fields["links_to_anchors"]
        return Rendered(
            markdown_digest=bytes.fromhex(_text(fields["markdown_digest"])),
            page=_where(fields["page"]),
            lookups={_text(path): _where(value) for path, value in _object(fields["lookups"]).items()},
            content=_text(fields["content"]),
            toc=internals.toc_from_items(_toc(fields["toc"])),
            title=None if fields["title"] is None else _text(fields["title"]),
            anchor_ids={_text(anchor) for anchor in _list(fields["anchor_ids"])},
            links_to_anchors=None if links is None else {
                _text(src_uri): {_text(anchor): _text(title) for anchor, title in _object(anchors).items()}
                for src_uri, anchors in _object(links).items()},
            logs=[(_text(name), _integer(level), _text(message))
                  for name, level, message in map(_triple, _list(fields["logs"]))],
            images={_text(path): None if size is None else (_integer(_pair(size)[0]), _integer(_pair(size)[1]))
                    for path, size in _object(fields["images"]).items()},
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def _object(value: Any, keys: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict) or (keys is not None and value.keys() != keys):
        raise Malformed("an object")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Malformed("a list")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Malformed("a string")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed("an integer")
    return value


def _pair(value: Any) -> list[Any]:
    if len(_list(value)) != 2:
        raise Malformed("a pair")
    return value


def _triple(value: Any) -> list[Any]:
    if len(_list(value)) != 3:
        raise Malformed("a triple")
    return value


def _where(value: Any) -> tuple[str, bool] | None:
    if value is None:
        return None
    address, excluded = _pair(value)
    if not isinstance(excluded, bool):
        raise Malformed("a boolean")
    return _text(address), excluded


def _toc(items: Any) -> list[dict[str, Any]]:
    """A table of contents as `internals.toc_items` writes it, checked."""
    checked = []
    for item in _list(items):
        entry = _object(item)
        if not {"title", "id", "level", "children"} <= entry.keys() <= {"title", "id", "level", "children", "active"}:
            raise Malformed("a table of contents entry")
        _text(entry["title"]), _text(entry["id"]), _integer(entry["level"])
        if "active" in entry and not isinstance(entry["active"], bool):
            raise Malformed("a boolean")
        checked.append({**entry, "children": _toc(entry["children"])})
    return checked
