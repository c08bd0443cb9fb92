"""What an attacker who can write the build cache folder (but not this machine's key)
does to it: change an entry and make its hash fit again, replace a card, put a pickle
where an entry was. For tests/test_cache_trust.py."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

# The cache's own MAC, computed by the attacker with the key they have (a key of their
# own machine; or, with nothing, BLAKE2b with no key, the payload hash the cache kept).
NO_KEY = b""


def attacker_key() -> bytes:
    return os.urandom(32)


def forged_mac(key: bytes, name: str, payload: bytes) -> str:
    data = name.encode("utf-8") + b"\0" + payload
    return hashlib.blake2b(data, key=key, digest_size=32).hexdigest()


def markdown_entries(root: Path) -> list[Path]:
    return sorted((root / ".cache/build").glob("*.json"))


def page_entries(root: Path) -> list[Path]:
    return sorted((root / ".cache/build/pages").glob("*.html"))


def cards(root: Path) -> list[Path]:
    return sorted((root / ".cache/social").glob("*.jpg"))


def tamper_markdown_entry(path: Path, change: Callable[[dict], None], key: bytes) -> None:
    """Change the entry's payload, then sign it again with `key` as the cache would."""
    header_bytes, _, payload = path.read_bytes().partition(b"\n")
    header = json.loads(header_bytes)
    fields = json.loads(payload)
    change(fields)
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header["mac"] = forged_mac(key, header["key"], payload)
    path.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + payload)


def tamper_page_entry(path: Path, change: Callable[[str], str], key: bytes) -> None:
    header, _, payload = path.read_bytes().partition(b"\n")
    name = header.split(b" ")[0].decode()
    payload = change(payload.decode("utf-8")).encode("utf-8")
    path.write_bytes(f"{name} {forged_mac(key, name, payload)}\n".encode() + payload)


def sign_cards(root: Path, paths: list[Path], key: bytes) -> None:
    """Write the cards' signature file as the cache would, with `key`."""
    signatures = root / ".cache/social/cards.json"
    data = json.loads(signatures.read_bytes())
    for path in paths:
        data["cards"][path.name] = forged_mac(key, path.name, path.read_bytes())
    signatures.write_bytes(json.dumps(data).encode())


def other_jpeg(size: tuple[int, int]) -> bytes:
    """A valid JPEG of the card's size that is not the card."""
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", size, "red").save(stream, format="JPEG")
    return stream.getvalue()


class _Payload:
    """Unpickled, it creates the file `marker`: proof that something loaded it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def pickle_payload(marker: Path) -> bytes:
    return pickle.dumps(_Payload(marker))


def script_in_markdown(fields: dict) -> None:
    fields["content"] = fields["content"].replace("<p>", "<p><script>alert('cache')</script>Tampered. ", 1)
    fields["title"] = "Tampered"


def script_in_page(html: str) -> str:
    return html.replace("</h1>", "</h1><script>alert('cache')</script><p>Tampered.</p>", 1)
