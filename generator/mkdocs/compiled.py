"""The build cache's compiled templates: Jinja's bytecode of the theme's templates, kept
between builds so that a build does not compile the same templates again (about 1 s).

A file `<key>-<template>.jinja` holds a hash of its payload, then Jinja's own bucket
(its magic, the template source's checksum, the code). The key is what else decides
the code Jinja compiles: the generator's version (its autoescape rule and filters, MkDocs,
Material, Python), Jinja, MarkupSafe and the environment's extensions. An edited template fails Jinja's
checksum and is compiled again; a spoiled file fails ours and is compiled again, said
in one info line. At a build's end, the files of another key are removed; those of this
key stay even if unused (a build that reuses every article page loads no article
template), so the folder holds at most one file per template the theme has had.
"""

from __future__ import annotations

import hashlib
import logging
import platform
from pathlib import Path

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from .cache import payload_check, tidy, versions, write_entry

log = logging.getLogger("mkdocs.plugins.field_guide")

FOLDER = "templates"  # under the build cache's folder
SUFFIX = ".jinja"
# What compiles the templates besides the generator, whose version (cache.generator_version)
# covers MkDocs, Material and Python's version.
DISTRIBUTIONS = ("jinja2", "markupsafe")


def compiled_key(env: Environment, generator: str) -> str:
    parts = [generator, platform.python_implementation(), *versions(DISTRIBUTIONS), *sorted(env.extensions)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=10).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache in `folder`, for the environment whose key is `key`."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.used: set[str] = set()
        self.unreadable = 0
        self.broken: str | None = None

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{self.key}-{bucket.key}{SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        self.used.add(path.name)
        try:
            data = path.read_bytes()
        except OSError:
            return  # not compiled yet, or unreadable: compiled now
        check, _, payload = data.partition(b"\n")
        try:
            if check.decode("ascii") != payload_check(payload):
                raise ValueError("payload hash")
            bucket.bytecode_from_string(payload)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, Jinja compiles again
            bucket.reset()
            self.unreadable += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        payload = bucket.bytecode_to_string()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_entry(self._path(bucket), f"{payload_check(payload)}\n".encode() + payload)
        except OSError as error:
            self.broken = error.strerror or str(error)

    def clear(self) -> None:
        pass  # Jinja's own clearing: the build prunes instead (`finish`)

    def finish(self) -> None:
        """After a build: say what was wrong, remove the files of another key."""
        if self.unreadable:
            log.info(f"Build cache: {self.unreadable} unreadable compiled template"
                     f"{'s' if self.unreadable != 1 else ''} ignored, compiled again.")
        if self.broken:
            log.info(f"Build cache: could not write to {self.folder} ({self.broken}); the next build compiles "
                     "the templates again.")
        live = self.used | {path.name for path in self.folder.glob(f"{self.key}-*{SUFFIX}")}
        tidied = tidy(self.folder, live)
        if tidied is not None:
            log.debug(f"Build cache: {tidied[0]:,} compiled templates, {tidied[1] / 1_000:.0f} kB in {self.folder}.")
