"""Markdown as GitHub shows it: what Python-Markdown needs besides pymdown-extensions.

Editors review articles in GitHub's preview, so the site renders the same structure.
mkdocs.yml enables pymdown-extensions for most of GitHub Flavored Markdown (task lists,
strikethrough, bare links, alerts, emoji); this extension does the rest:

- Lists as CommonMark reads them (`GfmLists`): a list may follow a paragraph without a
  blank line, and an item's content is nested by its own indent (two spaces after `- `,
  three after `1. `), where Python-Markdown wants four spaces for every level.
- A backslash at the end of a line is a line break.
- Heading ids as GitHub makes them (`Pay & benefits` -> `pay--benefits`, a repeated
  heading `-1`), so a `#section` link copied from GitHub's preview works on the site.
- Alerts are marked `role="note"` for assistive technology, and each task list box is
  named by its item's text (a box without a name fails WCAG 4.1.2).

What still differs is found by `parity.py`, which warns at the line.
"""

from __future__ import annotations

import collections
import functools
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown.treeprocessors
import markdown.util
import pymdownx.emoji
from markdown import Extension, Markdown
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor, ReferenceInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

TAB = 4  # Python-Markdown's indent for each nesting level

_MARKER = re.compile(r"(?P<indent> *)(?P<marker>[-+*]|(?P<number>\d{1,9})[.)])(?P<gap> {1,4}(?=\S)| *$)")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
_FENCE = re.compile(r" *(`{3,}|~{3,})")
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?: |$)|>|```|~~~|<|\||\[\^)")
_DELIMITER_ROW = re.compile(r" *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$")
_HEADING_PUNCTUATION = re.compile(r"[^\w\- ]")


def _expand_tabs(line: str) -> str:
    return line.expandtabs(TAB) if "\t" in line else line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@dataclass
class _Item:
    content: int  # the column where the item's content starts in the source
    depth: int  # nesting level: 0 for a top-level item
    kind: str  # its list's marker: `-`, `*`, `+`, `.` or `)` (numbered)


def _kind(match: re.Match[str]) -> str:
    marker = match.group("marker")
    return marker[-1] if match.group("number") else marker


def list_marker(line: str, column: int = 0) -> re.Match[str] | None:
    """The list marker starting `line` within a container whose content is at `column`."""
    if _indent(line) - column > 3 or _THEMATIC_BREAK.match(line[column:]):
        return None
    return _MARKER.match(line, column) if line[:column].strip() == "" else None


def normalize_lists(lines: list[str]) -> list[str]:
    """The lines with every list laid out so that Python-Markdown reads the structure
    CommonMark gives it: a blank line before a list that interrupts a paragraph, and each
    item's content indented four spaces a level. Other lines are kept as they are."""
    out: list[str] = []
    stack: list[_Item] = []  # the open list items, outermost first
    fence: tuple[str, int] | None = None  # an open code fence, and the column its lines are cut at
    paragraph = False  # whether the last line was paragraph text (a lazy line may continue it)
    item_line = False  # whether the last line started a list item (a nested list may follow it as is)
    for index, raw in enumerate(lines):
        line = _expand_tabs(raw)
        if fence is not None:
            marker, cut = fence
            stripped = line.strip()
            if stripped.startswith(marker) and not stripped.strip(marker[0]):
                fence = None
            out.append(_reindent(line, cut, len(stack)) if stack else raw)
            continue
        if not line.strip():
            out.append("")
            paragraph = item_line = False
            continue
        indent = _indent(line)
        if paragraph and "|" in line and index + 1 < len(lines) and "|" in lines[index + 1] \
                and _DELIMITER_ROW.match(lines[index + 1]):
            out.append("")  # a table may follow a paragraph's line on GitHub, not in Python-Markdown
            paragraph = False
        opened = list(stack)
        while stack and indent < stack[-1].content:
            stack.pop()
        container = stack[-1].content if stack else 0
        match = list_marker(line, container)
        if match is not None:
            sibling = len(opened) > len(stack)  # an item of the same list was open
            empty = not line[match.end():].strip()
            number = match.group("number")
            if paragraph and not sibling and (empty or (number is not None and int(number) != 1)):
                match = None  # CommonMark: this cannot start a list inside a paragraph
        lazy = paragraph and match is None and not _BLOCK_START.match(line[container:] if stack else line)
        if lazy and opened:  # a paragraph's next line, however indented
            stack, item_line = opened, False
            out.append(_reindent(line, min(indent, stack[-1].content), len(stack)))
            continue
        if match is not None:
            kind = _kind(match)
            other_list = len(opened) > len(stack) and opened[len(stack)].kind != kind
            if out and out[-1].strip() and (not item_line or other_list):
                # Python-Markdown wants a blank line before an item that follows text, and
                # before a list of another kind (GitHub starts a new list there).
                out.append("")
            text = line[match.end():]
            gap = len(match.group("gap")) if text else 1
            marker = match.group("marker").replace(")", ".")
            out.append(" " * (TAB * len(stack)) + marker + " " + text)
            stack.append(_Item(match.end("marker") + gap, len(stack), kind))
            fence_match = _FENCE.match(text)
            fence = (fence_match.group(1), stack[-1].content) if fence_match else None
            paragraph = bool(text.strip()) and not fence_match and not _BLOCK_START.match(text)
            item_line = True
            continue
        item_line = False
        if stack:
            out.append(_reindent(line, stack[-1].content, len(stack)))
            relative = line[stack[-1].content:]
        else:
            out.append(raw)
            relative = line
        code = _indent(relative) >= 4
        fence_match = None if code else _FENCE.match(relative)
        if fence_match:
            fence = (fence_match.group(1), stack[-1].content if stack else 0)
        paragraph = (not code or paragraph) and not fence_match and not _BLOCK_START.match(relative) \
            and not re.match(r" {0,3}(=+|-+) *$", relative)
    return out


def _reindent(line: str, column: int, level: int) -> str:
    """A line of an item's content (which starts at `column`), moved to `level` in fours."""
    return " " * (TAB * level) + line[min(column, _indent(line)):]


class _ListsPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalize_lists(lines)


class _BackslashBreak(InlineProcessor):
    """`text\\` at the end of a line: a line break, as in CommonMark."""

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Python-Markdown's name)
        return etree.Element("br"), m.start(0), m.end(0)


def github_slug(text: str) -> str:
    """The id GitHub gives a heading with this text (before numbering repeats)."""
    return _HEADING_PUNCTUATION.sub("", text.strip().lower()).replace(" ", "-")


class HeadingIds:
    """GitHub's ids for one document's headings, in order: a repeat gets `-1`, `-2`..."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        # The last number given to each repeated text: ids are never taken back, so the next
        # repeat starts there instead of trying -1, -2... again (quadratic in the repeats).
        self.numbered: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        base = github_slug(text)
        number = self.numbered.get(base, 0)
        anchor = f"{base}-{number}" if number else base
        while anchor in self.used:
            number += 1
            anchor = f"{base}-{number}"
        self.used.add(anchor)
        self.numbered[base] = number
        return anchor


# What smarty made of the hyphens GitHub slugs as written.
_SMARTY_DASHES = {"&ndash;": "--", "&mdash;": "---"}


class _HeadingIdsTreeprocessor(Treeprocessor):
    """Ids for headings without one, as GitHub makes them. Runs before `toc` (which keeps
    ids already set) and after `attr_list` (so `{#id}` written by an editor wins)."""

    def run(self, root: etree.Element) -> None:
        ids = HeadingIds()
        ids.used = {element.get("id") for element in root.iter() if element.get("id")}
        for element in root.iter():
            if isinstance(element.tag, str) and re.fullmatch(r"h[1-6]", element.tag) and "id" not in element.attrib:
                inner = render_inner_html(remove_fnrefs(element), self.md)
                for entity, dashes in _SMARTY_DASHES.items():
                    inner = inner.replace(entity, dashes)
                element.set("id", ids(html.unescape(strip_tags(inner))))


class _AlertRoles(Treeprocessor):
    """A GitHub alert (`pymdownx.quotes` makes it a titled admonition) is a note to its page."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("div"):
            if "admonition" in (element.get("class") or "").split():
                element.set("role", "note")


_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
_BLOCKS = {"p", "ul", "ol", "div", "pre", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "dl"}


class _TaskBoxNames(Treeprocessor):
    """`pymdownx.tasklist` stashes each box as `<input type="checkbox" disabled>`, with no
    name for a screen reader; this gives it the plain text of its item (up to the item's
    first nested block). Runs after the inline patterns, so the text is final."""

    def run(self, root: etree.Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        for item in root.iter("li"):
            if "task-list-item" not in (item.get("class") or "").split():
                continue
            holder = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() else item
            match = _STASHED.match(holder.text or "")
            if match is None or not str(stash[int(match[1])]).startswith("<input"):
                continue
            parts = [(holder.text or "")[match.end():]]
            for child in holder:
                if child.tag in _BLOCKS:
                    break
                parts += [*child.itertext(), child.tail or ""]
            text = " ".join(_STASHED.sub(lambda found: _stashed_text(stash, found), "".join(parts)).split())
            box = str(stash[int(match[1])])
            stash[int(match[1])] = box.replace("<input ", f'<input aria-label="{html.escape(text or "Task")}" ', 1)


def _stashed_text(stash: list, found: re.Match[str]) -> str:
    """What a stashed piece reads as: an entity (smarty's quotes), not markup."""
    piece = str(stash[int(found[1])])
    return "" if "<" in piece else html.unescape(piece)


# How far Python-Markdown reads for the `]` that closes a link's text, and for the `)` that
# closes its destination and title. It reads from every `[` to the end of the paragraph
# when there is none (`[x](` repeated: quadratic); no real link is anywhere near as long.
MAX_LINK_TEXT = 1_000
MAX_LINK_TARGET = 2_000


def _bounded_links(pattern: LinkInlineProcessor) -> None:
    """Make a link pattern's scans read at most so far past where each starts."""
    get_text, get_link = pattern.getText, pattern.getLink
    pattern.getText = lambda data, index: get_text(data[:index + MAX_LINK_TEXT], index)
    pattern.getLink = lambda data, index: get_link(data[:index + MAX_LINK_TARGET], index)
    if isinstance(pattern, ReferenceInlineProcessor):
        eval_id = pattern.evalId
        pattern.evalId = lambda data, index, text: eval_id(data[:index + MAX_LINK_TEXT], index, text)


class _LinearInlineProcessor(markdown.treeprocessors.InlineProcessor):
    """Python-Markdown's `inline` treeprocessor, with its output, in linear time: it found
    each child's place in its parent by a search of the parent's children, took its work
    from the front of a list, and grew an element's text one piece at a time (`&amp;`
    repeated: quadratic in each). The methods are copies of Python-Markdown 3.11's with
    those three changes; test_gfm.py checks the output is byte for byte the same."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = collections.deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            for position, child in enumerate(current):
                if child.text and not isinstance(child.text, markdown.util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = self._InlineProcessor__processPlaceholders(
                        self._InlineProcessor__handleInline(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack += found
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._InlineProcessor__handleInline(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_result = self._InlineProcessor__processPlaceholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    # Children are only ever inserted after this one while the loop runs.
                    tail_result.reverse()
                    for new_child in tail_result:
                        self.parent_map[new_child[0]] = current
                        current.insert(position + 1, new_child[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in insert_queue:
                for index, item in enumerate(found):
                    element.insert(index, item[0])
        return tree

    def _InlineProcessor__processPlaceholders(  # noqa: N802 (replaces the private method of the base class)
        self, data: str | None, parent: etree.Element, isText: bool = True,  # noqa: N803
    ) -> list[tuple[etree.Element, list[str]]]:
        prefix = self._InlineProcessor__placeholder_prefix
        if not data or prefix not in data:  # text alone, as most is: added where linkText adds it
            if data:
                text = markdown.util.AtomicString(data) if isinstance(data, markdown.util.AtomicString) else data[0:]
                if not isText:
                    parent.tail = parent.tail + text if parent.tail else text
                else:
                    parent.text = parent.text + text if parent.text else text
            return []
        result: list[tuple[etree.Element, list[str]]] = []
        pending: list[str] = []  # text for the place linkText writes to, joined once
        start = 0
        while data:
            index = data.find(prefix, start)
            if index != -1:
                id, end = self._InlineProcessor__findPlaceholder(data, index)
                if id in self.stashed_nodes:
                    node = self.stashed_nodes.get(id)
                    if index > start:
                        pending.append(data[start:index])
                    if not isinstance(node, str):
                        for child in [node] + list(node):
                            if child.tail and child.tail.strip():
                                self._InlineProcessor__processElementText(node, child, False)
                            if child.text and child.text.strip():
                                self._InlineProcessor__processElementText(child, child)
                    else:
                        if node:
                            pending.append(node)
                        start = end
                        continue
                    start = end
                    if pending:
                        _add_text(pending, result, parent, isText)
                    result.append((node, self.ancestors[:]))
                else:
                    end = index + len(prefix)
                    pending.append(data[start:end])
                    start = end
            else:
                text = data[start:]
                if isinstance(data, markdown.util.AtomicString):
                    text = markdown.util.AtomicString(text)
                if text:
                    pending.append(text)
                data = ""
        if pending:
            _add_text(pending, result, parent, isText)
        return result


def _add_text(pending: list[str], result: list[tuple[etree.Element, list[str]]], parent: etree.Element,
              is_text: bool) -> None:
    """The text `pending` holds, joined once, where Python-Markdown's linkText adds each
    piece: the last element's tail, else the parent's tail or text."""
    text = pending[0] if len(pending) == 1 else "".join(pending)
    pending.clear()
    if result:
        owner = result[-1][0]
        owner.tail = owner.tail + text if owner.tail else text
    elif not is_text:
        parent.tail = parent.tail + text if parent.tail else text
    else:
        parent.text = parent.text + text if parent.text else text


def bound_work(md: Markdown) -> None:
    """Python-Markdown's linear where it was quadratic, with the same output: call it once
    the converter's other extensions are loaded (see _bounded_links, _LinearInlineProcessor)."""
    for processor in md.treeprocessors:  # `inline`, and smarty's own
        if type(processor) is markdown.treeprocessors.InlineProcessor:
            processor.__class__ = _LinearInlineProcessor
    for pattern in md.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor):
            _bounded_links(pattern)


class GfmExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # After whitespace is normalized (30), before code fences are stashed (25).
        md.preprocessors.register(_ListsPreprocessor(md), "gfm_lists", 27)
        md.inlinePatterns.register(_BackslashBreak(r"\\\n", md), "gfm_backslash_break", 185)
        md.treeprocessors.register(_HeadingIdsTreeprocessor(md), "gfm_heading_ids", 6)
        md.treeprocessors.register(_AlertRoles(md), "gfm_alert_roles", 2)
        md.treeprocessors.register(_TaskBoxNames(md), "gfm_task_box_names", 3)
        bound_work(md)


@functools.cache
def _gemoji() -> dict:
    return pymdownx.emoji.gemoji({}, None)


def github_emoji(options: dict, md: Markdown) -> dict:
    """GitHub's emoji shortcodes (gemoji), for `pymdownx.emoji`'s `emoji_index`: the index
    made once. pymdownx's own `gemoji` deep-copies it for every converter, and MkDocs makes
    a converter per page (6 ms a page); the index is only read."""
    return _gemoji()


def makeExtension(**kwargs) -> GfmExtension:  # noqa: N802 (Python-Markdown's entry point)
    return GfmExtension(**kwargs)
