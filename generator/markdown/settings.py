"""The Markdown extensions the site renders with, for code that converts outside MkDocs.

MkDocs builds a Python-Markdown converter from `markdown_extensions` in mkdocs.yml and
always adds `toc`, `tables` and `fenced_code`; the adapter hands that same setting, as
MkDocs read it, to the build and to `check` (generator/mkdocs/config.py), so that the
GitHub comparison (parity.py) renders exactly as the build does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import markdown


@dataclass(frozen=True)
class MarkdownSettings:
    extensions: list[Any] = field(default_factory=list)  # names, or Extension instances
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)  # by extension name

    def markdown(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)

    def converter(self) -> Callable[[str], str]:
        """Markdown to HTML as a page of the site is converted (one converter, reset per text)."""
        md = self.markdown()

        def convert(text: str) -> str:
            return md.reset().convert(text)

        return convert

