"""The Content-Security-Policy builder (generator/site/csp.py): what it approves and from where."""

import base64
import hashlib

import pytest
from bs4 import BeautifulSoup

from generator.site import csp
from generator.content.policy import Allowance

THEME_SCRIPT = 'var target=document.getElementById(location.hash.slice(1))'
HOSTILE = 'alert(document.cookie)'


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page(body: str, head: str = f"<script>{THEME_SCRIPT}</script>") -> str:
    return f'<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n    {head}\n  </head>\n' \
           f'  <body>{body}</body>\n</html>\n'


def directives(html: str) -> dict[str, list[str]]:
    """The policy of a page as a browser reads it: the CSP meta's directives."""
    soup = BeautifulSoup(html, "html.parser")
    metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1
    return {name: values for name, *values in (d.split() for d in metas[0]["content"].split(";"))}


def test_a_script_in_the_body_of_a_page_is_not_approved_by_its_policy():
    theme = csp.inline_script_hashes(page(""))
    hostile_page = page(f"<p>Hi</p><script>{HOSTILE}</script>"
                        f'<p title="<script>{HOSTILE}</script>">x</p>')
    finished = csp.with_policy(hostile_page, csp.policy(theme, ["'none'"]))
    assert directives(finished)["script-src"] == ["'self'", "'wasm-unsafe-eval'", sha256(THEME_SCRIPT)]
    assert sha256(HOSTILE) not in finished
    assert directives(finished) == directives(csp.with_policy(page(""), csp.policy(theme, ["'none'"])))


def test_the_policy_is_the_same_whatever_the_page_holds():
    policy = csp.policy(csp.inline_script_hashes(page("")), ["'none'"])
    pages = [page(""), page(f"<script>{HOSTILE}</script>"), page("<meta charset=utf-8><script>x()</script>")]
    assert {tuple(directives(csp.with_policy(p, policy))["script-src"]) for p in pages} == \
        {("'self'", "'wasm-unsafe-eval'", sha256(THEME_SCRIPT))}


def test_only_scripts_a_browser_runs_inline_are_hashed_in_order_once_each():
    html = page("", head=(
        '<script>b()</script><script type="module">m()</script><script src="x.js"></script>'
        '<script type="application/json">{"a": 1}</script><script type="application/ld+json">{}</script>'
        '<script type="text/JavaScript">b()</script><script>a()</script>'
        '<div title="<script>t()</script>"></div><!-- <script>c()</script> -->'))
    assert csp.inline_script_hashes(html) == [sha256("b()"), sha256("m()"), sha256("a()")]


def test_a_script_is_hashed_with_its_line_breaks_as_a_browser_reads_them():
    assert csp.script_hash("a()\r\nb()\rc()") == sha256("a()\nb()\nc()")
    assert csp.inline_script_hashes(page("", head="<script>\n  x < y && f('</scr' + 'ipt>')\n</script>")) == \
        [sha256("\n  x < y && f('</scr' + 'ipt>')\n")]


def test_the_policy_keeps_the_base_directives_and_wasm_for_search():
    found = directives(csp.with_policy(page(""), csp.policy([], ["'none'"])))
    assert found == {
        "base-uri": ["'self'"], "connect-src": ["'self'"], "default-src": ["'self'"], "font-src": ["'self'"],
        "form-action": ["'self'"], "frame-src": ["'none'"], "img-src": ["'self'", "data:"],
        "object-src": ["'none'"], "script-src": ["'self'", "'wasm-unsafe-eval'"], "style-src": ["'self'"],
        "worker-src": ["'self'"],
    }
    assert "frame-ancestors" not in found  # not valid in a <meta>


def test_the_policy_sits_right_after_the_charset_before_any_script():
    finished = csp.with_policy(page("", head="<script>a()</script>"), csp.policy([], ["'none'"]))
    head = BeautifulSoup(finished, "html.parser").head
    elements = head.find_all(True)
    assert [e.name for e in elements[:3]] == ["meta", "meta", "script"]
    assert elements[0].get("charset") == "utf-8" and elements[1]["http-equiv"] == "Content-Security-Policy"


def test_a_page_without_a_charset_gets_its_policy_first_not_none():
    html = "<!DOCTYPE html><html><head><script>a()</script></head><body></body></html>"
    finished = csp.with_policy(html, csp.policy([], ["'none'"]))
    assert finished.startswith('<!DOCTYPE html>\n    <meta http-equiv="Content-Security-Policy"')
    assert csp.with_policy("<p>x</p>", "default-src 'self'").startswith('<meta http-equiv="Content-Security-Policy"')


def test_a_charset_written_far_into_the_page_does_not_place_the_policy():
    body = "x" * csp.CHARSET_WITHIN + '<meta charset="utf-8"><script>a()</script>'
    finished = csp.with_policy("<!doctype html><html><head></head><body>" + body, "default-src 'self'")
    assert finished.index("Content-Security-Policy") < finished.index("<body>")


def test_a_policy_with_a_quote_is_refused():
    with pytest.raises(ValueError):
        csp.with_policy(page(""), 'script-src "x"')


@pytest.mark.parametrize("prefix, source", [
    ("https://www.youtube-nocookie.com/embed/", "https://www.youtube-nocookie.com/embed/"),
    # A source path matches only itself unless it ends in `/`: cut after the last `/`.
    ("https://player.vimeo.com/video/12", "https://player.vimeo.com/video/"),
    ("https://example.org", "https://example.org/"),
    # A query ends the path: every URL the prefix permits has exactly this path.
    ("https://example.org/embed?v=", "https://example.org/embed"),
    ("https://Example.ORG:8443/a/", "https://example.org:8443/a/"),
    ("https://example.org/embed/../../admin/", "https://example.org/admin/"),
    ("https://bücher.de/e/", "https://xn--bcher-kva.de/e/"),
    # What would end a directive or the <meta> attribute is escaped.
    ("https://example.org/a;b,c'd\"e&f/", "https://example.org/a%3Bb%2Cc%27d%22e%26f/"),
    ("https://example.org/a%2Fb/%zz/", "https://example.org/a%2Fb/%25zz/"),
])
def test_an_embed_prefix_becomes_the_narrowest_source_that_admits_it(prefix, source):
    assert csp.frame_source(prefix) == source


@pytest.mark.parametrize("prefix", ["http://example.org/", "javascript:alert(1)//example.org/", "https:///x",
                                    "https://user:pw@example.org/", "data:text/html,x", "https://exa mple.org/",
                                    "https://example.org:99999/", "//example.org/"])
def test_a_prefix_that_is_no_https_host_gives_no_source(prefix):
    assert csp.frame_source(prefix) is None


def test_frames_load_only_from_the_iframe_allowances():
    allow = [Allowance("iframe", "https://www.youtube-nocookie.com/embed/"),
             Allowance("iframe", "https://www.youtube-nocookie.com/embed/"),
             Allowance("script", "https://cdn.example.org/"), Allowance("object", "https://example.org/"),
             Allowance("iframe", "http://insecure.example.org/")]
    assert csp.frame_sources(allow) == ["https://www.youtube-nocookie.com/embed/"]
    assert csp.frame_sources([]) == ["'none'"]
    assert csp.frame_sources(allow[2:]) == ["'none'"]
    policy = csp.policy([], csp.frame_sources(allow))
    found = directives(csp.with_policy(page(""), policy))
    assert found["frame-src"] == ["https://www.youtube-nocookie.com/embed/"]
    assert found["object-src"] == ["'none'"] and found["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert "child-src" not in found  # frame-src and worker-src are both set: it would never apply


@pytest.mark.parametrize("prefix", ["https://player.vimeo.com/video/12", "https://example.org/embed/../admin/",
                                    "https://Example.org/embed/"])
def test_a_prefix_the_sanitizer_refuses_opens_no_frame_source(prefix):
    # Not in normal form, or not ending with `/`: Allowance.permits keeps no iframe for it.
    allowance = Allowance("iframe", prefix)
    assert not allowance.permits("iframe", {"src": prefix + "x"})
    assert csp.frame_sources([allowance]) == ["'none'"]


def test_a_layout_that_only_fills_the_content_block_is_not_rendered_again():
    from jinja2 import DictLoader, Environment

    from generator.mkdocs.theme_scripts import distinct_skeletons

    env = Environment(loader=DictLoader({
        "main.html": "<script>a()</script>{% block content %}{% endblock %}{% block scripts %}{% endblock %}",
        "m.html": "{% macro x() %}{% endmacro %}",
        "layouts/fills.html": '{% extends "main.html" %}{% import "m.html" as m with context %}\n'
                              '{% block content %}{{ ifg.article.title }}{% endblock %}\n',
        "layouts/fills-a-filler.html": '{% extends "layouts/fills.html" %}{% block content %}x{% endblock %}',
        "layouts/scripts.html": '{% extends "main.html" %}{% block scripts %}<script>b()</script>{% endblock %}',
        "layouts/sets.html": '{% extends "main.html" %}{% set features = [] %}{% block content %}{% endblock %}',
        "layouts/prints.html": '{% extends "main.html" %}{{ x }}{% block content %}{% endblock %}',
        "layouts/chooses.html": '{% extends parent %}{% block content %}{% endblock %}',
    }))
    names = ["main.html", "layouts/fills.html", "layouts/fills-a-filler.html", "layouts/scripts.html",
             "layouts/sets.html", "layouts/prints.html", "layouts/chooses.html", "layouts/missing.html"]
    assert distinct_skeletons(env, names) == ["main.html", "layouts/scripts.html", "layouts/sets.html",
                                              "layouts/prints.html", "layouts/chooses.html",
                                              "layouts/missing.html"]


@pytest.mark.parametrize("base_url", [".", "..", "../../..", "/internship-field-guide", "/a&b", "ifg-base-url-b1e5d0c3/x"])
def test_the_theme_rendered_once_gives_each_depth_the_scripts_a_render_at_that_depth_gives(tmp_path, base_url):
    from types import SimpleNamespace

    from jinja2 import DictLoader, Environment

    from generator.mkdocs.theme_scripts import ThemeScripts

    env = Environment(autoescape=True, loader=DictLoader({"main.html": (
        '<html><script>s=new URL("{{ config.extra.scope | d(base_url) }}",location)</script>'
        '<script>b="{{ base_url }}/x"</script><script>c=1</script>{% block content %}{% endblock %}</html>')}))
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[str(tmp_path)], static_templates=[]), extra={})
    scripts = ThemeScripts(env, config, ())
    context = {"base_url": base_url, "config": config}
    rendered = list(dict.fromkeys(csp.script_hash(text) for text in scripts._scripts(context)))
    assert scripts.hashes({**context, "base_url": "."}) and scripts.hashes(context) == rendered
    assert len(rendered) == 3
