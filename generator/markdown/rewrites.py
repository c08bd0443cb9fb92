"""Where the sanitizer changes what an article's Markdown makes: a warning at the line.

The source lint (policy.py) refuses what is plainly dangerous; the sanitizer
(sanitize.py) removes whatever else is not on its allow-list, such as `style=` or
`data-*` set with attr_list, an element it does not know, or a class our extensions do
not write. An editor must hear of each such removal rather than find the page silently
different, so `check` and the build (one pipeline: pipeline.prepare, lint.py) convert the
parts of the body that could hold one (lines with `<`, `{` or `![`, code blanked), compare the
HTML before and after sanitizing, and name each removal at the source line that wrote it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from ..content.errors import ContentError
from ..content.limits import LineIndex
from .mdext import SANITIZER
from .parity import parts
from .sanitize import CONTENT_DROPPED
from .settings import MarkdownSettings

# HTML, attr_list, and images (whose source may be on another site)
_MAY_BE_SANITIZED = re.compile(r"[<{]|!\[")
# Attributes the sanitizer adds or rewrites itself: never a removal to report.
_ADDED = {("a", "rel"), ("input", "disabled"), ("input", "type"), ("iframe", "sandbox")}


@dataclass(frozen=True, order=True)
class Removal:
    """One thing the sanitizer removed: an element, an attribute, or one class."""

    tag: str
    attribute: str = ""  # "" for the element itself
    value: str = ""  # the attribute's value, or the class

    def describe(self) -> str:
        if not self.attribute:
            held = " and what it holds" if self.tag in CONTENT_DROPPED else ""
            return f"the <{self.tag}> element{held}"
        if self.attribute == "class":
            return f"the class {self.value!r} on <{self.tag}>"
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return f"{self.attribute}={shown!r} on <{self.tag}>"


class _Facts(HTMLParser):
    """Every element, attribute and class in a piece of HTML, counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts: Counter[Removal] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.facts[Removal(tag)] += 1
        for name, value in attrs:
            if name == "class":
                self.facts.update(Removal(tag, "class", token) for token in (value or "").split())
            elif (tag, name) not in _ADDED:
                self.facts[Removal(tag, name, value or "")] += 1

    handle_startendtag = handle_starttag


def _facts(html: str) -> Counter[Removal]:
    parser = _Facts()
    parser.feed(html)
    parser.close()
    return parser.facts


def removals(before: str, after: str) -> list[Removal]:
    """What is in `before` and not in `after` (the sanitizer adds nothing to report).

    A paragraph is always allowed: one that goes is only left empty (by an element dropped
    with what it holds, or by a block in a step's paragraph), which shows as nothing."""
    return sorted(removal for removal in (_facts(before) - _facts(after)).elements()
                  if removal != Removal("p"))


def _source_place(removal: Removal, lines: list[str]) -> tuple[int, int] | None:
    """(line, column), 0-based in `lines`, of the source that most likely wrote it."""
    if not removal.attribute:
        needles = [re.compile(rf"<{re.escape(removal.tag)}(?![\w-])", re.IGNORECASE)]
    elif removal.attribute == "class":
        needles = [re.compile(rf"\.{re.escape(removal.value)}(?![\w-])"),
                   re.compile(rf"(?<![\w-]){re.escape(removal.value)}(?![\w-])")]
    else:
        needles = [re.compile(rf"(?<![\w-]){re.escape(removal.attribute)}(?![\w-])", re.IGNORECASE)]
        if removal.value:  # `{#id}`, or a value our extensions wrote (a permalink's `#id`)
            needles.append(re.compile(rf"#?{re.escape(removal.value.lstrip('#'))}(?![\w-])"))
    for needle in needles:
        for number, line in enumerate(lines):
            if _MAY_BE_SANITIZED.search(line):
                found = needle.search(line)
                if found is not None:
                    return number, found.start()
    return None


class Rewrites:
    """The comparison for one build or check; the converter is made on first use,
    since most articles have no line the sanitizer could change."""

    def __init__(self, settings: MarkdownSettings):
        self.settings = settings
        self._convert: tuple[Callable[[str], str], Callable[[str], str]] | None = None

    def converters(self) -> tuple[Callable[[str], str], Callable[[str], str]] | None:
        """(Markdown to HTML as the site converts it but for the sanitizer, the sanitizer);
        None when the site's settings have no sanitizer."""
        if self._convert is None:
            md = self.settings.markdown()
            if SANITIZER not in md.postprocessors:
                return None
            sanitizer = md.postprocessors[SANITIZER]
            md.postprocessors.deregister(SANITIZER)
            self._convert = (lambda text: md.reset().convert(text), sanitizer.run)
        return self._convert

    def warnings(self, body: str, masked: str, first_line: int, path: str) -> list[ContentError]:
        found = [match.start() for match in _MAY_BE_SANITIZED.finditer(masked)]
        if not found:
            return []
        lines = LineIndex(masked)  # not a count of the newlines before each: quadratic
        wanted = [lines.place(offset)[0] - 1 for offset in found]
        converters = self.converters()
        if converters is None:
            return []
        return list(_warnings(body, masked, sorted(set(wanted)), first_line, path, *converters))


def _warnings(body: str, masked: str, wanted: list[int], first_line: int, path: str,
              convert: Callable[[str], str], sanitize: Callable[[str], str]) -> Iterator[ContentError]:
    lines, masked_lines = body.split("\n"), masked.split("\n")
    for first, end in parts(masked_lines, wanted):
        before = convert("\n".join(lines[first:end]))
        found = removals(before, sanitize(before))
        for removal in found:
            place = _source_place(removal, masked_lines[first:end])
            line, column = place if place is not None else (0, 0)
            yield ContentError(
                path, first_line + first + line, column + 1, "body",
                f"the published page will not have {removal.describe()}: only the HTML the site's Markdown "
                "writes is kept; remove it or write Markdown", "sanitized")
