"""The site's search index: Pagefind, run over the written site, and made reproducible.

Pagefind (https://pagefind.app) reads the built pages and writes a static, chunked index
to `pagefind/`: a reader's browser loads a few kilobytes to start, then only the chunks a
query needs. It indexes only pages with a `data-pagefind-body` element, which the article
template puts on published articles alone (title, standfirst and body); the byline and
the footer give the filters (author, benefit, tag) and the date shown in results.

Two builds of one commit must be byte-identical. Pagefind 1.5.2 writes each filter's
values in hash-map order, which changes from run to run, and names the filter files and
the metadata after their bytes; so after it runs, the values are sorted and the files
renamed after their sorted bytes (`make_reproducible`). Nothing else it writes varies.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BUNDLE_DIR = "pagefind"
# Pagefind's ready-made interfaces: the site has its own (theme/assets/ifg/search.js), and
# theirs inject inline styles, which the Content-Security-Policy forbids.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# Inside an article's body, but not its text: headings' permalinks, footnotes' back links.
NOT_INDEXED = ".headerlink, .footnote-backref"
BODY_MARK = b"data-pagefind-body"  # what Pagefind indexes of a page
_TITLE = re.compile(rb"<title>.*?</title>", re.S)
SIGNATURE = b"pagefind_dcd"  # the start of every decompressed index file
# Pagefind reads its settings from a pagefind.yml, .json or .toml in its working folder and
# from PAGEFIND_* variables, which would let whoever writes them reconfigure the build (write
# the index elsewhere, serve the site, publish its playground). So it runs in a folder of
# its own making, with an environment that holds none of them, and every setting that has
# a value is given on its command line; the switches (--serve, --write-playground,
# --keep-index-url...) stay at their defaults, off.
ENVIRONMENT = {"PATH": os.defpath, "LC_ALL": "C.UTF-8"}
# Pagefind runs without a timeout of ours: Python's timed wait on a child fails with
# EINVAL, now and then, in `mkdocs serve` under libfaketime (the suite's run ten years
# on), and a hung indexer is stopped by the job's own time limit like any other step.


class SearchIndexError(Exception):
    """The index could not be written; the message says why and what to do."""


def indexer() -> Path:
    """The Pagefind binary the `pagefind[bin]` dependency installs."""
    try:
        from pagefind_bin import get_executable
        binary = get_executable()
    except (ImportError, FileNotFoundError) as missing:
        raise SearchIndexError(
            f"the search indexer, Pagefind, is not installed ({missing}): "
            "install the site's dependencies again (`pip install -e .`, which installs `pagefind[bin]`)") from None
    return binary


def check_indexer() -> str:
    """The indexer's version, after running it once: before the build touches site/, so a
    missing or broken indexer stops the build with the previous site as it was."""
    binary = indexer()
    try:
        with tempfile.TemporaryDirectory(prefix="field-guide-search-") as folder:
            done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, cwd=folder,
                                  env=ENVIRONMENT)
    except OSError as error:
        raise SearchIndexError(f"the search indexer, Pagefind ({binary}), cannot run: {error}") from None
    if done.returncode != 0:
        raise SearchIndexError(f"the search indexer, Pagefind ({binary}), cannot run: "
                               f"{(done.stderr or done.stdout).strip() or f'exit code {done.returncode}'}")
    return done.stdout.strip()


class Indexing:
    """Pagefind at work on a written site: the build goes on meanwhile (feeds, cards), as
    Pagefind reads the article pages only; `finish` waits and checks what it wrote."""

    def __init__(self, process: subprocess.Popen, bundle: Path, expected: int, folder: Path) -> None:
        self.process = process
        self.bundle = bundle
        self.expected = expected
        self.folder = folder  # Pagefind's working folder, with the copies it reads

    def finish(self) -> None:
        stdout, stderr = self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)
        output = "\n".join(part.strip() for part in (stdout, stderr) if part.strip())
        code = self.process.returncode
        if code != 0 or not (self.bundle / "pagefind-entry.json").is_file():
            raise SearchIndexError(f"the search indexer, Pagefind, failed (exit code {code}): {output or 'no message'}")
        for name in UNUSED_FILES:
            (self.bundle / name).unlink(missing_ok=True)
        indexed = make_reproducible(self.bundle)
        if indexed != self.expected:
            raise SearchIndexError(
                f"the search index holds {indexed} pages, but the site publishes {self.expected} articles: each "
                f"published article's page, and no other, has a `data-pagefind-body` element "
                f"(theme/layouts/article.html)" + (f"; Pagefind said: {output}" if output else ""))

    def stop(self) -> None:
        """The build failed meanwhile: no index."""
        self.process.kill()
        self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_index(site_dir: Path, *, language: str, expected: int, pages: str = "**/*.html") -> Indexing:
    """Start indexing the articles of the site written in `site_dir`, which must be
    `expected` pages.

    `pages`: a glob of the files where the articles are, relative to `site_dir`. Pagefind
    reads copies of the marked ones cut to what it indexes (`search_copies`), a third
    less to parse than the whole pages.
    Any earlier index is removed first: Pagefind adds its files beside the old ones.
    """
    bundle = site_dir / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="field-guide-search-"))  # Pagefind's working folder
    copies = folder / "pages"
    copies.mkdir()
    try:
        # Pagefind indexes the whole of every page when none is marked, so that its count
        # would still match. Fewer marks than articles, its count tells.
        if search_copies(site_dir, pages, copies) == 0:
            raise SearchIndexError(
                f"0 of the site's article pages are marked for search, but the site publishes {expected} articles: "
                f"each published article's page has a `data-pagefind-body` element (theme/layouts/article.html)")
        process = subprocess.Popen(command(copies, bundle.resolve(), language), cwd=folder, env=ENVIRONMENT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise SearchIndexError(f"the search indexer, Pagefind, failed: {error}") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Indexing(process, bundle, expected, folder)


def command(pages: Path, bundle: Path, language: str) -> list[str]:
    """Pagefind's command line: every setting that takes a value, given (see ENVIRONMENT)."""
    return [str(indexer()), "--site", str(pages), "--output-path", str(bundle), "--root-selector", "html",
            "--glob", "**/*.{html}", "--exclude-selectors", NOT_INDEXED, "--force-language", language, "--quiet"]


def search_copies(site_dir: Path, pages: str, folder: Path) -> int:
    """Copy each page of `pages` with a `data-pagefind-body` element into `folder`, at the
    same relative path (so Pagefind gives the same addresses), cut to what Pagefind reads:
    the page's title, then everything from that element on, where the meta and filter
    attributes are too. The header, navigation and head before it carry none. The number
    of pages copied.
    """
    copied = 0
    for path in site_dir.glob(pages):
        html = path.read_bytes()
        mark = html.find(BODY_MARK)
        if mark < 0:
            continue
        start = html.rfind(b"<", 0, mark)
        title = _TITLE.search(html, 0, start)
        copy = folder / path.relative_to(site_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(b'<!doctype html><html><head><meta charset="utf-8">' + (title.group(0) if title else b"")
                         + b"</head><body>" + html[start:])
        copied += 1
    return copied


def make_reproducible(bundle: Path) -> int:
    """Sort what Pagefind writes in hash-map order and name those files after their bytes;
    the number of pages in the index. Fails loudly if the format is not the one known."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    pages = 0
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = read_file(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise SearchIndexError(f"{meta_path.name}: not the Pagefind {entry.get('version')} format this build knows")
        prefix = language["hash"].split("_")[0]
        filters = []
        for name, old_hash in meta[3]:
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = read_file(path)
            data = _encode_file([filter_name, sorted(values, key=lambda value: value[0])])
            new_hash = f"{prefix}_{hashlib.sha1(data).hexdigest()[:7]}"
            path.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        data = _encode_file(meta)
        meta_hash = f"{prefix}_{hashlib.sha1(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{meta_hash}.pf_meta").write_bytes(data)
        language["hash"] = meta_hash
        pages += language.get("page_count", 0)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return pages


def read_file(path: Path):
    try:
        return decode(path.read_bytes())
    except SearchIndexError as error:
        raise SearchIndexError(f"{path.name}: {error}") from None


def decode(data: bytes):
    """The value in one of Pagefind's CBOR files (the metadata, a filter)."""
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError("not a Pagefind index file")
    value, end = _decode(raw, len(SIGNATURE))
    # What this module rewrites must read back to the same bytes, or the format has changed.
    if end != len(raw) or SIGNATURE + _encode(value) != raw:
        raise SearchIndexError("a Pagefind index format this build does not know")
    return value


def _encode_file(value) -> bytes:
    return gzip.compress(SIGNATURE + _encode(value), mtime=0)


# The little of CBOR (RFC 8949) that Pagefind's index files use: whole numbers, text,
# bytes and arrays, each with its length in the shortest form.


def _decode(data: bytes, at: int):
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise SearchIndexError(f"CBOR item {data[at - 1]:#x} at byte {at - 1} is not one this build knows")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return bytes(data[at:at + argument]), at + argument
    if major == 3:
        return data[at:at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise SearchIndexError(f"CBOR major type {major} at byte {at - 1} is not one this build knows")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise SearchIndexError(f"number too large for CBOR: {argument}")


def _encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise SearchIndexError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise SearchIndexError(f"cannot encode a {type(value).__name__}")
