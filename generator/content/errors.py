"""Errors an editor can fix: each names a file, a line, a column and a field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one place, printed as ``path:line:col: field: message [code]``.

    The code names the entry of the error catalogue (ERRORS.md) that explains the fix.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        suffix = f" [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}{suffix}"


class ContentErrors(Exception):
    """Every problem found in one pass over the content, sorted by place; with the
    warnings and notes on what could be read, so that one run reports them all."""

    def __init__(self, errors: Iterable[ContentError], *, warnings: Iterable[ContentError] = (),
                 notes: Iterable[ContentError] = ()):
        self.errors = sorted(set(errors))
        self.warnings = sorted(set(warnings))
        self.notes = sorted(set(notes))
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        noun = "error" if count == 1 else "errors"
        lines = [str(error) for error in self.errors]
        lines.append(f"{count} content {noun}: the site was not built; fix them and build again.")
        return "\n".join(lines)
