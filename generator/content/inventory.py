"""What `content/` may hold: every file classified before anything is read.

An allow-list: Markdown pages (`.md`), images whose bytes decode as the image their name
says (PNG, JPEG, WebP, AVIF, GIF), and the data files of `content/data/` (the four named
ones, and facts files `content/data/facts/<topic>.yml`). Anything else is
an error naming the file: other Markdown suffixes, SVG, HTML, scripts, Pagefind's settings,
symbolic links and special files (FIFOs, sockets, devices). The walk never follows a link
and opens nothing but the images it checks; MkDocs' own walk, which follows links, runs
only after this has passed (the plugin stops the build in `on_config`).

Names that start with a dot are left alone, as MkDocs leaves them (its default
`exclude_docs` is `.*`): never read, never published. Links and special files are refused
there too, since MkDocs walks into dot-folders and follows links before it excludes them.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import ContentError

DATA_DIR = "data"
DATA_FILES = ("benefits.yml", "categories.yml", "resources.yml", "authors.yml")
# Facts, one file per topic: content/data/facts/<topic>.yml, the topic a slug.
FACTS_DIR = f"{DATA_DIR}/facts"
_FACTS_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.yml")
PAGE_SUFFIX = ".md"
# Every suffix MkDocs renders as Markdown (mkdocs.utils.markdown_extensions, checked in
# tests/test_internals.py) and a few more editors use: one suffix for pages, so every page
# goes through the same checks.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown", ".mdwn", ".mdtxt", ".mdtext",
                     ".text")
# The image types content may hold, by suffix: the formats Pillow must find when it decodes
# the file (a camera's JPEG may open as MPO, JPEG with a second picture).
IMAGE_FORMATS = {
    ".png": ("PNG",), ".jpg": ("JPEG", "MPO"), ".jpeg": ("JPEG", "MPO"), ".webp": ("WEBP",),
    ".avif": ("AVIF",), ".gif": ("GIF",),
}
_FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "WEBP": "WebP", "AVIF": "AVIF", "GIF": "GIF"}
_SUFFIX_OF = {"PNG": ".png", "JPEG": ".jpg", "MPO": ".jpg", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}
# What a refused type is for, and where it belongs instead.
_HINTS = {
    ".html": "write the page in Markdown, as a .md file",
    ".htm": "write the page in Markdown, as a .md file",
    ".xhtml": "write the page in Markdown, as a .md file",
    ".js": "scripts belong to the theme (theme/), which reviewers of the generator look after",
    ".mjs": "scripts belong to the theme (theme/), which reviewers of the generator look after",
    ".css": "styles belong to the theme (theme/), which reviewers of the generator look after",
    ".yml": "data files live in content/data/",
    ".yaml": "data files live in content/data/, named .yml",
}
# An image's limits, checked before it is decoded (bytes) and as it is (pixels): far beyond
# a photo for the web (a 24-megapixel camera's JPEG is 6-12 MB), well short of what makes
# decoding it a burden (a decompression bomb of a few kilobytes can claim gigapixels).
MAX_IMAGE_BYTES = 15_000_000
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED = "Markdown pages (.md), images (PNG, JPEG, WebP, AVIF or GIF) and the data files of content/data/"


@dataclass
class Inventory:
    """The files of `content/` by kind, as paths relative to it (MkDocs' src_uri)."""

    pages: list[str] = field(default_factory=list)  # .md files outside content/data/, articles included
    images: list[str] = field(default_factory=list)  # checked: they decode as what their name says
    refused_images: dict[str, str] = field(default_factory=dict)  # by src_uri: why (for front matter naming one)
    data: list[str] = field(default_factory=list)  # the data files present, as data/<name>
    named: list[str] = field(default_factory=list)  # every file but dot-files, refused or not: for name checks
    errors: list[ContentError] = field(default_factory=list)

    @property
    def published(self) -> frozenset[str]:
        """What MkDocs may publish of content/ (before drafts and data are left out)."""
        return frozenset(self.pages) | frozenset(self.images)


def take_inventory(content_dir: Path, relative: Callable[[Path], str]) -> Inventory:
    """Classify every file under `content_dir`, following no link; `relative` names a path
    for messages."""
    inventory = Inventory()

    def refuse(path: Path, message: str, code: str, name: str = "(file)") -> None:
        inventory.errors.append(ContentError(relative(path), 1, 1, name, message, code))

    folders = [(content_dir, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except FileNotFoundError:
            continue  # no content folder: each data file is reported missing
        except OSError as error:
            refuse(folder, f"cannot be read: {error.strerror}", "file-unreadable")
            continue
        for entry in entries:
            src_uri = prefix + entry.name
            path = Path(entry.path)
            # DirEntry answers these from the directory listing, without opening the file.
            if entry.is_symlink():
                refuse(path, "is a symbolic link: content/ holds files only, never links (a link can "
                             "publish any file of the machine that builds the site); put the file itself here",
                       "symlink")
            elif entry.is_dir(follow_symlinks=False):
                folders.append((path, src_uri + "/"))
            elif not entry.is_file(follow_symlinks=False):
                refuse(path, f"is a {_special_kind(path)}, not a file: remove it", "special-file")
            elif not any(part.startswith(".") for part in src_uri.split("/")):
                inventory.named.append(src_uri)
                _classify(inventory, path, src_uri, refuse)
    for kind in (inventory.pages, inventory.images, inventory.data, inventory.named):
        kind.sort(key=lambda src_uri: src_uri.split("/"))  # as paths sort: guide/index.md before guide.md
    return inventory


def _classify(inventory: Inventory, path: Path, src_uri: str, refuse) -> None:
    name = path.name
    suffix = path.suffix.lower()
    if name.lower().startswith("pagefind."):
        refuse(path, "Pagefind's settings are the build's own (generator/site/searchindex.py), never content's: "
                     "remove it", "file-type")
    elif src_uri.startswith(f"{FACTS_DIR}/"):
        if src_uri.count("/") == 2 and _FACTS_FILE.fullmatch(name):
            inventory.data.append(src_uri)
        else:
            refuse(path, f"content/{FACTS_DIR}/ holds only facts files named like `uk.yml` or `tax-rates.yml` "
                         "(lowercase letters, digits and hyphens, ending .yml): rename, move or remove it",
                   "file-type")
    elif src_uri.startswith(f"{DATA_DIR}/"):
        if src_uri.count("/") == 1 and name in DATA_FILES:
            inventory.data.append(src_uri)
        else:
            refuse(path, f"content/{DATA_DIR}/ holds only the data files {', '.join(DATA_FILES)} "
                         f"and the facts files of content/{FACTS_DIR}/: move or remove it", "file-type")
    elif path.suffix == PAGE_SUFFIX:
        inventory.pages.append(src_uri)
    elif suffix in MARKDOWN_SUFFIXES:
        refuse(path, f"Markdown pages end in .md: rename it to {path.stem}.md", "markdown-suffix")
    elif suffix in (".svg", ".svgz"):
        refuse(path, "SVG is not published: an SVG file can run scripts. Convert it to PNG or WebP",
               "svg-image")
    elif suffix in IMAGE_FORMATS:
        problem = image_problem(path, IMAGE_FORMATS[suffix])
        if problem is None:
            inventory.images.append(src_uri)
        else:
            inventory.refused_images[src_uri] = problem
            refuse(path, problem, "bad-image")
    else:
        kind = f"a {suffix} file" if suffix else "a file without a suffix"
        hint = _HINTS.get(suffix)
        refuse(path, f"content/ holds {ALLOWED}; this is {kind}: "
                     + (f"{hint}, or remove it" if hint else "remove it"), "file-type")


def image_problem(path: Path, formats: tuple[str, ...]) -> str | None:
    """Why the file is not an image of one of `formats`, decoded in full; None if it is."""
    expected = _FORMAT_NAMES[formats[0]]
    # The lower of ours and Pillow's (which a caller may lower further).
    most_pixels = min(MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS)
    try:
        with warnings.catch_warnings():
            # Pillow only warns about an image of more than ~89 million pixels: refuse it.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with open_regular(path) as file:
                size = os.fstat(file.fileno()).st_size
                if size > MAX_IMAGE_BYTES:
                    return (f"is too large a file to publish ({size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}): "
                            "export it smaller, a web image needs far less")
                with Image.open(file, formats=None) as image:
                    if image.format not in formats:
                        actual = image.format or "unknown"
                        right = _SUFFIX_OF.get(actual)
                        fix = f"rename it to {path.stem}{right}" if right else "convert it"
                        return f"is not a {expected} image but {_FORMAT_NAMES.get(actual, actual)}: {fix}"
                    # Every frame, within one image's worth of pixels in all: a small GIF can
                    # hold thousands of large frames, which would take minutes to decode.
                    pixels = 0
                    for frame in range(getattr(image, "n_frames", 1)):
                        image.seek(frame)
                        pixels += image.size[0] * image.size[1]
                        if pixels > most_pixels:
                            raise Image.DecompressionBombError(f"{pixels} pixels")
                        image.load()
    except UnidentifiedImageError:
        return f"is not a {expected} image: its bytes are not an image at all (start: {_start(path)})"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (f"is too large an image to publish (more than {most_pixels:,} pixels, all frames "
                "together): scale it down")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        return f"is not a valid {expected} image ({error}): export it again"
    return None


def open_regular(path: Path):
    """The file opened for reading if it is a regular file, without following a link or
    waiting on a FIFO (what was checked in the walk may have changed since)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(0, "not a regular file", str(path))
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _start(path: Path) -> str:
    with open_regular(path) as file:
        head = file.read(16)
    return repr(head.decode("utf-8", "replace")) if head else "empty"


def _special_kind(path: Path) -> str:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "special file"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
