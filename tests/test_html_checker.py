"""The Nu HTML Checker (vnu) over every page of the shipped site."""

import json
import shutil
import subprocess

from conftest import require
from sitekit import REPO

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
# A page with one known error, checked in the same run: proof that the checker checks.
CANARY = "<!DOCTYPE html>\n<html lang=en><head><title>Canary</title></head><body><span><div>x</div></span></body></html>\n"


def test_every_page_passes_the_nu_html_checker(shipped, tmp_path):
    require(VNU.is_file() and shutil.which("java") is not None, "Java and vnu-jar (npm ci --ignore-scripts)")
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(shipped),
         str(canary)],
        capture_output=True, text=True, timeout=600,
    )
    # vnu prints its JSON report on stderr, and exits 1 when it found errors, 0 when none.
    report = json.loads(result.stderr)  # no report at all is a failure, never "no messages"
    errors = [message for message in report["messages"] if message["type"] in ("error", "non-document-error")]
    in_site = [f"{m.get('url', '').replace(f'file:{shipped}', '')}:{m.get('lastLine')}: {m['message']}"
               for m in errors if canary.name not in m.get("url", "")]
    assert in_site == []
    assert [m["message"] for m in errors if canary.name in m.get("url", "")], "the canary's error was not found"
    assert result.returncode == 1, (result.returncode, result.stdout)  # for the canary alone
    assert len(list(shipped.rglob("*.html"))) > 30  # it really had the site to check
