"""Social preview cards: size, caching by content, reproducible bytes, text inside the frame."""

from PIL import Image, ImageChops

from generator.site import social
from generator.site.social import CARD_SIZE, social_card

SUBTITLE = "Careers Desk · 6 min read"
SITE_NAME = "Internship Field Guide"
MARGIN = 40  # platforms crop and round the corners of previews
JPEG_NOISE = 4  # how far JPEG compression may shift a pixel of flat background


def card(cache_dir, title: str = "Getting started", **fields):
    return social_card(**{"title": title, "subtitle": SUBTITLE, "site_name": SITE_NAME, "cache_dir": cache_dir,
                          **fields})


def count_draws(monkeypatch) -> list[str]:
    """Record the title of every card actually drawn."""
    drawn: list[str] = []
    draw = social._draw_card

    def counting(title: str, subtitle: str, site_name: str) -> Image.Image:
        drawn.append(title)
        return draw(title, subtitle, site_name)

    monkeypatch.setattr(social, "_draw_card", counting)
    return drawn


def test_card_is_a_jpeg_of_the_open_graph_size_in_the_cache_dir(tmp_path):
    path = card(tmp_path / "cards")
    assert path.parent == tmp_path / "cards" and path.suffix == ".jpg"
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.size == CARD_SIZE == (1200, 630)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_unchanged_inputs_reuse_the_cached_card_without_drawing(tmp_path, monkeypatch):
    first = card(tmp_path)
    written = first.stat().st_mtime_ns
    drawn = count_draws(monkeypatch)
    assert card(tmp_path) == first
    assert drawn == [] and first.stat().st_mtime_ns == written


def test_any_changed_input_gives_another_card(tmp_path, monkeypatch):
    drawn = count_draws(monkeypatch)
    paths = {
        card(tmp_path),
        card(tmp_path, title="Interviews"),
        card(tmp_path, subtitle="Policy Desk · 6 min read"),
        card(tmp_path, site_name="Another Guide"),
    }
    assert len(paths) == 4 and len(drawn) == 4


def test_a_new_design_version_redraws(tmp_path, monkeypatch):
    old = card(tmp_path)
    monkeypatch.setattr(social, "DESIGN_VERSION", social.DESIGN_VERSION + "-next")
    assert card(tmp_path) != old


def test_same_inputs_give_identical_bytes_in_fresh_caches(tmp_path):
    first = card(tmp_path / "one", title="Pay & the law")
    second = card(tmp_path / "two", title="Pay & the law")
    assert first.name == second.name
    assert first.read_bytes() == second.read_bytes()


def test_text_is_drawn_and_stays_clear_of_the_edges(tmp_path):
    background = Image.new("RGB", CARD_SIZE, social.BACKGROUND)
    for title in ("Short", "A very long title that keeps going " * 9, "x" * 300, "word " * 60):
        with Image.open(card(tmp_path, title=title[:300])) as image:
            # How far each pixel is from the background, brightest channel (JPEG blurs by a few levels).
            ink = ImageChops.difference(image.convert("RGB"), background).convert("L")
            width, height = image.size
            inner = ink.crop((MARGIN, MARGIN, width - MARGIN, height - MARGIN))
            assert inner.getextrema()[1] > 128, "something is drawn"
            frame = ink.copy()
            frame.paste(0, (MARGIN, MARGIN, width - MARGIN, height - MARGIN))
            assert frame.getextrema()[1] <= JPEG_NOISE, f"ink within {MARGIN} px of an edge for {title[:20]!r}"


def test_long_title_is_shrunk_then_ellipsized_to_four_lines():
    box = 320
    font, lines = social._fit_title("Pay and the law for interns " * 11, box)
    assert font.size == min(social.TITLE_SIZES)
    assert len(lines) == social.MAX_TITLE_LINES and lines[-1].endswith(social.ELLIPSIS)
    assert all(font.getlength(line) <= social.TEXT_WIDTH for line in lines)
    font, lines = social._fit_title("Getting started", box)
    assert font.size == max(social.TITLE_SIZES) and lines == ["Getting started"]


def test_non_ascii_text_renders_with_what_the_font_has(tmp_path):
    path = card(tmp_path, title="Café résumé — naïve 日本語", subtitle="Équipe · 2–3 min")
    with Image.open(path) as image:
        assert image.size == CARD_SIZE
    assert social._drawable("Café résumé — naïve 日本語") == "Cafe resume - naive "
    assert social._drawable("“Quotes” · …") == "“Quotes” · …"  # the font has these
