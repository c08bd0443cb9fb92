"""`python -m generator check` and the build decide from one pipeline: every content error
and warning is reported by both, in the same words, and `check --strict` passes exactly
when `mkdocs build --strict` does."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.editors.catalogue import CATALOGUE
from generator.editors.cli import main
from sitekit import RESOURCES, article, mkdocs_yml

EPOCH = "1795000000"  # 2026-11-18, the day Site.build builds on
TWO_YEARS_LATER = str(int(EPOCH) + 2 * 365 * 86400)
# `path:line:col: [warning: ]field: message [code]`, as check prints a problem.
CHECK_LINE = re.compile(r"(?P<place>[^:]+:\d+:\d+): (?:(?P<severity>warning|notice): )?(?P<rest>.+)")
PROBLEM = re.compile(r"[^:]+:\d+:\d+: .+")


def check_in_process(site, monkeypatch, epoch: str = EPOCH) -> tuple[int, set[tuple[str, str]]]:
    """`check --strict`, and each problem it printed as (severity, problem)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = io.StringIO()
    code = main(["check", "--strict"], out=out, cwd=site.root)
    problems = set()
    for line in out.getvalue().splitlines():
        match = CHECK_LINE.fullmatch(line)
        assert match, f"check printed a line that is not a problem: {line!r}"
        problems.add((match["severity"] or "error", f"{match['place']}: {match['rest']}"))
    return code, problems


def build_in_process(site, monkeypatch, caplog, epoch: str = EPOCH) -> tuple[bool, set[tuple[str, str]]]:
    """`mkdocs build --strict`: whether it succeeded, and each problem it logged in our format."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    monkeypatch.chdir(site.root)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        try:
            config = load_config(str(site.root / "mkdocs.yml"), strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            built = True
        except (Exception, SystemExit):  # MkDocs' Abort is a SystemExit
            built = False
    # A time-based finding is check's notice and the build's INFO line: printed, never fatal.
    severity = {logging.ERROR: "error", logging.WARNING: "warning", logging.INFO: "notice"}
    problems = {(severity[min(record.levelno, logging.ERROR)], message)
                for record in caplog.records if record.levelno >= logging.INFO
                and PROBLEM.fullmatch(message := record.getMessage())}
    return built, problems


EXAMPLES = {entry.code: entry.example for entry in CATALOGUE if entry.example}
EXAMPLES["generated-url-clash"] = {"content/benefits/index.md": "---\ntitle: Mine\n---\n\nHello\n"}
EXAMPLES["nothing-wrong"] = {}


@pytest.mark.parametrize("example", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_check_and_the_build_report_the_same_problems(site, monkeypatch, caplog, example):
    site.write("mkdocs.yml", mkdocs_yml(markdown=True))  # the repository's Markdown extensions
    site.apply(example)
    check_code, checked = check_in_process(site, monkeypatch)
    built, logged = build_in_process(site, monkeypatch, caplog)
    assert checked == logged
    assert (check_code == 0) == built, (check_code, built, checked)
    assert bool(checked) == (example != {}), "each example (and no other) has a problem"



def test_one_run_reports_mistakes_of_every_kind_in_check_and_the_build_alike(site, monkeypatch, caplog):
    site.write("mkdocs.yml", mkdocs_yml(markdown=True))
    site.write("content/articles/networking-without-awkwardness.md", article("Networking", "2026-10-01"))
    site.write("content/articles/interviews.md", article(  # a misspelled field, and a link one letter off
        "Interviews", "2026-10-02", tagz=["interviews"], body="Read [this](networking-without-awkardness.md).\n"))
    site.write("content/articles/chart.md", article(  # a missing image, GitHub parity, a placeholder heading
        "Chart", "2026-10-03", body="![A chart](chart.png)\n\n- one\n* two\n\n## TODO: a first section\n"))
    site.write("content/articles/short.md", article("Short", "2026-10-04", sources=[]))  # too few sources
    site.write_data("resources.yml", [{**RESOURCES[0], "url": "www.usajobs.gov/"}, *RESOURCES[1:]])
    site.write("content/articles/wip.md", article("WIP", "2026-10-05", draft=True, tags=[]))  # a note
    code, checked = check_in_process(site, monkeypatch)
    built, logged = build_in_process(site, monkeypatch, caplog)
    assert code == 1 and not built
    assert checked == logged
    found = {(severity, problem.rsplit(" ", 1)[-1], problem.split(":", 1)[0]) for severity, problem in checked}
    assert found >= {
        ("error", "[unknown-field]", "content/articles/interviews.md"),
        ("error", "[bad-url]", "content/data/resources.yml"),
        ("error", "[placeholder]", "content/articles/chart.md"),
        ("warning", "[broken-link]", "content/articles/interviews.md"),
        ("warning", "[broken-link]", "content/articles/chart.md"),
        ("warning", "[gfm-differs]", "content/articles/chart.md"),
        ("warning", "[few-sources]", "content/articles/short.md"),
        ("notice", "[no-topics]", "content/articles/wip.md"),
    }
    assert any("did you mean networking-without-awkwardness.md?" in problem for _, problem in checked)

def test_stale_resources_are_judged_on_the_builds_day_by_check_too(site, monkeypatch, caplog):
    check_code, checked = check_in_process(site, monkeypatch, epoch=TWO_YEARS_LATER)
    built, logged = build_in_process(site, monkeypatch, caplog, epoch=TWO_YEARS_LATER)
    assert checked == logged
    assert {problem.rsplit(" ", 1)[-1] for _, problem in checked} == {"[stale-resource]"}
    assert {severity for severity, _ in checked} == {"notice"}
    assert len(checked) == 3  # every resource of the test site
    # Time-based: reported by both, fatal to neither (only to the schedule, or a change to them).
    assert check_code == 0 and built


def test_a_bad_plugin_option_is_the_same_error_in_check_and_the_build(site, monkeypatch, caplog):
    site.write("mkdocs.yml", mkdocs_yml({"plugins": [{"field-guide": {"per_page": "ten"}}]}))
    code, checked = check_in_process(site, monkeypatch)
    built, _ = build_in_process(site, monkeypatch, caplog)
    assert code == 1 and not built
    line = next(number for number, text in enumerate((site.root / "mkdocs.yml").read_text().splitlines(), 1)
                if text.startswith("plugins:"))
    (problem,) = checked
    assert problem[1].startswith(f"mkdocs.yml:{line}:1: plugins: Plugin 'field-guide' option 'per_page': ")
    assert problem[1].endswith("[mkdocs-config]")
    said = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert f"Config value 'plugins': {problem[1].split('plugins: ', 1)[1].removesuffix(' [mkdocs-config]')}" in said


def test_an_unknown_setting_in_mkdocs_yml_fails_check_strict_as_it_fails_the_strict_build(site, monkeypatch, caplog):
    config = yaml.safe_load(mkdocs_yml())
    config["site_autor"] = "Someone"
    site.write("mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    code, checked = check_in_process(site, monkeypatch)
    built, _ = build_in_process(site, monkeypatch, caplog)
    assert code == 1 and not built
    assert {severity for severity, _ in checked} == {"warning"}
    (problem,) = checked
    assert "site_autor: Unrecognised configuration name: site_autor [mkdocs-config]" in problem[1]


# As an editor meets them: the commands themselves.


def run(site, epoch: str, *command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run([sys.executable, "-m", *command], cwd=site.root, env=env,
                          capture_output=True, text=True, timeout=300)


def run_check(site, epoch: str) -> subprocess.CompletedProcess:
    return run(site, epoch, "generator", "check", "--strict")


def test_a_page_at_a_generated_url_fails_check_like_the_build(site):
    site.write("content/benefits/index.md", "---\ntitle: Mine\n---\n\nHello\n")
    checked, built = run_check(site, EPOCH), site.build()
    assert checked.returncode == built.returncode == 1
    problem = "content/benefits/index.md:1:1: (file): takes the URL /benefits/ that the generated page"
    assert problem in checked.stdout and problem in built.stderr
    assert "Traceback" not in checked.stderr + built.stderr


def test_check_strict_passes_exactly_when_the_strict_build_does_on_the_builds_day(site):
    assert run_check(site, EPOCH).returncode == 0
    later = run_check(site, TWO_YEARS_LATER)
    assert later.returncode == 0
    assert later.stdout.count(": notice: last_checked: ") == later.stdout.count("[stale-resource]") == 3
    build = run(site, TWO_YEARS_LATER, "mkdocs", "build", "--strict")
    assert build.returncode == 0
    assert build.stderr.count("[stale-resource]") == 3
    scheduled = run(site, TWO_YEARS_LATER, "generator", "check", "--strict", "--scheduled")
    assert scheduled.returncode == 1 and scheduled.stdout.count(": warning: last_checked: ") == 3


def test_mkdocs_yml_that_is_not_yaml_is_an_error_at_its_line_in_check_as_in_the_build(site):
    text = (site.root / "mkdocs.yml").read_text()
    site.write("mkdocs.yml", text + "extra: [unclosed\n")
    checked, built = run_check(site, EPOCH), site.build()
    assert checked.returncode == 1 and built.returncode == 1
    assert "Traceback" not in checked.stderr
    line = len(text.splitlines()) + 2  # where YAML notices the list never closes
    (problem,) = checked.stdout.splitlines()
    assert re.fullmatch(rf"mkdocs\.yml:{line}:1: \(file\): .+ \[mkdocs-config\]", problem), problem


def test_a_deploy_build_refuses_an_example_site_url_as_check_does(site, monkeypatch, caplog):
    monkeypatch.setenv("FIELD_GUIDE_DEPLOY", "1")  # the test site's site_url is https://example.org/guide/
    code, checked = check_in_process(site, monkeypatch)
    built, logged = build_in_process(site, monkeypatch, caplog)
    assert code == 1 and not built
    assert checked == logged
    ((severity, problem),) = checked
    assert severity == "error" and problem.endswith("[deploy-site-url]")
    assert not (site.root / "site").exists()
    monkeypatch.setenv("SITE_URL", "https://owner.github.io/guide/")
    site.write("mkdocs.yml", mkdocs_yml().replace("site_url: https://example.org/guide/", "site_url: !ENV SITE_URL"))
    built, _ = build_in_process(site, monkeypatch, caplog)
    assert built
    home = BeautifulSoup((site.root / "site/index.html").read_text(), "html.parser")
    assert home.select_one('link[rel="canonical"]')["href"] == "https://owner.github.io/guide/"
    assert home.select_one('meta[property="og:url"]')["content"] == "https://owner.github.io/guide/"
