"""A Content-Security-Policy for every page, as a `<meta>` tag, that the page satisfies.

Scripts may come only from the site itself or be one of the page's own inline scripts,
named by hash (Material ships a few small ones), and may compile WebAssembly (search).
Nothing loads from another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re

_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Our pages are generated, well-formed HTML: a scan for script elements is enough, and
# far cheaper than parsing every page (this runs once per page of the site).
_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
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


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for each distinct inline script of the page, in order."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        attributes, script = match.group(1) or "", match.group(2)
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) or (kind and kind.group(1).lower() not in _EXECUTABLE_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        expression = f"'sha256-{digest}'"
        if expression not in hashes:
            hashes.append(expression)
    return hashes


def policy_for(html: str) -> str:
    # 'wasm-unsafe-eval': search (Pagefind) runs WebAssembly, compiled from the site's own
    # files; it allows no eval() and no inline script.
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(html)])
    directives = [("script-src", script_src), *BASE_POLICY]
    return "; ".join(f"{name} {value}" for name, value in sorted(directives))


def with_policy(html: str) -> str:
    """The page with its policy in a `<meta>` right after the charset, before any script."""
    match = _CHARSET.search(html)
    if match is None:
        return html
    tag = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return html[: match.end()] + tag + html[match.end():]
