"""`python -m generator`: new article, check, schemas."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator.cli import main, slugify
from generator.content import load_content
from sitekit import REPO, article

TODAY = dt.date(2026, 11, 18)


def run(site, *args, today=TODAY):
    out = io.StringIO()
    code = main(list(args), out=out, cwd=site.root, today=today)
    return code, out.getvalue()


@pytest.fixture
def editor_site(site):
    site.write("archetypes/article.md", (REPO / "archetypes/article.md").read_text(encoding="utf-8"))
    return site


def test_slugs_are_ascii_lowercase_and_cut_at_a_word():
    assert slugify("Paid & unpaid: what the law says") == "paid-unpaid-what-the-law-says"
    assert slugify("Café CV tips") == "cafe-cv-tips"
    long = slugify("word " * 30)
    assert len(long) <= 60 and not long.endswith("-")


def test_new_article_is_a_valid_draft_with_todays_date(editor_site):
    code, out = run(editor_site, "new", "article", "Interviews: the night before")
    assert code == 0
    assert "content/articles/interviews-the-night-before.md" in out
    path = editor_site.root / "content/articles/interviews-the-night-before.md"
    (loaded,) = load_content(editor_site.root).articles
    assert loaded.slug == "interviews-the-night-before"
    assert loaded.meta.title == "Interviews: the night before"
    assert loaded.meta.date == TODAY
    assert loaded.meta.draft is True
    assert loaded.meta.authors == ["careers-desk"]
    assert "#" in path.read_text()  # a short guide in comments


def test_new_article_keeps_the_strict_build_green(editor_site):
    editor_site.add_article("published", "Published", "2026-10-01")
    assert run(editor_site, "new", "article", "Work in progress", today=dt.date.today())[0] == 0
    result = editor_site.build()
    assert result.returncode == 0, result.stderr
    assert not (editor_site.root / "site/articles/work-in-progress").exists()


def test_new_article_never_overwrites(editor_site, capsys):
    path = editor_site.write("content/articles/my-title.md", "editor's words\n")
    code, _ = run(editor_site, "new", "article", "My title")
    assert code == 1
    assert path.read_text() == "editor's words\n"
    assert "already exists" in capsys.readouterr().err


def test_new_article_with_an_unusable_title_is_a_usage_error(editor_site, capsys):
    assert run(editor_site, "new", "article", "!!!")[0] == 2
    assert "needs letters or digits" in capsys.readouterr().err


def test_check_reports_the_same_errors_as_the_build(site):
    site.write("content/articles/bad.md", article("Bad", "2026-10-01", authors=["nobody"]))
    code, out = run(site, "check")
    assert code == 1
    build_errors = [line.split("-  ", 1)[1] for line in site.build().stderr.splitlines()
                    if line.startswith("ERROR") and "content/" in line]
    assert out.splitlines() == build_errors == [
        "content/articles/bad.md:6:3: authors[0]: unknown author 'nobody': known ids: careers-desk, "
        "policy-desk (see content/data/authors.yml) [unknown-reference]"]


def test_check_github_format_makes_annotations(site):
    site.write("content/articles/bad.md", article("Bad", "2026-10-01", tagz=["x"]))
    code, out = run(site, "check", "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=content/articles/bad.md,line=7,col=1,title=tagz [unknown-field]::tagz%3A unknown field: "
        "did you mean `tags`? [unknown-field]"
        .replace("%3A", ":")]


def test_warnings_pass_unless_strict(site):
    site.write("content/articles/plain.md", article("Plain", "2026-10-01", tags=[]))
    code, out = run(site, "check")
    assert code == 0
    assert out.splitlines() == [
        "content/articles/plain.md:7:7: warning: tags: the article has neither benefits nor tags: add at least "
        "one, so readers find it from the benefit and tag pages [no-topics]"]
    assert run(site, "check", "--strict")[0] == 1
    assert "warning" in run(site, "check", "--format", "github")[1].split("::")[1]


def test_drafts_get_notes_that_never_fail(site):
    site.write("content/articles/wip.md", article("WIP", "2026-10-01", tags=[], draft=True))
    code, out = run(site, "check", "--strict")
    assert code == 0
    assert out.startswith("content/articles/wip.md:7:7: notice: tags:")


def test_check_runs_as_a_module_from_a_subfolder(site):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site.root / "content/data",
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Checked 0 articles, 3 resources" in result.stderr


def test_check_outside_a_repository_is_a_usage_error(tmp_path, capsys):
    assert main(["check"], out=io.StringIO(), cwd=tmp_path) == 2
    assert "no mkdocs.yml" in capsys.readouterr().err


class _Links(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/alive" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_check_external_reports_dead_links_where_they_are_written(site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        site.write_data("resources.yml", [
            {"title": "Alive", "url": f"{base}/alive", "category": "government", "description": "d",
             "cost": "free", "last_checked": "2026-11-01"},
            {"title": "Dead", "url": f"{base}/dead", "category": "government", "description": "d",
             "cost": "free", "last_checked": "2026-11-01"},
        ])
        site.write("content/articles/post.md", article("Post", "2026-10-01", body=f"See [this]({base}/gone).\n"))
        code, out = run(site, "check", "--external")
        assert code == 0
        # (The article's sources are checked too: their lines depend on this machine's network.)
        assert [line for line in out.splitlines() if base in line] == [
            f"content/articles/post.md:12:12: warning: body: {base}/gone is not reachable: HTTP 404 [dead-link]",
            f"content/data/resources.yml:8:8: warning: url: {base}/dead is not reachable: HTTP 404 [dead-link]",
        ]
        assert run(site, "check", "--external", "--strict")[0] == 1
        cached = json.loads((site.root / ".cache/links.json").read_text())
        assert list(cached) == [f"{base}/alive"]
    finally:
        server.shutdown()
