"""Content lint: what is valid but will read badly, rank badly or break for a reader.

Lint findings are warnings: `check` prints them, `check --strict`, CI and the strict
build treat them as errors. They never stop `mkdocs serve`.

Time-based findings are the other kind: they appear by themselves as days pass, with
nothing in the repository changed (a resource not checked for a year, an article not
reviewed for a year, a dead external link). Every run prints them, but they fail only a
`check` told that their entry changed (`--since`, `--changed`: the pull request touched
it) or run as the daily schedule (`--scheduled`), so a pull request fails for what it
changed and the schedule reports the rest.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..content import limits
from ..content.errors import ContentError
from ..content.facts import ValueMatcher, past_review, value_on
from ..content.limits import LineIndex
from ..content.models import Model
from ..content.policy import mask_code
from ..content.reader import ARTICLES_DIR, Article, ArticleBody, Content
from ..markdown.gfm import HeadingIds
from ..markdown.parity import Parity
from ..markdown.rewrites import Rewrites

TITLE_RECOMMENDED_MAX = 70  # search results cut titles beyond about this
DESCRIPTION_RECOMMENDED_MIN = 70  # shorter summaries rarely tell a reader enough
STALE_AFTER_DAYS = 365  # a resource's last_checked, before stale-resource
REVIEW_AFTER_DAYS = 365  # an article's reviewed (or date, never reviewed), before review-due
MIN_SOURCES = 2  # a fact a reader may act on deserves its source, and a second to confirm it

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_EMPHASIS = re.compile(r"[*`]|(?<!\w)_+|_+(?!\w)")  # markup that is not part of a heading's text
# Each within one line, found over a whole body at once (code blanked).
# The text in brackets holds no `[`: from a `[` the scan stops at the next one, instead of
# reading on to the end of the line from each (`[` repeated: quadratic). A link's text with
# brackets in it is found from its last `[`, to the same URL.
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(")
_IMAGE_SOURCE = re.compile(r"!\[[^\[\]\n]*\]\([ \t]*<?([^)\s>]++)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
_LINK = re.compile(r"(?<!!)\[[^\[\]\n]*\]\([ \t]*<?([^)\s>]++)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
# How archetypes/article.md marks what an editor must replace: the word TODO, and
# sources at example.* hosts (reserved for examples, RFC 2606); never published.
_PLACEHOLDER = re.compile(r"\bTODO\b")
_EXAMPLE_HOST = re.compile(r"(?:^|\.)example\.[a-z]+$")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE)  # not `[^1]:`


@dataclass(frozen=True, order=True)
class TimeBased:
    """A time-based finding, and the lines of the entry it is about (None: the whole file,
    an article), so that a pull request that changed the entry is held to it."""

    problem: ContentError
    lines: tuple[int, int] | None = None


def entry_lines(entries: Sequence[Model]) -> list[tuple[int, int] | None]:
    """Each entry's lines in its data file: from its first line to the line before the next
    entry's (the last runs to the end of the file)."""
    starts = [entry.first_line() for entry in entries]
    known = sorted({start for start in starts if start is not None})
    spans: list[tuple[int, int] | None] = []
    for start in starts:
        if start is None:
            spans.append(None)
            continue
        later = [line for line in known if line > start]
        spans.append((start, later[0] - 1 if later else sys.maxsize))
    return spans


@dataclass(frozen=True)
class Line:
    number: int  # in the file
    text: str


def prose_lines(body: str, first_line: int, *, mask_spans: bool = True, masked: str | None = None) -> Iterator[Line]:
    """The body's lines outside fenced code blocks, with their file line numbers.

    Code spans are blanked too (`[x](y.md)` in backticks is not a link), unless
    `mask_spans` is False (heading ids are made from the text as written). `masked` is
    `mask_code(body)` when the caller has it already.
    """
    masked_lines = (mask_code(body) if masked is None else masked).split("\n")
    for offset, (masked, original) in enumerate(zip(masked_lines, body.split("\n"))):
        if masked.strip():
            yield Line(first_line + offset, masked if mask_spans else original)


def headings(body: str, first_line: int = 1, *, masked: str | None = None) -> Iterator[tuple[Line, int, str, str]]:
    """(line, level, text, id) for each ATX heading, ids as the site makes them (GitHub's)."""
    found = []
    for line in prose_lines(body, first_line, mask_spans=False, masked=masked):
        match = _HEADING.match(line.text)
        if match:
            text = match.group(2)
            explicit = _HEADING_ID.search(text)
            found.append((line, len(match.group(1)), text[: explicit.start()].rstrip() if explicit else text,
                          explicit.group(1) if explicit else None))
    ids = HeadingIds()
    ids.used = {anchor for *_, anchor in found if anchor}  # ids written out are kept, and never repeated
    for line, level, text, anchor in found:
        yield line, level, text, anchor or ids(_EMPHASIS.sub("", text))


class SiteMap:
    """What the built site will hold, by source path: pages (with anchors) and other files."""

    def __init__(self, content_dir: Path, generated_sources: Iterable[str], published: Iterable[Article],
                 unpublished: Iterable[Article]):
        # Generated pages have no headings to link to: their anchors are not checked (None).
        self.pages: dict[str, set[str] | None] = {src: None for src in generated_sources}
        self.unpublished = {article.src_uri for article in unpublished}
        self.files: set[str] = set()
        # Each article's headings, found once for its anchors here and for lint_article.
        self.headings: dict[str, list[tuple[Line, int, str, str]]] = {}
        # Published articles by slug, to suggest one for a link to a page that does not exist.
        self.article_slugs: list[str] = []
        # Articles are already in memory; only the other pages are read from disk.
        for article in published:
            self.article_slugs.append(article.slug)
            self.headings[article.src_uri] = list(article_headings(article))
            self.pages[article.src_uri] = {anchor for *_, anchor in self.headings[article.src_uri]}
        if content_dir.is_dir():
            for path in content_dir.rglob("*"):
                if not path.is_file() or path.name.startswith("."):
                    continue
                src = path.relative_to(content_dir).as_posix()
                if src.startswith("data/") or src in self.unpublished:
                    continue
                if path.suffix != ".md":
                    self.files.add(src)
                elif not src.startswith(f"{ARTICLES_DIR}/"):
                    text = path.read_text(encoding="utf-8", errors="replace")
                    self.pages[src] = {anchor for *_, anchor in headings(text)}

    def problem(self, src: str, fragment: str, target: str) -> str | None:
        """Why a link to source `src#fragment` would break for a reader, or None."""
        if src in self.unpublished:
            return "links to an article that is not published (a draft or scheduled)"
        if src in self.files:
            return None
        if src in self.pages:
            anchors = self.pages[src]
            if fragment and anchors is not None and fragment not in anchors:
                return f"links to #{fragment}, which is not a heading of that page"
            return None
        index = posixpath.join(src, "index.md") if src else "index.md"
        if not src.endswith(".md") and index in self.pages:
            suggestion = posixpath.join(target.split("#")[0], "index.md")
            return f"links to a folder: link to its page file, {suggestion}, so the link is checked"
        return "links to a page that does not exist"

    def suggestion(self, src: str, target: str) -> str | None:
        """For a link to an article that does not exist: the link to the nearest slug."""
        folder, _, name = src.rpartition("/")
        if folder != ARTICLES_DIR or not name.endswith(".md"):
            return None
        close = difflib.get_close_matches(name.removesuffix(".md"), self.article_slugs, n=1, cutoff=0.75)
        if not close:
            return None
        path, hash_, fragment = target.partition("#")
        return f"{path.rpartition('/')[0] + '/' if '/' in path else ''}{close[0]}.md{hash_}{fragment}"


def article_headings(article: Article | ArticleBody) -> Iterator[tuple[Line, int, str, str]]:
    return headings(article.body, article.body_line, masked=article.masked_body or None)


def image_sources(article: Article) -> list[str]:
    """The src_uri of every local image the article's body shows (code left out)."""
    masked = article.masked_body or mask_code(article.body)
    found = (_source(match.group(1), article) for match in _IMAGE_SOURCE.finditer(masked))
    return list(dict.fromkeys(resolved[0] for resolved in found if resolved is not None and resolved[0]))


def _source(target: str, article: Article) -> tuple[str, str] | None:
    """The source path and fragment a relative link in `article` leads to; None if external.

    Like MkDocs, a relative link is resolved from the folder of the Markdown file.
    """
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path:
        return article.src_uri, parts.fragment
    source = posixpath.normpath(posixpath.join(posixpath.dirname(article.src_uri), path))
    return ("" if source == "." else source), parts.fragment


def lint_article(article: Article, site: SiteMap, parity: Parity | None = None,
                 rewrites: Rewrites | None = None, values: ValueMatcher | None = None) -> list[ContentError]:
    found: list[ContentError] = []
    meta = article.meta
    if len(meta.title) > TITLE_RECOMMENDED_MAX:
        found.append(meta.problem("title", f"{len(meta.title)} characters: search results cut titles "
                                           f"after about {TITLE_RECOMMENDED_MAX}; shorten it",
                                  "title-length", article.path))
    if len(meta.description) < DESCRIPTION_RECOMMENDED_MIN:
        found.append(meta.problem(
            "description", f"{len(meta.description)} characters: say a little more (aim for "
                           f"{DESCRIPTION_RECOMMENDED_MIN} to 160) so readers know what they get",
            "description-length", article.path))
    if not meta.benefits and not meta.tags:
        found.append(meta.problem("tags", "the article has neither benefits nor tags: add at least one, "
                                          "so readers find it from the benefit and tag pages",
                                  "no-topics", article.path))

    if len(meta.sources) < MIN_SOURCES:
        found.append(meta.problem(
            "sources", f"{len(meta.sources)} source{'s' * (len(meta.sources) != 1)}: list at least {MIN_SOURCES} "
                       "primary sources (statutes, official pages, surveys) the article's facts come from, each "
                       "with title, url, publisher and accessed", "few-sources", article.path))
    return found + lint_body(article, site, parity, rewrites, values)


def lint_body(article: Article | ArticleBody, site: SiteMap, parity: Parity | None = None,
              rewrites: Rewrites | None = None, values: ValueMatcher | None = None) -> list[ContentError]:
    """What the body alone shows: headings, images, links, GitHub parity. Also run on an
    article whose front matter has errors, so that one run reports its body's problems too."""
    found: list[ContentError] = []

    def warn(line: int, column: int, field: str, message: str, code: str) -> None:
        found.append(ContentError(article.path, line, column, field, message, code))

    level = 1  # the page title is the h1
    found_headings = site.headings.get(article.src_uri)
    for line, depth, text, _ in article_headings(article) if found_headings is None else found_headings:
        if depth == 1:
            warn(line.number, 1, "body", f"a second h1 ({text!r}): the title is the page's h1; use ## here",
                 "second-h1")
        elif depth > level + 1:
            warn(line.number, 1, "body", f"heading level skipped: h{depth} after h{level}; "
                                         f"use {'#' * (level + 1)} here", "heading-skip")
        level = depth

    masked = article.masked_body or mask_code(article.body)
    lines = LineIndex(masked)
    if values is not None:  # a fact's value typed by hand: it goes stale on the day the fact changes
        found.extend(values.findings(article.path, article.body, masked, article.body_line))

    def place(offset: int) -> tuple[int, int]:
        """The file line and column of an offset in the body."""
        line, column = lines.place(offset)
        return article.body_line + line - 1, column + 1

    for match in _IMAGE.finditer(masked):
        if not match.group(1).strip():
            warn(*place(match.start()), "body",
                 "image without alt text: describe it inside the brackets, ![like this](photo.jpg)", "image-alt")
    # An image's file is checked like a link's page: MkDocs' link validation fails the
    # strict build on a missing one.
    for match in _IMAGE_SOURCE.finditer(masked):
        resolved = _source(match.group(1), article)
        if resolved is not None and resolved[0] not in site.files and resolved[0] not in site.pages:
            warn(*place(match.start(1)), "body",
                 f"shows an image that does not exist: {match.group(1)} (no file content/{resolved[0]}); "
                 "add the file or fix the path, relative to this article", "broken-link")
    # A reference definition has `]:`: without one, no pattern tried at every line start.
    patterns = (_LINK, _REFERENCE) if "]:" in masked else (_LINK,)
    targets = [(m.start(1), m.group(1)) for pattern in patterns for m in pattern.finditer(masked)]
    for offset, target in sorted(targets):
        resolved = _source(target, article)
        if resolved is None:
            continue
        problem = site.problem(*resolved, target)
        if problem:
            hint = site.suggestion(resolved[0], target) if problem.endswith("does not exist") else None
            warn(*place(offset), "body", f"{problem}: {target}{f'; did you mean {hint}?' if hint else ''}",
                 "broken-link")
    # Past a structural limit the body is already an error (policy.check_markdown), and
    # converting it is what the limits exist to avoid: no comparison that converts it.
    if next(limits.problems(article.body, masked), None) is not None:
        return found
    if parity is not None:
        found.extend(parity.differences(article.body, masked, article.body_line, article.path))
    if rewrites is not None:
        found.extend(rewrites.warnings(article.body, masked, article.body_line, article.path))
    return found


def placeholders(articles: Iterable[Article]) -> list[ContentError]:
    """What archetypes/article.md marks for an editor to replace, still in `articles`: a
    text with the word TODO, a source at an example.* host. Each at its place."""
    found = []
    for article in articles:
        meta = article.meta

        def placeholder(field: str | tuple, message: str) -> None:
            found.append(meta.problem(field, message, "placeholder", article.path))

        fields = [("title", meta.title), ("description", meta.description)]
        for index, source in enumerate(meta.sources):
            fields += [(("sources", index, "title"), source.title), (("sources", index, "publisher"), source.publisher)]
        for field, text in fields:
            if _PLACEHOLDER.search(text):
                placeholder(field, f"still the template's placeholder ({_shorten(text)}): "
                                   "write the real text in its place")
        for index, source in enumerate(meta.sources):
            host = (urlsplit(source.url).hostname or "").lower()
            if _EXAMPLE_HOST.search(host):
                placeholder(("sources", index, "url"), f"{source.url} is the template's placeholder "
                                                       f"({host} is reserved for examples): give the source's "
                                                       "real address")
        masked = article.masked_body or mask_code(article.body)
        if "TODO" not in masked:  # the word the pattern needs: most bodies have no line to read
            continue
        for line in prose_lines(article.body, article.body_line, masked=masked):
            match = _PLACEHOLDER.search(line.text)
            if match:
                found.append(ContentError(article.path, line.number, match.start() + 1, "body",
                                          f"still the template's placeholder ({_shorten(line.text.strip())}): "
                                          "write the real text, or delete the line", "placeholder"))
    return sorted(found)


def _shorten(text: str, limit: int = 50) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def lint(site: SiteMap, *, articles: Iterable[Article | ArticleBody], parity: Parity | None = None,
         rewrites: Rewrites | None = None, values: ValueMatcher | None = None) -> list[ContentError]:
    """Warnings for `articles` (their bodies alone where the front matter has errors); with
    `parity`, also where an article renders differently on GitHub; with `rewrites`, where
    the sanitizer removes something its Markdown makes; with `values`, where prose types a
    fact's value."""
    return sorted(warning for article in articles for warning in
                  (lint_article(article, site, parity, rewrites, values) if isinstance(article, Article)
                   else lint_body(article, site, parity, rewrites, values)))


def time_based(content: Content, *, today: dt.date, articles: Iterable[Article]) -> list[TimeBased]:
    """What has aged by `today`: resources not checked, and `articles` not reviewed, for a year."""
    found = []
    for resource, lines in zip(content.resources, entry_lines(content.resources)):
        age = (today - resource.last_checked).days
        if age > STALE_AFTER_DAYS:
            found.append(TimeBased(resource.problem(
                "last_checked", f"{resource.title!r} was last checked {age} days ago: visit "
                                f"{resource.url}, then update last_checked", "stale-resource"), lines))
    for article in articles:
        meta = article.meta
        last = meta.reviewed or meta.date
        age = (today - last).days
        if age > REVIEW_AFTER_DAYS:
            if meta.reviewed:
                problem = meta.problem("reviewed", f"last reviewed {age} days ago: check every fact against "
                                                   "the sources, then set reviewed to the day you did",
                                       "review-due", article.path)
            else:
                problem = meta.problem("date", f"published {age} days ago and never reviewed: check every fact "
                                               "against the sources, then add `reviewed:` with the day you did",
                                       "review-due", article.path)
            found.append(TimeBased(problem))
    found += _facts_time_based(content, today)
    return sorted(found)


def _facts_time_based(content: Content, today: dt.date) -> list[TimeBased]:
    """Facts with no value in force `today`, and facts past their `review_by`: each held to
    the fact's own lines in its file, so only a change to that fact fails for it."""
    found = []
    for fact, lines in _facts_with_lines(content):
        if value_on(fact, today) is None:
            first = fact.values[0]
            why = f"its first value starts on {first.from_}" if first.from_ > today else \
                "its last value has ended (`until`)"
            found.append(TimeBased(fact.problem(
                "values", f"{fact.id!r} has no value in force on {today}: {why}; pages show its link text "
                          f"instead. Add the value that applies, from {fact.source.url}", "fact-no-value"), lines))
        if past_review(fact, today):
            found.append(TimeBased(fact.problem(
                "review_by", f"{fact.id!r} was due for review on {fact.review_by}: check its values against "
                             f"{fact.source.url}, update `accessed`, then set a new review_by", "fact-review-due"),
                lines))
    return found


def _facts_with_lines(content: Content) -> Iterator[tuple[Any, tuple[int, int] | None]]:
    """Each fact with its lines in its own file (entry_lines reads one file at a time)."""
    by_file: dict[str, list] = {}
    for fact in content.facts:
        by_file.setdefault(fact.source_path() or "", []).append(fact)
    for facts in by_file.values():
        yield from zip(facts, entry_lines(facts))


def external_links(content: Content) -> list[tuple[str, TimeBased]]:
    """Every http(s) URL in the content, with the place it is written (message left empty)."""
    places: list[tuple[str, TimeBased]] = []
    for resource, lines in zip(content.resources, entry_lines(content.resources)):
        places.append((resource.url, TimeBased(resource.problem("url", "", "dead-link"), lines)))
    authors = list(content.authors.values())
    for author, lines in zip(authors, entry_lines(authors)):
        if author.url:
            places.append((author.url, TimeBased(author.problem("url", "", "dead-link"), lines)))
    for fact, lines in _facts_with_lines(content):
        places.append((fact.source.url, TimeBased(fact.problem(("source", "url"), "", "dead-link"), lines)))
    for article in content.articles:
        for index, source in enumerate(article.meta.sources):
            places.append((source.url, TimeBased(
                article.meta.problem(("sources", index, "url"), "", "dead-link", article.path))))
        for line in prose_lines(article.body, article.body_line):
            for match in _LINK.finditer(line.text):
                url = match.group(1)
                if urlsplit(url).scheme in ("http", "https"):
                    places.append((url, TimeBased(ContentError(article.path, line.number, match.start(1) + 1,
                                                               "body", "", "dead-link"))))
    return places
