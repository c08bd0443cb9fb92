"""Markdown written in YAML data (benefit summaries), rendered once and marked safe."""

from __future__ import annotations

import markdown
from markupsafe import Markup

from .gfm import bound_work
from .mdext import SafeLinksExtension


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["smarty", SafeLinksExtension()], output_format="html")
    # Raw HTML in data is shown as text, never passed through: data is not a place for markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    bound_work(md)
    return md


_CONVERTER = _markdown()


def render_markdown(text: str) -> Markup:
    """Render a short Markdown text to HTML that templates output as is."""
    html = _CONVERTER.reset().convert(text)
    return Markup(html)
