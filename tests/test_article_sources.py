"""MkDocs is handed each article's body and front matter as the pipeline read them
(generator/mkdocs/sources.py): the page's Markdown and metadata must be what MkDocs
reading the file itself would have made of it."""

from __future__ import annotations

import datetime as dt

from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from generator.mkdocs.sources import ArticleSources
from generator.site.pipeline import prepare

from sitekit import DESCRIPTION, SOURCES, article

TODAY = dt.date(2026, 12, 1)


class _Page:
    def __init__(self, file: File) -> None:
        self.file = file
        self.meta: dict = {}


def _handed_over(site, slug: str) -> tuple[str | None, dict, str]:
    """(the source handed to MkDocs or None, the page's meta afterwards, the file's text)."""
    prepared = prepare(site.root, "content", today=TODAY)
    sources = ArticleSources(prepared)
    page = _Page(File(f"articles/{slug}.md", str(site.root / "content"), str(site.root / "site"), True))
    source = sources.source(page)
    if source is not None:
        page.markdown, page.meta = get_data(source)  # as Page.read_source does with it
        sources.set_meta(page)
    return source, page.meta, (site.root / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8")


def test_an_article_handed_to_mkdocs_reads_as_its_file(site):
    site.write("content/articles/dated.md", article(
        "Plans for 2026-01-05", "2026-09-01", updated=dt.date(2026, 10, 1),
        body="\n\n\ntitle: not metadata\n\n## Part\n\nText with a date 2026-01-05.\n"))
    source, meta, text = _handed_over(site, "dated")
    assert source is not None
    markdown, mkdocs_meta = get_data(text)
    assert get_data(source)[0] == markdown
    assert meta == mkdocs_meta
    # Unquoted dates are dates for MkDocs (and Material), quoted ones text, at any depth.
    assert meta["date"] == "2026-09-01" and meta["updated"] == dt.date(2026, 10, 1)
    assert meta["sources"][0]["accessed"] == SOURCES[0]["accessed"]  # quoted: JSON on one line
    assert meta["title"] == "Plans for 2026-01-05"


def test_unquoted_nested_dates_are_dates_as_mkdocs_reads_them(site):
    sources = "".join(f"  - title: {s['title']}\n    url: {s['url']}\n    publisher: {s['publisher']}\n"
                      f"    accessed: {s['accessed']}\n" for s in SOURCES)
    site.write("content/articles/nested.md",
               f"---\ntitle: Nested\ndescription: {DESCRIPTION}\ndate: 2026-09-01\nauthors: [careers-desk]\n"
               f"tags: [general]\nsources:\n{sources}...\nBody.\n")
    source, meta, text = _handed_over(site, "nested")
    assert source is not None
    assert meta == get_data(text)[1]
    assert meta["sources"][1]["accessed"] == dt.date(2026, 10, 1)


def test_mkdocs_reads_the_file_itself_where_it_would_split_it_otherwise(site):
    # A closing line with a trailing space: the pipeline and MkDocs both accept it, but the
    # front matter is not between two plain `---` lines.
    site.write("content/articles/spaced.md", article("Spaced", "2026-09-01").replace("\n---\n", "\n--- \n", 1))
    source, meta, _ = _handed_over(site, "spaced")
    assert source is None and meta == {}
