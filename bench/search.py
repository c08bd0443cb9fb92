"""What search costs a reader: bytes and time in Chromium, on the synthetic corpus.

    .venv/bin/python bench/search.py                         # N = 2000 and 10000: about 4 minutes
    .venv/bin/python bench/search.py --sizes 2000
    .venv/bin/python bench/search.py --site PATH             # a site built already (e.g. run.py --keep)

For each N it writes the corpus (corpus.py) with one word, `zyxquorbit`, in one article's
body only, builds it with `mkdocs build --strict`, serves it on 127.0.0.1 under the site's
base path and opens an article page in Chromium (Playwright, /usr/bin/chromium), then:

- first load: every response of the article page until the network is idle, each
  counted at its gzip size (level 6, as a web server compresses), and the part of it
  that is search data (Material's search/ or our pagefind/);
- query: focus the search box, type the word, and count what is fetched from the first
  keystroke until the result shows, and the milliseconds from the last keystroke to the
  result on screen.

See bench/README.md, "What search costs a reader".
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import corpus

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

UNIQUE_WORD = "zyxquorbit"
DEFAULT_SIZES = (2000, 10_000)
SEARCH_PATHS = ("search/", "pagefind/")
KB = 1000
# The targets of issue 15.
MAX_SEARCH_ON_LOAD = 50 * KB
MAX_QUERY = 300 * KB
MAX_QUERY_MS = 1000
MAX_PAGE = 150 * KB


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def measure(site: Path, base: str) -> dict:
    """Bytes and times of one article page of the built `site`, in Chromium."""
    from playwright.sync_api import expect, sync_playwright

    article = next(path for path in sorted((site / "articles").glob("*/index.html")) if path.parent.name != "page")
    address = f"articles/{article.parent.name}/"
    with serve(site, base) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        fetched: list[tuple[str, int]] = []

        def record(response) -> None:
            try:
                fetched.append((response.url.removeprefix(root).split("?")[0], gzip_size(response.body())))
            except Exception:  # a response without a body (a redirect)
                pass

        page.on("response", record)
        page.goto(root + address)
        page.wait_for_load_state("networkidle")
        first_load = list(fetched)
        result = {"page": address,
                  "first_load_bytes": sum(size for _, size in first_load),
                  "search_on_load_bytes": sum(size for url, size in first_load if url.startswith(SEARCH_PATHS))}
        box = page.locator("#ifg-search-input")
        if box.count():
            fetched.clear()
            box.focus()
            page.keyboard.type(UNIQUE_WORD[:-1])
            page.keyboard.type(UNIQUE_WORD[-1])
            typed = time.perf_counter()
            expect(page.locator(".ifg-search__status")).to_have_text(f"1 article found for “{UNIQUE_WORD}”.",
                                                                     timeout=30_000)
            shown = time.perf_counter()
            page.wait_for_load_state("networkidle")
            result.update(query_bytes=sum(size for _, size in fetched),
                          query_ms=(shown - typed) * 1000 - 120,  # less search.js's wait for typing to stop
                          query_files=len(fetched))
        browser.close()
    return result


def build(count: int, folder: Path, today: dt.date) -> tuple[Path, float]:
    written = corpus.write_corpus(folder, count, seed=2026, today=today)
    target = sorted((written.root / "content/articles").glob("*.md"))[count // 2]
    target.write_text(target.read_text(encoding="utf-8")
                      + f"\nOne word here is found nowhere else: {UNIQUE_WORD}.\n", encoding="utf-8")
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
    env = {**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(int(midnight.timestamp()))}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=written.root, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build of N={count} failed:\n{done.stderr[-3000:]}")
    return written.root / "site", seconds


def report(label: str, result: dict) -> str:
    def verdict(value, limit):
        return "PASS" if value <= limit else "FAIL"
    lines = [f"{label}: article page {result['page']}",
             f"  {verdict(result['search_on_load_bytes'], MAX_SEARCH_ON_LOAD)}  search data on first load: "
             f"{result['search_on_load_bytes'] / KB:,.1f} kB (target <= 50 kB)",
             f"  {verdict(result['first_load_bytes'], MAX_PAGE)}  whole first load: "
             f"{result['first_load_bytes'] / KB:,.1f} kB (target <= 150 kB)"]
    if "query_bytes" in result:
        lines += [f"  {verdict(result['query_bytes'], MAX_QUERY)}  one-word query: {result['query_bytes'] / KB:,.1f} kB "
                  f"in {result['query_files']} files (target <= 300 kB)",
                  f"  {verdict(result['query_ms'], MAX_QUERY_MS)}  results shown {result['query_ms']:,.0f} ms after "
                  f"typing stopped (target < 1000 ms)"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/search.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes (default 2000,10000)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--base", default="/internship-field-guide/", help="the site's base path")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = {}
    if args.site:
        results["site"] = measure(args.site, args.base)
        print(report(str(args.site), results["site"]), flush=True)
    else:
        workspace = Path(tempfile.mkdtemp(prefix="field-guide-search-bench-"))
        try:
            for count in sorted(int(n) for n in args.sizes.split(",")):
                site, seconds = build(count, workspace / f"n{count}", dt.date.today())
                results[count] = {"build_seconds": seconds, **measure(site, args.base)}
                print(report(f"N = {count} (built in {seconds:.1f} s)", results[count]), flush=True)
                shutil.rmtree(workspace / f"n{count}")
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
