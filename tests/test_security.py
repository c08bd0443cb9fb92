"""Hostile input never breaks the build or reaches a reader."""

import json
import re

import yaml
from bs4 import BeautifulSoup

from sitekit import REPO, article, logged, mkdocs_yml, site_search_records

PAYLOAD = '<script>alert("x")</script>{{ 7*7 }}<img src=x onerror=alert(1)>'


def all_pages(site_dir):
    for html in sorted(site_dir.rglob("*.html")):
        yield html, BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


DATA_BLOCKS = ("application/ld+json", "application/json")


def assert_inert(soup, where):
    for script in soup.find_all("script"):
        if script.get("type") in DATA_BLOCKS:  # data, never run; and no "<" that could end it early
            assert "<" not in script.get_text(), where
        else:
            assert "alert" not in script.get_text(), where
    for element in soup.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], (where, element.name)
    assert soup.select('img[src="x"]') == [], where


def test_every_string_from_yaml_and_front_matter_is_escaped_everywhere(site):
    site.write_data("authors.yml", {
        "careers-desk": {"name": "Desk " + PAYLOAD, "bio": "Bio " + PAYLOAD,
                         "url": "https://example.org/?q=<script>alert(1)</script>"},
        "policy-desk": {"name": "P", "bio": "b"},
    })
    site.write_data("benefits.yml", [
        {"id": "networking", "title": "N " + PAYLOAD[:50], "summary": "Summary " + PAYLOAD},
        {"id": "real-world-experience", "title": "R", "summary": "s"},
        {"id": "confidence", "title": "C", "summary": "s"},
    ])
    site.write_data("categories.yml", [
        {"id": "government", "title": "Gov " + PAYLOAD, "description": "Desc " + PAYLOAD},
        {"id": "job-boards", "title": "Jobs", "description": "d"},
    ])
    site.write_data("resources.yml", [
        {"title": "T " + PAYLOAD, "url": "https://example.org/?a=<b>&c=\"d\"", "category": "government",
         "description": "D " + PAYLOAD, "cost": "free", "last_checked": "2026-11-01",
         "benefits": ["networking"], "audience": "A " + PAYLOAD},
    ])
    site.write("content/articles/hostile.md", article(PAYLOAD[:80], "2026-10-01", benefits=["networking"],
                                                      description="Description " + PAYLOAD))
    result = site.build()
    assert result.returncode == 0, result.stderr

    for html, soup in all_pages(site.root / "site"):
        assert_inert(soup, html)
    resources = site.page("resources/")
    text = resources.get_text()
    assert "{{ 7*7 }}" in text and '<script>alert("x")</script>' in text  # shown, as text
    assert resources.select_one(".ifg-resource a")["href"] == 'https://example.org/?a=<b>&c="d"'
    hostile = site.page("articles/hostile/")
    assert hostile.find("meta", attrs={"name": "description"})["content"] == "Description " + PAYLOAD
    assert hostile.select_one("article h1").get_text() == PAYLOAD[:80]
    author = site.page("authors/careers-desk/")
    assert author.select_one(".ifg-lede").get_text() == "Bio " + PAYLOAD
    record = site_search_records(site.root / "site")["/articles/hostile/"]
    assert record["meta"]["title"] == PAYLOAD[:80]  # as text: search.js shows it as text


def test_no_inline_event_handlers_in_our_templates():
    handlers = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [str(path) for path in (REPO / "theme").rglob("*.html") if handlers.search(path.read_text())]
    assert offenders == []


def test_no_event_handler_attributes_anywhere_in_the_shipped_site(shipped):
    for html, soup in all_pages(shipped):
        assert_inert(soup, html)


def test_links_that_open_a_new_tab_cannot_reach_back(site):
    site.write("mkdocs.yml", mkdocs_yml({"markdown_extensions": ["attr_list"]}))
    site.write("content/articles/tabs.md", article(
        "Tabs", "2026-10-01", body="[Elsewhere](https://example.org/){target=_blank}\n"))
    assert site.build().returncode == 0
    link = site.page("articles/tabs/").select_one('.md-content a[href="https://example.org/"]')
    assert link["target"] == "_blank"
    assert set(link["rel"]) >= {"noopener", "noreferrer"}


def test_raw_html_and_script_urls_in_markdown_are_errors_naming_the_line(site):
    body = "\n".join([
        "Fine <em>inline</em> HTML.",
        "<script>alert(1)</script>",
        '<a href="https://example.org/" onclick="steal()">x</a>',
        "[bad](javascript:alert(1)) ![pixel](data:image/png;base64,AAAA)",
        "```html",
        "<script>shown as code</script>",
        "```",
        "`<iframe>` in a code span is fine",
        '<iframe src="https://tracker.example/"></iframe>',
    ]) + "\n"
    site.write("content/articles/hostile.md", article("Hostile", "2026-10-01", body=body))
    result = site.build()
    assert result.returncode == 1
    errors = logged(result.stderr)[:-1]
    assert [e.split(": ")[0] + " " + e.rsplit(" ", 1)[1] for e in errors] == [
        "content/articles/hostile.md:13:1 [raw-html]",
        "content/articles/hostile.md:14:1 [raw-html]",
        "content/articles/hostile.md:15:7 [unsafe-url]",
        "content/articles/hostile.md:15:37 [unsafe-url]",
        "content/articles/hostile.md:20:1 [raw-html]",
    ]
    assert not (site.root / "site").exists()


def test_the_allowlist_in_mkdocs_yml_permits_one_specific_embed(site):
    config = yaml.safe_load(mkdocs_yml())
    config["plugins"] = [{"field-guide": {"allow_html": [
        {"element": "iframe", "src_prefix": "https://www.youtube-nocookie.com/embed/"}]}}]
    site.write("mkdocs.yml", yaml.safe_dump(config))
    allowed = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>\n'
    site.write("content/articles/video.md", article("Video", "2026-10-01", body=allowed))
    assert site.build().returncode == 0
    site.write("content/articles/other.md", article(
        "Other", "2026-10-01", body='<iframe src="https://elsewhere.example/"></iframe>\n'))
    result = site.build()
    assert result.returncode == 1
    assert "content/articles/other.md:12:1: body: <iframe> is not allowed" in result.stderr


def test_script_urls_in_benefit_summaries_are_errors(site):
    benefits = yaml.safe_load((site.root / "content/data/benefits.yml").read_text())
    benefits[1]["summary"] = "Read [this](javascript:alert(1))."
    site.write_data("benefits.yml", benefits)
    result = site.build()
    assert result.returncode == 1
    assert "content/data/benefits.yml:7:12: summary: the link 'javascript:alert(1' uses the javascript: " \
           "scheme" in result.stderr


def test_huge_files_are_refused_with_the_limit(site):
    site.write("content/data/resources.yml", "# " + "x" * 1_100_000 + "\n[]\n")
    result = site.build()
    assert result.returncode == 1
    assert "content/data/resources.yml:1:1: (file): too large: 1,100,006 bytes, the limit is 1,000,000" \
        in result.stderr


def test_two_sources_for_one_url_and_unsafe_file_names_are_errors(site):
    site.write("content/guide.md", "# Guide\n")
    site.write("content/guide/index.md", "# Guide again\n")
    site.write("content/files/Annual Report.pdf", "pdf")
    result = site.build()
    assert result.returncode == 1
    assert "content/guide.md:1:1: (file): would be published at /guide/, like content/guide/index.md" \
        in result.stderr
    assert "content/files/Annual Report.pdf:1:1: (file name): 'Annual Report.pdf' is not safe in a URL" \
        in result.stderr


def test_nothing_is_written_outside_the_output_folder(site, tmp_path):
    site.add_article("post", "Post", "2026-10-01")
    before = {p for p in tmp_path.rglob("*")}
    assert site.build().returncode == 0
    written = {p for p in tmp_path.rglob("*")} - before
    allowed = (site.root / "site", site.root / ".cache")
    assert [p for p in written if not any(p == a or a in p.parents for a in allowed)] == []
    assert site_search_records(site.root / "site")
