"""The build cache proves what it must before anything in it is reused (SECURITY.md).

Each test tampers with the cache as an attacker who can write the cache folder would
(changes an entry and makes its hash fit again, with no key or a key of their own;
replaces a card; puts a pickle where an entry was; commits the cache to git, signed with
the real key), builds warm, and finds the published site byte for byte what a cold
build wrote, with one info line, and nothing run.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

import tamper
from generator.mkdocs import trust
from test_cache import EPOCH, build, cache_lines, cached, files_of, from_cache, pages_reused  # noqa: F401


def cold_output(site) -> dict[str, bytes]:
    """What the `cached` fixture's first build (an empty cache) wrote."""
    return files_of(site.root / "warm")


def assert_published_as_cold(site, cold: dict[str, bytes]) -> subprocess.CompletedProcess:
    result = build(site, "tampered")
    tampered = files_of(site.root / "tampered")
    assert tampered.keys() == cold.keys()
    assert [path for path in cold if tampered[path] != cold[path]] == []
    for path, data in tampered.items():
        if path.endswith(".html"):
            page = BeautifulSoup(data, "html.parser")
            assert "Tampered" not in page.get_text()
            assert not [s for s in page.find_all("script") if "alert('cache')" in s.get_text()]
    return result


KEYS = {"hash recomputed without a key": tamper.NO_KEY, "signed with another machine's key": None}


@pytest.mark.parametrize("how", list(KEYS), ids=list(KEYS))
def test_a_tampered_markdown_entry_is_converted_again(cached, how):
    cold = cold_output(cached)
    key = KEYS[how] if KEYS[how] is not None else tamper.attacker_key()
    entries = tamper.markdown_entries(cached.root)
    assert len(entries) == 5
    for path in entries:
        tamper.tamper_markdown_entry(path, tamper.script_in_markdown, key)
    # Page entries would hide what the Markdown entries hold: without them, every page is rendered.
    shutil.rmtree(cached.root / ".cache/build/pages")
    result = assert_published_as_cold(cached, cold)
    assert from_cache(result) == 0
    assert len(cache_lines(result)) == 1 and "5 unreadable entries ignored" in cache_lines(result)[0]
    assert from_cache(build(cached, "again")) == 5  # written afresh, signed


@pytest.mark.parametrize("how", list(KEYS), ids=list(KEYS))
def test_a_tampered_page_entry_is_rendered_again(cached, how):
    cold = cold_output(cached)
    key = KEYS[how] if KEYS[how] is not None else tamper.attacker_key()
    pages = tamper.page_entries(cached.root)
    changed = 0
    for path in pages:
        before = path.read_bytes()
        tamper.tamper_page_entry(path, tamper.script_in_page, key)
        changed += path.read_bytes() != before
    assert changed >= 5
    result = assert_published_as_cold(cached, cold)
    assert pages_reused(result) == 0
    assert cache_lines(result) == [f"INFO    -  Build cache: {len(pages)} unreadable page entries ignored, "
                                   "those pages rendered again."]


def test_a_page_entry_whose_mac_is_not_text_is_rendered_again(cached):
    cold = cold_output(cached)
    pages = tamper.page_entries(cached.root)
    for path in pages:
        header, _, payload = path.read_bytes().partition(b"\n")
        path.write_bytes(header.split(b" ")[0] + " é\udcff".encode("utf-8", "surrogatepass") + b"\n" + payload)
    result = assert_published_as_cold(cached, cold)
    assert "Traceback" not in result.stderr and pages_reused(result) == 0
    assert len(cache_lines(result)) == 1 and f"{len(pages)} unreadable page entries" in cache_lines(result)[0]


def replace_with_other_image(path) -> None:
    path.write_bytes(tamper.other_jpeg((1200, 630)))


def append_a_payload(path) -> None:
    path.write_bytes(path.read_bytes() + b"<script>alert('cache')</script>")


def not_an_image(path) -> None:
    path.write_bytes(b"<html><script>alert('cache')</script></html>")


CARD_TAMPERS = {"another picture, signed with another key": (replace_with_other_image, True),
                "a payload after the image": (append_a_payload, False),
                "not an image, signed with another key": (not_an_image, True)}


@pytest.mark.parametrize("how", list(CARD_TAMPERS), ids=list(CARD_TAMPERS))
def test_a_tampered_card_is_drawn_again_before_it_is_published(cached, how):
    cold = cold_output(cached)
    change, resign = CARD_TAMPERS[how]
    cards = tamper.cards(cached.root)
    assert len(cards) == 6  # the site's and each article's
    for path in cards:
        change(path)
    if resign:
        tamper.sign_cards(cached.root, cards, tamper.attacker_key())
    result = assert_published_as_cold(cached, cold)
    assert cache_lines(result) == ["INFO    -  Build cache: 6 social cards changed or not signed by this machine's "
                                   "key, drawn again."]
    assert cache_lines(build(cached, "again")) == []  # drawn and signed afresh


def test_a_pickle_in_place_of_every_entry_runs_nothing(cached, tmp_path_factory):
    cold = cold_output(cached)
    marker = tmp_path_factory.mktemp("marker") / "unpickled"
    payload = tamper.pickle_payload(marker)
    everything = [*tamper.markdown_entries(cached.root), *tamper.page_entries(cached.root),
                  *tamper.cards(cached.root), cached.root / ".cache/social/cards.json"]
    for path in everything:
        path.write_bytes(payload)
    result = assert_published_as_cold(cached, cold)
    assert not marker.exists()
    assert from_cache(result) == 0 and pages_reused(result) == 0


def git(site, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=A contributor", "-c", "user.email=c@example.org", *args],
                   cwd=site.root, check=True, capture_output=True)


def test_a_cache_committed_to_git_is_not_used_even_signed_with_the_real_key(cached):
    """As a pull request would, with the key its CI run could read: the folder is refused whole."""
    cold = cold_output(cached)
    key = trust.cache_key(cached.root, cached.root / ".cache")  # this machine's: the builds' own
    for path in tamper.markdown_entries(cached.root):
        tamper.tamper_markdown_entry(path, tamper.script_in_markdown, key)
    for path in tamper.page_entries(cached.root):
        tamper.tamper_page_entry(path, tamper.script_in_page, key)
    cards = tamper.cards(cached.root)
    for path in cards:
        replace_with_other_image(path)
    tamper.sign_cards(cached.root, cards, key)
    git(cached, "init", "-q")
    git(cached, "add", "-f", ".cache")
    git(cached, "commit", "-q", "-m", "A cache, committed")
    committed = files_of(cached.root / ".cache")
    result = assert_published_as_cold(cached, cold)
    assert from_cache(result) == 0 and pages_reused(result) == 0
    assert cache_lines(result) == ["INFO    -  Build cache not used: .cache holds files tracked by git, which "
                                   "anyone who can change the repository could have written; remove them with "
                                   "`git rm -r --cached .cache`."]
    assert files_of(cached.root / ".cache") == committed  # nothing read, nothing written
    # Once it is no longer tracked, the same forged entries are what they are: signed by
    # this machine's key. That is why a tracked folder is refused, not checked.
    git(cached, "rm", "-r", "-q", "--cached", ".cache")
    assert not trust.tracked(cached.root, cached.root / ".cache")


def test_no_compiled_template_is_loaded_from_the_cache(cached, monkeypatch, caplog):
    """Jinja's bytecode is marshalled code: a warm build loads none (in-process, to see)."""
    from jinja2 import bccache
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    loaded = []
    monkeypatch.setattr(bccache.Bucket, "bytecode_from_string", lambda self, data: loaded.append(data))
    monkeypatch.setattr(bccache.Bucket, "load_bytecode", lambda self, stream: loaded.append(stream))
    monkeypatch.chdir(cached.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (cached.root / "content/articles/second.md").write_text(
        (cached.root / "content/articles/second.md").read_text() + "\nA sentence more.\n")
    config = load_config(str(cached.root / "mkdocs.yml"), site_dir=str(cached.root / "in-process"))
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        mkdocs_build(config)
    assert [r for r in caplog.records if "taken from the build cache" in r.getMessage()]  # warm indeed
    assert loaded == []
    assert not list((cached.root / ".cache").rglob("*.jinja"))
