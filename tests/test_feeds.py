"""RSS, Atom and JSON Feed output, read back with real XML and JSON parsers."""

import datetime as dt
import json
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import lxml.html
import pytest
from lxml import etree

from generator.content.reader import load_content
from generator.site.feeds import build_feeds
from generator.site.graph import build_graph

SITE_URL = "https://example.org/guide/"
TODAY = dt.date(2026, 11, 18)
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
TRICKY_TITLE = 'Pay & <b>"law"</b>'
BODY_HTML = (
    '<p>Read <a href="../interviews/">the interview guide</a> &amp; '
    '<a href="https://other.example/x">this</a>.</p>\n<p><img src="chart.png" alt="A chart"></p>'
)


def feeds_of(site, **options) -> dict[str, str]:
    content = load_content(site.root)
    articles = build_graph(content, today=TODAY).articles
    return build_feeds(
        articles,
        site_url=SITE_URL,
        site_name="Test Guide",
        site_description="A test publication.",
        authors=content.authors,
        content_html={article.slug: BODY_HTML for article in articles},
        **options,
    )


def rss(feeds):
    return etree.fromstring(feeds["feed.xml"].encode("utf-8"))


def atom(feeds):
    return etree.fromstring(feeds["atom.xml"].encode("utf-8"))


def json_feed(feeds):
    return json.loads(feeds["feed.json"])


def article_url(slug: str) -> str:
    return f"{SITE_URL}articles/{slug}/"


@pytest.fixture
def three(site):
    """Three published articles, a draft and a scheduled one; the oldest was updated last."""
    site.add_article("old", "Old", "2026-09-01", updated="2026-10-20", tags=["pay", "law"],
                     authors=["careers-desk", "policy-desk"])
    site.add_article("middle", "Middle", "2026-09-15")
    site.add_article("new", "New", "2026-10-10")
    site.add_article("draft", "Draft", "2026-10-11", draft=True)
    site.add_article("scheduled", "Scheduled", "2026-12-01")
    return site


def test_every_page_links_the_three_feeds_each_a_file_of_its_type(built):
    """What a feed reader meets: the `<link rel=alternate>` of a page, then the file it names."""
    site = built.root / "site"
    head = lxml.html.fromstring((site / "articles/interviews/index.html").read_bytes())
    linked = {link.get("type"): link.get("href") for link in head.xpath("//head/link[@rel='alternate']")}
    assert set(linked) == {"application/rss+xml", "application/atom+xml", "application/feed+json"}
    page = SITE_URL + "articles/interviews/"
    addresses = {kind: urljoin(page, href) for kind, href in linked.items()}
    assert all(address.startswith(SITE_URL) for address in addresses.values()), linked
    files = {kind: site / address.removeprefix(SITE_URL) for kind, address in addresses.items()}
    assert etree.parse(str(files["application/rss+xml"])).getroot().tag == "rss"
    assert etree.parse(str(files["application/atom+xml"])).getroot().tag == f"{{{NS['atom']}}}feed"
    assert json.loads(files["application/feed+json"].read_text())["version"] == "https://jsonfeed.org/version/1.1"


def test_items_are_the_published_articles_newest_first(three):
    feeds = feeds_of(three)
    expected = [article_url(slug) for slug in ("new", "middle", "old")]
    assert rss(feeds).xpath("channel/item/link/text()") == expected
    assert atom(feeds).xpath("atom:entry/atom:id/text()", namespaces=NS) == expected
    assert [item["url"] for item in json_feed(feeds)["items"]] == expected


def test_only_the_newest_articles_up_to_the_limit(three):
    feeds = feeds_of(three, limit=2)
    expected = [article_url("new"), article_url("middle")]
    assert rss(feeds).xpath("channel/item/guid/text()") == expected
    assert atom(feeds).xpath("atom:entry/atom:id/text()", namespaces=NS) == expected
    assert [item["id"] for item in json_feed(feeds)["items"]] == expected


def test_ids_are_the_stable_article_urls(three):
    feeds = feeds_of(three)
    guids = rss(feeds).xpath("channel/item/guid")
    assert [guid.text for guid in guids] == rss(feeds).xpath("channel/item/link/text()")
    assert {guid.get("isPermaLink") for guid in guids} == {"true"}
    for entry in atom(feeds).xpath("atom:entry", namespaces=NS):
        assert entry.findtext("atom:id", namespaces=NS) == entry.find("atom:link", NS).get("href")
    assert all(item["id"] == item["url"] for item in json_feed(feeds)["items"])


def test_rss_dates_are_rfc_822_at_midnight_utc(three):
    channel = rss(feeds_of(three)).find("channel")
    pub_dates = channel.xpath("item/pubDate/text()")
    assert pub_dates[0] == "Sat, 10 Oct 2026 00:00:00 +0000"
    assert [parsedate_to_datetime(text) for text in pub_dates] == [
        dt.datetime(2026, 10, 10, tzinfo=dt.timezone.utc),
        dt.datetime(2026, 9, 15, tzinfo=dt.timezone.utc),
        dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc),
    ]


def test_atom_and_json_dates_are_rfc_3339(three):
    feeds = feeds_of(three)
    old_entry = atom(feeds).xpath("atom:entry[last()]", namespaces=NS)[0]
    assert old_entry.findtext("atom:published", namespaces=NS) == "2026-09-01T00:00:00Z"
    assert dt.datetime.fromisoformat(old_entry.findtext("atom:updated", namespaces=NS)) == \
        dt.datetime(2026, 10, 20, tzinfo=dt.timezone.utc)
    old_item = json_feed(feeds)["items"][-1]
    assert dt.datetime.fromisoformat(old_item["date_published"]) == dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc)
    assert old_item["date_modified"] == "2026-10-20T00:00:00Z"


def test_feed_date_is_the_latest_update_of_its_articles_never_the_build_time(three):
    feeds = feeds_of(three)
    # "old" was published first but updated after "new" was published.
    assert parsedate_to_datetime(rss(feeds).findtext("channel/lastBuildDate")) == \
        dt.datetime(2026, 10, 20, tzinfo=dt.timezone.utc)
    assert atom(feeds).findtext("atom:updated", namespaces=NS) == "2026-10-20T00:00:00Z"
    assert atom(feeds_of(three, limit=1)).findtext("atom:updated", namespaces=NS) == "2026-10-10T00:00:00Z"


def test_self_links_point_at_each_feed(three):
    feeds = feeds_of(three)
    self_link = rss(feeds).find("channel/atom:link[@rel='self']", NS)
    assert (self_link.get("href"), self_link.get("type")) == (SITE_URL + "feed.xml", "application/rss+xml")
    links = {link.get("rel"): link.get("href") for link in atom(feeds).findall("atom:link", NS)}
    assert links == {"self": SITE_URL + "atom.xml", "alternate": SITE_URL}
    assert json_feed(feeds)["feed_url"] == SITE_URL + "feed.json"
    assert json_feed(feeds)["home_page_url"] == SITE_URL


def test_authors_and_tags_are_carried_per_item(three):
    feeds = feeds_of(three)
    old_item = rss(feeds).xpath("channel/item[last()]")[0]
    assert old_item.xpath("dc:creator/text()", namespaces=NS) == ["Careers Desk", "Policy Desk"]
    assert old_item.xpath("category/text()") == ["pay", "law"]
    old_entry = atom(feeds).xpath("atom:entry[last()]", namespaces=NS)[0]
    assert old_entry.xpath("atom:author/atom:name/text()", namespaces=NS) == ["Careers Desk", "Policy Desk"]
    assert old_entry.xpath("atom:category/@term", namespaces=NS) == ["pay", "law"]
    old_json = json_feed(feeds)["items"][-1]
    assert old_json["authors"] == [{"name": "Careers Desk"}, {"name": "Policy Desk"}]
    assert old_json["tags"] == ["pay", "law"]


def test_full_content_has_relative_links_made_absolute(three):
    feeds = feeds_of(three)
    contents = [
        rss(feeds).xpath("channel/item[1]/content:encoded/text()", namespaces=NS)[0],
        atom(feeds).xpath("atom:entry[1]/atom:content[@type='html']/text()", namespaces=NS)[0],
        json_feed(feeds)["items"][0]["content_html"],
    ]
    for content in contents:
        body = lxml.html.fragment_fromstring(content, create_parent="div")
        assert body.xpath("//a/@href") == ["https://example.org/guide/articles/interviews/", "https://other.example/x"]
        assert body.xpath("//img/@src") == ["https://example.org/guide/articles/new/chart.png"]
        assert "the interview guide & this." in body.text_content()


def test_description_is_the_summary(three):
    feeds = feeds_of(three)
    summary = json_feed(feeds)["items"][0]["summary"]
    assert summary.startswith("A description long enough")
    assert rss(feeds).findtext("channel/item/description") == summary
    assert atom(feeds).findtext("atom:entry/atom:summary", namespaces=NS) == summary


def test_special_characters_are_escaped_and_read_back_unchanged(site):
    site.add_article("tricky", TRICKY_TITLE, "2026-10-01")
    feeds = feeds_of(site)
    assert rss(feeds).findtext("channel/item/title") == TRICKY_TITLE
    assert atom(feeds).findtext("atom:entry/atom:title", namespaces=NS) == TRICKY_TITLE
    assert json_feed(feeds)["items"][0]["title"] == TRICKY_TITLE


def test_rss_description_is_escaped_html_so_readers_show_it_as_written(site):
    summary = "Under <$10 an hour & unpaid? What the law says about intern pay and hours."
    site.add_article("pay", "Pay", "2026-10-01", description=summary)
    feeds = feeds_of(site)
    description = rss(feeds).findtext("channel/item/description")
    assert lxml.html.fragment_fromstring(description, create_parent="p").text_content() == summary
    assert json_feed(feeds)["items"][0]["summary"] == summary


def test_control_characters_in_content_do_not_break_the_xml(site):
    site.add_article("a", "A", "2026-10-01")
    content = load_content(site.root)
    feeds = build_feeds(content.articles, site_url=SITE_URL, site_name="Guide\x0b", site_description="D",
                        authors=content.authors, content_html={"a": "<p>bell\x07</p>"})
    assert rss(feeds).findtext("channel/title") == "Guide"
    assert "bell" in atom(feeds).findtext("atom:entry/atom:content", namespaces=NS)


def test_same_input_gives_byte_identical_feeds(three):
    assert feeds_of(three) == feeds_of(three)


def test_empty_feeds_are_still_valid(site):
    feeds = feeds_of(site)
    channel = rss(feeds).find("channel")
    assert channel.findtext("title") == "Test Guide" and channel.find("item") is None
    assert channel.find("lastBuildDate") is None
    assert_valid_atom(atom(feeds))
    assert_valid_json_feed(json_feed(feeds))
    assert json_feed(feeds)["items"] == []


def test_atom_and_json_feed_have_the_required_elements(three):
    feeds = feeds_of(three)
    assert_valid_atom(atom(feeds))
    assert_valid_json_feed(json_feed(feeds))
    channel = rss(feeds).find("channel")
    for name in ("title", "link", "description"):
        assert channel.findtext(name)
    assert channel.findtext("language") == "en"
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link")


def test_site_url_must_end_with_a_slash(three):
    with pytest.raises(ValueError, match="end with '/'"):
        build_feeds([], site_url="https://example.org/guide", site_name="G", site_description="D",
                    authors={}, content_html={})


def assert_valid_atom(feed) -> None:
    """The RFC 4287 rules that can be checked structurally (section 4.1)."""
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"

    def once(element, name: str) -> None:
        assert len(element.findall(f"atom:{name}", NS)) == 1, name

    for name in ("id", "title", "updated"):
        once(feed, name)
    dt.datetime.fromisoformat(feed.findtext("atom:updated", namespaces=NS))
    assert feed.findtext("atom:id", namespaces=NS).startswith("https://")
    entries = feed.findall("atom:entry", NS)
    feed_has_author = feed.find("atom:author/atom:name", NS) is not None
    for entry in entries:
        for name in ("id", "title", "updated", "content", "summary"):
            once(entry, name)
        dt.datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))
        assert feed_has_author or entry.find("atom:author/atom:name", NS) is not None
        alternates = entry.findall("atom:link[@rel='alternate']", NS)
        assert len(alternates) == 1 and alternates[0].get("href").startswith("https://")
    alternates = [(link.get("type"), link.get("hreflang")) for link in feed.findall("atom:link[@rel='alternate']", NS)]
    assert len(alternates) == len(set(alternates))


def assert_valid_json_feed(feed: dict) -> None:
    """The fields JSON Feed 1.1 requires, with the types it requires."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        for key in ("date_published", "date_modified"):
            dt.datetime.fromisoformat(item[key])
