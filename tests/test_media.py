"""Lead images and body figures: what an editor may name, the errors at the field for
what the site cannot publish, and the markup and feeds made of a valid one. Unit tests:
no MkDocs (tests/test_media_build.py builds sites)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image

from generator.site import feeds, media, seo
from generator.content import inventory
from generator.content.errors import ContentErrors
from generator.site.figures import with_figures
from generator.site.pages import Urls
from generator.site.pipeline import prepare
from sitekit import DESCRIPTION, SOURCES

TODAY = dt.date(2026, 11, 18)
FRONT = f"""---
title: A title
description: {DESCRIPTION}
date: 2026-10-01
authors: [careers-desk]
tags: [law]
sources: {json.dumps(SOURCES)}
"""


def picture_bytes(size=(2000, 1000), kind="JPEG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 120, 110) if mode == "RGB" else (30, 120, 110, 128)).save(buffer, kind)
    return buffer.getvalue()


def with_image(site, image: str, *, credit: str = "") -> None:
    lines = f"image: {image}\nimage_alt: A desk by a window.\n" + (f"image_credit: \"{credit}\"\n" if credit else "")
    site.write("content/articles/post.md", FRONT + lines + "---\n\nBody.\n")


def problems(site) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        prepare(site.root, today=TODAY)
    return [str(error) for error in caught.value.errors]


# What an editor may name, and the errors at the field (line 8: `image:`)


def test_a_lead_image_in_content_images_is_planned_at_widths_up_to_its_own(site):
    site.apply({"content/images/desk.jpg": picture_bytes((1000, 500))})
    with_image(site, "../images/desk.jpg", credit="Photo: Ana Ruiz")
    lead = prepare(site.root, today=TODAY).lead_images["post"]
    assert (lead.source, lead.width, lead.height, lead.credit) == ("images/desk.jpg", 1000, 500, "Photo: Ana Ruiz")
    assert [v.width for v in lead.srcset("image/jpeg")] == [480, 800, 1000]  # never upscaled
    assert [(v.width, v.height) for v in lead.srcset("image/webp")] == [(480, 240), (800, 400), (1000, 500)]
    assert lead.types[-1] == "image/jpeg" and "image/webp" in lead.types
    assert all(v.path.startswith(f"{media.MEDIA_DIR}/{lead.key}-") for v in lead.variants)


def test_a_missing_lead_image_is_an_error_at_the_field(site):
    with_image(site, "../images/nowhere.jpg")
    assert problems(site) == ["content/articles/post.md:8:8: image: no file content/images/nowhere.jpg: add the "
                              "image, or fix the path (relative to this article) [bad-lead-image]"]


@pytest.mark.parametrize("value", ["https://example.org/desk.jpg", "//example.org/desk.jpg", "/images/desk.jpg",
                                   "data:image/png;base64,AAAA"])
def test_a_lead_image_from_an_address_is_refused(site, value):
    with_image(site, f"'{value}'")
    (message,) = problems(site)
    assert message.startswith("content/articles/post.md:8:8: image: must be an image file in content/")
    assert message.endswith("the site loads nothing from other addresses [bad-lead-image]")


def test_a_lead_image_outside_content_is_refused_without_reading_it(site):
    site.apply({"secret.jpg": picture_bytes()})
    with_image(site, "../../secret.jpg")
    assert problems(site) == ["content/articles/post.md:8:8: image: '../../secret.jpg' is outside content/: put the "
                              "image in content/images/ and name it ../images/... [bad-lead-image]"]


def test_a_symlinked_lead_image_is_refused_at_the_link_and_at_the_field(site):
    site.apply({"elsewhere.jpg": picture_bytes()})
    (site.content / "images").mkdir(parents=True)
    os.symlink(site.root / "elsewhere.jpg", site.content / "images/desk.jpg")
    with_image(site, "../images/desk.jpg")
    found = problems(site)
    assert found[0].startswith("content/articles/post.md:8:8: image: content/images/desk.jpg is not an image the "
                               "site publishes (see the error on that file)")
    assert found[1].startswith("content/images/desk.jpg:1:1: (file): is a symbolic link") and found[1].endswith(
        "[symlink]")


def test_a_lead_image_that_is_not_an_image_says_why_at_the_field(site):
    site.apply({"content/images/desk.jpg": b"<!doctype html><script>alert(1)</script>"})
    with_image(site, "../images/desk.jpg")
    assert problems(site) == [
        "content/articles/post.md:8:8: image: content/images/desk.jpg is not a JPEG image: its bytes are not an "
        "image at all (start: '<!doctype html><') [bad-lead-image]",
        "content/images/desk.jpg:1:1: (file): is not a JPEG image: its bytes are not an image at all "
        "(start: '<!doctype html><') [bad-image]"]


def test_a_lead_image_of_too_many_pixels_is_refused_before_it_is_decoded(site, monkeypatch):
    monkeypatch.setattr(inventory, "MAX_IMAGE_PIXELS", 1_000_000)  # the same rule, at a size a test can draw
    site.apply({"content/images/huge.png": picture_bytes((1001, 1000), "PNG")})
    with_image(site, "../images/huge.png")
    assert problems(site)[0] == ("content/articles/post.md:8:8: image: content/images/huge.png is too large an "
                                 "image to publish (more than 1,000,000 pixels, all frames together): scale it down "
                                 "[bad-lead-image]")


def test_a_decompression_bomb_is_refused_by_its_header(site):
    # A PNG whose header claims 30,000 x 30,000 pixels, in 57 bytes.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    site.apply({"content/images/bomb.png": bomb})
    with_image(site, "../images/bomb.png")
    assert "is too large an image to publish (more than 40,000,000 pixels" in problems(site)[0]


def test_an_image_file_over_the_byte_limit_is_refused_before_it_is_decoded(site, monkeypatch):
    monkeypatch.setattr(inventory, "MAX_IMAGE_BYTES", 1_000)
    site.apply({"content/images/desk.jpg": picture_bytes((400, 300)) + b"\0" * 2_000})
    with_image(site, "../images/desk.jpg")
    assert problems(site)[0].startswith("content/articles/post.md:8:8: image: content/images/desk.jpg is too large a "
                                        "file to publish (")


# Drawing


def test_variants_are_drawn_upright_without_metadata_and_flattened(tmp_path):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90°": a phone held upright
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # a place, which must not reach readers
    Image.new("RGBA", (900, 600), (200, 10, 10, 0)).convert("RGB").save(buffer, "JPEG", exif=exif)
    (tmp_path / "p.jpg").write_bytes(buffer.getvalue())
    lead = media.plan_image("images/p.jpg", tmp_path / "p.jpg", "alt", None)
    assert (lead.width, lead.height) == (600, 900)
    written = media.draw_variants(lead, buffer.getvalue(), tmp_path / "out")
    assert {path.name for path in written} == {v.path.rsplit("/", 1)[1] for v in lead.variants}
    for path, variant in zip(written, lead.variants):
        with Image.open(path) as image:
            assert image.size == (variant.width, variant.height)
            assert not image.getexif()


def test_a_transparent_image_is_drawn_over_white(tmp_path):
    data = picture_bytes((600, 400), "PNG", "RGBA")
    (tmp_path / "t.png").write_bytes(data)
    lead = media.plan_image("images/t.png", tmp_path / "t.png", "alt", None)
    (jpeg,) = [p for p in media.draw_variants(lead, data, tmp_path / "out") if p.suffix == ".jpg" and "-600" in p.name]
    with Image.open(jpeg) as image:
        red, green, blue = image.convert("RGB").getpixel((10, 10))
        assert red > 120 and green > 170  # half-transparent teal over white, not over black


def test_an_original_that_changed_since_it_was_planned_is_not_drawn(tmp_path):
    (tmp_path / "p.jpg").write_bytes(picture_bytes((500, 400)))
    lead = media.plan_image("images/p.jpg", tmp_path / "p.jpg", "alt", None)
    with pytest.raises(ValueError, match="changed during the build"):
        media.draw_variants(lead, picture_bytes((500, 401)), tmp_path / "out")


# Social tags and feeds


def _lead(tmp_path, size=(1600, 900)) -> media.LeadImage:
    (tmp_path / "p.jpg").write_bytes(picture_bytes(size))
    return media.plan_image("images/p.jpg", tmp_path / "p.jpg", "A desk by a window.", "Photo: Ana Ruiz")


def test_the_lead_image_replaces_the_card_in_the_social_tags(site, tmp_path):
    site.apply({"content/images/desk.jpg": picture_bytes((1600, 900))})
    with_image(site, "../images/desk.jpg")
    site.write("content/articles/plain.md", FRONT.replace("A title", "Plain") + "---\n\nBody.\n")
    prepared = prepare(site.root, today=TODAY)
    lead = prepared.lead_images["post"]

    def tags(src_uri: str) -> dict[str, str]:
        spec = prepared.pages[src_uri]
        meta = seo.page_meta(site_url="https://example.org/", site_name="Guide", url=spec.src_uri, title=spec.title,
                             description=spec.description, spec=spec, authors=prepared.content.authors,
                             is_home=False)
        return dict(meta.properties) | dict(meta.names)

    with_lead = tags("articles/post.md")
    assert with_lead["og:image"] == f"https://example.org/{media.MEDIA_DIR}/{lead.key}-1200.jpg"
    assert (with_lead["og:image:width"], with_lead["og:image:height"]) == ("1200", "675")
    assert with_lead["og:image:alt"] == with_lead["twitter:image:alt"] == "A desk by a window."
    assert with_lead["twitter:image"] == with_lead["og:image"]
    without = tags("articles/plain.md")
    assert without["og:image"] == "https://example.org/assets/social/plain.jpg"
    assert (without["og:image:width"], without["og:image:height"]) == ("1200", "630")


def test_the_feeds_carry_the_lead_image(site):
    site.apply({"content/images/desk.jpg": picture_bytes((1600, 900))})
    with_image(site, "../images/desk.jpg")
    prepared = prepare(site.root, today=TODAY)
    lead = prepared.lead_images["post"]
    written = feeds.build_feeds(prepared.graph.published, site_url="https://example.org/", site_name="Guide",
                                site_description="d", authors=prepared.content.authors,
                                content_html={"post": "<p>Body.</p>"}, lead_images=prepared.lead_images)
    url = f"https://example.org/{media.MEDIA_DIR}/{lead.key}-1200.jpg"
    rss = etree.fromstring(written["feed.xml"].encode())
    (content,) = rss.findall(".//item/{http://search.yahoo.com/mrss/}content")
    assert (content.get("url"), content.get("type"), content.get("width"), content.get("height")) == (
        url, "image/jpeg", "1200", "675")
    atom = etree.fromstring(written["atom.xml"].encode())
    (enclosure,) = atom.findall(".//{http://www.w3.org/2005/Atom}link[@rel='enclosure']")
    assert enclosure.get("href") == url
    assert json.loads(written["feed.json"])["items"][0]["image"] == url


# Figures in the body: made after the sanitizer, from its output


def _figure_html(body_html: str, tmp_path) -> BeautifulSoup:
    lead = _lead(tmp_path, (1000, 500))
    html = with_figures(body_html, Urls.article("post"), {"images/p.jpg": lead})
    return BeautifulSoup(html, "html.parser"), lead


def test_an_image_with_an_emphasized_line_under_it_becomes_a_figure_with_caption_and_credit(tmp_path):
    soup, lead = _figure_html('<p>Before.</p>\n<p><img alt="A desk" src="../../images/p.jpg" loading="lazy">\n'
                              '<em>A first day\'s <code>desk</code>.</em> Photo: Ana &lt;Ruiz&gt;</p>', tmp_path)
    (figure,) = soup.select("figure.ifg-figure")
    sources = figure.select("picture > source")
    assert [s["type"] for s in sources] == lead.types[:-1]
    image = figure.select_one("picture > img")
    assert image["src"] == f"../../{media.MEDIA_DIR}/{lead.key}-1000.jpg"
    assert image["srcset"] == ", ".join(f"../../{media.MEDIA_DIR}/{lead.key}-{w}.jpg {w}w" for w in (480, 800, 1000))
    assert (image["width"], image["height"], image["alt"], image["loading"]) == ("1000", "500", "A desk", "lazy")
    assert image["sizes"] == sources[0]["sizes"] == media.SIZES
    caption = figure.figcaption
    assert caption.em.get_text() == "A first day's desk." and caption.em.code is not None
    assert caption.select_one(".ifg-credit").get_text() == "Photo: Ana <Ruiz>"
    assert soup.p.get_text() == "Before."


def test_an_image_alone_in_its_paragraph_becomes_a_figure_without_caption(tmp_path):
    soup, _ = _figure_html('<p><img alt="A desk" src="../../images/p.jpg"></p>', tmp_path)
    assert soup.select_one("figure > picture > img")["alt"] == "A desk"
    assert soup.figcaption is None


@pytest.mark.parametrize("body", [
    '<p>See <img alt="A desk" src="../../images/p.jpg"> here.</p>',  # inline, in a sentence
    '<p><img alt="A desk" src="../../images/p.jpg"> and <em>then</em></p>',  # text before the emphasis
    '<p><img alt="A desk" src="../../images/other.jpg"></p>',  # an image without variants
])
def test_an_image_within_text_stays_as_written(tmp_path, body):
    soup, _ = _figure_html(body, tmp_path)
    assert soup.figure is None and soup.img is not None


def test_a_credit_without_an_image_is_an_error_at_the_credit(site):
    site.write("content/articles/post.md", FRONT + 'image_credit: "Photo: Ana Ruiz"\n---\n\nBody.\n')
    assert problems(site) == ["content/articles/post.md:8:15: image_credit: credits a lead image, but there is no "
                              "`image`: add the image, or remove the credit [image-credit-without-image]"]
