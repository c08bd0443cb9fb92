"""The site folder: built aside, swapped in when the build passed.

`mkdocs build` writes the site into a new folder beside `site_dir`, on the same file
system (for `site/`: `.site-building-<pid>-<random>`), and puts it in `site_dir`'s place
only once the build has passed, `--strict`'s warnings included. Until then `site_dir` is
not touched: a content error, a crash, a kill, a full disk or a strict failure leaves the
previous site byte for byte, and the next build sweeps what was left beside it (only
folders of this pattern, beside `site_dir`, of a process no longer running).

The swap is one system call on Linux, `renameat2(RENAME_EXCHANGE)`: at every moment
`site_dir` holds one whole site, the old or the new. Where that call is missing it is two
renames (the old site aside as `.site-replaced-<pid>-<random>`, the new one in); a kill
between them leaves no `site_dir`, and the next build puts the old site back first.

MkDocs decides a strict failure after every plugin's `on_post_build` (it counts the
warnings logged since the build began, then aborts) and has no event after that check
(`on_shutdown` comes from the command line only, not from a build a program runs). So the
plugin's last step of `on_post_build`, after every other plugin's, counts the same
warnings (`WarningCount`, from the first `on_config`) and publishes only a build that
passes. A failed build's folder is removed in `on_build_error`, or in `on_shutdown` after
Ctrl-C, which MkDocs does not treat as a build error.

`mkdocs serve` writes in place: its `--dirty` rebuilds need the pages it wrote. `mkdocs
build --dirty` renders every page into the new folder.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import stat
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

from . import internals

log = logging.getLogger("mkdocs.plugins.field_guide")

BUILDING = "building"  # a build's output until it is published; after an exchange, the old site
REPLACED = "replaced"  # the old site, between the two renames where there is no exchange

# What to do about an error writing the site or the cache, by errno.
WRITE_FIXES = {
    errno.ENOSPC: "free some space on that disk and build again",
    errno.EDQUOT: "free some space (the disk quota is used up) and build again",
    errno.EFBIG: "free some space and build again",
    errno.EROFS: "build where the folder can be written",
    errno.EACCES: "make the folder writable by the build and build again",
    errno.EPERM: "make the folder writable by the build and build again",
}


def aside(site_dir: Path, kind: str) -> Path:
    return site_dir.with_name(f".{site_dir.name}-{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def leftovers(site_dir: Path) -> list[tuple[Path, str]]:
    """What builds that did not finish left beside `site_dir`: (path, kind)."""
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}-({BUILDING}|{REPLACED})-(\d+)-[0-9a-f]{{8}}")
    found = []
    try:
        entries = list(site_dir.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not _running(int(match[2])):
            found.append((entry, match[1]))
    return found


def _running(pid: int) -> bool:
    if pid == os.getpid():  # an earlier build of this process, which is over
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def sweep(site_dir: Path) -> None:
    """Put back the old site a killed swap left aside, then remove every leftover."""
    found = leftovers(site_dir)
    replaced = [path for path, kind in found if kind == REPLACED]
    if replaced and not os.path.lexists(site_dir):
        newest = max(replaced, key=lambda path: path.lstat().st_ctime_ns)
        os.rename(newest, site_dir)
        log.info(f"{site_dir} put back as it was: a build was stopped while publishing.")
    for path, _ in found:
        remove(path)


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(built: Path, site_dir: Path) -> None:
    """Make `built` the folder at `site_dir`; the old one is removed."""
    if not os.path.lexists(site_dir):
        os.rename(built, site_dir)
        return
    if site_dir.is_dir():  # the site keeps its folder's permissions
        os.chmod(built, stat.S_IMODE(site_dir.stat().st_mode))
    if exchange(built, site_dir):
        remove(built)  # the old site, now under the building name
        return
    replaced = aside(site_dir, REPLACED)
    os.rename(site_dir, replaced)
    try:
        os.rename(built, site_dir)
    except OSError:
        os.rename(replaced, site_dir)
        raise
    remove(replaced)


class WarningCount(logging.Handler):
    """The warnings `--strict` counts: at WARNING and above, on the engine's own logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.logger = internals.strict_counted_logger()
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def stop(self) -> None:
        self.logger.removeHandler(self)


class SiteFolder:
    """Where one build writes: `build_aside` before anything is written, then `publish`
    once the build passed, or `abandon` when it failed."""

    def __init__(self) -> None:
        self.config: MkDocsConfig | None = None
        self.site_dir_setting = ""  # config.site_dir as given, put back after the build
        self.site_dir: Path | None = None  # where the site is published (symbolic links resolved)
        self.building: Path | None = None
        self.warnings: WarningCount | None = None

    def build_aside(self, config: MkDocsConfig) -> None:
        """Point `config.site_dir` at a new, empty folder beside it. So `mkdocs build
        --dirty` renders every page too (MkDocs renders a page whose output is missing),
        as the feeds and listings need: a published site is built whole."""
        self._end()
        site_dir = Path(os.path.realpath(config.site_dir))
        if os.path.ismount(site_dir):  # found now, not after the whole build
            raise PluginError(f"{site_dir}: a mount point cannot be swapped for the new site: build into a folder "
                              f"inside it (--site-dir {site_dir / 'site'}) or mount its parent instead.")
        building = aside(site_dir, BUILDING)
        try:
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            sweep(site_dir)
            building.mkdir()
        except OSError as error:
            remove(building)
            fix = WRITE_FIXES.get(error.errno or 0, "make it writable by the build and build again")
            raise PluginError(f"{site_dir.parent}: the site is built in a new folder here, which cannot be "
                              f"written ({error.strerror}): {fix}. The site was not built.") from None
        self.config, self.site_dir_setting = config, config.site_dir
        self.site_dir, self.building = site_dir, building
        self.warnings = WarningCount()
        config.site_dir = str(building)

    def publish(self) -> None:
        """The build passed, unless it is strict and warned (MkDocs then aborts): swap the
        new site in."""
        if self.building is None or self.config is None or self.site_dir is None:
            return
        if self.config.strict and self.warnings is not None and self.warnings.count:
            self.abandon()
            return
        try:
            swap_in(self.building, self.site_dir)
        except OSError as error:
            self.abandon()
            raise PluginError(f"{self.site_dir}: the new site could not take its place ({error.strerror}); "
                              f"it is as it was. Build into a folder that is not a mount point, "
                              f"whose parent folder the build can write.") from None
        self.building = None
        log.info(f"Site published: {self.site_dir}")
        self._end()

    def abandon(self, error: BaseException | None = None) -> None:
        """The build failed: remove what it wrote, say `site_dir` is as it was. An error
        writing a file (a full disk, a read-only folder) becomes one line naming it."""
        if self.building is None:
            return
        remove(self.building)
        building, self.building = self.building, None
        site_dir = self.site_dir
        self._end()
        failure = writing_failure(error, building, site_dir) if error is not None and site_dir else None
        if failure is not None:
            log.error(f"{failure} The site was not built; {site_dir} is as it was.")
            raise Abort("Aborted with a BuildError!") from None
        log.info(f"The site was not published: {site_dir} is as it was.")

    def _end(self) -> None:
        if self.warnings is not None:
            self.warnings.stop()
            self.warnings = None
        if self.config is not None:
            self.config.site_dir = self.site_dir_setting
            self.config = None


def writing_failure(error: BaseException, building: Path, site_dir: Path) -> str | None:
    """An error writing a file, said in one line with its fix; None for any other error."""
    if not isinstance(error, OSError) or error.errno not in WRITE_FIXES:
        return None
    written = error.filename2 or error.filename  # a copy's error names its source first
    where, fix = "writing the site or the cache: ", WRITE_FIXES[error.errno]
    if written:
        path = Path(os.fsdecode(written))
        where = f"{path}: "
        if path.is_relative_to(building):  # that folder is gone: name the site it was for
            where = f"{site_dir.parent}: writing the new site beside {site_dir.name} " \
                    f"({path.relative_to(building).as_posix()}): "
            if error.errno == errno.ENOSPC:
                fix += " (the new site is written beside the old one until it is published: both must fit)"
    return f"{where}{error.strerror}: {fix}."
