"""Facts in built sites: each article shows the value in force on the build's day, linked to
its source, in its page, the feeds and the search index; a scheduled change switches on its
day, warm or cold; /key-figures/ lists every fact, grouped by region, with a Dataset."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factkit import HEADER, HOURS, write_facts
from sitekit import article, epoch_of, make_site, site_search_records

BODY = """\
The adult rate is [UK National Living Wage](fact:uk-national-living-wage) an hour.

- After your degree, the Graduate route lasts [Graduate route length](fact:uk-graduate-route-length).
  - Federal pay starts at [US federal minimum wage](fact:us-federal-minimum-wage).
"""
BEFORE, AFTER = dt.date(2026, 12, 31), dt.date(2027, 1, 1)  # the Graduate route's change


def build(site, day: dt.date, out: str, *, cache: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch_of(day),
           "FIELD_GUIDE_CACHE": "on" if cache else "off"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out],
                            cwd=site.root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def page(folder: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((folder / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def facts_shown(folder: Path, url: str = "articles/pay") -> list[tuple[str, str]]:
    body = page(folder, url).select_one(".ifg-article-body")
    assert body.select("span.ifg-fact") == [], "a placeholder left unresolved"
    return [(link.get_text(), link["href"]) for link in body.select("a.ifg-fact")]


@pytest.fixture
def facts_site(tmp_path):
    site = make_site(tmp_path, markdown=True, articles={
        "pay": article("Pay and visas", "2026-10-01", tags=["law"], body=BODY),
    })
    write_facts(site)
    site.write("content/data/facts/hours.yml", HEADER + HOURS)
    return site


def test_each_fact_shows_its_value_in_force_linked_to_its_source(facts_site):
    build(facts_site, BEFORE, "out", cache=False)
    out = facts_site.root / "out"
    assert facts_shown(out) == [
        ("£12.71", "https://www.gov.uk/national-minimum-wage-rates"),
        ("2 years", "https://www.gov.uk/graduate-visa"),
        ("$7.25", "https://www.dol.gov/agencies/whd/minimum-wage"),
    ]
    text = page(out, "articles/pay").select_one(".ifg-article-body").get_text(" ", strip=True)
    assert "The adult rate is £12.71 an hour." in text
    assert "National Living Wage" not in text  # the label is GitHub's preview's, not the reader's

    # The feeds carry the article's HTML as the page shows it.
    rss = BeautifulSoup((out / "feed.xml").read_text(encoding="utf-8"), "xml")
    entry = BeautifulSoup(rss.find("item").find("encoded").get_text(), "html.parser")
    assert [a.get_text() for a in entry.select("a.ifg-fact")] == ["£12.71", "2 years", "$7.25"]
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert "£12.71" in BeautifulSoup(feed["items"][0]["content_html"], "html.parser").get_text()
    # So does the search index, which reads the written pages.
    record = site_search_records(out)["/articles/pay/"]
    assert "£12.71" in record["content"] and "2 years" in record["content"]


def test_a_scheduled_change_shows_on_its_day_everywhere(facts_site):
    build(facts_site, BEFORE, "before", cache=False)
    build(facts_site, AFTER, "after", cache=False)
    root = facts_site.root
    assert [text for text, _ in facts_shown(root / "before")] == ["£12.71", "2 years", "$7.25"]
    assert [text for text, _ in facts_shown(root / "after")] == ["£12.71", "18 months", "$7.25"]
    row = page(root / "after", "key-figures").select_one("tr#uk-graduate-route-length")
    assert [cell.get_text(" ", strip=True) for cell in row.find_all("td")][:3] == [
        "18 months", "1 January 2027", "None announced"]
    row = page(root / "before", "key-figures").select_one("tr#uk-graduate-route-length")
    assert [cell.get_text(" ", strip=True) for cell in row.find_all("td")][:3] == [
        "2 years", "1 July 2021", "18 months from 1 January 2027"]
    record = site_search_records(root / "after")["/articles/pay/"]
    assert "18 months" in record["content"] and "2 years" not in record["content"]


def test_a_warm_build_on_the_day_of_a_change_equals_a_cold_one(facts_site):
    build(facts_site, BEFORE, "day1")  # cold: fills the cache
    warm = build(facts_site, AFTER, "warm")
    assert "taken from the build cache" in warm.stderr, "the cache was not used: the test would prove nothing"
    build(facts_site, AFTER, "cold", cache=False)
    root = facts_site.root
    warm_files, cold_files = files_of(root / "warm"), files_of(root / "cold")
    assert warm_files.keys() == cold_files.keys()
    assert [path for path in cold_files if warm_files[path] != cold_files[path]] == []
    assert [text for text, _ in facts_shown(root / "warm")] == ["£12.71", "18 months", "$7.25"]


def test_the_key_figures_page_lists_every_fact_by_region_with_a_dataset(facts_site):
    build(facts_site, BEFORE, "out", cache=False)
    out = facts_site.root / "out"
    key = page(out, "key-figures")
    assert key.select_one("h1").get_text() == "Key figures"
    groups = {section.select_one("h2").get_text(): [row["id"] for row in section.select("tbody tr")]
              for section in key.select("section.ifg-key-figures")}
    assert groups == {
        "United Kingdom": ["uk-graduate-route-length", "uk-student-visa-term-time-hours-degree",
                           "uk-national-living-wage"],
        "United States": ["us-f1-on-campus-hours-in-session", "us-federal-minimum-wage"],
    }
    wage = key.select_one("tr#uk-national-living-wage")
    cells = [cell.get_text(" ", strip=True) for cell in wage.find_all("td")]
    assert cells == ["£12.71", "1 April 2026", "None announced",
                     "National Minimum Wage and National Living Wage rates , GOV.UK", "1 November 2026"]
    assert wage.select_one("a")["href"] == "https://www.gov.uk/national-minimum-wage-rates"
    [dataset] = [data for script in key.select('script[type="application/ld+json"]')
                 if (data := json.loads(script.string))["@type"] == "Dataset"]
    assert len(dataset["variableMeasured"]) == 5
    assert {"@type": "PropertyValue", "propertyID": "uk-graduate-route-length", "name": "Graduate route length",
            "url": "https://example.org/guide/key-figures/#uk-graduate-route-length", "value": "2 years",
            "validFrom": "2021-07-01", "validThrough": "2026-12-31"} in dataset["variableMeasured"]
    assert {place["name"] for place in dataset["spatialCoverage"]} == {"United Kingdom", "United States"}
    sitemap = BeautifulSoup((out / "sitemap-pages.xml").read_text(), "xml")
    [entry] = [url for url in sitemap.find_all("url") if url.loc.get_text().endswith("/key-figures/")]
    assert entry.lastmod.get_text().startswith("2026-11-01")  # the latest source checked, not the build's day


def test_a_site_without_facts_has_a_key_figures_page_that_says_so(tmp_path):
    site = make_site(tmp_path, articles={"a": article("A", "2026-10-01")})
    build(site, BEFORE, "out", cache=False)
    key = page(tmp_path / "out", "key-figures")
    assert key.select("table") == []
    assert key.select_one(".ifg-lede").get_text() == "No key figures are recorded yet."


def test_a_hostile_fact_value_reaches_the_page_escaped(facts_site):
    facts_site.write("content/data/facts/hours.yml", HEADER + HOURS.replace(
        '"20 hours"\n      from: 2015-08-03', '"<img src=x onerror=alert(1)>"\n      from: 2015-08-03', 1)
        .replace("label: Student visa term-time work limit (degree level)", 'label: "<script>alert(1)</script>"'))
    facts_site.write("content/articles/pay.md", article(
        "Pay and visas", "2026-10-01", tags=["law"],
        body="Hours: [term-time hours](fact:uk-student-visa-term-time-hours-degree).\n"))
    build(facts_site, BEFORE, "out", cache=False)
    out = facts_site.root / "out"
    for url in ("articles/pay", "key-figures"):
        main = page(out, url).select_one(".md-content")
        assert main.find("img") is None and main.find("script") is None, url
        assert "<img src=x onerror=alert(1)>" in main.get_text()
