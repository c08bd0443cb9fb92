"""Charts in built sites: an article's chart paragraph and /key-figures/ show the SVG and its
table as of the build's day; a scheduled change shows its new bar on its day, warm or cold."""

from __future__ import annotations

import datetime as dt

from factkit import wage_chart
from sitekit import article, make_site
from test_facts_build import build, files_of, page

import pytest

BEFORE, AFTER = dt.date(2026, 12, 31), dt.date(2027, 1, 1)
FACTS = wage_chart("""    - value: "£12.71"
      from: 2026-04-01
      until: 2026-12-31
    - value: "£13.00"
      from: 2027-01-01
""", "£10.85", title="UK minimum wage by age")
BODY = """\
The adult rate is [UK National Living Wage](fact:uk-national-living-wage) an hour.

[UK minimum wage by age](chart:uk-minimum-wage)
"""


@pytest.fixture
def chart_site(tmp_path):
    site = make_site(tmp_path, markdown=True, articles={"pay": article("Pay", "2026-10-01", tags=["law"], body=BODY)})
    site.write("content/data/facts/uk.yml", FACTS)
    return site


def chart_of(soup) -> tuple[str, list[tuple[str, str]], list[list[str]]]:
    """The figure's caption, its bars (label, value) and its table rows as a reader sees them."""
    [figure] = soup.select("figure.ifg-chart")
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and figure.find(id=svg["aria-labelledby"]).name == "title"
    bars = [(row.select_one(".ifg-chart__label").get_text(), row.select_one(".ifg-chart__value").get_text())
            for row in svg.select("g.ifg-chart__row")]
    table = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in figure.select("tbody tr")]
    return figure.select_one("figcaption").get_text(), bars, table


def test_the_article_and_key_figures_show_the_chart_and_its_table(chart_site):
    build(chart_site, BEFORE, "out", cache=False)
    out = chart_site.root / "out"
    body = page(out, "articles/pay").select_one(".ifg-article-body")
    assert body.select("span.ifg-chart") == [], "a placeholder left unresolved"
    expected = ([("21 and over", "£12.71"), ("18 to 20", "£10.85")],
                [["21 and over", "£12.71", "GOV.UK"], ["18 to 20", "£10.85", "GOV.UK"]])
    assert chart_of(body) == ("UK minimum wage by age", *expected)
    key = page(out, "key-figures")
    section = key.select_one("section#region-gb")
    assert chart_of(section) == ("UK minimum wage by age", *expected)
    # The chart comes above the region's table of facts.
    assert section.select_one("figure.ifg-chart").find_next("table").find_parent("figure") is not None
    assert section.select("table")[-1].find_parent("figure") is None


def test_a_scheduled_change_shows_its_new_bar_on_its_day_warm_or_cold(chart_site):
    build(chart_site, BEFORE, "day1")  # cold: fills the cache
    warm = build(chart_site, AFTER, "warm")
    assert "taken from the build cache" in warm.stderr, "the cache was not used: the test would prove nothing"
    build(chart_site, AFTER, "cold", cache=False)
    root = chart_site.root
    for folder in ("warm", "cold"):
        _, bars, table = chart_of(page(root / folder, "articles/pay"))
        assert bars == [("21 and over", "£13.00"), ("18 to 20", "£10.85")]
        assert table[0] == ["21 and over", "£13.00", "GOV.UK"]
        assert chart_of(page(root / folder, "key-figures").select_one("section#region-gb"))[1] == bars
    warm_files, cold_files = files_of(root / "warm"), files_of(root / "cold")
    assert [path for path in cold_files if warm_files.get(path) != cold_files[path]] == []
