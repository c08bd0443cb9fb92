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


# The output sanitizer (generator/markdown/sanitize.py): what the source lint lets through is made
# inert in the page, the three feeds and the search index, and an editor is told where.

SANITIZED_BODY = """\
## Plan {: style="position:fixed;top:0" data-pagefind-filter="author:Evil" }

A paragraph.
{: onclick="alert(1)" .md-header data-pagefind-meta="title:Evil" }

<svg><set attributeName="href" to="javascript:alert(1)"/><a>svg</a></svg>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<form><input type="password" name="p"><button>Go</button></form>

<xmp><p title="</xmp><img src=x onerror=alert(3)>"></xmp>

<marquee>Hello</marquee>

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>

| Left | Right |
|:-----|------:|
| a    | b     |

- [x] Sign the offer

## Drawer {#__drawer}
"""


def assert_sanitized(html: str, where: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name not in ("svg", "set", "meta", "form", "button", "xmp", "marquee", "script"), where
        assert not [a for a in element.attrs if a.startswith(("on", "data-")) or a in ("style", "srcdoc")], \
            (where, element)
        assert "md-header" not in (element.get("class") or []), where
        assert element.get("id") != "__drawer" and element.get("href") != "#__drawer", where
        if element.name == "input":
            assert (element["type"], element.has_attr("disabled")) == ("checkbox", True), where
        for name in ("href", "src", "xlink:href", "to"):
            assert not (element.get(name) or "").lower().startswith(("javascript:", "data:")), where
    (frame,) = soup.find_all("iframe")
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/abc" and frame.get("sandbox"), where
    assert [td.get("class") for td in soup.select("tbody td")] == [["ifg-align-left"], ["ifg-align-right"]], where
    assert soup.find("input", attrs={"aria-label": "Sign the offer"}) is not None, where
    assert soup.find(id="plan") is not None and "Hello" in soup.get_text(), where


def test_the_sanitizer_cleans_the_page_the_feeds_and_the_index_and_warns_at_each_line(site):
    config = yaml.safe_load(mkdocs_yml())
    config["plugins"] = [{"field-guide": {"allow_html": [
        {"element": "iframe", "src_prefix": "https://www.youtube-nocookie.com/embed/"}]}}]
    site.write("mkdocs.yml", yaml.safe_dump(config) + mkdocs_yml(markdown=True)[len(mkdocs_yml()):])
    site.write("content/articles/hostile.md", article("Hostile", "2026-10-01", body=SANITIZED_BODY))
    result = site.build(strict=False)
    assert result.returncode == 0, result.stderr
    warned = sorted(re.findall(r"content/articles/hostile\.md:(\d+):\d+: body: the published page will not have "
                               r"(.+?): only .+ \[sanitized\]", result.stderr))
    assert warned == [
        ("12", "data-pagefind-filter='author:Evil' on <h2>"), ("12", "style='position:fixed;top:0' on <h2>"),
        ("15", "data-pagefind-meta='title:Evil' on <p>"), ("15", "onclick='alert(1)' on <p>"),
        ("15", "the class 'md-header' on <p>"),
        ("17", "attributename='href' on <set>"), ("17", "the <a> element"), ("17", "the <set> element"),
        ("17", "the <svg> element and what it holds"), ("17", "to='javascript:alert(1)' on <set>"),
        ("19", "content='0;url=https://evil.example/' on <meta>"), ("19", "http-equiv='refresh' on <meta>"),
        ("19", "the <meta> element"),
        ("21", "name='p' on <input>"), ("21", "the <button> element"), ("21", "the <form> element"),
        ("23", "the <xmp> element and what it holds"), ("23", "title='</xmp><img src=x onerror=alert(3)>' on <p>"),
        ("25", "the <marquee> element"),
        ("35", "href='#__drawer' on <a>"), ("35", "id='__drawer' on <h2>"),
    ]
    page = (site.root / "site/articles/hostile/index.html").read_text(encoding="utf-8")
    body = BeautifulSoup(page, "html.parser").find("div", class_="ifg-article-body")
    assert_sanitized(body.decode_contents(), "page")
    assert not BeautifulSoup(page, "html.parser").select('meta[http-equiv="refresh"]')
    rss = BeautifulSoup((site.root / "site/feed.xml").read_text(encoding="utf-8"), "xml")
    atom = BeautifulSoup((site.root / "site/atom.xml").read_text(encoding="utf-8"), "xml")
    feed = json.loads((site.root / "site/feed.json").read_text(encoding="utf-8"))
    assert_sanitized(rss.find("item").find("encoded").get_text(), "RSS")
    assert_sanitized(atom.find("entry").find("content").get_text(), "Atom")
    assert_sanitized(feed["items"][0]["content_html"], "JSON Feed")
    record = next(r for url, r in site_search_records(site.root / "site").items() if "hostile" in url)
    assert "Evil" not in json.dumps(record["filters"]) + json.dumps(record["meta"])

    # The same HTML from the build cache, and from a worker process.
    def hostile_body() -> str:
        return BeautifulSoup((site.root / "site/articles/hostile/index.html").read_text(encoding="utf-8"),
                             "html.parser").find("div", class_="ifg-article-body").decode_contents()
    first = hostile_body()
    warm = site.build(strict=False)
    assert warm.returncode == 0 and "taken from the build cache" in warm.stderr and hostile_body() == first
    config["plugins"][0]["field-guide"].update(workers=1, build_cache=False)
    site.write("mkdocs.yml", yaml.safe_dump(config) + mkdocs_yml(markdown=True)[len(mkdocs_yml()):])
    by_worker = site.build(strict=False)
    assert by_worker.returncode == 0 and "converted by 1 worker process" in by_worker.stderr
    assert hostile_body() == first
