"""`mkdocs serve`: drafts and scheduled articles are previewed with a banner; edits rebuild."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from sitekit import REPO, article, mkdocs_yml, search_records


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> BeautifulSoup | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    except OSError:
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not true within {seconds} s")


@contextlib.contextmanager
def serving(site, *options: str, log_name: str = "serve.log"):
    """`mkdocs serve` on the site, on a free port; yields the site's base URL once it answers."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Under libfaketime (the suite runs on a faked calendar too), the server keeps the real
    # monotonic clock: libfaketime 0.9.10 moves that clock as well, and then a timed wait
    # (MkDocs' file watcher polls with one) never ends. Set here, not for the tests' own
    # process, where libfaketime reads it only at start.
    if "faketime" in env.get("LD_PRELOAD", ""):
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    log = (site.root / log_name).open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
        cwd=site.root, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
    )
    base = f"http://127.0.0.1:{port}/guide/"
    try:
        wait_for(lambda: fetch(base), 60)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def served(site):
    site.add_article("published", "Published", "2026-10-01")
    site.add_article("work-in-progress", "Work in progress", "2026-10-02", draft=True)
    site.add_article("coming-soon", "Coming soon", "2099-01-01")
    with serving(site) as base:
        yield site, base


def test_preview_shows_drafts_and_scheduled_articles_with_a_banner(served):
    site, base = served
    draft = fetch(base + "articles/work-in-progress/")
    assert draft.select_one(".ifg-banner").get_text(" ", strip=True).startswith("Draft.")
    scheduled = fetch(base + "articles/coming-soon/")
    assert "Scheduled." in scheduled.select_one(".ifg-banner").get_text()
    assert "1 January 2099" in scheduled.select_one(".ifg-banner").get_text()
    assert fetch(base + "articles/published/").select_one(".ifg-banner") is None
    listing = fetch(base + "articles/")
    badges = {card.select_one("a").get_text(strip=True): bool(card.select_one(".ifg-badge"))
              for card in listing.select(".ifg-article-card")}
    assert badges == {"Coming soon": True, "Work in progress": True, "Published": False}


def test_preview_rebuilds_on_article_and_data_edits(served):
    site, base = served
    site.write("content/articles/published.md", article("Published, now retitled", "2026-10-01"))
    wait_for(lambda: "Published, now retitled" in fetch(base + "articles/").get_text(), 30)
    benefits = (site.root / "content/data/benefits.yml").read_text().replace("Networking", "Meeting people")
    site.write("content/data/benefits.yml", benefits)
    wait_for(lambda: "Meeting people" in fetch(base + "benefits/").get_text(), 30)



def test_preview_watches_content_theme_and_generator(served):
    site, _ = served
    watching = next(line for line in (site.root / "serve.log").read_text().splitlines()
                    if "Watching paths for changes" in line)
    for folder in ("'content'", str(REPO / "theme"), str(REPO / "generator")):
        assert folder in watching


def fetch_text(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def as_built(html: str, base: str) -> str:
    """A served page as a build writes it: without the live-reload script, on a fixed address."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if "livereload" in (script.get("src") or "") + script.get_text():
            script.decompose()
    return str(soup).replace(base, "BASE/")


def rebuilds(site, log_name: str) -> list[str]:
    """The "Rendered N of M pages" line of every dirty rebuild so far."""
    return [line.split("INFO    -  ", 1)[-1] for line in (site.root / log_name).read_text().splitlines()
            if "Rendered " in line]


def test_dirty_preview_renders_only_what_changed_and_serves_what_a_full_build_would(site):
    site.add_article("getting-started", "Getting started", "2026-09-01", tags=["planning"],
                     benefits=["real-world-experience"], body="See [what comes next](next-steps.md).\n")
    site.add_article("interviews", "Interviews", "2026-09-10", tags=["interviews", "planning"],
                     benefits=["confidence"], body="Prepare your answers.\n")
    site.add_article("pay", "Pay and rights", "2026-09-20", tags=["pay"], benefits=["confidence"],
                     authors=["policy-desk"])
    site.add_article("networking", "Meeting people", "2026-10-01", tags=["planning"], benefits=["networking"])
    site.add_article("old-news", "Old news", "2026-08-01", tags=["archive"], benefits=["networking"])

    with serving(site, "--dirty", log_name="dirty.log") as dirty:
        def after_edit(edit) -> str:
            done = len(rebuilds(site, "dirty.log"))
            edit()
            wait_for(lambda: len(rebuilds(site, "dirty.log")) > done, 30)
            return rebuilds(site, "dirty.log")[-1]

        # A body edit shows on the article's page and nowhere else: one page rendered.
        line = after_edit(lambda: site.add_article(
            "interviews", "Interviews", "2026-09-10", tags=["interviews", "planning"], benefits=["confidence"],
            body="Prepare your answers aloud.\n"))
        assert line.startswith("Rendered 1 of ")
        assert "Prepare your answers aloud." in fetch(dirty + "articles/interviews/").get_text()

        # A new title shows in listings, tags, the author's page and related articles.
        after_edit(lambda: site.add_article("networking", "Meeting people well", "2026-10-01",
                                            tags=["planning"], benefits=["networking"]))
        # Moved off a tag: the tag's only page is gone.
        after_edit(lambda: site.add_article("old-news", "Old news", "2026-08-01", tags=["planning"],
                                            benefits=["networking"]))
        assert fetch(dirty + "tags/archive/") is None
        # Data: a benefit renamed shows wherever benefits are named.
        benefits = (site.content / "data/benefits.yml").read_text().replace("Confidence", "Self-assurance")
        after_edit(lambda: site.write("content/data/benefits.yml", benefits))
        # A page that appears fixes the link to it; a deleted article's page is gone.
        after_edit(lambda: site.add_article("next-steps", "Next steps", "2026-10-05", tags=["planning"]))
        after_edit(lambda: (site.content / "articles/pay.md").unlink())
        assert fetch(dirty + "articles/pay/") is None
        assert fetch(dirty + "authors/policy-desk/").select_one(".ifg-article-card") is None

        # Every page the dirty preview serves is the page a full build of the same content serves.
        with serving(site, log_name="full.log") as full:
            assert site.build().returncode == 0
            urls = sorted(path.parent.relative_to(site.root / "site").as_posix() + "/"
                          for path in (site.root / "site").rglob("index.html"))
            assert {"articles/next-steps/", "tags/planning/", "benefits/confidence/"} <= set(urls)
            for url in urls:
                url = "" if url == "./" else url
                assert as_built(fetch_text(dirty + url), dirty) == as_built(fetch_text(full + url), full), url
            # Search too: the dirty preview indexed again what the edits changed, and only that.
            index = {name: search_records(lambda path, base=base: fetch_bytes(base + path))
                     for name, base in (("dirty", dirty), ("full", full))}
            assert index["dirty"] == index["full"] and "/articles/next-steps/" in index["dirty"]
            assert "/articles/pay/" not in index["dirty"]
            assert "Meeting people well" in {record["meta"]["title"] for record in index["dirty"].values()}
        assert all(line.startswith("Rendered ") for line in rebuilds(site, "dirty.log"))
    assert "A 'dirty' build is being performed" not in (site.root / "dirty.log").read_text()


def test_preview_uses_the_build_cache_and_shows_the_edit(site):
    # The repository's Markdown settings: `!!python/name:generator.markdown.gfm.github_emoji` names a
    # function of the generator, which the preview reloads before every build.
    site.write("mkdocs.yml", mkdocs_yml(markdown=True))
    for number in range(3):
        site.add_article(f"article-{number}", f"Article {number}", f"2026-10-0{number + 1}",
                         body="Words :tada: here.\n")
    with serving(site, log_name="cached.log"):
        log = site.root / "cached.log"
        wait_for(lambda: "Serving on" in log.read_text(), 30)
        site.add_article("article-1", "Article 1", "2026-10-02", body="Words edited :tada: here.\n")
        wait_for(lambda: "taken from the build cache" in log.read_text(), 60)
        base = f"http://{next(line for line in log.read_text().splitlines() if 'Serving on' in line).split('http://')[1]}"
        page = wait_for(lambda: (soup := fetch(base + "articles/article-1/")) and
                        "Words edited" in soup.get_text() and soup, 30)
        assert "🎉" in page.get_text() or page.select_one("img.emoji, span.emoji") is not None
    said = log.read_text()
    assert "cannot be hashed" not in said
    assert "Markdown of 2 articles taken from the build cache." in said
