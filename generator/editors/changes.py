"""What a pull request changed, by file and line: the time-based findings it is held to.

A pull request fails for what it changed: a time-based finding (lint.TimeBased) counts
against it when the pull request changed the finding's entry (a resource, an author) or
its article's file, and is only reported otherwise.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..site.lint import TimeBased

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
_FILE = re.compile(r"^\+\+\+ b/(.+)$", re.MULTILINE)


class ChangesUnknown(Exception):
    """git could not say what changed (not a repository, an unknown ref)."""


@dataclass
class Changes:
    """By path (relative to the site's root), the changed lines; None: the whole file."""

    files: dict[str, set[int] | None] = field(default_factory=dict)

    @classmethod
    def of_files(cls, paths: Iterable[str]) -> Changes:
        return cls({Path(path).as_posix().removeprefix("./"): None for path in paths})

    def touches(self, finding: TimeBased) -> bool:
        path = finding.problem.path
        if path not in self.files:
            return False
        lines = self.files[path]
        if lines is None or finding.lines is None:
            return True
        first, last = finding.lines
        return any(first <= line <= last for line in lines)

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.files)
        for path, lines in other.files.items():
            mine = merged.get(path, set())
            merged[path] = None if mine is None or lines is None else mine | lines
        return Changes(merged)


def parse_diff(diff: str) -> Changes:
    """The lines each file has after a unified diff (`git diff --unified=0`) changed. A
    deletion counts as a change to the lines on both sides of it."""
    files: dict[str, set[int] | None] = {}
    for section in re.split(r"^diff --git ", diff, flags=re.MULTILINE)[1:]:
        name = _FILE.search(section)
        if name is None:  # deleted, or binary: nothing left to hold a finding
            continue
        lines: set[int] = set()
        for hunk in _HUNK.finditer(section):
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            lines.update(range(start, start + count) if count else (start, start + 1))
        files[name.group(1)] = lines
    return Changes(files)


def since(root: Path, ref: str) -> Changes:
    """What changed in the files under `root` from `ref` to the working tree."""
    try:
        result = subprocess.run(
            ["git", "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", "--relative", ref, "--"],
            cwd=root, capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangesUnknown(f"cannot run git: {error}") from None
    if result.returncode != 0:
        raise ChangesUnknown(f"git diff {ref} failed: {result.stderr.strip() or result.returncode}")
    return parse_diff(result.stdout)
