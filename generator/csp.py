"""A Content-Security-Policy for every page, as a `<meta>` tag, that the page satisfies.

Scripts may come only from the site itself or be one of the page's own inline scripts,
named by hash (Material ships a few small ones). Nothing loads from another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)

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


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            attributes = dict(attrs)
            executable = (attributes.get("type") or "").lower() in _EXECUTABLE_TYPES
            self._current = [] if executable and "src" not in attributes else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for each distinct inline script of the page, in order."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    hashes = []
    for script in parser.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        expression = f"'sha256-{digest}'"
        if expression not in hashes:
            hashes.append(expression)
    return hashes


def policy_for(html: str) -> str:
    script_src = " ".join(["'self'", *inline_script_hashes(html)])
    directives = [("script-src", script_src), *BASE_POLICY]
    return "; ".join(f"{name} {value}" for name, value in sorted(directives))


def with_policy(html: str) -> str:
    """The page with its policy in a `<meta>` right after the charset, before any script."""
    match = _CHARSET.search(html)
    if match is None:
        return html
    tag = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return html[: match.end()] + tag + html[match.end():]
