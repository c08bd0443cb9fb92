"""The Markdown extensions the site renders with, for code that converts outside MkDocs.

MkDocs builds a Python-Markdown converter from `markdown_extensions` in mkdocs.yml and
always adds `toc`, `tables` and `fenced_code`; `check` reads the same setting, so that
the GitHub comparison (parity.py) renders exactly as the build does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import markdown

MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class MarkdownSettings:
    extensions: list[Any] = field(default_factory=list)  # names, or Extension instances
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)  # by extension name

    @classmethod
    def from_mkdocs_yml(cls, settings: dict[str, Any]) -> MarkdownSettings:
        """From mkdocs.yml read as YAML (see `python_name` for its `!!python/name:` tags)."""
        names: list[Any] = list(MKDOCS_BUILTINS)
        configs: dict[str, dict[str, Any]] = {}
        for item in settings.get("markdown_extensions") or []:
            if isinstance(item, dict):
                for name, options in item.items():
                    if name not in names:
                        names.append(name)
                    if isinstance(options, dict):
                        configs[name] = options
            elif isinstance(item, str) and item not in names:
                names.append(item)
        return cls(names, configs)

    def converter(self) -> Callable[[str], str]:
        """Markdown to HTML as a page of the site is converted (one converter, reset per text)."""
        md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)

        def convert(text: str) -> str:
            return md.reset().convert(text)

        return convert


def python_name(loader, suffix: str, node) -> Any:
    """The object a `!!python/name:module.attribute` tag names, imported as MkDocs does."""
    module, _, attribute = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError, ValueError):
        return None
