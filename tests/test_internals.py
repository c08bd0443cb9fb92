"""Each undocumented part of MkDocs and Material the adapter relies on (listed in
generator/mkdocs/internals.py) still behaves as the adapter expects. A failure names the
versions installed: read the release notes of that version and adapt internals.py."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import material
import pytest
import yaml
from bs4 import BeautifulSoup

from generator.site import htmlfix
from generator.mkdocs import internals
from sitekit import REPO

VERSIONS = internals.versions()
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


@pytest.fixture
def tiny(tmp_path):
    """A plain Material site of two pages, configured by MkDocs, without our plugin."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Heading\n\n## Part one\n\nSee [other](other.md#a).\n")
    (tmp_path / "docs/other.md").write_text("# Other\n\n## A\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Tiny", "theme": {"name": "material"}, "plugins": ["search"],
        "validation": {"anchors": "warn"}}))
    config = load_config(str(tmp_path / "mkdocs.yml"))
    return config, get_files(config)


def a_page(config, files, src_uri: str = "index.md"):
    from mkdocs.structure.pages import Page

    page = Page(None, files.get_file_from_path(src_uri), config)
    page.read_source(config)
    return page


def test_the_build_converts_each_page_by_calling_its_render(tiny):
    from mkdocs.commands import build

    config, files = tiny
    page = a_page(config, files)
    calls = []

    def render(config, files):
        calls.append(files)
        page.content = ""

    internals.replace_render(page, render)
    build._populate_page(page, config, files)
    assert calls == [files], f"{VERSIONS}: the build no longer converts a page with page.render(config, files)"
    internals.restore_render(page)
    build._populate_page(page, config, files)
    assert page.content and calls == [files], f"{VERSIONS}: Page.render is not back after restore_render"


def test_render_sets_nothing_but_what_a_workers_result_sets(tiny):
    config, files = tiny
    page = a_page(config, files)
    before = dict(vars(page))
    page.render(config, files)
    set_by_render = {name for name, value in vars(page).items() if name not in before or before[name] is not value}
    restored = {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}
    assert set_by_render <= restored, \
        f"{VERSIONS}: Page.render sets {sorted(set_by_render - restored)}, which parallel.py does not carry over"
    assert internals.rendered_title(page) == "Heading" == page.title, \
        f"{VERSIONS}: Page.title no longer comes from Page._title_from_render"
    assert "part-one" in page.present_anchor_ids, f"{VERSIONS}: present_anchor_ids changed"
    assert {target.src_uri: anchors for target, anchors in page.links_to_anchors.items()} == \
        {"other.md": {"a": "other.md#a"}}, f"{VERSIONS}: links_to_anchors changed"

    copy = a_page(config, files)
    internals.set_rendered(copy, content=page.content, toc=page.toc, title=internals.rendered_title(page),
                           anchor_ids=page.present_anchor_ids, links_to_anchors=page.links_to_anchors)
    assert (copy.title, copy.content, [i.title for i in copy.toc]) == \
        (page.title, page.content, [i.title for i in page.toc]), f"{VERSIONS}: a carried-over page differs"


def test_one_reset_converter_renders_each_page_as_page_render_does(tmp_path):
    """internals.render keeps one converter, reset for each page: page after page, with the
    site's kinds of extension (footnotes, repeated headings, task lists, tables, alerts,
    raw HTML with an id, links to anchors), it sets on each page exactly what Page.render
    sets with a new one."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    pages = {
        "index.md": "# Home\n\nA note.[^1] See [b](b.md#pay).\n\n[^1]: The first.\n\n## Pay\n\n## Pay\n",
        "a.md": "# A\n\nAnother.[^1] <span id=\"here\">x</span>\n\n[^1]: Its own.\n\n- [ ] To do\n- [x] Done\n",
        "b.md": "Text first, then\n\n## Pay\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n> [!TIP]\n> Tip.\n",
    }
    (tmp_path / "docs").mkdir()
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(text)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Tiny", "theme": {"name": "material"}, "validation": {"anchors": "warn"},
        "markdown_extensions": [{"toc": {"permalink": True}}, "footnotes", "attr_list", "tables", "smarty",
                                "pymdownx.tasklist", "pymdownx.superfences", {"pymdownx.quotes": {"callouts": True}},
                                "generator.markdown.gfm"]}))
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)

    def rendered(page):
        return (page.content, [(item.title, item.id, [child.id for child in item.children]) for item in page.toc],
                internals.rendered_title(page), page.present_anchor_ids,
                {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()})

    for _ in range(2):  # every page twice: what one page leaves in the converter never shows in the next
        for name in pages:
            fresh, reused = a_page(config, files, name), a_page(config, files, name)
            fresh.render(config, files)
            internals.render(reused, config, files)
            assert rendered(reused) == rendered(fresh), f"{VERSIONS}: {name} differs from Page.render's"
            assert 'id="fn:2"' not in reused.content and 'id="pay-2"' not in reused.content
    assert internals._converter_for(config) is internals._converter_for(config), "one converter, made once"
    # Another configuration (a rebuild's, another test's) gets a converter of its own.
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": "Tiny", "theme": {"name": "material"},
                                                         "markdown_extensions": ["toc"]}))
    other = load_config(str(tmp_path / "mkdocs.yml"))
    fresh, reused = a_page(other, files, "index.md"), a_page(other, files, "index.md")
    fresh.render(other, files)
    internals.render(reused, other, files)
    assert rendered(reused) == rendered(fresh) and "headerlink" not in reused.content


def test_render_resolves_each_link_through_get_file_from_path(tiny):
    config, files = tiny
    recording = internals.RecordingFiles(list(files))
    a_page(config, recording).render(config, recording)
    assert recording.lookups.get("other.md") == ("other/", False), \
        f"{VERSIONS}: Page.render no longer resolves links with Files.get_file_from_path"


def test_mkdocs_splits_front_matter_from_markdown_with_the_expression_sources_checks():
    from mkdocs.utils.meta import get_data

    from generator.mkdocs.sources import EMPTY_FRONT_MATTER

    text = "---\ntitle: A\ndate: 2026-01-05\n---\n\n\nBody\n"
    match = internals.FRONT_MATTER.match(text)
    assert match is not None and match.group(1) == "title: A\ndate: 2026-01-05\n", VERSIONS
    assert get_data(text)[0] == text[match.end():].lstrip("\n"), VERSIONS
    # What sources.py hands MkDocs before an article's body reads as no metadata at all.
    assert get_data(EMPTY_FRONT_MATTER + "\n\nBody\n") == ("Body\n", {}), VERSIONS


def test_mkdocs_renders_as_pages_only_suffixes_the_content_check_knows():
    import mkdocs.utils

    from generator.content.inventory import MARKDOWN_SUFFIXES
    assert set(mkdocs.utils.markdown_extensions) <= set(MARKDOWN_SUFFIXES), VERSIONS


def test_mkdocs_leaves_dot_files_out_by_default(tiny):
    from mkdocs.structure.files import get_files

    config, _ = tiny
    (Path(config.docs_dir) / ".well-known").mkdir()
    (Path(config.docs_dir) / ".well-known/security.txt").write_text("x")
    (Path(config.docs_dir) / ".htaccess").write_text("x")
    inclusion = {file.src_uri: file.inclusion.is_excluded() for file in get_files(config)}
    assert inclusion == {".htaccess": True, ".well-known/security.txt": True, "index.md": False,
                         "other.md": False}, VERSIONS


# What PageMeta refuses to offer, though a Material template reads it: set by other plugins
# (git dates, redirects) or not shown by our theme.
NOT_OFFERED = {"author", "location", "revision_date", "git_creation_date_localized", "git_revision_date_localized"}


def test_material_reads_from_page_meta_only_what_page_meta_validates_or_refuses():
    import re

    from generator.content.models import PageMeta
    read = {match for path in MATERIAL_TEMPLATES.rglob("*.html")
            for match in re.findall(r"(?:page|nav_item)\.meta\.(\w+)", path.read_text(encoding="utf-8"))}
    assert read == set(PageMeta.model_fields) | NOT_OFFERED, VERSIONS


def test_material_styles_exactly_the_statuses_a_page_may_set():
    import re

    from generator.content.models import MATERIAL_STATUSES
    css = "".join(path.read_text(encoding="utf-8") for path in (MATERIAL_TEMPLATES / "assets/stylesheets").glob("*.css"))
    # `encrypted` is Material's own, for pages its privacy plugin protects.
    assert set(re.findall(r"md-status--(\w+)", css)) == {*MATERIAL_STATUSES, "encrypted"}, VERSIONS


def test_a_dirty_build_renders_a_page_only_when_its_file_is_modified():
    from mkdocs.commands import build

    source = inspect.getsource(build._populate_page) + inspect.getsource(build._build_page)
    assert source.count("if dirty and not page.file.is_modified():") == 2, \
        f"{VERSIONS}: a dirty build no longer asks File.is_modified() which pages to render"


def test_the_dirty_build_warning_is_still_the_text_preview_hides(tiny, caplog):
    from mkdocs.commands.build import build

    config, _ = tiny
    config.plugins.on_startup(command="build", dirty=True)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build(config, dirty=True)
    assert any(r.getMessage().startswith(internals.DIRTY_BUILD_WARNING) for r in caplog.records), \
        f"{VERSIONS}: MkDocs' dirty-build warning changed: update internals.DIRTY_BUILD_WARNING"


def test_strict_counts_warnings_on_the_engines_logger_after_post_build_and_build_error_may_end_it():
    from mkdocs.commands import build

    source = inspect.getsource(build.build)
    counted = f"logging.getLogger('{internals.strict_counted_logger().name}').addHandler(warning_counter)"
    assert counted in source and "warning_counter.setLevel(logging.WARNING)" in source, \
        f"{VERSIONS}: --strict no longer counts warnings on the engine's logger: update publish.WarningCount"
    steps = ["config.plugins.on_post_build(config=config)", "warning_counter.get_counts()", "raise Abort(",
             "except Exception as e:", "config.plugins.on_build_error(error=e)", "raise"]
    at = 0
    for step in steps:  # each after the one before
        at = source.find(step, at)
        if at == -1:
            break
    assert at != -1, \
        f"{VERSIONS}: the strict check no longer follows on_post_build, or on_build_error no longer comes " \
        f"before the error is raised again: publish.py publishes at the end of on_post_build"


def test_materials_base_template_still_needs_the_checkbox_repair():
    base = (MATERIAL_TEMPLATES / "base.html").read_text(encoding="utf-8")
    toggles = BeautifulSoup(base, "html.parser").find_all("input", type="checkbox")
    assert toggles and all(t.get("autocomplete") == "off" for t in toggles), \
        f"{VERSIONS}: base.html's toggles changed: is htmlfix.py still needed?"
    repaired = BeautifulSoup(htmlfix.repair(base), "html.parser").find_all("input", type="checkbox")
    assert len(repaired) == len(toggles) and not any(t.has_attr("autocomplete") for t in repaired)


@pytest.mark.parametrize("name", internals.OVERRIDDEN_PARTIALS)
def test_our_partials_are_materials_with_our_one_change(name):
    ours = (REPO / "theme" / name).read_text(encoding="utf-8")
    theirs = (MATERIAL_TEMPLATES / name).read_text(encoding="utf-8")
    assert ours == internals.overridden_partial(name, theirs), \
        f"{VERSIONS}: Material's {name} changed: regenerate theme/{name} from it (see internals.py)"


def test_the_toc_title_points_at_the_toc_toggle_exactly_where_it_exists(site):
    site.write("content/index.md", "---\ntitle: Home\n---\n\n## Welcome\n\nText.\n")  # in nav
    site.add_article("parts", "Parts", "2026-10-01", body="## One\n\nText.\n\n## Two\n\nText.\n")  # not in nav
    result = site.build()
    assert result.returncode == 0, result.stderr
    kinds = set()
    for path in (site.root / "site").rglob("index.html"):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        title = html.select_one("label.md-nav__title:has(+ ul[data-md-component=toc])")
        if title is None:
            continue
        toggle = html.find(id="__toc") is not None
        kinds.add(toggle)
        assert (title.get("for") == "__toc") == toggle, f"{VERSIONS}: {path}"
    assert kinds == {True, False}, "pages in nav and outside it, both with a table of contents"


def test_materials_base_renders_with_an_empty_nav_and_no_page_showing_no_page_at_all(tiny):
    """theme_scripts.py renders the theme without content: Material must accept a nav of
    no pages and no page, and still write its inline scripts."""
    config, _ = tiny
    env = config.theme.get_env()
    html = env.get_template("main.html").render({
        "config": config, "base_url": "../..", "page": None, "nav": internals.empty_nav(), "pages": [],
        "extra_css": [], "extra_javascript": [], "mkdocs_version": "", "build_date_utc": None})
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select(".md-tabs__link, .md-nav__link") == [], VERSIONS
    scripts = [s.string for s in soup.find_all("script") if not s.has_attr("src") and not s.get("type")]
    assert any(s.startswith('__md_scope=new URL("../..",location)') for s in scripts), VERSIONS
