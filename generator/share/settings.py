"""The theme's ``[share_card]`` settings: how share cards look, merged child theme over parent.

Every key is optional in a ``theme.toml``; the default theme sets them all, and a child theme
changes only what it names. Colours left empty come from the brand (``[brand]``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

from ..content.config import BrandConfig
from ..errors import Diagnostic, error, warning
from ..theme.colours import contrast_ratio

LOGO_POSITIONS = ("top-left", "top-right", "bottom-right")
NO_LOGO = "none"
"""``logo = "none"``: no logo and no company name on the card."""


@dataclass(frozen=True)
class ShareCardSettings:
    """``[share_card]`` in a theme's ``theme.toml``: the layout of the 1200×630 share images."""

    background_color: str | None = None
    """Card background; empty: the brand's ``primary_color``."""
    text_color: str | None = None
    """Title, name and role; empty: the brand's ``background_color``."""
    accent_color: str | None = None
    """The band along the left edge and the value label; empty: the brand's ``accent_color``."""
    font_bold: str | None = None
    """Font file for the title, the name and the company name, relative to the theme folder."""
    font_regular: str | None = None
    """Font file for the role and the value label, relative to the theme folder."""
    logo: str | None = None
    """A PNG, JPEG, WebP or GIF among the theme's static files; empty: the brand's ``logo`` when
    it is one of those (an SVG logo is not drawn: the company name is); ``"none"``: neither."""
    logo_position: str | None = None
    """``top-left``, ``top-right`` or ``bottom-right``."""
    logo_height: int | None = None
    """Height of the logo in pixels."""
    padding: int | None = None
    """Space between the card's edges and its content, in pixels."""
    accent_bar: int | None = None
    """Width of the accent band along the left edge in pixels; 0: no band."""
    title_max_size: int | None = None
    """Largest title size in pixels: short titles are drawn at it."""
    title_min_size: int | None = None
    """Smallest title size; a title that does not fit even at it is a warning."""
    name_size: int | None = None
    """Size of the person's name."""
    role_size: int | None = None
    """Size of the person's role."""
    label_size: int | None = None
    """Size of the value label above the title."""
    line_height: float | None = None
    """Distance between lines, as a multiple of the text size."""
    prefer: bool | None = None
    """``true``: stories' share card is their ``og:image`` even when they have a picture;
    ``false`` (the default): only stories without a picture use it."""


@dataclass(frozen=True)
class CardStyle:
    """Every setting of a card, resolved: what the drawing reads."""

    background_color: str = "#0b5cad"
    text_color: str = "#ffffff"
    accent_color: str = "#f2a900"
    logo_position: str = "top-left"
    logo_height: int = 56
    padding: int = 72
    accent_bar: int = 16
    title_max_size: int = 76
    title_min_size: int = 44
    name_size: int = 34
    role_size: int = 26
    label_size: int = 26
    line_height: float = 1.15


DEFAULT_SETTINGS = ShareCardSettings(
    background_color="",
    text_color="",
    accent_color="",
    font_bold="fonts/Inter-Bold.otf",
    font_regular="fonts/Inter-Regular.otf",
    logo="",
    logo_position="top-left",
    logo_height=56,
    padding=72,
    accent_bar=16,
    title_max_size=76,
    title_min_size=44,
    name_size=34,
    role_size=26,
    label_size=26,
    line_height=1.15,
    prefer=False,
)
"""What ``themes/default/theme.toml`` sets; used for any key no theme in the chain sets."""

_SIZES = {
    "logo_height": (0, 300),
    "padding": (0, 200),
    "accent_bar": (0, 200),
    "title_max_size": (12, 200),
    "title_min_size": (12, 200),
    "name_size": (12, 120),
    "role_size": (12, 120),
    "label_size": (12, 120),
}
"""Whole-number settings and the range each may take, so every card still has room for text."""

Where = Callable[[str], tuple[str, int]]
"""The file and line that set ``share_card.<key>`` (for messages)."""


def merge_settings(layers: Sequence[ShareCardSettings]) -> ShareCardSettings:
    """Later layers (child themes) win key by key; unset keys come from DEFAULT_SETTINGS."""
    merged = DEFAULT_SETTINGS
    for layer in layers:
        changes = {f.name: getattr(layer, f.name) for f in fields(layer)}
        merged = replace(merged, **{k: v for k, v in changes.items() if v is not None})
    return merged


def resolve_style(
    settings: ShareCardSettings, brand: BrandConfig, where: Where
) -> tuple[CardStyle | None, list[Diagnostic]]:
    """The card's colours and sizes from merged settings and the brand, or the problems."""
    problems: list[Diagnostic] = []
    colors: dict[str, str] = {}
    from_brand = {
        "background_color": "primary_color",
        "text_color": "background_color",
        "accent_color": "accent_color",
    }
    for key, brand_key in from_brand.items():
        value = getattr(settings, key) or ""
        named = f"share_card.{key}"
        if not value:
            value, named = getattr(brand, brand_key) or "", f"brand.{brand_key}"
        hex_color = parse_color(value)
        if hex_color is None:
            source, line = where(key)
            problems.append(
                error(
                    source,
                    line,
                    "bad-card-setting",
                    f"the share card cannot use the colour {value!r} ({named})",
                    f'set share_card.{key} to a colour like "#0b5cad"',
                )
            )
        colors[key] = hex_color or "#000000"
    values: dict[str, int] = {}
    for key, (low, high) in _SIZES.items():
        number = int(getattr(settings, key))
        if not low <= number <= high:
            source, line = where(key)
            problems.append(
                error(
                    source,
                    line,
                    "bad-card-setting",
                    f"share_card.{key} is {number}; it must be from {low} to {high} pixels",
                    "card sizes are in pixels of a 1200 × 630 picture",
                )
            )
        values[key] = number
    if values["title_min_size"] > values["title_max_size"]:
        source, line = where("title_min_size")
        problems.append(
            error(
                source,
                line,
                "bad-card-setting",
                "share_card.title_min_size is larger than share_card.title_max_size",
                "make the smallest title size at most the largest",
            )
        )
    spacing = float(settings.line_height or 0)
    if not 0.8 <= spacing <= 3:
        source, line = where("line_height")
        problems.append(
            error(
                source,
                line,
                "bad-card-setting",
                f"share_card.line_height is {spacing}; it must be from 0.8 to 3",
                "1.15 means lines 1.15 times the text size apart",
            )
        )
    position = settings.logo_position or ""
    if position not in LOGO_POSITIONS:
        source, line = where("logo_position")
        problems.append(
            error(
                source,
                line,
                "bad-card-setting",
                f"share_card.logo_position {position!r} is not a place on the card",
                f"use one of: {', '.join(LOGO_POSITIONS)}",
            )
        )
    if problems:
        return None, problems
    sizes = values
    style = CardStyle(
        background_color=colors["background_color"],
        text_color=colors["text_color"],
        accent_color=colors["accent_color"],
        logo_position=position,
        line_height=spacing,
        logo_height=sizes["logo_height"],
        padding=sizes["padding"],
        accent_bar=sizes["accent_bar"],
        title_max_size=sizes["title_max_size"],
        title_min_size=sizes["title_min_size"],
        name_size=sizes["name_size"],
        role_size=sizes["role_size"],
        label_size=sizes["label_size"],
    )
    return style, _contrast_warnings(style, where)


def _contrast_warnings(style: CardStyle, where: Where) -> list[Diagnostic]:
    ratio = contrast_ratio(style.text_color, style.background_color)
    if ratio is None or ratio >= 4.5:
        return []
    source, line = where("text_color")
    return [
        warning(
            source,
            line,
            "low-contrast",
            f"share card text {style.text_color} on {style.background_color} has a contrast "
            f"of {ratio:.2f}:1; WCAG AA needs 4.5:1",
            "set share_card.text_color or share_card.background_color so they differ more",
        )
    ]


def parse_color(value: str) -> str | None:
    """``#rgb``/``#rrggbb`` or a CSS colour name as ``#rrggbb``; None for anything else."""
    from PIL import ImageColor

    text = value.strip()
    if not text or any(c in text for c in ";{}<>\\"):
        return None
    try:
        red, green, blue = ImageColor.getcolor(text, "RGB")  # type: ignore[misc]
    except ValueError:
        return None
    return f"#{red:02x}{green:02x}{blue:02x}"
