"""The page as a reader sees it: measure, composition, type, the phone header and "Contents",
the front page, the resources' jump links and the footer (issue 28). Chromium via Playwright
on the shipped site and on a small site built for the cases the shipped one lacks; the
markup checks read the built HTML with BeautifulSoup."""

import statistics
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import axe_violations, chromium, serve
from sitekit import REPO, article, make_site, mkdocs_yml

pytestmark = pytest.mark.slow  # builds sites and drives Chromium

BASE = "/internship-field-guide/"
LONG_ARTICLE = "articles/disability-accommodations-and-your-rights/"
PHONE = {"width": 390, "height": 844}

# Characters on each rendered line of the body's long paragraphs, counted from the boxes
# of their characters (a Range per character); a paragraph's last line is left out.
CHARACTERS_PER_LINE = """() => {
  const counts = [];
  for (const p of [...document.querySelectorAll('.ifg-article-body > p')].filter(p => p.textContent.length > 300)) {
    const lines = [];  // [middle of the line, characters on it]
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = [...range.getClientRects()].find(r => r.width > 0);
        if (!box) continue;
        const middle = box.top + box.height / 2;
        const line = lines.find(l => Math.abs(l[0] - middle) < box.height / 2);
        if (line) line[1] += 1; else lines.push([middle, 1]);
      }
    }
    lines.sort((a, b) => a[0] - b[0]);
    counts.push(...lines.slice(0, -1).map(l => l[1]));
  }
  return counts;
}"""

# WCAG contrast of an element's text against the page's background, the text's alpha
# blended over it (Material's colours are translucent).
CONTRAST = """selector => {
  const rgba = colour => {
    const probe = document.createElement('i');
    probe.style.color = colour;
    document.body.append(probe);
    const parts = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    probe.remove();
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const element = document.querySelector(selector);
  const background = rgba(getComputedStyle(document.body).getPropertyValue('--md-default-bg-color'));
  const text = rgba(getComputedStyle(element).color);
  const blended = [0, 1, 2].map(i => text[3] * text[i] + (1 - text[3]) * background[i]);
  const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [light, dark] = [luminance(blended), luminance(background)].sort((a, b) => b - a);
  return {contrast: (light + 0.05) / (dark + 0.05), weight: Number(getComputedStyle(element).fontWeight)};
}"""

# Whether a header title's text is all shown: nothing clipped or ellipsized, inside the
# header, and clear of the buttons after it.
HEADER_TEXT_FITS = """topic => {
  const text = document.querySelectorAll('.md-header__topic .md-ellipsis')[topic];
  const box = text.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  let limit = header.right;  // the left edge of the first button shown after the title
  for (let after = document.querySelector('.md-header__title').nextElementSibling; after; after = after.nextElementSibling) {
    const edge = after.getBoundingClientRect();
    if (edge.width > 0) { limit = edge.left; break; }
  }
  const style = getComputedStyle(text);
  return {
    text: text.textContent.trim(),
    clipped: text.scrollWidth > text.clientWidth || text.scrollHeight > text.clientHeight + 1,
    ellipsis: style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap' && style.overflow !== 'visible',
    inside: box.top >= header.top && box.bottom <= header.bottom && box.right <= limit + 1,
  };
}"""

# A title at the 90-character limit, with long words, for the scrolled header.
LONGEST_TITLE = "Internationally recognised qualifications, apprenticeships and accommodations explained"


def sections_body(count: int) -> str:
    """An article body of `count` h2 sections, each with a paragraph long enough to scroll."""
    paragraph = "A sentence of ordinary length, written to give the section some body. " * 8
    return "\n".join(f"## Section {number}\n\n{paragraph}\n" for number in range(1, count + 1))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A site with what the shipped one lacks: an article of exactly 3 sections, one at the
    title length limit, and the shipped site's name."""
    site = make_site(tmp_path_factory.mktemp("layout"), articles={
        "three": article("Three sections", "2026-10-01", body=sections_body(2) + "### A subsection\n\nText.\n"),
        "four": article(LONGEST_TITLE, "2026-10-02", body=sections_body(4)),
    })
    # The shipped site's name and header: the palette toggle takes room beside the title.
    palette = [{"media": f"(prefers-color-scheme: {media})", "scheme": scheme, "primary": "teal",
                "toggle": {"icon": icon, "name": "Switch"}}
               for media, scheme, icon in (("light", "default", "material/weather-night"),
                                           ("dark", "slate", "material/weather-sunny"))]
    site.write("mkdocs.yml", mkdocs_yml({
        "site_name": "Internship Field Guide",
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False, "palette": palette},
    }))
    assert 70 < len(LONGEST_TITLE) <= 90
    result = site.build(strict=False)  # a title over 70 characters is a warning, not an error
    assert result.returncode == 0, result.stderr
    return site.root / "site"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def root(shipped):
    with serve(shipped, BASE) as url:
        yield url


@pytest.fixture(scope="module")
def small_root(small):
    with serve(small, "/guide/") as url:
        yield url


def open_page(browser, url, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


# Desktop: measure and composition


@pytest.mark.parametrize("width", [1366, 1920])
def test_article_lines_hold_60_to_75_characters_and_the_page_is_composed(browser, root, width):
    context, page = open_page(browser, root + LONG_ARTICLE, viewport={"width": width, "height": 900})
    counts = page.evaluate(CHARACTERS_PER_LINE)
    assert len(counts) > 20, counts
    assert 60 <= statistics.median(counts) <= 75, counts
    assert max(counts) <= 75, counts  # none over; a few lines end early before a long word
    assert sum(60 <= count <= 75 for count in counts) >= 0.9 * len(counts), counts
    column, toc = (page.locator(selector).bounding_box() for selector in (".md-content__inner", ".md-sidebar--secondary"))
    assert page.locator(".md-sidebar--secondary [data-md-component=toc]").is_visible()
    gap = toc["x"] - (column["x"] + column["width"])
    assert 0 < gap <= 80, gap  # the table of contents beside the column, not at the far edge
    left, right = column["x"], width - (toc["x"] + toc["width"])
    assert abs(left - right) <= 0.1 * width, (left, right)  # the pair centred on the page
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_titles_are_bold_with_7_to_1_contrast(browser, root, scheme):
    context, page = open_page(browser, root + LONG_ARTICLE, color_scheme=scheme)
    for selector in (".ifg-article-header h1", ".ifg-article-body h2", ".ifg-article-body h3"):
        found = page.evaluate(CONTRAST, selector)
        assert found["contrast"] >= 7 and found["weight"] >= 600, (selector, found)
    context.close()


def test_note_boxes_are_set_at_most_one_step_below_the_body(browser, root):
    context, page = open_page(browser, root + LONG_ARTICLE, viewport=PHONE)
    sizes = page.evaluate("""() => [document.querySelector('.ifg-article-body > p'),
        document.querySelector('.ifg-article-body .admonition > p:not(.admonition-title)')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    body, note = sizes
    assert note >= 0.9 * body, sizes
    context.close()


# Phones: "Contents" and the header


def test_a_long_article_opens_with_a_contents_disclosure_on_phones(browser, root):
    context, page = open_page(browser, root + LONG_ARTICLE, viewport=PHONE)
    contents = page.locator("details.ifg-contents")
    assert contents.is_visible() and contents.get_attribute("open") is None
    headings = page.evaluate("""() => [...document.querySelectorAll('.ifg-article-body h2, .ifg-article-body h3')]
        .map(h => '#' + h.id)""")
    assert not page.locator(".ifg-contents a").first.is_visible()
    contents.locator("summary").click()
    links = contents.locator("a")
    assert links.first.is_visible()
    assert [link.get_attribute("href") for link in links.all()] == headings  # every section, in order
    assert len(headings) > 3
    links.nth(2).click()
    assert page.url.endswith(headings[2])
    context.close()
    # Beside a wide screen's table of contents it is not shown twice.
    context, page = open_page(browser, root + LONG_ARTICLE, viewport={"width": 1366, "height": 900})
    assert not page.locator("details.ifg-contents").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [LONG_ARTICLE, "", "resources/"])
def test_axe_finds_nothing_on_a_phone_contents_open(browser, root, url, scheme):
    # Injecting axe needs an inline script, which the site's own CSP rightly forbids.
    context, page = open_page(browser, root + url, viewport=PHONE, color_scheme=scheme, bypass_csp=True)
    if url == LONG_ARTICLE:
        page.locator("details.ifg-contents summary").click()
    violations = axe_violations(page)
    context.close()
    assert violations == []


def test_contents_opens_without_javascript(browser, root):
    context, page = open_page(browser, root + LONG_ARTICLE, viewport=PHONE, java_script_enabled=False)
    page.locator("details.ifg-contents summary").click()
    assert page.locator(".ifg-contents a").first.is_visible()
    context.close()


def test_no_contents_disclosure_for_3_sections_or_fewer(browser, small_root):
    context, page = open_page(browser, small_root + "articles/three/", viewport=PHONE)
    assert page.locator(".ifg-article-body h2, .ifg-article-body h3").count() == 3
    assert page.locator(".ifg-contents").count() == 0
    page.goto(small_root + "articles/four/")
    assert page.locator("details.ifg-contents a").count() == 4
    context.close()


@pytest.mark.parametrize("width", [390, 360])
def test_the_site_name_and_a_scrolled_title_are_never_cut_on_a_phone(browser, small_root, width):
    context, page = open_page(browser, small_root + "articles/four/", viewport={"width": width, "height": 844})
    name = page.evaluate(HEADER_TEXT_FITS, 0)
    assert name == {"text": "Internship Field Guide", "clipped": False, "ellipsis": False, "inside": True}
    page.mouse.wheel(0, 1200)  # past the title: Material shows it in the header
    page.locator(".md-header__title--active").wait_for()
    page.wait_for_timeout(500)  # the title's slide-in
    title = page.evaluate(HEADER_TEXT_FITS, 1)
    assert title == {"text": LONGEST_TITLE, "clipped": False, "ellipsis": False, "inside": True}
    context.close()


def test_search_opens_over_the_header_on_a_phone(browser, root):
    context, page = open_page(browser, root + LONG_ARTICLE, viewport=PHONE)
    page.keyboard.press("/")
    box = page.locator("#ifg-search-input").bounding_box()
    assert box["width"] > 250  # folded to its icon until used, then wide enough to type in
    page.keyboard.type("intern")
    page.locator(".ifg-search__result").first.wait_for()
    context.close()


# The front page


def test_the_first_article_is_on_a_phones_first_screen(browser, root, shipped):
    context, page = open_page(browser, root, viewport=PHONE)
    lead = page.locator(".ifg-lead__title a")
    box = lead.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    newest = soup(shipped, "articles").select_one(".ifg-article-card__title a")["href"]  # newest first
    assert urljoin(root, lead.get_attribute("href")) == urljoin(root + "articles/", newest)
    context.close()


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_front_page_sections_in_a_publications_order(shipped):
    home = soup(shipped, "")
    order = [heading.get_text(strip=True) for heading in home.select(".ifg-home h2")]
    assert order[1:] == ["More articles", "Topics", "Resources", "Who we are and how we check facts"]
    latest = home.select(".ifg-home__latest .ifg-article-card")
    assert len(latest) >= 3
    for card in latest:  # standfirst, date and reading time
        assert card.select_one(".ifg-article-card__summary").get_text(strip=True)
        assert card.select_one("time[datetime]") and "min read" in card.select_one(".ifg-meta").get_text()
    tags = home.select("#ifg-home-tags + ul a")
    assert tags and all(a.select_one(".ifg-count") for a in tags)
    resources = soup(shipped, "resources")
    for link in home.select(".ifg-home__resources li a"):
        section = resources.find(id=link["href"].split("#")[1])
        count = int(link.select_one(".ifg-count").get_text(strip=True).strip("()"))
        assert section is not None and len(section.select(".ifg-resource")) == count


def test_resources_open_with_a_jump_link_and_count_per_category(shipped):
    page = soup(shipped, "resources")
    jumps = page.select("nav.ifg-jump a")
    groups = page.select("section.ifg-resource-group")
    assert len(jumps) == len(groups) > 3
    for link, group in zip(jumps, groups):
        assert link["href"] == "#" + group["id"]
        title = group.find("h2").get_text(strip=True)
        assert link.get_text(" ", strip=True) == f"{title} ({len(group.select('.ifg-resource'))})"


# The footer


@pytest.mark.parametrize("url", ["", LONG_ARTICLE.strip("/"), "resources"])
def test_footer_links_to_feeds_about_facts_corrections_and_states_the_terms(shipped, url):
    page = soup(shipped, url)
    footer = page.select_one("footer.md-footer")
    here = "https://example.org/" + (url + "/" if url else "")
    targets = {a.get_text(strip=True): urljoin(here, a["href"]) for a in footer.select("a")}
    for label, file in (("RSS", "feed.xml"), ("Atom", "atom.xml"), ("JSON Feed", "feed.json")):
        assert targets[label] == "https://example.org/" + file and (shipped / file).is_file()
    about = soup(shipped, "about")
    for label, fragment in (("About the guide", ""), ("How we check facts", "how-we-check-facts"),
                            ("Corrections", "corrections")):
        address = urlsplit(targets[label])
        assert address.path == "/about/" and address.fragment == fragment
        assert not fragment or about.find(id=fragment).name == "h2"
    terms = next(yaml.safe_load(line)["copyright"] for line in (REPO / "mkdocs.yml").read_text().splitlines()
                 if line.startswith("copyright:"))
    assert footer.select_one(".md-copyright__highlight").get_text(strip=True) == terms
