"""The hostile-input corpus (tests/hostile/*.yml): every entry is refused by `check` with an
error (or, as `--strict` runs, a warning) naming its file, or it is published with nothing
live: compared with the same site built from neutral content, no script the theme did not
write, no event handler, no script or data URL, no meta refresh, no form, frame, object or
base beyond the theme's and the exact allow_html embed; in the built pages, the three
feeds and the Pagefind index. Chromium then opens every page that holds a published entry
and nothing may run, navigate or reach beyond 127.0.0.1.

Fast by construction: refusal is decided in-process (the pipeline `check` runs), over one
site holding every entry at once; what is not refused is built in one site (entries whose
effect is site-wide, or that need settings or a page of their own, in a few small ones),
and one neutral twin of it is the baseline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from lxml import etree

from generator.content.reader import page_url
from generator.content.errors import ContentError, ContentErrors
from hostilekit import Finding, Signature, live, parse_document, parse_fragment, signature, unsafe_urls
from sitekit import AUTHORS, BENEFITS, CATEGORIES, RESOURCES, Site, article, logged, make_site, mkdocs_yml

pytestmark = pytest.mark.slow

CORPUS_DIR = Path(__file__).parent / "hostile"
TODAY = dt.date(2026, 11, 18)  # sitekit's SOURCE_DATE_EPOCH
EMBED = {"element": "iframe", "src_prefix": "https://www.youtube-nocookie.com/embed/"}  # the README's example
TOKEN_BASE = 70000
NEUTRAL_BODY = "Neutral words about internships.\n"
DATA_PATHS = {"facts": "facts/hostile.yml"}  # data kinds whose file is not content/data/<kind>.yml
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
_TOKEN = re.compile(r"(?<!\d)7\d{4}(?!\d)")


# The corpus


@dataclass
class Entry:
    number: int
    id: str  # file stem / entry id
    kind: str  # the class
    where: str
    spec: dict

    @property
    def token(self) -> int:
        return TOKEN_BASE + self.number

    @property
    def slug(self) -> str:
        return f"h{self.token}"

    @property
    def payload(self):
        return _mark(self.spec.get("payload"), self.token)

    @property
    def isolated(self) -> bool:
        return bool(self.spec.get("isolate")) or self.where == "allow_html"

    def files(self) -> list[str]:
        """The files of the site this entry writes (relative to the site's root)."""
        if self.where == "page":
            return [f"content/{self.spec['page']}"]
        if self.where == "static":
            return [self.spec["path"]]
        files = [f"content/articles/{self.slug}.md"]
        if self.where == "data":
            files.append(f"content/data/{DATA_PATHS.get(self.spec['file'], self.spec['file'] + '.yml')}")
        if self.where == "allow_html":  # alone in its site: mkdocs.yml is its own
            files.append("mkdocs.yml")
        return files


def _mark(value, token: int):
    """The payload with `alert(1)` and `evil.example` naming the entry, so that whatever runs
    or leaks tells which entry it came from."""
    if isinstance(value, str):
        return value.replace("alert(1)", f"alert({token})").replace("evil.example", f"e{token}.evil.example")
    if isinstance(value, list):
        return [_mark(item, token) for item in value]
    if isinstance(value, dict):
        return {key: _mark(item, token) for key, item in value.items()}
    return value


def load_corpus() -> list[Entry]:
    entries = []
    for path in sorted(CORPUS_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for spec in document["entries"]:
            entries.append(Entry(len(entries) + 1, f"{path.stem}/{spec['id']}", spec.get("class", document["class"]),
                                 spec.get("where", document["where"]), spec))
    return entries


CORPUS = load_corpus()


def test_the_corpus_is_well_formed():
    assert len({entry.id for entry in CORPUS}) == len(CORPUS) >= 150
    wheres = {"body", "front_matter", "page", "data", "allow_html", "static"}
    for entry in CORPUS:
        assert entry.where in wheres, entry.id
        assert "payload" in entry.spec or "symlink" in entry.spec, entry.id
        assert re.fullmatch(r"[a-z0-9_]+/[a-z0-9-]+", entry.id), entry.id


# Writing a site of entries


@dataclass
class Written:
    """A site with entries in it, and where each data entry's lines are."""

    site: Site
    entries: list[Entry]
    data_lines: dict[tuple[str, int], range] = field(default_factory=dict)  # (file, entry number) -> lines

    @property
    def allowances(self) -> tuple[str, ...]:
        return tuple(a["src_prefix"] for a in _allow_html(self.entries) if a.get("element") == "iframe")


def _allow_html(entries: Iterable[Entry]) -> list[dict]:
    allowed = [EMBED]
    for entry in entries:
        if entry.where == "allow_html":
            allowed += entry.spec["allow"]
    return allowed


def _page_text(fields: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def write_site(root: Path, entries: list[Entry], *, neutral: bool = False) -> Written:
    """A site holding `entries`; with `neutral`, the same site with every payload left out
    (the same articles, pages and data items, with harmless values): the baseline."""
    if root.exists():
        shutil.rmtree(root)
    site = make_site(root, markdown=True)
    written = Written(site, entries)
    config = yaml.safe_load(mkdocs_yml())
    config["nav"].append({"About": "about.md"})
    config["plugins"] = [{"field-guide": {"allow_html": _allow_html([] if neutral else entries),
                                          "social_cards": False, "feed_limit": 10_000}}]
    site.write("mkdocs.yml", yaml.safe_dump(config, sort_keys=False) + _markdown_extensions())
    pages = {"index.md": ({"title": "Home"}, "Welcome to the test guide.\n"),
             "about.md": ({"title": "About"}, "About the guide.\n")}
    data = {"resources": [], "benefits": [], "categories": [], "authors": {}, "facts": []}
    for entry in entries:
        payload = entry.payload
        slug, fields, body = entry.slug, {}, NEUTRAL_BODY
        if entry.where == "body" or entry.where == "allow_html":
            body = NEUTRAL_BODY if neutral else payload
        elif entry.where == "front_matter":
            if not neutral:
                fields = {**entry.spec.get("also", {}), entry.spec["field"]: payload}
        elif entry.where == "page":
            meta, text = pages[entry.spec["page"]]
            if entry.spec["field"] == "body":
                text = text if neutral else payload
            elif not neutral:
                meta = {**meta, entry.spec["field"]: payload}
            pages[entry.spec["page"]] = (meta, text)
            continue
        elif entry.where == "data":
            fields = _data_item(entry, data, neutral)
            body = fields.pop("body", body)
        elif entry.where == "static":
            if not neutral:
                _write_static(site, entry)
            continue
        title = fields.pop("title", f"Entry {entry.token}")
        site.write(f"content/articles/{slug}.md", article(title, "2026-10-01", body=body, **fields))
    for name, (meta, text) in pages.items():
        site.write(f"content/{name}", _page_text(meta, text))
    _write_data(written, data)
    return written


def _markdown_extensions() -> str:
    from sitekit import repository_markdown_extensions

    return repository_markdown_extensions()


def _data_item(entry: Entry, data: dict, neutral: bool) -> dict:
    """Adds the entry's item to `data`; returns the front matter of the article that shows it."""
    kind, token = entry.spec["file"], entry.token
    override = {} if neutral else {entry.spec["field"]: entry.payload}
    if kind == "resources":
        item = {**RESOURCES[0], "title": f"Resource {token}", "url": f"https://example.org/r{token}", **override}
        data["resources"].append((entry, item))
        return {}
    if kind == "benefits":
        item = {"id": f"b{token}", "title": f"Benefit {token}", "summary": "A summary.", **override}
        data["benefits"].append((entry, item))
        return {"benefits": [f"b{token}"]}
    if kind == "categories":
        item = {"id": f"c{token}", "title": f"Category {token}", "description": "Things.", **override}
        data["categories"].append((entry, item))
        data["resources"].append((entry, {**RESOURCES[0], "title": f"In category {token}",
                                          "url": f"https://example.org/c{token}", "category": f"c{token}"}))
        return {}
    if kind == "facts":  # shown on /key-figures/ and, as its value, in the article that names it
        fact = {"id": f"f{token}", "label": f"Figure {token}", "region": "gb",
                "values": [{"value": f"{token} hours", "from": "2026-01-01"}],
                "source": {"title": "Source", "url": f"https://example.org/f{token}", "publisher": "GOV.UK",
                           "accessed": "2026-10-01"}, "review_by": "2027-10-01"}
        field, payload = entry.spec["field"], entry.payload
        if not neutral and field in ("value", "from"):
            fact["values"][0][field] = payload
        elif not neutral and field.startswith("source."):
            fact["source"][field.removeprefix("source.")] = payload
        elif not neutral:
            fact[field] = payload
        data["facts"].append((entry, fact))
        return {"body": f"It is [the figure](fact:{fact['id'] if isinstance(fact['id'], str) else 'x'}).\n"}
    item = {"name": f"Desk {token}", "bio": "A desk.", **override}
    data["authors"][f"a{token}"] = (entry, item)
    return {"authors": [f"a{token}"]}


def _write_data(written: Written, data: dict) -> None:
    """Each data file: the neutral items of sitekit, then one item per entry, its lines noted."""
    bases = {"resources": RESOURCES, "benefits": BENEFITS, "categories": CATEGORIES, "authors": AUTHORS, "facts": []}
    for kind, base in bases.items():
        text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True) if base or kind != "facts" else ""
        items = data[kind].items() if kind == "authors" else [(None, pair) for pair in data[kind]]
        for key, pair in items:
            entry, item = pair
            chunk = yaml.safe_dump({key: item} if kind == "authors" else [item], sort_keys=False, allow_unicode=True)
            first = text.count("\n") + 1
            text += chunk
            written.data_lines[(kind, entry.number)] = range(first, text.count("\n") + 1)
        written.site.write(f"content/data/{DATA_PATHS.get(kind, kind + '.yml')}", text or "[]\n")


def _write_static(site: Site, entry: Entry) -> None:
    target = site.root / entry.spec["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if "symlink" in entry.spec:
        target.symlink_to(entry.spec["symlink"])
    else:
        target.write_text(entry.payload, encoding="utf-8")


# Refusal: the pipeline `check` runs, in-process


@dataclass
class Outcome:
    entry: Entry
    refused: list[str] = field(default_factory=list)  # the errors or warnings naming its file
    live: list[str] = field(default_factory=list)  # what was found live where it was published
    failure: str = ""  # the check or build crashed, or they disagreed

    @property
    def ok(self) -> bool:
        return not self.failure and (bool(self.refused) or not self.live)

    @property
    def status(self) -> str:
        if self.failure:
            return "failed"
        if self.refused:
            return "refused"
        return "live" if self.live else "inert"


FILE_FIELDS = ("(file)", "(file name)", "(front matter)")


def _names(error: ContentError, entry: Entry, written: Written) -> bool:
    if entry.where == "page":  # a page holds several entries, one field each
        field_named = re.split(r"[.\[]", error.field, maxsplit=1)[0]
        return error.path == entry.files()[0] and (field_named == entry.spec["field"] or error.field in FILE_FIELDS)
    for file in entry.files():
        if entry.where == "data" and file.startswith("content/data/"):
            lines = written.data_lines.get((entry.spec["file"], entry.number), range(0))
            if error.path == file and error.line in lines:
                return True
        elif error.path == file or error.path.startswith(file + "/"):
            return True
    return False


def prepare(root: Path):
    """check's pipeline on the site at `root`: (errors, warnings), or raises what it raised."""
    from generator.mkdocs import config

    _, settings, warnings = config.load(root)
    try:
        site = config.prepare(settings, today=TODAY)
    except ContentErrors as invalid:
        return list(invalid.errors), []
    return [], warnings + site.warnings


def decide_refusals(root: Path, entries: list[Entry], outcomes: dict[str, Outcome]) -> list[Entry]:
    """Entries `check --strict` refuses get their errors; returns those it lets through.
    Runs the pipeline over all of them at once, again after each round of refusals
    (errors hide the lint's warnings), and finds any that crash it by halving."""
    from generator.mkdocs.config import InvalidConfig

    candidates = list(entries)
    for _ in range(6):
        written = write_site(root, candidates)
        try:
            errors, warnings = prepare(root)
        except InvalidConfig as invalid:
            errors, warnings = list(invalid.problems), []
        except Exception:  # a traceback: find the entries that cause it
            crashing = _crashing(root, candidates)
            for entry in crashing:
                outcomes[entry.id].failure = "check crashed with a traceback"
            candidates = [e for e in candidates if e not in crashing]
            continue
        problems = errors or warnings
        if not problems:
            return candidates
        named = set()
        for problem in problems:
            owners = [entry for entry in candidates if _names(problem, entry, written)]
            assert owners, f"a problem that names no entry of the corpus: {problem}"
            for entry in owners:
                outcomes[entry.id].refused.append(str(problem))
                named.add(entry.id)
        candidates = [entry for entry in candidates if entry.id not in named]
    raise AssertionError("check's problems did not settle in six rounds")


def _crashing(root: Path, entries: list[Entry]) -> list[Entry]:
    def crashes(group: list[Entry]) -> bool:
        write_site(root, group)
        try:
            prepare(root)
        except Exception as error:  # noqa: BLE001 - any traceback counts
            return not isinstance(error, ContentErrors) and type(error).__name__ != "InvalidConfig"
        return False

    if len(entries) == 1:
        return entries if crashes(entries) else []
    if not crashes(entries):
        return []
    half = len(entries) // 2
    return _crashing(root, entries[:half]) + _crashing(root, entries[half:])


# Building what was not refused, and reading what a reader gets


@dataclass
class Built:
    written: Written
    site_dir: Path
    strict_warnings: list[str]


def build(written: Written) -> tuple[Built | None, str]:
    """`mkdocs build --strict`; when only strict mode failed it, built again without, so what
    would be published is still checked. (None, why) when the build failed outright."""
    result = written.site.build()
    warnings: list[str] = []
    if result.returncode != 0:
        warnings = logged(result.stderr, "WARNING")
        if not warnings or "Traceback" in result.stderr:
            return None, _failure(result.stderr)
        result = written.site.build(strict=False)
        if result.returncode != 0:
            return None, _failure(result.stderr)
    return Built(written, written.site.root / "site", warnings), ""


def build_published(root: Path, published: list[Entry], outcomes: dict[str, Outcome]) -> Built | None:
    """The site of the entries check let through, built; an entry whose page MkDocs names
    when the build fails is marked and left out, and the rest built again."""
    for _ in range(4):
        written = write_site(root, published)
        built, failure = build(written)
        if built is not None:
            return built
        named = [e for e in published if any(f"'{f.removeprefix('content/')}'" in failure for f in e.files())]
        if not named or len(named) == len(published):
            break
        for entry in named:
            outcomes[entry.id].failure = f"the build failed although check passed: {failure}"
        published = [e for e in published if e not in named]
    for entry in published:
        outcomes[entry.id].failure = f"the build failed although check passed: {failure}"
    return None


def _failure(stderr: str) -> str:
    """The build's last words, with the page MkDocs was reading when it failed."""
    lines = stderr.strip().splitlines() or ["(no output)"]
    reading = [line for line in lines if "Error reading page" in line]
    return " ".join(reading[:1] + lines[-1:])[:400]


def baseline_signatures(site_dir: Path) -> tuple[dict[str, Signature], Signature]:
    """Each page's active markup in the neutral build, and all of them together (for pages
    the neutral build lacks)."""
    pages, everything = {}, Signature()
    for path in sorted(site_dir.rglob("*.html")):
        found = signature(parse_document(path.read_text(encoding="utf-8", errors="replace")))
        pages[path.relative_to(site_dir).as_posix()] = found
        everything = everything.union(found)
    return pages, everything


def _home(entry: Entry, built: Built) -> list[str]:
    """The pages of the built site an entry's content is shown on first."""
    if entry.where == "page":
        return ["index.html" if entry.spec["page"] == "index.md" else "about/index.html"]
    if entry.where == "static":
        source = Path(entry.spec["path"].removeprefix("content/"))
        if source.suffix in MARKDOWN_SUFFIXES:  # MkDocs renders these as pages
            return [page_url(source.with_suffix(".md").as_posix()) + "index.html"]
        return []
    return [f"articles/{entry.slug}/index.html"]


def findings_of(built: Built, baseline: tuple[dict[str, Signature], Signature]) -> dict[str, list[str]]:
    """What is live in the built site, by the entry it came from (the entry number in the
    payload, else the entry whose page it is); `?` for what came from no entry."""
    entries = built.written.entries
    by_token = {entry.token: entry for entry in entries}
    by_page = defaultdict(list)
    for entry in entries:
        for page in _home(entry, built):
            by_page[page].append(entry)
    found: dict[str, list[str]] = defaultdict(list)
    pages, everything = baseline

    def charge(where: str, page: str, finding: Finding | str) -> None:
        evidence = str(finding)
        owners = [by_token[int(t)] for t in _TOKEN.findall(evidence) if int(t) in by_token] or by_page.get(page, [])
        for owner in owners or [None]:
            found[owner.id if owner else "?"].append(f"{where}: {evidence}")

    allowed = built.written.allowances
    for path in sorted(built.site_dir.rglob("*.html")):
        page = path.relative_to(built.site_dir).as_posix()
        if page.startswith("pagefind/"):
            continue
        tree = parse_document(path.read_text(encoding="utf-8", errors="replace"))
        for finding in live(tree, pages.get(page, everything), allowed_frames=allowed):
            charge(page, page, finding)
    for where, page, fragment in feed_items(built.site_dir):
        for finding in live(parse_fragment(fragment), allowed_frames=allowed):
            charge(where, page, finding)
    for page, problem in search_problems(built):
        charge("search index", page, problem)
    for entry in entries:
        if entry.where == "static":
            for problem in _static_published(entry, built.site_dir):
                found[entry.id].append(problem)
    return found


def feed_items(site_dir: Path) -> Iterable[tuple[str, str, str]]:
    """(where, the article's page, HTML) for each piece of HTML a feed reader renders: RSS
    content:encoded and description, Atom content and summary of type html, JSON Feed
    content_html."""
    def page_of(url: str) -> str:
        return url.split("/guide/", 1)[-1].rstrip("/") + "/index.html"

    rss = etree.parse(str(site_dir / "feed.xml"))
    for item in rss.iter("item"):
        link = item.findtext("link") or ""
        for tag in ("{http://purl.org/rss/1.0/modules/content/}encoded", "description"):
            yield f"feed.xml {tag.rsplit('}', 1)[-1]}", page_of(link), item.findtext(tag) or ""
    atom_ns = "{http://www.w3.org/2005/Atom}"
    atom = etree.parse(str(site_dir / "atom.xml"))
    for item in atom.iter(f"{atom_ns}entry"):
        link_element = item.find(f"{atom_ns}link")
        link = link_element.get("href", "") if link_element is not None else ""
        for tag in ("content", "summary"):
            element = item.find(atom_ns + tag)
            if element is not None and element.get("type") == "html":
                yield f"atom.xml {tag}", page_of(link), element.text or ""
    for item in json.loads((site_dir / "feed.json").read_text(encoding="utf-8"))["items"]:
        yield "feed.json content_html", page_of(item["url"]), item.get("content_html", "")


def search_problems(built: Built) -> Iterable[tuple[str, str]]:
    """The index holds exactly the published articles, each with the title, date and filters
    our template marks (no filter or meta a body added, no page it did not mark)."""
    from sitekit import site_search_records

    site_dir = built.site_dir
    articles = {p.parent.relative_to(site_dir).as_posix() for p in (site_dir / "articles").glob("*/index.html")
                if p.parent.name != "page"}
    expected = {f"/{a}/" for a in articles}
    if not expected and not (site_dir / "pagefind").exists():
        return  # a site of pages only has no index
    records = site_search_records(site_dir)
    for url in sorted(set(records) ^ expected):
        yield url.strip("/") + "/index.html", f"indexed pages differ from the articles at {url}"
    for url, record in records.items():
        page = url.strip("/") + "/index.html"
        meta = record.get("meta", {})
        # Pagefind adds the body's first image by itself (image, image_alt)
        if set(meta) - {"title", "date", "image", "image_alt"} or unsafe_urls("src", meta.get("image", "")):
            yield page, f"search meta {meta}"
        if set(record.get("filters", {})) - {"author", "benefit", "tag"}:
            yield page, f"search filters {record['filters']}"
        soup = (site_dir / page)
        if soup.is_file():
            title = parse_document(soup.read_text(encoding="utf-8")).find(".//article//h1")
            shown = "".join(title.itertext()).strip() if title is not None else None
            if shown is not None and record.get("meta", {}).get("title") != shown:
                yield page, f"search title {record['meta'].get('title')!r} is not the page's {shown!r}"


def _static_published(entry: Entry, site_dir: Path) -> list[str]:
    """A refused kind of file that reached the site: as written, or through its symlink."""
    relative = entry.spec["path"].removeprefix("content/")
    target = site_dir / relative
    if "symlink" in entry.spec:
        return [f"{relative} published from the symlink to {entry.spec['symlink']}"] if os.path.lexists(target) else []
    if target.is_file() and target.read_bytes() == entry.payload.encode():
        return [f"{relative} published as written"]
    return []


# The whole run, once per module


@dataclass
class Run:
    outcomes: dict[str, Outcome]
    builds: list[Built]
    seconds: float
    unattributed: list[str] = field(default_factory=list)  # live markup or warnings from no entry
    timings: list[str] = field(default_factory=list)


def _groups(entries: list[Entry]) -> list[list[Entry]]:
    """The main site takes every entry that is not isolated and the first of each page slot
    (a page and a field); further page entries go to small sites, packed the same way;
    isolated entries each get a site of their own."""
    groups: list[list[Entry]] = [[]]
    slots: list[set] = [set()]
    for entry in entries:
        if entry.isolated:
            continue
        if entry.where != "page":
            groups[0].append(entry)
            continue
        slot = (entry.spec["page"], entry.spec["field"])
        for index, used in enumerate(slots):
            if slot not in used:
                used.add(slot)
                groups[index].append(entry)
                break
        else:
            slots.append({slot})
            groups.append([entry])
    return groups + [[entry] for entry in entries if entry.isolated]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    started = time.perf_counter()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    outcomes = {entry.id: Outcome(entry) for entry in CORPUS}
    folder = tmp_path_factory.mktemp("hostile")
    builds, unattributed, timings = [], [], []
    baseline = None
    for index, group in enumerate(_groups(CORPUS)):
        root = folder / f"site{index}"
        phase = time.perf_counter()
        published = decide_refusals(root, group, outcomes)
        timings.append(f"site {index}: {len(group)} entries, check {time.perf_counter() - phase:.1f} s")
        if not published:
            continue
        phase = time.perf_counter()
        built = build_published(root, published, outcomes)
        timings[-1] += f", {len(published)} built in {time.perf_counter() - phase:.1f} s"
        if built is None:
            continue
        for warning in built.strict_warnings:
            owners = [e for e in published if any(f.removeprefix("content/") in warning for f in e.files())
                      or e.slug in warning]
            for entry in owners:
                outcomes[entry.id].failure = f"mkdocs build --strict warns, check passed: {warning}"
            if not owners:
                unattributed.append(f"site {index}: mkdocs build --strict warns: {warning}")
        if baseline is None:  # the main site's neutral twin serves every build
            phase = time.perf_counter()
            neutral = write_site(folder / "neutral", published, neutral=True)
            result = neutral.site.build()
            assert result.returncode == 0, result.stderr
            baseline = baseline_signatures(neutral.site.root / "site")
            timings.append(f"neutral twin built and read in {time.perf_counter() - phase:.1f} s")
        phase = time.perf_counter()
        found = findings_of(built, baseline)
        timings.append(f"site {index} read in {time.perf_counter() - phase:.1f} s")
        unattributed += [f"site {index}: {problem}" for problem in found.pop("?", [])]
        for entry_id, problems in found.items():
            outcomes[entry_id].live += problems
        builds.append(built)
    result = Run(outcomes, builds, time.perf_counter() - started, unattributed, timings)
    _report(result)
    return result


def _report(run: Run) -> None:
    """IFG_HOSTILE_REPORT=path writes each entry's outcome as JSON (the issue's figures)."""
    path = os.environ.get("IFG_HOSTILE_REPORT")
    if not path:
        return
    Path(path).write_text(json.dumps({
        "seconds": round(run.seconds, 1),
        "unattributed": run.unattributed[:50],
        "timings": run.timings,
        "entries": {o.entry.id: {"class": o.entry.kind, "where": o.entry.where, "status": o.status,
                                 "refused": o.refused[:2], "live": o.live[:3], "failure": o.failure}
                    for o in run.outcomes.values()},
    }, indent=1), encoding="utf-8")


@pytest.mark.parametrize("entry_id", [entry.id for entry in CORPUS])
def test_hostile_entry_is_refused_or_published_inert(run, entry_id):
    outcome = run.outcomes[entry_id]
    assert not outcome.failure, outcome.failure
    assert outcome.refused or not outcome.live, "\n".join(outcome.live[:8])


def test_nothing_live_or_warned_comes_from_no_entry(run):
    assert run.unattributed == []


# Chromium: what a reader's browser does with the published entries


# Installed before any script of the page, in every frame: dialogs and printing are counted
# instead of shown, whatever a payload calls.
TRAPS = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[name] = function (...args) { (window.top.__ran || window.__ran).push(name + '(' + args.join(',') + ')'); };
}
"""
PAGE_SECONDS = 5


def _pages_to_open(built: Built, outcomes: dict[str, Outcome]) -> dict[str, list[Entry]]:
    """Each page (relative to the site) that shows an entry check let through, with its entries."""
    pages: dict[str, list[Entry]] = defaultdict(list)
    for entry in built.written.entries:
        if outcomes[entry.id].refused or outcomes[entry.id].failure:
            continue
        homes = _home(entry, built)
        if entry.where == "data":
            kind, token = entry.spec["file"], entry.token
            homes += {"resources": ["resources/"], "categories": ["resources/"],
                      "benefits": ["benefits/", f"benefits/b{token}/"],
                      "authors": ["authors/", f"authors/a{token}/"], "facts": ["key-figures/"]}[kind]
        if entry.where == "static":
            relative = entry.spec["path"].removeprefix("content/")
            if os.path.lexists(built.site_dir / relative) and not (built.site_dir / relative).is_dir():
                homes.append(relative)
        for home in homes:
            pages[home.removesuffix("index.html")].append(entry)
    return pages


@pytest.fixture(scope="module")
def browser_events(run) -> dict[str, list[str]]:
    """What ran, navigated or went beyond 127.0.0.1 on each published entry's pages, by entry."""
    from browser import chromium, serve
    from playwright.sync_api import Error as PlaywrightError

    events: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    with chromium() as browser:
        for built in run.builds:
            by_token = {entry.token: entry for entry in built.written.entries}
            pages = _pages_to_open(built, run.outcomes)
            with serve(built.site_dir, "/guide/") as root:
                context = browser.new_context()
                context.add_init_script(TRAPS)
                seen: list[str] = []
                allowed = built.written.allowances

                def route(request_route, request, seen=seen, allowed=allowed):
                    url = request.url
                    if url.startswith("http://127.0.0.1:"):
                        return request_route.continue_()
                    if not any(url.startswith(prefix) for prefix in allowed):
                        seen.append(f"request to {url}")
                    return request_route.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.on("dialog", lambda dialog, seen=seen: (seen.append(f"dialog {dialog.message}"), dialog.dismiss()))
                for relative, owners in sorted(pages.items()):
                    target = root + relative
                    seen.clear()
                    navigations: list[str] = []

                    def navigated(frame, navigations=navigations, page=page):
                        if frame == page.main_frame:
                            navigations.append(frame.url)

                    page.on("framenavigated", navigated)
                    try:
                        page.goto(target, wait_until="load", timeout=PAGE_SECONDS * 1000)
                        # two frames more: SVG animations begin, autofocus and image errors are handled
                        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
                        ran = page.evaluate("window.__ran.concat(window.__pwned ? ['__pwned'] : [])")
                        frames = [f.url for f in page.frames if f != page.main_frame
                                  and not f.url.startswith(("http://127.0.0.1:", "about:blank", "chrome-error:"))
                                  and not any(f.url.startswith(p) for p in allowed)]
                    except PlaywrightError as error:
                        if "Download is starting" in str(error):  # not a page: nothing in it runs
                            ran, frames = [], []
                        else:
                            ran, frames = [f"page did not finish: {str(error).splitlines()[0][:120]}"], []
                    page.remove_listener("framenavigated", navigated)
                    away = [url for url in navigations if url.split("#")[0] != target]
                    found = ([f"ran {call}" for call in ran] + [f"frame {url[:120]}" for url in frames]
                             + [f"navigated to {url[:120]}" for url in away] + list(seen))
                    for event in found:
                        tokens = [by_token[int(t)] for t in _TOKEN.findall(event) if int(t) in by_token]
                        for owner in tokens or owners:
                            events[owner.id].append(f"{relative}: {event}")
                    if away:  # back to a clean page for the next one
                        page.goto("about:blank")
                context.close()
    events["(seconds)"] = [f"{time.perf_counter() - started:.1f}"]
    path = os.environ.get("IFG_HOSTILE_REPORT")
    if path:
        Path(path + ".browser.json").write_text(json.dumps(events, indent=1), encoding="utf-8")
    return events


def test_chromium_runs_nothing_where_entries_are_published(browser_events):
    live_in_browser = {entry: found for entry, found in browser_events.items() if entry != "(seconds)"}
    assert live_in_browser == {}
