"""Every kind of content error, each named by file, line and column."""

import pytest

from generator.content import reader
from generator.content.reader import load_content
from generator.content.errors import ContentErrors
from sitekit import DESCRIPTION, article


def errors(site) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(site.root)
    return [str(error) for error in caught.value.errors]


FRONT = f"""---
title: A title
description: {DESCRIPTION}
date: 2026-10-01
authors: [careers-desk]
"""


CATEGORIES_OK = ("- id: job-boards\n  title: Job boards\n  description: d\n"
                 "- id: government\n  title: Government\n  description: d\n")


def write_article(site, front_matter_lines: str, slug: str = "post") -> None:
    site.write(f"content/articles/{slug}.md", FRONT + front_matter_lines + "---\n\nBody.\n")


def test_valid_site_loads(site):
    site.add_article("post", "A title", "2026-10-01", benefits=["networking"], tags=["law"])
    content = load_content(site.root)
    assert [a.slug for a in content.articles] == ["post"]
    assert [b.id for b in content.benefits] == ["real-world-experience", "networking", "confidence"]
    assert set(content.authors) == {"careers-desk", "policy-desk"}


def test_unknown_key_in_front_matter_suggests_the_right_one(site):
    write_article(site, "tagz: [law]\n")
    assert errors(site) == ["content/articles/post.md:6:1: tagz: unknown field: did you mean `tags`? [unknown-field]"]


def test_unknown_key_without_a_close_match_lists_allowed_fields(site):
    write_article(site, "colour: red\n")
    (message,) = errors(site)
    assert message.startswith("content/articles/post.md:6:1: colour: unknown field: allowed fields are title,")


def test_missing_required_field_points_at_the_front_matter(site):
    site.write("content/articles/post.md", "---\ntitle: A title\ndate: 2026-10-01\nauthors: [careers-desk]\n---\n")
    assert errors(site) == ["content/articles/post.md:2:1: description: is required: add `description:` [missing-field]"]


def test_wrong_type_names_the_value(site):
    site.write("content/articles/post.md", FRONT.replace("title: A title", "title: 42") + "---\n")
    assert errors(site) == [
        "content/articles/post.md:2:8: title: must be text (got 42); put it in quotes if it should be text [wrong-type]"
    ]


def test_draft_must_be_a_boolean(site):
    write_article(site, "draft: maybe\n")
    assert errors(site) == ["content/articles/post.md:6:8: draft: must be true or false (got 'maybe') [wrong-type]"]


def test_impossible_date(site):
    site.write("content/articles/post.md", FRONT.replace("2026-10-01", "2026-02-30") + "---\n")
    (message,) = errors(site)
    assert message.startswith("content/articles/post.md:4:7: date: 2026-02-30 is not a real date")


def test_date_in_another_format(site):
    site.write("content/articles/post.md", FRONT.replace("2026-10-01", "01/10/2026") + "---\n")
    assert errors(site) == [
        "content/articles/post.md:4:7: date: must be a date written YYYY-MM-DD (got '01/10/2026') [bad-date]"
    ]


def test_updated_before_date(site):
    write_article(site, "updated: 2026-09-30\n")
    assert errors(site) == [
        "content/articles/post.md:6:10: updated: 2026-09-30 is before the publication date 2026-10-01 [date-order]"
    ]


def test_title_too_long_and_description_too_short(site):
    site.write("content/articles/post.md",
               FRONT.replace("A title", "x" * 91).replace(DESCRIPTION, "Too short.") + "---\n")
    assert errors(site) == [
        "content/articles/post.md:2:8: title: must be at most 90 characters (got 91) [length]",
        "content/articles/post.md:3:14: description: must be at least 50 characters (got 10) [length]",
    ]


def test_image_needs_alt_text(site):
    write_article(site, "image: photo.jpg\n")
    assert errors(site) == [
        "content/articles/post.md:6:8: image_alt: is required when `image` is set: "
        "describe the image for readers who cannot see it [image-alt-missing]"
    ]


def test_unknown_author_and_benefit_in_front_matter_names_file_and_line(site):
    site.write("content/articles/post.md", FRONT.replace("[careers-desk]", "[carreers-desk]")
               + "benefits:\n  - networking\n  - salary\n---\n")
    assert errors(site) == [
        "content/articles/post.md:5:11: authors[0]: unknown author 'carreers-desk': did you mean "
        "'careers-desk'? (see content/data/authors.yml) [unknown-reference]",
        "content/articles/post.md:8:5: benefits[1]: unknown benefit 'salary': known ids: "
        "real-world-experience, networking, confidence (see content/data/benefits.yml) [unknown-reference]",
    ]


def test_tags_must_be_short_lowercase_words(site):
    write_article(site, "tags: [Job Search]\n")
    assert errors(site) == [
        "content/articles/post.md:6:8: tags[0]: must be lowercase letters, digits and hyphens, "
        "like `career-clarity` (got 'Job Search') [not-a-slug]"
    ]


def test_an_article_has_at_most_twelve_tags(site):
    # each tag is a page: 5,000 tags in one front matter made 5,000 pages
    write_article(site, f"tags: [{', '.join(f't{n}' for n in range(5000))}]\n")
    assert errors(site) == ["content/articles/post.md:6:7: tags: must have at most 12 items (got 5000) [length]"]
    write_article(site, f"tags: [{', '.join(f't{n}' for n in range(12))}]\n")
    assert load_content(site.root).articles[0].meta.tags[-1] == "t11"


def test_missing_front_matter(site):
    site.write("content/articles/post.md", "# Just a heading\n")
    (message,) = errors(site)
    assert message.startswith("content/articles/post.md:1:1: (front matter): missing:")


def test_file_name_that_is_not_a_slug(site):
    site.write("content/articles/My Post.md", article("A title", "2026-10-01"))
    assert errors(site) == [
        "content/articles/My Post.md:1:1: (file name): the slug 'My Post' must be lowercase letters, "
        "digits and hyphens: rename the file, for example to my-post.md [bad-file-name]"
    ]


def test_reserved_slug(site):
    site.write("content/articles/page.md", article("A title", "2026-10-01"))
    (message,) = errors(site)
    assert message.startswith("content/articles/page.md:1:1: (file name): the slug 'page' is reserved")


def test_articles_in_subfolders_are_refused(site):
    site.write("content/articles/2026/post.md", article("A title", "2026-10-01"))
    (message,) = errors(site)
    assert message.startswith("content/articles/2026/post.md:1:1: (file): ")


def test_duplicate_benefit_id(site):
    site.write("content/data/benefits.yml",
               "- id: networking\n  title: A\n  summary: x\n- id: networking\n  title: B\n  summary: y\n"
               "- id: real-world-experience\n  title: C\n  summary: z\n")
    assert errors(site) == [
        "content/data/benefits.yml:4:7: id: duplicate benefit id 'networking': item 1 already uses it [duplicate-id]"
    ]


def test_duplicate_resource_url(site):
    resource = ("- title: A\n  url: https://a.example/\n  category: government\n  description: d\n"
                "  cost: free\n  last_checked: 2026-01-01\n")
    site.write("content/data/resources.yml", resource + resource)
    assert errors(site) == [
        "content/data/resources.yml:8:8: url: duplicate resource url 'https://a.example/': item 1 already uses it [duplicate-id]"
    ]


def test_resource_url_must_be_http(site):
    site.write("content/data/resources.yml",
               "- title: A\n  url: javascript:alert(1)\n  category: government\n  description: d\n"
               "  cost: free\n  last_checked: 2026-01-01\n")
    assert errors(site) == [
        "content/data/resources.yml:2:8: url: must start with https:// or http:// and name a host "
        "(got 'javascript:alert(1)') [bad-url]"
    ]


def test_resource_unknown_category_cost_and_benefit(site):
    site.write("content/data/resources.yml",
               "- title: A\n  url: https://a.example/\n  category: jobboards\n  description: d\n"
               "  cost: cheap\n  last_checked: 2026-01-01\n  benefits: [confidence]\n"
               "- title: B\n  url: https://b.example/\n  category: government\n  description: d\n"
               "  cost: free\n  last_checked: 2026-01-01\n  benefits: [confidense, fame]\n")
    assert errors(site) == [
        "content/data/resources.yml:3:13: category: unknown category 'jobboards': did you mean "
        "'job-boards'? (see content/data/categories.yml) [unknown-reference]",
        "content/data/resources.yml:5:9: cost: must be one of 'free', 'paid' or 'mixed' (got 'cheap') [bad-choice]",
        "content/data/resources.yml:14:14: benefits[0]: unknown benefit 'confidense': did you mean "
        "'confidence'? (see content/data/benefits.yml) [unknown-reference]",
        "content/data/resources.yml:14:26: benefits[1]: unknown benefit 'fame': known ids: "
        "real-world-experience, networking, confidence (see content/data/benefits.yml) [unknown-reference]",
    ]


def test_resource_unknown_category(site):
    site.write("content/data/resources.yml",
               "- title: A\n  url: https://a.example/\n  category: jobboards\n  description: d\n"
               "  cost: free\n  last_checked: 2026-01-01\n")
    assert errors(site) == [
        "content/data/resources.yml:3:13: category: unknown category 'jobboards': did you mean "
        "'job-boards'? (see content/data/categories.yml) [unknown-reference]"
    ]


def test_author_missing_bio_and_bad_id(site):
    site.write("content/data/authors.yml",
               "careers-desk:\n  name: Careers Desk\nPolicy Desk:\n  name: P\n  bio: b\n")
    assert errors(site) == [
        "content/data/authors.yml:2:3: bio: is required: add `bio:` [missing-field]",
        "content/data/authors.yml:3:1: Policy Desk: an author id must be lowercase letters, digits "
        "and hyphens, like `careers-desk` [not-a-slug]",
    ]


def test_data_file_of_the_wrong_shape(site):
    site.write("content/data/categories.yml", "job-boards: Job boards\n")
    assert errors(site) == [
        "content/data/categories.yml:1:1: (file): must be a list of items, each starting with `- ` [data-file-shape]"
    ]


@pytest.mark.parametrize("name, entries", [
    # 5,000 benefits made a two-minute build; each author has a page
    ("benefits.yml", [{"id": f"b{n}", "title": f"B{n}", "summary": "S."} for n in range(101)]),
    ("authors.yml", {f"a{n}": {"name": f"A{n}", "bio": "B."} for n in range(201)}),
])
def test_a_data_file_has_a_bounded_number_of_entries(site, name, entries):
    import yaml
    if isinstance(entries, dict):
        entries = {**yaml.safe_load((site.root / f"content/data/{name}").read_text(encoding="utf-8")), **entries}
    else:
        entries = yaml.safe_load((site.root / f"content/data/{name}").read_text(encoding="utf-8")) + entries
    site.write_data(name, entries)
    limit = reader.MAX_DATA_ENTRIES[name]
    (message,) = errors(site)
    assert message.startswith(f"content/data/{name}:") and f"holds {len(entries)} entries; at most {limit} are " \
        "allowed" in message and message.endswith("[length]"), message


def test_list_item_that_is_not_a_mapping(site):
    site.write("content/data/categories.yml", CATEGORIES_OK + "- interviews\n")
    (message,) = errors(site)
    assert message.startswith("content/data/categories.yml:7:3: [2]: must be a mapping with `id`, `title`")


def test_missing_data_file(site):
    (site.root / "content/data/resources.yml").unlink()
    assert errors(site) == [
        "content/data/resources.yml:1:1: (file): is missing: create it (an empty list `[]` is fine) [data-file-missing]"
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(site):
    write_article(site, "tagz: [a]\n", slug="one")
    site.write("content/articles/two.md", FRONT.replace("2026-10-01", "2026-13-01") + "---\n")
    site.write("content/data/categories.yml", CATEGORIES_OK + "- id: x\n  title: X\n")
    messages = errors(site)
    assert [m.split(": ")[0] for m in messages] == [
        "content/articles/one.md:6:1",
        "content/articles/two.md:4:7",
        "content/data/categories.yml:7:3",
    ]
