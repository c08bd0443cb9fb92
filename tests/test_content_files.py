"""What content/ may hold: Markdown pages (.md), images that decode as what their name says,
the data files; every other file, link or special file is an error naming it, in check
and build alike, and nothing of it is published. Pages' front matter is validated like
articles', and printed escaped."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import threading

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator.editors.cli import main
from generator.content.reader import article_files
from generator.content.errors import ContentErrors
from generator.mkdocs.config import load
from generator.site.pipeline import prepare
from sitekit import REPO, article, logged, mkdocs_yml, site_search_records

TODAY = dt.date(2026, 11, 18)
_, REPOSITORY, _ = load(REPO)  # the repository's icons, as the build reads them


def problems(site) -> list[str]:
    """Every error `pipeline.prepare` reports, as printed."""
    with pytest.raises(ContentErrors) as caught:
        prepare(site.root, today=TODAY, icon_exists=REPOSITORY.icon_exists)
    return [str(error) for error in caught.value.errors]


def loads(site):
    return prepare(site.root, today=TODAY, icon_exists=REPOSITORY.icon_exists)


def image_bytes(kind: str, size=(8, 6), frames: int = 1) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", size, (40 * n, 80, 120)) for n in range(frames)]
    images[0].save(buffer, kind, save_all=frames > 1, append_images=images[1:])
    return buffer.getvalue()


def check(site) -> tuple[int, str]:
    """`python -m generator check`, as an editor runs it."""
    out = io.StringIO()
    code = main(["check"], out=out, cwd=site.root)
    return code, out.getvalue()


# Pages


@pytest.mark.parametrize("name", ["articles/x.markdown", "extra/p.mkdn", "guide.mdown", "notes.mkd", "a.mdwn",
                                  "b.mdtext", "c.mdtxt", "d.text", "about.MD", "articles/e.Markdown"])
def test_a_page_that_does_not_end_in_md_is_an_error_with_the_fix(site, name):
    site.write(f"content/{name}", "---\ntitle: X\n---\n\n<script>alert(1)</script>\n")
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    assert problems(site) == [f"content/{name}:1:1: (file): Markdown pages end in .md: rename it to {stem}.md "
                              "[markdown-suffix]"]


# Images


@pytest.mark.parametrize("name, kind", [("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.jpeg", "JPEG"), ("d.webp", "WEBP"),
                                        ("e.avif", "AVIF"), ("f.gif", "GIF"), ("G.PNG", "PNG")])
def test_images_that_decode_as_their_suffix_says_are_published(site, name, kind):
    site.apply({f"content/articles/{name}": image_bytes(kind), f"content/images/{name}": image_bytes(kind)})
    files = loads(site).content.files
    assert {f"articles/{name}", f"images/{name}"} <= files


def test_an_animated_gif_is_decoded_frame_by_frame(site):
    site.apply({"content/images/anim.gif": image_bytes("GIF", frames=3)})
    assert "images/anim.gif" in loads(site).content.files


def test_an_animation_of_more_pixels_than_one_large_image_is_refused(site, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # the same rule, at a size a test can draw
    site.apply({"content/images/long.gif": image_bytes("GIF", size=(20, 20), frames=3),
                "content/images/short.gif": image_bytes("GIF", size=(20, 20), frames=2)})
    assert problems(site) == ["content/images/long.gif:1:1: (file): is too large an image to publish (more than "
                              "1,000 pixels, all frames together): scale it down [bad-image]"]


def test_a_png_that_is_really_html_is_an_error(site):
    site.write("content/articles/chart.png", "<!doctype html><script>alert(1)</script>\n")
    assert problems(site) == [
        "content/articles/chart.png:1:1: (file): is not a PNG image: its bytes are not an image at all "
        "(start: '<!doctype html><') [bad-image]"]


def test_an_image_of_another_type_than_its_suffix_says_is_an_error_naming_the_right_one(site):
    site.apply({"content/articles/photo.png": image_bytes("JPEG"), "content/articles/anim.webp": image_bytes("GIF")})
    assert problems(site) == [
        "content/articles/anim.webp:1:1: (file): is not a WebP image but GIF: rename it to anim.gif [bad-image]",
        "content/articles/photo.png:1:1: (file): is not a PNG image but JPEG: rename it to photo.jpg [bad-image]"]


def test_a_truncated_image_is_an_error(site):
    site.apply({"content/articles/chart.png": image_bytes("PNG", size=(200, 200))[:120]})
    (message,) = problems(site)
    assert message.startswith("content/articles/chart.png:1:1: (file): is not a valid PNG image (")
    assert message.endswith("): export it again [bad-image]")


def test_svg_is_refused_with_the_fix(site):
    site.write("content/articles/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert problems(site) == ["content/articles/chart.svg:1:1: (file): SVG is not published: an SVG file can run "
                              "scripts. Convert it to PNG or WebP [svg-image]"]


# Every other file


@pytest.mark.parametrize("name, hint", [
    ("page.html", "write the page in Markdown, as a .md file, or remove it"),
    ("articles/x.htm", "write the page in Markdown, as a .md file, or remove it"),
    ("assets/app.js", "scripts belong to the theme (theme/), which reviewers of the generator look after, "
                      "or remove it"),
    ("site.css", "styles belong to the theme (theme/), which reviewers of the generator look after, or remove it"),
    ("feed.xml", "remove it"), ("robots.txt", "remove it"), ("files/report.pdf", "remove it"),
    ("Makefile", "remove it"), ("extra.yml", "data files live in content/data/, or remove it"),
])
def test_any_other_file_is_an_error_naming_it(site, name, hint):
    site.write(f"content/{name}", "<script>alert(1)</script>\n")
    suffix = os.path.splitext(name)[1]
    kind = f"a {suffix} file" if suffix else "a file without a suffix"
    assert problems(site) == [
        f"content/{name}:1:1: (file): content/ holds Markdown pages (.md), images (PNG, JPEG, WebP, AVIF or GIF) "
        f"and the data files of content/data/; this is {kind}: {hint} [file-type]"]


@pytest.mark.parametrize("name", ["pagefind.yml", "pagefind.json", "articles/pagefind.toml", "data/pagefind.yml",
                                  "PageFind.YAML"])
def test_pagefind_settings_are_refused_anywhere(site, name):
    site.write(f"content/{name}", "serve: true\noutput_path: ../x\nwrite_playground: true\n")
    assert problems(site) == [f"content/{name}:1:1: (file): Pagefind's settings are the build's own "
                              "(generator/site/searchindex.py), never content's: remove it [file-type]"]


def test_content_data_holds_the_four_data_files_only(site):
    site.write("content/data/notes.yml", "[]\n")
    site.write("content/data/extra/benefits.yml", "[]\n")
    site.write("content/data/page.md", "# Page\n")
    message = ("content/data/ holds only the data files benefits.yml, categories.yml, resources.yml, authors.yml "
               "and the facts files of content/data/facts/: move or remove it [file-type]")
    assert problems(site) == [f"content/data/extra/benefits.yml:1:1: (file): {message}",
                              f"content/data/notes.yml:1:1: (file): {message}",
                              f"content/data/page.md:1:1: (file): {message}"]


def test_content_data_facts_holds_facts_files_only(site):
    site.write("content/data/facts/uk.yml", "[]\n")  # accepted: no facts yet
    site.write("content/data/facts/.gitkeep", "")  # a dot-file: left alone, as MkDocs leaves it
    site.write("content/data/facts/US.yml", "[]\n")
    site.write("content/data/facts/tax.yaml", "[]\n")
    site.write("content/data/facts/old/uk.yml", "[]\n")
    site.write("content/data/facts/notes.md", "# Notes\n")
    message = ("content/data/facts/ holds only facts files named like `uk.yml` or `tax-rates.yml` (lowercase "
               "letters, digits and hyphens, ending .yml): rename, move or remove it [file-type]")
    assert problems(site) == [f"content/data/facts/{name}:1:1: (file): {message}"
                              for name in ("US.yml", "notes.md", "old/uk.yml", "tax.yaml")]


def test_a_facts_file_that_is_a_link_is_refused(site, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yml"
    outside.write_text("[]\n")
    (site.content / "data/facts").mkdir(parents=True)
    (site.content / "data/facts/uk.yml").symlink_to(outside)
    assert [problem.split(": ", 2)[:2] for problem in problems(site)] == [["content/data/facts/uk.yml:1:1", "(file)"]]
    assert "[symlink]" in problems(site)[0]


def test_every_problem_is_reported_at_once(site):
    site.write("content/a.html", "x")
    site.write("content/b.svg", "x")
    site.write("content/c.markdown", "x")
    site.write("content/d.png", "x")
    assert [line.split(":", 1)[0] for line in problems(site)] == [
        "content/a.html", "content/b.svg", "content/c.markdown", "content/d.png"]


def test_dot_files_are_left_alone_as_mkdocs_leaves_them(site):
    site.write("content/.well-known/security.txt", "Contact: mailto:x@example.org\n")
    site.write("content/.htaccess", "Redirect / https://evil.example/\n")
    site.write("content/articles/.draft.md.swp", "\x00\x01")
    files = loads(site).content.files
    assert not [name for name in files if name.startswith(".") or "/." in name]


# Links and special files


def test_links_are_refused_and_never_followed(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n\nThe secret.\n")
    content = site.content
    (content / "articles").mkdir(exist_ok=True)
    os.symlink("/etc", content / "etc")
    os.symlink("/proc/self/environ", content / "environ.md")
    os.symlink(outside / "secret.md", content / "articles/secret.md")
    os.symlink(content / "index.md", content / "home.md")  # inside content/
    os.symlink(content / "articles", content / "more")  # a folder inside content/
    os.symlink(tmp_path / "nowhere.png", content / "gone.png")  # dangling
    os.symlink(content, content / "loop")
    (content / ".hidden").mkdir()
    os.symlink("/", content / ".hidden/root")  # MkDocs' walk would follow it into the whole disk
    message = ("(file): is a symbolic link: content/ holds files only, never links (a link can publish any file "
               "of the machine that builds the site); put the file itself here [symlink]")
    assert problems(site) == [f"content/{name}:1:1: {message}" for name in (
        ".hidden/root", "articles/secret.md", "environ.md", "etc", "gone.png", "home.md", "loop", "more")]


def test_a_linked_data_file_is_refused_and_not_read(site, tmp_path):
    (tmp_path / "elsewhere.yml").write_text("- {title: [unclosed\n")  # a YAML error if it were read
    (site.content / "data/resources.yml").unlink()
    os.symlink(tmp_path / "elsewhere.yml", site.content / "data/resources.yml")
    (message,) = problems(site)
    assert message.startswith("content/data/resources.yml:1:1: (file): is a symbolic link")


def test_a_content_folder_reached_through_a_link_is_refused(site, tmp_path):
    real = tmp_path / "real-content"
    os.rename(site.content, real)
    os.symlink(real, site.content)
    assert problems(site) == ["content:1:1: (folder): is a symbolic link, or inside one: the content folder is a "
                              "folder of the repository [symlink]"]


def _within(seconds: float, work):
    """Run `work` in a thread; fail (instead of hanging) if it has not returned in time."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 (handed back to the test)
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung: a special file was opened"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_a_fifo_is_refused_without_being_opened(site):
    (site.content / "articles").mkdir(exist_ok=True)
    os.mkfifo(site.content / "articles/pipe.md")
    os.mkfifo(site.content / "chart.png")
    (site.content / "data/authors.yml").unlink()
    os.mkfifo(site.content / "data/authors.yml")
    os.mkfifo(site.content / ".pipe")  # a dot-name does not hide it: MkDocs would walk past it
    found = _within(20, lambda: problems(site))
    message = "(file): is a named pipe (FIFO), not a file: remove it [special-file]"
    assert found == [f"content/{name}:1:1: {message}" for name in (".pipe", "articles/pipe.md", "chart.png",
                                                                    "data/authors.yml")]
    # The build cache and the workers list the articles before the check: not the pipe.
    assert _within(20, lambda: article_files(site.content)) == []


def test_a_socket_is_refused(site):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(site.content / "listen.md"))
        assert problems(site) == ["content/listen.md:1:1: (file): is a socket, not a file: remove it [special-file]"]
    finally:
        server.close()


# The file set: a second line of defence


def test_the_file_set_refuses_a_file_the_check_did_not_allow(site):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from generator.mkdocs.files import UncheckedFile, arrange

    prepared = loads(site)
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins._current_plugin = "field-guide"  # as while MkDocs runs the plugin's on_files
    docs, out = config.docs_dir, config.site_dir
    allowed = [File("index.md", docs, out, True), File("data/authors.yml", docs, out, True),
               File(".well-known/x.txt", docs, out, True)]
    files = arrange(Files(list(allowed)), config, prepared, preview=False)
    assert "index.md" in [file.src_uri for file in files]
    assert not {"data/authors.yml", ".well-known/x.txt"} & {file.src_uri for file in files}
    late = File("late.html", docs, out, True)  # appeared after the check
    with pytest.raises(UncheckedFile, match=r"^content/late.html: appeared in content/ after the content was "):
        arrange(Files([*allowed, late]), config, prepared, preview=False)


# Pages' front matter


def test_a_page_front_matter_is_validated_with_positions_and_suggestions(site):
    site.write("content/about.md", "---\ntitle: About\nsubtitel: Us\nstatus: beta\nhide: [toc, tac]\n"
                                   "icon: material/no-such-icon\ntemplate: redirect.html\n---\n\nUs.\n")
    assert problems(site) == [
        "content/about.md:3:1: subtitel: unknown field: did you mean `subtitle`? [unknown-field]",
        "content/about.md:4:9: status: must be one of 'new' or 'deprecated' (got 'beta') [bad-choice]",
        "content/about.md:5:13: hide[1]: must be one of 'navigation', 'toc', 'footer', 'path', 'tags' or "
        "'feedback' (got 'tac') [bad-choice]",
        "content/about.md:7:1: template: unknown field: allowed fields are title, description, subtitle, icon, "
        "status, hide [unknown-field]",
    ]


def test_an_unknown_icon_in_a_page_is_an_error_at_its_line(site):
    site.write("content/about.md", "---\ntitle: About\nicon: material/informaton-outline\n---\n\nUs.\n")
    assert problems(site) == [
        "content/about.md:3:7: icon: no icon named 'material/informaton-outline': pick one from Material's icon "
        "set, like material/information-outline [unknown-icon]"]


def test_a_valid_page_front_matter_is_kept(site):
    site.write("content/about.md", "---\ntitle: About\nsubtitle: Who we are\nstatus: new\nhide: [toc]\n"
                                   "icon: material/information-outline\n---\n\nUs.\n")
    page = loads(site).content.pages["about.md"]
    assert page.meta.model_dump(exclude_none=True, exclude_defaults=True) == {
        "title": "About", "subtitle": "Who we are", "status": "new", "hide": ["toc"],
        "icon": "material/information-outline"}


def test_a_page_without_front_matter_is_valid(site):
    site.write("content/guide.md", "# Guide\n\nText.\n")
    assert loads(site).content.pages["guide.md"].meta.title is None


# Dates


def test_an_implausible_date_is_an_error_at_its_line(site):
    site.write("content/articles/post.md", article("Post", "2026-10-01", updated="2206-10-01"))
    site.write("content/data/resources.yml", "- title: T\n  url: https://example.org/\n  category: government\n"
                                             "  description: d\n  cost: free\n  last_checked: 1899-01-01\n")
    found = problems(site)
    assert "content/articles/post.md:7:10: updated: 2206-10-01 is not a plausible date: the year must be 1990 to " \
           "2100; check for a typo [date-range]" in found
    assert "content/data/resources.yml:6:17: last_checked: 1899-01-01 is not a plausible date: the year must be " \
           "1990 to 2100; check for a typo [date-range]" in found


def test_the_years_1990_and_2100_are_plausible(site):
    site.write("content/articles/post.md", article("Post", "1990-01-01", updated="2100-12-31"))
    assert [a.meta.updated for a in loads(site).content.articles] == [dt.date(2100, 12, 31)]


# Built sites: the same errors as check, nothing published; page meta printed escaped


HOSTILE = {
    "content/articles/x.markdown": "---\ntitle: X\n---\n\n<script>alert(1)</script>\n",
    "content/extra/p.mkdn": "<script>alert(1)</script>\n",
    "content/extra/page.html": "<script>alert(1)</script>\n",
    "content/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n',
    "content/articles/chart.png": "<html><script>alert(1)</script></html>\n",
    "content/pagefind.yml": "serve: true\noutput_path: ../x\n",
    "content/data/extra.yml": "[]\n",
}


def _hostile_site(site, tmp_path) -> list[str]:
    """Every class of file content/ may not hold; the paths the errors must name."""
    site.apply(HOSTILE)
    site.add_article("post", "Post", "2026-10-01")
    os.symlink("/etc", site.content / "etc")
    os.symlink("/proc/self/environ", site.content / "environ.md")
    os.symlink(tmp_path / "nowhere", site.content / "gone.png")
    os.mkfifo(site.content / "articles/pipe.md")
    return sorted([*HOSTILE, "content/etc", "content/environ.md", "content/gone.png", "content/articles/pipe.md"])


@pytest.mark.slow
def test_check_and_the_build_refuse_every_class_with_the_same_errors_and_publish_nothing(site, tmp_path):
    named = _hostile_site(site, tmp_path)
    site.write("site/previous.html", "the previous site")
    code, printed = _within(120, lambda: check(site))
    assert code == 1
    checked = [line for line in printed.splitlines() if line.startswith("content/")]
    assert sorted({line.split(":", 1)[0] for line in checked}) == named
    result = site.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sorted(message for message in logged(result.stderr) if message.startswith("content/")) == sorted(checked)
    published = {path.relative_to(site.root / "site").as_posix() for path in (site.root / "site").rglob("*")}
    assert published == {"previous.html"}  # nothing written: the previous site as it was
    assert not (tmp_path / "x").exists()


def _nav_site(site):
    site.write("mkdocs.yml", mkdocs_yml({"nav": [{"Home": "index.md"}, {"Articles": "articles/index.md"},
                                                 {"About": "about.md"}]}))
    site.add_article("post", "Post", "2026-10-01")


@pytest.mark.slow
def test_markup_in_a_page_subtitle_is_printed_as_text_on_every_page(site):
    _nav_site(site)
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    site.write("content/index.md", f"---\ntitle: Home\nsubtitle: \"Home {script}\"\nstatus: new\n---\n\nHi.\n")
    site.write("content/about.md", f"---\ntitle: \"About {script}\"\nsubtitle: \"About {script}\"\n"
                                   "status: deprecated\nicon: material/information-outline\nhide: [toc]\n---\n\n"
                                   "## Us\n\nText.\n\n## Them\n\nText.\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    pages = sorted((site.root / "site").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site.root / "site")
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()], where
        assert not soup.select('img[src="x"]'), where
        assert not [e for e in soup.find_all(True) if any(a.lower().startswith("on") for a in e.attrs)], where
        if path.name != "404.html":  # the navigation shows each subtitle, as text
            subtitles = [small.get_text() for small in soup.select(".md-nav__link small")]
            assert f"Home {script}" in subtitles and f"About {script}" in subtitles, where
    # The statuses Material styles, as classes; nothing else can reach its class attribute.
    assert site.page("about/").select(".md-status--deprecated") and site.page("").select(".md-status--new")
    # `hide` still works with its values escaped.
    assert [toc.has_attr("hidden") for toc in site.page("about/").select('[data-md-type="toc"]')] == [True]


@pytest.mark.slow
def test_a_typo_in_a_page_icon_is_an_error_at_its_line_in_check_and_build(site):
    _nav_site(site)
    site.write("content/about.md", "---\ntitle: About\nicon: material/informaton-outline\n---\n\nUs.\n")
    expected = ("content/about.md:3:7: icon: no icon named 'material/informaton-outline': pick one from "
                "Material's icon set, like material/information-outline [unknown-icon]")
    code, printed = check(site)
    assert code == 1 and expected in printed.splitlines()
    result = site.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in logged(result.stderr)


@pytest.mark.slow
def test_a_date_after_2106_is_an_error_not_a_crash_in_check_and_build(site):
    site.write("content/articles/post.md", article("Post", "2026-10-01", updated="2206-10-01"))
    expected = ("content/articles/post.md:7:10: updated: 2206-10-01 is not a plausible date: the year must be "
                "1990 to 2100; check for a typo [date-range]")
    code, printed = check(site)
    assert code == 1 and expected in printed.splitlines()
    result = site.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in logged(result.stderr)


@pytest.mark.slow
def test_dot_files_are_never_published(site):
    site.add_article("post", "Post", "2026-10-01")
    site.write("content/.well-known/security.txt", "Contact: mailto:x@example.org\n")
    site.write("content/.htaccess", "Redirect / https://evil.example/\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    site_dir = site.root / "site"
    assert not (site_dir / ".well-known").exists() and not (site_dir / ".htaccess").exists()


# Pagefind: our settings only


@pytest.mark.slow
def test_pagefind_settings_in_the_site_the_working_folder_or_the_environment_change_nothing(tmp_path, monkeypatch):
    from generator.site import searchindex

    hostile = "serve: true\nwrite_playground: true\noutput_path: ../x\nsite: ../\nkeep_index_url: true\n"
    site_dir = tmp_path / "site"
    page = site_dir / "articles/post/index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<!doctype html><html lang="en"><head><title>Post</title></head><body>'
                    '<main data-pagefind-body><h1>Post</h1><p>Internships and their pay.</p></main></body></html>')
    for folder in (site_dir, tmp_path):
        for name in ("pagefind.yml", "pagefind.yaml"):
            (folder / name).write_text(hostile)
        (folder / "pagefind.json").write_text('{"serve": true, "output_path": "../y", "write_playground": true}')
        (folder / "pagefind.toml").write_text('serve = true\noutput_path = "../z"\n')
    monkeypatch.chdir(tmp_path)
    for name, value in {"PAGEFIND_SERVE": "true", "PAGEFIND_WRITE_PLAYGROUND": "true",
                        "PAGEFIND_OUTPUT_PATH": str(tmp_path / "elsewhere"), "PAGEFIND_KEEP_INDEX_URL": "true",
                        "PAGEFIND_OUTPUT_SUBDIR": "other"}.items():
        monkeypatch.setenv(name, value)
    before = {path for path in tmp_path.rglob("*")}

    indexing = searchindex.start_index(site_dir, language="en", expected=1, pages="articles/*/index.html")
    _within(60, indexing.finish)  # `serve` would never return

    written = sorted(path.relative_to(tmp_path).as_posix() for path in set(tmp_path.rglob("*")) - before)
    assert written and all(name.startswith("site/pagefind") for name in written), written
    assert not (site_dir / "pagefind/playground").exists()
    # "index.html" dropped from the address: keep_index_url stayed off.
    assert list(site_search_records(site_dir)) == ["/articles/post/"]


# Names a checkout on a case-insensitive disk would merge, and the theme's own folders


@pytest.mark.parametrize("files, expected", [
    ({"content/About.md": "---\ntitle: A\n---\n\nA.\n", "content/about.md": "---\ntitle: B\n---\n\nB.\n"},
     ["content/About.md:1:1: (file): would be published at /About/, like content/about.md (letter case aside): "
      "keep one of them [url-clash]",
      "content/about.md:1:1: (file): would be published at /about/, like content/About.md: keep one of them "
      "[url-clash]"]),
    ({"content/guide/Photo.png": image_bytes("PNG"), "content/guide/photo.png": image_bytes("PNG")},
     ["content/guide/Photo.png:1:1: (file): would be published at /guide/Photo.png, like content/guide/photo.png "
      "(letter case aside): keep one of them [url-clash]",
      "content/guide/photo.png:1:1: (file): would be published at /guide/photo.png, like content/guide/Photo.png: "
      "keep one of them [url-clash]"]),
    ({"content/Tags/index.md": "---\ntitle: T\n---\n\nT.\n"},
     ["content/Tags/index.md:1:1: (file): takes the URL /tags/ that the generated page 'Tags' needs: move or rename "
      "the file [url-clash]"]),
])
def test_names_that_differ_only_in_case_clash(site, files, expected):
    site.apply(files)
    assert sorted(problems(site)) == expected


@pytest.mark.parametrize("name", ["assets/images/favicon.png", "assets/social/site.png", "pagefind/x.png"])
def test_content_cannot_replace_the_theme_s_files(site, name):
    # MkDocs lets a content file win over the theme's file at the same path.
    site.apply({f"content/{name}": image_bytes("PNG")})
    folder = name.split("/")[0]
    assert [p.split(" is the site's own")[0] for p in problems(site)] == [f"content/{name}:1:1: (file): content/{folder}/"]
