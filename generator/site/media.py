"""Lead images: an article's front matter `image`, checked, and the responsive variants
the build draws of it (the drawing is wired into the build by mkdocs/media.py).

Choices, and why:

- The file must be one that the inventory (inventory.py) accepted: inside content/, a
  regular file (never a link), an image that decodes as its suffix says, within the byte
  and pixel limits. `image` is written relative to the article, as a Markdown image is
  (`../images/desk.jpg`); anything else is an error at the field, with its line.
- Variants at a few widths, never wider than the original: AVIF where this Pillow can
  write it, WebP, and a JPEG for every other reader (and for feeds and social sites,
  which take JPEG everywhere). The page gets `<picture>` with `srcset`, `sizes`, and the
  `width` and `height` of the image, so nothing moves as it loads.
- Each variant is named after a hash of the original's bytes and of DESIGN_VERSION
  (`assets/media/<hash>-<width>.<suffix>`): a new image is a new name, so caches never
  serve an old one, and the build cache keeps each variant until its original changes.
  No metadata is written: a camera's EXIF (place, time) never reaches a reader.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageOps, features

from ..content.errors import ContentError
from ..content.inventory import MAX_IMAGE_BYTES, open_regular
from ..content.reader import ARTICLES_DIR, Article

MEDIA_DIR = "assets/media"
# Bump whenever the drawing changes (sizes, quality, formats), so that cached variants
# are drawn again.
DESIGN_VERSION = "1"
WIDTHS = (480, 800, 1200, 1600)
# The article column is at most about 48rem (768 px) wide; on a phone, the screen less its margins.
SIZES = "(min-width: 60em) 48rem, calc(100vw - 2rem)"
SOCIAL_WIDTH = 1200  # og:image: the width social sites show large
# (Pillow's format, suffix, MIME type, encoder options), best first; JPEG last: the fallback.
_AVIF = ("AVIF", ".avif", "image/avif", {"quality": 60, "speed": 6})
_WEBP = ("WEBP", ".webp", "image/webp", {"quality": 80, "method": 4})
_JPEG = ("JPEG", ".jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True})
FORMATS = ((_AVIF,) if features.check("avif") else ()) + (_WEBP, _JPEG)
JPEG_TYPE = _JPEG[2]
_BACKGROUND = (255, 255, 255)  # under a transparent image's clear parts: formats without alpha need one


@dataclass(frozen=True)
class Variant:
    path: str  # in the site, e.g. assets/media/<key>-800.webp
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class LeadImage:
    """An image the build draws in sizes: an article's lead image (with its alt text and
    credit: what the page, the feeds and the social tags show), or a figure's (figures.py,
    whose alt text and caption come from the page)."""

    source: str  # the original, relative to content/ (MkDocs' src_uri)
    key: str  # the hash its variants are named after
    width: int  # of the largest variant: the img's width and height attributes
    height: int
    alt: str
    credit: str | None
    variants: tuple[Variant, ...]

    def srcset(self, mime: str) -> list[Variant]:
        return [variant for variant in self.variants if variant.mime == mime]

    @property
    def types(self) -> list[str]:
        """The MIME types drawn, best first; the last is JPEG, the fallback."""
        return list(dict.fromkeys(variant.mime for variant in self.variants))

    @property
    def fallback(self) -> Variant:
        return self.srcset(JPEG_TYPE)[-1]

    @property
    def social(self) -> Variant:
        """The JPEG for feeds and social sites: the widest up to SOCIAL_WIDTH."""
        jpegs = self.srcset(JPEG_TYPE)
        return next((v for v in reversed(jpegs) if v.width <= SOCIAL_WIDTH), jpegs[0])

    @property
    def sizes(self) -> str:
        return SIZES


def widths_for(original_width: int) -> list[int]:
    """The widths drawn of an image `original_width` wide: never upscaled."""
    kept = [width for width in WIDTHS if width < original_width]
    return [*kept, min(original_width, WIDTHS[-1])]


def scaled_height(width: int, height: int, to_width: int) -> int:
    return max(1, round(height * to_width / width))


def lead_images(articles: Iterable[Article], content_dir: Path, published: Iterable[str],
                refused: dict[str, str]) -> tuple[dict[str, LeadImage], list[ContentError]]:
    """The lead image of each article that names one, by slug, and an error at the
    `image` field of each that names a file the site cannot publish. `published`: what
    the inventory accepted of content/; `refused`: the images it refused, with why."""
    found: dict[str, LeadImage] = {}
    errors: list[ContentError] = []
    accepted = {src for src in published if not src.endswith(".md")}
    for article in articles:
        meta = article.meta
        if not meta.image:
            continue
        src_uri, problem = _resolve(meta.image, content_dir, accepted, refused)
        if problem is None:
            try:
                found[article.slug] = plan_image(src_uri, content_dir / src_uri, meta.image_alt or "",
                                                 meta.image_credit)
            except (OSError, ValueError, Image.DecompressionBombError) as error:  # changed since the inventory
                problem = f"content/{src_uri} cannot be read as an image ({error}): export it again"
        if problem is not None:
            errors.append(meta.problem("image", problem, "bad-lead-image", article.path))
    return found, errors


def _resolve(value: str, content_dir: Path, accepted: set[str],
             refused: dict[str, str]) -> tuple[str, str | None]:
    """(src_uri, None), or (whatever was found, why it cannot be used)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "\\")):
        return "", (f"must be an image file in content/, written relative to the article like "
                    f"../images/photo.jpg (got {value!r}): the site loads nothing from other addresses")
    src_uri = posixpath.normpath(posixpath.join(ARTICLES_DIR, unquote(parts.path)))
    if src_uri == ".." or src_uri.startswith("../"):
        return src_uri, f"{value!r} is outside content/: put the image in content/images/ and name it ../images/..."
    if src_uri in accepted:
        return src_uri, None
    if src_uri in refused:
        return src_uri, f"content/{src_uri} {refused[src_uri]}"
    if os.path.lexists(content_dir / src_uri):
        return src_uri, (f"content/{src_uri} is not an image the site publishes (see the error on that file): "
                         "use a PNG, JPEG, WebP, AVIF or GIF file in content/images/")
    return src_uri, f"no file content/{src_uri}: add the image, or fix the path (relative to this article)"


def plan_image(src_uri: str, path: Path, alt: str, credit: str | None) -> LeadImage:
    """The variants of the image at `path`, named and sized, none drawn yet."""
    data = read_original(path)
    key = variant_key(data)
    with Image.open(io.BytesIO(data)) as image:
        width, height = _upright_size(image)
    variants = []
    for to_width in widths_for(width):
        for _, suffix, mime, _ in FORMATS:
            variants.append(Variant(f"{MEDIA_DIR}/{key}-{to_width}{suffix}", to_width,
                                    scaled_height(width, height, to_width), mime))
    largest = variants[-1]
    return LeadImage(src_uri, key, largest.width, largest.height, alt, credit, tuple(variants))


def read_original(path: Path) -> bytes:
    """The original's bytes, read as the inventory checked it: a regular file, not a link,
    within the byte limit."""
    with open_regular(path) as file:
        data = file.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"more than {MAX_IMAGE_BYTES:,} bytes")
    return data


def variant_key(data: bytes) -> str:
    return hashlib.sha256(DESIGN_VERSION.encode() + b"\0" + data).hexdigest()[:20]


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The size as shown: a camera's EXIF orientation 5 to 8 turns the picture a quarter."""
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def draw_variants(lead: LeadImage, original: bytes, folder: Path) -> list[Path]:
    """Every variant of `lead` drawn from the original's bytes into `folder`, under the
    variants' file names: their paths. ValueError if the bytes are not the planned image."""
    if variant_key(original) != lead.key:
        raise ValueError(f"content/{lead.source} changed during the build: build again")
    with Image.open(io.BytesIO(original)) as image:
        image.seek(0)  # a GIF or an animated WebP: its first frame
        alpha = _has_alpha(image)
        upright = ImageOps.exif_transpose(image)
        upright = upright.convert("RGBA" if alpha else "RGB")
    if upright.mode == "RGBA":
        flat = Image.new("RGB", upright.size, _BACKGROUND)
        flat.paste(upright, mask=upright.getchannel("A"))
        upright = flat
    written = []
    by_width: dict[int, Image.Image] = {}
    for variant in lead.variants:
        scaled = by_width.get(variant.width)
        if scaled is None:
            scaled = by_width[variant.width] = (upright if variant.width == upright.width
                                                else upright.resize((variant.width, variant.height),
                                                                    Image.Resampling.LANCZOS))
        pillow_format, _, _, options = next(f for f in FORMATS if f[2] == variant.mime)
        target = folder / posixpath.basename(variant.path)
        _write_atomically(scaled, target, pillow_format, options)
        written.append(target)
    return written


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _write_atomically(image: Image.Image, path: Path, pillow_format: str, options: dict) -> None:
    """Write then rename, so a concurrent or interrupted build never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".media-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            image.save(stream, format=pillow_format, **options)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
