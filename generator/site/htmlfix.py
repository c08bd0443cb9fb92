"""A repair to Material's markup that no theme override can make, so every page passes
the Nu HTML Checker.

Material's base template sets `autocomplete` on its toggles, outside any block a theme
can override; it is not allowed on checkboxes. (The search dialog's name and the table
of contents' title are mended by partials in theme/partials/: see
generator/mkdocs/internals.py, which names this reliance too.)
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')


def repair(html: str) -> str:
    return _CHECKBOX.sub(lambda match: match.group(0).replace(' autocomplete="off"', ""), html)
