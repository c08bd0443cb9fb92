"""Build small sites in temporary folders, the way an editor's repository looks."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from generator.site import searchindex

REPO = Path(__file__).resolve().parent.parent

AUTHORS = {
    "careers-desk": {"name": "Careers Desk", "bio": "Finding and landing internships."},
    "policy-desk": {"name": "Policy Desk", "bio": "Pay, rights and the law."},
}
BENEFITS = [
    {"id": "real-world-experience", "title": "Real-world experience", "summary": "Work on *real* projects.",
     "icon": "material/briefcase-outline"},
    {"id": "networking", "title": "Networking", "summary": "Meet people in your field."},
    {"id": "confidence", "title": "Confidence", "summary": "Grow into professional life."},
]
CATEGORIES = [
    {"id": "job-boards", "title": "Job boards", "description": "Where internships are posted."},
    {"id": "government", "title": "Government", "description": "Official programmes and rules."},
]
RESOURCES = [
    {"title": "USAJOBS", "url": "https://www.usajobs.gov/", "category": "government",
     "description": "Federal jobs and internships.", "cost": "free", "last_checked": "2026-11-01",
     "benefits": ["real-world-experience"], "audience": "US students"},
    {"title": "Idealist", "url": "https://www.idealist.org/", "category": "job-boards",
     "description": "Non-profit internships.", "cost": "free", "last_checked": "2026-11-01",
     "benefits": ["networking", "real-world-experience"]},
    {"title": "Handshake", "url": "https://joinhandshake.com/", "category": "job-boards",
     "description": "Campus recruiting.", "cost": "mixed", "last_checked": "2026-11-01"},
]

DESCRIPTION = "A description long enough to pass validation for this test article here."
SOURCES = [
    {"title": "Employment rights and pay for interns", "url": "https://www.gov.uk/employment-rights-for-interns",
     "publisher": "GOV.UK", "accessed": "2026-10-01"},
    {"title": "Fact Sheet #71: Internship Programs Under the FLSA",
     "url": "https://www.dol.gov/agencies/whd/fact-sheets/71-flsa-internships",
     "publisher": "U.S. Department of Labor", "accessed": "2026-10-01"},
]


def article(title: str, date: str, *, body: str = "Some words here.\n", **fields) -> str:
    """An article's text; without benefits or tags it gets the tag `general`, and without
    sources two of them, to be lint-clean."""
    if "benefits" not in fields and "tags" not in fields:
        fields["tags"] = ["general"]
    sources = fields.pop("sources", SOURCES)
    meta = {"title": title, "description": DESCRIPTION, "date": date, "authors": ["careers-desk"], **fields}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    if sources:  # on one line (JSON is YAML), so the body starts where it always did, one line on
        front += f"sources: {json.dumps(sources)}\n"
    return f"---\n{front}---\n\n{textwrap.dedent(body)}"


def repository_markdown_extensions() -> str:
    """The `markdown_extensions:` block of the repository's mkdocs.yml, as written (its
    `!!python/name:` tags would not survive a YAML round trip)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    block = text[text.index("\nmarkdown_extensions:") + 1:]
    lines = block.split("\n")
    end = next(i for i, line in enumerate(lines[1:], 1) if line and not line.startswith((" ", "#")))
    return "\n".join(lines[:end]) + "\n"


def mkdocs_yml(extra: dict | None = None, *, markdown: bool = False) -> str:
    """A test site's settings; with `markdown`, the repository's Markdown extensions."""
    config = {
        "site_name": "Test Guide",
        "site_description": "A test publication.",
        "site_url": "https://example.org/guide/",
        "docs_dir": "content",
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False},
        "plugins": ["field-guide"],
        "nav": [
            {"Home": "index.md"},
            {"Articles": "articles/index.md"},
            {"Benefits": "benefits/index.md"},
            {"Resources": "resources/index.md"},
        ],
        **(extra or {}),
    }
    text = yaml.safe_dump(config, sort_keys=False)
    return text + repository_markdown_extensions() if markdown else text


@dataclass
class Site:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def apply(self, files: dict[str, str | bytes | None]) -> None:
        """Write each file of `files` (text or bytes), or delete it where the value is None."""
        for relative, text in files.items():
            target = self.root / relative
            if text is None:
                target.unlink()
            elif isinstance(text, bytes):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text)
            else:
                self.write(relative, text)

    def write_data(self, name: str, data) -> Path:
        return self.write(f"content/data/{name}", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def add_article(self, slug: str, title: str, date: str, **fields) -> Path:
        return self.write(f"content/articles/{slug}.md", article(title, date, **fields))

    def build(self, *args: str, strict: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795000000"}  # 2026-11-18
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), *args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=300,
        )

    def page(self, url: str) -> BeautifulSoup:
        path = self.root / "site" / url.strip("/") / "index.html" if url.strip("/") else self.root / "site/index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def content_day(root: Path) -> dt.date:
    """The latest date written in a site's content: articles' date, updated and reviewed, their
    sources' accessed, resources' last_checked. Building "as of" that day gives the same site
    whatever day the tests run (nothing written yet is stale, every dated article is out), and
    it moves on by itself as content is added, where a fixed day would leave newer articles
    unpublished ("scheduled") in the test build."""
    from generator.content.reader import load_content

    content = load_content(root)
    days = [resource.last_checked for resource in content.resources]
    for item in content.articles:
        meta = item.meta
        days += [meta.date, *(day for day in (meta.updated, meta.reviewed) if day),
                 *(source.accessed for source in meta.sources)]
    return max(days)


def epoch_of(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH for noon UTC on `day`."""
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


def logged(output: str, level: str = "ERROR") -> list[str]:
    """The messages MkDocs printed at `level` (`ERROR   -  message`), in order."""
    return [line.split("-  ", 1)[1] for line in output.splitlines()
            if line.split(" ", 1)[0] == level and "-  " in line]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it: to compare two builds byte for byte."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def make_site(root: Path, *, articles: dict[str, str] | None = None, markdown: bool = False) -> Site:
    site = Site(root)
    site.write("mkdocs.yml", mkdocs_yml(markdown=markdown))
    site.write("content/index.md", "---\ntitle: Home\n---\n\nWelcome to the test guide.\n")
    site.write_data("authors.yml", AUTHORS)
    site.write_data("benefits.yml", BENEFITS)
    site.write_data("categories.yml", CATEGORIES)
    site.write_data("resources.yml", RESOURCES)
    for slug, text in (articles or {}).items():
        site.write(f"content/articles/{slug}.md", text)
    return site


def search_records(read: Callable[[str], bytes]) -> dict[str, dict]:
    """What the site's Pagefind index holds for each page, by URL: its text, filters and
    meta, read as a browser reads them. `read` gives the bytes of a file of the site."""
    entry = json.loads(read(f"{searchindex.BUNDLE_DIR}/pagefind-entry.json"))
    records = {}
    for language in entry["languages"].values():
        meta = searchindex.decode(read(f"{searchindex.BUNDLE_DIR}/pagefind.{language['hash']}.pf_meta"))
        for page_hash, *_ in meta[1]:
            data = gzip.decompress(read(f"{searchindex.BUNDLE_DIR}/fragment/{page_hash}.pf_fragment"))
            record = json.loads(data[len(searchindex.SIGNATURE):])
            records[record["url"]] = record
    return records


def site_search_records(site_dir: Path) -> dict[str, dict]:
    return search_records(lambda path: (site_dir / path).read_bytes())
