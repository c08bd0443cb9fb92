"""Articles' sources handed to MkDocs from the content already read, so that MkDocs reads
no article file again and parses no front matter again.

MkDocs reads each page's file and parses its front matter into `page.meta` (Material
reads it: the title, the description, the tags in the search index). The pipeline has
read and parsed every article before: MkDocs is given the article's body behind an empty
front matter (`on_page_read_source`), and `page.meta` is set to the front matter as
MkDocs would have read it (`on_page_markdown`). Where MkDocs would have split the file
elsewhere, or read its front matter otherwise, it reads the file itself, as always.
"""

from __future__ import annotations

from typing import Any

import yaml
from mkdocs.structure.pages import Page

from ..content.reader import Article, FrontMatter
from ..site.pipeline import PreparedSite
from .internals import FRONT_MATTER

# What MkDocs reads as no metadata at all, taking the rest, without its leading blank
# lines, as the page's Markdown: as it takes the body after a real front matter.
EMPTY_FRONT_MATTER = "---\n{}\n---\n"
_DATES = yaml.constructor.SafeConstructor()


def mkdocs_meta(front_matter: FrontMatter) -> dict[str, Any] | None:
    """The front matter as MkDocs reads it (PyYAML's SafeLoader: unquoted dates are dates),
    or None where its split of the file would not be the pipeline's, or a date is invalid
    (MkDocs would then keep the whole file as Markdown)."""
    match = FRONT_MATTER.match(f"---\n{front_matter.text}---\n")
    if match is None or match.group(1) != front_matter.text:
        return None
    try:
        return _with_dates(front_matter.data, (), front_matter.where.timestamps)
    except ValueError:
        return None


def _with_dates(value: Any, loc: tuple, timestamps: set) -> Any:
    if isinstance(value, dict):
        return {key: _with_dates(item, loc + (key,), timestamps) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_dates(item, loc + (index,), timestamps) for index, item in enumerate(value)]
    if loc in timestamps:
        return _DATES.construct_yaml_timestamp(yaml.ScalarNode("tag:yaml.org,2002:timestamp", value))
    return value


class ArticleSources:
    def __init__(self, prepared: PreparedSite | None = None) -> None:
        self.articles: dict[str, Article] = {} if prepared is None else \
            {article.src_uri: article for article in prepared.content.articles if article.front_matter}
        self.meta: dict[str, dict[str, Any]] = {}  # by src_uri: handed out, for on_page_markdown

    def source(self, page: Page) -> str | None:
        """The page's source for MkDocs, or None: MkDocs reads the file."""
        article = self.articles.get(page.file.src_uri)
        if article is None or article.front_matter is None or page.file.abs_src_path is None:
            return None
        meta = mkdocs_meta(article.front_matter)
        if meta is None:
            return None
        self.meta[page.file.src_uri] = meta
        return EMPTY_FRONT_MATTER + article.body

    def set_meta(self, page: Page) -> None:
        """After MkDocs read the source given: the page's metadata, as read from its file."""
        meta = self.meta.pop(page.file.src_uri, None)
        if meta is not None:
            page.meta = meta
