"""What readers, feed readers and search engines get from a build."""

import datetime as dt
import email.utils
import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image

from sitekit import article, mkdocs_yml

SITE_URL = "https://example.org/guide/"


def json_ld(page, kind):
    return [data for data in (json.loads(s.get_text()) for s in page.select('script[type="application/ld+json"]'))
            if data["@type"] == kind]


# Feeds

def test_feeds_list_published_articles_newest_first_and_never_drafts(built):
    site = built.root / "site"
    rss = etree.parse(str(site / "feed.xml"))
    assert rss.xpath("/rss/@version") == ["2.0"]
    assert rss.xpath("//item/title/text()") == ["Pay and the law", "Networking basics", "Interviews",
                                                "Getting started"]
    assert rss.xpath("//channel/*[local-name()='link' and @rel='self']/@href") == [SITE_URL + "feed.xml"]
    guids = rss.xpath("//item/guid/text()")
    assert guids[0] == SITE_URL + "articles/pay-and-law/"
    for pub_date in rss.xpath("//item/pubDate/text()"):
        assert email.utils.parsedate_to_datetime(pub_date).tzinfo is not None  # RFC 822 with a zone
    assert rss.xpath("//channel/lastBuildDate/text()") == ["Thu, 01 Oct 2026 00:00:00 +0000"]

    atom = etree.parse(str(site / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.xpath("/a:feed/a:entry/a:id/text()", namespaces=ns) == guids
    for stamp in atom.xpath("//a:updated/text() | //a:published/text()", namespaces=ns):
        dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))  # RFC 3339

    feed = json.loads((site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SITE_URL + "feed.json"
    assert [item["id"] for item in feed["items"]] == guids
    everything = "".join((site / name).read_text() for name in ("feed.xml", "atom.xml", "feed.json"))
    assert "secret-draft" not in everything and "scheduled" not in everything


def test_feed_items_carry_full_content_with_absolute_links(built):
    feed = json.loads((built.root / "site/feed.json").read_text())
    item = next(i for i in feed["items"] if i["url"].endswith("/getting-started/"))
    body = BeautifulSoup(item["content_html"], "html.parser")
    assert body.a["href"] == SITE_URL + "articles/interviews/"
    assert not body.select(".headerlink")
    assert item["summary"].startswith("A description long enough")


def test_every_page_announces_the_feeds(built):
    for url in ("", "articles/interviews/", "resources/", "tags/planning/"):
        alternates = {(link["type"], link["href"]) for link in built.page(url).select('link[rel="alternate"]')}
        assert {type_ for type_, _ in alternates} >= {"application/rss+xml", "application/atom+xml",
                                                      "application/feed+json"}
    not_found = BeautifulSoup((built.root / "site/404.html").read_text(), "html.parser")
    assert not_found.select_one('link[rel="alternate"][type="application/rss+xml"]')["href"] == "/guide/feed.xml"


# Search engines

def test_every_page_has_canonical_description_open_graph_and_twitter_meta(built):
    for html in sorted((built.root / "site").rglob("index.html")):
        page = BeautifulSoup(html.read_text(), "html.parser")
        url = SITE_URL + html.parent.relative_to(built.root / "site").as_posix().removeprefix(".") + "/"
        url = url.replace("guide//", "guide/")
        assert page.select_one('link[rel="canonical"]')["href"] == url, html
        assert page.find("meta", attrs={"name": "description"})["content"], html
        og = {m["property"]: m["content"] for m in page.select("meta[property]")}
        assert og["og:url"] == url and og["og:title"] and og["og:description"], html
        assert og["og:image"].startswith(SITE_URL + "assets/social/"), html
        twitter = {m["name"]: m["content"] for m in page.select('meta[name^="twitter:"]')}
        assert twitter["twitter:card"] == "summary_large_image", html


def test_article_json_ld_and_breadcrumbs(built):
    page = built.page("articles/interviews/")
    (data,) = json_ld(page, "Article")
    assert data["headline"] == "Interviews"
    assert data["datePublished"] == "2026-09-10" and data["dateModified"] == "2026-10-01"
    assert [a["name"] for a in data["author"]] == ["Careers Desk", "Policy Desk"]
    assert data["image"] == [SITE_URL + "assets/social/interviews.jpg"]
    og = {m["property"]: m["content"] for m in page.select("meta[property]")}
    assert og["og:type"] == "article" and og["article:published_time"] == "2026-09-10"
    (crumbs,) = json_ld(page, "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Test Guide", "Articles", "Interviews"]


def test_listings_carry_an_item_list_and_the_home_page_a_website(built):
    (listing,) = json_ld(built.page("tags/planning/"), "ItemList")
    assert [item["url"] for item in listing["itemListElement"]] == [
        SITE_URL + "articles/interviews/", SITE_URL + "articles/getting-started/"]
    (resources,) = json_ld(built.page("resources/"), "ItemList")
    assert resources["numberOfItems"] == 3
    (website,) = json_ld(built.page(""), "WebSite")
    assert website["url"] == SITE_URL
    assert json_ld(built.page(""), "BreadcrumbList") == []


def test_robots_names_the_sitemap_and_the_sitemap_is_valid(built):
    site = built.root / "site"
    assert (site / "robots.txt").read_text() == (f"User-agent: *\nAllow: /\nDisallow: {urlsplit(SITE_URL).path}admin/\n\n"
                                                f"Sitemap: {SITE_URL}sitemap.xml\n")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    # sitemap.xml is an index: Material's JavaScript fetches it on every page, once per
    # feed link, so it must not grow with the site. It names the list of pages.
    index = etree.parse(str(site / "sitemap.xml"))
    assert index.getroot().tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert index.xpath("//s:url", namespaces=ns) == []
    (listed,) = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=ns)
    assert listed == SITE_URL + "sitemap-pages.xml"
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    sitemap = etree.parse(str(site / listed.removeprefix(SITE_URL)))
    assert sitemap.getroot().tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    dates = []
    for url in sitemap.xpath("/s:urlset/s:url", namespaces=ns):
        assert [child.tag.split("}")[1] for child in url] in (["loc"], ["loc", "lastmod"])
        assert url.findtext("s:loc", namespaces=ns).startswith(SITE_URL)
        lastmod = url.findtext("s:lastmod", namespaces=ns)
        if lastmod is not None:
            dates.append(dt.date.fromisoformat(lastmod))
    # Every page a reader can open is listed (the 404 page is not a page to index), but
    # those that ask search engines not to index them: the search results page alone.
    pages, unlisted = set(), set()
    for path in site.rglob("index.html"):
        url = (SITE_URL + path.parent.relative_to(site).as_posix().removeprefix(".") + "/").replace(
            SITE_URL + "/", SITE_URL)
        robots = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one('meta[name="robots"]')
        (unlisted if robots is not None and "noindex" in robots["content"] else pages).add(url)
    assert unlisted == {SITE_URL + "search/"}
    assert set(sitemap.xpath("/s:urlset/s:url/s:loc/text()", namespaces=ns)) == pages
    assert index.findtext("s:sitemap/s:lastmod", namespaces=ns) == max(dates).isoformat()


# Social preview images

def test_every_article_gets_a_social_card_drawn_once(site):
    site.add_article("one", "One", "2026-10-01")
    site.add_article("two", "Two", "2026-10-02")
    assert site.build().returncode == 0
    card = site.root / "site/assets/social/one.jpg"
    with Image.open(card) as image:
        assert image.size == (1200, 630)
    cache = sorted((site.root / ".cache/social").glob("*.jpg"))
    assert len(cache) == 3  # two articles and the site's own card
    stamps = {path: path.stat().st_mtime_ns for path in cache}
    site.add_article("two", "Two, retitled", "2026-10-02")
    assert site.build().returncode == 0
    after = sorted((site.root / ".cache/social").glob("*.jpg"))
    assert len(after) == 4
    assert all(path.stat().st_mtime_ns == stamps[path] for path in cache)  # unchanged cards not redrawn


# The 404 page

def test_not_found_page_offers_search_latest_articles_and_sections(built):
    page = BeautifulSoup((built.root / "site/404.html").read_text(), "html.parser")
    assert page.select_one("article h1").get_text() == "Page not found"
    assert [a.get_text() for a in page.select(".ifg-article-card__title a")][:2] == ["Pay and the law",
                                                                                    "Networking basics"]
    assert page.select_one(".ifg-article-card__title a")["href"] == "/guide/articles/pay-and-law/"
    sections = [a["href"] for a in page.select("article ul:not(.ifg-article-list) a")]
    assert "/guide/resources/" in sections and "/guide/benefits/" in sections
    assert page.select_one("input#ifg-search-input[type=search]") is not None


# Images

def test_images_are_lazy_and_sized(site):
    (site.root / "content/articles").mkdir(parents=True)
    Image.new("RGB", (640, 360), "white").save(site.root / "content/articles/chart.png")
    site.write("content/articles/post.md", article("Post", "2026-10-01", body="![A chart](chart.png)\n"))
    assert site.build().returncode == 0
    image = site.page("articles/post/").select_one(".md-content img")
    assert (image["loading"], image["width"], image["height"]) == ("lazy", "640", "360")


# Weight

def test_an_article_page_transfers_under_150_kb_compressed(shipped):
    page_path = shipped / "articles/why-internships-matter/index.html"
    page = BeautifulSoup(page_path.read_text(), "html.parser")
    files = [page_path]
    for element in page.select('link[rel="stylesheet"], script[src]'):
        files.append((page_path.parent / (element.get("href") or element.get("src"))).resolve())
    total = sum(len(gzip.compress(Path(f).read_bytes(), 9)) for f in files)
    assert total < 150_000, f"{total:,} bytes compressed"


@pytest.mark.parametrize("workers", [None, 0])
def test_many_cards_are_drawn_all_the_same_with_or_without_workers(site, workers):
    if workers is not None:
        site.write("mkdocs.yml", mkdocs_yml({"plugins": [{"field-guide": {"workers": workers}}]}))
    for day in range(1, 31):  # more than CARDS_WORTH_A_PROCESS: drawn by worker processes, if any
        site.add_article(f"post-{day}", f"Post {day}", f"2026-10-{day:02d}")
    result = site.build()
    assert result.returncode == 0, result.stderr
    for day in range(1, 31):
        with Image.open(site.root / f"site/assets/social/post-{day}.jpg") as image:
            assert image.size == (1200, 630)
    assert len(list((site.root / ".cache/social").glob("*.jpg"))) == 31
