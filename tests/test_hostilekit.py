"""The yardstick of the hostile corpus and the sanitizer's property tests: what hostilekit
calls live in markup, read as a browser with JavaScript on reads it."""

import pytest

from hostilekit import live, parse_document, parse_fragment, signature, url_scheme

EMBED = "https://www.youtube-nocookie.com/embed/"


def found(html: str) -> list[str]:
    return [finding.what for finding in live(parse_fragment(html), allowed_frames=(EMBED,))]


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',  # only with scripting on
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#1;javascript:alert(1)">x</a>',
    '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><input name=a></form>',
    '<input type="password">',
    '<p style="position:fixed">x</p>',
    '<p data-pagefind-filter="author:Evil">x</p>',
    '<img srcset="https://a.example/x.png 1x, javascript:alert(1) 2x">',
    '<iframe src="https://evil.example/"></iframe>',
    f'<iframe src="{EMBED}x" srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/../../x"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/%2e%2e/x"></iframe>',
    '<base href="https://evil.example/">',
    '<object data="https://evil.example/x"></object>',
])
def test_live_markup_is_found(html):
    assert found(html) != []


@pytest.mark.parametrize("html", [
    "<p>Plain <em>text</em> with <a href=\"https://example.org/\">a link</a>.</p>",
    '<a href="j   avascript:alert(1)">spaces make it a relative URL</a>',
    '<p title="javascript:alert(1)">a title is text</p>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    f'<iframe src="{EMBED}abc" title="A video"></iframe>',
    '<ul><li><input type="checkbox" disabled aria-label="Done"> Done</li></ul>',
    '<a href="//evil.example/">not live</a>',
])
def test_inert_markup_passes(html):
    assert found(html) == []


def test_the_theme_s_own_markup_is_not_live_when_the_baseline_holds_it():
    page = ('<html><head><meta http-equiv="Content-Security-Policy" content="x"><script src="a.js"></script>'
            '<script>var theme = 1;</script></head><body><form class="search"></form>'
            '<p data-pagefind-body>x</p></body></html>')
    tree = parse_document(page)
    assert live(tree, signature(tree)) == []
    assert [f.what for f in live(parse_document(page.replace("var theme = 1;", "alert(1)")), signature(tree))] \
        == ["<script> the theme does not write"]


def test_url_schemes_are_read_as_the_url_standard_reads_them():
    assert url_scheme("\tJava\nScript:x") == "javascript"
    assert url_scheme("\x01 data:text/html,x") == "data"
    assert url_scheme("https://example.org/javascript:x") == "https"
    assert url_scheme("java script:x") is None
