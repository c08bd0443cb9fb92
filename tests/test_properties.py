"""Property-based tests: whatever an editor (or an attacker) writes, the build either succeeds
or reports content errors at a place that exists in the file they name; it never crashes and
never hangs. Each example gets a site of its own, so no example sees what another wrote."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.errors import ContentErrors
from generator.site.pipeline import PreparedSite, prepare
from sitekit import Site, make_site

TODAY = dt.date(2026, 11, 18)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=40), st.text(min_size=150, max_size=400),
    st.sampled_from(["2026-02-30", "2026-10-01", "https://example.org/", "javascript:alert(1)",
                     "careers-desk", "networking", "free", "<script>alert(1)</script>", "{{ 7*7 }}", ""]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)

ARTICLE_FIELDS = ["title", "description", "date", "updated", "authors", "benefits", "tags", "draft",
                  "image", "image_alt", "unknown"]
VALID_ARTICLE = {"title": "A title", "description": "A description long enough to pass validation rules "
                 "for sure.", "date": "2026-10-01", "authors": ["careers-desk"], "tags": ["x"]}
SETTINGS = settings(max_examples=int(os.environ.get("IFG_EXAMPLES", "60")), deadline=None)


@contextmanager
def fresh_site() -> Iterator[Site]:
    """A new small site for one example (a function-scoped fixture would be shared by all)."""
    with tempfile.TemporaryDirectory(prefix="ifg-example-") as folder:
        yield make_site(Path(folder))


def outcome(site: Site) -> PreparedSite | ContentErrors:
    """The prepared site, or the content errors; any other exception fails the test. Every
    error names a file of the content, a line that file has and a column within that line."""
    try:
        return prepare(site.root, today=TODAY)
    except ContentErrors as invalid:
        for error in invalid.errors:
            assert error.path.startswith("content/") and error.code, error
            path = site.root / error.path
            if error.code == "data-file-missing":
                assert not path.exists(), error
                continue
            # Lines split at "\n", or as YAML counts them (NEL and the Unicode separators break
            # lines too): yamlsource numbers its own checks the first way, PyYAML's the second.
            # As written: read_text would turn a lone "\r" into "\n" (universal newlines).
            with open(path, encoding="utf-8", errors="replace", newline="") as file:
                text = file.read()
            assert any(1 <= error.line <= len(lines) and 1 <= error.column <= len(lines[error.line - 1]) + 1
                       for lines in (text.split("\n"), re.split("\r\n|[\n\r\x85\u2028\u2029]", text))), error
        return invalid


@SETTINGS
@given(fields=st.dictionaries(st.sampled_from(ARTICLE_FIELDS), values, max_size=5))
def test_any_front_matter_builds_or_fails_with_positions(fields):
    with fresh_site() as site:
        front = yaml.safe_dump({**VALID_ARTICLE, **fields}, allow_unicode=True)
        site.write("content/articles/post.md", f"---\n{front}---\n\nBody.\n")
        result = outcome(site)
        if isinstance(result, PreparedSite):  # then the article is in it, as written
            (post,) = result.content.articles
            assert post.meta.title == str(fields.get("title", VALID_ARTICLE["title"])).strip()
        else:
            assert {error.path for error in result.errors} <= {"content/articles/post.md"}


@SETTINGS
@given(name=st.sampled_from(["benefits.yml", "categories.yml", "resources.yml", "authors.yml"]), data=values)
def test_any_data_file_builds_or_fails_with_positions(name, data):
    with fresh_site() as site:
        site.write(f"content/data/{name}", yaml.safe_dump(data, allow_unicode=True))
        result = outcome(site)
        if isinstance(result, ContentErrors):
            # The file written is wrong, or the resources that name its benefits and categories.
            assert {error.path for error in result.errors} <= {f"content/data/{name}", "content/data/resources.yml"}
            assert f"content/data/{name}" in {error.path for error in result.errors} or name in (
                "benefits.yml", "categories.yml")


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_in_a_data_file_or_front_matter_never_crashes(text):
    with fresh_site() as site:
        site.write("content/data/categories.yml", text)
        site.write("content/articles/post.md", "---\n" + text + "\n---\nBody\n")
        result = outcome(site)
        if isinstance(result, PreparedSite):
            # Text that reads as valid front matter and categories: both were really read.
            assert [a.slug for a in result.content.articles] == ["post"]
            assert len(result.content.categories) == len(yaml.safe_load(text) or [])


@pytest.mark.slow
@settings(max_examples=5, deadline=None)
@given(fields=st.dictionaries(st.sampled_from(ARTICLE_FIELDS), values, max_size=3),
       body=st.text(max_size=200))
def test_full_builds_succeed_or_exit_with_content_errors(fields, body):
    with fresh_site() as site:
        front = yaml.safe_dump({**VALID_ARTICLE, **fields}, allow_unicode=True)
        site.write("content/articles/post.md", f"---\n{front}---\n\n{body}\n")
        result = site.build(strict=False)
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 0:
            assert (site.root / "site/index.html").is_file()
        else:
            assert result.returncode == 1
            assert "content/articles/post.md:" in result.stderr and "Aborted" in result.stdout + result.stderr
