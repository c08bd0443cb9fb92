"""The Nu HTML Checker (vnu) over every page of the shipped site."""

import json
import shutil
import subprocess

from conftest import require
from sitekit import REPO

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_passes_the_nu_html_checker(shipped):
    require(VNU.is_file() and shutil.which("java") is not None, "Java and vnu-jar (npm ci --ignore-scripts)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(shipped)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').replace(str(shipped), '')}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]
    assert errors == []
    assert len(list(shipped.rglob("*.html"))) > 30  # it really had the site to check
