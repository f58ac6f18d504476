"""Read what cards are drawn with from the theme: the ``[share_card]`` settings, fonts and logo.

The only part of ``share`` that touches the file system. Font files are looked up in the theme
chain, child first (a theme can bring its own fonts); the logo is one of the theme's static files.
"""

from __future__ import annotations

import contextlib
import posixpath
from dataclasses import dataclass

from ..content.config import CONFIG_FILE, toml_line
from ..content.loading import inside
from ..errors import Diagnostic, error
from ..theme.themes import THEME_FILE, THEMES_DIR, ResolvedTheme, Theme, installed_themes_dir
from .card import FontFile, LogoFile, open_logo
from .settings import NO_LOGO, CardStyle, Where, merge_settings, resolve_style

MAX_FONT_BYTES = 32 * 1024 * 1024
_RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")


@dataclass(frozen=True)
class CardTheme:
    """The theme's card style with its fonts and logo read: all a ``CardSpec`` needs from it."""

    style: CardStyle
    bold: FontFile
    regular: FontFile
    logo: LogoFile | None
    brand_name: str
    """The company's name, drawn when there is no logo."""
    prefer: bool = False
    """``[share_card] prefer``: the card is the ``og:image`` of stories with a picture too."""


def load_card_theme(
    theme: ResolvedTheme, company: str, site_toml: str = ""
) -> tuple[CardTheme | None, list[Diagnostic]]:
    """The card theme, or None and the problems (each naming its file and setting).

    ``site_toml`` (the text of the site's settings) lets a note about ``brand.logo`` point
    at its line there.
    """
    chain = theme.chain
    settings = merge_settings([t.settings.share_card for t in reversed(chain)])

    def where(key: str) -> tuple[str, int]:
        for member in chain:
            if getattr(member.settings.share_card, key) is not None:
                return _setting_line(member, f"share_card.{key}")
        return CONFIG_FILE, 0

    style, problems = resolve_style(settings, theme.brand, where)
    fonts = {}
    for key in ("font_bold", "font_regular"):
        font, found = _font(chain, key, str(getattr(settings, key)), where)
        problems += found
        fonts[key] = font

    def where_brand(key: str) -> tuple[str, int]:
        line = toml_line(site_toml, f"brand.{key}") if site_toml else 0
        if line:
            return CONFIG_FILE, line
        for member in chain:
            if getattr(member.settings.brand, key) is not None:
                return _setting_line(member, f"brand.{key}")
        return CONFIG_FILE, 0

    logo, found = _logo(theme, str(settings.logo or ""), where, where_brand)
    problems += found
    bold, regular = fonts["font_bold"], fonts["font_regular"]
    if (
        style is None
        or bold is None
        or regular is None
        or any(p.severity.value == "error" for p in problems)
    ):
        return None, problems
    return CardTheme(style, bold, regular, logo, company, bool(settings.prefer)), problems


def _font(
    chain: tuple[Theme, ...], key: str, name: str, where: Where
) -> tuple[FontFile | None, list[Diagnostic]]:
    wanted = posixpath.normpath(name.replace("\\", "/")) if name else ""
    if not wanted or wanted.startswith(("../", "/")) or wanted == "..":
        source, line = where(key)
        return None, [
            error(
                source,
                line,
                "bad-card-font",
                f"share_card.{key} {name!r} is not a file inside the theme folder",
                'name a font file relative to the theme folder, e.g. "fonts/Inter-Bold.otf"',
            )
        ]
    for member in chain:
        path = member.path / wanted
        if path.is_file() and inside(path, member.home):
            shown = f"{THEMES_DIR}/{member.name}/{wanted}"
            if path.stat().st_size > MAX_FONT_BYTES:
                return None, [_font_error(where, key, f"the font {shown} is larger than 32 MB")]
            try:
                return FontFile(shown, path.read_bytes()), []
            except OSError as exc:
                reason = f"the font {shown} cannot be read ({exc.strerror})"
                return None, [_font_error(where, key, reason)]
    # Last, brandsite's own default theme: a theme that extends none still gets its fonts.
    packaged = installed_themes_dir() / "default"
    path = packaged / wanted
    unseen = not any(t.path == packaged for t in chain)
    if (
        unseen
        and path.is_file()
        and inside(path, packaged)
        and path.stat().st_size < MAX_FONT_BYTES
    ):
        with contextlib.suppress(OSError):
            return FontFile(f"{THEMES_DIR}/default/{wanted}", path.read_bytes()), []
    places = ", ".join(f"{THEMES_DIR}/{t.name}/{wanted}" for t in chain)
    return None, [
        _font_error(where, key, f"the font file {wanted} is missing (looked for {places})")
    ]


def _font_error(where: Where, key: str, reason: str) -> Diagnostic:
    source, line = where(key)
    return error(
        source,
        line,
        "missing-card-font",
        f"the share cards cannot be drawn: {reason}",
        f"put the font into the theme's folder or set share_card.{key} to one that is there",
    )


def _logo(
    theme: ResolvedTheme, setting: str, where: Where, where_brand: Where
) -> tuple[LogoFile | None, list[Diagnostic]]:
    """The card's logo: ``share_card.logo``, else the brand's logo if it is a raster picture."""
    if setting == NO_LOGO:
        return None, []
    name = setting or theme.brand.logo or ""
    if not name:
        return None, []
    explicit = bool(setting)
    if not name.lower().endswith(_RASTER):
        if not explicit:
            # The web logo is rightly an SVG, which cards cannot draw: the company name is
            # drawn in its place, as THEMING.md says. Nothing to warn about, nothing to fix.
            return None, []
        source, line = where("logo")
        note = error(
            source,
            line,
            "card-logo-not-raster",
            f"the logo {name} is not drawn on share cards: they take PNG, JPEG, WebP or GIF "
            "(SVG is not supported there); the company name is drawn instead",
            "export the logo as PNG into the theme's static/ folder and set "
            '[share_card] logo = "logo.png" in theme.toml (or logo = "none")',
        )
        return None, [note]
    static = theme.static.get(name)
    if static is None:
        source, line = where("logo")
        return None, [
            error(
                source,
                line,
                "bad-card-logo",
                f"share_card.logo names `{name}`, which is not a static file of the theme",
                "put the picture into the theme's static/ folder",
            )
        ]
    shown = f"{THEMES_DIR}/.../static/{name}"
    for member in theme.chain:
        if (member.path / "static" / name).is_file():
            shown = f"{THEMES_DIR}/{member.name}/static/{name}"
            break
    logo = LogoFile(shown, static.content)
    _, problem = open_logo(logo)  # once here, rather than once for every card
    return (None, [problem]) if problem else (logo, [])


def _setting_line(theme: Theme, key: str) -> tuple[str, int]:
    source = f"{THEMES_DIR}/{theme.name}/{THEME_FILE}"
    try:
        text = (theme.path / THEME_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return source, 0
    return source, toml_line(text, key)
