"""Small repairs to Material's markup, so every page passes the Nu HTML Checker.

Material's base template is not built from blocks we can override here: a few of its
choices are invalid HTML or lack an accessible name, and are mended in the rendered page.
"""

from __future__ import annotations

import re

# `autocomplete` is not allowed on checkboxes (Material sets it on its toggles).
_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
# The table of contents' title points at a `__toc` toggle that exists only for pages in `nav`.
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'
# The search dialog has no accessible name.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def repair(html: str) -> str:
    html = _CHECKBOX.sub(lambda match: match.group(0).replace(' autocomplete="off"', ""), html)
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">')
    return html
