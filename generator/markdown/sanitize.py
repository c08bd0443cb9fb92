"""The output sanitizer: only the HTML our Markdown extensions write reaches a reader.

Every page's converted Markdown passes through `sanitize` last (mdext.py registers it as
Python-Markdown's last postprocessor), so the build, its worker processes, the build
cache, the feeds, the search index and `check` all see the same, allow-listed HTML,
whatever the source lint (policy.py) thought of the Markdown.

The allow-list is written from what the extensions in mkdocs.yml produce: heading ids
and permalinks (toc), footnotes, tables (alignment as classes: mdext.py maps Python-
Markdown's `style` to them first), lists that start at a number, highlighted code,
struck text, task lists with their boxes' names, GitHub alerts, bare links, lazy images.
Everything else is dropped: other elements (their text kept, the content of script-like
ones dropped), event handlers, `style`, every `data-*` (Pagefind's included), classes
not on the list, URLs but http, https, mailto, tel and relative ones, and an image's
`src` unless it is relative (the site's own file). An `allow_html`
allowance keeps one element (an iframe) whose `src`, normalized, starts with its prefix.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib.metadata import version

import nh3
from pygments.token import STANDARD_TYPES

from ..content.policy import Allowance, normalized_url

# Raise RULES whenever the allow-list or the rules below change: cached pages made with
# the old ones are not reused (VERSION is in the build cache's key).
RULES = 5
VERSION = f"{RULES} nh3 {version('nh3')}"

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TAGS = frozenset(_HEADINGS | {
    # Blocks
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "hr", "br",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary", "figure", "figcaption",
    # Inline
    "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "sup", "sub", "span", "code", "kbd", "samp", "var",
    "mark", "abbr", "small", "q", "cite", "dfn", "time", "wbr", "bdi", "bdo", "ruby", "rt", "rp", "img",
    # Task lists: a disabled check box and its label
    "input", "label",
})
# Dropped with what they hold, not only their tags: their text is code or markup, not prose.
CONTENT_DROPPED = frozenset({"script", "style", "template", "xmp", "noscript", "noembed", "noframes", "plaintext",
                             "textarea", "select", "option", "title", "svg", "math", "object", "iframe",
                             "frame", "frameset", "applet"})
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "target", "rel"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "input": {"checked", "aria-label"},
    "time": {"datetime"},
    "details": {"open"},
}
# Attributes kept only with one of these values.
VALUES = {
    "div": {"role": {"note"}},  # GitHub alerts (gfm.py)
    "img": {"loading": {"lazy"}, "decoding": {"async"}},  # mdext.py
    "input": {"type": {"checkbox"}},
}
# Every task-list box is a disabled check box, whatever the HTML said: no form fields.
FORCED = {"input": {"type": "checkbox", "disabled": ""}}
IFRAME_ATTRIBUTES = {"src", "title", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"}
# What a permitted embed may be granted (a video player's needs, as YouTube's and Vimeo's
# embed codes ask): never the camera, microphone, location, screen capture or payments.
IFRAME_FEATURES = frozenset({"accelerometer", "autoplay", "clipboard-write", "encrypted-media", "fullscreen",
                             "gyroscope", "picture-in-picture", "web-share"})
# Never the page's full address to the embed's site (unsafe-url), nor over plain http.
IFRAME_REFERRER_POLICIES = frozenset({"no-referrer", "origin", "strict-origin", "strict-origin-when-cross-origin",
                                      "same-origin"})
# A permitted embed runs scripts in its own (other) origin, may go full screen and open a
# link in a new tab, but cannot navigate this page, submit forms or open dialogs over it.
# YouTube's and Vimeo's players work with these.
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"

ALIGNMENT_CLASSES = {"left": "ifg-align-left", "center": "ifg-align-center", "right": "ifg-align-right"}
_CODE_CLASSES = {name for name in STANDARD_TYPES.values() if name} | {
    "highlight", "highlighttable", "linenos", "linenodiv", "normal", "special", "hll", "filename", "code",
}
_ALERTS = {"note", "tip", "important", "warning", "caution"}
CLASSES = {
    "a": {"headerlink", "footnote-ref", "footnote-backref", "magiclink"},
    "div": {"footnote", "admonition", "highlight", "linenodiv"} | _ALERTS,
    "p": {"admonition-title"},
    "ul": {"task-list"},
    "li": {"task-list-item"},
    "table": {"highlighttable"},
    "th": set(ALIGNMENT_CLASSES.values()) | {"filename"},
    "td": set(ALIGNMENT_CLASSES.values()) | {"linenos", "code"},
    # A fact's and a chart's placeholders (mdext.py), filled in after the cache.
    "span": _CODE_CLASSES | {"ifg-fact", "ifg-chart"},
    "code": _CODE_CLASSES,
    "pre": _CODE_CLASSES,
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_RELS = frozenset({"noopener", "noreferrer", "nofollow"})

# The ids the theme gives its own elements (Material's `__drawer`, ours `ifg-...`):
# content that took one would break the page's controls.
_RESERVED_ID = re.compile(r"^(?:_|ifg-)")
_UNSAFE_ID = re.compile(r"[\s\"'<>&`]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BLANK_ENDS = re.compile(r"^[\s\x00-\x20]+|[\s\x00-\x20]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_id(value: str) -> bool:
    return bool(value) and not _RESERVED_ID.match(value) and not _UNSAFE_ID.search(value)


def _as_read(url: str) -> str:
    """`url` as the most lenient of its readers takes it: a browser drops tabs and newlines
    and trims controls and spaces; the feeds' link resolver (lxml, Python's `str.strip`)
    also trims Unicode spaces (no-break, ideographic, line separator), so that
    `&nbsp;javascript:` is a relative link on the page and a script in the feeds."""
    return _BLANK_ENDS.sub("", re.sub(r"[\t\n\r]", "", url)).replace("\\", "/")


def local_src(value: str) -> bool:
    """Whether an image at `value` is the site's own: a relative URL, as its readers take it
    (`_as_read`), with no scheme and no host. An image from elsewhere is a request to a
    third party from every reader's browser and feed reader: the site makes none."""
    url = _as_read(value)
    return not url.startswith("//") and not _SCHEME.match(url)


def _safe_link(value: str) -> bool:
    """Whether a link's URL has no scheme, or an allowed one, however it is read; and no
    control character (a browser reads it as part of a relative URL, the feeds' XML
    cannot hold it at all)."""
    if _CONTROL.search(value):
        return False
    scheme = _SCHEME.match(_as_read(value))
    return scheme is None or scheme.group(0)[:-1].lower() in URL_SCHEMES


def permitted_src(value: str, allow: Sequence[Allowance], element: str) -> str | None:
    """`value` as the browser will load it, if an allowance for `element` has its prefix."""
    normalized = normalized_url(value)
    if normalized is not None and any(allowance.permits(element, {"src": value}) for allowance in allow):
        return normalized
    return None


def _attribute_filter(allow: tuple[Allowance, ...]):
    def keep(element: str, attribute: str, value: str) -> str | None:
        if (element, attribute) in (("a", "href"), ("img", "src"), ("iframe", "src")) and not _safe_link(value):
            return None
        if attribute == "id":
            return value if safe_id(value) else None
        if element == "a" and attribute == "href" and value.startswith("#"):
            return value if safe_id(value[1:]) or value == "#" else None  # a permalink to a dropped id
        if element == "a" and attribute == "target":
            return value if value == "_blank" else None
        if element == "a" and attribute == "rel":
            rels = [rel for rel in value.lower().split() if rel in LINK_RELS]
            return " ".join(rels) or None
        if element == "img" and attribute == "src":
            return value if local_src(value) else None
        if element == "iframe" and attribute == "src":
            return permitted_src(value, allow, "iframe")
        if element == "iframe" and attribute == "allow":
            features = [item.strip() for item in value.split(";")]
            return "; ".join(item for item in features if item.split(" ")[0].lower() in IFRAME_FEATURES) or None
        if element == "iframe" and attribute == "referrerpolicy":
            return value if value.strip().lower() in IFRAME_REFERRER_POLICIES else None
        return value
    return keep


@functools.lru_cache(maxsize=8)
def _cleaner(allow: tuple[Allowance, ...]) -> nh3.Cleaner:
    tags = set(TAGS)
    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    forced = {tag: dict(values) for tag, values in FORCED.items()}
    content_dropped = set(CONTENT_DROPPED)
    if any(allowance.element == "iframe" for allowance in allow):
        tags.add("iframe")
        content_dropped.discard("iframe")
        attributes["iframe"] = set(IFRAME_ATTRIBUTES)
        forced["iframe"] = {"sandbox": IFRAME_SANDBOX}
    return nh3.Cleaner(
        tags=tags, clean_content_tags=content_dropped, attributes=attributes,
        attribute_filter=_attribute_filter(allow), strip_comments=True, link_rel=None,
        tag_attribute_values=VALUES, set_tag_attribute_values=forced, url_schemes=set(URL_SCHEMES),
        allowed_classes=CLASSES,
    )


# A start tag as nh3 writes it: each value double-quoted, with `"` escaped inside it.
_ATTRIBUTES = r'(?:\s[^\s"=>]+(?:="[^"]*")?)*'
_LINK_TAG = re.compile(rf'<a{_ATTRIBUTES}>')
_REL = re.compile(r'\srel="([^"]*)"')
_IFRAME = re.compile(rf'(<iframe{_ATTRIBUTES}>).*?</iframe>', re.DOTALL)


def _new_tab_links(match: re.Match[str]) -> str:
    """A link opening a new tab cannot reach back into ours: rel noopener noreferrer."""
    tag = match.group(0)
    if ' target="_blank"' not in tag:
        return tag
    rel = _REL.search(tag)
    if rel is None:
        return tag[:-1] + ' rel="noopener noreferrer">'
    values = set(rel.group(1).split()) | {"noopener", "noreferrer"}
    return tag[:rel.start()] + f' rel="{" ".join(sorted(values))}"' + tag[rel.end():]


def _framed(match: re.Match[str]) -> str:
    tag = match.group(1)
    return f"{tag}</iframe>" if ' src="' in tag else ""


_INPUT_TAG = re.compile(r"<input((?: [a-z-]+(?:=\"[^\"]*\")?)*)>")
_ATTRIBUTE = re.compile(r" [a-z-]+(?:=\"[^\"]*\")?")


def _sorted_attributes(match: re.Match) -> str:
    return "<input" + "".join(sorted(_ATTRIBUTE.findall(match.group(1)))) + ">"


def sanitize(html: str, allow: Sequence[Allowance] = ()) -> str:
    """`html` with only the allow-listed elements, attributes, classes and URLs left."""
    if "<" not in html:  # text alone (most headings, which `toc` passes here one by one)
        return html
    clean = _cleaner(tuple(allow)).clean(html)
    # nh3 writes attributes double-quoted with `"` escaped, so these patterns see whole tags.
    if 'target="_blank"' in clean:
        clean = _LINK_TAG.sub(_new_tab_links, clean)
    if "<p></p>" in clean:
        # Python-Markdown wraps a block in a step's paragraph (`<p>Step:<div>...</div></p>`);
        # parsed as a browser does, that leaves an empty paragraph after it, which shows as
        # nothing and only makes the page differ from GitHub's structure.
        clean = clean.replace("<p></p>", "")
    if "<input" in clean:
        # nh3 adds the forced attributes after the kept ones, so a box written by our
        # Markdown and the same box sanitized again would differ: one order for both.
        clean = _INPUT_TAG.sub(_sorted_attributes, clean)
    if "<iframe" in clean:
        # An iframe whose src was refused would show an empty frame; what an iframe
        # holds is never shown by a browser that shows the frame.
        clean = _IFRAME.sub(_framed, clean)
    return clean
