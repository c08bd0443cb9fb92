"""The error catalogue: each code's example produces that code, and ERRORS.md is current."""

import datetime as dt
import io
import pytest

from generator.editors.catalogue import BY_CODE, CATALOGUE
from generator.editors.cli import main
from generator.content.errors import ContentErrors
from generator.mkdocs.config import load
from generator.site.pipeline import prepare
from sitekit import REPO

TODAY = dt.date(2026, 11, 18)
_, REPOSITORY, _ = load(REPO)  # the repository's Markdown extensions and icons, as the build reads them


def problems_of(site) -> list:
    try:
        prepared = prepare(site.root, today=TODAY, icon_exists=REPOSITORY.icon_exists, markdown=REPOSITORY.markdown)
    except ContentErrors as invalid:
        return invalid.errors
    return prepared.warnings + [finding.problem for finding in prepared.time_based]


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if not e.tested_elsewhere], ids=lambda e: e.code)
def test_each_example_produces_its_code(site, entry):
    site.apply(entry.example)
    found = problems_of(site)
    assert entry.code in {problem.code for problem in found}, [str(p) for p in found]
    assert {problem.code for problem in found} <= set(BY_CODE), "every code is in the catalogue"


def test_examples_elsewhere_name_a_test_that_exists():
    for entry in (e for e in CATALOGUE if e.tested_elsewhere):
        path, name = entry.tested_elsewhere.split("::")
        assert f"def {name}(" in (REPO / path).read_text()


def test_errors_md_is_up_to_date():
    out = io.StringIO()
    assert main(["catalogue", "--check"], out=out, cwd=REPO) == 0, out.getvalue()
