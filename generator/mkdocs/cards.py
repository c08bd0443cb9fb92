"""Social cards: which the site shows, drawn in the worker processes while MkDocs renders
the pages, then linked into the site (drawing: `social.py`)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .. import seo, social
from ..site import PreparedSite
from .workers import Workers

log = logging.getLogger("mkdocs.plugins.field_guide")

WORTH_A_PROCESS = 24  # fewer cards to draw than this: draw them in the build's own process
PER_TASK = 16


class SocialCards:
    def __init__(self, cache: Path, site_name: str) -> None:
        self.cache, self.scratch = writable_or_scratch(cache)  # drawn cards, kept between builds
        self.site_name = site_name
        self.cards: dict[str, tuple[str, str]] = {}  # site path -> (title, subtitle)
        self.jobs: list[tuple[Future, list[tuple[str, str, str]]]] = []  # (job, the cards it draws)

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
        missing = [(title, subtitle, self.site_name) for title, subtitle in self.cards.values()
                   if not social.cached_card(title=title, subtitle=subtitle, site_name=self.site_name,
                                             cache_dir=self.cache).is_file()]
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
            _link_or_copy(card, site_dir / target)
        if self.scratch:
            shutil.rmtree(self.cache, ignore_errors=True)


def writable_or_scratch(cache: Path) -> tuple[Path, bool]:
    """`cache`, if cards can be written there; else a temporary folder for this build's
    cards alone (a read-only `.cache` costs their drawing, not the build), said in a line."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=cache, prefix=".card-", suffix=".tmp")
        os.close(descriptor)
        os.unlink(probe)
        return cache, False
    except OSError as error:
        log.info(f"Social cards not kept: {cache} cannot be written ({error.strerror}); "
                 f"they are drawn for this build alone.")
        return Path(tempfile.mkdtemp(prefix="field-guide-cards-")), True


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (the cache and the site share a disk): no copying."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
