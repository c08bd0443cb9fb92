"""`python -m generator`: the editors' command line.

    new article "Title"   start an article from archetypes/article.md, as a draft
    check                 validate and lint all content without building
    schemas               regenerate the JSON Schemas in schemas/ and the CMS's admin/config.yml
    facts                 every fact with its value in force (--date YYYY-MM-DD: on another day)
    cms                   edit in the browser, locally: Decap CMS on a separate git worktree
    diff OLD NEW          the pages two builds add, change and remove (from their manifest.json)
    catalogue             regenerate ERRORS.md, the error catalogue

Exit codes: 0 all good (warnings allowed unless --strict); 1 content errors, warnings
under --strict (time-based findings count only with --scheduled, or in what --since or
--changed name), or a file that already exists; 2 the command itself was used wrongly.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import yaml

from ..content.errors import ContentError, ContentErrors
from ..content.reader import ARTICLES_DIR, RESERVED_SLUGS
from ..site.lint import TimeBased
from ..site.pipeline import PreparedSite, build_date
from .changes import Changes, ChangesUnknown, since

ARCHETYPE = Path("archetypes/article.md")
MAX_SLUG = 60


class UsageError(Exception):
    """The command was used wrongly; exit 2."""


def find_root(start: Path) -> Path:
    """The nearest folder, from `start` upwards, that holds mkdocs.yml."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise UsageError(f"no mkdocs.yml in {start} or above: run this inside the repository")


def _settings(root: Path, warnings: list[ContentError] | None = None):
    """mkdocs.yml read by the adapter, exactly as the build reads it; what MkDocs warns
    about it is added to `warnings`."""
    from ..mkdocs import config

    _, settings, config_warnings = config.load(root)
    if warnings is not None:
        warnings += config_warnings
    return settings


def slugify(title: str) -> str:
    """`Paid & unpaid: the law` -> `paid-unpaid-the-law`, cut at a word under MAX_SLUG."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug


# Commands


def new_article(root: Path, title: str, *, authors: Sequence[str], today: dt.date, out: TextIO) -> int:
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise UsageError("the title needs letters or digits to make a file name from")
    if slug in RESERVED_SLUGS:
        raise UsageError(f"the slug {slug!r} is reserved for a listing page: choose another title")
    if len(title) > 90:
        raise UsageError(f"the title is {len(title)} characters; the limit is 90")
    from ..mkdocs.config import InvalidConfig

    try:
        content_dir = Path(_settings(root).docs_dir)
    except InvalidConfig as invalid:
        raise UsageError(f"mkdocs.yml cannot be used:\n{invalid}") from None
    if not authors:
        authors = _first_author(content_dir)
    archetype = root / ARCHETYPE
    try:
        template = archetype.read_text(encoding="utf-8")
    except OSError:
        raise UsageError(f"{ARCHETYPE} is missing: it is the template for new articles") from None
    text = (template.replace("{title}", json.dumps(title, ensure_ascii=False))
            .replace("{date}", today.isoformat())
            .replace("{authors}", ", ".join(authors)))
    path = content_dir / ARTICLES_DIR / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # "x" never replaces a file, even one created a moment ago by someone else.
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        print(f"{path.relative_to(root)} already exists and was left as it is: "
              "edit it, or choose another title", file=sys.stderr)
        return 1
    print(f"Created {path.relative_to(root)} as a draft. Replace each TODO and the example.* sources "
          "(`python -m generator check` lists those left), preview it with `mkdocs serve`, then delete the "
          "`draft: true` line to publish it.", file=out)
    return 0


def _first_author(content_dir: Path) -> list[str]:
    try:
        authors = yaml.safe_load((content_dir / "data/authors.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        authors = None
    if isinstance(authors, dict) and authors:
        return [str(next(iter(authors)))]
    raise UsageError("no authors found in data/authors.yml: name one with --author ID")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_problem(problem: ContentError, severity: str, style: str) -> str:
    code = f" [{problem.code}]" if problem.code else ""
    if style == "github":
        return (f"::{severity} file={_escape_property(problem.path)},line={problem.line},"
                f"col={problem.column},title={_escape_property(problem.field + code)}::"
                f"{_escape_data(problem.field + ': ' + problem.message + code)}")
    if severity == "error":
        return str(problem)
    return f"{problem.path}:{problem.line}:{problem.column}: {severity}: {problem.field}: {problem.message}{code}"


def check(root: Path, *, strict: bool, style: str, external: bool, today: dt.date | None, out: TextIO,
          changes: Changes | None = None, scheduled: bool = False) -> int:
    """Errors, then warnings, then notices. Time-based findings are warnings when they count
    (`scheduled`, or in what `changes` holds), notices otherwise."""
    started = time.perf_counter()
    from ..mkdocs.config import InvalidConfig, prepare

    config_warnings: list[ContentError] = []
    try:
        site = prepare(_settings(root, config_warnings), today=today or build_date())
    except (InvalidConfig, ContentErrors) as invalid:
        # With the errors, the warnings and notes on the content that could be read: one
        # run shows every problem (a broken link is not hidden by a typo in another file).
        problems = invalid.problems if isinstance(invalid, InvalidConfig) else invalid.errors
        also = ([], []) if isinstance(invalid, InvalidConfig) else (config_warnings + invalid.warnings, invalid.notes)
        for error in problems:
            print(format_problem(error, "error", style), file=out)
        for warning in sorted(also[0]):
            print(format_problem(warning, "warning", style), file=out)
        for note in also[1]:
            print(format_problem(note, "notice", style), file=out)
        print(f"{_count(len(problems), 'error')}"
              f"{', ' + _count(len(also[0]), 'warning') if also[0] else ''}"
              f"{', ' + _count(len(also[1]), 'note') + ' on drafts' if also[1] else ''}"
              ": fix them before the site can build.", file=sys.stderr)
        return 1
    warnings = config_warnings + site.warnings
    timed = list(site.time_based)
    if external:
        timed += dead_links(site, root / ".cache" / "links.json")
    counted = [f for f in timed if scheduled or (changes is not None and changes.touches(f))]
    warnings += [finding.problem for finding in counted]
    reported = sorted(finding.problem for finding in timed if finding not in counted)
    warnings.sort()
    for warning in warnings:
        print(format_problem(warning, "warning", style), file=out)
    for notice in reported:
        print(format_problem(notice, "notice", style), file=out)
    for note in site.notes:
        print(format_problem(note, "notice", style), file=out)
    elapsed = time.perf_counter() - started
    summary = (f"Checked {len(site.content.articles)} articles, {len(site.content.resources)} resources, "
               f"{len(site.content.benefits)} benefits, {len(site.content.authors)} authors and "
               f"{len(site.content.facts)} facts in "
               f"{elapsed:.2f} s: no errors, {_count(len(warnings), 'warning')}"
               f"{', ' + _count(len(reported), 'time-based notice') if reported else ''}"
               f"{', ' + str(len(site.notes)) + ' notes on drafts' if site.notes else ''}.")
    print(summary, file=sys.stderr)
    if reported:
        print("Time-based notices (stale resources, reviews due, facts to update, dead links) fail only an entry "
              "the change touched (--since, --changed) and the daily report (--scheduled).", file=sys.stderr)
    if warnings and strict:
        print("--strict: warnings count as errors.", file=sys.stderr)
        return 1
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def dead_links(site: PreparedSite, cache: Path) -> list[TimeBased]:
    """Every external URL of the content that does not answer, as time-based findings at its place."""
    from ..site.lint import external_links
    from .linkcheck import check_urls

    places = external_links(site.content)
    results = check_urls([url for url, _ in places], cache_path=cache)
    return [dataclasses.replace(place, problem=dataclasses.replace(
                place.problem, message=f"{url} is not reachable: {results[url].error}"))
            for url, place in places if not results[url].ok]


def list_facts(root: Path, *, style: str, day: dt.date, out: TextIO) -> int:
    """Every fact as of `day`: id, label, region, value in force, since when, next change,
    source and review_by; as a table, or as JSON (`style` "json")."""
    from ..content.reader import read_content
    from ..content.facts import rows
    from ..mkdocs.config import InvalidConfig

    try:
        settings = _settings(root)
    except InvalidConfig as invalid:
        raise UsageError(f"mkdocs.yml cannot be used:\n{invalid}") from None
    content, errors = read_content(settings.root, settings.docs_dir)
    problems = sorted(error for error in errors if "/data/facts/" in f"/{error.path}")
    for error in problems:
        print(format_problem(error, "error", "text"), file=sys.stderr)
    if problems:
        print(f"{_count(len(problems), 'error')} in the facts files: fix them first (`python -m generator check`).",
              file=sys.stderr)
        return 1
    found = [row.as_json() for row in rows(content.facts, day)]
    if style == "json":
        json.dump({"date": day.isoformat(), "facts": found}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    header = ("id", "label", "region", "value", "from", "next change", "source", "review_by")
    table = [header] + [(
        row["id"], row["label"], row["region"], row["value"] or "(none in force)", row["effective_from"] or "",
        f"{row['next_change']['value']} from {row['next_change']['from']}" if row["next_change"] else "",
        row["source_url"], row["review_by"],
    ) for row in found]
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    for line in table:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() + "\n")
    print(f"{_count(len(found), 'fact')} as of {day.isoformat()}.", file=sys.stderr)
    return 0


def _day(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UsageError(f"--date: {text!r} is not a date written YYYY-MM-DD, like 2027-01-01")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(f"--date: {text} is not a real date ({error})") from None


def diff_builds(old: Path, new: Path, *, site_url: str | None, out: TextIO) -> int:
    from ..site.manifest import diff_manifests, read_manifest, render_summary

    try:
        before, after = read_manifest(old), read_manifest(new)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read a manifest: {error}") from None
    out.write(render_summary(diff_manifests(before, after), site_url=site_url))
    return 0


def write_catalogue(root: Path, *, check_only: bool, out: TextIO) -> int:
    from .catalogue import render_markdown

    path = root / "ERRORS.md"
    text = render_markdown()
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return 0
    if check_only:
        print("ERRORS.md is stale: run `python -m generator catalogue`", file=out)
        return 1
    path.write_text(text, encoding="utf-8")
    print("Wrote ERRORS.md", file=out)
    return 0


# Entry point


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    new = commands.add_parser("new", help="start a new article from the template")
    new.add_argument("kind", choices=["article"])
    new.add_argument("title")
    new.add_argument("--author", action="append", default=[], metavar="ID",
                     help="an author id from authors.yml (repeatable; default: the first)")

    checker = commands.add_parser("check", help="validate and lint all content, without building")
    checker.add_argument("--strict", action="store_true", help="warnings are errors (exit 1)")
    checker.add_argument("--format", choices=["text", "github"], default="text",
                         help="github: annotations for pull requests")
    checker.add_argument("--external", action="store_true",
                         help="also check every external URL (slow; cached for a day in .cache/)")
    checker.add_argument("--changed", nargs="+", default=[], metavar="PATH",
                         help="time-based findings (stale resources, reviews due, dead links) in these files "
                              "count as warnings")
    checker.add_argument("--since", metavar="GIT_REF",
                         help="time-based findings in the entries changed since this commit count as warnings")
    checker.add_argument("--scheduled", action="store_true",
                         help="every time-based finding counts as a warning (the daily report)")

    facts = commands.add_parser("facts", help="every fact with its value in force, as a table or JSON")
    facts.add_argument("--format", choices=["table", "json"], default="table")
    facts.add_argument("--date", metavar="YYYY-MM-DD",
                       help="the day to show (default: the build's day, SOURCE_DATE_EPOCH or today)")

    schemas = commands.add_parser("schemas", help="regenerate the JSON Schemas in schemas/ and admin/config.yml")
    schemas.add_argument("--check", action="store_true", help="only report stale schemas (exit 1)")

    cms = commands.add_parser("cms", help="edit in the browser: Decap CMS with decap-server on a separate worktree")
    cms.add_argument("--port", type=int, default=8080, help="where the editor is served on 127.0.0.1 (default 8080)")

    differ = commands.add_parser("diff", help="Markdown summary of the pages two builds add, change, remove")
    differ.add_argument("old", type=Path, help="the manifest.json of the earlier build")
    differ.add_argument("new", type=Path, help="the manifest.json of the later build")
    differ.add_argument("--site-url", help="link the pages to this published address")

    catalogue = commands.add_parser("catalogue", help="regenerate ERRORS.md, the error catalogue")
    catalogue.add_argument("--check", action="store_true", help="only report whether it is stale (exit 1)")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, cwd: Path | None = None,
         today: dt.date | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    try:
        root = find_root((cwd or Path.cwd()).resolve())
        if args.command == "new":
            return new_article(root, args.title, authors=args.author, today=today or dt.date.today(), out=out)
        if args.command == "check":
            changes = None
            if args.changed or args.since:
                changes = Changes.of_files(args.changed)
                if args.since:
                    try:
                        changes = changes | since(root, args.since)
                    except ChangesUnknown as unknown:
                        raise UsageError(f"--since: {unknown}") from None
            return check(root, strict=args.strict, style=args.format, external=args.external,
                         today=today, out=out, changes=changes, scheduled=args.scheduled)
        if args.command == "facts":
            day = _day(args.date) if args.date is not None else (today or build_date())
            return list_facts(root, style=args.format, day=day, out=out)
        if args.command == "diff":
            return diff_builds(args.old, args.new, site_url=args.site_url, out=out)
        if args.command == "catalogue":
            return write_catalogue(root, check_only=args.check, out=out)
        if args.command == "cms":
            from .cms import serve

            return serve(root, port=args.port, out=out)
        from ..content import decap
        from ..content.schemas import stale_schemas, write_schemas

        if args.check:
            stale = [f"schemas/{name}" for name in stale_schemas(root)]
            stale += [decap.CONFIG_PATH] if decap.is_stale(root) else []
            for name in stale:
                print(f"{name} is stale: run `python -m generator schemas`", file=out)
            return 1 if stale else 0
        for name in write_schemas(root):
            print(f"Wrote schemas/{name}", file=out)
        if decap.write_config(root):
            print(f"Wrote {decap.CONFIG_PATH}", file=out)
        return 0
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
