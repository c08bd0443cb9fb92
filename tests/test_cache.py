"""The build cache: a warm build writes exactly what a cold build of the same content
writes, after every kind of edit, and a bad cache is ignored with one line, never a
traceback or a wrong page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitekit import REPO, article, make_site, mkdocs_yml

EPOCH = "1795000000"  # 2026-11-18


def build(site, out: str, *, cache: bool = True, verbose: bool = False) -> subprocess.CompletedProcess:
    """A (non-strict: some edits below leave a broken link on purpose) build into `out`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH,
           "FIELD_GUIDE_CACHE": "on" if cache else "off"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", out,
                             *(["--verbose"] if verbose else [])],
                            cwd=site.root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def from_cache(result: subprocess.CompletedProcess) -> int:
    """How many articles' Markdown the build took from the cache (0 if it says nothing)."""
    for line in result.stderr.splitlines():
        if "Markdown of " in line and "taken from the build cache" in line:
            return int(line.split("Markdown of ")[1].split()[0])
    return 0


def pages_reused(result: subprocess.CompletedProcess) -> int:
    """How many pages the build took from the cache as they were, not rendered (0 if none)."""
    for line in result.stderr.splitlines():
        if "taken from the build cache unchanged" in line:
            return int(line.split("INFO    -  ")[1].split()[0])
    return 0


def page_count(folder: Path) -> int:
    """The pages MkDocs renders from a template, 404.html (a static one) aside."""
    return sum(1 for path in folder.rglob("*.html") if path.name != "404.html" and "pagefind" not in path.parts)


def cache_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if "Build cache" in line]


def assert_warm_equals_cold(site) -> subprocess.CompletedProcess:
    """Build warm (with the cache the last build left) and cold; every byte the same."""
    warm = build(site, "warm")
    build(site, "cold", cache=False)
    warm_files, cold_files = files_of(site.root / "warm"), files_of(site.root / "cold")
    assert warm_files.keys() == cold_files.keys()
    assert [path for path in cold_files if warm_files[path] != cold_files[path]] == []
    return warm


def more_body(n: int) -> str:
    """Articles 1 and 2 link to the first, 3 to none."""
    return f"## Part {n}\n\nText" + (" with a link to [the first](first.md).\n" if n < 3 else ".\n")


@pytest.fixture
def cached(tmp_path):
    """A site of five articles with links, an image and the repository's Markdown
    settings and theme (a copy, to edit), built once to fill the cache."""
    from PIL import Image

    shutil.copytree(REPO / "theme", tmp_path / "theme")
    site = make_site(tmp_path, markdown=True, articles={
        "first": article("First", "2026-09-01", tags=["planning"], benefits=["networking"], body="""\
            ## Plan ahead

            Read [the second](second.md#what-to-ask) and [a later one](later.md).

            ![A chart](chart.png)

            - [ ] a task
            - [x] done
            """),
        "second": article("Second", "2026-09-02", tags=["planning"], body="""\
            ## What to ask

            Back to [the first](first.md). A [note][^1].

            [^1]: A footnote.
            """),
        **{f"more-{n}": article(f"More {n}", f"2026-09-{n + 2:02d}", tags=["planning"], body=more_body(n))
           for n in range(1, 4)},
    })
    site.write("mkdocs.yml", mkdocs_yml({"theme": {"name": "material", "custom_dir": "theme", "font": False}},
                                        markdown=True))
    Image.new("RGB", (320, 200), "white").save(site.content / "articles/chart.png")
    first = build(site, "warm")
    assert from_cache(first) == 0
    return site


def test_a_warm_build_after_a_body_edit_takes_every_other_article_from_the_cache(cached):
    cached.write("content/articles/second.md", article("Second", "2026-09-02", tags=["planning"],
                                                       body="## What to ask\n\nA new sentence.\n"))
    warm = assert_warm_equals_cold(cached)
    assert from_cache(warm) == 4
    # Its reading time and everything other pages show of it are the same: its own page
    # alone is rendered again.
    assert pages_reused(warm) == page_count(cached.root / "warm") - 1
    page = BeautifulSoup((cached.root / "warm/articles/second/index.html").read_text(), "html.parser")
    assert "A new sentence." in page.select_one(".md-content").get_text()


# Each edit, and how many of the five articles' Markdown the warm build after it reuses.
EDITS = {
    "title": (4, lambda site: site.write("content/articles/more-1.md", article(
        "More one, retitled", "2026-09-03", tags=["planning"], body=more_body(1)))),
    "tags": (4, lambda site: site.write("content/articles/more-2.md", article(
        "More 2", "2026-09-04", tags=["planning", "law"], body=more_body(2)))),
    "data file": (5, lambda site: site.write("content/data/benefits.yml", (site.content / "data/benefits.yml")
                                              .read_text().replace("Networking", "Meeting people"))),
    # The first article links to it: converted again; the new one converted.
    "new article a link points at": (4, lambda site: site.add_article("later", "Later", "2026-09-20")),
    # Every article linking to it is converted again: the third alone is reused.
    "deleted article links point at": (1, lambda site: (site.content / "articles/first.md").unlink()),
    "image of another size": (4, lambda site: new_image(site, (640, 100))),
    "markdown setting in mkdocs.yml": (0, lambda site: site.write("mkdocs.yml", (site.root / "mkdocs.yml")
                                                                  .read_text().replace("permalink: true",
                                                                                       "permalink: '§'"))),
    "other setting in mkdocs.yml": (5, lambda site: site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text()
                                                               .replace("Test Guide", "Another Guide"))),
    "theme": (5, lambda site: site.write("theme/main.html", (site.root / "theme/main.html").read_text()
                                         .replace("{% block htmltitle %}", "{% block htmltitle %}<!-- edited -->", 1))),
}


def new_image(site, size: tuple[int, int]) -> None:
    from PIL import Image

    Image.new("RGB", size, "white").save(site.content / "articles/chart.png")


# The edits that change what every page is rendered with: no page is reused after them.
EVERY_PAGE = {"data file", "markdown setting in mkdocs.yml", "other setting in mkdocs.yml", "theme"}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_a_warm_build_writes_what_a_cold_build_writes(cached, edit):
    reused, make_edit = EDITS[edit]
    before = files_of(cached.root / "warm")
    make_edit(cached)
    warm = assert_warm_equals_cold(cached)
    assert files_of(cached.root / "warm") != before, "the edit changed nothing: the test would prove nothing"
    assert from_cache(warm) == reused
    if edit in EVERY_PAGE:
        assert pages_reused(warm) == 0
    else:  # the pages the edit does not reach are reused, and only those
        assert 0 < pages_reused(warm) < page_count(cached.root / "warm")


def test_an_edit_shows_in_the_pages_of_a_warm_build(cached):
    for edit in ("new article a link points at", "image of another size", "markdown setting in mkdocs.yml"):
        EDITS[edit][1](cached)
    build(cached, "warm")
    page = BeautifulSoup((cached.root / "warm/articles/first/index.html").read_text(), "html.parser")
    assert page.select_one(".md-content a[href='../later/']") is not None
    image = page.select_one(".md-content img")
    assert (image["width"], image["height"]) == ("640", "100")
    assert page.select_one(".headerlink").get_text() == "§"


def test_a_new_generator_converts_every_article_again(cached, monkeypatch, caplog):
    """In-process, with the generator's version made to differ, as after an upgrade."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import generator.mkdocs.cache as cache_module

    monkeypatch.chdir(cached.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(cache_module, "generator_version", lambda: "a-later-generator")
    config = load_config(str(cached.root / "mkdocs.yml"), site_dir=str(cached.root / "upgraded"))
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        mkdocs_build(config)
    messages = [record.getMessage() for record in caplog.records]
    assert [m for m in messages if m.startswith("Build cache from another version of the generator")]
    assert not [m for m in messages if "taken from the build cache" in m]  # neither Markdown nor pages
    build(cached, "cold", cache=False)
    assert files_of(cached.root / "upgraded") == files_of(cached.root / "cold")


def entries(site) -> list[Path]:
    return sorted((site.root / ".cache/build").glob("*.json"))


def page_entries(site) -> list[Path]:
    return sorted((site.root / ".cache/build/pages").glob("*.html"))


def spoil_truncated(paths: list[Path]) -> None:
    for path in paths:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def spoil_garbage(paths: list[Path]) -> None:
    for path in paths:
        path.write_bytes(b"\x00\xff not a cache entry")


def spoil_one_character(paths: list[Path]) -> None:
    """Valid JSON still, under the same key: only the payload's hash tells."""
    for path in paths:
        path.write_bytes(path.read_bytes().replace(b"<p>", b"<b>", 1))


def spoil_swapped(paths: list[Path]) -> None:
    """Each article's entry under the name of the next one's."""
    texts = [path.read_bytes() for path in paths]
    for path, text in zip(paths, texts[1:] + texts[:1]):
        path.write_bytes(text)


def spoil_other_format(paths: list[Path]) -> None:
    for path in paths:
        header, _, payload = path.read_bytes().partition(b"\n")
        path.write_bytes(json.dumps({**json.loads(header), "format": 0}).encode() + b"\n" + payload)


SPOILERS = {"truncated": spoil_truncated, "garbage": spoil_garbage, "one character": spoil_one_character,
            "another article's": spoil_swapped, "another format": spoil_other_format}


@pytest.mark.parametrize("spoil", list(SPOILERS), ids=list(SPOILERS))
def test_a_spoiled_entry_is_ignored_with_one_line_and_converted_again(cached, spoil):
    SPOILERS[spoil](entries(cached))
    warm = assert_warm_equals_cold(cached)
    assert from_cache(warm) == 0
    assert cache_lines(warm) == [line for line in cache_lines(warm) if "unreadable entr" in line]
    assert len(cache_lines(warm)) == 1
    assert "5 unreadable entries ignored" in cache_lines(warm)[0]
    assert from_cache(build(cached, "warm")) == 5  # and written afresh


def spoil_last_byte(paths: list[Path]) -> None:
    """The same length, one bit of the last byte different: only the hash tells."""
    for path in paths:
        data = path.read_bytes()
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))


PAGE_SPOILERS = {**{name: SPOILERS[name] for name in ("truncated", "garbage", "another article's")},
                 "one bit": spoil_last_byte}


@pytest.mark.parametrize("spoil", list(PAGE_SPOILERS), ids=list(PAGE_SPOILERS))
def test_a_spoiled_page_entry_is_ignored_with_one_line_and_rendered_again(cached, spoil):
    pages = page_entries(cached)
    assert len(pages) == page_count(cached.root / "warm")
    PAGE_SPOILERS[spoil](pages)
    warm = assert_warm_equals_cold(cached)
    assert pages_reused(warm) == 0
    assert cache_lines(warm) == [f"INFO    -  Build cache: {len(pages)} unreadable page entries ignored, "
                                 "those pages rendered again."]
    assert pages_reused(build(cached, "warm")) == len(pages)  # and written afresh


def test_a_cache_folder_that_cannot_be_used_is_one_line_and_a_cold_build(cached):
    shutil.rmtree(cached.root / ".cache/build")
    (cached.root / ".cache/build").write_text("a file where the folder should be")
    warm = assert_warm_equals_cold(cached)
    assert len(cache_lines(warm)) == 1 and "Build cache not used" in cache_lines(warm)[0]


def test_a_version_marker_that_is_not_text_is_one_line_and_the_cache_rebuilt(cached):
    (cached.root / ".cache/build/generator-version").write_bytes(b"\xff\xfe\x00")
    warm = assert_warm_equals_cold(cached)
    assert len(cache_lines(warm)) == 1 and "from another version" in cache_lines(warm)[0]
    again = build(cached, "warm")
    assert from_cache(again) == 5 and cache_lines(again) == []


def test_entries_of_articles_gone_are_pruned_and_verbose_prints_the_size(cached):
    assert len(entries(cached)) == 5
    (cached.root / ".cache/build/left-over.json").write_text("{}")
    (cached.content / "articles/more-3.md").unlink()
    verbose = build(cached, "warm", verbose=True)
    normal = build(cached, "warm")
    assert from_cache(normal) == 4  # a verbose build keeps the entries of a normal one
    names = {path.name for path in entries(cached)}
    assert "left-over.json" not in names
    assert len(names) == 8  # four articles, with and without --verbose
    size = [line for line in verbose.stderr.splitlines() if "Build cache: " in line and " MB in " in line]
    assert len(size) == 2 and "Build cache: 8 entries" in size[0]
    # The pages of the last build only: a verbose build's pages are not the same bytes.
    assert f"Build cache: {page_count(cached.root / 'warm')} pages" in size[1]
    assert len(page_entries(cached)) == page_count(cached.root / "warm")


def test_what_mkdocs_says_about_a_cached_page_is_said_again(cached):
    cold = build(cached, "cold", cache=False)
    warm = build(cached, "warm")
    assert from_cache(warm) == 5
    said = [line for line in cold.stderr.splitlines() if "contains a link 'later.md'" in line]
    assert len(said) == 1
    assert [line for line in warm.stderr.splitlines() if "contains a link 'later.md'" in line] == said


@pytest.mark.parametrize("how", ["setting", "environment"])
def test_the_cache_can_be_turned_off(cached, how):
    before = {path: path.read_bytes() for path in entries(cached) + page_entries(cached)}
    pages = page_count(cached.root / "warm")
    cached.add_article("later", "Later", "2026-09-20")  # a page to convert, and one converted again
    if how == "setting":
        cached.write("mkdocs.yml", mkdocs_yml({
            "theme": {"name": "material", "custom_dir": "theme", "font": False},
            "plugins": [{"field-guide": {"build_cache": False}}]}, markdown=True))
        result = build(cached, "warm")
    else:
        result = build(cached, "warm", cache=False)
    assert from_cache(result) == 0 and pages_reused(result) == 0 and cache_lines(result) == []
    assert len(before) == 5 + pages
    assert {path: path.read_bytes() for path in entries(cached) + page_entries(cached)} == before
