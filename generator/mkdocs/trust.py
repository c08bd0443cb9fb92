"""What the build cache must prove before anything in it is reused (SECURITY.md).

The cache folder must not be tracked by git: a pull request can commit one, and the
build of `main` would read it. Every entry carries a MAC by a key of this machine,
kept outside the repository (`$XDG_CACHE_HOME/field-guide/cache.key`, else
`~/.cache/field-guide/cache.key`), made on first use: an entry that anything else wrote
(an edit, an entry from another machine, a hash an attacker recomputed) fails, and is
made again. CI keeps the key in the same GitHub cache as the entries, so a warm build
survives to a fresh runner.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import stat
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.field_guide")

KEY_BYTES = 32
KEY_FOLDER = "field-guide"
KEY_FILE = "cache.key"
MAC_BYTES = 32
GIT_TIMEOUT = 30  # seconds; `git ls-files` of one folder takes milliseconds


class Untrusted(Exception):
    """Why the cache cannot be used, in words for an info line."""


def key_path(environ: dict[str, str] | os._Environ = os.environ) -> Path:
    """Where this machine's key lives: XDG's cache folder (an absolute one), else ~/.cache."""
    base = environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / KEY_FOLDER / KEY_FILE


def cache_key(project: Path, cache_dir: Path, path: Path | None = None) -> bytes:
    """The key entries in `cache_dir` are signed with, made on first use. Raises
    Untrusted if the folder is tracked by git or the key cannot be trusted."""
    if tracked(project, cache_dir):
        raise Untrusted(f"{_shown(cache_dir, project)} holds files tracked by git, which anyone who can "
                        f"change the repository could have written; remove them with "
                        f"`git rm -r --cached {_shown(cache_dir, project)}`")
    path = path or key_path()
    if _inside(path, project):
        raise Untrusted(f"its key {path} is inside the project's folder, where the repository can write")
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise Untrusted(f"its key {path} cannot be read ({error.strerror})") from None
    try:
        _make_key(path)
        return _read_key(path)
    except OSError as error:
        raise Untrusted(f"its key {path} cannot be made ({error.strerror})") from None


def mac(key: bytes, name: str, payload: bytes) -> str:
    """The MAC an entry carries: of the key that names it and of its payload."""
    return hashlib.blake2b(name.encode("utf-8") + b"\0" + payload, key=key, digest_size=MAC_BYTES).hexdigest()


def signed(key: bytes, name: str, payload: bytes, claimed: object) -> bool:
    # compare_digest refuses (TypeError) a string that is not ASCII: such a claim is no MAC.
    return isinstance(claimed, str) and claimed.isascii() and hmac.compare_digest(mac(key, name, payload), claimed)


def tracked(project: Path, folder: Path) -> bool:
    """Whether git tracks `folder` or anything in it (False outside a git checkout, or
    without git: then the key alone tells)."""
    try:
        listed = subprocess.run(["git", "-C", str(project), "--literal-pathspecs", "ls-files", "-z", "--cached", "--",
                                 str(folder)],
                                capture_output=True, timeout=GIT_TIMEOUT,
                                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and listed.stdout.strip(b"\0") != b""


def _read_key(path: Path) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Untrusted(f"its key {path} is not a regular file")
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            raise Untrusted(f"its key {path} belongs to another user")
        if status.st_mode & 0o077:
            raise Untrusted(f"its key {path} can be read or written by others "
                            f"(mode {stat.S_IMODE(status.st_mode):o}; `chmod 600` it)")
        key = os.read(descriptor, KEY_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(key) != KEY_BYTES:
        raise Untrusted(f"its key {path} is not {KEY_BYTES} bytes long (delete it: a new one is made)")
    return key


def _make_key(path: Path) -> None:
    """A new key, written whole under its name or not at all; if another build made one
    meanwhile, theirs is kept."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.", suffix=".tmp")  # mode 0600
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(os.urandom(KEY_BYTES))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _shown(folder: Path, project: Path) -> str:
    try:
        return folder.relative_to(project).as_posix() or "."
    except ValueError:
        return str(folder)
