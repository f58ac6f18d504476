"""Share cards: one 1200×630 PNG per story, drawn with Pillow from a ``CardSpec``, same bytes
every time (no metadata, fixed compression), with a cache key of everything it is drawn from.

``render_card`` is pure: fonts and logo arrive as bytes (``assets`` reads them from the theme),
and problems come back as Diagnostics, never as exceptions.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from ..errors import Diagnostic, error, warning
from ..pictures.opening import PictureRefused, open_picture
from .layout import TextBlock, fit_text, font_at, line_box, missing_glyphs
from .png import palette_png
from .settings import CardStyle

if TYPE_CHECKING:
    from PIL import ImageDraw
    from PIL._imaging import ImagingCore
    from PIL.Image import Image as PILImage
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1200, 630
"""The size link previews use (Open Graph's 1.91:1)."""
CARD_VERSION = "4"
"""Part of every cache key: raise it whenever a change here draws cards differently."""
MAX_LOGO_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class FontFile:
    """A font's bytes and the file they came from (for messages)."""

    name: str
    """Path relative to the project root, or the installed theme's ``themes/default/...``."""
    data: bytes = field(repr=False)

    @cached_property
    def sha256(self) -> bytes:
        """Digest of ``data``, made once: every card's key includes it."""
        return hashlib.sha256(self.data).digest()


@dataclass(frozen=True)
class LogoFile:
    """A raster logo's bytes and the file they came from."""

    name: str
    data: bytes = field(repr=False)

    @cached_property
    def sha256(self) -> bytes:
        """Digest of ``data``, made once: every card's key includes it."""
        return hashlib.sha256(self.data).digest()


@dataclass(frozen=True)
class CardSpec:
    """Everything a share card is drawn from."""

    title: str
    """The story's ``share_title``, else its title."""
    person: str
    """The person's name (``author``)."""
    role: str
    """Their role; may be empty."""
    value: str
    """Title of the story's first value; may be empty."""
    style: CardStyle
    bold: FontFile
    regular: FontFile
    logo: LogoFile | None = None
    """None: the company name is drawn in its place (unless ``brand_name`` is empty too)."""
    brand_name: str = ""
    """The company's name, drawn where the logo would be when there is none."""
    lang: str = "en"
    """The story's language: which hyphenation dictionary breaks long words."""
    source: str = ""
    """The story file problems point at (not drawn, not part of the cache key)."""
    title_line: int = 0
    """Line of the title (or ``share_title``) in ``source``."""


@dataclass(frozen=True)
class Placed:
    """A block of text on the card: its lines, font and top-left corner."""

    role: str
    """``title``, ``person``, ``role``, ``value`` or ``brand``."""
    block: TextBlock
    x: int
    y: int
    bold: bool


@dataclass(frozen=True)
class CardLayout:
    """Where everything goes; ``render_card`` draws exactly this."""

    texts: tuple[Placed, ...]
    logo_box: tuple[int, int, int, int] | None
    """(left, top, right, bottom) of the logo, or None."""


@dataclass(frozen=True)
class CardResult:
    """The PNG (None when the card cannot be drawn) and the problems found drawing it."""

    png: bytes | None
    problems: tuple[Diagnostic, ...] = ()
    layout: CardLayout | None = None


def card_key(spec: CardSpec) -> str:
    """A digest of everything the card is drawn from: equal keys, equal PNG bytes.

    Covers the texts, the style, the font and logo bytes, CARD_VERSION and the versions of
    Pillow and FreeType (which place the glyphs); not ``source`` or ``title_line``.
    """
    # Only the texts here: the style and the files are described once per build (cached).
    described = {
        f.name: getattr(spec, f.name)
        for f in fields(spec)
        if f.name not in ("style", "bold", "regular", "logo", "source", "title_line")
    }
    digest = hashlib.sha256(_fixed_part(spec.style, spec.bold, spec.regular, spec.logo))
    digest.update(json.dumps(described, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _fixed_part(
    style: CardStyle, bold: FontFile, regular: FontFile, logo: LogoFile | None
) -> bytes:
    """What every card of a site shares in its key: versions, style, font and logo digests."""
    from PIL import __version__ as pillow_version
    from PIL import features

    part = f"brandsite-card {CARD_VERSION} pillow {pillow_version} ".encode()
    part += f"freetype {features.version('freetype2')} zlib {zlib.ZLIB_RUNTIME_VERSION}\0".encode()
    part += json.dumps(asdict(style), sort_keys=True).encode() + b"\0"
    for file in (bold, regular, logo):
        if file is None:
            part += b"\0%d\0" % 0 + hashlib.sha256(b"").digest()
        else:
            part += b"\0%d\0" % len(file.data) + file.sha256
    return part


def render_card(spec: CardSpec) -> CardResult:
    """Draw the card; a missing font makes no card, a bad logo a card without it."""
    problems = [p for p in (_font_problem(spec.bold), _font_problem(spec.regular)) if p]
    if problems:
        return CardResult(None, tuple(problems))
    logo, logo_problem = open_logo(spec.logo)
    if logo_problem:
        problems.append(logo_problem)
    layout = plan_card(spec, logo.size if logo else None)
    problems += _fit_warnings(spec, layout)
    problems += _glyph_warnings(spec, layout)
    png = _draw(spec, layout, logo)
    return CardResult(png, tuple(problems), layout)


def check_card(spec: CardSpec) -> list[Diagnostic]:
    """The problems ``render_card`` would report, without drawing (``brandsite check``)."""
    problems = [p for p in (_font_problem(spec.bold), _font_problem(spec.regular)) if p]
    if problems:
        return problems
    logo, logo_problem = open_logo(spec.logo)
    layout = plan_card(spec, logo.size if logo else None)
    return (
        ([logo_problem] if logo_problem else [])
        + _fit_warnings(spec, layout)
        + (_glyph_warnings(spec, layout))
    )


def plan_card(spec: CardSpec, logo_size: tuple[int, int] | None) -> CardLayout:
    """Place the logo (or company name), the value label, the title, the name and the role."""
    style = spec.style
    pad = style.padding
    left, right = style.accent_bar + pad, WIDTH - pad
    top, bottom = pad, HEIGHT - pad
    width = right - left
    gap = max(16, pad // 2)
    texts: list[Placed] = []
    logo_box = None
    mark_width = 0
    if style.logo_height and (logo_size or spec.brand_name):
        if logo_size:
            # At least a pixel each way: a logo of an absurd shape is drawn tiny, never crashes.
            mark_width = max(
                1, min(width // 2, round(logo_size[0] * style.logo_height / logo_size[1]))
            )
            mark_height = max(
                1, min(style.logo_height, round(mark_width * logo_size[1] / logo_size[0]))
            )
        else:
            brand = fit_text(
                spec.brand_name,
                spec.bold.data,
                width // 2,
                style.logo_height,
                (max(12, style.logo_height * 5 // 8), 12),
                spec.lang,
                style.line_height,
            )
            mark_width, mark_height = brand.width, brand.height
        x = left if style.logo_position == "top-left" else right - mark_width
        y = top if style.logo_position.startswith("top") else bottom - mark_height
        if logo_size:
            logo_box = (x, y, x + mark_width, y + mark_height)
        else:
            texts.append(Placed("brand", brand, x, y, bold=True))
        if style.logo_position.startswith("top"):
            top += style.logo_height + gap
    footer_width = width - (mark_width + gap if style.logo_position == "bottom-right" else 0)
    footer: list[Placed] = []
    y = bottom
    for role, text, size, bold in (
        ("role", spec.role, style.role_size, False),
        ("person", spec.person, style.name_size, True),
    ):
        if not text.strip():
            continue
        block = _fit(spec, text, footer_width, 2, size, bold)
        y -= block.height
        footer.insert(0, Placed(role, block, left, y, bold))
        y -= gap // 4
    footer_top = y if footer else bottom
    if spec.value.strip():
        block = _fit(spec, spec.value, width, 1, style.label_size, bold=False)
        texts.append(Placed("value", block, left, top, bold=False))
        top += block.height + gap // 2
    title_height = max(1, footer_top - gap - top)
    title = fit_text(
        spec.title,
        spec.bold.data,
        width,
        title_height,
        (style.title_max_size, style.title_min_size),
        spec.lang,
        style.line_height,
    )
    texts.append(Placed("title", title, left, top, bold=True))
    return CardLayout(tuple(texts + footer), logo_box)


def _fit(spec: CardSpec, text: str, width: int, lines: int, size: int, bold: bool) -> TextBlock:
    """A short text (name, role, label) in at most ``lines`` lines, down to ¾ of its size."""
    data = (spec.bold if bold else spec.regular).data
    _, height = line_box(font_at(data, size), lines, spec.style.line_height)
    smallest = max(12, size * 3 // 4)
    return fit_text(text, data, width, height, (size, smallest), spec.lang, spec.style.line_height)


def _fit_warnings(spec: CardSpec, layout: CardLayout) -> list[Diagnostic]:
    problems = []
    for placed in layout.texts:
        if placed.block.fits:
            continue
        if placed.role == "title":
            size = placed.block.size
            problems.append(
                warning(
                    spec.source,
                    spec.title_line,
                    "share-title-too-long",
                    f"the title is too long for the share image even at its smallest size "
                    f"({spec.style.title_min_size} px): it is drawn at {size} px"
                    + (" and cut short" if placed.block.cut else ""),
                    "add a shorter `share_title: …` to the front matter for the share image",
                )
            )
        else:
            field_name = {"person": "author", "brand": "company"}.get(placed.role, placed.role)
            problems.append(
                warning(
                    spec.source,
                    0,
                    "share-text-too-long",
                    f"the {field_name} is too long for the share image and is drawn smaller"
                    + (" and cut short" if placed.block.cut else ""),
                    f"shorten the {field_name}",
                )
            )
    return problems


def _glyph_warnings(spec: CardSpec, layout: CardLayout) -> list[Diagnostic]:
    """Characters the card's fonts cannot draw (Chinese in a Latin font, emoji): shown as boxes."""
    missing: dict[str, None] = {}
    fonts: dict[str, FontFile] = {}
    for placed in layout.texts:
        font = spec.bold if placed.bold else spec.regular
        for char in missing_glyphs(font.data, "".join(placed.block.lines)):
            missing[char] = None
            fonts[font.name] = font
    if not missing:
        return []
    shown = " ".join(missing)
    return [
        warning(
            spec.source,
            spec.title_line,
            "card-missing-glyphs",
            f"the share card's font {', '.join(sorted(fonts))} has no letters for {shown}: "
            "they would show as empty boxes",
            "set a shorter `share_title:` without them, or set [share_card] font_bold and "
            "font_regular in the theme to fonts that have them (e.g. Noto Sans CJK)",
        )
    ]


def _draw(spec: CardSpec, layout: CardLayout, logo: PILImage | None) -> bytes:
    """The card as a palette PNG: a third of the bytes to compress of an RGB one, same look.

    Every pixel is the background blended towards one of two inks (text or accent), or a logo
    colour, so one palette holds them all: RAMP steps from the background to each ink, then the
    logo's colours. Text is drawn with the index of its ink's last step as its colour, so
    Pillow's blending of a glyph's edge with the background lands on the steps in between.

    The picture is one column wider than the card: column 0 is every row's PNG filter byte (0),
    so a band of rows is PNG scanlines as it is. Only the rows something is drawn on are taken
    out (``inked``); the others are the background, which ``palette_png`` packs once per build.
    """
    from PIL import Image, ImageDraw

    style = spec.style
    card = Image.new("L", (1 + WIDTH, HEIGHT), 0)
    if style.accent_bar:  # first, so text that overhangs it stays on top
        card.paste(2 * RAMP - 1, (1, 0, 1 + style.accent_bar, HEIGHT))
    draw = ImageDraw.Draw(card)
    inked: list[tuple[int, int]] = []
    for placed in layout.texts:
        font = font_at((spec.bold if placed.bold else spec.regular).data, placed.block.size)
        if placed.role != "value":
            inked += _draw_lines(draw, placed, font, (-1, 0))
            continue
        # The accent ink's steps follow the text ink's: drawn apart, then shifted into place.
        box = _text_box(placed)
        label = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        _draw_lines(ImageDraw.Draw(label), placed, font, box[:2])
        card.paste(label.point(_ACCENT_LUT), (1 + box[0], box[1]), label.point(_INKED_LUT))
        inked.append((box[1], box[3]))
    palette = list(_ramp_palette(style.background_color, style.text_color, style.accent_color))
    if logo is not None and spec.logo is not None and layout.logo_box is not None:
        x0, y0, x1, y1 = layout.logo_box
        size = (x1 - x0, y1 - y0)
        indices, colours, mask = _logo_indices(spec.logo, size, style.background_color)
        card.paste(indices, (1 + x0, y0), mask)
        palette += colours
        inked.append((y0, y1))
    card.paste(0, (0, 0, 1, HEIGHT))  # ink that overhangs the left edge is cut off there
    bands = [
        (top, card.crop((0, top, 1 + WIDTH, bottom)).tobytes())
        for top, bottom in _merged(inked, HEIGHT)
    ]
    blank = b"\0" + bytes([2 * RAMP - 1]) * style.accent_bar + bytes(WIDTH - style.accent_bar)
    # No metadata chunks: the PNG is the pixels and the palette, nothing else.
    return palette_png(WIDTH, HEIGHT, bytes(palette), blank, bands)


def _merged(spans: list[tuple[int, int]], height: int) -> list[tuple[int, int]]:
    """Row ranges (top, bottom) cut to the card, sorted, overlapping and touching ones joined."""
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted((max(0, t), min(height, b)) for t, b in spans):
        if top >= bottom:
            continue
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


RAMP = 64
"""Steps from the background to each ink (text, accent); 256 - 2 * RAMP are left for the logo.
64 steps put every text pixel within 2 of 255 of an RGB drawing. A logo keeps up to 128 colours
(median cut): a flat logo's smoothed edges may come out a few steps off, a photograph more."""
LOGO_COLOURS = 256 - 2 * RAMP
_ACCENT_LUT = [0] + [RAMP + step for step in range(1, 256)]
"""A label drawn in steps 0 to RAMP - 1, moved to the accent ink's steps."""
_INKED_LUT = [0] + [255] * 255
"""To a paste mask: wherever there is any ink."""


def _draw_lines(
    draw: ImageDraw.ImageDraw, placed: Placed, font: FreeTypeFont, origin: tuple[int, int]
) -> list[tuple[int, int]]:
    """Each line as ``draw.text(..., anchor="la")`` draws it, from a rendering kept per line;
    returns the rows each line's ink covers (in the card's rows, not ``origin``'s)."""
    rows = []
    for number, line in enumerate(placed.block.lines):
        y = placed.y + number * placed.block.line_advance
        mask, (dx, dy) = (_render_line if placed.role == "title" else _line_mask)(font, line)
        draw.draw.draw_bitmap((placed.x - origin[0] + dx, y - origin[1] + dy), mask, RAMP - 1)
        rows.append((y + dy, y + dy + mask.size[1]))
    return rows


def _render_line(font: FreeTypeFont, line: str) -> tuple[ImagingCore, tuple[int, int]]:
    """A line's glyphs as ``ImageDraw.text`` renders them at a whole-pixel position."""
    return font.getmask2(line, "L", anchor="la", ink=RAMP - 1, start=(0.0, 0.0))


@lru_cache(maxsize=512)
def _line_mask(font: FreeTypeFont, line: str) -> tuple[ImagingCore, tuple[int, int]]:
    """``_render_line``, kept for the texts that recur card after card: a site's value labels,
    roles and brand, and the names of people with several stories (a few MB at most). Titles
    are not kept: each story has its own."""
    return _render_line(font, line)


def _text_box(placed: Placed) -> tuple[int, int, int, int]:
    """The block's box with a margin of one font size (overhanging ink), inside the card."""
    margin = placed.block.size
    return (
        max(0, placed.x - margin),
        max(0, placed.y - margin),
        min(WIDTH, placed.x + placed.block.width + margin),
        min(HEIGHT, placed.y + placed.block.height + margin),
    )


@lru_cache(maxsize=16)
def _ramp_palette(background: str, text: str, accent: str) -> tuple[int, ...]:
    """RGB triplets: RAMP steps from the background to the text colour, then to the accent."""
    base = _rgb(background)
    palette = []
    for ink in (_rgb(text), _rgb(accent)):
        for step in range(RAMP):
            palette += [
                round(b + (i - b) * step / (RAMP - 1)) for b, i in zip(base, ink, strict=True)
            ]
    return tuple(palette)


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@lru_cache(maxsize=4)
def _logo_indices(
    logo_file: LogoFile, size: tuple[int, int], background: str
) -> tuple[PILImage, tuple[int, ...], PILImage]:
    """The logo scaled to ``size``, laid on the background and reduced to LOGO_COLOURS colours:
    its palette indices (after the ramps), those colours, and where it has any ink. Made once
    per logo file, size and background: the same on every card of a build."""
    from PIL import Image

    logo, _ = open_logo(logo_file)
    assert logo is not None  # only called for a logo that opened
    scaled = logo.resize(size, Image.Resampling.LANCZOS)
    laid = Image.new("RGB", size, background)
    laid.paste(scaled, (0, 0), scaled)
    reduced = laid.quantize(LOGO_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    colours = (reduced.getpalette() or [])[: 3 * LOGO_COLOURS]
    colours += [0] * (3 * LOGO_COLOURS - len(colours))
    shifted = [2 * RAMP + i for i in range(LOGO_COLOURS)] + [0] * (256 - LOGO_COLOURS)
    indices = Image.frombytes("L", size, reduced.tobytes()).point(shifted)
    mask = scaled.getchannel("A").point(_INKED_LUT)
    return indices, tuple(colours), mask


def _font_problem(font: FontFile) -> Diagnostic | None:
    try:
        font_at(font.data, 12)
    except OSError:
        return error(
            font.name,
            0,
            "bad-card-font",
            f"the share card font {font.name} cannot be read: it is not a TrueType or "
            "OpenType font",
            "name a .ttf or .otf file in [share_card] font_bold / font_regular of the theme",
        )
    return None


@lru_cache(maxsize=4)
def open_logo(logo: LogoFile | None) -> tuple[PILImage | None, Diagnostic | None]:
    """The logo decoded as RGBA, or None and the problem (the card is drawn without it).

    Decoded once per logo: every card of a site has the same one (the image is never changed).
    """
    if logo is None:
        return None, None
    if len(logo.data) > MAX_LOGO_BYTES:
        reason = f"it is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MB"
        return None, _logo_problem(logo, reason, "export it smaller (a logo needs a few KB)")
    try:
        with open_picture(logo.data) as picture:
            picture.seek(0)
            return picture.convert("RGBA"), None
    except PictureRefused as refused:
        return None, _logo_problem(logo, refused.reason, refused.hint)
    except (OSError, ValueError, SyntaxError):  # Pillow's words for a damaged file
        return None, _logo_problem(logo, "it is damaged", "export it again as PNG")


def _logo_problem(logo: LogoFile, reason: str, hint: str) -> Diagnostic:
    return error(
        logo.name,
        0,
        "bad-card-logo",
        f"the share card logo {logo.name} cannot be used: {reason}",
        hint,
    )
