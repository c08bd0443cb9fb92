"""Facts: figures kept as dated, sourced data (content/data/facts/*.yml), never typed in articles.

An article names a fact with a Markdown link whose URL is `fact:<id>`:

    The adult rate is [UK National Living Wage](fact:uk-national-living-wage) an hour.

GitHub's preview drops the unknown scheme and shows the link's text; the site shows the
value in force on the build's day, linked to the fact's source. The conversion (mdext.py)
only marks the place (`placeholder`), which the sanitizer keeps and the build cache
stores; the value is put in after the sanitizer and after the cache (`resolve_html`,
called by the adapter for every page), so a warm build on the day a value changes shows
what a cold one does.

Here too: the checks on facts and on articles that use them (`fact-unknown`,
`fact-copy`, and the time-based `fact-no-value` and `fact-review-due`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ContentError
from .limits import LineIndex
from .models import Fact, FactValue

SCHEME = "fact:"
# The placeholder the conversion leaves (mdext.py): a class the sanitizer keeps on a span,
# and the id in `title`, the one attribute it keeps on every element besides id and lang.
CLASS = "ifg-fact"
_PLACEHOLDER = re.compile(r'<span class="ifg-fact" title="fact:([a-z0-9-]{1,64})">([^<]*)</span>')
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A fact link in an article's Markdown (code blanked): inline, or a reference definition.
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\([ \t]*<?fact:([^)\s>]*)>?[ \t]*\)")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?fact:(\S*?)>?(?:\s|$)", re.MULTILINE)
# What of a line is an address, not prose: a link's or image's URL, an autolink, a bare URL.
_NOT_PROSE = re.compile(r"\]\([^)\n]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


def value_on(fact: Fact, day: dt.date) -> FactValue | None:
    """The value in force on `day`: the latest that started by then and has not ended."""
    found = None
    for value in fact.values:
        if value.from_ <= day:
            found = value
    if found is not None and found.until is not None and found.until < day:
        return None
    return found


def next_change(fact: Fact, day: dt.date) -> FactValue | None:
    """The first value that takes effect after `day` (a scheduled change), if any."""
    return next((value for value in fact.values if value.from_ > day), None)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class FactRow:
    """A fact as of one day: what the key figures page, `generator facts` and the pages show."""

    fact: Fact
    current: FactValue | None
    upcoming: FactValue | None

    def as_json(self) -> dict:
        fact = self.fact
        return {
            "id": fact.id, "label": fact.label, "region": fact.region,
            "value": self.current.value if self.current else None,
            "effective_from": self.current.from_.isoformat() if self.current else None,
            "next_change": {"value": self.upcoming.value, "from": self.upcoming.from_.isoformat()}
            if self.upcoming else None,
            "source_url": fact.source.url, "review_by": fact.review_by.isoformat(),
        }


def rows(facts: Iterable[Fact], day: dt.date) -> list[FactRow]:
    return [FactRow(fact, value_on(fact, day), next_change(fact, day)) for fact in facts]


# The conversion's side and the build's


def is_fact_url(url: str | None) -> bool:
    return url is not None and url.startswith(SCHEME)


def placeholder_attributes(url: str) -> dict[str, str]:
    """What the conversion sets on the span that takes a fact link's place."""
    return {"class": CLASS, "title": url.strip()}


def resolve_html(page_html: str, facts: dict[str, Fact], day: dt.date) -> str:
    """The page's HTML with each fact's placeholder replaced by its value on `day`, linked to
    its source. Everything written is escaped here: this runs after the sanitizer."""
    if CLASS not in page_html:
        return page_html

    def replace(match: re.Match[str]) -> str:
        fact = facts.get(match.group(1))
        if fact is None:  # unknown ids stop the build; one that reached here is shown as its text
            return match.group(2)
        return fact_html(fact, day, text=match.group(2))

    return _PLACEHOLDER.sub(replace, page_html)


def fact_html(fact: Fact, day: dt.date, *, text: str) -> str:
    """The value in force as a link to the source; `text` (already HTML) where none is in force."""
    value = value_on(fact, day)
    url = fact.source.url if urlsplit(fact.source.url).scheme == "https" else ""
    if value is None:
        title = f"{fact.label}: no value in force on {long_date(day)}; see {fact.source.publisher}"
        shown = text
    else:
        title = f"{fact.label}, in force from {long_date(value.from_)} (source: {fact.source.publisher})"
        shown = html.escape(value.value)
    escaped_title = html.escape(title, quote=True)
    if not url:
        return f'<span class="{CLASS}" title="{escaped_title}">{shown}</span>'
    return f'<a class="{CLASS}" href="{html.escape(url, quote=True)}" title="{escaped_title}">{shown}</a>'


# Checks


@dataclass(frozen=True)
class FactLink:
    line: int
    column: int
    fact_id: str


def fact_links(body: str, masked: str, first_line: int) -> Iterator[FactLink]:
    """Every `fact:` link of a body (code blanked in `masked`), at its file line and column."""
    if SCHEME not in masked:  # most bodies: no line index to build, no pattern to run
        return
    lines = LineIndex(masked)
    for pattern, group in ((_LINK, 2), (_REFERENCE, 1)):
        for match in pattern.finditer(masked):
            line, column = lines.place(match.start(group))
            yield FactLink(first_line + line - 1, column + 1 - len(SCHEME), match.group(group))


def unknown_references(path: str, body: str, masked: str, first_line: int,
                       known: Sequence[str]) -> list[ContentError]:
    """`fact-unknown` at each link to an id no facts file defines, with the closest id."""
    found = []
    for link in fact_links(body, masked, first_line):
        if link.fact_id in known:
            continue
        close = difflib.get_close_matches(link.fact_id, known, n=1, cutoff=0.6) if _ID.fullmatch(link.fact_id) \
            else []
        hint = f"did you mean `fact:{close[0]}`?" if close else \
            "no fact has this id" + ("" if known else " (no facts are defined yet)")
        found.append(ContentError(path, link.line, link.column, "body",
                                  f"unknown fact `fact:{link.fact_id}`: {hint} (see content/data/facts/)",
                                  "fact-unknown"))
    return found


class ValueMatcher:
    """Finds any fact's value typed in prose, as written (unit or currency included), at
    word boundaries: "20 hours" is not found in "120 hours", nor "£12.71" in "£12.715"."""

    def __init__(self, facts: Iterable[Fact]):
        self.by_value: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            for value in dict.fromkeys(value.value for value in fact.values):
                self.by_value[_normal(value)].append(fact)
        # Longest first, so "18 months" wins over "8 months"... and the boundaries do the rest.
        alternatives = sorted(self.by_value, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<!\w)(?<!\d[.,])(?:" + "|".join(_spaced(value) for value in alternatives) + r")(?!\w)(?![.,]\d)",
            re.IGNORECASE) if alternatives else None

    def findings(self, path: str, body: str, masked: str, first_line: int) -> list[ContentError]:
        if self.pattern is None:
            return []
        found = []
        for offset, masked_line in enumerate(masked.split("\n")):
            if not masked_line.strip():
                continue
            prose = _NOT_PROSE.sub(lambda match: " " * len(match.group(0)), masked_line)
            for match in self.pattern.finditer(prose):
                facts = self.by_value[_normal(match.group(0))]
                ids = " and ".join(f"`{fact.id}`" for fact in facts)
                uses = " or ".join(f"[{fact.label}](fact:{fact.id})" for fact in facts)
                kind = "the value of fact" if len(facts) == 1 else "a value of facts"
                found.append(ContentError(
                    path, first_line + offset, match.start() + 1, "body",
                    f"types {match.group(0)}, {kind} {ids}: write {uses} instead, which shows the value "
                    "in force on the day the site is built", "fact-copy"))
        return found


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def _spaced(value: str) -> str:
    """A value's pattern: its words as written, any run of spaces (a no-break space too) between them."""
    return r"\s+".join(re.escape(word) for word in value.split())


def past_review(fact: Fact, day: dt.date) -> bool:
    return fact.review_by < day
