"""The error catalogue: every code an editor can meet, with an example and the fix.

ERRORS.md is generated from this list (`python -m generator catalogue`), and each
example is run by the test suite, which checks that it produces its code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FRONT = """---
title: An example
description: A description long enough to pass validation, seventy characters or so.
date: 2026-10-01
authors: [careers-desk]
tags: [example]
sources:
  - {title: Employment rights for interns, url: "https://www.gov.uk/employment-rights-for-interns", publisher: GOV.UK, accessed: 2026-10-01}
  - {title: Internship programs under the FLSA, url: "https://www.dol.gov/agencies/whd/fact-sheets/71-flsa-internships", publisher: U.S. Department of Labor, accessed: 2026-10-01}
"""


def _article(extra: str = "", body: str = "Text.\n", front: str = FRONT) -> str:
    return front + extra + "---\n\n" + body


# A white pixel: the smallest PNG that decodes.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\xdac\xf8\x0f\x00\x01\x01\x01\x00\x1c\xb0\x8c\x99\x00\x00\x00\x00IEND\xaeB`\x82")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif")

RESOURCE = """- title: USAJOBS
  url: https://www.usajobs.gov/
  category: government
  description: Federal jobs and internships.
  cost: free
  last_checked: 2026-11-01
"""


@dataclass(frozen=True)
class Entry:
    code: str
    # "error" stops the build; "warning" fails --strict and the strict build; "time-based" is
    # reported, and fails only `check --strict` where a change touched it, or --scheduled.
    severity: str
    title: str
    fix: str
    # Files written over a small valid site: text, bytes, or None to delete the file.
    example: dict[str, str | bytes | None] = field(default_factory=dict)
    tested_elsewhere: str = ""  # when the example cannot run offline or without MkDocs


ARTICLE = "content/articles/example.md"
RESOURCES = "content/data/resources.yml"
FACTS = "content/data/facts/uk.yml"


def _facts(review_by: str = "2027-03-15", values: str = '    - {value: "£12.71", from: 2026-04-01}\n',
           extra: str = "") -> str:
    return ("# yaml-language-server: $schema=../../../schemas/facts.schema.json\n"
            "- id: uk-national-living-wage\n"
            "  label: UK National Living Wage\n"
            "  region: gb\n"
            "  values:\n" + values +
            "  source: {title: National Minimum Wage and National Living Wage rates, "
            "url: \"https://www.gov.uk/national-minimum-wage-rates\", publisher: GOV.UK, accessed: 2026-10-01}\n"
            f"  review_by: {review_by}\n" + extra)

CATALOGUE: list[Entry] = [
    # YAML and files
    Entry("yaml-syntax", "error", "The file is not valid YAML",
          "Check indentation and quoting on the line named and the one above it. Text containing "
          "`: ` or starting with a special character needs quotes.",
          {ARTICLE: _article("benefits: [networking\n")}),
    Entry("yaml-duplicate-key", "error", "A field is set twice in one entry",
          "Keep one of the two lines.", {ARTICLE: _article("title: Again\n")}),
    Entry("yaml-alias", "error", "YAML anchors and aliases are not supported",
          "Write the value out in full instead of `&name` and `*name`.",
          {ARTICLE: _article("benefits: &b [networking]\nupdated: *b\n")}),
    Entry("yaml-tag", "error", "A YAML tag such as `!!python/object` is not allowed",
          "Remove the tag; content is plain text, numbers, lists and mappings.",
          {ARTICLE: _article("image: !!python/object:os.system x\n")}),
    Entry("yaml-depth", "error", "The YAML is nested too deeply",
          "Flatten the structure: content never needs more than a few levels.",
          {RESOURCES: "- " + "[" * 40 + "]" * 40 + "\n"}),
    Entry("file-too-large", "error", "The file is larger than 1 MB",
          "Split it; no article or data file comes near this size.",
          {ARTICLE: _article(body="word " * 210_000)}),
    Entry("file-unreadable", "error", "The file is not UTF-8 text",
          "Save the file as UTF-8 (every modern editor can).", {ARTICLE: "Caf\u00e9\n".encode("latin-1")}),
    Entry("front-matter-missing", "error", "An article has no front matter",
          "Start the file with `---`, the fields, and a closing `---`; "
          "`python -m generator new article` writes them for you.", {ARTICLE: "# Just a heading\n"}),
    Entry("data-file-missing", "error", "A data file is missing",
          "Create it; an empty list `[]` (or mapping `{}` for authors.yml) is fine.",
          {RESOURCES: None}),
    Entry("data-file-shape", "error", "A data file has the wrong shape",
          "benefits, categories, resources and each facts file are lists (each entry starts with `- `); "
          "authors is a mapping of ids.", {RESOURCES: "title: USAJOBS\n"}),
    # Fields
    Entry("unknown-field", "error", "A field name is not one we know",
          "Use the suggested name; the message lists the allowed ones.", {ARTICLE: _article("tagz: [law]\n")}),
    Entry("missing-field", "error", "A required field is missing",
          "Add the field named.", {RESOURCES: RESOURCE.replace("  cost: free\n", "")}),
    Entry("wrong-type", "error", "A value has the wrong type",
          "Write text, a list (`[a, b]`), `true`/`false` or a mapping as the message says; "
          "quote text that looks like a number.", {ARTICLE: _article("draft: maybe\n")}),
    Entry("length", "error", "A text is too long or too short",
          "Titles: at most 90 characters. Descriptions: 50 to 160.",
          {ARTICLE: _article(front=FRONT.replace("An example", "x" * 91))}),
    Entry("not-a-slug", "error", "An id or tag is not a URL slug",
          "Use lowercase letters, digits and hyphens: `job-search`.", {ARTICLE: _article("tags: [Job Search]\n",
                                                                                         front=FRONT.replace("tags: [example]\n", ""))}),
    Entry("bad-icon", "error", "An icon name is malformed",
          "Write it as `set/name`, like `material/briefcase-outline`.",
          {"content/data/benefits.yml": "- id: networking\n  title: Networking\n  summary: s\n  icon: Briefcase\n"}),
    Entry("bad-choice", "error", "A value is not one of the allowed choices",
          "Use one of the values listed (cost: free, paid or mixed).",
          {RESOURCES: RESOURCE.replace("cost: free", "cost: cheap")}),
    Entry("bad-date", "error", "A date is malformed or does not exist",
          "Write an existing date as YYYY-MM-DD.", {ARTICLE: _article(front=FRONT.replace("2026-10-01", "2026-02-30"))}),
    Entry("date-range", "error", "A date is not plausible",
          "Check the year for a typo: dates in content are from 1990 (the web began; nothing here is older) "
          "to 2100 (no schedule reaches further, and the site's files cannot record a date after 2106).",
          {ARTICLE: _article("updated: 2206-10-01\n")}),
    Entry("date-order", "error", "`updated` is before `date`, or a fact's values are out of order",
          "An article cannot be updated before it is published: fix one of the dates. A fact's values are "
          "listed oldest first, each `until` on or after its `from` and before the next value's `from`.",
          {ARTICLE: _article("updated: 2026-09-01\n")}),
    Entry("bad-url", "error", "A URL in data is not a web address",
          "Use a full `https://` address.", {RESOURCES: RESOURCE.replace("https://www.usajobs.gov/", "www.usajobs.gov")}),
    Entry("bad-region", "error", "A region is not a country code",
          "Use the two-letter ISO 3166-1 code of the country, lowercase: `us`, `gb` (the whole United "
          "Kingdom), `ca`, `ie`, `au`... The message suggests the closest. A fact may also say `eu`, for a rule "
          "that holds across the European Union.",
          {ARTICLE: _article("regions: [uk]\n")}),
    Entry("image-alt-missing", "error", "An article image has no `image_alt`",
          "Add `image_alt:` describing what the image shows.", {ARTICLE: _article("image: photo.jpg\n")}),
    Entry("image-credit-without-image", "error", "An `image_credit` without an `image`",
          "Add the lead image the credit is for (`image:` and `image_alt:`), or remove `image_credit:`.",
          {ARTICLE: _article('image_credit: "Photo: Ana Ruiz"\n')}),
    Entry("bad-lead-image", "error", "An article's `image` is not a file the site can publish",
          "Put the image in content/images/ and name it relative to the article, like "
          "`image: ../images/desk.jpg`: a PNG, JPEG, WebP, AVIF or GIF file of at most 15 MB and 40 megapixels, "
          "never a link or an address on another site. When the file itself is refused, its own error says why.",
          {ARTICLE: _article("image: ../images/missing.jpg\nimage_alt: A desk by a window.\n")}),
    # References and files
    Entry("fact-unknown", "error", "An article names a fact that no facts file defines",
          "Use an id from content/data/facts/*.yml (the message suggests the closest; `python -m generator "
          "facts` lists them all), or add the fact there first, with its source.",
          {FACTS: _facts(), ARTICLE: _article(body="The rate is [the wage](fact:uk-national-living-wag).\n")}),
    Entry("chart-unknown", "error", "An article draws a chart that no fact belongs to",
          "Use a group that facts name in their `chart:` (the message suggests the closest), or give the facts "
          "to draw a `chart: {group: <group>, label: <bar's name>}` in content/data/facts/*.yml first.",
          {FACTS: _facts(extra="  chart: {group: uk-minimum-wage, label: 21 and over}\n"),
           ARTICLE: _article(body="Text.\n\n[UK minimum wage by age](chart:uk-minimum-wag)\n")}),
    Entry("chart-value", "error", "A fact drawn in a chart has a value that is not a number in the group's unit",
          "Each value of a charted fact needs a number, written with the same currency or unit as the other "
          "facts of its group (\"£12.71\" next to \"£8.00\", never \"$7.25\"): bars compare one unit. Write "
          "the value with its number, or take the fact out of the group.",
          {FACTS: _facts(values='    - {value: "twelve pounds", from: 2026-04-01}\n',
                         extra="  chart: {group: uk-minimum-wage, label: 21 and over}\n")}),
    Entry("unknown-reference", "error", "An id refers to nothing",
          "Use an id that exists (the message suggests the closest and names the file), or add it there first.",
          {ARTICLE: _article("benefits: [netwerking]\n")}),
    Entry("duplicate-id", "error", "Two entries share an id (or resources share a URL)",
          "Each id and each resource address may appear once: merge or rename. A fact's id is unique across "
          "every facts file.", {RESOURCES: RESOURCE + RESOURCE}),
    Entry("unknown-icon", "error", "No icon has this name",
          "Pick an icon from Material's set, e.g. `material/compass-outline`.",
          {"content/data/benefits.yml": "- id: networking\n  title: Networking\n  summary: s\n"
                                        "  icon: material/no-such-icon\n"}),
    Entry("bad-file-name", "error", "A file name is not safe in a URL",
          "Rename the file with lowercase letters, digits and hyphens (and dots for the extension); "
          "`index` and `page` are reserved for listings.", {"content/articles/My Article.md": _article()}),
    Entry("misplaced-article", "error", "An article is in a subfolder",
          "Move it directly into content/articles/.", {"content/articles/2026/example.md": _article()}),
    Entry("url-clash", "error", "Two files would be published at the same URL",
          "Keep one: for example `about.md` and `about/index.md` are both /about/. A file that takes a "
          "generated page's URL (like content/benefits/index.md) is reported the same way. Letter case does not "
          "tell two URLs apart (`About.md` and `about.md` are one file on macOS and Windows), and `content/assets/` "
          "and `content/pagefind/` are the theme's and the search index's folders: a file there could replace one "
          "of theirs.",
          {"content/about.md": "# About\n", "content/about/index.md": "# About\n"}),
    # What content/ may hold
    Entry("markdown-suffix", "error", "A Markdown page does not end in .md",
          "Rename it to .md: one suffix for every page, so that every page is checked (MkDocs would also "
          "render .markdown, .mdown, .mkdn and .mkd files, and publish .mdwn, .mdtext or .MD as they are).",
          {"content/articles/example.markdown": _article()}),
    Entry("file-type", "error", "A file of a type content/ may not hold",
          "content/ holds Markdown pages (.md), images (PNG, JPEG, WebP, AVIF or GIF), the four data files "
          "of content/data/ and the facts files of content/data/facts/ (`<topic>.yml`); nothing else is published. Write a page in Markdown; scripts and styles belong "
          "to the theme; Pagefind's settings (pagefind.yml) are the build's own.",
          {"content/extra/page.html": "<script>alert(1)</script>\n"}),
    Entry("svg-image", "error", "An SVG image",
          "Convert it to PNG or WebP: an SVG file can hold scripts, which would run on the site's address.",
          {"content/articles/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'}),
    Entry("bad-image", "error", "An image file is not the image its name says",
          "Export the image again as the type its suffix names, or rename it to the suffix the message gives; "
          "each image is decoded in full before it is published.",
          {"content/articles/chart.png": "<!doctype html><script>alert(1)</script>\n"}),
    Entry("symlink", "error", "A symbolic link in content/",
          "Put the file itself in content/: a link could publish any file of the machine that builds the site, "
          "so links are never followed, whether they point inside content/ or not.", {},
          tested_elsewhere="tests/test_content_files.py::test_links_are_refused_and_never_followed"),
    Entry("special-file", "error", "A named pipe, socket or device in content/",
          "Remove it: content/ holds files only.", {},
          tested_elsewhere="tests/test_content_files.py::test_a_fifo_is_refused_without_being_opened"),
    Entry("mkdocs-config", "error", "mkdocs.yml has a setting MkDocs cannot use",
          "Fix the setting named, as MkDocs' message says (an unknown setting is a warning). The plugin's "
          "settings are listed in the README.", {},
          tested_elsewhere="tests/test_check_equals_build.py::"
                           "test_a_bad_plugin_option_is_the_same_error_in_check_and_the_build"),
    Entry("deploy-site-url", "error", "A deploy build's site_url is not the site's address",
          "Set the environment variable SITE_URL to the address the site is published at (mkdocs.yml reads "
          "it): the workflows take it from actions/configure-pages' `base_url`; on another host, set it in "
          "the host's build settings (README, Deploying). Only a deploy build (`FIELD_GUIDE_DEPLOY=1`) "
          "refuses an example.* or local address.", {},
          tested_elsewhere="tests/test_check_equals_build.py::"
                           "test_a_deploy_build_refuses_an_example_site_url_as_check_does"),
    # The raw HTML policy
    Entry("raw-html", "error", "Raw HTML that can run code or restyle the page",
          "Remove the `<script>`, `<iframe>`, `<object>`, `<embed>` or `<style>` element or the `on...=` "
          "attribute; write Markdown. An embed from a trusted host can be allowed with `allow_html` in "
          "mkdocs.yml (see the README).", {ARTICLE: _article(body='<iframe src="https://example.org/"></iframe>\n')}),
    Entry("unsafe-url", "error", "A link uses a `javascript:`, `vbscript:` or `data:` URL",
          "Link to an `https://` address.", {ARTICLE: _article(body="[click](javascript:alert(1))\n")}),
    Entry("markdown-too-large", "error", "A page's Markdown is larger than 200,000 bytes",
          "Split the article in two; our longest is 14,000 bytes.",
          {ARTICLE: _article(body="word " * 41_000)}),
    Entry("markdown-too-deep", "error", "Lists or quotes are nested more than 32 levels deep",
          "Flatten the list or quote: a reader follows two or three levels. Indentation counts a level for "
          "each two spaces.", {ARTICLE: _article(body="- " * 40 + "deep\n")}),
    Entry("markdown-too-complex", "error",
          "A page has over 5,000 `[`, 2,000 HTML tags, 500 footnote references or 5,000 blocks, or a block of over "
          "500 lines "
          "or 20,000 characters",
          "Split the page, or put blank lines between its paragraphs, list items and headings. A `[` or `<` "
          "meant as text can be written `&#91;` or `&lt;`: each `[` may start a link and each `<` a tag, "
          "which the Markdown converter must look for.",
          {ARTICLE: _article(body="[" * 5_001 + "\n")}),
    # Warnings (content lint)
    Entry("title-length", "warning", "The title is longer than search results show",
          "Shorten it to about 70 characters.", {ARTICLE: _article(front=FRONT.replace("An example", "x" * 80))}),
    Entry("description-length", "warning", "The description is short",
          "Say what the reader gets, in 70 to 160 characters.",
          {ARTICLE: _article(front=FRONT.replace(", seventy characters or so", ", and just that"))}),
    Entry("no-topics", "warning", "The article has neither benefits nor tags",
          "Add at least one benefit or tag so readers find it.",
          {ARTICLE: _article(front=FRONT.replace("tags: [example]\n", ""))}),
    Entry("heading-skip", "warning", "A heading level is skipped",
          "Start sections at `##` and go one level deeper at a time.", {ARTICLE: _article(body="### Too deep\n")}),
    Entry("second-h1", "warning", "The body has an h1",
          "The title is the page's h1: use `##` for sections.", {ARTICLE: _article(body="# Title again\n")}),
    Entry("image-alt", "warning", "An image has no alt text",
          "Describe the image inside the brackets: `![A chart of ...](chart.png)`.",
          {ARTICLE: _article(body="![](chart.png)\n"), "content/articles/chart.png": PNG}),
    Entry("broken-link", "warning", "An internal link leads nowhere",
          "Fix the file name or the `#anchor` (the heading in lowercase with hyphens); link to articles by file "
          "name and to generated pages by their page file, like `../benefits/networking/index.md`.",
          {ARTICLE: _article(body="[missing](no-such-article.md)\n")}),
    Entry("placeholder", "error", "A placeholder from the new-article template is still there",
          "Replace it: `archetypes/article.md` marks what to write with the word TODO (the description, the "
          "sources' titles and publishers, headings, lines of the body) and its sources' addresses at "
          "example.* hosts. Write the real text, give each source its real address, and delete the guidance "
          "lines. Only a draft (`draft: true`) may keep them: there each is a note.",
          {ARTICLE: _article(body="## TODO: a first section\n\nText.\n")}),
    Entry("few-sources", "warning", "An article lists fewer than two sources",
          "Add the primary sources its facts come from (a statute, the agency's own page, a survey) under "
          "`sources:`, each with `title`, `url` (https), `publisher` and `accessed`; the page lists them at the end.",
          {ARTICLE: _article(front=FRONT[:FRONT.index("sources:")])}),
    Entry("gfm-differs", "warning", "The site and GitHub's preview render the Markdown differently",
          "The message says what GitHub shows at that line and what the site would show. Write it the way "
          "both read alike: a blank line before a list or table, nested items indented by the width of their "
          "parent's marker (2 spaces after `- `, 3 after `1. `) or by 4, one bullet character per list, an "
          "alert as `> [!NOTE]` alone on its line. CONTRIBUTING.md, Writing Markdown, lists what differs.",
          {ARTICLE: _article(body="- one\n- two\n* three\n")}),
    Entry("sanitized", "warning", "The published page will not have some HTML the Markdown makes",
          "Every page keeps only the HTML the site's Markdown writes (headings, lists, tables, links, images, "
          "code, footnotes, alerts, task lists); the rest is removed as the page is built: a `style=`, "
          "`data-...=` or unknown class set with `{: ... }`, an element such as `<marquee>`, an id the theme "
          "uses (starting with `_` or `ifg-`). Remove it from the source, or write it in Markdown.",
          {ARTICLE: _article(body="A paragraph.\n{: style=\"color: red\" }\n")}),
    Entry("fact-copy", "warning", "An article types a value that a fact holds",
          "Name the fact instead, with a link whose address is `fact:` and its id: `[UK National Living "
          "Wage](fact:uk-national-living-wage)`. The site shows the value in force on the day it is built, "
          "linked to its source, so the figure changes on its day in every article at once; GitHub's preview "
          "shows the link's text. Past and scheduled values count too. Write the sentence so that it reads "
          "well with the value in the link's place. Keep figures out of front-matter source titles too: cite "
          "the page that lists the rates rather than the news story titled with one.",
          {FACTS: _facts(), ARTICLE: _article(body="The adult rate is £12.71 an hour.\n")}),
    # Time-based (they appear as days pass: reported; fatal only where a change touched them)
    Entry("stale-resource", "time-based", "A resource was last checked over a year ago",
          "Open it, confirm it is still right, then update `last_checked`.",
          {RESOURCES: RESOURCE.replace("2026-11-01", "2024-01-01")}),
    Entry("review-due", "time-based", "An article was last reviewed (or published, if never reviewed) over a year ago",
          "Check every fact against the article's sources (and their `accessed` dates), correct what changed, "
          "then set `reviewed:` to the day you did.",
          {ARTICLE: _article("reviewed: 2025-07-01\n", front=FRONT.replace("date: 2026-10-01", "date: 2025-06-01"))}),
    Entry("fact-no-value", "time-based", "A fact has no value in force on the build's day",
          "Its first value starts later, or its last one has ended (`until`): read the source and add the value "
          "that applies now, with its `from` date. Until then, pages show the link's text where the value "
          "would be.",
          {FACTS: _facts(values='    - {value: "£12.71", from: 2026-04-01, until: 2026-10-31}\n')}),
    Entry("fact-review-due", "time-based", "A fact is past its `review_by` date",
          "Read the fact's source again: correct or add values (a new rate with its `from` date), set "
          "`accessed` to the day you read it, and `review_by` to a day before the next known change.",
          {FACTS: _facts(review_by="2026-11-01")}),
    Entry("dead-link", "time-based", "An external link does not answer (check --external)",
          "Find the new address or remove the link.", {},
          tested_elsewhere="tests/test_cli.py::test_check_external_reports_dead_links_where_they_are_written"),
]

BY_CODE = {entry.code: entry for entry in CATALOGUE}


def render_markdown() -> str:
    """ERRORS.md: the catalogue for editors."""
    lines = [
        "# Error catalogue",
        "",
        "<!-- Generated from generator/editors/catalogue.py by `python -m generator catalogue`: do not edit. -->",
        "",
        "Every problem the build and `python -m generator check` report ends with a code in brackets,",
        "for example `content/articles/x.md:6:1: tagz: unknown field: did you mean `tags`? [unknown-field]`.",
        "Errors stop the build; warnings fail `check --strict` and `mkdocs build --strict` (what CI runs).",
        "Time-based findings appear by themselves as days pass, with nothing changed: every run prints them",
        "(as notices), but they fail only `check --strict` on a pull request that changed their entry",
        "(`--since`, `--changed`) and the daily scheduled report (`--scheduled`), never the build.",
        "",
    ]
    for severity, heading in (("error", "Errors"), ("warning", "Warnings"), ("time-based", "Time-based findings")):
        lines += [f"## {heading}", ""]
        for entry in (e for e in CATALOGUE if e.severity == severity):
            lines += [f"### `{entry.code}`: {entry.title}", "", f"**Fix:** {entry.fix}", ""]
            for path, text in entry.example.items():
                if text is None:
                    lines += [f"Example: `{path}` deleted.", ""]
                    continue
                if isinstance(text, bytes):
                    what = "an image" if path.endswith(IMAGE_SUFFIXES) else "saved in another encoding than UTF-8"
                    lines += [f"Example: `{path}` {what}.", ""]
                    continue
                shown = text if len(text) < 600 else text[:300] + "\n…\n"
                fence = "````" if "```" in shown else "```"
                language = "yaml" if path.endswith(".yml") else "markdown" if path.endswith(".md") else "text"
                lines += [f"Example, `{path}`:", "", fence + language,
                          shown.rstrip("\n"), fence, ""]
    return "\n".join(lines).rstrip() + "\n"
