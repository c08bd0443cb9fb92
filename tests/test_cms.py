"""Editing in the browser, end to end: Decap CMS on /admin/ of the built site, decap-server
(MODE=git) on a worktree of a temporary clone, driven in Chromium. Offline: every request
the page makes stays on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import RECORDER, chromium
from conftest import require
from generator.editors.cms import BASE_BRANCH, editing
from generator.content.reader import split_front_matter
from sitekit import REPO, content_day, epoch_of


COPIED = ("mkdocs.yml", "content", "theme", "archetypes", "admin", "schemas")
DAY = content_day(REPO)
TITLE = "Asking for feedback in your first month"
SLUG = "asking-for-feedback-in-your-first-month"


def _run(*command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch_of(DAY), **env})
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done


def _git(*args: str, cwd: Path) -> str:
    return _run("git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args, cwd=cwd).stdout.strip()


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A repository of the project's site (committed, on main), with node_modules, built."""
    require((REPO / "node_modules/decap-cms/dist/decap-cms.js").is_file()
            and (REPO / "node_modules/decap-server/dist/index.js").is_file() and shutil.which("node") is not None,
            "Node.js, decap-cms and decap-server (npm ci --ignore-scripts)")
    root = tmp_path_factory.mktemp("cms") / "repo"
    root.mkdir()
    for name in COPIED:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    (root / ".gitignore").write_text("/site/\n.cache/\n/node_modules\n")
    _git("init", "-q", "-b", "main", cwd=root)
    _git("add", ".", cwd=root)
    _git("commit", "-q", "-m", "The site", cwd=root)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    _run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=root)
    return root


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def session(clone, browser):
    """The editor, logged in to the local backend; the requests it made, and its problems."""
    with editing(clone, clone / "site") as running:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.add_init_script(RECORDER)
        page.goto(running.url + "admin/")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Articles", exact=True).first.wait_for()
        yield running, page, requests
        problems = page.evaluate("window.__problems")
        page.close()
    outside = [url for url in requests if urlsplit(url).scheme not in ("data", "blob")
               and urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], "requests left loopback"
    assert problems == [], "CSP violations or errors on /admin/"


def _field(page, name: str):
    return page.locator(f'[id^="{name}-field-"]')


def _choose(page, name: str, text: str) -> None:
    """Pick `text` in a relation or select widget (react-select)."""
    box = _field(page, name).first
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text, exact=False).first.click()


def _save(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Changes saved").first.wait_for(timeout=30_000)


def test_an_article_with_every_field_saved_in_the_browser_is_a_branch_that_check_and_build_accept(
        session, clone, tmp_path):
    running, page, _ = session
    page.goto(running.url + "admin/#/collections/articles/new")
    _field(page, "title").first.fill(TITLE)
    _field(page, "description").first.fill("How to ask your supervisor for useful feedback early, "
                                     "and what to do with the answers you get.")
    _field(page, "date").first.fill(DAY.isoformat())
    _field(page, "updated").first.fill(DAY.isoformat())
    _field(page, "reviewed").first.fill(DAY.isoformat())
    _choose(page, "authors", "Careers Desk")
    _choose(page, "benefits", "Networking")
    for tag in ("feedback", "first-weeks"):
        page.get_by_role("button", name="Add tags").click()
        page.locator('[id^="tag-field-"]').last.fill(tag)
    _choose(page, "regions", "United States (us)")
    _choose(page, "regions", "United Kingdom (gb)")
    for number in (1, 2):
        page.get_by_role("button", name="Add sources").click()
        _field(page, "title").last.fill(f"Feedback at work, part {number}")
        _field(page, "url").last.fill(f"https://www.dol.gov/feedback-{number}")
        _field(page, "publisher").last.fill("U.S. Department of Labor")
        _field(page, "accessed").last.fill(DAY.isoformat())
    _field(page, "image").first.fill("../images/a-path-of-rising-steps.jpg")  # a lead image must exist
    _field(page, "image_alt").first.fill("An intern and a supervisor talking at a desk")
    _field(page, "image_credit").first.fill("Illustration: Internship Field Guide")
    body = page.locator('[data-slate-editor="true"]').first
    body.click()
    body.type("Ask early, and ask for one thing to do differently.\n\n## Ask in the first week\n\n"
              "Book ten minutes with your supervisor.\n")
    preview = page.frame_locator("iframe").first
    assert preview.locator("article.md-typeset h1").inner_text() == TITLE
    page.screenshot(path=str(_shots() / "editor-with-preview.png"))
    _save(page)

    branches = _git("branch", "--list", "cms/*", cwd=clone).split()
    assert f"cms/articles/{SLUG}" in branches
    checkout = tmp_path / "checkout"
    _git("clone", "-q", "--branch", f"cms/articles/{SLUG}", str(clone), str(checkout), cwd=tmp_path)
    front_matter, _, body_text = split_front_matter(
        (checkout / f"content/articles/{SLUG}.md").read_text(encoding="utf-8"))
    meta = yaml.safe_load(front_matter)
    assert meta["authors"] == ["careers-desk"] and meta["benefits"] == ["networking"]
    assert meta["regions"] == ["us", "gb"] and meta["tags"] == ["feedback", "first-weeks"]
    assert meta["image_alt"] == "An intern and a supervisor talking at a desk" and meta["draft"] is False
    assert meta["image"] == "../images/a-path-of-rising-steps.jpg"
    assert meta["image_credit"] == "Illustration: Internship Field Guide"
    assert {"date", "updated", "reviewed"} <= set(meta) and str(meta["date"]) == DAY.isoformat()
    assert [source["url"] for source in meta["sources"]] == [f"https://www.dol.gov/feedback-{n}" for n in (1, 2)]
    _run(sys.executable, "-m", "generator", "check", "--strict", cwd=checkout)
    _run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=checkout)
    page_html = BeautifulSoup((checkout / f"site/articles/{SLUG}/index.html").read_text(encoding="utf-8"), "lxml")
    assert page_html.h1.get_text(strip=True) == TITLE
    assert page_html.find("h2", id="ask-in-the-first-week") is not None
    # The editor's tree (the clone) is untouched: decap-server worked in its own worktree.
    assert _git("status", "--porcelain", cwd=clone) == ""
    assert _git("rev-parse", "--abbrev-ref", "HEAD", cwd=clone) == "main"
    assert running.worktree.name == "worktree" and _git("rev-parse", "--abbrev-ref", "HEAD",
                                                        cwd=running.worktree) == BASE_BRANCH


def test_a_resource_edited_in_the_browser_is_a_branch_whose_resources_yml_check_accepts(session, clone, tmp_path):
    running, page, _ = session
    page.goto(running.url + "admin/#/collections/data/entries/resources")
    handshake = page.locator('[class*="SortableListItem"]').filter(has_text="Handshake").first
    handshake.locator("button").first.click()  # opens the entry (the first button of its bar)
    description = handshake.locator('[id^="description-field-"]').first
    description.fill("A student job platform used by many university career centres, "
                     "where employers post internships for students at specific schools.")
    _save(page)
    before = yaml.safe_load((REPO / "content/data/resources.yml").read_text(encoding="utf-8"))
    index = next(number for number, resource in enumerate(before) if resource["title"] == "Handshake")

    assert "cms/data/resources" in _git("branch", "--list", "cms/*", cwd=clone).split()
    checkout = tmp_path / "checkout"
    _git("clone", "-q", "--branch", "cms/data/resources", str(clone), str(checkout), cwd=tmp_path)
    text = (checkout / "content/data/resources.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/resources.schema.json"
    resources = yaml.safe_load(text)
    assert len(resources) == len(before)
    assert resources[index]["description"].startswith("A student job platform used by many")
    assert resources[:index] + resources[index + 1:] == before[:index] + before[index + 1:]
    _run(sys.executable, "-m", "generator", "check", "--strict", cwd=checkout)


def _fulfil(route, request=None, *, body: str) -> None:
    route.fulfill(status=200, content_type="text/yaml", body=body)


def _shots() -> Path:
    folder = Path(os.environ.get("CMS_SHOTS", "/tmp/cms-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_built_admin_page_has_its_own_policy_no_index_and_only_the_sites_files(clone):
    from generator.mkdocs.admin import ADMIN_POLICY

    site = clone / "site"
    page = BeautifulSoup((site / "admin/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == ADMIN_POLICY
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    scripts = [script["src"] for script in page.find_all("script")]
    assert scripts == ["js-yaml.min.js", "decap-cms.js", "cms.js"]
    assert all((site / "admin" / src).is_file() for src in scripts)
    styles = [link["href"] for link in page.find_all("link", rel="preview-style")]
    assert any(href.startswith("../assets/stylesheets/main.") for href in styles) and "../assets/ifg/site.css" in styles
    assert all((site / "admin" / href).resolve().is_file() for href in styles)
    assert not list((site / "admin").glob("*.map"))
    config = yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "github", "repo": "internship-field-guide/internship-field-guide",
                                 "branch": "main"}
    # Nothing points readers or search engines at it.
    assert "admin/" in (site / "robots.txt").read_text().split("Disallow: ")[1].splitlines()[0]
    for listing in [*site.glob("sitemap*.xml"), *site.glob("*.xml"), *site.glob("*.json")]:
        assert "/admin/" not in listing.read_text(encoding="utf-8"), listing.name


def test_a_build_without_node_modules_leaves_admin_out_with_one_info_line(clone, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(clone, copy, ignore=shutil.ignore_patterns("node_modules", "site", ".cache", ".git"))
    done = _run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=copy)
    said = [line for line in done.stderr.splitlines() if "Decap CMS" in line]
    assert said == ["INFO    -  Decap CMS is not installed (run `npm ci --ignore-scripts`): "
                    "the site is built without /admin/."]
    assert not (copy / "site/admin").exists() and (copy / "site/index.html").is_file()


def test_decap_refuses_a_config_that_breaks_its_options_and_accepts_ours(clone, browser):
    """Decap validates its configuration with its own schema as it starts."""
    broken = yaml.safe_load((clone / "site/admin/config.yml").read_text(encoding="utf-8"))
    broken["collections"][0]["fields"][0]["widget"] = 42
    with editing(clone, clone / "site") as running:
        for config, accepted in ((None, True), (yaml.safe_dump(broken), False)):
            page = browser.new_page()
            if config is not None:
                page.route("**/admin/config.yml", partial(_fulfil, body=config))
            page.goto(running.url + "admin/")
            if accepted:
                page.get_by_role("button", name="Login").wait_for()
            else:
                page.get_by_text("Error loading the CMS configuration").wait_for()
                assert "widget" in page.inner_text("body")
            page.close()
