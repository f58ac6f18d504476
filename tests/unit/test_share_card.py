"""Share cards: pixels as checked in, same bytes twice, text fitted and never cut off, bad input.

Regenerate the expected pictures after an intended change of the drawing with
``pytest tests/unit/test_share_card.py --update-golden`` and look at them before committing.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from conftest import REPO, write_site
from generator.content.config import load_config
from generator.share.assets import load_card_theme
from generator.share.card import (
    HEIGHT,
    WIDTH,
    CardLayout,
    CardSpec,
    FontFile,
    LogoFile,
    card_key,
    render_card,
)
from generator.share.layout import advances_at, font_at, text_width
from generator.share.settings import CardStyle
from generator.theme.themes import resolve_theme

FIXTURES = REPO / "tests" / "fixtures" / "share"
FONTS = REPO / "themes" / "default" / "fonts"
BOLD = FontFile("themes/default/fonts/Inter-Bold.otf", (FONTS / "Inter-Bold.otf").read_bytes())
REGULAR = FontFile(
    "themes/default/fonts/Inter-Regular.otf", (FONTS / "Inter-Regular.otf").read_bytes()
)
STYLE = CardStyle(background_color="#0a5c78", text_color="#fafbfc", accent_color="#f2a900")
GERMAN = "Datenschutzbeauftragtenausbildungsverordnungsänderung im Qualitätsmanagement"


def logo_png() -> bytes:
    """A small two-colour logo with transparency, drawn the same way every time."""
    logo = Image.new("RGBA", (240, 80), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((0, 0, 79, 79), fill=(242, 169, 0, 255))
    draw.rectangle((96, 20, 239, 59), fill=(250, 251, 252, 255))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    return buffer.getvalue()


def spec(title: str = "My first night shift offshore", **changes: object) -> CardSpec:
    base = CardSpec(
        title=title,
        person="Anna Schmidt",
        role="Offshore Service Technician",
        value="Sustainability",
        style=STYLE,
        bold=BOLD,
        regular=REGULAR,
        brand_name="Wavelight Energy",
        lang="en",
        source="content/stories/anna.md",
        title_line=2,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


GOLDEN = {
    "wordmark-en": spec(),
    "logo-de-compound": spec(
        GERMAN,
        person="Jonas Becker",
        role="Auszubildender Elektroniker für Betriebstechnik",
        value="Nachhaltigkeit",
        lang="de",
        logo=LogoFile("themes/acme/static/logo.png", logo_png()),
        style=dataclasses.replace(STYLE, logo_position="top-right"),
    ),
    "bottom-logo-no-role": spec(
        "Rotterdam, the service desk and one very long winter",
        role="",
        value="",
        logo=LogoFile("themes/acme/static/logo.png", logo_png()),
        style=dataclasses.replace(
            STYLE, logo_position="bottom-right", background_color="#ffffff", text_color="#1b2a36"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_cards_match_the_checked_in_pictures_pixel_for_pixel(
    name: str, request: pytest.FixtureRequest
) -> None:
    result = render_card(GOLDEN[name])
    assert result.png is not None and result.problems == ()
    expected = FIXTURES / f"{name}.png"
    if request.config.getoption("--update-golden"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(result.png)
    drawn = Image.open(io.BytesIO(result.png))
    wanted = Image.open(expected)
    assert (drawn.size, drawn.mode) == ((WIDTH, HEIGHT), "P") == (wanted.size, wanted.mode)
    difference = ImageChops.difference(drawn.convert("RGB"), wanted.convert("RGB"))
    assert difference.getbbox() is None, f"{name} differs"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_two_renders_are_the_same_bytes_without_metadata(name: str) -> None:
    first, second = render_card(GOLDEN[name]).png, render_card(GOLDEN[name]).png
    assert first is not None and first == second
    assert chunk_types(first) == ["IHDR", "PLTE", "IDAT", "IEND"]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_the_palette_card_looks_like_the_same_layout_drawn_in_full_colour(name: str) -> None:
    """The palette (64 steps per ink, 128 logo colours) moves no channel of any pixel by more
    than 2 of 255 from Pillow drawing the same layout straight onto an RGB picture."""
    card = GOLDEN[name]
    result = render_card(card)
    assert result.png is not None and result.layout is not None
    reference = Image.new("RGB", (WIDTH, HEIGHT), card.style.background_color)
    draw = ImageDraw.Draw(reference)
    draw.rectangle((0, 0, card.style.accent_bar - 1, HEIGHT - 1), fill=card.style.accent_color)
    for placed in result.layout.texts:
        font = font_at((card.bold if placed.bold else card.regular).data, placed.block.size)
        ink = card.style.accent_color if placed.role == "value" else card.style.text_color
        for number, line in enumerate(placed.block.lines):
            y = placed.y + number * placed.block.line_advance
            draw.text((placed.x, y), line, font=font, fill=ink, anchor="la")
    if card.logo is not None and result.layout.logo_box is not None:
        x0, y0, x1, y1 = result.layout.logo_box
        logo = Image.open(io.BytesIO(card.logo.data)).convert("RGBA")
        scaled = logo.resize((x1 - x0, y1 - y0), Image.Resampling.LANCZOS)
        reference.paste(scaled, (x0, y0), scaled)
    drawn = Image.open(io.BytesIO(result.png)).convert("RGB")
    extremes = ImageChops.difference(drawn, reference).getextrema()
    assert max(high for _, high in extremes) <= 2, extremes


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="AVTWYafkoryäöüßÄÖÜ .,:;-–!?'’\"()&/017…é\u00a0", max_size=40),
    size=st.sampled_from([14, 26, 44, 57, 76]),
    bold=st.booleans(),
)
def test_line_lengths_from_cached_advances_are_freetypes_own(
    text: str, size: int, bold: bool
) -> None:
    data = (BOLD if bold else REGULAR).data
    assert advances_at(data, size).length(text) == font_at(data, size).getlength(text)


def chunk_types(png: bytes) -> list[str]:
    """The PNG's chunk types in order (IDAT once, however many there are)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8].decode("ascii")
        if not found or found[-1] != kind:
            found.append(kind)
        offset += 12 + length
    return found


def ink_boxes(card: CardSpec, layout: CardLayout) -> dict[str, tuple[int, int, int, int]]:
    """Where each text block's ink really is: the union of its lines' glyph boxes."""
    boxes = {}
    for placed in layout.texts:
        font = font_at((card.bold if placed.bold else card.regular).data, placed.block.size)
        left, top, right, bottom = WIDTH, HEIGHT, 0, 0
        for number, line in enumerate(placed.block.lines):
            x0, y0, x1, y1 = font.getbbox(line, anchor="la")
            y = placed.y + number * placed.block.line_advance
            left, top = min(left, placed.x + x0), min(top, y + y0)
            right, bottom = max(right, placed.x + x1), max(bottom, y + y1)
        boxes[placed.role] = (left, top, right, bottom)
    return boxes


def joined(lines: tuple[str, ...], original: str) -> str:
    """The lines put back together: a hyphen the layout added at a line's end is removed."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and text[:-1].split(" ")[-1] + line.split(" ")[0] in original:
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text


LONG_TITLES = [
    (GERMAN, "de"),
    ("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen", "de"),
    ("Rechtsschutzversicherungsgesellschaften und Arbeitnehmerüberlassungsgesetz", "de"),
    (
        "How I went from apprentice to site manager in three winters on the North Sea coast "
        "and what it taught me about leadership, patience and the weather out there",
        "en",
    ),
    ("Short", "en"),
]


@pytest.mark.parametrize(("title", "lang"), LONG_TITLES)
def test_every_word_is_drawn_inside_the_card_and_nothing_overlaps(title: str, lang: str) -> None:
    card = spec(title, lang=lang, logo=LogoFile("logo.png", logo_png()))
    result = render_card(card)
    assert result.layout is not None
    placed = {p.role: p for p in result.layout.texts}
    assert joined(placed["title"].block.lines, title) == title
    boxes = ink_boxes(card, result.layout)
    pad, left = STYLE.padding, STYLE.accent_bar + STYLE.padding
    for role, (x0, y0, x1, y1) in boxes.items():
        assert left - 4 <= x0 and x1 <= WIDTH - pad, role
        assert pad - 8 <= y0 and y1 <= HEIGHT - pad + 8, role
    assert boxes["value"][3] <= boxes["title"][1]
    assert boxes["title"][3] <= boxes["person"][1] <= boxes["person"][3] <= boxes["role"][1]
    assert result.layout.logo_box is not None
    assert result.layout.logo_box[3] <= boxes["value"][1]


def test_a_german_compound_is_hyphenated_instead_of_shrunk_to_the_minimum() -> None:
    german = render_card(spec(GERMAN, lang="de")).layout
    assert german is not None
    title = next(p.block for p in german.texts if p.role == "title")
    assert title.fits and title.size > STYLE.title_min_size
    assert title.lines[0] == "Datenschutzbeauftragtenausbil-"
    font = font_at(BOLD.data, title.size)
    width = WIDTH - STYLE.padding * 2 - STYLE.accent_bar
    assert all(text_width(font, line) <= width for line in title.lines)
    assert text_width(font, "Datenschutzbeauftragtenausbildungsverordnungsänderung") > width
    # Without a dictionary (a language pyphen has none for) the word cannot break: smaller.
    plain = render_card(spec(GERMAN, lang="tlh")).layout
    assert plain is not None
    assert next(p.block for p in plain.texts if p.role == "title").size < title.size


def test_soft_hyphens_and_hyphens_are_break_points_and_soft_ones_invisible() -> None:
    title = "Rotor\u00adblatt\u00adrecycling\u00adgenehmigungs\u00adverfahren und E-Mail-Adressen"
    layout = render_card(spec(title, lang="xx")).layout
    assert layout is not None
    lines = next(p.block for p in layout.texts if p.role == "title").lines
    assert not any("\u00ad" in line for line in lines)
    assert len(lines) > 1 and lines[0].endswith("-")  # broken at a soft hyphen
    letters = "".join(lines).replace("-", "").replace(" ", "")
    assert letters == title.replace("\u00ad", "").replace(" ", "").replace("-", "")


def test_a_title_too_long_even_at_the_smallest_size_is_a_warning_and_still_all_there() -> None:
    title = " ".join(["Unsere Nachtschicht auf der Plattform vor Helgoland"] * 5)
    result = render_card(spec(title, lang="de"))
    assert result.png is not None and result.layout is not None
    [problem] = result.problems
    assert (problem.code, problem.severity.value, problem.location) == (
        "share-title-too-long",
        "warning",
        "content/stories/anna.md:2",
    )
    assert "share_title" in problem.hint
    block = next(p.block for p in result.layout.texts if p.role == "title")
    assert block.size < STYLE.title_min_size and not block.cut
    assert joined(block.lines, title) == title


def test_an_absurdly_long_title_is_cut_with_an_ellipsis_not_an_error() -> None:
    result = render_card(spec("Wort " * 2000))
    assert result.png is not None and result.layout is not None
    block = next(p.block for p in result.layout.texts if p.role == "title")
    assert block.cut and block.lines[-1].endswith("…")
    assert "cut short" in result.problems[0].message


def test_the_cache_key_covers_what_the_card_is_drawn_from_and_nothing_else() -> None:
    base = spec()
    assert card_key(base) == card_key(spec())
    assert card_key(base) == card_key(dataclasses.replace(base, source="x.md", title_line=9))
    changed = [
        dataclasses.replace(base, title="Another"),
        dataclasses.replace(base, lang="de"),
        dataclasses.replace(base, style=dataclasses.replace(STYLE, padding=60)),
        dataclasses.replace(base, bold=FontFile(BOLD.name, BOLD.data + b"\0")),
        dataclasses.replace(base, logo=LogoFile("logo.png", logo_png())),
    ]
    assert len({card_key(base), *map(card_key, changed)}) == 1 + len(changed)


def test_a_font_that_is_not_a_font_is_a_problem_naming_the_file() -> None:
    result = render_card(spec(bold=FontFile("themes/acme/fonts/Brand.otf", b"not a font")))
    assert result.png is None
    [problem] = result.problems
    assert problem.code == "bad-card-font"
    assert "themes/acme/fonts/Brand.otf" in problem.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "text file"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n", "PostScript"),
        (logo_png()[:60], "damaged"),
    ],
)
def test_an_unusable_logo_is_a_problem_naming_the_file_and_the_card_is_drawn_without_it(
    data: bytes, words: str
) -> None:
    result = render_card(spec(logo=LogoFile("themes/acme/static/logo.png", data)))
    assert result.png is not None and result.layout is not None
    assert result.layout.logo_box is None
    [problem] = result.problems
    assert problem.code in ("bad-card-logo", "bad-image")
    assert "themes/acme/static/logo.png" in problem.message and words in problem.message


THEME = """\
extends = "default"

[share_card]
{settings}
"""


def card_theme_of(tmp_path: Path, settings: str, files: dict[str, str | bytes] | None = None):  # type: ignore[no-untyped-def]
    config = 'title = "T"\ncompany = "Acme"\nbase_url = "https://x.example/"\ntheme = "acme"\n'
    root = write_site(
        tmp_path / "p",
        {
            "themes/acme/theme.toml": THEME.format(settings=textwrap.dedent(settings)),
            **(files or {}),
        },
        config,
    )
    site_config, problems = load_config(root)
    assert site_config is not None, problems
    theme, problems = resolve_theme(root, site_config)
    if theme is None:
        return None, problems
    return load_card_theme(theme, "Acme")


def test_the_default_theme_gives_every_card_setting_and_a_child_theme_changes_some(
    tmp_path: Path,
) -> None:
    card_theme, problems = card_theme_of(
        tmp_path, 'padding = 40\nlogo = "logo.png"\n', {"themes/acme/static/logo.png": logo_png()}
    )
    assert problems == []
    assert card_theme.style.padding == 40 and card_theme.style.title_min_size == 44
    assert card_theme.style.background_color == "#0b5cad"  # the default brand's primary colour
    assert card_theme.bold.name == "themes/default/fonts/Inter-Bold.otf"
    assert card_theme.logo.name == "themes/acme/static/logo.png"


@pytest.mark.parametrize(
    ("settings", "code", "line", "words"),
    [
        ('font_bold = "fonts/Missing.otf"', "missing-card-font", 4, "fonts/Missing.otf"),
        ('font_bold = "../../../etc/passwd"', "bad-card-font", 4, "inside the theme folder"),
        ('logo = "logo.svg"', "card-logo-not-raster", 4, "SVG is not supported"),
        ('logo = "nope.png"', "bad-card-logo", 4, "not a static file"),
        ('background_color = "blau"', "bad-card-setting", 4, "colour"),
        ("title_min_size = 90", "bad-card-setting", 4, "larger than"),
        ('logo_position = "middle"', "bad-card-setting", 4, "top-left"),
        ("padding = 900", "bad-card-setting", 4, "from 0 to 200"),
        ("paddin = 10", "unknown-setting", 4, "share_card.paddin"),
    ],
)
def test_bad_card_settings_are_problems_at_their_line(
    tmp_path: Path, settings: str, code: str, line: int, words: str
) -> None:
    files: dict[str, str | bytes] = {"themes/acme/static/logo.svg": "<svg/>"}
    card_theme, problems = card_theme_of(tmp_path, settings, files)
    assert card_theme is None
    [problem] = problems
    assert (problem.code, problem.location) == (code, f"themes/acme/theme.toml:{line}")
    assert words in problem.message + problem.hint


def test_letters_the_font_cannot_draw_are_a_warning() -> None:
    result = render_card(spec("Nachtschicht 夜勤 🌊", person="Ana Müller"))
    assert result.png is not None
    [problem] = result.problems
    assert problem.code == "card-missing-glyphs" and problem.location == "content/stories/anna.md:2"
    assert "夜 勤 🌊" in problem.message and "Inter-Bold.otf" in problem.message
    assert render_card(spec("Grüße, “Zitat” – 1 € ½ Æ ŋ ß")).problems == ()


def test_a_logo_of_an_absurd_shape_is_drawn_tiny_instead_of_failing() -> None:
    for shape in ((1, 2000), (4000, 1)):
        buffer = io.BytesIO()
        Image.new("RGB", shape, "red").save(buffer, "PNG")
        result = render_card(spec(logo=LogoFile("logo.png", buffer.getvalue())))
        assert result.png is not None and result.layout is not None
        assert result.layout.logo_box is not None
        x0, y0, x1, y1 = result.layout.logo_box
        assert x1 - x0 >= 1 and y1 - y0 >= 1
