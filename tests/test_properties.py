"""Property-based tests: whatever an editor (or an attacker) writes, the build either succeeds
or reports content errors with file:line; it never crashes and never hangs."""

import datetime as dt
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentErrors
from generator.site import prepare

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
SETTINGS = settings(max_examples=int(os.environ.get("IFG_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(site) -> str:
    """'built' or 'errors'; anything else (an exception) fails the test."""
    try:
        prepare(site.root, today=TODAY)
        return "built"
    except ContentErrors as invalid:
        for error in invalid.errors:
            assert error.path.startswith("content/") and error.line >= 1 and error.column >= 1, error
            assert error.code, error
        return "errors"


@SETTINGS
@given(fields=st.dictionaries(st.sampled_from(ARTICLE_FIELDS), values, max_size=5))
def test_any_front_matter_builds_or_fails_with_positions(site, fields):
    front = yaml.safe_dump({**VALID_ARTICLE, **fields}, allow_unicode=True)
    site.write("content/articles/post.md", f"---\n{front}---\n\nBody.\n")
    outcome(site)


@SETTINGS
@given(name=st.sampled_from(["benefits.yml", "categories.yml", "resources.yml", "authors.yml"]), data=values)
def test_any_data_file_builds_or_fails_with_positions(site, name, data):
    site.write(f"content/data/{name}", yaml.safe_dump(data, allow_unicode=True))
    outcome(site)


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_in_a_data_file_or_front_matter_never_crashes(site, text):
    site.write("content/data/categories.yml", text)
    site.write("content/articles/post.md", "---\n" + text + "\n---\nBody\n")
    assert outcome(site) in ("built", "errors")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(ARTICLE_FIELDS), values, max_size=3),
       body=st.text(max_size=200))
def test_full_builds_succeed_or_exit_with_content_errors(site, fields, body):
    front = yaml.safe_dump({**VALID_ARTICLE, **fields}, allow_unicode=True)
    site.write("content/articles/post.md", f"---\n{front}---\n\n{body}\n")
    result = site.build()
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert "content/" in result.stderr and "Aborted" in result.stdout + result.stderr
