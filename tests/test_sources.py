"""An article shows where its facts come from, when it was checked and where it applies."""

from __future__ import annotations

import datetime as dt
import json

from bs4 import BeautifulSoup

from generator.site.lint import external_links
from generator.site.pipeline import prepare
from sitekit import article, mkdocs_yml

TODAY = dt.date(2026, 11, 18)

SOURCES = [
    {"title": "Employment rights and pay for interns", "url": "https://www.gov.uk/employment-rights-for-interns",
     "publisher": "GOV.UK", "accessed": "2026-11-02"},
    {"title": "Fact Sheet #71 <Internships>", "url": "https://www.dol.gov/agencies/whd/fact-sheets/71-flsa-internships",
     "publisher": "U.S. Department of Labor & Wage and Hour Division", "accessed": "2026-11-03"},
]


def _page(site, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site.root / f"site/articles/{slug}/index.html").read_text(encoding="utf-8"), "html.parser")


def test_article_lists_its_sources_review_date_and_regions(site):
    site.write("content/articles/pay.md", article("Pay", "2026-10-01", sources=SOURCES, reviewed="2026-11-05",
                                                  regions=["us", "gb"]))
    result = site.build()
    assert result.returncode == 0, result.stderr
    page = _page(site, "pay")
    items = page.select(".ifg-sources ol > li")
    assert [item.a["href"] for item in items] == [s["url"] for s in SOURCES]
    # Escaped like every field: the title's angle brackets are text, not markup.
    assert items[1].a.get_text() == "Fact Sheet #71 <Internships>"
    assert "U.S. Department of Labor & Wage and Hour Division" in items[1].get_text()
    assert items[0].time["datetime"] == "2026-11-02" and items[0].time.get_text() == "2 November 2026"
    byline = page.select_one(".ifg-byline").get_text(" ", strip=True)
    assert "Reviewed 5 November 2026" in " ".join(byline.split())
    assert page.select_one(".ifg-regions").get_text(strip=True) == "Applies to: United States, United Kingdom"
    data = next(item for script in page.select('script[type="application/ld+json"]')
                for item in [json.loads(script.string)] if item.get("@type") == "Article")
    assert [c["url"] for c in data["citation"]] == [s["url"] for s in SOURCES]
    assert data["dateModified"] == "2026-11-05"


def test_fewer_than_two_sources_is_a_warning_at_the_field(site):
    site.write("content/articles/thin.md", article("Thin", "2026-10-01", sources=SOURCES[:1]))
    warnings = [str(w) for w in prepare(site.root, today=TODAY).warnings]
    assert len(warnings) == 1 and warnings[0].startswith("content/articles/thin.md:")
    assert warnings[0].endswith("[few-sources]") and ": sources: 1 source: list at least 2" in warnings[0]
    result = site.build()
    assert result.returncode != 0 and "[few-sources]" in result.stderr


def test_source_must_be_https_and_region_a_country(site):
    bad = [{**SOURCES[0], "url": "http://www.gov.uk/x"}, SOURCES[1]]
    site.write("content/articles/bad.md", article("Bad", "2026-10-01", sources=bad, regions=["uk"]))
    result = site.build()
    assert result.returncode != 0
    assert "regions[0]: 'uk' is not an ISO 3166-1 country code" in result.stderr
    assert "did you mean" in result.stderr
    assert "sources[0].url: must start with https://" in result.stderr


def test_sources_are_among_the_links_check_external_opens(site):
    site.write("content/articles/pay.md", article("Pay", "2026-10-01", sources=SOURCES))
    places = {url: str(place.problem) for url, place in external_links(prepare(site.root, today=TODAY).content)}
    line = (site.root / "content/articles/pay.md").read_text().splitlines().index(
        next(line for line in (site.root / "content/articles/pay.md").read_text().splitlines()
             if line.startswith("sources:"))) + 1
    for index, source in enumerate(SOURCES):
        assert places[source["url"]].startswith(f"content/articles/pay.md:{line}:")
        assert f": sources[{index}].url: " in places[source["url"]]


def test_articles_listing_filters_by_country(site):
    site.write("content/articles/visas.md", article("Visas", "2026-10-01", regions=["gb"]))
    site.write("content/articles/wages.md", article("Wages", "2026-10-02", regions=["us", "gb"]))
    site.write("content/articles/habits.md", article("Habits", "2026-10-03"))
    result = site.build()
    assert result.returncode == 0, result.stderr
    listing = BeautifulSoup((site.root / "site/articles/index.html").read_text(encoding="utf-8"), "html.parser")
    filters = [a.get_text(strip=True) for a in listing.select("nav.ifg-filters a")]
    assert filters == ["All countries", "United Kingdom (2)", "United States (1)"]
    page = BeautifulSoup((site.root / "site/articles/regions/gb/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.h1.get_text(strip=True) == "Articles for United Kingdom"
    assert [a.get_text(strip=True) for a in page.select(".ifg-article-card__title a")] == ["Wages", "Visas"]
    assert page.select_one("nav.ifg-filters a[aria-current=page]").get_text(strip=True) == "United Kingdom (2)"


def test_every_article_links_to_report_an_error_when_the_site_sets_where(site):
    site.write("mkdocs.yml", mkdocs_yml({"extra": {"report_error_url": "https://example.org/issues/new"}}))
    site.write("content/articles/pay.md", article("Pay & <rights>", "2026-10-01"))
    assert site.build().returncode == 0
    link = _page(site, "pay").select_one(".ifg-report-error a")
    assert link["href"] == "https://example.org/issues/new?title=Error%20in%3A%20Pay%20%26%20%3Crights%3E"
