"""Lead images' variants: drawn after the pages (drawing: `../site/media.py`), kept in the build
cache and linked into the site, as the social cards are (`cards.py`).

A variant is published byte for byte, so a cached one is used only if its MAC by this
machine's cache key (`trust.py`, SECURITY.md) is in `SIGNATURES`; any other is drawn
again. Without a key every variant is drawn in a temporary folder, and nothing is read
from the cache or written to it. Variants are drawn in the build's own process: a site
has a few lead images, each drawn once (under a second) and then kept.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from PIL import Image

from ..site import media
from . import trust
from .cache import write_entry
from .cards import link_or_copy, read_signatures, writable

log = logging.getLogger("mkdocs.plugins.field_guide")

SIGNATURES = "media.json"  # in the variants' folder: {"format": 1, "cards": {file name: MAC}}


class LeadImageFiles:
    def __init__(self, cache: Path, *, signing_key: bytes | None) -> None:
        self.cache = cache
        self.signing_key = signing_key
        self.temporary: Path | None = None
        if signing_key is None or not writable(cache):
            self._draw_apart()

    def write(self, leads: list[media.LeadImage], content_dir: Path, site_dir: Path) -> None:
        """Every variant of these images (lead images, figures) in the site, drawn where the cache lacks it."""
        signatures = read_signatures(self.cache / SIGNATURES) if self.temporary is None else {}
        drawn = redrawn = 0
        try:
            for lead in {lead.key: lead for lead in leads}.values():
                names = [Path(variant.path).name for variant in lead.variants]
                usable = [self._usable(name, signatures) for name in names]
                if not all(usable):
                    redrawn += sum(1 for name, ok in zip(names, usable) if not ok and (self.cache / name).exists())
                    try:
                        paths = media.draw_variants(lead, media.read_original(content_dir / lead.source), self.cache)
                    except (OSError, ValueError, Image.DecompressionBombError) as error:
                        raise PluginError(f"content/{lead.source}: cannot draw the lead image's variants "
                                          f"({error}): build again, or export the image again") from None
                    for path in paths:
                        if self.signing_key is not None:
                            signatures[path.name] = trust.mac(self.signing_key, path.name, path.read_bytes())
                    drawn += 1
                for variant in lead.variants:
                    target = site_dir / variant.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    link_or_copy(self.cache / Path(variant.path).name, target)
            if redrawn:
                log.info(f"Build cache: {redrawn} image variant{'s' if redrawn != 1 else ''} changed or not "
                         "signed by this machine's key, drawn again.")
            self._keep(signatures)
        finally:
            self.discard()

    def discard(self) -> None:
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)

    def _draw_apart(self) -> None:
        self.temporary = Path(tempfile.mkdtemp(prefix="field-guide-media-"))
        self.cache = self.temporary
        self.signing_key = None

    def _usable(self, name: str, signatures: dict[str, str]) -> bool:
        if self.signing_key is None:
            return False
        try:
            data = (self.cache / name).read_bytes()
        except OSError:
            return False
        if trust.signed(self.signing_key, name, data, signatures.get(name)):
            return True
        signatures.pop(name, None)
        return False

    def _keep(self, signatures: dict[str, str]) -> None:
        if self.signing_key is None:
            return
        kept = {name: mac for name, mac in sorted(signatures.items()) if (self.cache / name).is_file()}
        try:
            write_entry(self.cache / SIGNATURES,
                        json.dumps({"format": 1, "cards": kept}, separators=(",", ":")).encode())
        except OSError as error:
            log.info(f"Build cache: could not write to {self.cache} ({error.strerror}); the next build draws "
                     "the image variants again.")
