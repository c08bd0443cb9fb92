"""`python -m generator`: new article, check, schemas, cms."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler

import pytest
import yaml
from urllib.parse import urlsplit

from generator.editors.changes import Changes, parse_diff
from generator.editors.cli import main, slugify
from generator.content.reader import load_content
from generator.content.errors import ContentError
from generator.site.lint import TimeBased
from localhttp import LocalServer, serving
from sitekit import REPO, RESOURCES, article, logged, mkdocs_yml

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


@pytest.mark.slow
def test_new_article_keeps_the_strict_build_green(editor_site):
    editor_site.write("mkdocs.yml", mkdocs_yml(markdown=True))  # GitHub parity is checked too
    editor_site.add_article("why-internships-matter", "Why internships matter", "2026-10-01")
    # Dated the build's own day, so that being a draft, not a future date, keeps it out.
    assert run(editor_site, "new", "article", "Work in progress", today=TODAY)[0] == 0
    result = editor_site.build()
    assert result.returncode == 0, result.stderr
    assert logged(result.stderr, "WARNING") == []
    assert not (editor_site.root / "site/articles/work-in-progress").exists()


def test_the_new_article_template_checks_with_notes_only(editor_site):
    editor_site.write("mkdocs.yml", mkdocs_yml(markdown=True))
    editor_site.add_article("why-internships-matter", "Why internships matter", "2026-10-01")
    assert run(editor_site, "new", "article", "Work in progress")[0] == 0
    code, out = run(editor_site, "check", "--strict")
    assert code == 0
    assert out and all(": notice: " in line for line in out.splitlines())
    assert "[placeholder]" in out


def test_a_published_article_that_keeps_a_placeholder_fails_check_strict_at_its_line(editor_site):
    editor_site.add_article("why-internships-matter", "Why internships matter", "2026-10-01")
    assert run(editor_site, "new", "article", "Work in progress")[0] == 0
    path = editor_site.root / "content/articles/work-in-progress.md"
    template = path.read_text()
    # What an editor might do: publish, tag, and write everything but one source and a heading.
    text = (template.replace("draft: true\n", "").replace("tags: []", "tags: [planning]")
            .replace("TODO: one or two sentences on what a reader will learn from this article.",
                     "What to do the night before an interview, and what to leave for the morning.")
            .replace("TODO: start with the answer", "Start with the answer")
            .replace("- [ ] TODO: a first step\n- [ ] TODO: a second step\n", "- [ ] Sleep\n"))
    path.write_text(text)
    code, out = run(editor_site, "check", "--strict")
    assert code == 1
    lines = text.splitlines()
    heading = lines.index("## TODO: a first section") + 1
    source_url = next(number for number, line in enumerate(lines, 1) if "example.gov" in line)
    printed = out.splitlines()
    assert f"content/articles/work-in-progress.md:{heading}:4: body: still the template's placeholder " \
           "('## TODO: a first section'): write the real text, or delete the line [placeholder]" in printed
    assert any(line.startswith(f"content/articles/work-in-progress.md:{source_url}:10: sources[0].url: "
                               "https://www.example.gov/") and "give the source's real address" in line
               for line in printed)
    assert all(line.endswith("[placeholder]") for line in printed)


def test_one_check_reports_an_editors_three_mistakes_of_different_kinds(site):
    # A misspelled field, a link one letter off an article's slug, a URL without https://.
    site.add_article("networking-without-awkwardness", "Networking without awkwardness", "2026-10-01")
    site.write("content/articles/interviews.md", article(
        "Interviews", "2026-10-02", tagz=["interviews"],
        body="Before you go, read [networking](networking-without-awkardness.md).\n"))
    site.write_data("resources.yml", [{**RESOURCES[0], "url": "www.usajobs.gov/"}, *RESOURCES[1:]])
    code, out = run(site, "check")
    assert code == 1
    assert out.splitlines() == [
        "content/articles/interviews.md:7:1: tagz: unknown field: did you mean `tags`? [unknown-field]",
        "content/data/resources.yml:2:8: url: must start with https:// or http:// and name a host "
        "(got 'www.usajobs.gov/') [bad-url]",
        "content/articles/interviews.md:14:34: warning: body: links to a page that does not exist: "
        "networking-without-awkardness.md; did you mean networking-without-awkwardness.md? [broken-link]",
    ]


def test_new_article_never_overwrites(editor_site, capsys):
    path = editor_site.write("content/articles/my-title.md", "editor's words\n")
    code, _ = run(editor_site, "new", "article", "My title")
    assert code == 1
    assert path.read_text() == "editor's words\n"
    assert "already exists" in capsys.readouterr().err


def test_new_article_with_an_unusable_title_is_a_usage_error(editor_site, capsys):
    assert run(editor_site, "new", "article", "!!!")[0] == 2
    assert "needs letters or digits" in capsys.readouterr().err


def test_cms_without_decap_server_says_how_to_install_it_and_touches_nothing(site, capsys):
    assert run(site, "cms")[0] == 1
    assert "decap-server is not installed: run `npm ci --ignore-scripts`" in capsys.readouterr().err
    assert not (site.root / ".cache").exists()


def test_schemas_check_names_a_missing_cms_config(site):
    code, out = run(site, "schemas", "--check")
    assert code == 1 and "admin/config.yml is stale: run `python -m generator schemas`" in out.splitlines()
    code, out = run(site, "schemas")
    assert code == 0 and "Wrote admin/config.yml" in out.splitlines()
    assert run(site, "schemas", "--check") == (0, "")


@pytest.mark.slow
def test_check_reports_the_same_errors_as_the_build(site):
    site.write("content/articles/bad.md", article("Bad", "2026-10-01", authors=["nobody"]))
    code, out = run(site, "check")
    assert code == 1
    build_errors = [line for line in logged(site.build().stderr) if line.startswith("content/")]
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


@pytest.mark.slow
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
    with serving(LocalServer(_Links)) as base:
        site.write_data("resources.yml", [
            {"title": "Alive", "url": f"{base}/alive", "category": "government", "description": "d",
             "cost": "free", "last_checked": "2026-11-01"},
            {"title": "Dead", "url": f"{base}/dead", "category": "government", "description": "d",
             "cost": "free", "last_checked": "2026-11-01"},
        ])
        site.write("content/articles/post.md", article("Post", "2026-10-01", body=f"See [this]({base}/gone).\n"))
        code, out = run(site, "check", "--external", "--strict")
        # A dead link comes with time: reported, and fatal only to the schedule or a change to it.
        assert code == 0
        # (The article's sources are checked too: their lines depend on this machine's network.)
        assert [line for line in out.splitlines() if base in line] == [
            f"content/articles/post.md:12:12: notice: body: {base}/gone is not reachable: HTTP 404 [dead-link]",
            f"content/data/resources.yml:8:8: notice: url: {base}/dead is not reachable: HTTP 404 [dead-link]",
        ]
        code, out = run(site, "check", "--external", "--strict", "--scheduled")
        assert code == 1
        assert f"content/data/resources.yml:8:8: warning: url: {base}/dead is not reachable: HTTP 404 [dead-link]" \
            in out.splitlines()
        cached = json.loads((site.root / ".cache/links.json").read_text())
        assert list(cached) == [f"{base}/alive"]


# Time-based findings: reported on every run, fatal where the change touched them

TWO_YEARS_ON = dt.date(2028, 11, 18)  # every resource of the test site is stale by then


def notices_and_warnings(out: str) -> tuple[list[str], list[str]]:
    lines = out.splitlines()
    return ([line for line in lines if ": notice: " in line], [line for line in lines if ": warning: " in line])


def test_time_based_findings_are_notices_that_never_fail_strict(site):
    code, out = run(site, "check", "--strict", today=TWO_YEARS_ON)
    assert code == 0
    notices, warnings = notices_and_warnings(out)
    assert warnings == [] and len(notices) == len(RESOURCES)
    assert notices[0] == ("content/data/resources.yml:6:17: notice: last_checked: 'USAJOBS' was last checked 748 "
                          "days ago: visit https://www.usajobs.gov/, then update last_checked [stale-resource]")


def test_the_schedule_counts_every_time_based_finding(site):
    code, out = run(site, "check", "--strict", "--scheduled", today=TWO_YEARS_ON)
    assert code == 1
    notices, warnings = notices_and_warnings(out)
    assert notices == [] and len(warnings) == len(RESOURCES)


def test_a_time_based_finding_in_a_changed_file_fails_strict(site):
    site.add_article("old", "Old", "2026-01-01")
    code, out = run(site, "check", "--strict", "--changed", "content/articles/old.md", today=TWO_YEARS_ON)
    assert code == 1
    notices, warnings = notices_and_warnings(out)
    assert [line.rsplit(" ", 1)[1] for line in warnings] == ["[review-due]"]
    assert warnings[0].startswith("content/articles/old.md:4:7: warning: date: published 1052 days ago")
    assert len(notices) == len(RESOURCES)  # resources.yml was not changed
    assert run(site, "check", "--strict", "--changed", "content/articles/other.md", today=TWO_YEARS_ON)[0] == 0


def git(site, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=site.root,
                   check=True, capture_output=True, timeout=60)


@pytest.mark.slow  # runs git
def test_since_holds_a_pull_request_to_the_entries_it_changed_only(site):
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "base")
    path = site.root / "content/data/resources.yml"
    original = path.read_text()
    # A new resource at the end, checked today: the stale ones above are not its business.
    path.write_text(original + "- title: New\n  url: https://new.example/\n  category: government\n"
                               "  description: d\n  cost: free\n  last_checked: 2028-11-18\n")
    assert run(site, "check", "--strict", "--since", "HEAD", today=TWO_YEARS_ON)[0] == 0
    # A changed description of the second resource: that entry is touched, and stale.
    path.write_text(original.replace("description: Non-profit internships.", "description: Non-profit roles."))
    code, out = run(site, "check", "--strict", "--since", "HEAD", today=TWO_YEARS_ON)
    assert code == 1
    assert [line.split(": warning: ")[1] for line in notices_and_warnings(out)[1]] == [
        "last_checked: 'Idealist' was last checked 748 days ago: visit https://www.idealist.org/, then update "
        "last_checked [stale-resource]"]


@pytest.mark.slow  # runs git
def test_since_an_unknown_commit_is_a_usage_error(site, capsys):
    git(site, "init", "-q")
    assert run(site, "check", "--since", "no-such-ref")[0] == 2
    assert "--since: git diff no-such-ref failed" in capsys.readouterr().err


def test_changed_lines_are_read_from_a_unified_diff():
    diff = ("diff --git a/content/data/resources.yml b/content/data/resources.yml\n"
            "--- a/content/data/resources.yml\n+++ b/content/data/resources.yml\n"
            "@@ -8 +8 @@ x\n-a\n+b\n@@ -20,2 +19,0 @@\n-c\n-d\n@@ -30,0 +30,3 @@\n+e\n+f\n+g\n"
            "diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n"
            "@@ -1 +0,0 @@\n-x\n")
    assert parse_diff(diff).files == {"content/data/resources.yml": {8, 19, 20, 30, 31, 32}}


@pytest.mark.parametrize(("lines", "changed", "touched"), [
    ((5, 10), {4, 11}, False), ((5, 10), {10}, True), ((5, 10), None, True), (None, {1}, True)])
def test_a_change_touches_a_finding_on_its_entrys_lines(lines, changed, touched):
    finding = TimeBased(ContentError("content/data/resources.yml", 6, 1, "url", "m", "dead-link"), lines)
    assert Changes({"content/data/resources.yml": changed}).touches(finding) is touched
    assert Changes({"content/other.yml": None}).touches(finding) is False


@pytest.mark.slow
def test_the_build_prints_the_same_time_based_findings_and_passes_strict(site):
    """check and the build agree on every message: a time-based finding is check's notice and
    the strict build's INFO line, in the same words, and fails neither."""
    site.write_data("resources.yml", [{**RESOURCES[0], "last_checked": "2025-01-01"}, *RESOURCES[1:]])
    site.add_article("old", "Old", "2025-06-01")  # Site.build builds on TODAY: never reviewed for a year
    code, out = run(site, "check", "--strict")
    assert code == 0
    noticed = [line.replace(": notice: ", ": ", 1) for line in out.splitlines()]
    built = site.build()
    assert built.returncode == 0, built.stderr
    assert [line for line in logged(built.stderr, "INFO") if line.startswith("content/")] == noticed
    assert {line.rsplit(" ", 1)[1] for line in noticed} == {"[stale-resource]", "[review-due]"}


@pytest.mark.parametrize("site_url", ["https://example.org/guide/", "http://localhost:8000/", "http://127.0.0.1:8000/x/"])
def test_a_deploy_check_refuses_a_site_url_that_is_not_the_sites_address(site, monkeypatch, site_url):
    config = yaml.safe_load(mkdocs_yml())
    site.write("mkdocs.yml", yaml.safe_dump({**config, "site_url": site_url}, sort_keys=False))
    monkeypatch.delenv("FIELD_GUIDE_DEPLOY", raising=False)
    assert run(site, "check", "--strict")[0] == 0  # not a deploy build: a local address is fine
    monkeypatch.setenv("FIELD_GUIDE_DEPLOY", "1")
    code, out = run(site, "check", "--strict")
    assert code == 1
    assert out.startswith("mkdocs.yml:3:1: site_url: ") and out.rstrip().endswith("[deploy-site-url]")
    assert "SITE_URL" in out


def test_site_url_comes_from_the_environment_in_the_repositorys_settings(monkeypatch):
    from generator.mkdocs.config import load

    monkeypatch.setenv("SITE_URL", "https://owner.github.io/internship-field-guide")
    monkeypatch.setenv("FIELD_GUIDE_DEPLOY", "1")
    config, _, _ = load(REPO)
    assert config.site_url == "https://owner.github.io/internship-field-guide/"
    monkeypatch.delenv("SITE_URL")
    monkeypatch.delenv("FIELD_GUIDE_DEPLOY")
    assert urlsplit(load(REPO)[0].site_url).hostname == "127.0.0.1"  # the preview's own address


@pytest.mark.slow
def test_a_reader_that_stops_reading_ends_the_command_without_a_traceback():
    """`python -m generator facts | head -1`: the pipe closes early; no traceback."""
    reader = subprocess.Popen([sys.executable, "-m", "generator", "facts", "--format", "json"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout.read(1) == b"{"
    reader.stdout.close()
    errors = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
