"""Content lint: each warning names the place and says how to fix it."""

import datetime as dt

import pytest
from PIL import Image

from generator.content.errors import ContentErrors
from generator.site.pipeline import prepare
from sitekit import RESOURCES, article

TODAY = dt.date(2026, 11, 18)


def warnings(site) -> list[str]:
    return [str(w) for w in prepare(site.root, today=TODAY).warnings]


def body_article(site, body: str, slug: str = "post") -> None:
    site.write(f"content/articles/{slug}.md", article("Post", "2026-10-01", body=body))


# The body starts on line 12 of a sitekit article (front matter, then a blank line).
BODY = 12


def test_clean_article_has_no_warnings(site):
    body_article(site, "Intro.\n\n## One\n\n### Two\n\n## Three\n\n![A chart](chart.png)\n")
    Image.new("RGB", (4, 4), "white").save(site.content / "articles/chart.png")
    assert warnings(site) == []


def test_image_without_alt_text(site):
    body_article(site, "Intro.\n\nSee ![](photo.jpg) here.\n")
    Image.new("RGB", (4, 4), "white").save(site.content / "articles/photo.jpg")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY + 2}:5: body: image without alt text: describe it inside the "
        "brackets, ![like this](photo.jpg) [image-alt]"]


def test_skipped_heading_level(site):
    body_article(site, "## One\n\n#### Four\n")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY + 2}:1: body: heading level skipped: h4 after h2; use ### here [heading-skip]"]


def test_first_heading_must_be_h2(site):
    body_article(site, "### Too deep\n")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY}:1: body: heading level skipped: h3 after h1; use ## here [heading-skip]"]


def test_a_second_h1(site):
    body_article(site, "# Another title\n")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY}:1: body: a second h1 ('Another title'): the title is the page's h1; "
        "use ## here [second-h1]"]


def test_headings_inside_code_blocks_are_not_headings(site):
    body_article(site, "```sh\n# a shell comment\n```\n\n~~~\n#### nor this\n~~~\n")
    assert warnings(site) == []


def test_title_and_description_outside_recommended_lengths(site):
    site.write("content/articles/post.md", article("T" * 75, "2026-10-01", description="d" * 55))
    assert warnings(site) == [
        "content/articles/post.md:2:8: title: 75 characters: search results cut titles after about 70; shorten it [title-length]",
        "content/articles/post.md:3:14: description: 55 characters: say a little more (aim for 70 to 160) "
        "so readers know what they get [description-length]",
    ]


def test_article_with_neither_benefits_nor_tags(site):
    site.write("content/articles/post.md", article("Post", "2026-10-01", tags=[]))
    (message,) = warnings(site)
    assert message.startswith("content/articles/post.md:7:7: tags: the article has neither benefits nor tags")


def time_based(site, today: dt.date = TODAY) -> list[str]:
    return [str(finding.problem) for finding in prepare(site.root, today=today).time_based]


def test_resource_not_checked_for_over_a_year_is_time_based_not_a_warning(site):
    site.write("content/data/resources.yml",
               "- title: Old\n  url: https://old.example/\n  category: government\n  description: d\n"
               "  cost: free\n  last_checked: 2025-11-17\n"
               "- title: Fresh\n  url: https://fresh.example/\n  category: government\n  description: d\n"
               "  cost: free\n  last_checked: 2025-11-18\n")
    assert warnings(site) == []
    assert time_based(site) == [
        "content/data/resources.yml:6:17: last_checked: 'Old' was last checked 366 days ago: visit "
        "https://old.example/, then update last_checked [stale-resource]"]
    (finding,) = prepare(site.root, today=TODAY).time_based
    assert finding.lines == (1, 6)  # the entry, up to the next one


def test_article_not_reviewed_for_a_year_is_due_for_review(site):
    site.add_article("reviewed", "Reviewed", "2025-06-01", reviewed="2025-11-17")
    site.add_article("recent", "Recent", "2025-06-01", reviewed="2025-11-18")
    site.add_article("never", "Never", "2025-11-17")
    site.add_article("new", "New", "2025-11-18")
    site.add_article("draft", "Draft", "2024-01-01", draft=True)
    assert warnings(site) == []
    assert time_based(site) == [
        "content/articles/never.md:4:7: date: published 366 days ago and never reviewed: check every fact "
        "against the sources, then add `reviewed:` with the day you did [review-due]",
        "content/articles/reviewed.md:7:11: reviewed: last reviewed 366 days ago: check every fact against the "
        "sources, then set reviewed to the day you did [review-due]",
    ]
    assert time_based(site, today=dt.date(2025, 11, 18)) == []


def test_internal_links_to_missing_pages_and_anchors(site):
    site.add_article("other", "Other", "2026-09-01", body="## Where to look\n\nText.\n")
    site.add_article("secret", "Secret", "2026-09-02", draft=True)
    site.write("content/about.md", "---\ntitle: About\n---\n\n## Contact {#contact}\n")
    body_article(site, "\n".join([
        "[ok](other.md) [ok](other.md#where-to-look) [ok](../about.md#contact) [ok](#a-section)",
        "[ok](../benefits/networking/index.md) [ok](../tags/general/index.md) [ok](https://example.org/x.md)",
        "[missing](nope.md)",
        "[anchor](other.md#nowhere)",
        "[draft](secret.md)",
        "[generated](../benefits/no-such-benefit/index.md) [folder](../benefits/)",
        "",
        "## A section",
        "",
        "[ref]: missing-too.md [broken-link]",
    ]) + "\n")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY + 2}:11: body: links to a page that does not exist: nope.md [broken-link]",
        f"content/articles/post.md:{BODY + 3}:10: body: links to #nowhere, which is not a heading of that "
        "page: other.md#nowhere [broken-link]",
        f"content/articles/post.md:{BODY + 4}:9: body: links to an article that is not published (a draft or "
        "scheduled): secret.md [broken-link]",
        f"content/articles/post.md:{BODY + 5}:13: body: links to a page that does not exist: "
        "../benefits/no-such-benefit/index.md [broken-link]",
        f"content/articles/post.md:{BODY + 5}:60: body: links to a folder: link to its page file, "
        "../benefits/index.md, so the link is checked: ../benefits/ [broken-link]",
        f"content/articles/post.md:{BODY + 9}:8: body: links to a page that does not exist: missing-too.md [broken-link]",
    ]


@pytest.mark.slow
def test_lint_warnings_fail_the_strict_build(site):
    body_article(site, "#### Deep\n")
    result = site.build()
    assert result.returncode == 1
    assert f"WARNING -  content/articles/post.md:{BODY}:1: body: heading level skipped" in result.stderr


def test_footnotes_and_code_spans_are_not_links(site):
    body_article(site, "A claim.[^1] Write `[x](missing.md)` for a link.\n\n[^1]: The official guidance, 2024.\n")
    assert warnings(site) == []


def test_a_heading_with_code_keeps_its_anchor(site):
    site.add_article("other", "Other", "2026-09-01", body="## Using `git` daily\n\nText.\n")
    body_article(site, "[ok](other.md#using-git-daily)\n")
    assert warnings(site) == []


def test_a_link_to_an_article_one_letter_off_suggests_its_slug(site):
    site.add_article("networking-without-awkwardness", "Networking", "2026-09-01")
    body_article(site, "[networking](networking-without-awkardness.md) [far](zzz.md)\n")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY}:14: body: links to a page that does not exist: "
        "networking-without-awkardness.md; did you mean networking-without-awkwardness.md? [broken-link]",
        f"content/articles/post.md:{BODY}:54: body: links to a page that does not exist: zzz.md [broken-link]",
    ]


def test_an_image_whose_file_is_missing_is_a_broken_link_as_in_the_strict_build(site):
    body_article(site, "![A chart](chart.png)\n\n![A map](../images/map.png)\n\n`![code](x.png)`\n")
    Image.new("RGB", (4, 4), "white").save(site.content / "articles/chart.png")
    assert warnings(site) == [
        f"content/articles/post.md:{BODY + 2}:10: body: shows an image that does not exist: ../images/map.png "
        "(no file content/images/map.png); add the file or fix the path, relative to this article [broken-link]",
    ]


def test_an_article_with_front_matter_errors_still_has_its_body_checked(site):
    site.add_article("other", "Other", "2026-09-01", body="[x](gone.md)\n")
    site.write("content/articles/post.md", article("Post", "2026-10-01", tagz=["x"], body="[y](nowhere.md)\n"))
    with pytest.raises(ContentErrors) as raised:
        prepare(site.root, today=TODAY)
    assert [error.code for error in raised.value.errors] == ["unknown-field"]
    assert [(w.path, w.message) for w in raised.value.warnings] == [
        ("content/articles/other.md", "links to a page that does not exist: gone.md"),
        ("content/articles/post.md", "links to a page that does not exist: nowhere.md"),
    ]


def test_a_link_to_an_article_whose_front_matter_has_errors_is_not_broken(site):
    site.write("content/articles/other.md", article("Other", "2026-09-01", tagz=["x"]))
    body_article(site, "[other](other.md)\n")
    with pytest.raises(ContentErrors) as raised:
        prepare(site.root, today=TODAY)
    assert raised.value.warnings == []


def test_an_entry_naming_an_invalid_one_is_left_out_and_the_rest_still_linted(site):
    # A resource in an unknown category and an article by an unknown author cannot join the
    # site graph; the other articles are linted all the same.
    resources = [{**RESOURCES[0], "category": "nowhere"}, *RESOURCES[1:]]
    site.write_data("resources.yml", resources)
    site.add_article("ghost", "Ghost", "2026-09-01", authors=["nobody"], body="[z](zero.md)\n")
    body_article(site, "![](photo.jpg)\n")
    Image.new("RGB", (4, 4), "white").save(site.content / "articles/photo.jpg")
    with pytest.raises(ContentErrors) as raised:
        prepare(site.root, today=TODAY)
    assert [error.code for error in raised.value.errors] == ["unknown-reference", "unknown-reference"]
    assert [(w.path, w.code) for w in raised.value.warnings] == [
        ("content/articles/ghost.md", "broken-link"), ("content/articles/post.md", "image-alt")]


PLACEHOLDERS = dict(
    description="TODO: one or two sentences on what a reader will learn from this article.",
    sources=[{"title": "TODO: the page's title", "url": "https://www.example.gov/replace",
              "publisher": "U.S. Department of Labor", "accessed": "2026-10-01"},
             {"title": "Fact Sheet #71", "url": "https://www.dol.gov/agencies/whd/fact-sheets/71-flsa-internships",
              "publisher": "TODO: who publishes it", "accessed": "2026-10-01"}],
    body="Intro.\n\n## TODO: a first section\n\n- [ ] TODO: a first step\n\n`TODO` in code is not one.\n",
)


def test_placeholders_left_in_a_published_article_are_errors_at_their_place(site):
    site.write("content/articles/post.md", article("Post", "2026-10-01", **PLACEHOLDERS))
    with pytest.raises(ContentErrors) as raised:
        prepare(site.root, today=TODAY)
    problems = [(error.line, error.field, error.code) for error in raised.value.errors]
    assert problems == [
        (3, "description", "placeholder"),
        (9, "sources[0].title", "placeholder"), (9, "sources[0].url", "placeholder"),
        (9, "sources[1].publisher", "placeholder"),
        (BODY + 2, "body", "placeholder"), (BODY + 4, "body", "placeholder"),
    ]
    assert "write the real text" in raised.value.errors[0].message


def test_placeholders_in_a_draft_are_notes(site):
    site.write("content/articles/post.md", article("Post", "2026-10-01", draft=True, **PLACEHOLDERS))
    prepared = prepare(site.root, today=TODAY)
    assert prepared.warnings == []
    assert [note.code for note in prepared.notes].count("placeholder") == 6
