"""Build small sites with `mkdocs build --strict` and read what readers get."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

from generator.site.pages import TOPIC_PER_PAGE
from sitekit import REPO, article, logged, mkdocs_yml, site_search_records, snapshot


def texts(elements):
    return [" ".join(element.get_text().split()) for element in elements]


def article_titles(soup, selector=".ifg-article-card__title"):
    return texts(soup.select(selector))


def test_every_page_kind_is_generated(built):
    site = built.root / "site"
    for url in ["", "articles/", "articles/interviews/", "benefits/", "benefits/networking/",
                "resources/", "tags/", "tags/planning/", "authors/", "authors/policy-desk/"]:
        assert (site / url / "index.html").is_file(), url


def test_data_files_are_not_published(built):
    assert not (built.root / "site/data").exists()


def test_drafts_and_scheduled_articles_are_nowhere_in_the_site(built):
    site = built.root / "site"
    assert not (site / "articles/secret-draft").exists()
    assert not (site / "articles/scheduled").exists()
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "secret-draft" not in text and "A draft" not in text, html
    assert sorted(site_search_records(site)) == ["/articles/getting-started/", "/articles/interviews/",
                                                 "/articles/networking-basics/", "/articles/pay-and-law/"]


def test_article_page_shows_authors_dates_benefits_tags_and_related(built):
    page = built.page("articles/interviews/")
    assert texts(page.select("article h1")) == ["Interviews"]
    assert texts(page.select(".ifg-byline a[rel=author]")) == ["Careers Desk", "Policy Desk"]
    assert [t["datetime"] for t in page.select(".ifg-byline time")] == ["2026-09-10", "2026-10-01"]
    assert texts(page.select(".ifg-reading-time")) == ["1 min read"]
    assert texts(page.select(".ifg-benefits a")) == ["Confidence", "Networking"]
    assert [a["href"] for a in page.select(".ifg-benefits a")] == ["../../benefits/confidence/",
                                                                 "../../benefits/networking/"]
    assert texts(page.select(".ifg-tags a")) == ["interviews", "planning"]
    assert article_titles(page.select_one(".ifg-related")) == ["Getting started", "Networking basics"]
    assert texts(page.select(".ifg-article-nav a[rel=prev]")) == ["Previous Getting started"]
    assert texts(page.select(".ifg-article-nav a[rel=next]")) == ["Next Networking basics"]
    assert page.find("meta", attrs={"name": "description"})["content"].startswith("A description long enough")


def test_article_links_between_articles_resolve(built):
    page = built.page("articles/getting-started/")
    link = page.select_one(".md-content a[href*=interviews]")
    assert link["href"] == "../interviews/"


def test_benefit_page_lists_exactly_its_articles_and_resources(built):
    page = built.page("benefits/networking/")
    assert texts(page.select("article h1")) == ["Networking"]
    assert article_titles(page) == ["Networking basics", "Interviews"]
    assert texts(page.select(".ifg-resource__title")) == ["Idealist"]

    page = built.page("benefits/real-world-experience/")
    assert article_titles(page) == ["Pay and the law", "Getting started"]
    assert texts(page.select(".ifg-resource__title")) == ["USAJOBS", "Idealist"]
    assert page.select_one(".ifg-summary em").get_text() == "real"  # the summary's Markdown is rendered


def test_benefits_overview_lists_every_benefit_in_file_order_with_counts(built):
    page = built.page("benefits/")
    assert texts(page.select(".ifg-benefit h2")) == ["Real-world experience", "Networking", "Confidence"]
    assert texts(page.select(".ifg-benefit .ifg-meta")) == [
        "2 articles · 2 resources", "2 articles · 1 resource", "1 article · 0 resources"]


def test_resources_page_has_every_resource_grouped_by_category(built):
    page = built.page("resources/")
    groups = {section["id"]: texts(section.select(".ifg-resource__title"))
              for section in page.select("section.ifg-resource-group")}
    assert groups == {"job-boards": ["Idealist", "Handshake"], "government": ["USAJOBS"]}
    usajobs = page.select_one('li.ifg-resource[data-category="government"]')
    assert usajobs.select_one("a")["href"] == "https://www.usajobs.gov/"
    assert usajobs["data-cost"] == "free"
    assert usajobs["data-benefits"] == "real-world-experience"
    facts = dict(zip(texts(usajobs.select("dt")), texts(usajobs.select("dd"))))
    assert facts == {"Cost": "Free", "For": "US students", "Helps with": "Real-world experience",
                     "Last checked": "1 November 2026"}


def test_resource_filters_are_hidden_until_javascript_runs(built):
    page = built.page("resources/")
    form = page.select_one("form#ifg-resource-filters")
    assert form.has_attr("hidden")  # without JavaScript the full list is the page
    assert [o["value"] for o in form.select("select[name=category] option")] == ["", "job-boards", "government"]
    assert [o["value"] for o in form.select("select[name=cost] option")] == ["", "free", "mixed", "paid"]
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "../assets/ifg/resources.js" in scripts
    assert (built.root / "site/assets/ifg/resources.js").is_file()


def test_articles_listing_is_newest_first(built):
    assert article_titles(built.page("articles/")) == [
        "Pay and the law", "Networking basics", "Interviews", "Getting started"]


def test_tag_and_author_pages_list_their_articles(built):
    assert article_titles(built.page("tags/planning/")) == ["Interviews", "Getting started"]
    assert texts(built.page("tags/").select(".ifg-tag-index a")) == [
        "interviews (1)", "law (1)", "networking (1)", "planning (2)"]
    assert article_titles(built.page("authors/policy-desk/"), ".ifg-article-card__title") == [
        "Pay and the law", "Interviews"]
    assert texts(built.page("authors/").select(".ifg-author-list h2")) == ["Careers Desk", "Policy Desk"]


def test_home_shows_benefits_and_latest_articles(built):
    page = built.page("")
    assert texts(page.select("#ifg-home-benefits + ul a")) == ["Real-world experience", "Networking", "Confidence"]
    assert page.select_one(".ifg-lead__title a").get_text(strip=True) == "Pay and the law"  # the lead story
    assert article_titles(page)[:2] == ["Networking basics", "Interviews"]  # then the latest
    assert "Welcome to the test guide." in page.select_one(".ifg-home__about").get_text()


def test_nav_holds_sections_only(built):
    page = built.page("articles/interviews/")
    nav_links = texts(page.select("nav.md-nav--primary > ul > li > a, nav.md-nav--primary > ul > li > label"))
    assert nav_links == ["Home", "Articles", "Benefits", "Resources"]


def test_no_third_party_requests(built):
    for html in (built.root / "site").rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for element in page.select("link[href], script[src], img[src], iframe[src]"):
            url = element.get("href") or element.get("src")
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue
            assert not urlsplit(url).netloc, f"{html}: {url}"


def test_every_internal_link_resolves(built):
    assert broken_links(built.root / "site", "/guide/") == []


def broken_links(site: Path, base: str) -> list[str]:
    """Every same-site href and src that does not lead to a file (and anchors that do not exist).

    `base` is the path of `site_url`, where the site is served (404.html links absolutely).
    """
    broken = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids_cache:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids_cache[path] = {tag["id"] for tag in soup.select("[id]")}
        return ids_cache[path]

    for html in site.rglob("*.html"):
        page_url = base + html.relative_to(site).as_posix()
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("a[href], link[href], script[src], img[src]"):
            target = element.get("href") or element.get("src")
            parts = urlsplit(urljoin(page_url, target))
            if parts.scheme or parts.netloc:
                continue
            if not parts.path.startswith(base):
                broken.append(f"{page_url}: {target} (outside the site)")
                continue
            path = site / parts.path.removeprefix(base)
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page_url}: {target}")
            elif parts.fragment and path.suffix == ".html" and parts.fragment not in ids_of(path):
                broken.append(f"{page_url}: {target} (no such anchor)")
    return broken


def test_pagination_of_the_articles_listing(site):
    config = yaml.safe_load(mkdocs_yml())
    config["plugins"] = [{"field-guide": {"per_page": 10}}]  # the option, not the default
    site.write("mkdocs.yml", yaml.safe_dump(config))
    for day in range(1, 24):
        site.add_article(f"post-{day}", f"Post {day}", f"2026-10-{day:02d}")
    assert site.build().returncode == 0
    first = site.page("articles/")
    assert article_titles(first) == [f"Post {day}" for day in range(23, 13, -1)]
    assert first.select_one(".ifg-pagination a[rel=next]")["href"] == "page/2/"
    third = site.page("articles/page/3/")
    assert texts(third.select("article h1")) == ["Articles, page 3 of 3"]
    assert article_titles(third) == ["Post 3", "Post 2", "Post 1"]
    assert third.select_one(".ifg-pagination a[rel=prev]")["href"] == "../2/"
    assert third.select_one(".ifg-pagination a[rel=next]") is None


def test_strings_from_yaml_are_escaped(site):
    site.write_data("authors.yml", {"careers-desk": {"name": "<script>alert(1)</script>", "bio": "{{ 7*7 }} & <b>"},
                                    "policy-desk": {"name": "P", "bio": "b"}})
    site.write("content/articles/x.md", article('Title "<img src=x onerror=alert(1)>"', "2026-10-01"))
    assert site.build().returncode == 0
    page = site.page("articles/x/")
    executable = [s for s in page.find_all("script") if s.get("type") not in ("application/ld+json",
                                                                              "application/json")]
    assert [s for s in executable if "alert(1)" in s.get_text()] == []
    for data in page.select('script[type="application/ld+json"]'):
        assert "<" not in data.get_text()  # JSON-LD cannot close its script element
    assert page.select("img[onerror]") == []
    assert texts(page.select("article h1")) == ['Title "<img src=x onerror=alert(1)>"']
    assert page.title.get_text().startswith('Title "<img src=x onerror=alert(1)>"')
    assert texts(page.select(".ifg-byline a[rel=author]")) == ["<script>alert(1)</script>"]
    author = site.page("authors/careers-desk/")
    assert texts(author.select(".ifg-lede")) == ["{{ 7*7 }} & <b>"]


def test_content_errors_fail_the_build_with_positions_and_no_traceback(site):
    site.write("content/articles/bad.md", article("Bad", "2026-10-01", authors=["nobody"], tagz=["x"]))
    result = site.build()
    assert result.returncode == 1
    assert logged(result.stderr) == [
        "content/articles/bad.md:6:3: authors[0]: unknown author 'nobody': known ids: careers-desk, "
        "policy-desk (see content/data/authors.yml) [unknown-reference]",
        "content/articles/bad.md:7:1: tagz: unknown field: did you mean `tags`? [unknown-field]",
        "2 content errors: the site was not built; fix them and build again.",
    ]
    assert "Traceback" not in result.stderr
    assert not (site.root / "site").exists()


def test_a_failed_build_leaves_the_previous_site_as_it_was(site):
    site.add_article("good", "Good", "2026-10-01")
    assert site.build().returncode == 0
    before = snapshot(site.root / "site")
    site.add_article("broken", "Broken", "2026-02-30")
    result = site.build()
    assert result.returncode == 1
    assert "content/articles/broken.md:4:7: date: 2026-02-30 is not a real date" in result.stderr
    after = snapshot(site.root / "site")
    assert after == before


def test_a_content_file_that_takes_a_generated_url_is_an_error(site):
    site.write("content/benefits/index.md", "---\ntitle: Mine\n---\nHello\n")
    result = site.build()
    assert result.returncode == 1
    assert "content/benefits/index.md:1:1: (file): takes the URL /benefits/" in result.stderr


def test_unknown_icon_is_an_error(site):
    site.write("content/data/benefits.yml",
               "- id: networking\n  title: N\n  summary: s\n  icon: material/no-such-icon\n"
               "- id: real-world-experience\n  title: R\n  summary: s\n- id: confidence\n  title: C\n  summary: s\n")
    result = site.build()
    assert result.returncode == 1
    assert "content/data/benefits.yml:4:9: icon: no icon named 'material/no-such-icon'" in result.stderr


def test_sitemap_dates_pages_by_their_content_never_the_build(site):
    site.add_article("old", "Old", "2026-01-05", updated="2026-03-01", tags=["law"])
    site.add_article("new", "New", "2026-06-10", tags=["law"])
    site.write("content/about.md", "---\ntitle: About\n---\n\nUs.\n")
    assert site.build().returncode == 0
    sitemap = BeautifulSoup((site.root / "site/sitemap-pages.xml").read_text(), "xml")
    lastmod = {url.loc.text.removeprefix("https://example.org/guide/"): url.lastmod.text if url.lastmod else None
               for url in sitemap.find_all("url")}
    assert lastmod["articles/old/"] == "2026-03-01"
    assert lastmod["articles/new/"] == "2026-06-10"
    assert lastmod["tags/law/"] == "2026-06-10"
    assert lastmod["resources/"] == "2026-11-01"  # the newest last_checked
    assert lastmod[""] == "2026-11-01"
    assert lastmod["about/"] is None  # no date to tell: no lastmod rather than a false one


def test_two_builds_on_different_days_are_byte_identical(site):
    site.add_article("post", "Post", "2026-01-05")

    def build_on(epoch: str) -> dict:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site.root,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch},
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return snapshot(site.root / "site")

    first, second = build_on("1795000000"), build_on("1796000000")  # 2026-11-18, 2026-11-30
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []
    assert "manifest.json" in first


def test_diff_of_two_builds_lists_the_pages_that_changed(site, tmp_path):
    site.add_article("stays", "Stays", "2026-01-05")
    site.add_article("goes", "Goes", "2026-01-06")
    assert site.build().returncode == 0
    before = tmp_path / "before.json"
    before.write_bytes((site.root / "site/manifest.json").read_bytes())
    (site.root / "content/articles/goes.md").unlink()
    site.add_article("arrives", "Arrives", "2026-01-07")
    assert site.build().returncode == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "generator", "diff", str(before), "site/manifest.json"],
                            cwd=site.root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    summary = result.stdout
    assert "/articles/arrives/" in summary.split("### Added")[1].split("###")[0]
    assert "/articles/goes/" in summary.split("### Removed")[1]
    assert "/articles/stays/" not in summary.split("### Changed")[0]


def test_topic_pages_are_split_so_no_page_grows_without_bound(site):
    for day in range(1, TOPIC_PER_PAGE + 6):
        site.add_article(f"post-{day}", f"Post {day}", f"202{day // 28}-{1 + day % 12:02d}-{1 + day % 28:02d}",
                         tags=["law"], benefits=["networking"])
    assert site.build().returncode == 0
    first, second = site.page("tags/law/"), site.page("tags/law/page/2/")
    assert len(article_titles(first)) == TOPIC_PER_PAGE and len(article_titles(second)) == 5
    assert first.select_one(".ifg-pagination a[rel=next]")["href"] == "page/2/"
    assert texts(second.select("article h1")) == ["Tagged “law”, page 2 of 2"]
    benefit_two = site.page("benefits/networking/page/2/")
    assert len(article_titles(benefit_two)) == 5
    assert benefit_two.select(".ifg-resource") == []  # resources stay on the benefit's first page
    assert len(article_titles(site.page("authors/careers-desk/page/2/"))) == 5
    indexed = site_search_records(site.root / "site")
    assert len(indexed) == TOPIC_PER_PAGE + 5 and all(url.startswith("/articles/post-") for url in indexed)


# Markdown converted in worker processes

PARALLEL_ARTICLES = {
    "first": article("First", "2026-09-01", tags=["planning"], body="""\
        ## Plan ahead

        Read [the second part](second.md#what-to-ask), a [missing page](gone.md) and a note.[^1]

        ![A chart](chart.png)

        | Week | Task |
        | --- | --- |
        | 1 | Meet the team |

        [^1]: A footnote.
        """),
    "second": article("Second", "2026-09-02", tags=["planning"], body="""\
        ## What to ask

        ```python
        print("code")
        ```

        Back to [the first](first.md).
        """),
    **{f"more-{n}": article(f"More {n}", f"2026-09-{n + 2:02d}", tags=["planning"], body=f"## Part {n}\n\nText.\n")
       for n in range(1, 6)},
}


def with_workers(site, workers: int) -> None:
    """Without the build cache: each build converts every page, here or in the workers."""
    site.write("mkdocs.yml", mkdocs_yml({"plugins": [{"field-guide": {"workers": workers,
                                                                               "build_cache": False}}]}))


def parallel_site(site):
    from PIL import Image

    for slug, text in PARALLEL_ARTICLES.items():
        site.write(f"content/articles/{slug}.md", text)
    (site.root / "content/articles").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 200), "white").save(site.root / "content/articles/chart.png")
    return site


class InlinePool:
    """A process pool that runs each task when it is submitted, through pickle both ways,
    so every page reaches the build converted "by a worker", deterministically."""

    def __init__(self, *args, **kwargs):
        self.submitted = 0

    def submit(self, function, *args):
        import pickle
        from concurrent.futures import Future

        function, args = pickle.loads(pickle.dumps((function, args)))
        future = Future()
        future.set_result(pickle.loads(pickle.dumps(function(*args))))
        self.submitted += 1
        return future

    def shutdown(self, **kwargs):
        pass


def build_in_process(site, caplog) -> tuple[dict[str, bytes], list[str]]:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    caplog.clear()
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(config)
    return snapshot(site.root / "site"), [record.getMessage() for record in caplog.records]


def test_pages_converted_by_workers_are_the_pages_the_build_converts(site, caplog, monkeypatch):
    import generator.mkdocs.workers

    parallel_site(site)
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    with_workers(site, 0)
    alone, alone_log = build_in_process(site, caplog)
    monkeypatch.setattr(generator.mkdocs.workers, "ProcessPoolExecutor", InlinePool)
    with_workers(site, 1)
    parallel, parallel_log = build_in_process(site, caplog)

    assert "Markdown of 7 of 7 articles converted by 1 worker process." in parallel_log
    assert parallel.keys() == alone.keys()
    assert [path for path in alone if alone[path] != parallel[path]] == []
    # What MkDocs says about a page is said all the same, once, from the worker's result.
    missing = [m for m in alone_log if "contains a link 'gone.md'" in m]
    assert len(missing) == 1 and [m for m in parallel_log if "contains a link 'gone.md'" in m] == missing
    image = BeautifulSoup(parallel["articles/first/index.html"], "html.parser").select_one(".md-content img")
    assert (image["width"], image["height"]) == ("320", "200")


class SpawnedInlinePool(InlinePool):
    """An InlinePool whose "worker" starts as a spawned process does: without the build's memory."""

    def submit(self, function, *args):
        import generator.mkdocs.parallel as parallel

        inherited, parallel._build_config = parallel._build_config, None
        try:
            return super().submit(function, *args)
        finally:
            parallel._build_config = inherited


def test_a_forked_worker_converts_with_the_build_configuration_and_a_spawned_one_loads_its_own(
        site, caplog, monkeypatch):
    import generator.mkdocs.parallel as parallel
    import generator.mkdocs.workers

    parallel_site(site)
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    with_workers(site, 0)
    alone, _ = build_in_process(site, caplog)
    with_workers(site, 1)
    loaded = []
    real_load_config = parallel.load_config
    monkeypatch.setattr(parallel, "load_config", lambda **kwargs: loaded.append(kwargs) or real_load_config(**kwargs))

    monkeypatch.setattr(generator.mkdocs.workers, "ProcessPoolExecutor", InlinePool)
    forked, forked_log = build_in_process(site, caplog)
    assert "Markdown of 7 of 7 articles converted by 1 worker process." in forked_log
    assert loaded == []
    assert [path for path in alone if alone[path] != forked.get(path)] == []

    monkeypatch.setattr(generator.mkdocs.workers, "ProcessPoolExecutor", SpawnedInlinePool)
    spawned, spawned_log = build_in_process(site, caplog)
    assert "Markdown of 7 of 7 articles converted by 1 worker process." in spawned_log
    assert len(loaded) == 1
    assert [path for path in alone if alone[path] != spawned.get(path)] == []


def test_a_build_with_worker_processes_writes_the_same_site(site):
    parallel_site(site)
    site.write("content/articles/first.md", PARALLEL_ARTICLES["first"].replace("a [missing page](gone.md) and ", ""))
    with_workers(site, 0)
    assert site.build().returncode == 0
    alone = snapshot(site.root / "site")
    with_workers(site, 2)
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "articles converted by 2 worker processes" in result.stderr
    parallel = snapshot(site.root / "site")
    assert [path for path in alone if alone[path] != parallel.get(path)] == []
