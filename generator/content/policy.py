"""The raw HTML policy: what Markdown may not carry to a reader's browser.

Editors write Markdown; a pull request may also carry hostile HTML that a reviewer
misses. Elements that run code or restyle the page (`<script>`, `<iframe>`,
`<object>`, `<embed>`, `<style>`), inline event handlers (`on*=`) and URLs with the
`javascript:`, `vbscript:` or `data:` schemes are errors, unless `allow_html` in
mkdocs.yml permits a specific element with a specific `src` prefix (for example a
video embed from one host).
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

from . import limits
from .errors import ContentError

FORBIDDEN_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "style", "frame", "frameset", "base"})
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset",
                            "background", "cite"})

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
# Where a Markdown link's destination starts; the destination runs to `)`, a blank or `>`.
_MD_LINK = re.compile(r"\]\(\s*<?")
_URL_RUN = re.compile(r"[^)\s>]*")
# What decides a URL's scheme: letters, digits, `+.-`, entities and controls (see url_scheme),
# and the one character after them. Each link reads only this much of its destination, so
# that `](` repeated on one line is not read to the end of the line from every one.
_SCHEME_PART = re.compile(r"[A-Za-z0-9+.\-&#;\x00-\x08\x0e-\x1f\x7f]*")
# A link reference definition; `[^1]: text` is a footnote, not a link. As Python-Markdown
# reads it: inside quotes and list items too, and the URL may be on the next line.
_MD_REFERENCE = re.compile(
    r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*\[(?!\^)[^\[\]]*\]:[ \t]*(?:\n[ \t>]*)?"
    r"<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*):")
_AUTOLINK_END = re.compile(r"[>\s]")
_AUTOLINK_RUN = re.compile(r"[^>\s]*")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


@dataclass(frozen=True)
class Allowance:
    """One permitted form: `element` whose `src`, normalized (`normalized_url`), starts
    with `src_prefix`: an https:// address in normal form that ends with `/`, so that
    `..` or `%2e%2e` cannot climb out of it, nor a longer host name extend it."""

    element: str
    src_prefix: str

    def permits(self, element: str, attributes: dict[str, str]) -> bool:
        source = normalized_url(attributes.get("src") or "")
        return (element == self.element and prefix_problem(self.src_prefix) is None
                and source is not None and source.startswith(self.src_prefix))


def normalized_url(url: str) -> str | None:
    """`url` as a browser resolves it (tabs and newlines dropped, `\\` read as `/`, the
    scheme and host lowercased, percent-encoded dots and slashes decoded, `.` and `..`
    segments resolved), for comparing with an allowance's prefix; None if it has a user
    name or password, or is not an absolute http(s) URL."""
    url = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname or "@" in parts.netloc:
        return None
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return None
    path = re.sub(r"%2[eE]", ".", re.sub(r"%2[fF]|%5[cC]", "/", parts.path)) or "/"
    resolved = posixpath.normpath(path)
    resolved = "/" + resolved.lstrip("/") if resolved != "." else "/"
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    return urlunsplit((parts.scheme.lower(), parts.hostname.lower() + port, resolved, parts.query, parts.fragment))


def prefix_problem(prefix: str) -> str | None:
    """Why `prefix` cannot be an allowance's `src_prefix`, or None."""
    normalized = normalized_url(prefix)
    if normalized is None or not normalized.startswith("https://"):
        return f"src_prefix {prefix!r} must be an https:// address"
    if not prefix.isascii():
        # A look-alike letter (Cyrillic о for o) names another host, which a reviewer
        # cannot see: the browser loads, and the CSP admits, its xn-- form.
        host = urlsplit(normalized).hostname or ""
        if host.isascii():
            return f"src_prefix {prefix!r} has letters outside ASCII: percent-encode its path"
        try:
            spelled = host.encode("idna").decode("ascii")
        except UnicodeError:
            spelled = "its xn-- form"
        return f"src_prefix {prefix!r} has letters outside ASCII: write the host as {spelled!r}, so that " \
               "reviewers see which site it is"
    if normalized != prefix:
        return f"src_prefix {prefix!r} is not in its normal form: write {normalized!r}"
    if not normalized.endswith("/"):
        return f"src_prefix {prefix!r} must end with / (a whole path segment), e.g. {normalized + '/'!r}"
    return None


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see: entities decoded, blanks and controls dropped."""
    decoded = html.unescape(url)
    cleaned = "".join(ch for ch in decoded if ch > " " and ch != "\x7f").lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def is_unsafe_url(url: str) -> bool:
    return url_scheme(url) in UNSAFE_SCHEMES


def mask_code(text: str) -> str:
    """The text with fenced code blocks and code spans blanked, lines and columns kept."""
    lines = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1).startswith(fence):
                fence = None
            lines.append(" " * len(line))
            continue
        if match:
            fence = match.group(1)[0] * len(match.group(1))
            lines.append(" " * len(line))
            continue
        lines.append(_mask_code_spans(line) if "`" in line else line)
    return "\n".join(lines)


def _mask_code_spans(line: str) -> str:
    """The line with its code spans blanked, as Python-Markdown finds them, in linear time.

    A run of backticks opens a span (its first backtick is escaped after an odd number of
    backslashes) and the first later run of exactly as many closes it; without one, the
    opener gives up backticks to close with the longest shorter run that comes later. (A
    regular expression that backtracks over the runs took cubic time on a line of them.)
    """
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(line)]
    later: dict[int, list[int]] = {}  # run length -> the indexes of the runs of that length
    for index, (start, end) in enumerate(runs):
        later.setdefault(end - start, []).append(index)
    lengths = sorted(later)
    chars = list(line)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        slashes = 0
        while start - slashes > 0 and line[start - slashes - 1] == "\\":
            slashes += 1
        opener = start + (slashes % 2)  # an escaped first backtick is text
        closer = None
        for length in reversed(lengths[:bisect.bisect_right(lengths, end - opener)]):
            candidates = later[length]
            found = bisect.bisect_right(candidates, index)
            if found < len(candidates):
                closer = candidates[found]
                break
        if closer is None:
            index += 1
            continue
        close_end = runs[closer][1]
        chars[opener:close_end] = " " * (close_end - opener)
        index = closer + 1
    return "".join(chars)


class _TagScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, int, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        self.tags.append((line, column, tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def _raw_html_problems(masked: str, allow: Sequence[Allowance]) -> Iterator[tuple[int, int, str, str]]:
    if "<" not in masked:  # most Markdown has no HTML at all: skip the parser
        return
    scanner = _TagScanner()
    # Only up to the last `>`: a tag left open after it is text to the parser, which would
    # read from each such `<` to the end (`<a ` repeated: quadratic) to find that out.
    scanner.feed(masked[:masked.rfind(">") + 1])
    scanner.close()
    for line, column, tag, attributes in scanner.tags:
        if tag in FORBIDDEN_ELEMENTS and not any(a.permits(tag, attributes) for a in allow):
            yield line, column, f"<{tag}> is not allowed in content (see allow_html in mkdocs.yml for embeds)", \
                "raw-html"
        for name, value in attributes.items():
            if name.startswith("on"):
                yield line, column, f"the event handler {name}= is not allowed: scripts cannot run in content", \
                    "raw-html"
            elif name in URL_ATTRIBUTES and is_unsafe_url(value):
                yield line, column, f"{name}={value[:40]!r} uses the {url_scheme(value)}: scheme: link to an " \
                                    "https:// address instead", "unsafe-url"


def _markdown_url_problems(masked: str) -> Iterator[tuple[int, int, str, str]]:
    found = []  # (offset, as much of the URL as decides its scheme, the pattern of the whole URL)
    for match in _MD_LINK.finditer(masked):
        start = match.end()
        decisive = _SCHEME_PART.match(masked, start).end() + 1
        found.append((start, _URL_RUN.match(masked, start, decisive).group(0), _URL_RUN))
    # A definition has `]:`: without one, no pattern tried at every line start.
    for match in _MD_REFERENCE.finditer(masked) if "]:" in masked else ():
        found.append((match.start(1), match.group(1), None))
    ends = [end.start() for end in _AUTOLINK_END.finditer(masked)] if "<" in masked else []
    for match in _AUTOLINK.finditer(masked):
        # An autolink runs to `>` with no blank inside: where each run ends is found once.
        end = bisect.bisect_left(ends, match.end())
        if end < len(ends) and masked[ends[end]] == ">":
            found.append((match.start(1), match.group(0)[1:], _AUTOLINK_RUN))
    lines = None  # most links are safe: only an unsafe one needs its line
    for offset, url, whole in found:
        if is_unsafe_url(url):
            lines = lines or limits.LineIndex(masked)
            line, column = lines.place(offset)
            shown = whole.match(masked, offset, offset + 40).group(0) if whole else url[:40]
            yield line, column, \
                f"the link {shown!r} uses the {url_scheme(url)}: scheme: link to an https:// address instead", \
                "unsafe-url"


def check_markdown(text: str, *, path: str, first_line: int = 1, field: str = "body",
                   allow: Sequence[Allowance] = (), masked: str | None = None) -> list[ContentError]:
    """Every policy violation in a Markdown text, at its file line and column.

    `masked` is `mask_code(text)` when the caller has it already."""
    masked = mask_code(text) if masked is None else masked
    found = set(limits.problems(text, masked))
    if not found:  # past a limit, the other scans are not worth their time
        found = set(_raw_html_problems(masked, allow)) | set(_markdown_url_problems(masked))
    return [ContentError(path, first_line + line - 1, column + 1, field, message, code)
            for line, column, message, code in sorted(found)]
