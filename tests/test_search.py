"""Search: the Pagefind index the build writes, what it holds, and how the build fails
without it. (What readers do with it: test_browser.py.)"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap

from sitekit import REPO, mkdocs_yml, site_search_records, snapshot


def test_only_published_articles_are_indexed_with_their_filters_date_and_title(built):
    records = site_search_records(built.root / "site")
    assert sorted(records) == ["/articles/getting-started/", "/articles/interviews/",
                               "/articles/networking-basics/", "/articles/pay-and-law/"]
    interviews = records["/articles/interviews/"]
    assert interviews["meta"] == {"title": "Interviews", "date": "10 September 2026"}
    assert {name: sorted(values) for name, values in interviews["filters"].items()} == {
        "author": ["Careers Desk", "Policy Desk"], "benefit": ["Confidence", "Networking"],
        "tag": ["interviews", "planning"]}


def test_the_index_holds_title_standfirst_and_body_but_no_byline_footer_or_related(built):
    text = site_search_records(built.root / "site")["/articles/getting-started/"]["content"]
    assert text.startswith("Getting started. A description long enough")  # title, then standfirst
    assert "Read the interview guide" in text  # the body
    for elsewhere in ("min read", "Published", "Sources", "Related articles", "Benefits covered", "Report it",
                      "Employment rights and pay for interns", "¶"):
        assert elsewhere not in text, elsewhere


def test_two_builds_of_one_commit_are_byte_identical_index_included(built, tmp_path):
    first = built.root / "site"
    copy = tmp_path / "first"
    shutil.copytree(first, copy)
    result = built.build()
    assert result.returncode == 0, result.stderr
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(copy) for path in copy.rglob("*") if path.is_file())
    assert any(path.parts[0] == "pagefind" and path.suffix == ".pf_filter" for path in files)
    assert [path for path in files if (first / path).read_bytes() != (copy / path).read_bytes()] == []


def _fake_indexer(folder, script: str) -> dict[str, str]:
    """An environment whose `pagefind_bin` finds `script` (None: no binary at all)."""
    package = folder / "fake" / "pagefind_bin"
    package.mkdir(parents=True)
    if script is None:
        body = "def get_executable():\n    raise FileNotFoundError('Could not find any of [pagefind]')\n"
    else:
        binary = folder / "fake" / "pagefind"
        binary.write_text(f"#!{sys.executable}\n" + textwrap.dedent(script))
        binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
        body = f"from pathlib import Path\n\ndef get_executable():\n    return Path({str(binary)!r})\n"
    (package / "__init__.py").write_text(body)
    return {"PYTHONPATH": os.pathsep.join([str(folder / "fake"), os.environ.get("PYTHONPATH", "")])}


def _build(site, env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return site.build()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_a_missing_indexer_stops_the_build_before_it_touches_the_site(site, tmp_path):
    site.add_article("post", "Post", "2026-10-01")
    site.write("site/previous.html", "the previous site")
    result = _build(site, _fake_indexer(tmp_path, None))
    assert result.returncode == 1
    assert "the search indexer, Pagefind, is not installed" in result.stderr
    assert "pip install -e ." in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (site.root / "site").iterdir()) == ["previous.html"]


def test_a_failing_indexer_fails_the_build_and_leaves_no_half_written_site(site, tmp_path):
    site.add_article("post", "Post", "2026-10-01")
    result = _build(site, _fake_indexer(tmp_path, """\
        import sys
        if sys.argv[1:] == ["--version"]:
            print("pagefind 1.5.2")
        else:
            print("Error: out of disk space", file=sys.stderr)
            sys.exit(3)
        """))
    assert result.returncode == 1
    assert "the search indexer, Pagefind, failed (exit code 3): Error: out of disk space" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site.root / "site").exists()


def test_only_articles_are_indexed_and_an_article_page_not_marked_fails_the_build(site):
    site.add_article("post", "Post", "2026-10-01", body="## Part\n\nArticle text.\n")
    # A theme that marks the home page's text for search too: it would crowd the results.
    shutil.copytree(REPO / "theme", site.root / "theme")
    home = site.root / "theme/layouts/home.html"
    assert '<div class="ifg-home">' in home.read_text()
    home.write_text(home.read_text().replace('<div class="ifg-home">', '<div data-pagefind-body class="ifg-home">'))
    site.write("mkdocs.yml", mkdocs_yml({"theme": {"name": "material", "custom_dir": "theme", "font": False}}))
    assert site.build().returncode == 0
    entry = json.loads((site.root / "site/pagefind/pagefind-entry.json").read_text())
    assert [language["page_count"] for language in entry["languages"].values()] == [1]
    published = snapshot(site.root / "site")
    # A theme whose article pages lose the mark: Pagefind would index whole pages (nav,
    # footer and all); the build stops instead.
    article = site.root / "theme/layouts/article.html"
    article.write_text(article.read_text().replace("data-pagefind-body", "data-unmarked"))
    result = site.build()
    assert result.returncode == 1
    assert ("0 of the site's article pages are marked for search, but the site publishes 1 articles"
            in result.stderr)
    # Not published: the site built before is there as it was.
    assert "Traceback" not in result.stderr and snapshot(site.root / "site") == published


def test_an_index_without_every_published_article_fails_the_build(site):
    site.add_article("post", "Post", "2026-10-01")
    site.add_article("other", "Other", "2026-10-02")
    # A theme that marks one article's page and not the other's.
    shutil.copytree(REPO / "theme", site.root / "theme")
    article = site.root / "theme/layouts/article.html"
    marked = "{% if not ifg.status %} data-pagefind-body{% endif %}"
    assert marked in article.read_text()
    article.write_text(article.read_text().replace(
        marked, "{% if not ifg.status and ifg.article.slug != 'other' %} data-pagefind-body{% endif %}"))
    site.write("mkdocs.yml", mkdocs_yml({"theme": {"name": "material", "custom_dir": "theme", "font": False}}))
    result = site.build()
    assert result.returncode == 1
    assert "the search index holds 1 pages, but the site publishes 2 articles" in result.stderr
    assert "Traceback" not in result.stderr and not (site.root / "site").exists()


def test_materials_search_plugin_is_refused_by_the_build_and_by_check(site):
    site.add_article("post", "Post", "2026-10-01")
    site.write("mkdocs.yml", mkdocs_yml({"plugins": ["search", "field-guide"]}))
    result = site.build()
    assert result.returncode == 1
    assert "plugins: remove `search`: the site's search is Pagefind" in result.stderr
    assert not (site.root / "site").exists()
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site.root, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 1
    assert "mkdocs.yml:" in check.stdout + check.stderr
    assert "remove `search`: the site's search is Pagefind" in check.stdout + check.stderr


def test_a_site_with_no_published_article_has_no_index_and_builds(site):
    site.add_article("later", "Later", "2027-06-01")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert not (site.root / "site/pagefind").exists()


def test_pagefind_reads_copies_cut_from_the_mark_and_they_are_removed(tmp_path, monkeypatch):
    from generator.site import searchindex
    site_dir = tmp_path / "site"
    for slug, body in (("one", '<div data-pagefind-body><h1>Pay</h1><p>Stipends and wages.</p></div>'),
                       ("two", "<div><h1>Not marked</h1><p>Navigation text.</p></div>")):
        (site_dir / "articles" / slug).mkdir(parents=True)
        (site_dir / "articles" / slug / "index.html").write_text(
            f'<!doctype html><html lang="en"><head><title>{slug} title</title><link rel="stylesheet" href="x.css">'
            f'</head><body><nav>Menu words</nav>{body}<footer><a data-pagefind-filter="tag">pay</a></footer>'
            "</body></html>", encoding="utf-8")
    copies = tmp_path / "copies"
    assert searchindex.search_copies(site_dir, "articles/*/index.html", copies) == 1
    copy = (copies / "articles/one/index.html").read_text(encoding="utf-8")
    assert "<title>one title</title>" in copy and "Menu words" not in copy and "x.css" not in copy
    assert copy.endswith('<div data-pagefind-body><h1>Pay</h1><p>Stipends and wages.</p></div>'
                         '<footer><a data-pagefind-filter="tag">pay</a></footer></body></html>')
    assert not (copies / "articles/two").exists()

    monkeypatch.setattr(searchindex.tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    indexing = searchindex.start_index(site_dir, language="en", expected=1, pages="articles/*/index.html")
    indexing.finish()
    assert list((tmp_path / "temporary").iterdir()) == []
    assert (site_dir / searchindex.BUNDLE_DIR / "pagefind-entry.json").is_file()
    assert not (site_dir / searchindex.BUNDLE_DIR / "articles").exists()
