"""Facts (content/data/facts/*.yml): validation, resolution on a date, check's findings, the
parity of the syntax with GitHub's preview, and `generator facts`. No MkDocs build here:
the builds are in test_facts_build.py."""

from __future__ import annotations

import datetime as dt
import io
import sys
import json

import pytest
from bs4 import BeautifulSoup

from generator.content import facts
from generator.markdown import sanitize
from generator.editors.changes import Changes
from generator.editors.cli import main
from generator.content.errors import ContentErrors
from generator.mkdocs.config import load
from generator.content.models import Fact
from generator.markdown.parity import Parity, structure
from generator.site.pipeline import prepare
from factkit import GRADUATE, HEADER, HOURS, UK, WAGE, write_facts
from sitekit import REPO

TODAY = dt.date(2026, 11, 18)
_, REPOSITORY, _ = load(REPO)  # the repository's Markdown extensions, as the build reads them


def prepared(site, today: dt.date = TODAY):
    return prepare(site.root, today=today, icon_exists=REPOSITORY.icon_exists, markdown=REPOSITORY.markdown)


def errors_of(site, today: dt.date = TODAY) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        prepared(site, today)
    return [str(error) for error in caught.value.errors]


def warnings_of(site, code: str, today: dt.date = TODAY) -> list[str]:
    return [str(w) for w in prepared(site, today).warnings if w.code == code]


def converted(markdown: str) -> str:
    return REPOSITORY.markdown.converter()(markdown)


def facts_by_id(site) -> dict[str, Fact]:
    return {fact.id: fact for fact in prepared(site).content.facts}


# The data


def test_facts_files_are_read_from_every_file_in_name_order(site):
    write_facts(site)
    assert [fact.id for fact in prepared(site).content.facts] == [
        "uk-national-living-wage", "uk-graduate-route-length", "us-federal-minimum-wage"]


def test_a_site_without_facts_builds_none_and_is_valid(site):
    assert prepared(site).content.facts == []
    site.write("content/data/facts/.gitkeep", "")
    assert prepared(site).content.facts == []


def test_schema_errors_name_file_line_and_column(site):
    site.write("content/data/facts/uk.yml", HEADER + """- id: Bad Id
  label: A wage
  region: uk
  values:
    - value: "£1"
      form: 2026-04-01
    - value: 12.71
      from: 2026-13-01
  source:
    title: Rates
    url: javascript:alert(1)
    publisher: GOV.UK
    accessed: 2026-11-01
  review_by: 2027-03-15
  notes: x
""")
    assert errors_of(site) == [
        "content/data/facts/uk.yml:2:7: id: must be lowercase letters, digits and hyphens, like `career-clarity` "
        "(got 'Bad Id') [not-a-slug]",
        "content/data/facts/uk.yml:4:11: region: 'uk' is not an ISO 3166-1 country code, such as `us` or `gb`: "
        "did you mean `gb` (United Kingdom)? [bad-region]",
        "content/data/facts/uk.yml:6:7: values[0].from: is required: add `from:` [missing-field]",
        "content/data/facts/uk.yml:7:7: values[0].form: unknown field: did you mean `from`? [unknown-field]",
        "content/data/facts/uk.yml:8:14: values[1].value: must be text (got 12.71); put it in quotes if it should "
        "be text [wrong-type]",
        "content/data/facts/uk.yml:9:13: values[1].from: 2026-13-01 is not a real date (month must be in 1..12) "
        "[bad-date]",
        "content/data/facts/uk.yml:12:10: source.url: must start with https:// and name a host "
        "(got 'javascript:alert(1)') [bad-url]",
        "content/data/facts/uk.yml:16:3: notes: unknown field: did you mean `note`? [unknown-field]",
    ]


def test_values_must_be_in_order_and_not_overlap(site):
    site.write("content/data/facts/uk.yml", HEADER + WAGE.replace("until: 2026-03-31", "until: 2026-04-01")
               + GRADUATE.replace("from: 2027-01-01", "from: 2021-01-01"))
    site.write("content/data/facts/eu.yml", HEADER + WAGE.replace("- value: \"£12.71\"\n      from: 2026-04-01",
                                                                  "- value: \"£12.71\"\n      from: 2025-04-01")
               .replace("uk-national-living-wage", "eu-example").replace("region: gb", "region: eu")
               .replace("until: 2026-03-31", "until: 2024-03-31"))
    assert errors_of(site) == [
        "content/data/facts/eu.yml:8:14: values[0].until: 2024-03-31 is before `from` (2025-04-01): a value ends on "
        "or after the day it takes effect [date-order]",
        "content/data/facts/uk.yml:10:13: values[1].from: 2026-04-01 is not after the previous value's `until` "
        "(2026-04-01): two values would apply on one day [date-order]",
        "content/data/facts/uk.yml:25:13: values[1].from: 2021-01-01 is not after the previous value's `from` "
        "(2021-07-01): list the values oldest first [date-order]",
    ]


def test_ids_are_unique_across_files(site):
    site.write("content/data/facts/uk.yml", UK)
    site.write("content/data/facts/wages.yml", HEADER + WAGE)
    assert errors_of(site) == [
        "content/data/facts/wages.yml:2:7: id: duplicate fact id 'uk-national-living-wage': "
        "content/data/facts/uk.yml:2 already defines it; ids are unique across every facts file [duplicate-id]"]


def test_a_facts_file_must_be_a_list(site):
    site.write("content/data/facts/uk.yml", "id: x\n")
    assert errors_of(site) == ["content/data/facts/uk.yml:1:1: (file): must be a list of items, each starting "
                               "with `- ` [data-file-shape]"]


def test_the_region_may_be_the_european_union(site):
    site.write("content/data/facts/eu.yml", HEADER + WAGE.replace("region: gb", "region: eu"))
    assert prepared(site).content.facts[0].region == "eu"


# Resolution


def test_a_fact_link_becomes_a_placeholder_the_sanitizer_keeps():
    html = converted("The adult rate is [UK *National* Living Wage](fact:uk-national-living-wage) an hour.\n")
    span = BeautifulSoup(html, "html.parser").select_one("span.ifg-fact")
    assert span is not None and span["title"] == "fact:uk-national-living-wage"
    assert span.get_text() == "UK National Living Wage"
    assert sanitize.sanitize(html) == html


def test_the_value_in_force_on_the_day_replaces_the_link(site):
    write_facts(site)
    by_id = facts_by_id(site)
    html = converted("Pay at least [UK National Living Wage](fact:uk-national-living-wage) an hour; the route lasts "
                     "[Graduate route length](fact:uk-graduate-route-length).\n")

    def shown(day: dt.date) -> list[tuple[str, str, str]]:
        page = BeautifulSoup(facts.resolve_html(html, by_id, day), "html.parser")
        assert page.select("span.ifg-fact") == []
        return [(a.get_text(), a["href"], a["title"]) for a in page.select("a.ifg-fact")]

    assert shown(dt.date(2026, 3, 31)) == [
        ("£12.21", "https://www.gov.uk/national-minimum-wage-rates",
         "UK National Living Wage, in force from 1 April 2025 (source: GOV.UK)"),
        ("2 years", "https://www.gov.uk/graduate-visa", "Graduate route length, in force from 1 July 2021 (source: GOV.UK)"),
    ]
    assert [text for text, *_ in shown(dt.date(2026, 12, 31))] == ["£12.71", "2 years"]
    assert [text for text, *_ in shown(dt.date(2027, 1, 1))] == ["£12.71", "18 months"]


def test_with_no_value_in_force_the_link_text_is_shown_linked_to_the_source(site):
    write_facts(site)
    html = converted("The rate was [the wage](fact:uk-national-living-wage).\n")
    link = BeautifulSoup(facts.resolve_html(html, facts_by_id(site), dt.date(2024, 1, 1)), "html.parser") \
        .select_one("a.ifg-fact")
    assert (link.get_text(), link["title"]) == (
        "the wage", "UK National Living Wage: no value in force on 1 January 2024; see GOV.UK")


def test_a_hostile_value_and_label_are_escaped_and_a_non_https_source_is_not_linked():
    fact = Fact.model_validate({
        "id": "x", "label": 'A "label" <b>', "region": "gb",
        "values": [{"value": "<script>alert(1)</script>", "from": "2026-01-01"}],
        "source": {"title": "t", "url": "https://example.org/?a=1&b=\"2\"", "publisher": "<i>P</i>",
                   "accessed": "2026-01-01"},
        "review_by": "2027-01-01"})
    html = facts.resolve_html(converted("It is [x](fact:x).\n"), {"x": fact}, TODAY)
    page = BeautifulSoup(html, "html.parser")
    assert page.find("script") is None and page.find("b") is None and page.find("i") is None
    link = page.select_one("a.ifg-fact")
    assert link.get_text() == "<script>alert(1)</script>"
    assert link["href"] == 'https://example.org/?a=1&b="2"'
    assert link["title"] == 'A "label" <b>, in force from 1 January 2026 (source: <i>P</i>)'
    # The model refuses anything but https; should one reach here all the same, no link is made.
    unsafe = fact.model_copy(update={"source": fact.source.model_copy(update={"url": "javascript:alert(1)"})})
    page = BeautifulSoup(facts.resolve_html(converted("It is [x](fact:x).\n"), {"x": unsafe}, TODAY), "html.parser")
    assert page.select("a") == [] and page.select_one("span.ifg-fact").get_text() == "<script>alert(1)</script>"


def test_a_fact_source_url_javascript_is_refused(site):
    site.write("content/data/facts/uk.yml", UK.replace("https://www.gov.uk/graduate-visa", "javascript:alert(1)"))
    assert errors_of(site) == ["content/data/facts/uk.yml:28:10: source.url: must start with https:// and name a "
                               "host (got 'javascript:alert(1)') [bad-url]"]


def test_the_sanitizer_still_strips_everything_else_around_a_fact():
    html = converted('It is [x](fact:x){: onclick="alert(1)" style="color:red" data-x="1" .evil }.\n\n'
                     '<span class="ifg-fact evil" title="fact:x" onclick="alert(1)">forged</span>\n\n'
                     '<a href="javascript:alert(1)" class="ifg-fact">y</a>\n')
    page = BeautifulSoup(html, "html.parser")
    for element in page.find_all(True):
        assert not any(name.startswith(("on", "data-")) or name == "style" for name in element.attrs), element
        assert set(element.get("class", [])) <= {"ifg-fact"}, element
    assert all(not a.get("href", "").startswith("javascript") for a in page.find_all("a"))


def test_a_forged_placeholder_with_an_unknown_id_shows_its_text(site):
    write_facts(site)
    html = sanitize.sanitize('<p><span class="ifg-fact" title="fact:nope">text</span></p>')
    assert facts.resolve_html(html, facts_by_id(site), TODAY) == "<p>text</p>"


# check


def test_an_unknown_fact_is_an_error_with_did_you_mean(site):
    write_facts(site)
    site.add_article("pay", "Pay", "2026-10-01", body="The rate is [the wage](fact:uk-national-living-wag).\n\n"
                                                       "And [x](fact:zzz-nothing-like-it).\n")
    assert errors_of(site) == [
        "content/articles/pay.md:12:24: body: unknown fact `fact:uk-national-living-wag`: did you mean "
        "`fact:uk-national-living-wage`? (see content/data/facts/) [fact-unknown]",
        "content/articles/pay.md:14:9: body: unknown fact `fact:zzz-nothing-like-it`: no fact has this id "
        "(see content/data/facts/) [fact-unknown]",
    ]


def test_a_fact_link_in_code_is_not_a_reference(site):
    site.add_article("pay", "Pay", "2026-10-01", body="Write `[label](fact:an-id)` or\n\n"
                                                       "```\n[label](fact:another)\n```\n")
    assert prepared(site).warnings == []


def test_a_typed_value_is_a_warning_naming_every_fact_that_holds_it(site):
    write_facts(site, {"uk.yml": UK, "hours.yml": HEADER + HOURS})
    site.add_article("pay", "Pay", "2026-10-01", body=(
        "Adults get £12.71 an hour (it was £12.21), and from 2027 the route lasts 18 months.\n\n"
        "Students may work 20\u00a0hours a week.\n"))
    assert warnings_of(site, "fact-copy") == [
        "content/articles/pay.md:12:12: body: types £12.71, the value of fact `uk-national-living-wage`: write "
        "[UK National Living Wage](fact:uk-national-living-wage) instead, which shows the value in force on the "
        "day the site is built [fact-copy]",
        "content/articles/pay.md:12:35: body: types £12.21, the value of fact `uk-national-living-wage`: write "
        "[UK National Living Wage](fact:uk-national-living-wage) instead, which shows the value in force on the "
        "day the site is built [fact-copy]",
        "content/articles/pay.md:12:74: body: types 18 months, the value of fact `uk-graduate-route-length`: write "
        "[Graduate route length](fact:uk-graduate-route-length) instead, which shows the value in force on the day "
        "the site is built [fact-copy]",
        "content/articles/pay.md:14:19: body: types 20\u00a0hours, a value of facts "
        "`uk-student-visa-term-time-hours-degree` and `us-f1-on-campus-hours-in-session`: write "
        "[Student visa term-time work limit (degree level)](fact:uk-student-visa-term-time-hours-degree) or "
        "[F-1 on-campus work limit while school is in session](fact:us-f1-on-campus-hours-in-session) instead, "
        "which shows the value in force on the day the site is built [fact-copy]",
    ]


@pytest.mark.parametrize("prose", [
    "Work 120 hours in a month.", "A rate of £12.715 is not a value.", "The figure £112.71 either.",
    "Code: `£12.71` is code.", "See [the page](https://example.org/£12.71) for more.",
    "Version 20.hours is nothing.", "About <https://example.org/20-hours> too.",
])
def test_only_a_value_as_written_in_prose_is_a_copy(site, prose):
    write_facts(site, {"uk.yml": UK, "hours.yml": HEADER + HOURS})
    site.add_article("pay", "Pay", "2026-10-01", body=f"{prose}\n\n```\nCode £12.71 and 20 hours.\n```\n")
    assert warnings_of(site, "fact-copy") == []


def test_a_copy_in_a_draft_is_a_note(site):
    write_facts(site)
    site.add_article("pay", "Pay", "2026-10-01", draft=True, body="Adults get £12.71 an hour.\n")
    assert warnings_of(site, "fact-copy") == []
    assert [note.code for note in prepared(site).notes] == ["fact-copy"]


def _time_based(site, today: dt.date) -> list[str]:
    return [str(finding.problem) for finding in prepared(site, today).time_based
            if finding.problem.code.startswith("fact-")]


def test_no_value_in_force_and_review_due_appear_as_the_calendar_moves(site):
    site.write("content/data/facts/uk.yml", UK.replace('    - value: "£12.71"\n      from: 2026-04-01\n', ""))
    assert _time_based(site, dt.date(2026, 3, 31)) == []
    assert _time_based(site, dt.date(2026, 4, 1)) == [
        "content/data/facts/uk.yml:6:5: values: 'uk-national-living-wage' has no value in force on 2026-04-01: its "
        "last value has ended (`until`); pages show its link text instead. Add the value that applies, from "
        "https://www.gov.uk/national-minimum-wage-rates [fact-no-value]"]
    assert _time_based(site, dt.date(2027, 3, 16)) == [
        "content/data/facts/uk.yml:6:5: values: 'uk-national-living-wage' has no value in force on 2027-03-16: its "
        "last value has ended (`until`); pages show its link text instead. Add the value that applies, from "
        "https://www.gov.uk/national-minimum-wage-rates [fact-no-value]",
        "content/data/facts/uk.yml:14:14: review_by: 'uk-national-living-wage' was due for review on 2027-03-15: "
        "check its values against https://www.gov.uk/national-minimum-wage-rates, update `accessed`, then set a "
        "new review_by [fact-review-due]",
    ]


def test_time_based_findings_fail_only_a_change_to_that_fact(site):
    write_facts(site)
    findings = prepared(site, dt.date(2027, 3, 16)).time_based
    [due] = [finding for finding in findings if finding.problem.code == "fact-review-due"]
    assert due.problem.path == "content/data/facts/uk.yml" and due.lines is not None
    first, last = due.lines
    assert Changes({"content/data/facts/uk.yml": {first + 3}}).touches(due)
    graduate_line = UK.split("\n").index("- id: uk-graduate-route-length") + 1
    assert not Changes({"content/data/facts/uk.yml": {graduate_line + 2}}).touches(due)
    assert not Changes({"content/articles/x.md": None}).touches(due)


def test_check_fails_a_pull_request_that_changed_the_fact_only(site):
    write_facts(site)
    day = dt.date(2027, 3, 16)  # past the wage's review_by
    out = io.StringIO()
    assert main(["check", "--strict"], out=out, cwd=site.root, today=day) == 0, out.getvalue()
    assert "[fact-review-due]" in out.getvalue()
    assert main(["check", "--strict", "--changed", "content/data/facts/us.yml"], out=io.StringIO(), cwd=site.root,
                today=day) == 0
    assert main(["check", "--strict", "--changed", "content/data/facts/uk.yml"], out=io.StringIO(), cwd=site.root,
                today=day) == 1
    assert main(["check", "--strict", "--scheduled"], out=io.StringIO(), cwd=site.root, today=day) == 1


# Parity with GitHub's preview


@pytest.mark.parametrize("markdown", [
    "Pay [UK National Living Wage](fact:uk-national-living-wage) an hour.\n",
    "- one\n  - nested [the wage](fact:uk-national-living-wage) and [a link](https://www.gov.uk/)\n",
    "| a | b |\n| --- | --- |\n| rate | [the wage](fact:uk-national-living-wage) |\n",
    "> [!NOTE]\n> The rate is [the wage](fact:uk-national-living-wage).\n",
])
def test_a_fact_link_renders_alike_for_the_parity_lint(markdown):
    ours, github = Parity(REPOSITORY.markdown).converters()
    assert structure(ours(markdown)) == structure(github(markdown))
    if not markdown.startswith("|"):  # a table's cells are not compared mark by mark
        assert ("facts", 1) in [mark for node in structure(ours(markdown)) for mark in _marks(node)]


def _marks(node):
    yield from node.marks
    for child in node.children:
        yield from _marks(child)


def test_github_shows_the_link_text_where_the_site_shows_the_value():
    """GitHub's sanitizer drops an unknown scheme: the reference renderer keeps `fact:` as the
    href, which GitHub removes, leaving the text; the parity lint counts both as one fact."""
    _, github = Parity(REPOSITORY.markdown).converters()
    link = BeautifulSoup(github("Pay [UK National Living Wage](fact:uk-national-living-wage).\n"),
                         "html.parser").select_one("a")
    assert link.get_text() == "UK National Living Wage" and link["href"].startswith("fact:")


def test_no_parity_warning_for_facts_in_risky_places(site):
    write_facts(site)
    site.add_article("pay", "Pay", "2026-10-01", body=(
        "- one\n  - nested [UK National Living Wage](fact:uk-national-living-wage) an hour\n\n"
        "| a | b |\n| --- | --- |\n| rate | [the wage](fact:uk-national-living-wage) |\n"))
    assert prepared(site).warnings == []


# generator facts


def test_facts_json_lists_each_fact_as_of_the_date(site):
    write_facts(site)
    out = io.StringIO()
    assert main(["facts", "--format", "json", "--date", "2027-01-01"], out=out, cwd=site.root) == 0
    listed = json.loads(out.getvalue())
    assert listed["date"] == "2027-01-01"
    assert listed["facts"] == [
        {"id": "uk-national-living-wage", "label": "UK National Living Wage", "region": "gb", "value": "£12.71",
         "effective_from": "2026-04-01", "next_change": None,
         "source_url": "https://www.gov.uk/national-minimum-wage-rates", "review_by": "2027-03-15"},
        {"id": "uk-graduate-route-length", "label": "Graduate route length", "region": "gb", "value": "18 months",
         "effective_from": "2027-01-01", "next_change": None, "source_url": "https://www.gov.uk/graduate-visa",
         "review_by": "2027-06-30"},
        {"id": "us-federal-minimum-wage", "label": "US federal minimum wage", "region": "us", "value": "$7.25",
         "effective_from": "2009-07-24", "next_change": None,
         "source_url": "https://www.dol.gov/agencies/whd/minimum-wage", "review_by": "2027-06-30"},
    ]
    out = io.StringIO()
    assert main(["facts", "--format", "json", "--date", "2026-12-31"], out=out, cwd=site.root) == 0
    graduate = json.loads(out.getvalue())["facts"][1]
    assert (graduate["value"], graduate["next_change"]) == ("2 years", {"value": "18 months", "from": "2027-01-01"})


def test_facts_table_shows_the_next_change(site):
    write_facts(site)
    out = io.StringIO()
    assert main(["facts", "--date", "2026-12-31"], out=out, cwd=site.root, today=TODAY) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["id", "label", "region", "value", "from", "next", "change", "source", "review_by"]
    assert "18 months from 2027-01-01" in lines[2] and lines[2].startswith("uk-graduate-route-length ")


@pytest.mark.parametrize("date", ["2027-02-30", "tomorrow", "2027-1-1"])
def test_facts_refuses_a_bad_date(site, date, capsys):
    assert main(["facts", "--date", date], out=io.StringIO(), cwd=site.root) == 2
    assert capsys.readouterr().err.startswith("error: --date: ")


def test_facts_reports_an_invalid_facts_file_without_a_traceback(site, capsys):
    site.write("content/data/facts/uk.yml", UK.replace("region: gb", "region: uk", 1))
    assert main(["facts"], out=io.StringIO(), cwd=site.root, today=TODAY) == 1
    assert "content/data/facts/uk.yml:4:11: region:" in capsys.readouterr().err


# What else reads facts


def test_an_edit_to_a_fact_changes_the_fingerprint_of_the_articles_that_name_it_only(site):
    from generator.site.incremental import changed, fingerprints

    write_facts(site)
    site.add_article("pay", "Pay", "2026-10-01", body="Pay [the wage](fact:uk-national-living-wage).\n")
    site.add_article("visa", "Visa", "2026-10-02", body="It lasts [the route](fact:uk-graduate-route-length).\n")
    before = fingerprints(prepared(site).pages)
    site.write("content/data/facts/uk.yml", UK.replace('"£12.71"', '"£12.72"'))
    after = fingerprints(prepared(site).pages)
    assert changed(before, after) == {"articles/pay.md", "key-figures/index.md"}
    # The day a value changes, so do the pages that show it (the rendered pages' cache keys).
    assert changed(fingerprints(prepared(site, dt.date(2026, 12, 31)).pages),
                   fingerprints(prepared(site, dt.date(2027, 1, 1)).pages)) == {"articles/visa.md",
                                                                                 "key-figures/index.md"}


def test_check_external_opens_each_fact_source(site):
    from generator.site.lint import external_links

    write_facts(site)
    places = {url: place for url, place in external_links(prepared(site).content)}
    place = places["https://www.gov.uk/graduate-visa"]
    assert (place.problem.path, place.problem.line, place.problem.field) == (
        "content/data/facts/uk.yml", 28, "source.url")
    assert place.lines == (UK.split("\n").index("- id: uk-graduate-route-length") + 1, sys.maxsize)


def test_an_unknown_fact_on_the_about_page_is_an_error_too(site):
    write_facts(site)
    site.write("content/about.md", "---\ntitle: About\n---\n\nWe use [the wage](fact:uk-living-wage).\n")
    assert errors_of(site) == [
        "content/about.md:5:19: body: unknown fact `fact:uk-living-wage`: did you mean "
        "`fact:uk-national-living-wage`? (see content/data/facts/) [fact-unknown]"]
