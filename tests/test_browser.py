"""What a reader's browser does with the shipped site: Chromium driven by Playwright."""

import os
import re

import pytest
from playwright.sync_api import Page, sync_playwright

from browser import CHROMIUM, CHROMIUM_ARGS, RECORDER, serve
from conftest import require
from sitekit import REPO

AXE = REPO / "node_modules/axe-core/axe.min.js"
# WCAG 2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

BASE = "/internship-field-guide/"
PAGE_TYPES = {
    "home": "",
    "articles": "articles/",
    "article": "articles/why-internships-matter/",
    "benefits": "benefits/",
    "benefit": "benefits/networking/",
    "resources": "resources/",
    "tags": "tags/",
    "tag": "tags/planning/",
    "authors": "authors/",
    "author": "authors/careers-desk/",
    "about": "about/",
    "not found": "no-such-page/",
}


@pytest.fixture(scope="module")
def root(shipped):
    with serve(shipped, BASE) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    require(os.path.exists(CHROMIUM), f"Chromium ({CHROMIUM}; set CHROMIUM_PATH for another)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def problems(page: Page) -> list[str]:
    return page.console_errors + page.evaluate("window.__problems")


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_console_errors_or_csp_violations(page, root, kind):
    page.goto(root + PAGE_TYPES[kind])
    page.wait_for_load_state("networkidle")
    found = problems(page)
    if kind == "not found":  # the 404 status itself is logged by the browser
        found = [p for p in found if "404" not in p]
    assert found == []
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1


def test_search_finds_an_article_by_a_word_from_its_body(page, root):
    page.goto(root)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type("beneficiary")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert "articles/paid-and-unpaid-internships-and-the-law/" in result.get_attribute("href")
    assert problems(page) == []


def test_resource_filters_narrow_the_list(page, root):
    page.goto(root + "resources/")
    items = page.locator(".ifg-resource")
    total = items.count()
    assert page.locator("#ifg-filter-status").inner_text() == f"Showing all {total} resources."
    page.select_option("#ifg-filter-category", "rights-and-pay")
    visible = page.locator(".ifg-resource:visible")
    assert 0 < visible.count() < total
    assert {item.get_attribute("data-category") for item in visible.all()} == {"rights-and-pay"}
    page.select_option("#ifg-filter-cost", "paid")
    shown = page.locator(".ifg-resource:visible").count()
    assert re.fullmatch(rf"Showing {shown} of {total} resources\.", page.locator("#ifg-filter-status").inner_text())
    assert page.url.endswith("?category=rights-and-pay&cost=paid")
    page.click("#ifg-resource-filters button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.ifg-resource:not([hidden])').length === {total}")
    assert problems(page) == []


def test_resource_filters_read_the_address(page, root):
    page.goto(root + "resources/?benefit=networking")
    assert page.locator("#ifg-filter-benefit").input_value() == "networking"
    for item in page.locator(".ifg-resource:visible").all():
        assert "networking" in item.get_attribute("data-benefits").split()


def test_without_javascript_the_full_list_shows_and_the_filters_hide(browser, root, shipped):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(root + "resources/")
    assert page.locator(".ifg-resource:visible").count() == page.locator(".ifg-resource").count() > 30
    assert not page.locator("#ifg-resource-filters").is_visible()
    context.close()


@pytest.fixture(scope="module")
def axe_source():
    require(AXE.is_file(), "axe-core (npm ci --ignore-scripts)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_violations(browser, root, axe_source, kind, scheme):
    # Injecting axe needs an inline script, which the site's own CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(root + PAGE_TYPES[kind])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""",
        AXE_TAGS,
    )
    context.close()
    assert violations == []


def test_dark_mode_follows_the_system_and_the_choice_persists(browser, root):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(root)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "slate"
    page.locator('label.md-header__button[title="Switch to light mode"]').click()
    assert page.evaluate(scheme) == "default"
    page.goto(root + "articles/why-internships-matter/")
    assert page.evaluate(scheme) == "default"  # the reader's choice, across pages
    page.reload()
    assert page.evaluate(scheme) == "default"
    context.close()


def test_keyboard_focus_is_visible(page, root):
    page.goto(root + "articles/why-internships-matter/")
    outlines = []
    for _ in range(6):
        page.keyboard.press("Tab")
        outlines.append(page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"))
    focusable = [o for o in outlines if o[0] in ("A", "BUTTON", "INPUT", "LABEL")]
    assert focusable, outlines
    assert all(style != "none" and width != "0px" for _, style, width in focusable), outlines
