"""What search costs a reader: bytes and time in Chromium, on the synthetic corpus.

    .venv/bin/python bench/search.py                         # N = 2000 and 10000: about 4 minutes
    .venv/bin/python bench/search.py --sizes 2000
    .venv/bin/python bench/search.py --site PATH             # a site built already (e.g. run.py --keep)
    .venv/bin/python bench/search.py --site site --lighthouse  # also Lighthouse, mobile: home, articles, resources, search

For each N it writes the corpus (corpus.py) with one word, `zyxquorbit`, in one article's
body only, builds it with `mkdocs build --strict`, serves it on 127.0.0.1 under the site's
base path and opens an article page in Chromium (Playwright, /usr/bin/chromium), then:

- first load: every response of the article page until the network is idle, each
  counted at its gzip size (level 6, as a web server compresses), and the part of it
  that is search data (Material's search/ or our pagefind/);
- query: focus the search box, type the word, and count what is fetched from the first
  keystroke until the result shows, and the milliseconds from the last keystroke to the
  result on screen;
- with --lighthouse: Lighthouse's mobile run (simulated slow 4G and a slow CPU) on the
  home page, the article page, an article with a lead image, the resources and a search
  results page, each category's score and the paint timings (no SEO target on the
  results page, which is `noindex` on purpose).

The site is served gzipped, as GitHub Pages serves it.

See bench/README.md, "What search costs a reader".
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
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


def has_word(site: Path) -> bool:
    """Whether an article holds the word the query looks for (a site built by this script)."""
    return any(UNIQUE_WORD in path.read_text(encoding="utf-8") for path in (site / "articles").glob("*/index.html"))


def measure(site: Path, base: str) -> dict:
    """Bytes and times of one article page of the built `site`, in Chromium."""
    from playwright.sync_api import expect, sync_playwright

    article = next(path for path in sorted((site / "articles").glob("*/index.html")) if path.parent.name != "page")
    address = f"articles/{article.parent.name}/"
    with serve(site, base, compress=True) as root, sync_playwright() as playwright:
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
        if box.count() and has_word(site):
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
            # Then the filters opened: their values load only now.
            fetched.clear()
            page.click(".ifg-search__filters summary")
            page.locator("[data-ifg-filter=tag] option:nth-child(2)").wait_for(state="attached")
            page.wait_for_load_state("networkidle")
            result.update(filters_bytes=sum(size for _, size in fetched), filters_files=len(fetched))
        browser.close()
    return result


LIGHTHOUSE = BENCH.parent / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time",
                      "cumulative-layout-shift")
MIN_PERFORMANCE, MIN_OTHERS = 95, 100


def lighthouse(site: Path, base: str) -> dict:
    """Lighthouse, mobile, on the home page, an article page, an article with a lead image,
    the resources and a search results page of the built `site` (each that it has)."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci --ignore-scripts` first")
    articles = [path for path in sorted((site / "articles").glob("*/index.html")) if path.parent.name != "page"]
    pages = [("home", ""), ("article", f"articles/{articles[0].parent.name}/")]
    pictured = next((path for path in articles if "<picture" in path.read_text(encoding="utf-8")), None)
    if pictured is not None:
        pages.append(("article with a lead image", f"articles/{pictured.parent.name}/"))
    if (site / "resources/index.html").is_file():
        pages.append(("resources", "resources/"))
    if (site / "search/index.html").is_file():
        pages.append(("search results", "search/?q=internship"))
    results = {}
    with serve(site, base, compress=True) as root, tempfile.TemporaryDirectory() as work:
        for name, address in pages:
            report = Path(work) / f"{name.replace(' ', '-')}.json"
            done = subprocess.run([str(LIGHTHOUSE), root + address, "--form-factor=mobile", "--quiet",
                                   "--output=json", f"--output-path={report}",
                                   f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS[1:])}"],
                                  env={**os.environ, "CHROME_PATH": CHROMIUM},
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0 or not report.is_file():
                raise SystemExit(f"Lighthouse failed on {address or 'the home page'}:\n{done.stderr[-2000:]}")
            data = json.loads(report.read_text(encoding="utf-8"))
            results[name] = {"page": address,
                             # A results page is `noindex` on purpose: Lighthouse's SEO score
                             # counts that against it, so SEO is not a target there.
                             "noindex": "noindex" in data["audits"].get("is-crawlable", {}).get("title", "").lower()
                             or data["audits"].get("is-crawlable", {}).get("score") == 0,
                             "scores": {key: round(category["score"] * 100) for key, category in
                                        data["categories"].items() if category.get("score") is not None},
                             "timings": {key: data["audits"][key].get("displayValue", "")
                                         for key in LIGHTHOUSE_TIMINGS if key in data["audits"]}}
    return results


def lighthouse_report(results: dict) -> str:
    lines = []
    for name, result in results.items():
        scores = result["scores"]
        targets = ("performance", "accessibility", "best-practices") + (() if result.get("noindex") else ("seo",))
        passed = all(score >= (MIN_PERFORMANCE if key == "performance" else MIN_OTHERS)
                     for key, score in scores.items() if key in targets)
        lines.append(f"  {'PASS' if passed else 'FAIL'}  Lighthouse mobile, {name} ({result['page'] or '/'}): "
                     + ", ".join(f"{key} {score}" for key, score in scores.items()
                                 if key in ("performance", "accessibility", "best-practices", "seo"))
                     + (" (targets: performance >= 95, the others 100"
                        + ("; SEO none, the page is noindex on purpose)" if result.get("noindex") else ")")))
        lines.append("        " + ", ".join(f"{key} {value}" for key, value in result["timings"].items()))
    return "\n".join(lines)


def build(count: int, folder: Path, today: dt.date) -> tuple[Path, float]:
    written = corpus.write_corpus(folder, count, seed=2026, today=today)
    target = sorted((written.root / "content/articles").glob("*.md"))[count // 2]
    target.write_text(target.read_text(encoding="utf-8")
                      + f"\nOne word here is found nowhere else: {UNIQUE_WORD}.\n", encoding="utf-8")
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(int(midnight.timestamp()))}
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
                  f"typing stopped (target < 1000 ms)",
                  f"        then the filters opened: {result['filters_bytes'] / KB:,.1f} kB in "
                  f"{result['filters_files']} files"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/search.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes (default 2000,10000)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--base", default="/internship-field-guide/", help="the site's base path")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (mobile) on each site")
    args = parser.parse_args(argv)
    results = {}
    if args.site:
        results["site"] = measure(args.site, args.base)
        print(report(str(args.site), results["site"]), flush=True)
        if args.lighthouse:
            results["site"]["lighthouse"] = lighthouse(args.site, args.base)
            print(lighthouse_report(results["site"]["lighthouse"]), flush=True)
    else:
        workspace = Path(tempfile.mkdtemp(prefix="field-guide-search-bench-"))
        try:
            for count in sorted(int(n) for n in args.sizes.split(",")):
                site, seconds = build(count, workspace / f"n{count}", dt.date.today())
                results[count] = {"build_seconds": seconds, **measure(site, args.base)}
                print(report(f"N = {count} (built in {seconds:.1f} s)", results[count]), flush=True)
                if args.lighthouse:
                    results[count]["lighthouse"] = lighthouse(site, args.base)
                    print(lighthouse_report(results[count]["lighthouse"]), flush=True)
                shutil.rmtree(workspace / f"n{count}")
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
