"""Structural limits on one page's Markdown, measured on the source before it is converted.

Python-Markdown recurses once per nesting level (a list nested 300 deep overflows
Python's stack) and, for a few constructs, rescans the rest of a paragraph from each
opening mark (`gfm.py` bounds the scans it can). What no fix makes cheap is refused here,
by counting: no article under these limits takes more than a few seconds to check or
build, and an editor learns which line to change. Every limit is far above what an
article needs (our longest is 14 kB, nested 3 deep, with under 200 brackets).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

MAX_MARKDOWN_BYTES = 200_000  # of one page's Markdown: fourteen times our longest article
MAX_NESTING = 32  # lists and quotes, one in another (like YAML's MAX_DEPTH)
MAX_BRACKETS = 5_000  # `[` in one page: each is a link Python-Markdown may scan for
MAX_TAG_STARTS = 2_000  # `<` followed by a tag's first character, in one page
MAX_FOOTNOTE_REFERENCES = 500  # `[^`: Python-Markdown numbers repeated ones in quadratic time
# A block: lines without a blank one between. Python-Markdown rereads a block's rest each
# time it takes a line off its front (a heading, a reference definition...), and copies a
# paragraph's whole text for each link, entity or emphasis it finds in it.
MAX_BLOCK_LINES = 500
MAX_BLOCK_BYTES = 20_000  # our longest paragraph or list is under 2,000
# Blocks in one page: each costs Python-Markdown every inline pattern once, so 60,000
# one-character paragraphs (under the size limit) take a quarter of a minute to convert.
MAX_BLOCKS = 5_000  # our longest article has under 150

# The markers that open a container at the start of a line: a quote or a list item.
_CONTAINERS = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
# The start of a line that may be too deep: a line's depth is at most twice the length of
# its run of indentation and marker characters (a tab is four columns, two levels), so
# only a run this long can be. Searched from a newline, which the regex engine finds fast.
_DEEP_RUN = rf"[ \t>+*\-\d.)]{{{MAX_NESTING // 2 + 1}}}"
_DEEP_FIRST_LINE = re.compile(_DEEP_RUN)
_DEEP_LINE = re.compile("\n" + _DEEP_RUN)
# What is counted in a page: (what, how each starts, the pattern, the limit).
_COUNTED = (("`[`", "[", re.compile(r"\["), MAX_BRACKETS),
            ("footnote references (`[^`)", "[^", re.compile(r"\[\^"), MAX_FOOTNOTE_REFERENCES),
            ("HTML tags (`<` and a letter)", "<", _TAG_START, MAX_TAG_STARTS))


def _nesting(line: str) -> int:
    """How deep a line is nested, counted generously: the quote and list markers that open
    it, and two columns of indentation for each level a list item's content may take."""
    expanded = line.expandtabs(4) if "\t" in line else line
    indent = len(expanded) - len(expanded.lstrip(" "))
    markers, at = 0, indent
    while (match := _CONTAINERS.match(expanded, at)) is not None and match.end() > at:
        markers += 1
        at = match.end()
    return indent // 2 + markers


class LineIndex:
    """The line and column of an offset in a text, by binary search (not a count of the
    newlines before it, which is quadratic over all the offsets of a long text)."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def place(self, offset: int) -> tuple[int, int]:
        """1-based line, 0-based column."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]


def problems(text: str, masked: str) -> Iterator[tuple[int, int, str, str]]:
    """(line, column, message, code) for each limit the text is over; `masked` is the text
    with its code blanked (policy.mask_code), since code is shown, never parsed."""
    size = len(text.encode("utf-8"))
    if size > MAX_MARKDOWN_BYTES:
        yield 1, 0, f"the Markdown is {size:,} bytes; at most {MAX_MARKDOWN_BYTES:,} are allowed: split the " \
                    "article in two", "markdown-too-large"
        return  # the other counts would only repeat it
    deep = _DEEP_FIRST_LINE.match(masked) is not None or _DEEP_LINE.search(masked) is not None
    for number, line in enumerate(masked.split("\n") if deep else (), 1):
        if line.strip() and (depth := _nesting(line)) > MAX_NESTING:
            yield number, 0, f"this line is nested about {depth:,} levels deep (lists, quotes and their " \
                             f"indentation); at most {MAX_NESTING} are allowed: flatten it", "markdown-too-deep"
            break  # the lines after it are as deep: one error is enough
    # A text of fewer lines and characters than one block may have is within all three.
    small = masked.count("\n") < MAX_BLOCK_LINES and len(masked) < MAX_BLOCK_BYTES
    lines = size = blocks = 0  # of the block so far; blocks begun
    for number, line in enumerate(() if small else masked.split("\n"), 1):
        blocks += bool(line.strip()) and not lines
        lines, size = (lines + 1, size + len(line) + 1) if line.strip() else (0, 0)
        if blocks > MAX_BLOCKS:
            yield number, 0, f"more than {MAX_BLOCKS:,} paragraphs, list items or other blocks in one page; at " \
                             f"most {MAX_BLOCKS:,} are allowed: split the page", "markdown-too-complex"
            break
        if lines > MAX_BLOCK_LINES or size > MAX_BLOCK_BYTES:
            what = f"{MAX_BLOCK_LINES} lines" if lines > MAX_BLOCK_LINES else f"{MAX_BLOCK_BYTES:,} characters"
            yield number, 0, f"more than {what} without a blank line between them; at most {what} are allowed: " \
                             "add blank lines between paragraphs, list items or headings", "markdown-too-complex"
            break
    for what, first, pattern, limit in _COUNTED:
        if masked.count(first) <= limit:  # each match starts with `first`: too few to be over
            continue
        for count, match in enumerate(pattern.finditer(masked), 1):
            if count > limit:
                line, column = LineIndex(masked).place(match.start())
                yield line, column, f"more than {limit:,} {what} in one page; at most {limit:,} are allowed: " \
                                    "split the page, or write the character as an entity (&#91; or &lt;)", \
                    "markdown-too-complex"
                break
