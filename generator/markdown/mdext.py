"""Python-Markdown extensions applied to every page we render.

- Safe links, a second line of defence: the policy (policy.py) rejects unsafe Markdown
  before a build; this makes sure whatever reaches the HTML has no script URL, and that
  a link opening a new tab cannot reach back into ours (`rel="noopener noreferrer"`).
- Lazy images: every image loads lazily, and a local image gets its width and height,
  so the page does not jump while it loads.
- Fact links (`[label](fact:<id>)`) as placeholders the build fills in (facts.py).
- Table alignment as classes (`ifg-align-left`...; theme/assets/ifg/site.css), not the
  `style` attribute the sanitizer drops.
- The sanitizer (sanitize.py), Python-Markdown's last postprocessor: every path that
  converts a page (the build, its workers, `check`) gets the same allow-listed HTML. The
  headings' table of contents is made safe with it (MkDocs prints its titles and ids).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from PIL import Image

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..content import charts, facts
from ..content.policy import is_unsafe_url
from . import sanitize

SANITIZER = "field_guide_sanitize"  # the postprocessor's name in Python-Markdown's registry


class _SafeLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and is_unsafe_url(value):
                    # Emptied, not removed: MkDocs asserts every <a> has an href, every <img> a src.
                    element.set(attribute, "")
            if element.tag == "a" and element.get("target") == "_blank":
                rel = set((element.get("rel") or "").split()) | {"noopener", "noreferrer"}
                element.set("rel", " ".join(sorted(rel)))


class _FactLinks(Treeprocessor):
    """A link to `fact:<id>` becomes a placeholder holding the link's text (facts.py): the
    value is put in after the sanitizer and the build cache, as of the build's day."""

    def run(self, root: Element) -> None:
        for element in root.iter("a"):
            url = element.get("href")
            if facts.is_fact_url(url):
                text = "".join(element.itertext())
                tail = element.tail
                element.clear()
                element.tag = "span"
                for name, value in facts.placeholder_attributes(url).items():
                    element.set(name, value)
                element.text, element.tail = text, tail


class _ChartLinks(Treeprocessor):
    """A paragraph that is only a link to `chart:<group>` becomes a placeholder holding the
    link's text (charts.py): the chart is drawn after the sanitizer and the build cache.
    A chart link inside a sentence is left to the safe links, which empty its address."""

    def run(self, root: Element) -> None:
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if len(children) != 1 or (paragraph.text or "").strip() or (children[0].tail or "").strip():
                continue
            link = children[0]
            url = link.get("href")
            if link.tag != "a" or not charts.is_chart_url(url):
                continue
            text = "".join(link.itertext())
            link.clear()
            link.tag = "span"
            for name, value in charts.placeholder_attributes(url).items():
                link.set(name, value)
            link.text = text
            paragraph.text = None


class _LazyImages(Treeprocessor):
    def __init__(self, md: Markdown, extension: SafeLinksExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        for image in root.iter("img"):
            image.set("loading", "lazy")
            image.set("decoding", "async")
            size = self.extension.image_size(image.get("src", ""))
            if size is not None and not (image.get("width") or image.get("height")):
                image.set("width", str(size[0]))
                image.set("height", str(size[1]))


class _TableAlignment(Treeprocessor):
    """`tables` aligns a column with `style="text-align: left;"`: a class instead."""

    def run(self, root: Element) -> None:
        for cell in (*root.iter("th"), *root.iter("td")):
            style = cell.get("style")
            side = _ALIGNMENT.get(style) if style is not None else None
            if side is not None:
                del cell.attrib["style"]
                cell.set("class", " ".join(filter(None, (cell.get("class"), side))))


_ALIGNMENT = {f"text-align: {side};": name for side, name in sanitize.ALIGNMENT_CLASSES.items()}


class _Sanitizer(Postprocessor):
    def __init__(self, md: Markdown, extension: SafeLinksExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        # Heading titles in the table of contents come out of this same postprocessor
        # (`toc` runs every postprocessor on them); an id set with attr_list does not.
        for token in _tokens(getattr(self.md, "toc_tokens", ())):
            if not sanitize.safe_id(token["id"]):  # the heading loses it too: link to the top
                token["id"] = ""
        return sanitize.sanitize(text, self.extension.getConfig("allow_html"))


def _tokens(tokens) -> Iterator[dict]:
    for token in tokens:
        yield token
        yield from _tokens(token.get("children", ()))


class SafeLinksExtension(Extension):
    """Safe links, lazy images and the sanitizer; `source_dir` is the folder of the page
    being rendered; `allow_html` the allowances of mkdocs.yml (policy.Allowance)."""

    def __init__(self, **kwargs) -> None:
        self.config = {"allow_html": [(), "the allow_html allowances (policy.Allowance) the sanitizer keeps"]}
        super().__init__(**kwargs)
        self.source_dir: Path | None = None
        # Every image file looked at since the last reset, and its size: what a page's
        # HTML depends on besides its Markdown (a cached conversion is checked against it).
        self.images_seen: dict[str, tuple[int, int] | None] = {}

    def image_size(self, src: str) -> tuple[int, int] | None:
        parts = urlsplit(src)
        if self.source_dir is None or parts.scheme or parts.netloc or not parts.path:
            return None
        path = (self.source_dir / unquote(parts.path)).resolve()
        size = image_size_at(path)
        self.images_seen[str(path)] = size
        return size

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (priority 8) has set attributes such as target.
        md.treeprocessors.register(_FactLinks(md), "field_guide_fact_links", 1.1)
        md.treeprocessors.register(_ChartLinks(md), "field_guide_chart_links", 1.05)
        md.treeprocessors.register(_SafeLinks(md), "field_guide_safe_links", 1)
        md.treeprocessors.register(_LazyImages(md, self), "field_guide_lazy_images", 0.9)
        md.treeprocessors.register(_TableAlignment(md), "field_guide_table_alignment", 0.8)
        # Last of all, after raw HTML is put back (30) and footnotes are finished (25).
        md.postprocessors.register(_Sanitizer(md, self), SANITIZER, -100)


def image_size_at(path: Path) -> tuple[int, int] | None:
    """(width, height) of the image file, or None if it is not one."""
    try:
        with Image.open(path) as image:
            return tuple(image.size)  # type: ignore[return-value]
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
