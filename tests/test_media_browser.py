"""Lead images and the search results page in Chromium, on the shipped site: what loads,
what moves (nothing), and search at an address that can be shared, with Back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser import RECORDER, axe_violations, chromium, problems, recording_page, serve

pytestmark = pytest.mark.slow

BASE = "/internship-field-guide/"
WITH_IMAGE = "articles/why-internships-matter/"
WITHOUT_IMAGE = "articles/remote-internships/"
PAGE_STATUS = ".ifg-search-page__status"
PAGE_RESULTS = ".ifg-search-page__results > li"
DONE = re.compile("found|No article")
# Sums every layout shift the page records from its start (CLS, without session windows:
# stricter, and 0 means 0 either way).
CLS_RECORDER = """
window.__shifts = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; })
  .observe({type: 'layout-shift', buffered: true});
"""


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


# Lead images


@pytest.mark.parametrize("width", [390, 1366])
def test_the_lead_image_loads_one_fitting_variant_and_nothing_shifts(browser, root, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    context.add_init_script(RECORDER + CLS_RECORDER)
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(root + WITH_IMAGE)
    page.wait_for_load_state("networkidle")
    image = page.locator("figure.ifg-lead img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    current = image.evaluate("img => img.currentSrc")
    assert current.endswith(".avif")  # Chromium takes the best format offered
    variants = [url for url in fetched if "/assets/media/" in url]
    assert variants == [current]  # one file, not every size
    chosen = int(re.search(r"-(\d+)\.avif$", current).group(1))
    shown = image.evaluate("img => img.getBoundingClientRect().width")
    assert shown <= chosen < 2 * shown + 480  # wide enough for the column, not the largest regardless
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shifts") == 0
    assert problems_of(page) == []
    context.close()


def problems_of(page: Page) -> list[str]:
    return page.evaluate("window.__problems")


def test_the_lead_images_place_is_kept_before_it_loads(browser, root):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.route("**/assets/media/**", lambda route: route.abort())  # it never arrives
    page.goto(root + WITH_IMAGE)
    box = page.locator("figure.ifg-lead img").bounding_box()
    assert box["width"] > 300 and abs(box["height"] - box["width"] * 900 / 1600) < 1.5
    context.close()


def test_an_article_without_image_shows_its_colour_band(page, root):
    page.goto(root + WITHOUT_IMAGE)
    header = page.locator("header.ifg-article-header")
    assert header.evaluate("h => parseFloat(getComputedStyle(h).borderTopWidth)") >= 5
    colour = header.evaluate("h => getComputedStyle(h).borderTopColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(0, 0, 0)")
    assert page.locator("figure.ifg-lead").count() == 0


# The search results page


def test_enter_in_the_search_box_opens_every_result_at_a_shareable_address(page, root):
    page.goto(root + WITH_IMAGE)
    page.keyboard.press("/")
    page.keyboard.type("internship")
    expect(page.locator(".ifg-search__status")).to_have_text(re.compile("Showing 10 of"), timeout=10_000)
    total = int(re.search(r"of (\d+) articles", page.locator(".ifg-search__status").inner_text()).group(1))
    assert total > 10
    page.keyboard.press("Enter")
    page.wait_for_url(root + "search/?q=internship")
    expect(page.locator(PAGE_STATUS)).to_have_text(f"{total} articles found for “internship”.", timeout=10_000)
    assert page.locator(PAGE_RESULTS).count() == total  # every match, not ten
    for result in page.locator(PAGE_RESULTS).all()[:3]:
        assert result.locator("a.ifg-search__title").get_attribute("href").startswith(root + "articles/")
        assert result.locator("mark").count() >= 1  # the snippet, with the match marked
    assert page.locator("#ifg-search-page-input").input_value() == "internship"
    # Shared: the address alone gives the same page.
    other = page.context.new_page()
    other.goto(root + "search/?q=internship")
    expect(other.locator(PAGE_STATUS)).to_have_text(DONE, timeout=10_000)
    assert other.locator(PAGE_RESULTS).count() == total
    # Back: to the article the search started from.
    page.go_back()
    page.wait_for_url(root + WITH_IMAGE)
    assert problems(page) == []


def test_a_search_made_on_the_results_page_is_a_history_entry(page, root):
    page.goto(root + "search/?q=internship")
    expect(page.locator(PAGE_STATUS)).to_have_text(DONE, timeout=10_000)
    everything = page.locator(PAGE_RESULTS).count()
    page.locator(".ifg-search-page [data-ifg-filter=tag] option[value='law']").wait_for(state="attached")
    page.select_option(".ifg-search-page [data-ifg-filter=tag]", "law")
    page.wait_for_url(root + "search/?q=internship&tag=law")
    expect(page.locator(PAGE_STATUS)).to_have_text(DONE)
    narrowed = page.locator(PAGE_RESULTS).count()
    assert 0 < narrowed < everything
    page.fill("#ifg-search-page-input", "beneficiary")
    page.keyboard.press("Enter")
    page.wait_for_url(root + "search/?q=beneficiary&tag=law")
    expect(page.locator(PAGE_STATUS)).to_have_text("1 article found for “beneficiary”.")
    page.go_back()
    page.wait_for_url(root + "search/?q=internship&tag=law")
    expect(page.locator(PAGE_STATUS)).to_have_text(f"{narrowed} articles found for “internship”.")
    assert page.locator("#ifg-search-page-input").input_value() == "internship"
    page.go_back()
    page.wait_for_url(root + "search/?q=internship")
    expect(page.locator(PAGE_STATUS)).to_have_text(f"{everything} articles found for “internship”.")
    assert page.locator(".ifg-search-page [data-ifg-filter=tag]").input_value() == ""
    # To a result and back: the same results.
    page.locator(PAGE_RESULTS).first.locator("a").click()
    page.wait_for_url(re.compile(r".*/articles/[a-z0-9-]+/$"))
    page.go_back()
    expect(page.locator(PAGE_STATUS)).to_have_text(f"{everything} articles found for “internship”.")
    assert problems(page) == []


def test_see_all_results_links_to_the_results_page(page, root):
    page.goto(root + "about/")
    page.keyboard.press("/")
    page.keyboard.type("pay")
    expect(page.locator(".ifg-search__status")).to_have_text(re.compile("found|Showing"), timeout=10_000)
    link = page.locator(".ifg-search__all")
    assert link.get_attribute("href") == root + "search/?q=pay"
    link.click()
    page.wait_for_url(root + "search/?q=pay")
    expect(page.locator(PAGE_STATUS)).to_have_text(DONE, timeout=10_000)


def test_without_javascript_the_results_page_says_where_the_articles_are(browser, root):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(root + "search/?q=internship")
    note = page.locator("[data-ifg-search-nojs]")
    assert note.is_visible() and "needs" not in note.inner_text() and "JavaScript" in note.inner_text()
    assert not page.locator(".ifg-search-page__form").is_visible()
    hrefs = [a.get_attribute("href") for a in note.locator("a").all()]
    assert hrefs == ["../articles/", "../tags/", "../benefits/", "../authors/"]
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["search/?q=internship", WITHOUT_IMAGE])
def test_axe_finds_no_violations(browser, root, scheme, url):
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(root + url)
    page.wait_for_load_state("networkidle")
    if url.startswith("search/"):
        expect(page.locator(PAGE_STATUS)).to_have_text(DONE, timeout=10_000)
    violations = axe_violations(page)
    context.close()
    assert violations == []
