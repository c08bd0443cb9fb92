import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sitekit import REPO, Site, article, content_day, epoch_of, make_site  # noqa: E402


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """The repository's own site, built once with `mkdocs build --strict`, as of the latest
    day written in its content (sitekit.content_day), whatever the calendar says."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch_of(content_day(REPO))}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def site(tmp_path) -> Site:
    return make_site(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Site:
    """A small site built once: several articles across benefits, tags and authors."""
    root = tmp_path_factory.mktemp("built")
    site = make_site(root, articles={
        "getting-started": article(
            "Getting started", "2026-09-01", benefits=["real-world-experience"],
            tags=["planning"], body="Read [the interview guide](interviews.md).\n",
        ),
        "interviews": article(
            "Interviews", "2026-09-10", benefits=["confidence", "networking"],
            tags=["interviews", "planning"], updated="2026-10-01",
            authors=["careers-desk", "policy-desk"],
        ),
        "networking-basics": article(
            "Networking basics", "2026-09-20", benefits=["networking"], tags=["networking"],
        ),
        "pay-and-law": article(
            "Pay and the law", "2026-10-01", benefits=["real-world-experience"], tags=["law"],
            authors=["policy-desk"],
        ),
        "secret-draft": article("A draft", "2026-10-02", draft=True, tags=["planning"],
                                benefits=["networking"]),
        "scheduled": article("Scheduled", "2027-01-01", tags=["planning"], benefits=["networking"]),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


# What each test skipped for a missing outside tool needed: said again at the end of the run.
MISSING_TOOLS: Counter[str] = Counter()


def require(available: bool, what: str) -> None:
    """Skip a test whose outside tool is missing on a developer's machine; fail in CI,
    where .ci/run installs every tool, so a missing one is a broken set-up, not a skip."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run installs it")
    MISSING_TOOLS[what] += 1
    pytest.skip(f"{what} is not installed here (bash .ci/run installs it)")


def pytest_terminal_summary(terminalreporter) -> None:
    """The last lines of a run say which tests did not run for want of a tool, and how to get it."""
    if not MISSING_TOOLS:
        return
    terminalreporter.section("not run: tools missing here", sep="=", yellow=True, bold=True)
    for what, count in sorted(MISSING_TOOLS.items()):
        terminalreporter.write_line(f"{count} test{'s' if count != 1 else ''} skipped: {what} is not installed")
    terminalreporter.write_line("Install them and run these too: bash .ci/run (README, Set up and run the tests).")


# `pytest -m "not slow"` runs the unit tests only (README: how long they take). Slow: every
# test of these modules (they build sites, drive a browser, run the HTML checker, mkdocs
# serve or zizmor), every test that uses a built site, and the few elsewhere marked
# @pytest.mark.slow by hand. A test not marked slow that builds or starts a process fails
# (below), so the mark cannot fall behind the tests.
SLOW_MODULES = {"test_browser", "test_build", "test_cms", "test_cache", "test_cache_trust", "test_check_equals_build", "test_facts_build", "test_charts_build",
                "test_csp_build", "test_engines", "test_hostile", "test_html_checker", "test_internals", "test_preview",
                "test_readers", "test_search", "test_security", "test_sources", "test_trust", "test_workflows"}
SLOW_FIXTURES = {"shipped", "built", "served"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.module.__name__ in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _unit_tests_build_nothing(request, monkeypatch):
    """A test not marked slow may not start a process (mkdocs, git, a browser, a checker)
    nor build a site with MkDocs in its own process: it fails, naming the mark it needs."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(what: str):
        def refused(*args, **kwargs):
            pytest.fail(f"this test {what}: mark it @pytest.mark.slow (tests/conftest.py), "
                        "so that `pytest -m 'not slow'` stays a quick run")
        return refused

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse("starts a process"))
    from mkdocs.commands import build

    monkeypatch.setattr(build, "build", refuse("builds a site with MkDocs"))
