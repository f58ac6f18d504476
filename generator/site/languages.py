"""One page in several languages: hreflang alternates and the language switcher's links.

Pure: ``plan_alternates`` groups the routed pages that are one page in several languages (each
route's ``group``, set by ``routes``) and gives every group its alternates, reciprocal by
construction (every member gets the same list) and with ``x-default``; ``switcher_links`` gives
a page the address of each language's version, or that language's home.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from babel import Locale, UnknownLocaleError

from ..content.config import SiteConfig
from .routes import HTML_KINDS, Route, absolute_url, language_prefix, page_url, site_path

X_DEFAULT = "x-default"


@dataclass(frozen=True)
class Alternate:
    """A version of a page: ``<link rel="alternate" hreflang="…" href="…">``."""

    hreflang: str
    """The language tag, or ``x-default`` for the version for every other language."""
    url: str
    """Absolute URL of that version."""


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher."""

    lang: str
    """The language tag (``de``)."""
    name: str
    """The language's name in itself (``Deutsch``, ``English``)."""
    url: str
    """Root-relative URL of the page in that language, or of that language's home."""
    current: bool
    """This is the language of the page shown."""
    translated: bool
    """The page itself exists in that language (else ``url`` is that language's home)."""


def plan_alternates(
    routes: Sequence[Route], config: SiteConfig
) -> dict[str, tuple[Alternate, ...]]:
    """Group → the alternates of its pages, for every group with pages in two or more languages.

    ``x-default`` is the version in the default language, or else in the first of the site's
    languages that has one.
    """
    members: dict[str, dict[str, str]] = {}
    for route in routes:
        if route.group and route.kind in HTML_KINDS and route.kind != "not_found":
            members.setdefault(route.group, {})[route.lang] = absolute_url(
                config, site_path(config, route.url)
            )
    rank = {lang: number for number, lang in enumerate(config.languages)}
    alternates: dict[str, tuple[Alternate, ...]] = {}
    for group, urls in members.items():
        if len(urls) < 2:
            continue
        ordered = sorted(urls.items(), key=lambda item: rank.get(item[0], len(rank)))
        alternates[group] = (
            *(Alternate(lang, url) for lang, url in ordered),
            Alternate(X_DEFAULT, ordered[0][1]),
        )
    return alternates


def language_homes(config: SiteConfig) -> dict[str, str]:
    """Language → root-relative URL of its home page."""
    return {lang: page_url(config, language_prefix(config, lang)) for lang in config.languages}


def switcher_links(
    config: SiteConfig,
    page_lang: str,
    versions: Mapping[str, str],
    homes: Mapping[str, str],
) -> tuple[LanguageLink, ...]:
    """The switcher of a page in ``page_lang`` whose versions are ``versions`` (lang → URL)."""
    if not config.multilingual:
        return ()
    links = []
    for lang in config.languages:
        url = versions.get(lang)
        links.append(
            LanguageLink(
                lang, language_name(lang), url or homes[lang], lang == page_lang, bool(url)
            )
        )
    return tuple(links)


def language_name(lang: str) -> str:
    """The language's own name for itself (CLDR): ``Deutsch``, ``English``, ``Français``."""
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return lang
    return (name[:1].upper() + name[1:]) if name else lang


def language_redirect(config: SiteConfig, home: str) -> str:
    """The root page of a site whose default language has its own folder too.

    A static page, no script: a refresh to the default language's home, a visible link to each
    language's for people and for browsers that do not follow refreshes, and the alternates.
    """
    homes = language_homes(config)
    links = "\n".join(
        f'<li><a href="{escape(url)}" hreflang="{escape(lang)}" lang="{escape(lang)}">'
        f"{escape(language_name(lang))}</a></li>"
        for lang, url in homes.items()
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{escape(lang)}" '
        f'href="{escape(absolute_url(config, site_path(config, url)))}">'
        for lang, url in [*homes.items(), (X_DEFAULT, home)]
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(config.title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(home)}">\n'
        f'<link rel="canonical" href="{escape(absolute_url(config, site_path(config, home)))}">\n'
        f"{alternates}\n</head>\n<body>\n<main>\n<h1>{escape(config.title)}</h1>\n"
        f"<ul>\n{links}\n</ul>\n</main>\n</body>\n</html>\n"
    )
