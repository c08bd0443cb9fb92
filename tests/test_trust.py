"""The build cache's key and folder checks (generator/mkdocs/trust.py), called directly:
the key is made once, private, outside the project, and refused otherwise; a folder git
tracks is refused."""

from __future__ import annotations

import os
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.mkdocs import trust


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    (folder / ".cache").mkdir(parents=True)
    return folder


@pytest.fixture
def key_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "field-guide" / "cache.key"


def test_the_key_lives_in_xdgs_cache_folder_else_in_the_homes(monkeypatch, tmp_path):
    assert trust.key_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "field-guide/cache.key"
    # XDG says a relative path is to be ignored.
    assert trust.key_path({"XDG_CACHE_HOME": "relative"}) == Path.home() / ".cache/field-guide/cache.key"
    assert trust.key_path({}) == Path.home() / ".cache/field-guide/cache.key"


def test_a_key_is_made_on_first_use_private_and_kept(project, key_file):
    key = trust.cache_key(project, project / ".cache")
    assert len(key) == trust.KEY_BYTES and key_file.read_bytes() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert trust.cache_key(project, project / ".cache") == key
    assert [path.name for path in key_file.parent.iterdir()] == ["cache.key"]  # no temporary left


def test_builds_making_the_key_at_once_agree_on_one(project, key_file):
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: trust.cache_key(project, project / ".cache"), range(16)))
    assert keys == {key_file.read_bytes()}


def untrusted(project: Path) -> str:
    with pytest.raises(trust.Untrusted) as refused:
        trust.cache_key(project, project / ".cache")
    return str(refused.value)


def test_a_key_others_can_read_or_write_is_refused(project, key_file):
    trust.cache_key(project, project / ".cache")
    key_file.chmod(0o640)
    assert "can be read or written by others (mode 640; `chmod 600` it)" in untrusted(project)


def test_a_key_that_is_a_link_is_refused(project, key_file, tmp_path):
    elsewhere = tmp_path / "elsewhere.key"
    elsewhere.write_bytes(os.urandom(32))
    elsewhere.chmod(0o600)
    key_file.parent.mkdir(parents=True)
    key_file.symlink_to(elsewhere)
    assert "cannot be read" in untrusted(project)


def test_a_key_of_another_length_is_refused(project, key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"short")
    key_file.chmod(0o600)
    assert "is not 32 bytes long" in untrusted(project)


def test_a_key_inside_the_project_is_refused(project, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    assert "is inside the project's folder" in untrusted(project)
    assert not (project / ".cache/field-guide").exists()


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=A", "-c", "user.email=a@example.org", *args], cwd=folder,
                   check=True, capture_output=True)


def test_a_cache_folder_tracked_by_git_is_refused(project, key_file):
    git(project, "init", "-q")
    assert not trust.tracked(project, project / ".cache")  # in a checkout, not tracked
    (project / ".cache/build").mkdir()
    (project / ".cache/build/entry.json").write_text("{}")
    git(project, "add", "-f", ".cache/build/entry.json")
    assert trust.tracked(project, project / ".cache")
    assert ".cache holds files tracked by git" in untrusted(project)
    assert not key_file.exists()  # refused before any key is made


def test_outside_a_git_checkout_nothing_is_tracked(project):
    assert not trust.tracked(project, project / ".cache")


def test_a_mac_binds_the_entry_to_its_key_and_payload():
    key = os.urandom(32)
    mac = trust.mac(key, "abc", b"payload")
    assert trust.signed(key, "abc", b"payload", mac)
    assert not trust.signed(key, "abd", b"payload", mac)
    assert not trust.signed(key, "abc", b"payload!", mac)
    assert not trust.signed(os.urandom(32), "abc", b"payload", mac)
    assert not trust.signed(key, "abc", b"payload", None)
    assert not trust.signed(key, "abc", b"payload", "\ufffd" * 64)  # not ASCII: no MAC, no exception
