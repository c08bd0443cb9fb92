"""Lead images and figures in a built site: the variants written, the markup readers get,
the social tags and feeds, and the build cache's variants reused only when signed."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from generator.site import media
from sitekit import logged, make_site, article

pytestmark = pytest.mark.slow


def picture_bytes(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("illustrated"), articles={
        "with-image": article("With an image", "2026-10-01", image="../images/desk.jpg",
                              image_alt="A desk by a window.", image_credit="Photo: Ana Ruiz",
                              body="Intro.\n\n![A chart of pay](../images/chart.png)\n"
                                   "*Pay by age.* Source: GOV.UK\n\nAfter.\n"),
        "without-image": article("Without an image", "2026-10-02", benefits=["networking"]),
    })
    site.apply({"content/images/desk.jpg": picture_bytes((1400, 700)),
                })
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (250, 250, 250)).save(buffer, "PNG")
    site.apply({"content/images/chart.png": buffer.getvalue()})
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def _variants_exist(site, element) -> None:
    for candidate in element["srcset"].split(", "):
        url, width = candidate.split(" ")
        assert width.endswith("w")
        path = (site.root / "site/articles/with-image" / url).resolve()
        with Image.open(path) as image:
            assert image.width == int(width[:-1])


def test_the_lead_image_is_a_picture_with_srcset_sizes_width_and_height(illustrated):
    page = illustrated.page("articles/with-image/")
    figure = page.select_one("header.ifg-article-header figure.ifg-lead")
    image = figure.select_one("picture > img")
    assert (image["width"], image["height"], image["alt"]) == ("1400", "700", "A desk by a window.")
    assert image["sizes"] == media.SIZES and image["fetchpriority"] == "high" and not image.has_attr("loading")
    assert [w.split(" ")[1] for w in image["srcset"].split(", ")] == ["480w", "800w", "1200w", "1400w"]
    _variants_exist(illustrated, image)
    for source in figure.select("picture > source"):
        assert source["sizes"] == media.SIZES and source["type"] in ("image/avif", "image/webp")
        _variants_exist(illustrated, source)
    assert figure.figcaption.get_text(strip=True) == "Photo: Ana Ruiz"
    assert "ifg-band" not in page.select_one("header.ifg-article-header")["class"]


def test_an_article_without_image_has_its_first_benefits_band(illustrated):
    header = illustrated.page("articles/without-image/").select_one("header.ifg-article-header")
    assert header["class"] == ["ifg-article-header", "ifg-band", "ifg-band--1"]  # networking: 2nd in benefits.yml
    cards = illustrated.page("articles/").select("li.ifg-article-card")
    assert {tuple(card["class"]) for card in cards} == {("ifg-article-card", "ifg-band", "ifg-band--1"),
                                                        ("ifg-article-card", "ifg-band", "ifg-band--7")}


def test_a_body_image_with_a_caption_line_is_a_figure(illustrated):
    body = illustrated.page("articles/with-image/").select_one(".ifg-article-body")
    (figure,) = body.select("figure.ifg-figure")
    image = figure.select_one("picture > img")
    assert (image["width"], image["height"], image["alt"], image["loading"]) == ("900", "600", "A chart of pay", "lazy")
    assert image["sizes"] == media.SIZES
    _variants_exist(illustrated, image)
    assert figure.figcaption.em.get_text() == "Pay by age."
    assert figure.figcaption.select_one(".ifg-credit").get_text() == "Source: GOV.UK"
    assert [p.get_text() for p in body.select("p")] == ["Intro.", "After."]


def test_og_image_is_the_lead_image_and_the_card_otherwise(illustrated):
    def og(url):
        page = illustrated.page(url)
        return {m["property"]: m["content"] for m in page.select('meta[property^="og:image"]')}

    lead = og("articles/with-image/")
    assert lead["og:image"].startswith("https://example.org/guide/assets/media/") and lead["og:image"].endswith(
        "-1200.jpg")
    assert (lead["og:image:width"], lead["og:image:height"]) == ("1200", "600")
    assert (illustrated.root / "site" / lead["og:image"].removeprefix("https://example.org/guide/")).is_file()
    card = og("articles/without-image/")
    assert card["og:image"] == "https://example.org/guide/assets/social/without-image.jpg"


def test_the_feeds_name_the_lead_image_and_keep_plain_body_images(illustrated):
    feed = json.loads((illustrated.root / "site/feed.json").read_text())
    items = {item["url"].rsplit("/", 2)[-2]: item for item in feed["items"]}
    assert items["with-image"]["image"].endswith("-1200.jpg")
    assert "image" not in items["without-image"]
    assert "<picture" not in items["with-image"]["content_html"]
    assert 'src="https://example.org/guide/images/chart.png"' in items["with-image"]["content_html"]


def test_variants_are_kept_in_the_cache_and_a_tampered_one_is_drawn_again(illustrated):
    cache = illustrated.root / ".cache/media"
    signatures = json.loads((cache / "media.json").read_text())["cards"]
    variant = sorted(name for name in signatures if name.endswith("-480.jpg"))[0]
    (cache / variant).write_bytes(b"not the variant")
    result = illustrated.build()
    assert result.returncode == 0, result.stderr
    assert any("image variant" in line and "drawn again" in line for line in logged(result.stderr, "INFO"))
    with Image.open(illustrated.root / "site/assets/media" / variant) as image:
        assert image.width == 480


def test_a_bad_lead_image_stops_the_build_with_the_field_named(tmp_path):
    site = make_site(tmp_path, articles={"post": article("Post", "2026-10-01", image="../../etc/passwd",
                                                         image_alt="Nothing.")})
    result = site.build()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = logged(result.stderr)
    assert errors[0].startswith("content/articles/post.md:") and "image: '../../etc/passwd' is outside content/" in \
        errors[0] and errors[0].endswith("[bad-lead-image]")
    assert not (site.root / "site").exists()


def test_the_results_page_is_noindex_and_not_in_the_sitemap(illustrated):
    page = illustrated.page("search/")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one("form.ifg-search-page__form")["action"] == "./"
    assert illustrated.page("articles/with-image/").select_one('meta[name="robots"]') is None
    sitemap = (illustrated.root / "site/sitemap-pages.xml").read_text()
    assert "https://example.org/guide/search/<" not in sitemap
    assert "https://example.org/guide/articles/with-image/<" in sitemap
