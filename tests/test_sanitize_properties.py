"""Property tests of the output sanitizer (`generator.markdown.sanitize.sanitize`, issue 25): whatever
Markdown or HTML goes in, what comes out holds nothing live once a browser parses it
(HTML5 tree building with scripting on): no script, no active element, no event handler,
no style, no script or data URL, no Pagefind mark, no SVG animation of a link; an iframe
only from the exact allow_html prefix and without srcdoc. The same holds after the output
is parsed, written out and parsed again (mutation XSS), and sanitizing twice changes
nothing more.

Written against the interface the sanitizer's branch provides; until it is merged, every
test here fails on the missing module (on purpose: nothing is skipped).
"""

from __future__ import annotations

import importlib
import os

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.policy import Allowance
from hostilekit import live, parse_fragment
from sitekit import REPO

EMBED = Allowance("iframe", "https://www.youtube-nocookie.com/embed/")
SETTINGS = settings(max_examples=int(os.environ.get("IFG_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def sanitize():
    """The sanitizer; an ImportError here means its branch is not merged yet."""
    return importlib.import_module("generator.markdown.sanitize").sanitize


@pytest.fixture(scope="module")
def convert():
    """Markdown to HTML exactly as the site's pages are converted (the repository's mkdocs.yml)."""
    from generator.mkdocs import config

    _, site_settings, _ = config.load(REPO)
    return site_settings.markdown.converter()


# Strategies: tags, attributes and URLs as attacks spell them


TAGS = ["script", "img", "a", "svg", "math", "iframe", "style", "xmp", "noscript", "noembed", "noframes",
        "plaintext", "textarea", "title", "template", "form", "input", "button", "object", "embed", "base",
        "meta", "link", "set", "animate", "mglyph", "mtext", "mi", "maction", "annotation-xml", "table", "td",
        "select", "option", "p", "div", "span", "em", "details", "video", "source", "image", "use",
        "foreignObject", "desc", "frameset", "frame", "portal", "x-custom", "SCRIPT", "Svg", "area", "map"]
ATTRIBUTES = ["onerror", "onload", "onclick", "ONMOUSEOVER", "onbegin", "ontoggle", "onfocus", "href", "src",
              "xlink:href", "srcdoc", "style", "data", "action", "formaction", "to", "values", "from",
              "attributeName", "title", "id", "class", "data-pagefind-filter", "data-pagefind-meta", "srcset",
              "poster", "http-equiv", "content", "type", "background", "autofocus", "open", "alt"]
SCHEMES = ["javascript", "JaVaScRiPt", "vbscript", "data", "https", "http", "mailto"]
PAYLOADS = ["alert(1)", "text/html,<script>alert(1)</script>", "//evil.example/", "x"]
BREAKOUTS = ['"><script>alert(1)</script>', "'><img src=x onerror=alert(1)>", "</noscript><img src=x onerror=alert(1)>",
             "</style><img src=x onerror=alert(1)>", "</xmp><script>alert(1)</script>", "--><svg onload=alert(1)>",
             "]]><img src=x onerror=alert(1)>", "0;url=javascript:alert(1)", "href", "position:fixed"]
MANGLES = ["", "&#x09;", "\t", "\n", "&Tab;", "&NewLine;", "&#0;", "%0a", " ", "&#1;"]


@st.composite
def urls(draw) -> str:
    """A URL whose scheme is spelled the ways browsers still read: entities, blanks and
    controls inside it, leading blanks, an encoded first letter or colon."""
    scheme = draw(st.sampled_from(SCHEMES))
    at = draw(st.integers(0, len(scheme)))
    scheme = scheme[:at] + draw(st.sampled_from(MANGLES)) + scheme[at:]
    if draw(st.booleans()) and scheme:
        scheme = draw(st.sampled_from([f"&#{ord(scheme[0])};", f"&#x{ord(scheme[0]):X};", f"&#{ord(scheme[0]):07d}"])) \
            + scheme[1:]
    colon = draw(st.sampled_from([":", ":", "&colon;", "&#58;", "&#x3a;"]))
    lead = draw(st.sampled_from(["", "", " ", "\x01", "&#32;", "\n"]))
    return lead + scheme + colon + draw(st.sampled_from(PAYLOADS))


values = st.one_of(urls(), st.sampled_from(BREAKOUTS), st.text(max_size=8))


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    value = draw(values)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote:
        value = value.replace(" ", "").replace(">", "") or "x"
    elif quote in value:
        value = value.replace(quote, "&quot;" if quote == '"' else "&#39;")
    separator = draw(st.sampled_from([" ", "/", "\n", " \t"]))
    return f"{separator}{name}={quote}{value}{quote}"


TEXTS = ["x", "<!--", "-->", "<![CDATA[", "]]>", "</style>", "</xmp>", "</noscript>", "`", "\\`", "&lt;script&gt;",
         "<", ">", '"', "'", "<!-->", "</title>", "</textarea>", "<?", "&amp;", "alert(1)"]


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        attributes = "".join(draw(st.lists(attribute(), max_size=3)))
        inner = "".join(draw(st.lists(children, max_size=3)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{tag} >"]))
        return f"<{tag}{attributes}>{inner}{close}"

    return build()


html_fragments = st.recursive(st.sampled_from(TEXTS), element, max_leaves=12)

MARKDOWN_BLOCKS = [
    "[x](URL)", "![x](URL)", "<URL>", "[x][r]\n\n[r]: URL", "[x][r]\n\n[r]:\n    URL", "[x](https://example.org/ \"t\\\" onclick=\\\"alert(1)\")",
    "Text.\n{: ATTR }", "## Heading HTML", "## Heading {: ATTR }", "> [!TIP]\n> HTML", "- [ ] HTML", "- [x] item {: ATTR }",
    "| a | b |\n| :- | -: |\n| HTML | c |", "Text[^1].\n\n[^1]: HTML", "\\`HTML\\`", "`` HTML `", ":HTML:", "~~HTML~~",
    "```\ncode\n``\n\nHTML", "    HTML", "HTML",
]


@st.composite
def markdown_documents(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        block = draw(st.sampled_from(MARKDOWN_BLOCKS))
        block = block.replace("URL", draw(urls()).replace("\n", "")).replace("HTML", draw(html_fragments))
        block = block.replace("ATTR", draw(attribute()).strip())
        blocks.append(block)
    return draw(st.sampled_from(["\n\n", "\n"])).join(blocks) + "\n"


def nothing_live(html: str) -> list[str]:
    return [str(finding) for finding in live(parse_fragment(html), allowed_frames=(EMBED.src_prefix,))]


def reparsed(html: str) -> str:
    """The sanitized HTML as a browser's DOM would write it back (innerHTML), for mutation XSS."""
    fragment = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False) \
        .parseFragment(html, scripting=True)
    return html5lib.serializer.HTMLSerializer(quote_attr_values="always", omit_optional_tags=False).render(
        html5lib.getTreeWalker("etree")(fragment))


# The properties


@SETTINGS
@given(document=markdown_documents())
def test_markdown_converted_and_sanitized_holds_nothing_live(convert, sanitize, document):
    output = sanitize(convert(document), allow=[EMBED])
    assert nothing_live(output) == [], output


@SETTINGS
@given(fragment=html_fragments)
def test_any_html_sanitized_holds_nothing_live(sanitize, fragment):
    output = sanitize(fragment, allow=[EMBED])
    assert nothing_live(output) == [], output


@SETTINGS
@given(fragment=html_fragments)
def test_sanitized_html_stays_inert_when_a_browser_writes_it_back_and_reads_it_again(sanitize, fragment):
    output = sanitize(fragment, allow=[EMBED])
    assert nothing_live(reparsed(output)) == [], output


@SETTINGS
@given(fragment=html_fragments)
def test_sanitizing_twice_changes_nothing_more(sanitize, fragment):
    once = sanitize(fragment, allow=[EMBED])
    assert sanitize(once, allow=[EMBED]) == once


@SETTINGS
@given(source=urls(), srcdoc=st.booleans())
def test_an_iframe_stays_only_from_the_exact_allowed_prefix(sanitize, source, srcdoc):
    fragment = f'<iframe src="https://www.youtube-nocookie.com/embed/{source}"' \
               f'{" srcdoc=" + chr(34) + "&lt;script&gt;alert(1)&lt;/script&gt;" + chr(34) if srcdoc else ""}></iframe>' \
               f'<iframe src="{source}"></iframe>'
    output = sanitize(fragment, allow=[EMBED])
    assert nothing_live(output) == [], output
    assert "srcdoc" not in output


def test_without_an_allowance_no_iframe_survives(sanitize):
    output = sanitize('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>')
    assert "<iframe" not in output
