"""`mkdocs serve`: drafts and scheduled articles are previewed with a banner; edits rebuild."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from sitekit import REPO, article


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


@pytest.fixture
def served(site):
    site.add_article("published", "Published", "2026-10-01")
    site.add_article("work-in-progress", "Work in progress", "2026-10-02", draft=True)
    site.add_article("coming-soon", "Coming soon", "2099-01-01")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (site.root / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site.root, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
    )
    base = f"http://127.0.0.1:{port}/guide/"
    try:
        wait_for(lambda: fetch(base), 60)
        yield site, base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


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
