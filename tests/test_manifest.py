"""The site manifest (file -> SHA-256) and the pull-request summary computed from two."""

import hashlib
import json

import pytest

from generator.site.manifest import (
    MANIFEST_FILE,
    MAX_LISTED,
    ManifestDiff,
    build_manifest,
    diff_manifests,
    escape_markdown,
    main,
    page_url,
    read_manifest,
    render_summary,
    write_manifest,
)


def write_files(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SITE = {
    "index.html": "<h1>Home</h1>",
    "articles/interviews/index.html": "<h1>Interviews</h1>",
    "assets/site.css": "body {}",
    "404.html": "Not found",
    "search/search_index.json": "{}",
}


def test_manifest_lists_every_file_by_posix_path_with_its_sha256_sorted(tmp_path):
    write_files(tmp_path, SITE)
    manifest = build_manifest(tmp_path)
    assert list(manifest) == ["404.html", "articles/interviews/index.html", "assets/site.css", "index.html",
                              "search/search_index.json"]
    assert manifest == {path: sha(text) for path, text in SITE.items()}


def test_manifest_leaves_out_only_its_own_file(tmp_path):
    write_files(tmp_path, {**SITE, MANIFEST_FILE: "{}", "data/manifest.json": "[]"})
    manifest = build_manifest(tmp_path)
    assert MANIFEST_FILE not in manifest
    assert manifest["data/manifest.json"] == sha("[]")
    assert not any(path.endswith("/") for path in manifest)  # folders are not files


def test_written_manifest_is_sorted_indented_json_with_a_trailing_newline(tmp_path):
    write_files(tmp_path, {"b.html": "b", "a/index.html": "a"})
    path = write_manifest(tmp_path)
    assert path == tmp_path / MANIFEST_FILE
    assert path.read_bytes().decode("ascii") == (
        "{\n"
        f'  "a/index.html": "{sha("a")}",\n'
        f'  "b.html": "{sha("b")}"\n'
        "}\n"
    )
    assert read_manifest(path) == build_manifest(tmp_path)


def test_writing_the_manifest_is_deterministic_whatever_the_order_files_were_made(tmp_path):
    first = write_files(tmp_path / "first", SITE)
    second = write_files(tmp_path / "second", dict(reversed(list(SITE.items()))))
    once = write_manifest(first).read_bytes()
    assert write_manifest(first).read_bytes() == once  # its own file is not in it
    assert write_manifest(second).read_bytes() == once


def test_manifest_can_be_written_elsewhere_without_touching_the_site(tmp_path):
    site = write_files(tmp_path / "site", SITE)
    output = write_manifest(site, tmp_path / "base-manifest.json")
    assert output == tmp_path / "base-manifest.json"
    assert not (site / MANIFEST_FILE).exists()
    assert read_manifest(output) == build_manifest(site)


def test_reading_something_that_is_not_a_manifest_is_a_value_error(tmp_path):
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "broken.json").write_text("{")
    for name in ["list.json", "broken.json"]:
        with pytest.raises(ValueError, match=f"{name}: not a manifest"):
            read_manifest(tmp_path / name)


@pytest.mark.parametrize(("path", "url"), [
    ("index.html", "/"),
    ("articles/x/index.html", "/articles/x/"),
    ("articles/page/2/index.html", "/articles/page/2/"),
    ("404.html", "/404.html"),
    ("about/team.html", "/about/team.html"),
    ("assets/site.css", None),
    ("sitemap.xml", None),
    ("feed.json", None),
])
def test_html_files_are_pages_named_by_their_url_path(path, url):
    assert page_url(path) == url


def test_diff_sorts_pages_into_added_changed_removed_and_counts_other_files():
    old = {"index.html": "1", "articles/a/index.html": "2", "articles/gone/index.html": "3",
           "assets/site.css": "4", "sitemap.xml": "5", "old.js": "6"}
    new = {"index.html": "1", "articles/a/index.html": "2*", "articles/new/index.html": "7",
           "404.html": "8", "assets/site.css": "4*", "sitemap.xml": "5", "new.js": "9"}
    diff = diff_manifests(old, new)
    assert diff == ManifestDiff(added=["/404.html", "/articles/new/"], changed=["/articles/a/"],
                                removed=["/articles/gone/"], other_files=["assets/site.css", "new.js", "old.js"])
    assert diff.other_count == 3


def test_identical_manifests_have_no_differences():
    manifest = {"index.html": "1", "assets/site.css": "2"}
    diff = diff_manifests(manifest, dict(manifest))
    assert diff == ManifestDiff()
    assert not diff.has_page_changes and diff.other_count == 0


def test_diff_of_two_built_folders_names_the_pages_an_edit_touched(tmp_path):
    base = write_files(tmp_path / "base", SITE)
    head = write_files(tmp_path / "head", {**SITE, "articles/interviews/index.html": "<h1>Interviews, revised</h1>",
                                           "articles/offers/index.html": "<h1>Offers</h1>"})
    (head / "404.html").unlink()
    diff = diff_manifests(read_manifest(write_manifest(base)), read_manifest(write_manifest(head)))
    assert diff == ManifestDiff(added=["/articles/offers/"], changed=["/articles/interviews/"],
                                removed=["/404.html"], other_files=[])


def test_summary_lists_each_kind_under_its_heading_with_counts():
    diff = ManifestDiff(added=["/articles/new/"], changed=["/", "/articles/a/"], removed=["/articles/gone/"],
                        other_files=["assets/site.css", "sitemap.xml"])
    assert render_summary(diff, site_url=None) == (
        "## Pages changed\n"
        "\n"
        "1 page added, 2 changed, 1 removed. 2 other files (assets, search index, sitemap, feeds) differ.\n"
        "\n"
        "### Added (1)\n"
        "\n"
        "- /articles/new/\n"
        "\n"
        "### Changed (2)\n"
        "\n"
        "- /\n"
        "- /articles/a/\n"
        "\n"
        "### Removed (1)\n"
        "\n"
        "- /articles/gone/\n"
    )


def test_summary_links_pages_to_the_site_when_its_url_is_given():
    diff = ManifestDiff(added=["/articles/new/", "/"])
    summary = render_summary(diff, site_url="https://example.org/guide/")
    items = [line for line in summary.splitlines() if line.startswith("- ")]
    assert items == ["- [/articles/new/](https://example.org/guide/articles/new/)",
                     "- [/](https://example.org/guide/)"]


def test_summary_without_page_changes_says_so():
    assert render_summary(ManifestDiff(), site_url=None) == "## Pages changed\n\nNo page changes.\n"
    only_assets = ManifestDiff(other_files=["assets/site.css"])
    assert render_summary(only_assets, site_url=None) == (
        "## Pages changed\n\nNo page changes. 1 other file (assets, search index, sitemap, feeds) differs.\n")


def test_summary_escapes_markdown_in_paths_and_encodes_link_targets():
    path = "/articles/a_b*c[x](javascript:alert`1`)<img>|&amp;@$/"
    summary = render_summary(ManifestDiff(changed=[path]), site_url="https://example.org/")
    item = summary.splitlines()[-1]
    assert item == (r"- [/articles/a\_b\*c\[x\]\(javascript\:alert\`1\`\)\<img\>\|\&amp;\@\$/]"
                    "(https://example.org/articles/a_b%2Ac%5Bx%5D%28javascript%3Aalert%601%60%29%3Cimg%3E"
                    "%7C%26amp%3B%40%24/)")
    assert render_summary(ManifestDiff(changed=[path]), site_url=None).splitlines()[-1] == (
        r"- /articles/a\_b\*c\[x\]\(javascript\:alert\`1\`\)\<img\>\|\&amp;\@\$/")


def test_escaping_keeps_a_path_on_one_line():
    assert escape_markdown("/a\nb\r\tc\\/") == "/a\N{REPLACEMENT CHARACTER}b\N{REPLACEMENT CHARACTER}" \
                                               "\N{REPLACEMENT CHARACTER}c\\\\/"


def test_each_list_is_capped_and_the_rest_counted():
    added = [f"/articles/a{number:03}/" for number in range(MAX_LISTED + 5)]
    summary = render_summary(ManifestDiff(added=added, removed=["/old/"]), site_url=None)
    lines = summary.splitlines()
    assert lines[2] == f"{MAX_LISTED + 5} pages added, 0 changed, 1 removed."
    start = lines.index(f"### Added ({MAX_LISTED + 5})") + 2
    listed = lines[start:start + MAX_LISTED + 1]
    assert listed == [f"- /articles/a{number:03}/" for number in range(MAX_LISTED)] + ["- and 5 more"]
    assert lines[-1] == "- /old/"


def test_command_line_writes_the_manifest_of_a_site_folder(tmp_path, capsys):
    site = write_files(tmp_path / "site", SITE)
    assert main([str(site)]) == 0
    assert capsys.readouterr().out.strip() == str(site / MANIFEST_FILE)
    assert json.loads((site / MANIFEST_FILE).read_text()) == build_manifest(site)

    assert main([str(site), "--output", str(tmp_path / "elsewhere.json")]) == 0
    assert read_manifest(tmp_path / "elsewhere.json") == build_manifest(site)

    assert main([str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err
