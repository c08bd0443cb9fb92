"""The site builds to the same bytes with MkDocs 1.6 and with ProperDocs, its maintained
fork (`properdocs build -f mkdocs.yml`): only the generator meta tag names the engine."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import require
from generator.site.manifest import MANIFEST_FILE, build_manifest
from sitekit import REPO, article, content_day, epoch_of, mkdocs_yml, snapshot

EPOCH = "1795000000"
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def build(engine: str, root: Path, site_dir: Path, epoch: str = EPOCH) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", "mkdocs.yml",
                           "--site-dir", str(site_dir)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)


def generator_of(html: bytes) -> str:
    return BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "generator"})["content"]


def assert_same_site(mkdocs_site: Path, properdocs_site: Path) -> None:
    ours, theirs = snapshot(mkdocs_site), snapshot(properdocs_site)
    assert ours.keys() == theirs.keys()
    assert re.fullmatch(r"Internship Field Guide generator on mkdocs-1\.6\.\d+", generator_of(ours["index.html"]))
    assert re.fullmatch(r"Internship Field Guide generator on mkdocs-ProperDocs 1\.6\.\d+",
                        generator_of(theirs["index.html"]))
    differ = [path for path in ours if path != MANIFEST_FILE and ours[path] != theirs[path]]
    assert differ, "the generator meta names the engine: some pages differ"
    for path in differ:
        assert path.endswith(".html"), path
        assert GENERATOR_META.sub(b"", ours[path]) == GENERATOR_META.sub(b"", theirs[path]), path
    # The manifest hashes the pages, so it differs where they do, and only there.
    for site_dir, files in ((mkdocs_site, ours), (properdocs_site, theirs)):
        assert json.loads(files[MANIFEST_FILE]) == build_manifest(site_dir)


@pytest.fixture(scope="module")
def properdocs() -> None:
    require(importlib.util.find_spec("properdocs") is not None, "ProperDocs (pip install -e '.[test]')")


def test_the_shipped_site_is_the_same_built_by_mkdocs_and_by_properdocs(properdocs, tmp_path):
    today = epoch_of(content_day(REPO))  # the shipped site with everything written published, on any day
    for engine in ("mkdocs", "properdocs"):
        result = build(engine, REPO, tmp_path / engine, today)
        assert result.returncode == 0, result.stderr
    assert_same_site(tmp_path / "mkdocs", tmp_path / "properdocs")


def test_worker_processes_convert_the_same_under_properdocs(properdocs, site, tmp_path):
    site.write("mkdocs.yml", mkdocs_yml({"plugins": [{"field-guide": {"workers": 1}}]}))
    for n in range(8):
        site.write(f"content/articles/part-{n}.md", article(
            f"Part {n}", f"2026-09-{n + 1:02d}", tags=["planning"],
            body=f"## Section {n}\n\nSee [the next part](part-{(n + 1) % 8}.md#section-{(n + 1) % 8}).\n"))
    for engine in ("mkdocs", "properdocs"):
        result = build(engine, site.root, tmp_path / engine)
        assert result.returncode == 0, result.stderr
        assert re.search(r"Markdown of \d+ of 8 articles converted by 1 worker process\.", result.stderr), result.stderr
    assert_same_site(tmp_path / "mkdocs", tmp_path / "properdocs")
