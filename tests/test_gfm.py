"""Markdown as GitHub shows it: each construct an editor may write, as a small article.

Every case is built by the site and rendered by the reference parser (markdown-it-py with
the GFM plugins). A case either builds to the same block structure, or the build and
`check` warn at its line that it renders differently on GitHub; a case that does
neither fails. Each case also says which of the two it gets today, so that losing
parity for a construct fails too.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys

import pymdownx.emoji
import pytest
from bs4 import BeautifulSoup
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.markdown import parity
from generator.markdown.gfm import github_emoji
from generator.mkdocs.config import load
from generator.content.policy import mask_code
from sitekit import REPO, article, make_site, mkdocs_yml

BODY = 12  # the file line a sitekit article's body starts on

SAME = "same"

# name: (Markdown body, SAME or the body line (1-based) the warning names)
CASES: dict[str, tuple[str, str | int]] = {
    "list-straight-after-its-lead-in": ("Pack these:\n- a laptop\n- a charger\n", SAME),
    "list-after-a-blank-line": ("Pack these:\n\n- a laptop\n- a charger\n", SAME),
    "nested-by-two-spaces": ("- fruit\n  - apples\n    - green\n- bread\n", SAME),
    "nested-by-four-spaces": ("- fruit\n    - apples\n        - green\n- bread\n", SAME),
    "nested-by-three-spaces": ("- fruit\n   - apples\n- bread\n", SAME),
    "bullets-under-a-numbered-step": ("1. Apply\n   - CV\n   - letter\n2. Wait\n", SAME),
    "multi-paragraph-item": ("- First item.\n\n  Its second paragraph.\n- Next item.\n", SAME),
    "fenced-code-in-a-numbered-step": (
        "1. Install it:\n\n   ```sh\n   pip install x\n   ```\n\n2. Run it.\n", SAME),
    "fenced-code-in-a-tight-step": ("1. Install it:\n   ```sh\n   pip install x\n   ```\n2. Run it.\n", SAME),
    "lazy-continuation-line": ("- an item that\ngoes on lazily\n- another\n", SAME),
    "task-list": ("- [ ] write the cover letter\n- [x] update the CV\n", SAME),
    "nested-task-list": ("- [ ] apply\n  - [x] find the posting\n", SAME),
    "strikethrough": ("The deadline is ~~Friday~~ Monday.\n", SAME),
    "bare-https-http-and-www-addresses": (
        "See https://www.gov.uk/employment-rights-for-interns, http://example.org and www.example.net.\n", SAME),
    "address-with-parentheses": ("See https://en.wikipedia.org/wiki/Internship_(disambiguation) too.\n", SAME),
    "table-with-outer-pipes": ("| Week | Task |\n|---|---|\n| 1 | Onboarding |\n", SAME),
    "table-without-outer-pipes": ("Week | Task\n--- | ---\n1 | Onboarding\n", SAME),
    "table-straight-after-a-paragraph": ("The plan:\n| Week | Task |\n|---|---|\n| 1 | Onboarding |\n", SAME),
    "footnote": ("A claim.[^1]\n\n[^1]: Its source.\n", SAME),
    "numbered-list-starting-at-3": ("3. third\n4. fourth\n", SAME),
    "numbered-list-with-parentheses": ("1) one\n2) two\n", SAME),
    "numbered-paragraph-line-is-not-a-list": ("We met in\n2024. It went well.\n", SAME),
    "backslash-line-break": ("Careers Desk\\\nInternship Field Guide\n", SAME),
    "two-space-line-break": ("Careers Desk  \nInternship Field Guide\n", SAME),
    "alert-note": ("> [!NOTE]\n> Rules differ by country.\n", SAME),
    "alert-tip": ("> [!TIP]\n> Apply early.\n", SAME),
    "alert-important": ("> [!IMPORTANT]\n> Keep your offer letter.\n", SAME),
    "alert-warning": ("> [!WARNING]\n> Never pay to apply.\n", SAME),
    "alert-caution": ("> [!CAUTION]\n> Check your visa first.\n", SAME),
    "emoji-shortcode": ("Offer accepted :tada:\n", SAME),
    "hash-without-space-is-not-a-heading": ("#internships are trending\n", SAME),
    "indented-code-block": ("Run:\n\n    pip install x\n", SAME),
    "quote-with-a-lazy-line": ("> A quote that\ngoes on lazily.\n", SAME),
    "list-in-a-quote": ("> - one\n> - two\n", SAME),
    "ordered-after-bulleted": ("- a\n- b\n\n1. c\n", SAME),
    "bullets-nested-by-two-under-a-numbered-step": ("1. Apply\n  - CV\n2. Wait\n", SAME),
    # Where the site cannot follow GitHub: a warning names the line.
    "bullet-character-changes": ("- one\n- two\n* three\n", 3),
    "alert-with-a-title": ("> [!TIP] Apply early\n> The best roles go first.\n", 1),
}

_WARNING = re.compile(r"content/articles/(?P<slug>[a-z0-9-]+)\.md:(?P<line>\d+):\d+: .*\[gfm-differs\]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("gfm"), markdown=True, articles={
        name: article(name.replace("-", " ").capitalize(), "2026-10-01", body=body)
        for name, (body, _) in CASES.items()})
    result = site.build(strict=False)
    assert result.returncode == 0, result.stderr
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site.root, capture_output=True,
                           text=True)
    return site, result.stderr, check.stdout


def _warned(log: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for match in _WARNING.finditer(log):
        found.setdefault(match.group("slug"), []).append(int(match.group("line")))
    return found


def _body_html(site, slug: str) -> str:
    page = BeautifulSoup((site.root / f"site/articles/{slug}/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    return page.select_one(".ifg-article-body").decode_contents()


@pytest.mark.parametrize("name", CASES)
def test_construct_renders_as_on_github_or_warns_at_its_line(built, name):
    site, log, _ = built
    body, expected = CASES[name]
    ours = parity.structure(_body_html(site, name))
    theirs = parity.structure(parity.reference_converter()(body))
    warned = _warned(log).get(name, [])
    if ours == theirs:
        assert warned == [], f"{name}: renders as on GitHub, yet warned at {warned}"
        outcome = SAME
    else:
        assert warned, f"{name}: renders differently from GitHub and nothing says so"
        outcome = warned[0] - BODY + 1
    assert outcome == expected


def test_check_reports_exactly_what_the_build_warns(built):
    _, log, check = built
    assert _warned(check) == _warned(log) != {}


def test_the_warning_says_what_github_shows_and_how_to_fix_it(built):
    _, log, _ = built
    line = next(line for line in log.splitlines() if "bullet-character-changes.md" in line)
    assert ("renders differently on GitHub: GitHub shows a bulleted list of 2 items here, the site a bulleted "
            "list of 3 items") in line
    assert "put a blank line before the list" in line


def _page(site, slug: str) -> BeautifulSoup:
    return BeautifulSoup(_body_html(site, slug), "html.parser")


def test_task_list_shows_boxes_a_reader_cannot_tick(built):
    site, *_ = built
    boxes = _page(site, "task-list").select("li input[type=checkbox]")
    assert [box.has_attr("checked") for box in boxes] == [False, True]
    assert all(box.has_attr("disabled") for box in boxes)
    # Each box is named by its item for a screen reader (axe's `label` rule, WCAG 4.1.2).
    assert [box.get("aria-label") for box in boxes] == ["write the cover letter", "update the CV"]
    nested = _page(site, "nested-task-list").select("li input[type=checkbox]")
    assert [box.get("aria-label") for box in nested] == ["apply", "find the posting"]


def test_strikethrough_bare_links_and_line_breaks(built):
    site, *_ = built
    assert _page(site, "strikethrough").select_one("del").get_text() == "Friday"
    links = [a["href"] for a in _page(site, "bare-https-http-and-www-addresses").select("a")]
    assert links == ["https://www.gov.uk/employment-rights-for-interns", "http://example.org",
                     "http://www.example.net"]
    assert _page(site, "backslash-line-break").select("p br")


def test_numbered_list_keeps_its_start_and_nesting_by_two_nests(built):
    site, *_ = built
    assert _page(site, "numbered-list-starting-at-3").select_one("ol")["start"] == "3"
    assert len(_page(site, "nested-by-two-spaces").select("ul ul ul li")) == 1
    assert _page(site, "fenced-code-in-a-numbered-step").select("ol > li pre code")


def test_alerts_are_titled_notes(built):
    site, *_ = built
    for kind in ("note", "tip", "important", "warning", "caution"):
        callout = _page(site, f"alert-{kind}").select_one("div.admonition")
        assert callout["role"] == "note" and kind in callout["class"]
        assert callout.select_one(".admonition-title").get_text() == kind.capitalize()


def test_emoji_shortcode_is_the_emoji_itself(built):
    site, *_ = built
    assert "\N{PARTY POPPER}" in _page(site, "emoji-shortcode").get_text()


@pytest.mark.slow
def test_heading_ids_are_githubs_and_links_to_them_resolve(site):
    body = ("Intro.\n\n## Pay & benefits\n\n## Example\n\n## Example\n\n## What's next?\n\n"
            "See [pay](#pay--benefits), [the second example](#example-1) and [next](#whats-next).\n")
    site.write("mkdocs.yml", mkdocs_yml(markdown=True))
    site.write("content/articles/post.md", article("Post", "2026-10-01", body=body))
    result = site.build()
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((site.root / "site/articles/post/index.html").read_text(encoding="utf-8"), "html.parser")
    ids = [h["id"] for h in page.select(".ifg-article-body h2")]
    assert ids == ["pay--benefits", "example", "example-1", "whats-next"]


def test_plain_articles_are_not_compared_at_all():
    """Paragraphs, flat lists, headings, fenced code, plain tables and alerts render alike:
    the scan finds no line worth comparing, so no converter runs."""
    body = ("Intro with a [link](https://example.org/) and `code`.\n\n## Steps\n\n- one\n- two\n\n"
            "1. first\n2. second\n\n```text\n  indented code\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "> [!TIP]\n> Apply early.\n\n> A plain quote.\n>\n> — someone\n")
    assert parity.risky_lines(mask_code(body), body) == []


# What the scan lets through unread must render alike: in documents made of plain
# blocks, every one the scan finds no line to compare in renders the same on both.
_WORDS = st.sampled_from(["intern", "offer", "apply", "week", "pay", "CV", "team", "2026", "it's", "a", "the",
                          "*early*", "**now**", "`code`", "[link](https://example.org/)", "&", "(yes)", "—"])
_TEXT = st.lists(_WORDS, min_size=1, max_size=8).map(" ".join)
_BLOCKS = st.one_of(
    st.lists(_TEXT, min_size=1, max_size=3).map("\n".join),  # a paragraph
    st.tuples(st.integers(2, 4), _TEXT).map(lambda h: "#" * h[0] + " " + h[1]),
    st.tuples(st.sampled_from("-*+"), st.lists(_TEXT, min_size=1, max_size=4)).map(
        lambda b: "\n".join(f"{b[0]} {item}" for item in b[1])),
    st.tuples(st.integers(1, 9), st.lists(_TEXT, min_size=1, max_size=4)).map(
        lambda b: "\n".join(f"{b[0] + i}. {item}" for i, item in enumerate(b[1]))),
    st.lists(_TEXT, min_size=1, max_size=3).map(lambda code: "```text\n" + "\n".join(code) + "\n```"),
    st.tuples(_TEXT, _TEXT).map(lambda t: f"| {t[0]} | b |\n|---|---|\n| {t[1]} | c |"),
    st.tuples(st.sampled_from(["NOTE", "TIP", "WARNING"]), _TEXT).map(lambda a: f"> [!{a[0]}]\n> {a[1]}"),
    _TEXT.map(lambda t: f"> {t}"),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_BLOCKS, min_size=1, max_size=6))
def test_what_the_scan_skips_renders_alike(blocks):
    body = "\n\n".join(blocks) + "\n"
    assume(parity.risky_lines(mask_code(body), body) == [])
    assert parity.compare(body, _our_converter(), parity.reference_converter()) is None


@functools.cache
def _our_converter() -> parity.Converter:
    return load(REPO)[1].markdown.converter()  # the repository's settings, as the build reads them


@pytest.mark.slow
def test_each_place_that_differs_is_reported_even_within_one_section(tmp_path):
    site = make_site(tmp_path, markdown=True, articles={"two": article("Two", "2026-10-01", body=(
        "## Steps\n\n- one\n* two\n\nIn between.\n\n> [!TIP] A title\n> text\n"))})
    result = site.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert _warned(result.stderr) == {"two": [BODY + 3, BODY + 7]}


def test_emoji_index_is_githubs_made_once():
    assert github_emoji({}, None) is github_emoji({"x": 1}, None)
    assert github_emoji({}, None) == pymdownx.emoji.gemoji({}, None)
