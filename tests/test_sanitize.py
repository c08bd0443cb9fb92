"""The output sanitizer: what our Markdown extensions write survives it, every attack class
does not, an allow_html embed is kept only under its exact normalized prefix, and `check`
warns at the line where the sanitizer would change what an editor wrote."""

from __future__ import annotations

import functools
import re
import textwrap

import nh3
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator.markdown import mdext, sanitize
from generator.markdown.settings import MarkdownSettings
from generator.mkdocs.config import InvalidConfig, load
from generator.content.policy import Allowance, check_markdown, mask_code, normalized_url, prefix_problem
from generator.markdown.rewrites import Rewrites
from sitekit import REPO, mkdocs_yml

YOUTUBE = Allowance("iframe", "https://www.youtube-nocookie.com/embed/")


@functools.cache
def site_markdown() -> MarkdownSettings:
    """The repository's Markdown settings, as `check` converts with them (sanitizer included)."""
    return load(REPO)[1].markdown


def convert(text: str) -> BeautifulSoup:
    return BeautifulSoup(site_markdown().converter()(textwrap.dedent(text)), "html.parser")


def classes(element) -> list[str]:
    return element.get("class") or []


# What each extension in mkdocs.yml writes, as a reader needs it.


def test_headings_keep_their_ids_and_a_section_link_reaches_them():
    html = convert("""
        ## Pay & benefits

        ## Custom {#my-id}

        See [pay](#pay--benefits).
    """)
    first, second = html.find_all("h2")
    assert first["id"] == "pay--benefits" and second["id"] == "my-id"
    assert first.find("a", class_="headerlink")["href"] == "#pay--benefits"
    assert html.find("a", string="pay")["href"] == "#pay--benefits"


def test_alerts_keep_their_classes_role_and_title():
    html = convert("""
        > [!TIP]
        > A tip.

        > [!CAUTION]
        > Careful.
    """)
    tip, caution = html.find_all("div", role="note")
    assert classes(tip) == ["admonition", "tip"] and classes(caution) == ["admonition", "caution"]
    assert tip.find("p", class_="admonition-title").get_text() == "Tip"


def test_task_list_boxes_are_disabled_checkboxes_named_by_their_item():
    html = convert("""
        - [x] Sign the *offer*
        - [ ] Ask about pay
    """)
    assert classes(html.find("ul")) == ["task-list"]
    done, todo = html.find_all("input")
    assert classes(done.parent) == ["task-list-item"]
    assert (done["type"], done["aria-label"], done.has_attr("checked"), done.has_attr("disabled")) == \
        ("checkbox", "Sign the offer", True, True)
    assert (todo["aria-label"], todo.has_attr("checked")) == ("Ask about pay", False)


def test_footnotes_link_both_ways():
    html = convert("""
        A claim.[^1]

        [^1]: The source.
    """)
    reference = html.find("sup", id="fnref:1").find("a")
    assert classes(reference) == ["footnote-ref"] and reference["href"] == "#fn:1"
    note = html.find("div", class_="footnote").find("li", id="fn:1")
    back = note.find("a", class_="footnote-backref")
    assert back["href"] == "#fnref:1" and back.get_text() == "\u21a9"


def test_table_alignment_becomes_classes_and_no_style_is_left():
    html = convert("""
        | Left | Centre | Right | None |
        |:-----|:------:|------:|------|
        | a    | b      | c     | d    |
    """)
    cells = html.find("tbody").find_all("td")
    assert [classes(cell) for cell in cells] == [["ifg-align-left"], ["ifg-align-center"], ["ifg-align-right"], []]
    assert not html.find_all(style=True)
    css = (REPO / "theme/assets/ifg/site.css").read_text()
    assert all(f".{name}" in css for name in sanitize.ALIGNMENT_CLASSES.values())


def test_code_keeps_its_highlighting_classes():
    html = convert("""
        ```python
        print("hi")
        ```
    """)
    block = html.find("div", class_="highlight")
    assert block.find("code") is not None
    assert {tuple(classes(span)) for span in block.find_all("span") if classes(span)} >= {("nb",), ("s2",)}


def test_lists_struck_text_links_and_emoji_survive():
    html = convert("""
        3. three
        4. four

        ~~gone~~ at https://example.org/page and :smile: [new tab](https://example.org){: target=_blank }
    """)
    assert html.find("ol")["start"] == "3"
    assert html.find("del").get_text() == "gone"
    assert html.find("a", string="https://example.org/page")["href"] == "https://example.org/page"
    tab = html.find("a", string="new tab")
    assert (tab["target"], tab["rel"]) == ("_blank", ["noopener", "noreferrer"])
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" in html.get_text()


def test_images_keep_their_size_and_lazy_loading(tmp_path):
    Image.new("RGB", (40, 30)).save(tmp_path / "photo.png")
    extension = next(e for e in site_markdown().extensions if isinstance(e, mdext.SafeLinksExtension))
    extension.source_dir = tmp_path
    try:
        html = convert("![A photo](photo.png)\n")
    finally:
        extension.source_dir = None
    image = html.find("img")
    assert (image["src"], image["alt"], image["width"], image["height"], image["loading"], image["decoding"]) == \
        ("photo.png", "A photo", "40", "30", "lazy", "async")


@pytest.mark.parametrize("src", [
    "https://evil.example/pixel.png", "HTTP://evil.example/x.png", "//evil.example/x.png", "/\t/evil.example/x.png",
    "\\\\evil.example\\x.png", " https://evil.example/x.png", "&#x2f;/evil.example/x.png", "data:image/png;base64,AA==",
])
def test_an_image_from_another_site_loses_its_src(src):
    # A reader's browser or feed reader would ask that site for it: no third-party requests.
    image = BeautifulSoup(sanitize.sanitize(f'<img src="{src}" alt="A tracker">'), "html.parser").find("img")
    assert image.get("src") is None and image["alt"] == "A tracker"


@pytest.mark.parametrize("html", [
    # a relative link on the page; lxml (the feeds' link resolver) trims Unicode spaces and
    # wrote href="javascript:alert(1)" into all three feeds
    '<a href="&nbsp;javascript:alert(1)">x</a>', '<a href="&#x3000;javascript:alert(1)">x</a>',
    '<a href="&#x2028;javascript:alert(1)">x</a>', '<a href="\u0085vbscript:msgbox(1)">x</a>',
    '<img src="&nbsp;//evil.example/x.png" alt="x">',
    # a control character the feeds' XML cannot hold: the build crashed with a traceback
    '<a href="a&#x0c;b">x</a>', '<a href="#a&#x01;b">x</a>', '<img src="a&#x0b;.png" alt="x">',
])
def test_a_url_is_judged_as_its_most_lenient_reader_takes_it(html):
    from generator.site.feeds import absolute_links
    clean = sanitize.sanitize(html)
    element = BeautifulSoup(clean, "html.parser").find(["a", "img"])
    assert element.get("href") is None and element.get("src") is None
    assert "javascript" not in absolute_links(clean, "https://example.org/guide/a/")


def test_an_image_of_the_site_keeps_its_src():
    for src in ("photo.png", "../files/photo.png", "/guide/files/photo.png", "photo.png?v=1#x"):
        assert BeautifulSoup(sanitize.sanitize(f'<img src="{src}" alt="A">'), "html.parser").find("img")["src"] == src


def test_an_image_from_another_site_is_warned_at_its_line():
    assert warnings_for("""
        Intro.

        ![A tracker](https://evil.example/pixel.png)
    """) == [(15, 14, "the published page will not have src='https://evil.example/pixel.png' on <img>")]


def test_the_sanitizer_changes_nothing_in_what_our_extensions_write():
    text = (REPO / "content/articles").glob("*.md")
    for path in sorted(text):
        body = path.read_text(encoding="utf-8")
        assert Rewrites(site_markdown()).warnings(body, mask_code(body), 1, str(path)) == [], path


def test_the_table_of_contents_has_safe_titles_and_ids():
    md = site_markdown().markdown()
    md.convert('## A <img src=x onerror="alert(1)"> <b>bold</b> title\n\n## Drawer {#__drawer}\n')
    first, second = md.toc_tokens
    assert "<" not in first["name"] and "onerror" not in first["name"]
    assert first["name"] == "A bold title"
    assert second["id"] == ""  # the theme's own id: the heading loses it, the link goes to the top


# Every attack class: nothing live is left.

ATTACKS = [
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)" onmouseover=alert(1)>x</p>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div data-pagefind-filter="author:Evil" data-pagefind-meta="title:x">x</div>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#x6A;ava&#x09;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    '<form action="javascript:alert(1)"><input type="password" name="p"><button formaction="javascript:alert(1)">Go</button></form>',
    '<input type="text" onfocus="alert(1)" autofocus>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<script>alert(1)</script><style>body{display:none}</style>',
    '<xmp><p title="</xmp><script>alert(1)</script>"></xmp>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<noframes><p title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    '<plaintext><script>alert(1)</script>',
    '<template><script>alert(1)</script></template>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<a href="https://example.org" target="_blank">no rel</a>',
    '<!--<img src=x onerror=alert(1)>-->',
    '<h2 id="__drawer">x</h2><p id="ifg-search-input">y</p>',
    '<iframe src="https://www.youtube-nocookie.com/embed/../../evil"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/%2e%2e/%2E%2E/evil"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/..%2f..%2fevil"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com.evil.example/embed/x"></iframe>',
    '<iframe src="https://user@www.youtube-nocookie.com/embed/x"></iframe>',
]
LIVE_ELEMENTS = {"script", "style", "iframe", "frame", "object", "embed", "form", "button", "select", "textarea",
                 "meta", "base", "link", "svg", "math", "set", "animate", "template", "xmp", "noscript", "noembed",
                 "noframes", "plaintext"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "cite", "to"}


def assert_nothing_live(html: str, allowed_frames: tuple[str, ...] = ()) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if element.name == "iframe":
            assert element["src"].startswith(allowed_frames) and allowed_frames, element
            assert "srcdoc" not in element.attrs
            continue
        assert element.name not in LIVE_ELEMENTS, element
        if element.name == "input":
            assert element["type"] == "checkbox" and element.has_attr("disabled"), element
        if element.name == "a" and element.get("target") == "_blank":
            assert {"noopener", "noreferrer"} <= set(element["rel"]), element
        assert not (element.get("id") or "x").startswith(("_", "ifg-")), element
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name != "style" and not name.startswith("data-"), element
            if name in URL_ATTRIBUTES:
                assert re.match(r"^(https?:|mailto:|tel:|[^:]*$)", value.strip().lower()), element


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_attack_is_neutralized(attack):
    assert_nothing_live(sanitize.sanitize(attack))
    assert_nothing_live(sanitize.sanitize(attack, [YOUTUBE]), allowed_frames=(YOUTUBE.src_prefix,))


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_attack_in_an_article_is_neutralized_by_the_conversion(attack):
    assert_nothing_live(site_markdown().converter()(f"Before.\n\n{attack}\n\nAfter.\n"))


@pytest.mark.parametrize("attributes", [
    '{: onclick="alert(1)" }', '{: style="position:fixed;top:0" }', '{: data-pagefind-filter="x" }',
    '{: #__search }', '{: .md-typeset }',
])
def test_attr_list_cannot_add_what_the_allow_list_lacks(attributes):
    html = site_markdown().converter()(f"A paragraph.\n{attributes}\n\n[link](https://example.org){attributes}\n")
    assert_nothing_live(html)
    soup = BeautifulSoup(html, "html.parser")
    assert all(not element.get("class") for element in soup.find_all(True))


def test_scripts_urls_set_by_attr_list_are_dropped():
    html = site_markdown().converter()('[x](https://example.org){: href="javascript:alert(1)" }\n')
    # Emptied by the safe-links step (MkDocs expects every link to keep an href), never a script.
    assert BeautifulSoup(html, "html.parser").find("a").get("href") in (None, "")


# allow_html: one embed, under its exact normalized prefix.


def test_an_allowed_embed_keeps_its_safe_attributes_and_gets_a_sandbox():
    html = sanitize.sanitize(
        '<iframe src="https://WWW.YouTube-nocookie.com/embed/./abc?rel=0" title="Video" width="560" height="315" '
        'allow="fullscreen" allowfullscreen loading="lazy" srcdoc="<script>x</script>" onload="x" '
        'style="x" name="n">inner</iframe>', [YOUTUBE])
    frame = BeautifulSoup(html, "html.parser").find("iframe")
    assert frame.attrs == {
        "src": "https://www.youtube-nocookie.com/embed/abc?rel=0", "title": "Video", "width": "560", "height": "315",
        "allow": "fullscreen", "allowfullscreen": "", "loading": "lazy", "sandbox": sanitize.IFRAME_SANDBOX.split()}
    assert frame.get_text() == ""


def test_an_allowed_embed_is_granted_a_player_s_features_only():
    # YouTube's own embed code keeps every feature it asks for; the camera, microphone,
    # location and screen capture are never delegated, nor the page's full address.
    youtube = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share"
    for allow, kept in [(youtube, youtube), ("camera; microphone; geolocation; display-capture", None),
                        ("autoplay; camera 'src'; Fullscreen *", "autoplay; Fullscreen *"), ("payment", None)]:
        frame = BeautifulSoup(sanitize.sanitize(
            f'<iframe src="https://www.youtube-nocookie.com/embed/abc" allow="{allow}"></iframe>', [YOUTUBE]),
            "html.parser").find("iframe")
        assert frame.get("allow") == kept
    for policy, kept in [("strict-origin-when-cross-origin", True), ("unsafe-url", False),
                         ("no-referrer-when-downgrade", False), ("no-referrer", True)]:
        frame = BeautifulSoup(sanitize.sanitize(
            f'<iframe src="https://www.youtube-nocookie.com/embed/abc" referrerpolicy="{policy}"></iframe>',
            [YOUTUBE]), "html.parser").find("iframe")
        assert frame.get("referrerpolicy") == (policy if kept else None)


def test_without_an_allowance_no_embed_is_kept():
    assert sanitize.sanitize('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>') == ""


@pytest.mark.parametrize(("url", "normalized"), [
    ("https://www.youtube-nocookie.com/embed/abc", "https://www.youtube-nocookie.com/embed/abc"),
    ("HTTPS://WWW.YOUTUBE-NOCOOKIE.COM/embed/abc", "https://www.youtube-nocookie.com/embed/abc"),
    ("https://www.youtube-nocookie.com/embed/../../evil", "https://www.youtube-nocookie.com/evil"),
    ("https://www.youtube-nocookie.com/embed/%2e%2E/evil", "https://www.youtube-nocookie.com/evil"),
    ("https://www.youtube-nocookie.com/embed/..%2Fevil", "https://www.youtube-nocookie.com/evil"),
    ("https://www.youtube-nocookie.com\\embed\\..\\evil", "https://www.youtube-nocookie.com/evil"),
    ("https://www.you\ntube-nocookie.com/embed/x", "https://www.youtube-nocookie.com/embed/x"),
    ("https://a@www.youtube-nocookie.com/embed/x", None),
    ("javascript:alert(1)", None),
    ("//www.youtube-nocookie.com/embed/x", None),
])
def test_urls_are_normalized_as_a_browser_resolves_them(url, normalized):
    assert normalized_url(url) == normalized


@pytest.mark.parametrize(("prefix", "problem"), [
    ("https://www.youtube-nocookie.com/embed/", None),
    ("http://www.youtube-nocookie.com/embed/", "must be an https:// address"),
    ("https://www.youtube-nocookie.com/embed", "must end with /"),
    ("https://www.youtube-nocookie.com", "is not in its normal form"),
    ("https://WWW.youtube-nocookie.com/embed/", "is not in its normal form"),
    ("https://www.youtube-nocookie.com/x/../embed/", "is not in its normal form"),
    # Cyrillic о: another host, loaded (and admitted by the CSP) as www.xn--yutube-nocookie-8rm.com
    ("https://www.y\u043eutube-nocookie.com/embed/", "write the host as 'www.xn--yutube-nocookie-8rm.com'"),
    ("https://www.youtube-nocookie.com/vid\u00e9o/", "percent-encode its path"),
])
def test_an_allowance_prefix_must_be_a_normalized_https_folder(prefix, problem):
    found = prefix_problem(prefix)
    assert (found is None) if problem is None else (problem in found)


def test_the_lint_and_the_sanitizer_agree_on_an_escaping_embed():
    escaping = '<iframe src="https://www.youtube-nocookie.com/embed/%2e%2e/evil"></iframe>\n'
    assert [e.code for e in check_markdown(escaping, path="a.md", allow=[YOUTUBE])] == ["raw-html"]
    assert sanitize.sanitize(escaping, [YOUTUBE]).strip() == ""
    fine = '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>\n'
    assert check_markdown(fine, path="a.md", allow=[YOUTUBE]) == []


def test_a_bad_allow_html_setting_is_an_error_naming_mkdocs_yml(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(mkdocs_yml({"plugins": [{"field-guide": {"allow_html": [
        {"element": "iframe", "src_prefix": "http://www.youtube-nocookie.com/embed/"}]}}]}))
    with pytest.raises(InvalidConfig) as raised:
        load(tmp_path)
    (problem,) = raised.value.problems
    assert problem.path == "mkdocs.yml" and problem.code == "mkdocs-config"
    assert "must be an https:// address" in problem.message


def test_the_version_names_the_rules_and_nh3():
    assert sanitize.VERSION == f"{sanitize.RULES} nh3 {nh3.__version__}" if hasattr(nh3, "__version__") \
        else sanitize.VERSION.startswith(f"{sanitize.RULES} nh3 ")


# The warning at the line: what the source lint passes and the sanitizer then changes.


def warnings_for(body: str) -> list[tuple[int, int, str]]:
    body = textwrap.dedent(body)
    found = Rewrites(site_markdown()).warnings(body, mask_code(body), 12, "content/articles/a.md")
    assert all(w.code == "sanitized" and w.path == "content/articles/a.md" for w in found)
    return sorted((w.line, w.column, w.message.split(": only")[0]) for w in found)


def test_attributes_set_with_attr_list_that_the_sanitizer_drops_are_warned_at_their_line():
    assert warnings_for("""
        Intro.

        A paragraph.
        {: style="color: red" data-x="1" .shiny }
    """) == [
        (16, 4, "the published page will not have style='color: red' on <p>"),
        (16, 23, "the published page will not have data-x='1' on <p>"),
        (16, 34, "the published page will not have the class 'shiny' on <p>"),
    ]


def test_unknown_elements_and_reserved_ids_are_warned_at_their_line():
    assert warnings_for("""
        Intro.

        <details><summary>More</summary>
        <marquee>Hello</marquee>
        </details>

        ## Search {#__search}
    """) == [
        (16, 1, "the published page will not have the <marquee> element"),
        (19, 12, "the published page will not have href='#__search' on <a>"),
        (19, 12, "the published page will not have id='__search' on <h2>"),
    ]


def test_markdown_the_sanitizer_keeps_is_not_warned():
    assert warnings_for("""
        A [link](https://example.org){: target=_blank } and {braces} in text.

        <details><summary>More</summary>Hidden.</details>

        | a | b |
        |:--|--:|
        | 1 | 2 |
    """) == []


# The build cache never serves a page sanitized under other rules or allowances.


def test_the_cache_keys_change_with_the_allowances_and_the_sanitizer(tmp_path, monkeypatch):
    from generator.mkdocs import cache

    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(mkdocs_yml(markdown=True))
    config = load(tmp_path)[0]
    extensions = list(config.markdown_extensions)
    keys = []
    for allow in ((YOUTUBE,), (), (Allowance("iframe", "https://player.vimeo.com/video/"),)):
        config.markdown_extensions = [*extensions, mdext.SafeLinksExtension(allow_html=allow)]
        keys.append(cache.settings_key(config, "generator"))
    assert None not in keys and len(set(keys)) == 3
    before = cache.generator_version()
    monkeypatch.setattr(sanitize, "VERSION", sanitize.VERSION + " changed")
    assert cache.generator_version() != before
