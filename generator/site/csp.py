"""The Content-Security-Policy of every page, as a `<meta>` tag, made from what we wrote.

Scripts may come only from the site itself or be one of the inline scripts the theme
writes, named by hash; they may compile WebAssembly (search). The hashes are taken from
the theme rendered without content (generator/mkdocs/theme_scripts.py), never from a
finished page, which a contributor may have written: a script that reached a page any
other way does not run. Frames may load only the embeds `allow_html` permits. Nothing
else loads from another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

from ..content.policy import Allowance, prefix_problem

# What a browser runs (HTML's "JavaScript MIME type essence matches" and `module`); other
# types are data blocks (JSON, JSON-LD) that no policy needs to approve.
EXECUTABLE_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript",
    "application/x-ecmascript", "application/x-javascript", "text/ecmascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
FRAME_ELEMENTS = frozenset({"iframe", "frame"})
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
CHARSET_WITHIN = 1024  # HTML's encoding sniffing reads no further
_DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.IGNORECASE)
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
# A path in a source expression: RFC 3986's characters but `;` and `,`, which end a
# directive or a policy, and `'`, `"`, `&`, which the `<meta>` attribute should not carry.
_PATH_SAFE = "/-._~!$()*+=:@"
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")

BASE_POLICY = (
    ("default-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


class _Scripts(HTMLParser):
    """The text of each inline script a browser would run, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = {name: (value or "") for name, value in attrs}
        runs = "src" not in attributes and attributes.get("type", "").strip().lower() in EXECUTABLE_TYPES
        self._text = [] if runs else None

    def handle_data(self, data: str) -> None:
        if self._text is not None and self.lasttag == "script":
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._text is not None:
            self.texts.append("".join(self._text))
            self._text = None


def script_hash(text: str) -> str:
    """The CSP source expression of an inline script's text, as a browser hashes it (after
    its input stream turned every CR LF and CR into LF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def inline_scripts(theme_html: str) -> list[str]:
    """The text of each inline script of `theme_html` a browser would run, in order: call
    it only on the theme rendered without content, never on a page a contributor's text
    is in."""
    parser = _Scripts()
    parser.feed(theme_html)
    parser.close()
    return parser.texts


def inline_script_hashes(theme_html: str) -> list[str]:
    """The hash of each distinct inline script of `theme_html`, in order (see inline_scripts)."""
    return list(dict.fromkeys(script_hash(text) for text in inline_scripts(theme_html)))


def frame_source(src_prefix: str) -> str | None:
    """The narrowest CSP source expression that admits every URL starting with `src_prefix`,
    or None if it is no https URL with a host. A source path that ends in `/` matches every
    path under it, any other only itself; so the prefix is cut after its last `/` unless a
    query ends its path (then every URL it permits has exactly that path)."""
    try:
        parts = urlsplit(src_prefix)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    if parts.scheme.lower() != "https" or not _HOST.fullmatch(host) or parts.username or parts.password:
        return None
    # `..` and `.` resolved as a browser resolves the URL a frame loads.
    path = urljoin("https://host/", parts.path or "/").removeprefix("https://host")
    if not (parts.query or parts.fragment or src_prefix.endswith(("?", "#"))):
        path = path[:path.rindex("/") + 1]
    # Each `%XX` kept as written, anything else outside _PATH_SAFE escaped.
    pieces = _PERCENT_ESCAPE.split(path)
    escapes = _PERCENT_ESCAPE.findall(path)
    path = "".join(quote(piece, safe=_PATH_SAFE) + (escapes[i] if i < len(escapes) else "")
                   for i, piece in enumerate(pieces))
    return f"https://{host}{f':{port}' if port is not None else ''}{path}"


def frame_sources(allow: Iterable[Allowance]) -> list[str]:
    """`frame-src`'s sources: one per frame embed `allow_html` permits; `'none'` without any.
    An allowance whose prefix `Allowance.permits` refuses (policy.prefix_problem) lets no
    frame through the sanitizer, so it gets no source either."""
    sources = [frame_source(a.src_prefix) for a in allow
               if a.element in FRAME_ELEMENTS and prefix_problem(a.src_prefix) is None]
    return list(dict.fromkeys(source for source in sources if source is not None)) or ["'none'"]


def policy(theme_hashes: Sequence[str], frames: Sequence[str]) -> str:
    """The policy of a page whose theme writes the scripts `theme_hashes` name.

    `frame-src` also governs `<frame>`. It cannot stop an `<iframe srcdoc>`, which loads
    nothing, but a srcdoc document inherits this policy, so its scripts are held to the
    same `script-src`. `child-src` is left out: it only stands in for `frame-src` and
    `worker-src` where they are missing, and both are set.
    """
    # 'wasm-unsafe-eval': search (Pagefind) runs WebAssembly, compiled from the site's own
    # files; it allows no eval() and no inline script.
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *theme_hashes])
    directives = [("script-src", script_src), ("frame-src", " ".join(frames)), *BASE_POLICY]
    return "; ".join(f"{name} {value}" for name, value in sorted(directives))


def with_policy(html: str, page_policy: str) -> str:
    """The page with `page_policy` in a `<meta>` right after the charset, before any
    script. Nothing in the page is read but where its charset is; a page without one (a
    template that writes none) gets the policy first thing after its doctype, where a
    browser still puts it in the head, before anything the page holds."""
    if '"' in page_policy:
        raise ValueError(f"a policy cannot hold a double quote: {page_policy!r}")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{page_policy}">'
    # Only where HTML looks for a page's encoding: a charset further on is no head's.
    match = _CHARSET.search(html, 0, CHARSET_WITHIN) or _DOCTYPE.match(html)
    if match is None:
        return tag + html
    return html[: match.end()] + "\n    " + tag + html[match.end():]
