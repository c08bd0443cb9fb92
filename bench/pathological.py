"""Time to check and to convert one hostile article, as its size grows.

Each case is one article made of a piece of Markdown repeated N times (`[x](` forty
thousand times, a list nested ten thousand deep...). For each N it measures, in a child
process with a time limit, the CPU seconds of:

- check: the pipeline `python -m generator check` runs (generator.site.pipeline.prepare) over a
  copy of the repository's content with the article added, less the same without it;
- convert: Python-Markdown with the site's extensions (mkdocs.yml) on the article's body.

A time that doubles when N doubles is linear; one that quadruples is quadratic. The
article must check or convert within a few seconds at any size the limits allow.

    .venv/bin/python bench/pathological.py                      # every case, N = 1k..16k and the largest
    .venv/bin/python bench/pathological.py --cases link,amp --sizes 2000,4000
    .venv/bin/python bench/pathological.py --json out.json      # also every number
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.content.limits import MAX_MARKDOWN_BYTES  # noqa: E402

FRONT = """---
title: A hostile article
description: A description long enough to pass validation for this test article here.
date: 2026-01-05
authors: [careers-desk]
tags: [general]
---

"""


def _table(n: int) -> str:
    return "|a" * n + "|\n" + "|-" * n + "|\n" + "|b" * n + "|\n"


# name -> (what it is, body for N repetitions)
CASES: dict[str, tuple[str, Callable[[int], str]]] = {
    "link": ("`[x](` N times", lambda n: "[x](" * n),
    "amp": ("`&amp;` N times", lambda n: "&amp;" * n),
    "a": ("`<a ` N times", lambda n: "<a " * n),
    "bracket": ("`[` N times", lambda n: "[" * n),
    "image": ("`![x](` N times", lambda n: "![x](" * n),
    "star": ("`*a` N times", lambda n: "*a" * n),
    "under": ("`_a` N times", lambda n: "_a" * n),
    "backtick": ("`` ` `` N times", lambda n: "`" * n),
    "backtick-a": ("`` `a `` N times", lambda n: "`a" * n),
    "lt": ("`<` N times", lambda n: "<" * n),
    "quote": ("`>` N times (a quote nested N deep)", lambda n: ">" * n + " x\n"),
    "quote-lines": ("`>` N times, one a line", lambda n: "> x\n" * n),
    "list": ("`- ` N times (a list nested N deep)", lambda n: "- " * n + "x\n"),
    "list-lines": ("`- x` N lines", lambda n: "- x\n" * n),
    "tilde": ("`~~` N times", lambda n: "~~" * n),
    "footnote": ("`[^1]` N times", lambda n: "[^1]" * n + "\n\n[^1]: a note\n"),
    "emoji": ("`:smile:` N times", lambda n: ":smile:" * n),
    "pipes": ("`|` N times on one line", lambda n: "|" * n),
    "table": ("a table of N columns", _table),
    "attr": ("`{: ` N times", lambda n: "{: " * n),
    "attr-brace": ("`a{` N times", lambda n: "a{" * n),
    "div": ("`<div>` N times (nested N deep)", lambda n: "<div>" * n),
    "div-lines": ("`<div>` N times, one a line", lambda n: "<div>\n" * n),
    "comment": ("`<!--` N times", lambda n: "<!--" * n),
    "refdef": ("`[a]: /b` N lines", lambda n: "[a]: /b\n" * n),
    "refuse": ("`[a][]` N times, one definition", lambda n: "[a][]" * n + "\n\n[a]: /b\n"),
    "refdef-js": ("a reference whose URL is on the next line, N times",
                  lambda n: "[x]:\n  /a\n" * n),
    "indented": ("` x` N lines (GitHub parity)", lambda n: " x\n" * n),
    "www": ("`www.` N times (bare links)", lambda n: "www." * n),
    "autolink": ("`<http://a` N times", lambda n: "<http://a" * n),
    "backslash": ("`a\\` N lines (line breaks)", lambda n: "a\\\n" * n),
    "pipe-lines": ("`a|b` N lines", lambda n: "a|b\n" * n),
    "heading": ("`# h` N lines", lambda n: "# h\n" * n),
    "lt-paragraphs": ("`<` N times, each its own paragraph", lambda n: "<\n\n" * n),
    "a-lines": ("`<a ` N lines (an unclosed tag per line)", lambda n: "<a \n" * n),
}


def _site(folder: Path, body: str | None) -> Path:
    root = folder / "site"
    shutil.copytree(REPO / "content", root / "content")
    (root / "theme").symlink_to(REPO / "theme")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if body is not None:
        (root / "content/articles/hostile.md").write_text(FRONT + body, encoding="utf-8")
    return root


def _check_seconds(body: str | None) -> tuple[float, str]:
    from generator.content.errors import ContentErrors
    from generator.mkdocs.config import load, prepare

    with tempfile.TemporaryDirectory() as tmp:
        root = _site(Path(tmp), body)
        _, settings, _ = load(root)
        start = time.process_time()
        try:
            site = prepare(settings, today=dt.date(2026, 12, 1))
            outcome = f"{len(site.warnings)} warnings"
        except ContentErrors as errors:
            codes = sorted({error.code for error in errors.errors})
            outcome = f"{len(errors.errors)} errors {','.join(codes)}"
        except RecursionError:
            outcome = "RecursionError"
        return time.process_time() - start, outcome


def _convert_seconds(body: str) -> tuple[float, str]:
    from generator.mkdocs.config import load

    _, settings, _ = load(REPO)
    convert = settings.markdown.converter()
    start = time.process_time()
    try:
        html = convert(body)
        outcome = f"{len(html):,} chars"
    except RecursionError:
        outcome = "RecursionError"
    return time.process_time() - start, outcome


def _child(what: str, body: str | None, queue) -> None:
    sys.setrecursionlimit(1000)  # the default, as mkdocs and check run
    queue.put(_check_seconds(body) if what == "check" else _convert_seconds(body or ""))


def measure(what: str, body: str | None, limit: float) -> tuple[float | None, str]:
    """CPU seconds and outcome; None when it did not finish within `limit` wall seconds."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_child, args=(what, body, queue))
    process.start()
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
        return None, f"over {limit:.0f} s"
    if process.exitcode != 0:
        return None, f"crashed ({process.exitcode})"
    return queue.get()


def largest(make: Callable[[int], str]) -> int:
    """The largest N whose body is within the Markdown size limit (at most 40,000)."""
    n = 40_000
    while len(make(n).encode()) > MAX_MARKDOWN_BYTES:
        n = n * 9 // 10
    return n


def largest_allowed(make: Callable[[int], str]) -> int:
    """The largest N (at most 40,000) whose body passes every structural limit (limits.py)."""
    from generator.content.limits import problems
    from generator.content.policy import mask_code

    def allowed(n: int) -> bool:
        body = make(n)
        return not list(problems(body, mask_code(body)))

    low, high = 0, 40_000
    if allowed(high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if allowed(middle) else (low, middle)
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--sizes", default="1000,2000,4000,8000,16000")
    parser.add_argument("--no-largest", action="store_true", help="skip the largest N under the size limit")
    parser.add_argument("--allowed", action="store_true", help="also the largest N that passes every limit")
    parser.add_argument("--limit", type=float, default=60, help="wall seconds before a measurement is given up")
    parser.add_argument("--only", choices=("check", "convert"), help="measure only one of the two")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]
    kinds = [options.only] if options.only else ["check", "convert"]
    baseline = measure("check", None, options.limit)[0] or 0.0 if "check" in kinds else 0.0
    print(f"check of the shipped content alone: {baseline:.2f} s (subtracted)", flush=True)
    results = []
    for name in options.cases.split(","):
        title, make = CASES[name]
        ns = sizes + ([] if options.no_largest else [largest(make)])
        if options.allowed:
            ns = sorted(set(ns + [largest_allowed(make)]))
        for kind in kinds:
            row = []
            for n in ns:
                seconds, outcome = measure(kind, make(n), options.limit)
                if seconds is not None and kind == "check":
                    seconds = max(0.0, seconds - baseline)
                row.append((n, seconds, outcome))
                results.append({"case": name, "kind": kind, "n": n, "bytes": len(make(n).encode()),
                                "seconds": seconds, "outcome": outcome})
                if seconds is None:
                    break  # a larger N would only take longer
            cells = "  ".join(f"{n}:{'-' if s is None else f'{s:.2f}'}" for n, s, _ in row)
            print(f"{name:11} {kind:7} {cells}   [{row[-1][2]}]  {title}", flush=True)
    if options.json:
        options.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
