"""Charts (charts.py): the SVG and its table as a reader's browser parses them, the checks
`check` and the build share, the conversion's placeholder and the parity lint. No MkDocs
build here: tests/test_facts_build.py builds a site with a chart."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from generator.content import charts
from generator.markdown import sanitize
from generator.content.errors import ContentErrors
from generator.mkdocs.config import load
from generator.content.models import Fact
from generator.markdown.parity import Parity, structure
from generator.site.pipeline import prepare
from factkit import wage_chart, write_facts
from sitekit import REPO

TODAY = dt.date(2026, 11, 18)
_, REPOSITORY, _ = load(REPO)


def fact(fact_id: str, label: str, values: list[tuple[str, str]], *, group: str = "uk-wage") -> Fact:
    return Fact.model_validate({
        "id": fact_id, "label": f"Wage {label}", "region": "gb",
        "values": [{"value": value, "from": day} for value, day in values],
        "source": {"title": "Rates", "url": "https://www.gov.uk/national-minimum-wage-rates",
                   "publisher": "GOV.UK", "accessed": "2026-11-01"},
        "review_by": "2027-03-15", "chart": {"group": group, "label": label},
    })


ADULT = fact("adult", "21 and over", [("£12.21", "2025-04-01"), ("£12.71", "2026-04-01")])
YOUNG = fact("young", "18 to 20", [("£10.85", "2026-04-01")])
APPRENTICE = fact("apprentice", "Apprentice", [("£8.00", "2026-04-01")])


def drawn(facts, title="UK wage by age", day=TODAY) -> BeautifulSoup:
    return BeautifulSoup(charts.chart_html("uk-wage", facts, day, title=title), "lxml")


def test_bars_come_in_order_scaled_to_the_largest_with_their_values_as_text():
    page = drawn([YOUNG, ADULT, APPRENTICE])
    rows = page.select("svg g.ifg-chart__row")
    assert [row.select_one(".ifg-chart__label").get_text() for row in rows] == ["18 to 20", "21 and over",
                                                                                 "Apprentice"]
    assert [row.select_one(".ifg-chart__value").get_text() for row in rows] == ["£10.85", "£12.71", "£8.00"]
    widths = [float(row.select_one("rect")["width"]) for row in rows]
    assert widths[1] == charts.BAR_SPACE
    assert widths[0] / widths[1] == pytest.approx(10.85 / 12.71, abs=0.001)
    assert widths[2] / widths[1] == pytest.approx(8.00 / 12.71, abs=0.001)
    # Bars do not overlap: each row lower than the last.
    tops = [float(row.select_one("rect")["y"]) for row in rows]
    assert tops == sorted(tops) and len(set(tops)) == 3


def test_the_value_in_force_on_the_day_is_drawn():
    before = drawn([ADULT, YOUNG], day=dt.date(2026, 3, 1))
    assert [t.get_text() for t in before.select(".ifg-chart__value")] == ["£12.21", "none in force"]
    assert float(before.select("rect")[1]["width"]) == 0


def test_the_svg_is_an_image_named_by_its_title_and_has_no_style():
    page = drawn([ADULT, YOUNG])
    svg = page.select_one("svg")
    assert svg["role"] == "img"
    title = page.find(id=svg["aria-labelledby"])
    assert title.name == "title" and title.parent is svg
    assert title.get_text() == "UK wage by age, in force on 18 November 2026"
    assert page.select_one("figcaption").get_text() == "UK wage by age"
    assert not page.select("[style]") and "<style" not in str(page)


def test_the_table_gives_the_same_figures_and_each_source():
    page = drawn([ADULT, YOUNG])
    body = page.select("table tbody tr")
    assert [[cell.get_text() for cell in row.select("th, td")] for row in body] == [
        ["21 and over", "£12.71", "GOV.UK"], ["18 to 20", "£10.85", "GOV.UK"]]
    assert {a["href"] for a in page.select("table a")} == {"https://www.gov.uk/national-minimum-wage-rates"}


def test_a_hostile_label_title_and_value_are_text():
    hostile = fact("bad", '<script>alert(1)</script>"', [('£9 <img src=x onerror=alert(1)>', "2026-01-01")])
    page = drawn([hostile, ADULT], title='</title><script>alert(2)</script>')
    assert not page.select("script, img, [onerror]")
    assert page.select_one(".ifg-chart__label").get_text() == '<script>alert(1)</script>"'
    assert page.select_one(".ifg-chart__value").get_text() == "£9 <img src=x onerror=alert(1)>"
    assert page.select_one("svg title").get_text().startswith("</title><script>alert(2)</script>")


# The conversion and the build's side


def test_a_paragraph_that_is_only_a_chart_link_becomes_a_placeholder_the_sanitizer_keeps():
    html = sanitize.sanitize(REPOSITORY.markdown.converter()("Text.\n\n[UK wage & age](chart:uk-wage)\n"))
    assert '<p><span class="ifg-chart" title="chart:uk-wage">UK wage &amp; age</span></p>' in html
    page = BeautifulSoup(charts.resolve_html(html, {"uk-wage": [ADULT, YOUNG]}, TODAY), "lxml")
    assert page.select_one("figure.ifg-chart figcaption").get_text() == "UK wage & age"
    assert not page.select("p figure, span.ifg-chart")


def test_a_chart_link_inside_a_sentence_stays_text():
    html = sanitize.sanitize(REPOSITORY.markdown.converter()("See [the chart](chart:uk-wage) here.\n"))
    assert "ifg-chart" not in html
    assert BeautifulSoup(html, "lxml").get_text().strip() == "See the chart here."


def test_a_chart_link_renders_alike_for_the_parity_lint():
    ours, github = Parity(REPOSITORY.markdown).converters()
    markdown = "Text.\n\n[UK wage by age](chart:uk-wage)\n"
    assert structure(ours(markdown)) == structure(github(markdown))


# check (prepare: the build runs the same)

def charted(second: str) -> str:
    """The UK wage chart group, its 18-to-20 value `second`."""
    return wage_chart("""    - value: "£12.71"
      from: 2026-04-01
""", second)


def errors_of(site) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        prepare(site.root, today=TODAY, icon_exists=REPOSITORY.icon_exists, markdown=REPOSITORY.markdown)
    return [str(error) for error in caught.value.errors]


def test_an_unknown_chart_group_is_an_error_with_did_you_mean(site):
    write_facts(site, {"uk.yml": charted("£10.85")})
    site.add_article("pay", "Pay", "2026-10-01", body="Text.\n\n[By age](chart:uk-minimum-wag)\n\n"
                                                       "[Other](chart:zzz-nothing)\n")
    assert errors_of(site) == [
        "content/articles/pay.md:14:10: body: unknown chart `chart:uk-minimum-wag`: did you mean "
        "`chart:uk-minimum-wage`? (see `chart:` in content/data/facts/) [chart-unknown]",
        "content/articles/pay.md:16:9: body: unknown chart `chart:zzz-nothing`: no fact has this chart group "
        "(see `chart:` in content/data/facts/) [chart-unknown]",
    ]


def test_a_known_chart_group_is_valid(site):
    write_facts(site, {"uk.yml": charted("£10.85")})
    site.add_article("pay", "Pay", "2026-10-01", body="Text.\n\n[By age](chart:uk-minimum-wage)\n")
    prepared = prepare(site.root, today=TODAY, icon_exists=REPOSITORY.icon_exists, markdown=REPOSITORY.markdown)
    assert [w for w in prepared.warnings if w.code.startswith("parity")] == []
    assert list(prepared.chart_groups) == ["uk-minimum-wage"]


@pytest.mark.parametrize("second, why", [("ten pounds", "has no number"), ("$10.85", "is not in the unit")])
def test_a_charted_value_needs_a_number_in_the_groups_unit(site, second, why):
    write_facts(site, {"uk.yml": charted(second)})
    found = errors_of(site)
    assert len(found) == 1
    assert found[0].startswith("content/data/facts/uk.yml:19:14:") and why in found[0]
    assert found[0].endswith("[chart-value]")


def test_an_unknown_chart_group_on_a_page_that_is_not_an_article_is_an_error(site):
    write_facts(site, {"uk.yml": charted("£10.85")})
    site.write("content/about.md", "# About\n\n[By age](chart:uk-minimum-wag)\n")
    assert errors_of(site) == [
        "content/about.md:3:10: body: unknown chart `chart:uk-minimum-wag`: did you mean `chart:uk-minimum-wage`? "
        "(see `chart:` in content/data/facts/) [chart-unknown]"]
