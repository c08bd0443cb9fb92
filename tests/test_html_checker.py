"""The Nu HTML Checker (vnu) over every page of the shipped site."""

import json
import shutil
import subprocess

import pytest

from sitekit import REPO

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_passes_the_nu_html_checker(shipped):
    if not VNU.is_file() or shutil.which("java") is None:
        pytest.fail("the checker needs Java and `npm install --ignore-scripts` (.ci/run installs both)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(shipped)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').replace(str(shipped), '')}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]
    assert errors == []
    assert len(list(shipped.rglob("*.html"))) > 30  # it really had the site to check
