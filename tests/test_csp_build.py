"""Every built page's Content-Security-Policy approves the scripts the theme writes, and
nothing else: not a script that reached a page's body past the sanitizer, whatever put
it there. Built sites read with a real parser, then opened in Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import RECORDER, chromium, serve
from conftest import require
from sitekit import REPO, article, logged, make_site, mkdocs_yml

EMBEDS = "https://www.youtube-nocookie.com/embed/"
# Runs after the Markdown is converted and sanitized, before the template: what a hole in
# the sanitizer would let through, in the body and inside an attribute.
HOSTILE_HOOK = """
def on_page_content(html, page, config, files):
    if page.file.src_uri == "articles/hostile.md":
        html += '<script>window.__injected = 1</script><p title="<script>window.__in_attribute = 1</script>">x</p>'
    return html
"""
INJECTED = ("window.__injected = 1", "window.__in_attribute = 1")
EXECUTABLE = {None, "", "module", "text/javascript"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def settings(site, *, allow_html=(), theme: Path | None = None, hooks=()) -> None:
    options = {"allow_html": list(allow_html)}
    if hooks:  # the page cache keys plugins, not hooks: without it, a hook is seen on every build
        options["build_cache"] = False
    extra = {"plugins": [{"field-guide": options}], "hooks": list(hooks)}
    config = yaml.safe_load(mkdocs_yml(extra))
    if theme is not None:
        config["theme"]["custom_dir"] = str(theme)
    site.write("mkdocs.yml", yaml.safe_dump(config, sort_keys=False))


def articles():
    return {
        "getting-started": article("Getting started", "2026-09-01", tags=["planning"]),
        "hostile": article("Hostile", "2026-09-02", tags=["planning"]),
        **{f"filler-{n}": article(f"Filler {n}", f"2026-08-{n + 1:02d}", tags=["planning"]) for n in range(21)},
    }


def policy_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(meta) == 1
    return {name: values for name, *values in (d.split() for d in meta[0]["content"].split(";"))}


def inline_scripts(soup: BeautifulSoup) -> list[str]:
    """The text of every inline script a browser would run."""
    return [script.string or "" for script in soup.find_all("script")
            if not script.has_attr("src") and script.get("type") in EXECUTABLE]


def base_of(soup: BeautifulSoup) -> str:
    """The base Material wrote for the page's depth (its `__config`)."""
    return json.loads(soup.find("script", id="__config").string)["base"]


def built_pages(site_dir: Path):
    """Every page of the theme: all but the editors' CMS (admin/), the one page with its
    own policy (test_the_shipped_sites_cms_page_has_exactly_the_admin_policy)."""
    for path in sorted(site_dir.rglob("*.html")):
        if path.relative_to(site_dir).parts[0] == "admin":
            continue
        yield path.relative_to(site_dir).as_posix(), BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("csp"), articles=articles())
    site.write("inject.py", HOSTILE_HOOK)
    settings(site, allow_html=[{"element": "iframe", "src_prefix": EMBEDS}], hooks=["inject.py"])
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def assert_theme_scripts_only(site_dir: Path, *, injected_into: dict[str, list[str]], frames: list[str]) -> None:
    """Every page of `site_dir` approves exactly the theme's inline scripts at its depth,
    shared by every page of that depth, and none of `injected_into`'s (page: texts)."""
    pages = dict(built_pages(site_dir))
    injected = {text for texts in injected_into.values() for text in texts} | set(INJECTED)
    theme_by_base: dict[str, set[str]] = defaultdict(set)
    policies_by_base: dict[str, set[str]] = defaultdict(set)
    for name, soup in pages.items():
        scripts = inline_scripts(soup)
        assert [text for text in scripts if text in injected] == injected_into.get(name, []), name
        ours = {sha256(text) for text in scripts if text not in injected}
        theme_by_base[base_of(soup)] |= ours
        policy = policy_of(soup)
        policies_by_base[base_of(soup)].add(" ".join(policy["script-src"]))
        assert policy["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"], name
        assert not {sha256(text) for text in injected} & set(policy["script-src"]), name
        assert ours <= set(policy["script-src"]), name  # every script the theme wrote here runs
        assert policy["frame-src"] == frames, name
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], name
        # The policy is right after the charset, before any script.
        head = soup.head.find_all(True)
        assert head[0].get("charset") == "utf-8" and head[1].get("http-equiv") == "Content-Security-Policy", name
    # All pages of a depth share one policy, which approves exactly the theme's scripts there.
    for base, policies in policies_by_base.items():
        assert len(policies) == 1, base
        assert set(next(iter(policies)).split()[2:]) == theme_by_base[base], base
    # Material's `__md_scope` names the base: the depths differ by exactly that script.
    assert len({frozenset(hashes) for hashes in theme_by_base.values()}) == len(theme_by_base)


def test_every_page_approves_exactly_the_theme_scripts_of_its_depth_and_nothing_injected(hostile):
    site_dir = hostile.root / "site"
    assert {"404.html", "index.html", "articles/index.html", "articles/hostile/index.html",
            "articles/page/2/index.html", "tags/planning/index.html"} <= {name for name, _ in built_pages(site_dir)}
    assert_theme_scripts_only(site_dir, injected_into={"articles/hostile/index.html": ["window.__injected = 1"]},
                              frames=[EMBEDS])
    assert {base_of(soup) for _, soup in built_pages(site_dir)} == {".", "..", "../..", "../../..", "/guide/"}


def test_the_shipped_site_approves_exactly_its_theme_scripts(shipped):
    assert_theme_scripts_only(shipped, injected_into={}, frames=["'none'"])


def test_the_shipped_sites_cms_page_has_exactly_the_admin_policy(shipped):
    from generator.mkdocs.admin import ADMIN_POLICY

    pages = sorted(path.relative_to(shipped).as_posix() for path in (shipped / "admin").rglob("*.html"))
    require(bool(pages), "Decap CMS (npm ci --ignore-scripts), which the build copies into /admin/")
    assert pages == ["admin/index.html"]
    soup = BeautifulSoup((shipped / "admin/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [meta["content"] for meta in soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})] \
        == [ADMIN_POLICY]
    assert not [script for script in soup.find_all("script") if not script.has_attr("src")]


def test_the_hostile_page_is_listed_in_feeds_but_its_script_is_not_approved_anywhere(hostile):
    assert "window.__injected" in (hostile.root / "site/articles/hostile/index.html").read_text()
    for _, soup in built_pages(hostile.root / "site"):
        assert sha256("window.__injected = 1") not in str(soup.find("meta", attrs={"http-equiv": True}))


def test_without_an_iframe_allowance_frames_load_from_nowhere(site):
    # allow_html admits iframes alone: an allowance for another element is refused outright.
    settings(site, allow_html=[{"element": "object", "src_prefix": "https://example.org/"}])
    refused = site.build()
    assert refused.returncode == 1 and "Expected one of: ['iframe'] but received: 'object'" in refused.stderr
    settings(site)
    site.add_article("one", "One", "2026-09-01")
    assert site.build().returncode == 0
    for name, soup in built_pages(site.root / "site"):
        assert policy_of(soup)["frame-src"] == ["'none'"], name


def test_the_theme_and_allow_html_are_part_of_what_a_cached_page_is_kept_under(tmp_path):
    """A script added to the theme is approved on every page of the next (warm) build, and
    a new embed allowance reaches every page: no page's policy comes from a stale entry."""
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    site = make_site(tmp_path / "site", articles=articles())
    settings(site, theme=theme)
    assert site.build().returncode == 0
    settings(site, theme=theme)  # unchanged: the pages come from the cache
    warm = site.build()
    assert warm.returncode == 0 and any("taken from the build cache unchanged" in line
                                        for line in logged(warm.stderr, "INFO")), warm.stderr

    main = theme / "main.html"
    main.write_text(main.read_text().replace(
        "{% block scripts %}\n  {{ super() }}", "{% block scripts %}\n  {{ super() }}\n  <script>window.__ours = 1</script>"))
    assert site.build().returncode == 0
    for name, soup in built_pages(site.root / "site"):
        assert "window.__ours = 1" in inline_scripts(soup), name
        assert sha256("window.__ours = 1") in policy_of(soup)["script-src"], name

    settings(site, theme=theme, allow_html=[{"element": "iframe", "src_prefix": EMBEDS}])
    assert site.build().returncode == 0
    for name, soup in built_pages(site.root / "site"):
        assert policy_of(soup)["frame-src"] == [EMBEDS], name


def test_a_theme_that_cannot_render_without_content_fails_the_build_naming_it(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    layout = theme / "layouts/tags.html"
    layout.write_text(layout.read_text() + "\n{% block extrahead %}{{ page.meta.title.upper() }}{% endblock %}\n")
    site = make_site(tmp_path / "site", articles={"one": article("One", "2026-09-01")})
    settings(site, theme=theme)
    result = site.build()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert any(line.startswith("theme: layouts/tags.html cannot be rendered without a page's content")
               for line in logged(result.stderr)), result.stderr


# In Chromium

@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def open_page(browser, url: str):
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, errors


@pytest.mark.parametrize("address", ["", "articles/", "articles/getting-started/", "articles/page/2/",
                                     "tags/planning/", "no-such-page/"])
def test_a_page_loads_without_a_single_csp_violation(browser, hostile, address):
    with serve(hostile.root / "site", "/guide/") as root:
        context, page, errors = open_page(browser, root + address)
        problems = [p for p in errors if "404" not in p] + page.evaluate("window.__problems")
        # Material's scripts ran: the palette toggle and `__md_scope` exist.
        assert page.evaluate("typeof __md_get") == "function"
        context.close()
    assert problems == []


def test_a_script_that_slipped_into_a_page_does_not_run(browser, hostile, tmp_path):
    site_dir = tmp_path / "site"
    shutil.copytree(hostile.root / "site", site_dir)
    target = site_dir / "articles/getting-started/index.html"
    target.write_text(target.read_text().replace(
        '<div class="ifg-article-body">',
        '<div class="ifg-article-body"><script>window.__slipped = 1</script>'
        '<iframe srcdoc="<script>parent.__srcdoc = 1</script>"></iframe>'
        '<iframe src="https://elsewhere.example/embed/"></iframe>', 1))
    with serve(site_dir, "/guide/") as root:
        for address in ("articles/getting-started/", "articles/hostile/"):
            context, page, _ = open_page(browser, root + address)
            ran = page.evaluate("[window.__slipped, window.__srcdoc, window.__injected, window.__in_attribute]")
            problems = page.evaluate("window.__problems")
            assert page.evaluate("typeof __md_get") == "function"  # the theme's scripts did run
            context.close()
            assert ran == [None, None, None, None], address
            assert any(p.startswith("CSP: script-src") for p in problems), (address, problems)
            if address == "articles/getting-started/":
                assert any(p.startswith("CSP: frame-src blocked https://elsewhere.example") for p in problems), problems
