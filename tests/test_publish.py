"""A build publishes all or nothing (generator/mkdocs/publish.py): `mkdocs build` writes
beside site/ and swaps the new site in only once it passed. A failure of any kind, a kill
at any moment, a full disk or a strict failure leaves the previous site/ byte for byte,
and the next build sweeps what the last one left. A read-only cache costs its reuse, not
the build."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.mkdocs import publish
from sitekit import Site, article, logged, make_site
from test_search import _build, _fake_indexer

EPOCH = "1795000000"  # 2026-11-18, the day Site.build builds on


def hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative path: its SHA-256 (and each symbolic link's target)."""
    return {path.relative_to(folder).as_posix(): (os.readlink(path) if path.is_symlink()
                                                  else hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(folder.rglob("*")) if path.is_file() or path.is_symlink()}


def beside(site: Site) -> list[str]:
    """What builds left beside site/: their folders, by the names publish.py gives them."""
    return sorted(path.name for path in site.root.iterdir() if path.name.startswith(".site-"))


def published_site(site: Site, articles: int = 3) -> dict[str, str]:
    for number in range(articles):
        site.add_article(f"article-{number}", f"Article {number}", "2026-10-01",
                         body=f"Words of article {number}.\n\n## A part\n\nMore words.\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    return hashes(site.root / "site")


# Builds that pass, and builds that fail.


@pytest.mark.slow
def test_a_build_replaces_the_site_whole_and_leaves_nothing_beside_it(site):
    published_site(site)
    site.write("site/stale.html", "from a build long ago")
    (site.root / "content/articles/article-1.md").unlink()
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "Site published: " + str(site.root / "site") in logged(result.stderr, "INFO")
    assert not (site.root / "site/articles/article-1").exists()
    assert not (site.root / "site/stale.html").exists()
    assert (site.root / "site/articles/article-0/index.html").is_file()
    assert beside(site) == []


@pytest.mark.slow
def test_a_warning_under_strict_leaves_the_previous_site_byte_for_byte(site):
    before = published_site(site)
    site.add_article("warned", "Warned", "2026-10-02", body="See [the missing page](nowhere.md).\n")
    result = site.build()
    assert result.returncode == 1
    assert "in strict mode!" in result.stdout + result.stderr
    assert hashes(site.root / "site") == before
    assert beside(site) == []
    # The same build without --strict passes, and publishes.
    assert site.build(strict=False).returncode == 0
    assert (site.root / "site/articles/warned/index.html").is_file()


@pytest.mark.slow
def test_a_content_error_leaves_the_previous_site_byte_for_byte(site):
    before = published_site(site)
    site.write("content/articles/broken.md", article("Broken", "2026-10-02").replace("tags:", "tagz:"))
    result = site.build()
    assert result.returncode == 1
    assert any(line.startswith("content/articles/broken.md:") for line in logged(result.stderr))
    assert "Traceback" not in result.stderr
    assert hashes(site.root / "site") == before and beside(site) == []


@pytest.mark.slow
def test_a_failing_indexer_leaves_the_previous_site_byte_for_byte(site, tmp_path):
    before = published_site(site)
    site.add_article("new", "New", "2026-10-02")
    result = _build(site, _fake_indexer(tmp_path, """\
        import sys
        if sys.argv[1:] == ["--version"]:
            print("pagefind 1.5.2")
        else:
            sys.exit(3)
        """))
    assert result.returncode == 1
    assert "the search indexer, Pagefind, failed (exit code 3)" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashes(site.root / "site") == before and beside(site) == []


@pytest.mark.slow
def test_a_dirty_build_renders_every_page_into_a_new_site(site):
    """MkDocs' dirty build renders only the pages whose source is newer than their output;
    the feeds and listings need every article, so a published build renders them all."""
    published_site(site)
    site.write("site/stale.html", "from a build long ago")
    site.add_article("new", "New", "2026-10-02")
    result = site.build("--dirty", strict=False)
    assert result.returncode == 0, result.stderr
    assert "`mkdocs build --dirty` renders every page: a published site is built whole." in result.stderr
    assert not (site.root / "site/stale.html").exists()
    assert "New" in (site.root / "site/feed.xml").read_text()
    assert (site.root / "site/articles/new/index.html").is_file()
    assert (site.root / "site/articles/article-0/index.html").is_file()
    assert beside(site) == []


@pytest.mark.slow
def test_site_dir_from_the_command_line_and_from_mkdocs_yml_are_both_built_aside(site):
    published_site(site)
    result = site.build("--site-dir", "out/public")
    assert result.returncode == 0, result.stderr
    assert (site.root / "out/public/index.html").is_file()
    assert sorted(path.name for path in (site.root / "out").iterdir()) == ["public"]
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text() + "site_dir: elsewhere\n")
    before = hashes(site.root / "out/public")
    assert site.build().returncode == 0
    assert (site.root / "elsewhere/index.html").is_file()
    assert hashes(site.root / "out/public") == before


# A kill at any moment.


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_sweeps(tmp_path):
    """Killed before it published, site/ is the previous site byte for byte; killed after
    (as it removes the old one, or exits), it is the new one whole, as the next build makes it."""
    site = make_site(tmp_path)
    before = published_site(site, articles=100)
    # What the next build changes: the article's page, and every listing that shows its title.
    site.add_article("article-0", "A new title", "2026-10-01", body="New words.\n")
    # Moments over the build's phases: reading and converting (its folder empty), copying
    # the theme's files, writing pages, indexing, the feeds and cards, the manifest last.
    moments = [
        ("just started", lambda building, elapsed: building is not None),
        ("0.5 s", lambda building, elapsed: elapsed >= 0.5),
        ("the first file copied", lambda building, elapsed: _files(building) >= 1),
        ("a few pages written", lambda building, elapsed: _pages(building) >= 10),
        ("half the pages written", lambda building, elapsed: _pages(building) >= 50),
        ("most pages written", lambda building, elapsed: _pages(building) >= 80),
        ("indexing", lambda building, elapsed: building is not None and (building / "pagefind").exists()),
        ("the manifest written", lambda building, elapsed: building is not None
         and (building / "manifest.json").exists()),
        ("5 s", lambda building, elapsed: elapsed >= 5),
    ]
    killed_mid_build, published_first = [], []
    swept = None  # what the first build to publish found beside site/, and swept
    for name, moment in moments:
        left_beside = beside(site)
        files_then = _build_killed_at(site, moment)
        now = hashes(site.root / "site")
        if files_then is None or now != before:  # it published (and finished, or was killed after)
            published_first.append((name, now))
            swept = left_beside
            break
        if files_then:
            killed_mid_build.append((name, files_then))
    print("killed with these many files written:", killed_mid_build, "published first:",
          [name for name, _ in published_first])
    # Builds killed having written something, at moments spread over the build.
    assert len(killed_mid_build) >= 4, killed_mid_build
    assert len({files for _, files in killed_mid_build}) >= 3, killed_mid_build
    if swept is None:
        swept = beside(site)
    assert swept, "a killed build leaves its folder, for the next build to sweep"
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert beside(site) == []
    assert site.page("/articles/article-0/").find("h1").get_text(strip=True) == "A new title"
    after = hashes(site.root / "site")
    pages = lambda site_files: {path for path in site_files if not path.startswith("pagefind/")}  # noqa: E731
    assert pages(after) == pages(before) and after != before  # the index's files are named after their bytes
    assert [name for name, published in published_first if published != after] == []


@pytest.mark.slow
def test_a_build_interrupted_by_ctrl_c_removes_its_folder_and_leaves_the_site(tmp_path):
    site = make_site(tmp_path)
    before = published_site(site, articles=100)
    site.add_article("article-0", "A new title", "2026-10-01", body="New words.\n")
    files_then = _build_killed_at(site, lambda building, elapsed: _pages(building) >= 10, signal.SIGINT)
    assert files_then, "interrupted once it had written pages"
    assert hashes(site.root / "site") == before and beside(site) == []


def _files(building: Path | None) -> int:
    if building is None:
        return 0
    return sum(len(files) for _, _, files in os.walk(building))


def _pages(building: Path | None) -> int:
    return 0 if building is None else len(list(building.glob("articles/*/index.html")))


def _build_killed_at(site: Site, moment, how: signal.Signals = signal.SIGKILL) -> int | None:
    """Start `mkdocs build --strict`, kill it and its processes (workers, Pagefind) when
    `moment(building folder or None, seconds since start)` is true: how many files its
    folder held then (0: none yet), or None if the build finished first."""
    # Cold, so that the build lasts long enough to be stopped in each of its phases.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "FIELD_GUIDE_CACHE": "off"}
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site.root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    start = time.monotonic()
    try:
        while process.poll() is None:
            building = next(iter(sorted(site.root.glob(f".site-{publish.BUILDING}-{process.pid}-*"))), None)
            if moment(building, time.monotonic() - start):
                files_then = _files(building)
                os.killpg(process.pid, how)
                process.wait(timeout=60)
                return files_then
            time.sleep(0.01)
        return None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# A full disk, a read-only cache.


def _mounted_tmpfs(folder: Path, options: str) -> bool:
    """A tmpfs at `folder` (as root; the kernel then says ENOSPC and EROFS itself); False
    where this process cannot mount."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.mark.slow
def test_a_full_disk_ends_the_build_in_one_line_and_leaves_the_previous_site(site):
    """A real full disk: a tmpfs just too small for a second copy of the site."""
    out = site.root / "out"
    if not _mounted_tmpfs(out, "size=5m"):
        pytest.skip("needs root to mount a small tmpfs (the in-process test below covers it)")
    try:
        published_site(site)
        result = site.build("--site-dir", "out/site")
        assert result.returncode == 0, result.stderr
        before = hashes(out / "site")
        site.add_article("new", "New", "2026-10-02")
        result = site.build("--site-dir", "out/site")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        errors = logged(result.stderr)
        assert len(errors) == 1 and "No space left on device: free some space" in errors[0], errors
        assert errors[0].startswith(f"{out}: writing the new site beside site (")
        assert hashes(out / "site") == before
        assert sorted(path.name for path in out.iterdir()) == ["site"]
    finally:
        subprocess.run(["umount", str(out)], check=True)


@pytest.mark.slow
def test_a_full_disk_in_process_ends_the_build_with_one_error_and_leaves_the_site(site, monkeypatch, caplog):
    """The same, wherever this runs: MkDocs' writing of pages made to fail as a full disk does."""
    import logging

    import mkdocs.utils
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    before = published_site(site)
    site.add_article("new", "New", "2026-10-02")
    write_file = mkdocs.utils.write_file
    written = []

    def full_after_five(content: bytes, output_path: str) -> None:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        written.append(output_path)
        write_file(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", full_after_five)
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = load_config(str(site.root / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    ours = [message for message in errors if "No space left on device: free some space" in message]
    assert len(ours) == 1 and ours[0].startswith(f"{site.root}: writing the new site beside site ("), errors
    assert ours[0].endswith(f"The site was not built; {site.root / 'site'} is as it was.")
    assert written and all(not path.startswith(str(site.root / "site") + os.sep) for path in written)
    assert hashes(site.root / "site") == before and beside(site) == []
    assert config.site_dir == str(site.root / "site")  # as given, for `mkdocs gh-deploy` after the build


def _read_only(folder: Path) -> bool:
    """Make `folder` read-only for this process: a read-only tmpfs as root (root writes
    through file modes), else its mode. False where neither works."""
    if os.geteuid() == 0:
        return _mounted_tmpfs(folder, "ro,size=1m")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    return True


def _writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o755)


@pytest.mark.slow
@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_read_only_cache_folder_costs_the_cache_not_the_build(site, cache, monkeypatch):
    cache_dir = site.root / ".cache"
    if not _read_only(cache_dir):
        pytest.skip("cannot make a folder read-only here")
    try:
        if cache == "off":
            monkeypatch.setenv("FIELD_GUIDE_CACHE", "off")
        site.add_article("post", "Post", "2026-10-01")
        result = site.build()
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        said = [line for line in logged(result.stderr, "INFO") if line.startswith("Social cards not kept:")]
        assert len(said) == 1 and said[0].startswith(f"Social cards not kept: {cache_dir / 'social'} cannot be "
                                                     "written ("), said
        page = BeautifulSoup((site.root / "site/articles/post/index.html").read_text(), "html.parser")
        card = page.find("meta", property="og:image")["content"].removeprefix("https://example.org/guide/")
        assert (site.root / "site" / card).read_bytes().startswith(b"\xff\xd8")  # a JPEG
        assert not list(cache_dir.iterdir())
    finally:
        _writable_again(cache_dir)


# The swap and the sweep, as functions.


def test_a_swap_puts_the_new_folder_in_place_and_removes_the_old(tmp_path):
    site_dir, built = tmp_path / "site", tmp_path / ".site-building-1-00000000"
    (site_dir / "old").mkdir(parents=True)
    (built / "new").mkdir(parents=True)
    site_dir.chmod(0o750)
    publish.swap_in(built, site_dir)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert [path.name for path in site_dir.iterdir()] == ["new"]
    assert site_dir.stat().st_mode & 0o777 == 0o750  # the folder's permissions are the site's


def test_without_an_exchange_a_swap_stopped_between_its_renames_is_undone_by_the_next_sweep(tmp_path, monkeypatch):
    site_dir = tmp_path / "site"
    (site_dir / "old").mkdir(parents=True)
    built = publish.aside(site_dir, publish.BUILDING)
    (built / "new").mkdir(parents=True)
    monkeypatch.setattr(publish, "exchange", lambda first, second: False)
    renames = []

    def killed_at_the_second(source, target):
        if renames:
            raise KeyboardInterrupt  # as a kill would stop it, before the new site is in
        renames.append(target)
        os.replace(source, target)

    monkeypatch.setattr(publish.os, "rename", killed_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        publish.swap_in(built, site_dir)
    monkeypatch.undo()
    assert not site_dir.exists()
    publish.sweep(site_dir)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert [path.name for path in site_dir.iterdir()] == ["old"]


@pytest.mark.slow  # starts a process, to have the id of one that is gone
def test_the_sweep_removes_only_its_own_leftovers_of_processes_that_are_gone(tmp_path):
    site_dir = tmp_path / "public"
    site_dir.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    names = [f".public-building-{dead}-0123abcd", f".public-replaced-{dead}-0123abcd",
             f".public-building-{os.getppid()}-0123abcd",  # a build still running
             f".site-building-{dead}-0123abcd",  # another site's
             f".public-building-{dead}-notours", "public-building-1-0123abcd", "notes"]
    for name in names:
        (tmp_path / name).mkdir()
    publish.sweep(site_dir)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["public"] + names[2:])


def test_a_write_error_is_one_line_naming_the_file_or_the_site_it_was_for(tmp_path):
    site_dir = tmp_path / "site"
    building = publish.aside(site_dir, publish.BUILDING)
    full = os.strerror(errno.ENOSPC)
    in_site = OSError(errno.ENOSPC, full, str(building / "articles/a/index.html"))
    assert publish.writing_failure(in_site, building, site_dir) == (
        f"{tmp_path}: writing the new site beside site (articles/a/index.html): {full}: free some space on "
        f"that disk and build again (the new site is written beside the old one until it is published: both must fit).")
    card = tmp_path / ".cache/social/card.jpg"
    assert publish.writing_failure(OSError(errno.ENOSPC, full, str(card)), building, site_dir) == \
        f"{card}: {full}: free some space on that disk and build again."
    copied = OSError(errno.EROFS, os.strerror(errno.EROFS), "/theme/asset.css", None, str(building / "asset.css"))
    assert publish.writing_failure(copied, building, site_dir).startswith(
        f"{tmp_path}: writing the new site beside site (asset.css): ")  # the copy's target, not its source
    assert publish.writing_failure(OSError(errno.ENOSPC, full), building, site_dir) == \
        f"writing the site or the cache: {full}: free some space on that disk and build again."
    assert publish.writing_failure(OSError(errno.ENOENT, "gone", "x"), building, site_dir) is None  # a bug: its traceback
    assert publish.writing_failure(ValueError("x"), building, site_dir) is None
