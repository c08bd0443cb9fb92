"""The publication itself: the repository's own content builds strictly into a complete site."""

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.mkdocs.config import load

from sitekit import REPO
from test_build import broken_links

FOUNDING = REPO.parent / "shared/reference/founding-article.txt"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def data(name: str):
    return yaml.safe_load((REPO / "content/data" / name).read_text(encoding="utf-8"))


def test_launch_content_minimums():
    benefits, categories, resources, authors = (data(n) for n in (
        "benefits.yml", "categories.yml", "resources.yml", "authors.yml"))
    assert len(benefits) == 7
    assert len(resources) >= 12
    assert len({r["category"] for r in resources}) >= 4 and len(categories) >= 4
    assert len(authors) >= 2
    assert all(r["url"].startswith("https://") for r in resources)


def test_every_article_and_section_is_built(shipped):
    slugs = sorted(p.stem for p in (REPO / "content/articles").glob("*.md"))
    assert "why-internships-matter" in slugs
    for slug in slugs:
        assert (shipped / "articles" / slug / "index.html").is_file(), slug
    for section in ("", "articles", "benefits", "resources", "tags", "authors", "about"):
        assert (shipped / section / "index.html").is_file(), section


def test_resources_page_lists_every_resource(shipped):
    listed = [a["href"] for a in page(shipped, "resources").select(".ifg-resource__title a")]
    assert listed == [r["url"] for c in data("categories.yml") for r in data("resources.yml")
                      if r["category"] == c["id"]]
    assert len(listed) == len(data("resources.yml"))


def test_no_broken_internal_links(shipped):
    base = re.sub(r"^https?://[^/]+", "", load(REPO)[0].site_url)
    assert broken_links(shipped, base) == []


def test_founding_article_is_rewritten_not_copied():
    """No run of eight words from the founding draft survives into our article."""
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z']+", text.lower())

    original = words(FOUNDING.read_text(encoding="utf-8")) if FOUNDING.exists() else []
    if not original:
        pytest.skip("the founding draft is not beside the repository")
    ours = " ".join(words((REPO / "content/articles/why-internships-matter.md").read_text(encoding="utf-8")))
    copied = [" ".join(original[i:i + 8]) for i in range(len(original) - 7)
              if " ".join(original[i:i + 8]) in ours]
    assert copied == []


def test_the_publication_has_eight_substantial_articles_each_with_benefits_and_tags():
    from generator.content import load_content

    content = load_content(REPO)
    published = [a for a in content.articles if not a.meta.draft]
    assert len(published) >= 8
    for item in published:
        words = len(item.body.split())
        assert 700 <= words <= 1500, (item.slug, words)
        assert item.meta.benefits and item.meta.tags, item.slug


def test_the_directory_has_thirty_resources_in_six_categories_all_checked():
    resources = data("resources.yml")
    assert len(resources) >= 30
    assert len({r["category"] for r in resources}) >= 6
    assert all(r.get("last_checked") for r in resources)


def test_the_about_page_covers_standards_corrections_and_contributing(shipped):
    about = page(shipped, "about")
    headings = " ".join(h.get_text().lower() for h in about.select("article h2"))
    for topic in ("standards", "correction", "contribut"):
        assert topic in headings, topic


def test_the_shipped_content_passes_check_strict_with_no_warnings():
    import io

    from generator.cli import main

    out = io.StringIO()
    assert main(["check", "--strict"], out=out, cwd=REPO) == 0
    assert out.getvalue() == ""


def test_every_article_shows_its_sources_review_date_and_regions(shipped):
    for path in sorted((REPO / "content/articles").glob("*.md")):
        article = page(shipped, f"articles/{path.stem}")
        sources = article.select(".ifg-sources ol > li a[href^='https://']")
        assert len(sources) >= 2, path.stem
        assert "Reviewed" in article.select_one(".ifg-byline").get_text(), path.stem
        assert article.select_one(".ifg-regions").get_text(strip=True).startswith("Applies to: "), path.stem
