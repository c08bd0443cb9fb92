"""A manifest of the built site (every file and its SHA-256), and what changed between two.

A build writes `site/manifest.json`; CI builds a pull request's base too and compares the
two manifests, so the job summary names the pages a pull request adds, changes and
removes. That is only meaningful because the build is reproducible: the same commit
builds to the same bytes, so a changed hash is a changed page, not a new timestamp.

Conventions:

- Manifest keys are file paths relative to the site folder, with `/` separators, sorted;
  the manifest file itself is left out, so writing it never changes it.
- A *page* is an HTML file, named by its URL path from the site root: `index.html` is
  `/`, `articles/x/index.html` is `/articles/x/`, any other `name.html` is `/name.html`
  (for example `/404.html`). Everything else (assets, the search index, the sitemap,
  feeds) is an *other file*, counted but not listed: one CSS change touches no page.

Plain Python, no MkDocs: the plugin calls `write_manifest` after a build, and
`python -m generator.site.manifest SITE_DIR [--output FILE]` writes one for any built site
(CI uses it for the base commit, whose own code may predate manifests).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

MANIFEST_FILE = "manifest.json"
MAX_LISTED = 100
"""Pages listed per section of the summary; the rest are counted ("and N more")."""

# Backslash-escaped in page paths, so a file name cannot open a link, emphasis, code,
# HTML, an entity, a table cell, math (`$`) or an autolink (`:`, `@`). `-`, `.` and `/`
# are left alone: a path always starts with `/`, so they cannot start a list, and
# escaping them would only make the source unreadable.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+!|~&:@$")


def build_manifest(site_dir: Path) -> dict[str, str]:
    """Every file under `site_dir` (posix relative path -> sha256 hex), sorted by path."""
    root = os.path.join(os.fspath(site_dir), "")
    files: dict[str, str] = {}  # relative path -> full path
    for directory, _, names in os.walk(root):
        for name in names:
            full = os.path.join(directory, name)
            relative = full[len(root):].replace(os.sep, "/")
            if relative != MANIFEST_FILE and os.path.isfile(full):
                files[relative] = full
    return {relative: _sha256(files[relative]) for relative in sorted(files)}


def _sha256(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def manifest_text(manifest: Mapping[str, str]) -> str:
    """The manifest as JSON: sorted keys, two-space indent, ASCII, one trailing newline."""
    return json.dumps(dict(manifest), indent=2, sort_keys=True) + "\n"


def write_manifest(site_dir: Path, output: Path | None = None) -> Path:
    """Write the manifest of `site_dir` to `site_dir/manifest.json` (or `output`)."""
    site_dir = Path(site_dir)
    target = Path(output) if output is not None else site_dir / MANIFEST_FILE
    text = manifest_text(build_manifest(site_dir))
    target.write_text(text, encoding="ascii", newline="\n")
    return target


def read_manifest(path: Path) -> dict[str, str]:
    """A manifest written by `write_manifest`; ValueError if the file is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not a manifest: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path}: not a manifest: expected an object of file paths to SHA-256 hex strings")
    return data


def page_url(path: str) -> str | None:
    """The URL path of an HTML file (`articles/x/index.html` -> `/articles/x/`), else None."""
    if not path.endswith(".html"):
        return None
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


@dataclass(frozen=True)
class ManifestDiff:
    """Pages (URL paths, sorted) added, changed and removed; other files that differ."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)

    @property
    def other_count(self) -> int:
        return len(self.other_files)

    @property
    def has_page_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def diff_manifests(old: Mapping[str, str], new: Mapping[str, str]) -> ManifestDiff:
    """What changed from `old` to `new`: pages by URL path, other files by file path."""
    added, changed, removed, others = [], [], [], []
    for path in sorted(old.keys() | new.keys()):
        if old.get(path) == new.get(path):
            continue
        url = page_url(path)
        if url is None:
            others.append(path)
        elif path not in old:
            added.append(url)
        elif path not in new:
            removed.append(url)
        else:
            changed.append(url)
    return ManifestDiff(sorted(added), sorted(changed), sorted(removed), others)


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown: special characters backslash-escaped, control characters replaced."""
    escaped = "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)
    return "".join("\N{REPLACEMENT CHARACTER}" if ord(char) < 0x20 or ord(char) == 0x7F else char
                   for char in escaped)


def _page_item(url_path: str, site_url: str | None) -> str:
    text = escape_markdown(url_path)
    if not site_url:
        return f"- {text}"
    # Percent-encoding leaves no space, parenthesis or bracket to end the link early.
    target = site_url.rstrip("/") + quote(url_path, safe="/-._~")
    return f"- [{text}]({target})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_summary(diff: ManifestDiff, *, site_url: str | None = None) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: a heading, counts, and the pages of each kind."""
    lines = ["## Pages changed", ""]
    others = (f"{_plural(diff.other_count, 'other file')} (assets, search index, sitemap, feeds) "
              f"{'differs' if diff.other_count == 1 else 'differ'}.")
    if not diff.has_page_changes:
        lines.append("No page changes." + (f" {others}" if diff.other_count else ""))
        return "\n".join(lines) + "\n"
    counts = (f"{_plural(len(diff.added), 'page')} added, {len(diff.changed)} changed, "
              f"{len(diff.removed)} removed.")
    lines.append(counts + (f" {others}" if diff.other_count else ""))
    for title, pages in (("Added", diff.added), ("Changed", diff.changed), ("Removed", diff.removed)):
        if not pages:
            continue
        lines += ["", f"### {title} ({len(pages)})", ""]
        lines += [_page_item(page, site_url) for page in pages[:MAX_LISTED]]
        if len(pages) > MAX_LISTED:
            lines.append(f"- and {len(pages) - MAX_LISTED} more")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.site.manifest",
                                     description="Write the manifest (path -> SHA-256) of a built site.")
    parser.add_argument("site_dir", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--output", type=Path, help=f"where to write it (default: SITE_DIR/{MANIFEST_FILE})")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        print(f"error: {args.site_dir} is not a folder: build the site first", file=sys.stderr)
        return 2
    print(write_manifest(args.site_dir, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
