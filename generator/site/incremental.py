"""Which pages a preview rebuild must render again, so that it renders no more and no fewer.

`mkdocs serve --dirty` renders only the pages whose source file is newer than their
output. But an edit to one article also changes what other pages show (listings,
counts, related articles, newer and older links), and an edit to a data file changes
pages that have no source file at all. So each page gets a fingerprint: a hash of
everything its template is given. A rebuild renders the pages whose fingerprint changed,
besides the ones MkDocs finds edited; a change to what every page shares (the theme,
the generator, `mkdocs.yml`, the nav, which articles are drafts) renders them all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content.reader import Article
from .pages import PageSpec


def fingerprints(pages: Mapping[str, PageSpec], *, shared: Any = None) -> dict[str, str]:
    """A hash of what each page's template gets, by src_uri.

    An article is hashed by what other pages show of it (its front matter and reading
    time), not its body: its own page is rendered again by MkDocs when its file changes.
    `shared` (anything JSON can encode) goes into every hash.
    """
    encoded: dict[int, Any] = {}  # an article is in many listings: encode it once

    def encode(value: Any) -> Any:
        if isinstance(value, Article):
            key = id(value)
            if key not in encoded:
                encoded[key] = {"slug": value.slug, "src_uri": value.src_uri,
                                "reading_minutes": value.reading_minutes, "meta": value.meta.model_dump(mode="json")}
            return encoded[key]
        if isinstance(value, BaseModel):
            return value.model_dump(mode="json")
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        raise TypeError(f"cannot fingerprint a {type(value).__name__}: teach incremental.fingerprints about it")

    result = {}
    for src_uri, spec in pages.items():
        data = [spec.template, spec.title, spec.description, spec.modified, spec.context, shared]
        text = json.dumps(data, default=encode, sort_keys=True, ensure_ascii=False)
        result[src_uri] = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return result


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> set[str]:
    """The pages that are new or whose fingerprint differs."""
    return {src_uri for src_uri, print_ in after.items() if before.get(src_uri) != print_}


def linking_to(articles: Iterable[Article], sources: Iterable[str]) -> set[str]:
    """The articles whose Markdown may link to one of these sources (added or removed pages).

    A link names its target's file (`other.md`, `../articles/other.md#part`): a link to
    a page that has just appeared or gone renders differently, although the article
    linking to it did not change. A mention of the file name in prose is rendered again
    for nothing, which costs a page, never a stale one.
    """
    names = {Path(source).name for source in sources}
    if not names:
        return set()
    return {article.src_uri for article in articles if any(name in article.body for name in names)}


def tree_signature(paths: Iterable[Path | str]) -> list[tuple[str, int, int]]:
    """The path, size and modification time of every file under these files and folders.

    What every page is rendered with (templates, stylesheets, the generator's code,
    `mkdocs.yml`): a change to any of them renders the whole site again.
    """
    signature = []
    for path in paths:
        path = Path(path)
        found = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in found:
            if "__pycache__" in file.parts:
                continue
            stat = os.stat(file)
            signature.append((file.as_posix(), stat.st_size, stat.st_mtime_ns))
    return signature
