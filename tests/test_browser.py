"""What a reader's browser does with the shipped site: Chromium driven by Playwright."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser import axe_violations, chromium, problems, recording_page, serve


BASE = "/internship-field-guide/"
PAGE_TYPES = {
    "home": "",
    "articles": "articles/",
    "article": "articles/why-internships-matter/",
    "article with a checklist": "articles/disability-accommodations-and-your-rights/",
    "article with a chart": "articles/internship-pay-and-how-to-ask-about-it/",
    "benefits": "benefits/",
    "benefit": "benefits/networking/",
    "resources": "resources/",
    "key figures": "key-figures/",
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
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    with recording_page(browser) as page:
        yield page


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_console_errors_or_csp_violations(page, root, kind):
    page.goto(root + PAGE_TYPES[kind])
    page.wait_for_load_state("networkidle")
    found = problems(page)
    if kind == "not found":  # the 404 status itself is logged by the browser
        found = [p for p in found if "404" not in p]
    assert found == []
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1


# Search (Pagefind, through theme/assets/ifg/search.js)

RESULT_LINKS = ".ifg-search__result a.ifg-search__title"
SEARCH_DONE = re.compile("found|No article|Showing")  # the status once results are shown


def search_for(page: Page, words: str) -> None:
    page.keyboard.press("/")  # the shortcut to the search box, from anywhere but a field
    assert page.evaluate("document.activeElement.id") == "ifg-search-input"
    page.keyboard.type(words)
    # Not page.wait_for_function: it evaluates a string, which the site's CSP forbids.
    expect(page.locator(".ifg-search__status")).to_have_text(SEARCH_DONE, timeout=10_000)


def test_search_finds_the_one_article_whose_body_has_a_word(page, root):
    page.goto(root + "about/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.evaluate("performance.getEntries().map(e => e.name)") if "/pagefind/" in url]
    # "Segal" (the AmeriCorps education award) is in one article's body, and in no title.
    search_for(page, "segal")
    links = page.locator(RESULT_LINKS)
    assert links.count() == 1
    assert links.first.get_attribute("href").endswith(BASE + "articles/when-no-internship-comes-through/")
    result = page.locator(".ifg-search__result").first
    assert result.locator("mark").first.inner_text().lower() == "segal"  # the match, highlighted
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", result.locator(".ifg-search__date").inner_text())
    assert page.locator(".ifg-search__status").inner_text() == "1 article found for “segal”."
    assert page.locator(".ifg-search__status").get_attribute("role") == "status"  # announced
    assert problems(page) == []


def test_a_search_filter_narrows_the_results(page, root):
    fetched = []  # from the page and from Pagefind's worker
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(root)
    search_for(page, "internship")
    everyone = page.locator(RESULT_LINKS).count()
    status = page.locator(".ifg-search__status")
    total = int(re.search(r"(\d+) articles", status.inner_text()).group(1))
    assert total > 3 and everyone == min(total, 10)
    # The filters' values are loaded when the filters are opened, not with a query.
    assert [url for url in fetched if "/pagefind/index/" in url]
    assert not [url for url in fetched if "/pagefind/filter/" in url]
    page.click(".ifg-search__filters summary")
    expect(page.locator("[data-ifg-filter=author] option[value='Policy and Rights Desk']")).to_be_attached()
    assert len([url for url in fetched if "/pagefind/filter/" in url]) == 3
    # A change searches again at once: the status says "Searching…" until the new results show.
    page.select_option("[data-ifg-filter=author]", "Policy and Rights Desk")
    expect(status).to_have_text(SEARCH_DONE)
    narrowed = int(re.search(r"(\d+) articles?", status.inner_text()).group(1))
    assert 0 < narrowed < total
    page.select_option("[data-ifg-filter=tag]", "law")
    expect(status).to_have_text(SEARCH_DONE)
    for href in [link.get_attribute("href") for link in page.locator(RESULT_LINKS).all()]:
        article = page.context.new_page()
        article.goto(href)
        assert "Policy and Rights Desk" in article.locator(".ifg-byline").inner_text()
        assert "law" in article.locator(".ifg-tags").inner_text().split()
        article.close()
    assert problems(page) == []


def test_the_same_search_again_keeps_the_results_and_the_focus_in_them(page, root):
    page.goto(root + "articles/")
    search_for(page, "beneficiary")
    first = page.locator(RESULT_LINKS).first.element_handle()
    page.keyboard.type(" ")  # the same search, trimmed: nothing to run again
    page.wait_for_timeout(800)  # well past the search's 120 ms pause and a search of loaded chunks
    assert first.evaluate("link => link.isConnected")
    page.keyboard.press("ArrowDown")
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("Escape")
    page.keyboard.type(" ")  # reopened with the same words: the same list, not drawn again
    page.wait_for_timeout(800)
    assert first.evaluate("link => link.isConnected")
    expect(page.locator(".ifg-search__status")).to_have_text(SEARCH_DONE)


def test_search_works_from_the_keyboard_alone(page, root):
    page.goto(root + "articles/")
    search_for(page, "beneficiary")
    page.keyboard.press("ArrowDown")  # from the box to the first result
    assert page.evaluate("document.activeElement.classList.contains('ifg-search__title')")
    page.keyboard.press("Escape")  # closes the results, back in the box
    assert page.evaluate("document.activeElement.id") == "ifg-search-input"
    assert not page.locator(".ifg-search__panel").is_visible()
    page.keyboard.type(" ")  # reopens them
    page.locator(RESULT_LINKS).first.wait_for()
    page.keyboard.press("Tab")  # the filters, then the results, in reading order
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")  # opens the filters
    page.locator("[data-ifg-filter=tag] option[value='law']").wait_for(state="attached")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.ifgFilter") == "benefit"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # closes them: the results come next
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ifg-search__title')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/paid-and-unpaid-internships-and-the-law/")
    assert problems(page) == []


def test_without_javascript_the_search_box_leads_to_the_articles(browser, root):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(root + "about/")
    assert not page.locator("#ifg-search-input").is_visible()
    link = page.locator(".ifg-search__fallback")
    assert link.is_visible() and link.inner_text() == "Browse articles and tags"
    link.click()
    page.wait_for_url(root + "articles/")
    assert page.locator('a[href$="tags/"]').count() > 0  # and from there, every tag
    context.close()


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "open search results"])
def test_axe_finds_no_violations(browser, root, kind, scheme):
    # Injecting axe needs an inline script, which the site's own CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(root + PAGE_TYPES.get(kind, "articles/why-internships-matter/"))
    page.wait_for_load_state("networkidle")
    if kind == "open search results":
        search_for(page, "internship")
        assert page.locator(RESULT_LINKS).count() > 1
    violations = axe_violations(page)
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


def test_articles_read_like_a_publication_no_left_column_and_a_readable_measure(browser, root):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    for url in ("articles/why-internships-matter/", "articles/", "tags/planning/"):
        page.goto(root + url)
        assert not page.locator(".md-sidebar--primary").is_visible(), url
        assert page.locator(".md-tabs").is_visible()  # the sections, in Material's tabs
    page.goto(root + "articles/why-internships-matter/")
    header = page.locator(".ifg-article-header")
    assert header.locator(".ifg-standfirst").inner_text() == page.locator('meta[name="description"]').get_attribute("content")
    assert header.locator(".ifg-byline a[rel=author]").count() >= 1
    # Characters a line in the body's paragraphs: their text over the lines they take.
    per_line = page.evaluate("""() => [...document.querySelectorAll('.ifg-article-body > p')]
        .filter(p => p.textContent.length > 400).map(p => {
          const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
          return p.textContent.length / lines; })""")
    assert per_line and all(60 <= chars <= 76 for chars in per_line), per_line  # about 65 to 75
    context.close()
