"""What "nothing live" means for markup a browser will parse, checked with an HTML5 parser.

Shared by the hostile corpus (test_hostile.py), which compares each built page with the
same page built from neutral content, and by the sanitizer's property tests
(test_sanitize_properties.py), which check Markdown converted and sanitized.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import html5lib

UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
# Attributes whose value a browser follows as a URL, SVG's animation values included
# (`<set attributeName=href to="javascript:...">` sets a link's target).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background", "cite",
    "codebase", "longdesc", "lowsrc", "dynsrc", "usemap", "ping", "manifest", "icon", "archive", "classid",
    "to", "from", "values", "by", "srcdoc", "imagesrcset",
})
# Elements content never brings: what runs code, loads or frames another document,
# changes where links go, submits, restyles the page, or sits outside <body>.
ACTIVE_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta", "link",
    "style", "portal", "isindex", "keygen", "param", "noscript", "template",
})
_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees in an attribute value (already entity-decoded by the parser),
    as the URL standard parses it: C0 controls and spaces trimmed from both ends, tabs and
    newlines removed everywhere."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def unsafe_urls(name: str, value: str) -> list[str]:
    """The URLs with a script or data scheme in one attribute's value."""
    if name in ("srcset", "imagesrcset"):
        candidates = [part.strip().split(" ")[0] for part in value.split(",")]
    elif name == "values":
        candidates = value.split(";")
    else:
        candidates = [value]
    return [url for url in candidates if url_scheme(url) in UNSAFE_SCHEMES]


# Elements whose src a browser (or a feed reader) fetches as the page loads: one on another
# host is a request to a third party, which the site promises never to make.
LOADING_ELEMENTS = frozenset({"img", "source", "video", "audio", "track", "image", "input"})


# The test sites' own address (sitekit.mkdocs_yml): the feeds make the site's images absolute.
OWN_SITE = "https://example.org/guide/"
# Permissions Policy features no embed is ever granted.
POWERFUL_FEATURES = frozenset({"camera", "microphone", "geolocation", "display-capture", "payment", "usb", "serial",
                               "bluetooth", "hid", "midi", "screen-wake-lock", "xr-spatial-tracking"})


def remote_urls(name: str, value: str) -> list[str]:
    """The URLs in one attribute's value that name a host (absolute or protocol-relative)."""
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    cleaned = (re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
               for url in candidates)
    return [url for url in cleaned if (url.startswith("//") or url_scheme(url) in ("http", "https"))
            and not url.startswith(OWN_SITE)]


def parse_document(text: str):
    """A page as a browser with JavaScript on builds its tree (HTML5 tree construction, foreign
    content included, <noscript> read as raw text)."""
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False).parse(
        text, scripting=True)


def parse_fragment(text: str):
    """A piece of HTML as a browser parses it inside a <div> (feed items, sanitizer output)."""
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False).parseFragment(
        f"<div>{text}</div>", scripting=True)


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def _attribute_name(name: str) -> str:
    # html5lib names foreign attributes `{namespace}local`; xlink:href is what a reader knows
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1]
    return name.rsplit("}", 1)[-1].lower()


def _serialize(element, limit: int = 600) -> str:
    attributes = " ".join(f'{_attribute_name(k)}="{v}"' for k, v in element.attrib.items())
    text = "".join(element.itertext())[:200]
    return f"<{_local(element.tag)} {attributes}>{text}"[:limit]


@dataclass(frozen=True)
class Finding:
    """One live thing in markup: what it is and the element it was found on."""

    what: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.what}: {self.evidence}"


@dataclass
class Signature:
    """What a page holds of active markup, to compare a hostile page with its neutral twin:
    each active element and each script by (tag, attributes, text)."""

    active: Counter = field(default_factory=Counter)
    pagefind: Counter = field(default_factory=Counter)

    def union(self, other: "Signature") -> "Signature":
        return Signature(self.active | other.active, self.pagefind | other.pagefind)


DATA_BLOCKS = ("application/ld+json", "application/json")


def _key(element) -> tuple:
    """What makes two active elements the same: for a data block (JSON-LD) and a <meta>
    without http-equiv, its kind only, as their text is the page's title and description."""
    attributes = {_attribute_name(k): v for k, v in element.attrib.items()}
    name = _local(element.tag)
    if name == "script" and attributes.get("type", "").lower() in DATA_BLOCKS:
        return name, (("type", attributes["type"].lower()),), ""
    if name == "meta" and attributes.get("http-equiv", "").lower() in ("", "content-security-policy"):
        # the page's own policy is the CSP module's to test; content cannot loosen it
        return name, tuple(sorted((k, v) for k, v in attributes.items() if k != "content")), ""
    if name == "link" and attributes.get("rel") == "canonical":
        return name, (("rel", "canonical"),), ""
    attributes = tuple(sorted(attributes.items()))
    text = "".join(element.itertext()) if _local(element.tag) in ("script", "style") else ""
    return _local(element.tag), attributes, text


def signature(tree) -> Signature:
    found = Signature()
    for element in tree.iter():
        name = _local(element.tag)
        if name in ACTIVE_ELEMENTS:
            found.active[_key(element)] += 1
        for attribute, value in element.attrib.items():
            attribute = _attribute_name(attribute)
            if attribute.startswith("data-pagefind"):
                found.pagefind[(attribute, value)] += 1
    return found


def live(tree, baseline: Signature | None = None, *, allowed_frames: tuple[str, ...] = ()) -> list[Finding]:
    """Everything live in `tree` that `baseline` (the theme's own markup) does not hold:
    scripts, active elements, event handlers, style attributes, script/data URLs, and
    Pagefind marks that would change the search index.

    `allowed_frames` are the exact allow_html prefixes: an <iframe> whose src starts with
    one, after normalization, and that has no srcdoc, is the embed the site allows."""
    baseline = baseline or Signature()
    findings: list[Finding] = []
    theme_active = Counter(baseline.active)
    theme_pagefind = Counter(baseline.pagefind)
    for element in tree.iter():
        name = _local(element.tag)
        if not name:
            continue
        if name in ACTIVE_ELEMENTS:
            key = _key(element)
            if theme_active[key] > 0:
                theme_active[key] -= 1
            elif not (name == "iframe" and _allowed_frame(element, allowed_frames)):
                findings.append(Finding(f"<{name}> the theme does not write", _serialize(element)))
        if name == "input" and element.get("type", "").strip().lower() == "password":
            findings.append(Finding("password field", _serialize(element)))
        for attribute, value in element.attrib.items():
            attribute = _attribute_name(attribute)
            if attribute.startswith("on"):
                findings.append(Finding(f"event handler {attribute}=", _serialize(element)))
            elif attribute == "style":
                findings.append(Finding("style attribute", _serialize(element)))
            elif attribute.startswith("data-pagefind"):
                if theme_pagefind[(attribute, value)] > 0:
                    theme_pagefind[(attribute, value)] -= 1
                else:
                    findings.append(Finding(f"search mark {attribute}=", _serialize(element)))
            elif attribute in URL_ATTRIBUTES and unsafe_urls(attribute, value):
                findings.append(Finding(f"{attribute}= with a {url_scheme(unsafe_urls(attribute, value)[0])}: URL",
                                        _serialize(element)))
            elif name in LOADING_ELEMENTS and attribute in ("src", "srcset", "poster") and remote_urls(attribute, value):
                findings.append(Finding(f"{attribute}= loads from another site", _serialize(element)))
            elif name == "iframe" and attribute == "allow" and POWERFUL_FEATURES & {
                    item.strip().split(" ")[0].lower() for item in value.split(";")}:
                findings.append(Finding("a frame granted the camera, microphone, location or payments",
                                        _serialize(element)))
            elif name == "iframe" and attribute == "referrerpolicy" and value.strip().lower() in (
                    "unsafe-url", "no-referrer-when-downgrade"):
                findings.append(Finding("a frame sent the page's full address", _serialize(element)))
            elif attribute == "attributename" and value.lower().strip() in ("href", "xlink:href", "src"):
                findings.append(Finding(f"SVG animation of {value}", _serialize(element)))
    return findings


def normalized_url(url: str) -> str:
    """A URL as a browser resolves its path: blanks and controls dropped, backslashes made
    slashes, percent-encoded dots decoded, dot segments removed, scheme and host lowercased."""
    cleaned = _CONTROLS.sub("", html.unescape(url)).replace("\\", "/")
    parts = urlsplit(cleaned)
    path = re.sub("%2e", ".", parts.path, flags=re.IGNORECASE)
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/".join(segments), parts.query, ""))


def _allowed_frame(element, prefixes: tuple[str, ...]) -> bool:
    attributes = {_attribute_name(k): v for k, v in element.attrib.items()}
    source = attributes.get("src", "")
    if "srcdoc" in attributes or not source:
        return False
    normalized = normalized_url(source)
    host = urlsplit(normalized).netloc
    # the prefix's own host, whole: "https://a.example" does not admit https://a.example.evil.example/
    return "@" not in host and any(normalized.startswith(prefix) and urlsplit(prefix).netloc.lower() == host
                                   for prefix in prefixes)
