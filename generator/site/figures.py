"""Figures in an article's body: an image alone in its paragraph, optionally followed on
the next line by an emphasized caption and a credit, reads in GitHub's preview as an
image with its caption under it, and on the site becomes a figure:

    ![A desk by a window, a laptop open on it](../images/desk.jpg)
    *A first day's desk.* Photo: Ana Ruiz

becomes `<figure class="ifg-figure">`, the image as a `<picture>` of the variants the
build draws (media.py: AVIF, WebP, JPEG, with `srcset`, `sizes`, `width`, `height`) and
`<figcaption>` with the caption and the credit.

This runs on the sanitizer's output (sanitize.py), never before it: the figure's markup
is ours, written here with lxml; only the caption's and the credit's text, and the alt
text, come from the page, and they are the sanitized page's text (the caption's inline
markup, already sanitized, is kept as it is). The feeds keep the plain image.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..content.reader import Article
from .lint import image_sources
from .media import LeadImage, SIZES, plan_image

_WRAPPER = "div"


def figure_images(articles: Iterable[Article], content_dir: Path, published: Iterable[str]) -> dict[str, LeadImage]:
    """The variants to draw of every image in content/ that an article's body shows, by
    src_uri (the inventory checked each; a missing one is the lint's broken-link warning)."""
    accepted = {src for src in published if not src.endswith(".md")}
    planned: dict[str, LeadImage] = {}
    for article in articles:
        for src_uri in image_sources(article):
            if src_uri in accepted and src_uri not in planned:
                try:
                    planned[src_uri] = plan_image(src_uri, content_dir / src_uri, "", None)
                except (OSError, ValueError):
                    continue  # changed since the inventory checked it: shown as a plain image
    return planned


def with_figures(html: str, page_url: str, images: Mapping[str, LeadImage]) -> str:
    """The page's converted, sanitized `html` with each image paragraph made a figure
    (module docstring); unchanged if it has none. `page_url` is the page's site-relative
    URL (`articles/x/`): MkDocs has made the images' paths relative to it."""
    if not images or "<img" not in html:
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent=_WRAPPER)
    changed = False
    for paragraph in list(wrapper.iter("p")):
        found = _figure_parts(paragraph)
        if found is None:
            continue
        image, caption = found
        src_uri = _src_uri(image.get("src", ""), page_url)
        lead = images.get(src_uri) if src_uri else None
        if lead is None:
            continue
        paragraph.getparent().replace(paragraph, _figure(image, caption, lead, page_url))
        changed = True
    if not changed:
        return html
    serialized = lxml.html.tostring(wrapper, encoding="unicode")
    return serialized[len(f"<{_WRAPPER}>"):-len(f"</{_WRAPPER}>")]


def _figure_parts(paragraph) -> tuple[etree._Element, etree._Element | None] | None:
    """(img, a figcaption or None) if `paragraph` holds an image alone, or an image and,
    on the next line, emphasis first (the caption) then any text (the credit); else None."""
    children = list(paragraph)
    if not children or children[0].tag != "img" or (paragraph.text or "").strip():
        return None
    image, rest = children[0], children[1:]
    # A line ended with two spaces or a backslash leaves a <br> between the two lines.
    if rest and rest[0].tag == "br" and not (image.tail or "").strip():
        rest = rest[1:]
        if (children[1].tail or "").strip():
            return None
    if not rest:
        return (image, None) if not (image.tail or "").strip() else None
    if rest[0].tag != "em" or (image.tail or "").strip():
        return None
    caption = etree.Element("figcaption")
    caption.append(_copy_without_tail(rest[0]))
    credit = (rest[0].tail or "").strip()
    if credit or rest[1:]:
        span = etree.SubElement(caption, "span", {"class": "ifg-credit"})
        span.text = credit
        for child in rest[1:]:
            span.append(copy.deepcopy(child))
    return image, caption


def _copy_without_tail(element):
    duplicate = copy.deepcopy(element)
    duplicate.tail = None
    return duplicate


def _src_uri(src: str, page_url: str) -> str | None:
    """The file in content/ an image at `src` on the page at `page_url` shows."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path or src.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(page_url, unquote(parts.path)))


def _figure(image, caption, lead: LeadImage, page_url: str):
    def url(path: str) -> str:
        return posixpath.relpath(path, page_url.rstrip("/") or ".")

    def srcset(mime: str) -> str:
        return ", ".join(f"{url(v.path)} {v.width}w" for v in lead.srcset(mime))

    figure = etree.Element("figure", {"class": "ifg-figure"})
    picture = etree.SubElement(figure, "picture")
    for mime in lead.types[:-1]:
        etree.SubElement(picture, "source", {"type": mime, "srcset": srcset(mime), "sizes": SIZES})
    etree.SubElement(picture, "img", {
        "src": url(lead.fallback.path), "srcset": srcset(lead.types[-1]), "sizes": SIZES,
        "width": str(lead.width), "height": str(lead.height), "alt": image.get("alt", ""),
        "loading": "lazy", "decoding": "async",
    })
    if caption is not None:
        figure.append(caption)
    return figure
