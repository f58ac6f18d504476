"""Themes: resolve the ``extends`` chain, merge brand settings, find templates and static files.

A theme name is looked up in the project's ``themes/`` first, then among the themes installed with
brandsite (``default`` and ``example-brand``), so a project needs no ``themes/`` folder of its own.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from ..content.config import CONFIG_FILE, BrandConfig, SiteConfig, edition_extra, toml_line
from ..content.loading import OUTSIDE, inside
from ..content.schema import to_dataclass
from ..errors import Diagnostic, did_you_mean, error, warning
from ..markdown.convert import url_is_safe
from ..share.settings import ShareCardSettings
from .colours import contrast_ratio
from .strings import (
    STRINGS_DIR,
    ChainTheme,
    StringsSource,
    ThemeStrings,
    load_strings,
    site_strings,
    strings_problems,
)

THEMES_DIR = "themes"
THEME_FILE = "theme.toml"
INSTALLED_THEMES = ("default", "example-brand")
"""The ``generator`` package folder: the wheel installs the repository's themes as ``builtin_themes/`` in it."""
_PACKAGE = Path(__file__).resolve().parent.parent
BRAND_CSS = "brand.css"
"""Generated from the brand settings; a theme cannot ship a file of this name."""

DEFAULT_BRAND = BrandConfig(
    primary_color="#0b5cad",
    accent_color="#f2a900",
    text_color="#1c2430",
    background_color="#ffffff",
    font_body="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    font_heading="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    logo="",
    share_image="",
    favicon="",
    cta_label="See open positions",
    cta_url="",
    social={},
)
_CSS_PROPERTIES = {
    "primary_color": "--color-primary",
    "accent_color": "--color-accent",
    "text_color": "--color-text",
    "background_color": "--color-bg",
    "font_body": "--font-body",
    "font_heading": "--font-heading",
}


@dataclass(frozen=True)
class ThemeFile:
    """A theme's ``theme.toml``."""

    name: str = ""
    """Display name."""
    description: str = ""
    """What the theme is for."""
    extends: str | None = None
    """Folder name of the parent theme, e.g. ``"default"``."""
    brand: BrandConfig = field(default_factory=BrandConfig)
    """Brand defaults this theme brings; ``site.toml`` overrides them."""
    share_card: ShareCardSettings = field(default_factory=ShareCardSettings)
    """How the share images look (``generator/share/settings.py``); a child theme's keys win."""


@dataclass(frozen=True)
class Theme:
    """One theme folder in the chain."""

    name: str
    """Folder name under ``themes/``."""
    path: Path
    """Absolute folder path."""
    settings: ThemeFile
    home: Path
    """The ``themes/`` folder it was found in: the project's, or brandsite's installed one."""
    installed: bool = False
    """It comes with brandsite rather than from the project's ``themes/``."""


@dataclass(frozen=True)
class StaticFile:
    """A theme static file and the hashed name it is published under."""

    name: str
    """Name templates ask for: ``asset_url("style.css")``."""
    output_path: str
    """``assets/style.1a2b3c4d.css``."""
    content: bytes


@dataclass(frozen=True)
class ResolvedTheme:
    """The theme chain (child first), the merged brand and the hashed static files."""

    chain: tuple[Theme, ...]
    brand: BrandConfig
    static: dict[str, StaticFile]
    strings: ThemeStrings = field(default_factory=ThemeStrings)
    """The fixed texts per language of every theme in the chain (``strings/<lang>.toml``)."""

    @property
    def template_dirs(self) -> list[Path]:
        """Template folders, child first."""
        return [theme.path / "templates" for theme in self.chain]

    def has_template(self, name: str) -> bool:
        """Some theme of the chain has the template ``name`` (optional pages need theirs)."""
        return any((folder / name).is_file() for folder in self.template_dirs)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever a template, static file, strings file or brand setting changes."""
        digest = hashlib.sha256(repr(self.brand).encode())
        digest.update(repr(self.strings.files).encode())
        for folder in self.template_dirs:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                if path.is_file():
                    digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
        for name in sorted(self.static):
            digest.update(self.static[name].output_path.encode())
        return digest.hexdigest()


def installed_themes_dir() -> Path:
    """Where brandsite's own themes are: in the package, or in the repository of a checkout."""
    packaged = _PACKAGE / "builtin_themes"
    return packaged if packaged.is_dir() else _PACKAGE.parent / THEMES_DIR


def theme_homes(root: Path) -> list[tuple[Path, bool]]:
    """The folders a theme name is looked up in, in order, and whether each is brandsite's own."""
    homes = [(root / THEMES_DIR, False)]
    installed = installed_themes_dir()
    if os.path.realpath(installed) != os.path.realpath(root / THEMES_DIR):
        homes.append((installed, True))
    return homes


def available_themes(root: Path) -> list[str]:
    """Every theme name the site could pick: the project's and the installed ones."""
    names = set()
    for home, installed in theme_homes(root):
        if home.is_dir():
            names |= {
                p.name
                for p in home.iterdir()
                if p.is_dir() and (not installed or p.name in INSTALLED_THEMES)
            }
    return sorted(names)


def resolve_theme(root: Path, config: SiteConfig) -> tuple[ResolvedTheme | None, list[Diagnostic]]:
    """Follow ``extends`` from the site's theme, then merge brand settings and static files."""
    chain: list[Theme] = []
    problems: list[Diagnostic] = []
    name: str | None = config.theme
    referrer, referrer_key = CONFIG_FILE, "theme"
    while name is not None:
        if any(theme.name == name for theme in chain):
            cycle = " → ".join([t.name for t in chain] + [name])
            problems.append(
                error(
                    referrer,
                    0,
                    "theme-cycle",
                    f"themes extend each other in a circle: {cycle}",
                    "remove `extends` from one of them",
                )
            )
            break
        theme, found = _load_theme(root, name, referrer, referrer_key)
        problems += found
        if theme is None:
            break
        chain.append(theme)
        referrer, referrer_key = f"{THEMES_DIR}/{name}/{THEME_FILE}", "extends"
        name = theme.settings.extends
    for theme in chain:
        problems += _links_outside(theme)
    if problems:
        return None, problems
    brand = merge_brand([t.settings.brand for t in reversed(chain)] + [config.brand])
    static = _static_files(chain, brand)
    problems += check_brand(root, config, chain, brand, static)
    resolved = ResolvedTheme(tuple(chain), brand, static, chain_strings(chain))
    # The one place the strings are checked: every language the site publishes.
    languages = config.languages or (config.language,)
    provided = {
        lang: site_strings(edition_extra(config.extra, edition.extra))
        for lang, edition in config.edition.items()
    }
    problems += strings_problems(resolved, languages, site_strings(config.extra), provided)
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    return resolved, problems


def chain_strings(chain: Sequence[Theme]) -> ThemeStrings:
    """Read the ``strings/`` folder of every theme in the chain (child first)."""
    sources = []
    for theme in chain:
        folder = theme.path / STRINGS_DIR
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if not path.name.startswith("."):
                text = _read(path) if path.is_file() else None
                sources.append(StringsSource(theme.name, path.name, text))
    return load_strings([ChainTheme(t.name, t.installed) for t in chain], sources)


def packaged_strings() -> ThemeStrings:
    """The texts of brandsite's own default theme, for callers that were given no theme."""
    home = installed_themes_dir()
    theme = Theme("default", home / "default", ThemeFile(name="default"), home, installed=True)
    return chain_strings([theme])


def _find_theme(root: Path, name: str) -> tuple[Path, Path, bool] | None:
    """(theme folder, the themes/ folder it is in, installed) for the first home that has it."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        return None
    for home, installed in theme_homes(root):
        if (home / name).is_dir() and (not installed or name in INSTALLED_THEMES):
            return home / name, home, installed
    return None


def _load_theme(
    root: Path, name: str, referrer: str, key: str
) -> tuple[Theme | None, list[Diagnostic]]:
    found = _find_theme(root, name)
    if found is None:
        available = available_themes(root)
        hint = did_you_mean(name, available)
        text = _read(root / referrer)
        return None, [
            error(
                referrer,
                toml_line(text, key) if text else 0,
                "unknown-theme",
                f"there is no theme `{name}` in {THEMES_DIR}/ or among brandsite's own themes",
                (hint + " " if hint else "")
                + f"available themes: {', '.join(available) or 'none'}",
            )
        ]
    path, home, installed = found
    if not inside(path, home) or not (installed or inside(home, root)):
        return None, [_outside(f"{THEMES_DIR}/{name}")]
    source = f"{THEMES_DIR}/{name}/{THEME_FILE}"
    text = _read(path / THEME_FILE)
    if text is None:
        return Theme(name, path, ThemeFile(name=name), home, installed), []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [
            error(
                source,
                _line_of(str(exc)),
                "bad-toml",
                f"{source} is not valid TOML: {exc}",
                'text values need quotes: extends = "default"',
            )
        ]
    settings, problems = to_dataclass(ThemeFile, data, source, lambda k: toml_line(text, k))
    if settings is None:
        return None, problems
    return Theme(name, path, settings, home, installed), []


def _links_outside(theme: Theme) -> list[Diagnostic]:
    """Files and folders of the theme that are links leading out of ``themes/``.

    A theme is read in full (templates, static files, theme.toml), so one link out of it
    would publish or execute a file from elsewhere on the machine.
    """
    problems = []
    for folder, dirs, files in os.walk(theme.path):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink() and not inside(path, theme.home):
                problems.append(_outside(f"{THEMES_DIR}/{path.relative_to(theme.home).as_posix()}"))
    return problems


def _outside(source: str) -> Diagnostic:
    return error(
        source,
        0,
        "outside-project",
        OUTSIDE.format(folder=THEMES_DIR),
        "copy the file into the theme instead of linking to it",
    )


def merge_brand(layers: list[BrandConfig]) -> BrandConfig:
    """Later layers win key by key; unset keys fall back to DEFAULT_BRAND."""
    merged = DEFAULT_BRAND
    for layer in layers:
        changes = {
            f.name: getattr(layer, f.name)
            for f in fields(layer)
            if getattr(layer, f.name) is not None
        }
        merged = replace(merged, **changes)
    return merged


def brand_css(brand: BrandConfig) -> str:
    """The generated ``brand.css``: brand settings as CSS custom properties."""
    lines = [":root {"]
    for key, prop in _CSS_PROPERTIES.items():
        lines.append(f"  {prop}: {getattr(brand, key)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def check_brand(
    root: Path,
    config: SiteConfig,
    chain: list[Theme],
    brand: BrandConfig,
    static: dict[str, StaticFile],
) -> list[Diagnostic]:
    """Brand values must be safe in CSS, files must exist, and text must stay readable."""
    problems: list[Diagnostic] = []

    def where(key: str) -> tuple[str, int]:
        if getattr(config.brand, key) is not None:
            return CONFIG_FILE, toml_line(_read(root / CONFIG_FILE) or "", f"brand.{key}")
        for theme in chain:
            if getattr(theme.settings.brand, key) is not None:
                source = f"{THEMES_DIR}/{theme.name}/{THEME_FILE}"
                return source, toml_line(_read(theme.path / THEME_FILE) or "", f"brand.{key}")
        return CONFIG_FILE, 0

    for key in _CSS_PROPERTIES:
        value = getattr(brand, key)
        if re.search(r"[;{}<>\\]|/\*", value) or not value.strip():
            source, line = where(key)
            problems.append(
                error(
                    source,
                    line,
                    "bad-brand-value",
                    f"brand.{key} {value!r} is not a plain CSS value",
                    'write a colour like "#0b5cad" or a font list like "Georgia, serif"',
                )
            )
    for key in ("logo", "favicon", "share_image"):
        value = getattr(brand, key)
        explicit = getattr(config.brand, key) is not None or any(
            getattr(theme.settings.brand, key) is not None for theme in chain
        )
        if value and value not in static and (explicit or key != "share_image"):
            source, line = where(key)
            hint = did_you_mean(value, static)
            problems.append(
                error(
                    source,
                    line,
                    "missing-brand-file",
                    f"brand.{key} names `{value}`, which is not a static file of the theme",
                    (hint + " " if hint else "") + _static_home(chain[0], key),
                )
            )
    links = [("cta_url", brand.cta_url or "")] + [
        (f"social.{k}", v) for k, v in sorted((brand.social or {}).items())
    ]
    for key, url in links:
        if url and not url_is_safe(url):
            source, line = where(key.split(".")[0])
            problems.append(
                error(
                    source,
                    line,
                    "bad-brand-value",
                    f"brand.{key} is not a web address",
                    'use a full address such as "https://jobs.example.com/"',
                )
            )
    for key in ("text_color", "primary_color"):
        ratio = contrast_ratio(getattr(brand, key), brand.background_color or "")
        if ratio is not None and ratio < 4.5:
            source, line = where(key)
            problems.append(
                warning(
                    source,
                    line,
                    "low-contrast",
                    f"brand.{key} {getattr(brand, key)} on background_color {brand.background_color} "
                    f"has a contrast of {ratio:.2f}:1; WCAG AA needs 4.5:1",
                    "choose a darker text colour or a lighter background",
                )
            )
    return problems


def _static_home(theme: Theme, key: str) -> str:
    """Where a missing static file belongs: the site's own theme, never one brandsite ships."""
    if theme.name != "default" and not theme.installed:
        return f"put the file in themes/{theme.name}/static/"
    return (
        f"set brand.{key} in site.toml to a file the theme has, or put yours in the static/ "
        "folder of a theme of your own that extends default (brandsite new theme NAME; "
        "THEMING.md section 8)"
    )


def _static_files(chain: list[Theme], brand: BrandConfig) -> dict[str, StaticFile]:
    """Every static file, child over parent, under a content-hashed name; CSS ``url()`` rewritten."""
    sources: dict[str, Path] = {}
    for theme in reversed(chain):
        folder = theme.path / "static"
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    sources[path.relative_to(folder).as_posix()] = path
    sources.pop(BRAND_CSS, None)
    contents: dict[str, bytes] = {name: path.read_bytes() for name, path in sorted(sources.items())}
    contents[BRAND_CSS] = brand_css(brand).encode()
    static: dict[str, StaticFile] = {}
    for name in sorted(contents, key=lambda n: (n.endswith(".css"), n)):
        content = contents[name]
        if name.endswith(".css"):
            content = _rewrite_css_urls(name, content, static)
        static[name] = StaticFile(name, hashed_path(name, content), content)
    return static


def hashed_path(name: str, content: bytes) -> str:
    """``style.css`` → ``assets/style.1a2b3c4d.css``."""
    digest = hashlib.sha256(content).hexdigest()[:8]
    stem, dot, suffix = name.rpartition(".")
    return f"assets/{stem}.{digest}.{suffix}" if dot else f"assets/{name}.{digest}"


def _rewrite_css_urls(name: str, content: bytes, static: dict[str, StaticFile]) -> bytes:
    """Point ``url(logo.svg)`` in a stylesheet at the hashed file name."""
    text = content.decode("utf-8", errors="replace")
    here = posixpath.dirname(name)

    def swap(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-z]+:|^/|^#", target):
            return match.group(0)
        wanted = posixpath.normpath(posixpath.join(here, target))
        if wanted not in static:
            return match.group(0)
        hashed = posixpath.relpath(
            static[wanted].output_path, posixpath.dirname(hashed_path(name, b""))
        )
        return f"url({match.group(1)}{hashed}{match.group(1)})"

    return re.sub(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)", swap, text).encode()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _line_of(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0
