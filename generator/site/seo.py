"""What search engines and social sites read: Open Graph, Twitter cards and JSON-LD.

Everything here is data; the theme prints it (autoescaped, and JSON-LD through
`tojson`, which escapes `<`, `>` and `&`, so no string can close the script element).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..content.models import Author
from ..content.reader import Article
from ..content.regions import region_names
from .media import LeadImage
from .pages import PageSpec, Urls, modified
from .social import CARD_SIZE, CARD_SUFFIX

SOCIAL_DIR = "assets/social"
SITE_CARD = f"{SOCIAL_DIR}/site{CARD_SUFFIX}"
CARD_WIDTH, CARD_HEIGHT = CARD_SIZE

# Where each kind of page sits below the home page, for breadcrumbs.
_PARENTS = {
    "article": ("Articles", Urls.articles),
    "articles": None,
    "benefit": ("Benefits", Urls.benefits),
    "tag": ("Tags", Urls.tags),
    "author": ("Authors", Urls.authors),
}


def card_path(article: Article | None) -> str:
    return f"{SOCIAL_DIR}/{article.slug}{CARD_SUFFIX}" if article is not None else SITE_CARD


@dataclass
class PageMeta:
    """The head of one page: `properties` for <meta property>, `names` for <meta name>."""

    properties: list[tuple[str, str]] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[dict[str, Any]] = field(default_factory=list)


def page_meta(*, site_url: str, site_name: str, url: str, title: str, description: str,
              spec: PageSpec | None, authors: dict[str, Author], is_home: bool) -> PageMeta:
    """Open Graph, Twitter and JSON-LD for the page at site-relative `url`."""
    absolute = site_url + url
    article: Article | None = spec.context.get("article") if spec is not None else None
    lead: LeadImage | None = spec.context.get("lead_image") if spec is not None else None
    # A lead image replaces the article's card; without one, the card stays.
    if lead is not None:
        image, image_width, image_height, image_alt = (site_url + lead.social.path, lead.social.width,
                                                       lead.social.height, lead.alt)
    else:
        image, image_width, image_height = site_url + card_path(article), CARD_WIDTH, CARD_HEIGHT
        image_alt = f"{title} · {site_name}" if article else site_name
    meta = PageMeta()
    meta.properties += [
        ("og:site_name", site_name), ("og:locale", "en_US"), ("og:type", "article" if article else "website"),
        ("og:title", title), ("og:description", description), ("og:url", absolute),
        ("og:image", image), ("og:image:width", str(image_width)), ("og:image:height", str(image_height)),
        ("og:image:alt", image_alt),
    ]
    meta.names += [
        ("twitter:card", "summary_large_image"), ("twitter:title", title),
        ("twitter:description", description), ("twitter:image", image), ("twitter:image:alt", image_alt),
    ]
    publisher = {"@type": "Organization", "name": site_name, "url": site_url}
    if article is not None:
        meta.properties += [("article:published_time", article.meta.date.isoformat()),
                            ("article:modified_time", modified(article).isoformat())]
        meta.properties += [("article:tag", tag) for tag in article.meta.tags]
        meta.json_ld.append({
            "@context": "https://schema.org", "@type": "Article",
            "headline": article.meta.title, "description": article.meta.description,
            "datePublished": article.meta.date.isoformat(), "dateModified": modified(article).isoformat(),
            "author": [{"@type": "Organization", "name": authors[a].name, "url": site_url + Urls.author(a)}
                       for a in article.meta.authors],
            "image": [image], "mainEntityOfPage": absolute, "publisher": publisher,
            "keywords": article.meta.tags,
            **({"citation": [{"@type": "CreativeWork", "name": source.title, "url": source.url,
                              "publisher": {"@type": "Organization", "name": source.publisher}}
                             for source in article.meta.sources]} if article.meta.sources else {}),
            **({"spatialCoverage": [{"@type": "Country", "name": name} for name in region_names(article.meta.regions)]}
               if article.meta.regions else {}),
        })
    if is_home:
        meta.json_ld.append({"@context": "https://schema.org", "@type": "WebSite", "name": site_name,
                             "url": site_url, "description": description, "publisher": publisher})
    if spec is not None and spec.kind == "key-figures":
        meta.json_ld.append(_dataset(spec, absolute=absolute, title=title, description=description,
                                     publisher=publisher))
    items = _listed(spec)
    if items is not None:
        meta.json_ld.append({
            "@context": "https://schema.org", "@type": "ItemList", "name": title,
            "numberOfItems": len(items),
            "itemListElement": [{"@type": "ListItem", "position": n, "url": site_url + item_url, "name": name}
                                for n, (item_url, name) in enumerate(items, start=1)],
        })
    if not is_home:
        meta.json_ld.append(_breadcrumbs(site_url, site_name, url, title, spec))
    return meta


def _listed(spec: PageSpec | None) -> list[tuple[str, str]] | None:
    """What a listing page lists, as (url, name); None for a page that is not a listing."""
    if spec is None:
        return None
    context = spec.context
    if spec.kind in ("articles", "benefit", "tag", "author"):
        return [(Urls.article(a.slug), a.meta.title) for a in context["articles"]]
    if spec.kind == "benefits":
        return [(Urls.benefit(b.id), b.title) for b in context["benefits"]]
    if spec.kind == "resources":
        return [(r.url, r.title) for _, resources in context["groups"] for r in resources]
    if spec.kind == "tags":
        return [(Urls.tag(tag), tag) for tag, _ in context["tags"]]
    if spec.kind == "authors":
        return [(Urls.author(author_id), author.name) for author_id, author, _ in context["authors"]]
    return None


def _dataset(spec: PageSpec, *, absolute: str, title: str, description: str,
             publisher: dict[str, Any]) -> dict[str, Any]:
    """The key figures as a schema.org Dataset: each fact a PropertyValue with its value in
    force, the day it took effect and its source."""
    measured = []
    citations: dict[str, dict[str, Any]] = {}
    regions = []
    for _, name, rows in spec.context["groups"]:
        regions.append({"@type": "Place", "name": name})
        for row in rows:
            fact = row.fact
            item: dict[str, Any] = {"@type": "PropertyValue", "propertyID": fact.id, "name": fact.label,
                                    "url": f"{absolute}#{fact.id}"}
            if row.current is not None:
                item["value"] = row.current.value
                item["validFrom"] = row.current.from_.isoformat()
                if row.current.until is not None:
                    item["validThrough"] = row.current.until.isoformat()
            measured.append(item)
            citations.setdefault(fact.source.url, {"@type": "CreativeWork", "name": fact.source.title,
                                                   "url": fact.source.url,
                                                   "publisher": {"@type": "Organization",
                                                                 "name": fact.source.publisher}})
    return {
        "@context": "https://schema.org", "@type": "Dataset", "name": title, "description": description,
        "url": absolute, "creator": publisher, "publisher": publisher, "isAccessibleForFree": True,
        **({"dateModified": spec.modified.isoformat()} if spec.modified else {}),
        **({"spatialCoverage": regions} if regions else {}),
        "variableMeasured": measured,
        **({"citation": list(citations.values())} if citations else {}),
    }


def _breadcrumbs(site_url: str, site_name: str, url: str, title: str, spec: PageSpec | None) -> dict[str, Any]:
    trail = [(site_name, "")]
    parent = _PARENTS.get(spec.kind) if spec is not None else None
    if spec is not None and spec.kind == "articles" and url != Urls.articles:
        parent = ("Articles", Urls.articles)
    if parent is not None:
        trail.append(parent)
    trail.append((title, url))
    return {
        "@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": n, "name": name, "item": site_url + item_url}
                            for n, (name, item_url) in enumerate(trail, start=1)],
    }
