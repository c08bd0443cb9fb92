"""Where an article renders differently on the site and on GitHub: a warning at the line.

Editors review Markdown in GitHub's preview. The site's pipeline (Python-Markdown with
the extensions in mkdocs.yml) renders GitHub Flavored Markdown with the same structure
almost everywhere; where it does not, an editor must hear of it before a reader sees it.

Comparing two parsers on every line of every article would cost more than the whole
check, so the comparison is narrowed in two steps:
1. A scan of the body finds the lines where the two could differ at all (indented
   lines, a list straight after a paragraph, bare links, HTML, tables and alerts not
   written in their plain form...). Plain paragraphs, flat lists, headings and code
   fences render alike, as the tests show.
2. Each part of the body holding such a line (whole top-level blocks: see `parts`)
   is rendered by both, and the block structures (paragraphs,
   headings, lists and their nesting and numbering, list items and task boxes, code
   blocks, quotes and alerts, tables, links, line breaks and struck text) are compared.
The first place they part is reported, with what GitHub shows and what the site shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import lxml.html

from ..content.charts import CLASS as CHART_CLASS, SCHEME as CHART_SCHEME
from ..content.errors import ContentError
from ..content.facts import CLASS as FACT_CLASS, SCHEME as FACT_SCHEME
from ..content.limits import LineIndex
from .settings import MarkdownSettings

# Lines where the site and GitHub could render differently (found in the body with
# fenced code and code spans blanked, so code is never a reason).
_ITEM = r"[ ]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)"
_RISKY = re.compile(
    r"^(?:[ \t]+\S"  # indented: nesting, an item's second paragraph or code, an indented code block
    r"|\d{1,9}\)[ \t]"  # a numbered item with a parenthesis
    r"| {0,3}<"  # HTML
    r"| {0,3}>[^\n]*\[!)",  # an alert (one written plainly is let through below)
    re.MULTILINE,
)
# Anywhere in a line: struck text, a backslash line break, a table's pipe (a table written
# plainly is let through below), and an address (a bare one, not a link's or an autolink's).
_RISKY_TEXT = ("~~", "\\\n", "|")
_ADDRESS = re.compile(r"https?://|www\.")
_NOT_BARE = ("(", "<", '"', "'", "/", "]: ")
# The same, where the second of two lines is the one to report.
_RISKY_AFTER = re.compile(
    rf"^(?:(?!{_ITEM})[ \t]*\S[^\n]*\n(?={_ITEM})"  # a list straight after a line of text
    r"|[ ]{0,3}([-+*])[ \t][^\n]*\n(?=[ ]{0,3}(?!\1)[-+*][ \t])"  # another bullet character
    r"|[ ]{0,3}[-+*][ \t][^\n]*\n(?=[ ]{0,3}\d{1,9}[.)][ \t])"  # a numbered item after a bullet
    r"|[ ]{0,3}\d{1,9}[.)][ \t][^\n]*\n(?=[ ]{0,3}[-+*][ \t])"  # and the other way round
    r"|[ ]{0,3}([-+*])[ \t][^\n]*\n(?=\n[ ]{0,3}(?!\2)[-+*][ \t])"  # the same, after a blank line
    r"| {0,3}>[^\n]*\n(?=[^>\n]))",  # a quote followed by a lazy line
    re.MULTILINE,
)
_ATX_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)", re.MULTILINE)
_LIST_ITEM = re.compile(_ITEM)
_DELIMITER_ROW = re.compile(r"^\|(?: *:?-+:? *\|)+ *$")
_ALERT_LINE = re.compile(r"^> \[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\] *$")

Converter = Callable[[str], str]  # Markdown to HTML


@dataclass(frozen=True)
class Node:
    """A block as a reader sees its structure, with the line GitHub's parser read it from."""

    kind: str  # "p", "h2", "ul", "ol 3" (start 3), "li", "task", "code", "quote", "alert note", "table 2x3"...
    children: tuple[Node, ...] = ()
    line: int | None = field(default=None, compare=False)  # 0-based, in the compared text (GitHub's side)
    marks: tuple[tuple[str, int], ...] = ()  # inline: links, line breaks, struck text

    def describe(self) -> str:
        name = self.kind.split()[0]
        if name in ("ul", "ol"):
            items = sum(1 for child in self.children if child.kind in ("li", "task"))
            depth = self.depth()
            start = f" starting at {self.kind.split()[1]}" if name == "ol" and len(self.kind.split()) > 1 else ""
            nested = f", nested {depth} deep" if depth > 1 else ""
            return f"a {'numbered' if name == 'ol' else 'bulleted'} list of {items} item{'s' * (items != 1)}" \
                   f"{start}{nested}"
        if name == "p":
            marks = ", ".join(f"{count} {label}" for label, count in self.marks if count)
            return f"a paragraph{f' ({marks})' if marks else ''}"
        return _NAMES.get(name, name).format(*self.kind.split()[1:])

    def depth(self) -> int:
        below = [child.depth() for child in self.children]
        return (1 if self.kind.split()[0] in ("ul", "ol") else 0) + max(below, default=0)


_NAMES = {
    "h1": "a heading", "h2": "a heading", "h3": "a heading", "h4": "a heading", "h5": "a heading",
    "h6": "a heading", "li": "a list item", "task": "a task list item", "code": "a code block",
    "quote": "a block quote", "alert": "a {0} alert", "table": "a table of {0} columns", "hr": "a rule",
    "footnotes": "footnotes", "html": "HTML",
}


def risky_lines(masked: str, body: str | None = None) -> list[int]:
    """0-based numbers of the lines where the two renderings of `body` could differ;
    `masked` is the body with its code blanked (`policy.mask_code`)."""
    lines = (masked if body is None else body).split("\n")
    line_of = LineIndex(masked)
    tables: dict[int, bool] = {}
    found = set()
    for match in _RISKY.finditer(masked):
        number = line_of.place(match.start())[0] - 1
        text = match.group(0)
        if text[0] in " \t" and not lines[number][:1].isspace():
            continue  # a code span blanked at the start of the line, not an indent
        if text.lstrip().startswith(">") and _plain_alert(lines, number):
            continue
        found.add(number)
    for needle in _RISKY_TEXT:
        at = masked.find(needle)
        while at != -1:
            number = line_of.place(at)[0] - 1
            if needle != "|" or not _plain_table_row(lines, number, tables):
                found.add(number)
            at = masked.find(needle, masked.find("\n", at) + 1) if masked.find("\n", at) != -1 else -1
    for match in _ADDRESS.finditer(masked):
        before = masked[max(0, match.start() - 3):match.start()]
        if not before.endswith(_NOT_BARE) and not (before[-1:].isalnum() or before.endswith("_")):
            found.add(line_of.place(match.start())[0] - 1)
    for match in _RISKY_AFTER.finditer(masked):
        after_blank = match.group(2) is not None  # the item is on the line after the blank one
        found.add(line_of.place(match.start())[0] + (1 if after_blank else 0))
    return sorted(found)


def _plain_table_row(lines: list[str], number: int, tables: dict[int, bool]) -> bool:
    """Whether line `number` is in a table written the plain way: a blank line before,
    every row between outer pipes, and a delimiter row with as many cells as the header.
    `tables` holds the answer for every line of each block already read, so a table of
    many rows is read once, not once a row."""
    if number in tables:
        return tables[number]
    start = number
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = number
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    rows = lines[start:end + 1]
    if len(rows) < 2 or not _DELIMITER_ROW.match(rows[1].strip()):
        plain = False
    else:
        cells = rows[1].strip().count("|")
        plain = all(row.startswith("|") and row.rstrip().endswith("|") and row.count("|") == cells
                    and "\\|" not in row for row in rows)
    tables.update(dict.fromkeys(range(start, end + 1), plain))
    return plain


def _plain_alert(lines: list[str], number: int) -> bool:
    """An alert written the plain way: `> [!NOTE]` after a blank line, then `> text` lines."""
    if not _ALERT_LINE.match(lines[number]) or (number > 0 and lines[number - 1].strip()):
        return False
    end = number + 1
    while end < len(lines) and lines[end].strip():
        line = lines[end]
        if not line.startswith(">") or re.match(r">\s*(?:[-+*] |\d+[.)] |#|>|\[!)|> {4,}\S", line):
            return False
        end += 1
    return end > number + 1


MAX_PARTS = 100


def parts(masked_lines: list[str], wanted: list[int]) -> Iterator[tuple[int, int]]:
    """(first, end) line ranges that hold a wanted line, each made of whole top-level
    blocks: a part ends before an ATX heading, and before a line at the margin after a
    blank line that no list can continue (both parsers close every block there). Fenced
    code is blank in `masked_lines`, so it never ends a part."""
    bounds = [0]
    for number, line in enumerate(masked_lines):
        if number and (_ATX_HEADING.match(line) or (
                line[:1].strip() and not masked_lines[number - 1].strip() and not _LIST_ITEM.match(line))):
            bounds.append(number)
    bounds.append(len(masked_lines))
    found, index = [], 0
    for first, end in zip(bounds, bounds[1:]):
        if index < len(wanted) and wanted[index] < end:  # wanted is sorted, and none is before `first`
            found.append((first, end))
        while index < len(wanted) and wanted[index] < end:
            index += 1
    # Each part is converted on its own, at a cost per conversion: a page of thousands of
    # one-line blocks would take a minute. Past MAX_PARTS, neighbouring parts are taken
    # together (still whole blocks), so a page costs at most MAX_PARTS conversions.
    size = -(-len(found) // MAX_PARTS)
    for start in range(0, len(found), size or 1):
        group = found[start:start + size]
        yield group[0][0], group[-1][1]


def compare(text: str, ours: Converter, reference: Converter) -> tuple[Node, Node, int] | None:
    """The first place where the two renderings of `text` part: (GitHub's, ours, line)."""
    theirs = structure(reference(text))
    mine = structure(ours(text))
    return _first_difference(theirs, mine, 0)


def _first_difference(theirs: tuple[Node, ...], mine: tuple[Node, ...], line: int) -> tuple[Node, Node, int] | None:
    for index in range(max(len(theirs), len(mine))):
        if index >= len(theirs):
            return Node("nothing"), mine[index], line
        expected = theirs[index]
        line = expected.line if expected.line is not None else line
        if index >= len(mine):
            return expected, Node("nothing"), line
        got = mine[index]
        if expected.kind != got.kind or expected.marks != got.marks:
            return expected, got, line
        deeper = _first_difference(expected.children, got.children, line)
        if deeper is not None:
            if deeper[0].kind not in ("nothing", "p") or expected.kind == "quote":
                return deeper
            # The site ran on where GitHub ended this block: the place is where GitHub's next one starts.
            following = theirs[index + 1].line if index + 1 < len(theirs) else None
            return expected, got, following if deeper[0].kind == "nothing" and following is not None else deeper[2]
    return None


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "blockquote", "table", "hr", "div",
           "section"}


def structure(html: str) -> tuple[Node, ...]:
    """The block structure of rendered HTML, the same whichever parser made it."""
    if not html.strip():
        return ()
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return tuple(_blocks(root))


def _line(element) -> int | None:
    value = element.get("data-source-line")
    return int(value) if value is not None else None


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _blocks(parent) -> Iterator[Node]:
    """The block children of `parent`; runs of inline content in a list item count as a paragraph."""
    loose: list = []  # inline content waiting to become a paragraph
    text = (parent.text or "").strip()
    pending = bool(text)
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BLOCKS or child.tag in ("details",):
            if pending or loose:
                yield Node("p", marks=_marks_of(loose))
                loose, pending = [], False
            node = _block(child)
            if node is not None:
                yield node
            if (child.tail or "").strip():
                pending = True
        else:
            loose.append(child)
            pending = True
    if pending or loose:
        yield Node("p", marks=_marks_of(loose))


def _marks_of(elements) -> tuple[tuple[str, int], ...]:
    links = breaks = struck = facts = 0
    for element in elements:
        for inner in element.iter():
            if not isinstance(inner.tag, str):
                continue
            # A fact link: GitHub shows its text (a link without its `fact:` address), the site
            # the fact's value (a placeholder, then); the same place in both, not a difference.
            # A chart link likewise: its text on GitHub, the chart's placeholder on the site.
            if (inner.tag == "a" and (inner.get("href") or "").startswith((FACT_SCHEME, CHART_SCHEME))) or \
                    (inner.tag == "span" and _classes(inner) & {FACT_CLASS, CHART_CLASS}):
                facts += 1
            elif inner.tag == "a" and inner.get("href") and not _classes(inner) & _NOT_LINKS \
                    and not (inner.get("href") or "").startswith("#fn"):
                links += 1
            elif inner.tag == "br":
                breaks += 1
            elif inner.tag in ("del", "s"):
                struck += 1
    return (("links", links), ("line breaks", breaks), ("struck", struck), ("facts", facts))


_NOT_LINKS = {"headerlink", "footnote-ref", "footnote-backref"}


def _block(element) -> Node | None:
    tag, classes = element.tag, _classes(element)
    line = _line(element)
    if tag == "p" or tag == "summary":
        if classes & {"admonition-title", "markdown-alert-title"}:
            return None
        return Node("p", line=line, marks=_marks_of([element]))
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return Node(tag, line=line)
    if tag in ("ul", "ol"):
        kind = tag
        if tag == "ol" and element.get("start") not in (None, "1"):
            kind = f"ol {element.get('start')}"
        return Node(kind, tuple(_item(li) for li in element if getattr(li, "tag", None) == "li"), line)
    if tag == "pre":
        code = element.find("code")
        return Node("code", line=line if code is None or _line(code) is None else _line(code))
    if tag == "blockquote":
        return Node("quote", tuple(_blocks(element)), line)
    if tag == "table":
        rows = element.findall(".//tr")
        columns = max((len(row.findall("th")) + len(row.findall("td")) for row in rows), default=0)
        return Node(f"table {columns}", line=line)
    if tag == "hr":
        return None if "footnotes-sep" in classes else Node("hr", line=line)
    if tag in ("div", "section", "details"):
        if "highlight" in classes and element.find(".//pre") is not None:
            return Node("code", line=line)
        if classes & {"footnote", "footnotes"}:
            items = len(element.findall(".//li"))
            return Node(f"footnotes {items}", line=line)
        alert = _alert_kind(classes)
        if alert:
            return Node(f"alert {alert}", tuple(_blocks(element)), line)
        return Node("html", line=line)
    return None


_ALERTS = ("note", "tip", "important", "warning", "caution")


def _alert_kind(classes: set[str]) -> str | None:
    for kind in _ALERTS:
        if f"markdown-alert-{kind}" in classes or ("admonition" in classes and kind in classes):
            return kind
    return None


def _item(li) -> Node:
    box = li.find(".//input[@type='checkbox']")
    checked = box is not None and box.get("checked") is not None
    kind = ("task checked" if checked else "task") if box is not None else "li"
    return Node(kind, tuple(_blocks(li)), _line(li))


# Hints for the editor, by what GitHub shows where the site differs.
def advice(expected: Node, got: Node) -> str:
    names = (expected.kind.split()[0], got.kind.split()[0])
    if "ul" in names or "ol" in names or "li" in names or "task" in names:
        return ("put a blank line before the list, indent a nested item by the width of its parent's marker "
                "(2 spaces after `- `, 3 after `1. `) or by 4, and the same for code inside an item")
    if "table" in names:
        return "put a blank line before the table and start and end every row with `|`"
    if "alert" in names or "quote" in names:
        return "start every line of a quote or alert with `>`, and the alert with `> [!NOTE]` alone on its line"
    if "code" in names:
        return "fence code with ``` instead of indenting it, and put a blank line before it"
    if "html" in names:
        return "write it in Markdown: raw HTML renders differently on GitHub and on the site"
    return "write it as GitHub's preview shows it (see CONTRIBUTING.md, Writing Markdown)"


class Parity:
    """The comparison for one build or check: both converters are made on first use,
    since most articles have no line worth comparing."""

    def __init__(self, settings: MarkdownSettings):
        self.settings = settings
        self._converters: tuple[Converter, Converter] | None = None

    def converters(self) -> tuple[Converter, Converter]:
        if self._converters is None:
            self._converters = (self.settings.converter(), reference_converter())
        return self._converters

    def differences(self, body: str, masked: str, first_line: int, path: str) -> list[ContentError]:
        """A warning for each part of the body that the site renders differently from GitHub."""
        wanted = risky_lines(masked, body)
        return differences(body, masked, wanted, first_line, path, *self.converters()) if wanted else []


def differences(body: str, masked: str, wanted: list[int], first_line: int, path: str, ours: Converter,
                reference: Converter) -> list[ContentError]:
    """A warning for each part holding a `wanted` line that renders differently."""
    lines = body.split("\n")
    found = []
    for first, end in parts(masked.split("\n"), wanted):
        part = "\n".join(lines[first:end])
        parted = compare(part, ours, reference)
        if parted is None:
            continue
        expected, got, line = parted
        found.append(ContentError(
            path, first_line + first + line, 1, "body",
            f"renders differently on GitHub: GitHub shows {expected.describe()} here, the site "
            f"{got.describe()}; {advice(expected, got)}", "gfm-differs"))
    return found


def reference_converter() -> Converter:
    """GitHub's rendering, as markdown-it-py with the GFM plugins has it, each block
    marked with the line it starts on (`data-source-line`)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark", {"html": True}).use(gfm_plugin)

    def convert(text: str) -> str:
        env: dict = {}
        tokens = md.parse(text, env)
        for token in tokens:
            if token.map is not None and token.nesting >= 0 and token.type != "inline":
                token.attrSet("data-source-line", str(token.map[0]))
        return md.renderer.render(tokens, md.options, env)

    return convert
