"""Social cards: which the site shows, drawn in the worker processes while MkDocs renders
the pages, then linked into the site (drawing: `../site/social.py`).

A card is published byte for byte, so a card kept in the cache is used only if its MAC
by this machine's cache key (`trust.py`, SECURITY.md) is in `SIGNATURES`; any other is
drawn again (one info line). Without a key the cache folder cannot be trusted: every
card is drawn in a temporary folder, and nothing is read from the cache or written to it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..site import seo, social
from ..site.pipeline import PreparedSite
from . import trust
from .cache import write_entry
from .workers import Workers

log = logging.getLogger("mkdocs.plugins.field_guide")

WORTH_A_PROCESS = 24  # fewer cards to draw than this: draw them in the build's own process
PER_TASK = 16
SIGNATURES = "cards.json"  # in the cards' folder: {"format": 1, "cards": {file name: MAC}}
SIGNATURES_FORMAT = 1


class SocialCards:
    def __init__(self, cache: Path, site_name: str, *, signing_key: bytes | None) -> None:
        self.signing_key = signing_key
        self.cache = cache  # drawn cards, kept between builds
        self.temporary: Path | None = None  # where cards are drawn when the cache cannot be used
        if signing_key is None or not writable(cache):
            self._draw_apart()
        self.site_name = site_name
        self.cards: dict[str, tuple[str, str]] = {}  # site path -> (title, subtitle)
        self.jobs: list[tuple[Future, list[tuple[str, str, str]]]] = []  # (job, the cards it draws)
        self.signatures: dict[str, str] = {}  # by card file name: its MAC
        self.drawn: set[str] = set()  # file names of the cards this build draws
        self.redrawn = 0  # cards found in the cache that failed their check

    def plan(self, prepared: PreparedSite, site_description: str) -> None:
        """Every card the site shows, by its path in the site: (title, subtitle)."""
        authors = prepared.content.authors
        self.cards = {seo.SITE_CARD: (self.site_name, site_description)}
        for article in prepared.graph.published:
            byline = " · ".join(authors[a].name for a in article.meta.authors)
            self.cards[seo.card_path(article)] = (article.meta.title,
                                                  f"{byline} · {article.reading_minutes} min read")

    def start(self, workers: Workers) -> None:
        """Draw the cards the cache lacks in worker processes, while MkDocs renders the pages.

        A build renders on one core, so the cards are drawn on the others; at the end the
        build draws whatever the workers have not started yet itself, rather than wait.
        """
        self.redrawn = 0
        self.signatures = read_signatures(self.cache / SIGNATURES) if self.temporary is None else {}
        try:
            missing = [(title, subtitle, self.site_name) for title, subtitle in self.cards.values()
                       if not self._usable(social.cached_card(title=title, subtitle=subtitle,
                                                              site_name=self.site_name, cache_dir=self.cache))]
        except OSError as error:  # a card that failed its check cannot be removed
            log.info(f"Build cache: {self.cache} cannot be written ({error.strerror}); every card is drawn afresh.")
            self._draw_apart()
            missing = [(title, subtitle, self.site_name) for title, subtitle in self.cards.values()]
        self.drawn = {social.cached_card(title=title, subtitle=subtitle, site_name=site_name, cache_dir=self.cache).name
                      for title, subtitle, site_name in missing}
        self.jobs = []
        if not missing or workers.count == 0 or (not workers.started and len(missing) < WORTH_A_PROCESS):
            return  # drawn in finish (for a few, faster than starting a process)
        pool = workers.get()
        self.jobs = [(pool.submit(social.draw_cards, missing[start:start + PER_TASK], self.cache),
                      missing[start:start + PER_TASK])
                     for start in range(0, len(missing), PER_TASK)]

    def finish(self, site_dir: Path, workers: Workers) -> None:
        try:
            for job, cards in self.jobs:
                if job.cancel():  # not started: drawn here, while the workers finish theirs
                    social.draw_cards(cards, self.cache)
            for job, cards in self.jobs:
                if not job.cancelled():
                    try:
                        job.result()
                    except BrokenProcessPool:  # a worker died (killed, out of memory): draw them here
                        social.draw_cards(cards, self.cache)
        finally:
            workers.stop(wait=False)
        self.jobs = []
        (site_dir / seo.SOCIAL_DIR).mkdir(parents=True, exist_ok=True)
        for target, (title, subtitle) in self.cards.items():
            card = social.social_card(title=title, subtitle=subtitle, site_name=self.site_name, cache_dir=self.cache)
            if card.name in self.drawn and self.signing_key is not None:
                self.signatures[card.name] = trust.mac(self.signing_key, card.name, card.read_bytes())
            link_or_copy(card, site_dir / target)
        if self.redrawn:
            log.info(f"Build cache: {self.redrawn} social card{'s' if self.redrawn != 1 else ''} changed or not "
                     f"signed by this machine's key, drawn again.")
        self._keep_signatures()
        self.discard()

    def discard(self) -> None:
        """After a failed build: the temporary folder, if any, removed."""
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)

    def _draw_apart(self) -> None:
        """Draw every card in a temporary folder: nothing read from the cache or written to it."""
        self.temporary = Path(tempfile.mkdtemp(prefix="field-guide-cards-"))
        self.cache = self.temporary
        self.signing_key = None

    def _usable(self, card: Path) -> bool:
        """Whether the cached `card` is one a build with this key drew; one that is not
        is removed (OSError if it cannot be), to be drawn again."""
        if self.signing_key is None:
            return False
        try:
            data = card.read_bytes()
        except FileNotFoundError:
            return False
        except OSError:
            data = b""
        if trust.signed(self.signing_key, card.name, data, self.signatures.get(card.name)):
            return True
        card.unlink(missing_ok=True)
        self.redrawn += 1
        self.signatures.pop(card.name, None)
        return False

    def _keep_signatures(self) -> None:
        """Write the MACs of the cards still in the folder, for the next build."""
        if self.signing_key is None:
            return
        kept = {name: mac for name, mac in sorted(self.signatures.items()) if (self.cache / name).is_file()}
        try:
            write_entry(self.cache / SIGNATURES,
                        json.dumps({"format": SIGNATURES_FORMAT, "cards": kept}, separators=(",", ":")).encode())
        except OSError as error:
            log.info(f"Build cache: could not write to {self.cache} ({error.strerror}); the next build draws "
                     "the cards again.")


def writable(cache: Path) -> bool:
    """Whether cards can be kept in `cache`; if not (a read-only `.cache`), they are drawn
    for this build alone, which costs their drawing, not the build (said in a line)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=cache, prefix=".card-", suffix=".tmp")
        os.close(descriptor)
        os.unlink(probe)
        return True
    except OSError as error:
        log.info(f"Social cards not kept: {cache} cannot be written ({error.strerror}); "
                 f"they are drawn for this build alone.")
        return False


def read_signatures(path: Path) -> dict[str, str]:
    """The cards' MACs a build wrote, or none if the file is anything else."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != SIGNATURES_FORMAT or not isinstance(data.get("cards"), dict):
        return {}
    return {name: mac for name, mac in data["cards"].items() if isinstance(mac, str)}


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (the cache and the site share a disk): no copying."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
