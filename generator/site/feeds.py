"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the published articles.

Choices, and why:

- Full content. Each item carries the article's whole rendered HTML (`content:encoded`,
  Atom `<content type="html">`, `content_html`) and its description as the summary, so
  readers can read offline and no reader shows a teaser only. Feed readers have no base
  URL for an item, so relative `href`/`src`/... URLs are made absolute against the
  article's own URL, with lxml's HTML parser (`make_links_absolute`), never a regex.
- Written with lxml.etree, not feedgen. feedgen stamps `lastBuildDate`, Atom `updated`
  and `generator` with build-time values unless each is overridden, and has no JSON
  Feed; a dozen elements of our own are less code than policing its defaults, and lxml
  (needed anyway for the HTML) handles escaping and namespaces.
- Reproducible bytes. Every date comes from the articles (`updated or date`, at
  midnight UTC), never from the clock; items keep the caller's order and keys their
  insertion order. The feed's own date is the latest `updated or date` among its items.
  An empty feed has no such date: RSS omits `lastBuildDate` (optional) and Atom, which
  requires `updated`, uses the Unix epoch.
- All three formats share one list of `_Entry` values, computed once per article.
- An article's lead image (media.py), as its JPEG for social sites: Media RSS
  `media:content` in RSS, an `enclosure` link in Atom, `image` in JSON Feed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime

import lxml.html
from lxml import etree

from ..content.models import Author
from ..content.reader import Article
from .media import LeadImage

FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
FEED_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}  # the footer's links
LANGUAGE = "en"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Atom requires a feed date even when nothing is published; the clock is not an option.
_EMPTY_FEED_DATE = dt.date(1970, 1, 1)
# Characters XML 1.0 cannot hold at all: a stray control character in an article must
# not abort the build, and it carries no meaning a reader could show.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WRAPPER = "div"


@dataclass(frozen=True)
class _Entry:
    url: str
    title: str
    summary: str
    content_html: str
    published: dt.date
    updated: dt.date
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    image: _Image | None = None


@dataclass(frozen=True)
class _Image:
    url: str
    mime: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class _Feed:
    site_url: str
    name: str
    description: str
    updated: dt.date | None  # None when there are no entries
    entries: tuple[_Entry, ...]

    def url(self, kind: str) -> str:
        return self.site_url + FEED_FILES[kind]


def build_feeds(
    articles: Sequence[Article],
    *,
    site_url: str,
    site_name: str,
    site_description: str,
    authors: Mapping[str, Author],
    content_html: Mapping[str, str],
    limit: int = 20,
    lead_images: Mapping[str, LeadImage] | None = None,
) -> dict[str, str]:
    """The three feeds, as {file name relative to the site root: text}.

    `articles` are the published ones, newest first; only the first `limit` are used.
    `content_html` maps every one of their slugs to the rendered body; `lead_images` the
    slugs of those that have one to it. The XML texts declare UTF-8: write them in that encoding.
    """
    if not site_url.endswith("/"):
        raise ValueError(f"site_url must end with '/' (got {site_url!r})")
    if limit < 1:
        raise ValueError(f"limit must be at least 1 (got {limit})")
    lead_images = lead_images or {}
    entries = tuple(
        _entry(article, site_url, authors, content_html[article.slug], lead_images.get(article.slug))
        for article in articles[:limit]
    )
    feed = _Feed(
        site_url=site_url,
        name=site_name,
        description=site_description,
        updated=max((entry.updated for entry in entries), default=None),
        entries=entries,
    )
    return {
        FEED_FILES["rss"]: _rss(feed),
        FEED_FILES["atom"]: _atom(feed),
        FEED_FILES["json"]: _json_feed(feed),
    }


def absolute_links(fragment: str, base_url: str) -> str:
    """`fragment` (HTML) with every relative URL in it resolved against `base_url`."""
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent=_WRAPPER)
    # The heading permalinks (the "¶" that MkDocs adds) mean nothing outside the page.
    for permalink in wrapper.find_class("headerlink"):
        permalink.drop_tree()
    # A malformed URL is left as written rather than failing the whole build.
    wrapper.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    serialized = lxml.html.tostring(wrapper, encoding="unicode")
    return serialized[len(f"<{_WRAPPER}>"):-len(f"</{_WRAPPER}>")]


def _entry(article: Article, site_url: str, authors: Mapping[str, Author], body_html: str,
           lead: LeadImage | None) -> _Entry:
    url = site_url + article.url
    meta = article.meta
    image = None if lead is None else _Image(site_url + lead.social.path, lead.social.mime, lead.social.width,
                                             lead.social.height, lead.alt)
    return _Entry(
        url=url,
        title=meta.title,
        summary=meta.description,
        content_html=absolute_links(body_html, url),
        published=meta.date,
        updated=meta.updated or meta.date,
        authors=tuple(authors[author_id].name for author_id in meta.authors),
        tags=tuple(meta.tags),
        image=image,
    )


def _rfc822(date: dt.date) -> str:
    """Midnight UTC of `date` as RSS wants it: `Mon, 03 Aug 2026 00:00:00 +0000`."""
    return format_datetime(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc))


def _rfc3339(date: dt.date) -> str:
    """Midnight UTC of `date` as Atom and JSON Feed want it: `2026-08-03T00:00:00Z`."""
    return f"{date.isoformat()}T00:00:00Z"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _serialize(root: etree._Element) -> str:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True).decode("utf-8")


def _rss(feed: _Feed) -> str:
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS, "content": CONTENT_NS, "dc": DC_NS,
                                                     "media": MEDIA_NS})
    channel = _sub(rss, "channel")
    _sub(channel, "title", feed.name)
    _sub(channel, "link", feed.site_url)
    _sub(channel, "description", feed.description)
    _sub(channel, "language", LANGUAGE)
    if feed.updated is not None:
        _sub(channel, "lastBuildDate", _rfc822(feed.updated))
    _sub(channel, f"{{{ATOM_NS}}}link", href=feed.url("rss"), rel="self", type=FEED_TYPES["rss"])
    for entry in feed.entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.url)
        _sub(item, "guid", entry.url, isPermaLink="true")
        _sub(item, "pubDate", _rfc822(entry.published))
        # Readers treat an RSS description as HTML: escape the plain-text summary so
        # that "pay < $10" is shown as written, not parsed as a tag.
        _sub(item, "description", html.escape(entry.summary, quote=False))
        _sub(item, f"{{{CONTENT_NS}}}encoded", entry.content_html)
        for name in entry.authors:
            _sub(item, f"{{{DC_NS}}}creator", name)
        for tag in entry.tags:
            _sub(item, "category", tag)
        if entry.image is not None:
            content = _sub(item, f"{{{MEDIA_NS}}}content", url=entry.image.url, type=entry.image.mime,
                           medium="image", width=str(entry.image.width), height=str(entry.image.height))
            _sub(content, f"{{{MEDIA_NS}}}description", entry.image.alt, type="plain")
    return _serialize(rss)


def _atom(feed: _Feed) -> str:
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    root.set(f"{{{XML_NS}}}lang", LANGUAGE)

    def atom(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
        return _sub(parent, f"{{{ATOM_NS}}}{tag}", text, **attributes)

    atom(root, "id", feed.site_url)
    atom(root, "title", feed.name)
    atom(root, "subtitle", feed.description)
    atom(root, "updated", _rfc3339(feed.updated or _EMPTY_FEED_DATE))
    atom(root, "link", rel="self", type=FEED_TYPES["atom"], href=feed.url("atom"))
    atom(root, "link", rel="alternate", type="text/html", href=feed.site_url)
    # RFC 4287 wants a feed-level author unless every entry has one: an empty feed has none.
    atom(atom(root, "author"), "name", feed.name)
    for entry in feed.entries:
        element = atom(root, "entry")
        atom(element, "id", entry.url)
        atom(element, "title", entry.title)
        atom(element, "link", rel="alternate", type="text/html", href=entry.url)
        if entry.image is not None:
            atom(element, "link", rel="enclosure", type=entry.image.mime, href=entry.image.url)
        atom(element, "published", _rfc3339(entry.published))
        atom(element, "updated", _rfc3339(entry.updated))
        for name in entry.authors:
            atom(atom(element, "author"), "name", name)
        atom(element, "summary", entry.summary)
        atom(element, "content", entry.content_html, type="html")
        for tag in entry.tags:
            atom(element, "category", term=tag)
    return _serialize(root)


def _json_feed(feed: _Feed) -> str:
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.name,
        "home_page_url": feed.site_url,
        "feed_url": feed.url("json"),
        "description": feed.description,
        "language": LANGUAGE,
        "items": [
            {
                "id": entry.url,
                "url": entry.url,
                "title": entry.title,
                "summary": entry.summary,
                "content_html": entry.content_html,
                "date_published": _rfc3339(entry.published),
                "date_modified": _rfc3339(entry.updated),
                "authors": [{"name": name} for name in entry.authors],
                "tags": list(entry.tags),
                **({"image": entry.image.url} if entry.image is not None else {}),
            }
            for entry in feed.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
