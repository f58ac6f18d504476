"""``site.toml`` → SiteConfig: the typed schema of the site's settings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import Diagnostic, error, printable
from ..roles.model import EMPLOYMENT_TYPES
from .loading import CONTROL_RE, READ_CEILING
from .schema import to_dataclass

CONFIG_FILE = "site.toml"
HTML_MODES = ("escape", "safe")
"""Allowed values of ``markdown.html``."""
HOST_RE = re.compile(r"\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", re.I)
"""A host name as ``[privacy] allowed_hosts`` takes it; a leading dot allows every subdomain."""


@dataclass(frozen=True)
class FeedConfig:
    """The RSS feeds."""

    limit: int = 20
    """How many of the newest stories each feed carries."""


@dataclass(frozen=True)
class MarkdownConfig:
    """How story and value bodies are converted."""

    html: str = "safe"
    """Raw HTML in Markdown: ``"safe"`` (the default, as on GitHub) keeps an allow-list of
    harmless tags and attributes and strips the rest (sanitised with nh3); ``"escape"`` shows
    it as text."""


@dataclass(frozen=True)
class LimitsConfig:
    """Upper bounds that keep a careless or hostile content file from exhausting time or memory."""

    max_story_kb: int = 64
    """Largest story or value file, in KiB; a larger one is a problem, not a slow build.

    64 KiB is about 10,000 words. Markdown conversion time grows with the square of the size for
    some hostile input, so raising this raises the worst case (about two seconds per file here)."""


@dataclass(frozen=True)
class PrivacyConfig:
    """What the built site may load from other hosts before a visitor opts in."""

    allowed_hosts: tuple[str, ...] = ()
    """Hosts pages may load images, scripts, styles, fonts or frames from (``fonts.example.com``;
    ``.example.com`` allows every subdomain). Empty: the site loads nothing from another host."""


@dataclass(frozen=True)
class ImagesConfig:
    """Responsive images: the widths every story and value picture is resized to."""

    widths: tuple[int, ...] = (400, 800, 1200, 1600)
    """Widths in pixels for ``srcset``; a picture is never enlarged, and the largest width caps
    the full-size file."""


@dataclass(frozen=True)
class CalendarConfig:
    """The editorial calendar (``brandsite calendar``)."""

    buffer_days: int = 14
    """How many days ahead the scheduled stories should reach; less is a warning."""


@dataclass(frozen=True)
class CheckConfig:
    """``brandsite check``."""

    strict: bool = False
    """Warnings fail the check too (exit code 1), as ``brandsite check --strict`` does: for CI."""


@dataclass(frozen=True)
class JobsConfig:
    """Open roles: how ``brandsite jobs import`` maps an ATS's words, and where roles are."""

    teams: dict[str, str] = field(default_factory=dict)
    """ATS department → the site's team (the ``team`` of stories); unlisted departments stay as
    they are, e.g. ``"Engineering" = "Grid Software"``."""
    employment_types: dict[str, str] = field(default_factory=dict)
    """ATS word for a kind of employment → the site's (``full-time``, ``part-time``, ``contract``,
    ``temporary``, ``internship``, ``working-student``, ``apprenticeship``…; several with commas,
    ``""`` to ignore the word). Adds to and overrides the built-in table."""
    countries: dict[str, str] = field(default_factory=dict)
    """Location → ISO 3166 country code (``Hamburg = "DE"``), for Google's JobPosting."""
    board_url: str = ""
    """The company's Personio job site (``https://<company>.jobs.personio.de``), needed when a
    Personio feed is imported from a file."""
    lang: str = ""
    """Language written into every imported role (``de``); empty: none (the site's language)."""


MAX_BUFFER_DAYS = 3660
"""The longest buffer: the calendar adds it to "today", which must stay a day a date can hold."""


UNTRANSLATED_POLICIES = ("hide", "show-original")
"""What a language's pages do with a story not translated into it (``[edition.<lang>] untranslated``)."""
LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class EditionConfig:
    """``[edition.<lang>]``: the site's texts in one of its languages, and its untranslated stories."""

    title: str | None = None
    """The site's name in this language; None: the default language's."""
    description: str | None = None
    """The home page's description in this language."""
    cta_label: str | None = None
    """The call-to-action button's text in this language (``[brand] cta_label``)."""
    cta_url: str | None = None
    """Where the call to action leads from this language's pages."""
    untranslated: str = "hide"
    """``hide`` (default): a story not translated into this language is not on its pages;
    ``show-original``: it is, in its own language with a notice, its canonical URL the original's."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Merged over ``[extra]`` on this language's pages (``hero_title`` and the like)."""


@dataclass(frozen=True)
class BrandConfig:
    """The look marketing controls without touching templates; reaches CSS as custom properties.

    Every key is optional here: unset keys come from the theme's ``theme.toml`` ``[brand]`` table
    (a child theme's over its parent's), then from brandsite's defaults (``themes.DEFAULT_BRAND``).
    """

    primary_color: str | None = None
    """Links, buttons and highlights (``--color-primary``)."""
    accent_color: str | None = None
    """Secondary highlights (``--color-accent``)."""
    text_color: str | None = None
    """Body text (``--color-text``)."""
    background_color: str | None = None
    """Page background (``--color-bg``)."""
    font_body: str | None = None
    """CSS font stack for body text (``--font-body``)."""
    font_heading: str | None = None
    """CSS font stack for headings (``--font-heading``)."""
    logo: str | None = None
    """Logo file among the theme's static files."""
    share_image: str | None = None
    """Picture shown when a page without one of its own is shared (1200×630, a static file)."""
    favicon: str | None = None
    """Favicon file among the theme's static files."""
    cta_label: str | None = None
    """Text of the call-to-action button."""
    cta_url: str | None = None
    """Where the call to action leads (the job board); empty hides the button."""
    social: dict[str, str] | None = None
    """Social profile links, name → URL (e.g. ``linkedin = "https://…"``)."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything in ``site.toml``."""

    title: str
    """The site's name, shown in the header and in page titles."""
    company: str
    """The employer's name (JSON-LD Organization, footer)."""
    base_url: str
    """Absolute URL the site is served from; may include a sub-path (``https://x.com/careers/``)."""
    description: str = ""
    """One or two sentences about the company: the home page's meta description."""
    language: str = "en"
    """The site's language (BCP 47, e.g. ``en`` or ``de``); on a multilingual site the default
    one, ``languages[0]`` (on an edition's settings, the edition's language)."""
    languages: tuple[str, ...] = ()
    """Every language the site publishes, the default first (``["de", "en"]``); after loading
    never empty (``(language,)`` for a one-language site)."""
    default_language_in_subdir: bool = False
    """False: the default language's pages at the root, the others under ``/<lang>/``; true:
    every language under its folder, and the root a redirect page to the default one."""
    edition: dict[str, EditionConfig] = field(default_factory=dict)
    """``[edition.<lang>]``: the site's texts per language."""
    timezone: str = "UTC"
    """IANA time zone that decides which day it is for scheduled stories (e.g. ``Europe/Berlin``)."""
    theme: str = "default"
    """Folder name under ``themes/``."""
    stories_per_page: int = 9
    """Stories per page on the stories index."""
    feed: FeedConfig = field(default_factory=FeedConfig)
    """RSS feed settings."""
    brand: BrandConfig = field(default_factory=BrandConfig)
    """Brand settings (colours, fonts, logo, call to action, social links)."""
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    """Markdown conversion (what happens to raw HTML in stories)."""
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    """Size limits for content files."""
    require_consent: bool = False
    """Every story must carry ``consent`` (who agreed, when) to be published."""
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    """Third-party hosts the site may load resources from."""
    images: ImagesConfig = field(default_factory=ImagesConfig)
    """Responsive image settings."""
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    """Editorial calendar settings."""
    check: CheckConfig = field(default_factory=CheckConfig)
    """What ``brandsite check`` fails on."""
    jobs: JobsConfig = field(default_factory=JobsConfig)
    """Open roles and their import from an applicant-tracking system."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""

    @property
    def default_language(self) -> str:
        """The default language (``languages[0]``), also on one language's settings."""
        return self.languages[0] if self.languages else self.language

    @property
    def multilingual(self) -> bool:
        """The site publishes more than one language."""
        return len(self.languages) > 1

    @cached_property
    def base_path(self) -> str:
        """The URL path the site lives under, always with a trailing slash (``/careers/``)."""
        return urlsplit(self.base_url).path or "/"


def load_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read and check ``ROOT/site.toml``; every problem is collected."""
    path = root / CONFIG_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None, [
            error(
                CONFIG_FILE,
                0,
                "missing-config",
                f"no {CONFIG_FILE} in {root}",
                "run brandsite in the project folder, or pass --root to point at it",
            )
        ]
    except UnicodeDecodeError as exc:
        return None, [
            error(
                CONFIG_FILE,
                0,
                "not-utf8",
                f"{CONFIG_FILE} is not UTF-8 text ({exc.reason})",
                "save the file as UTF-8 in your editor",
            )
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        hint = 'text values need quotes: title = "Careers"'
        if re.search(r"(?m)^\s*\[\s*languages\s*\.", text):
            hint = (
                "the texts of one language go in [edition.<lang>], e.g. [edition.en], since "
                "`languages` is already the list of languages"
            )
        return None, [
            error(CONFIG_FILE, line, "bad-toml", f"{CONFIG_FILE} is not valid TOML: {exc}", hint)
        ]
    config, problems = to_dataclass(SiteConfig, data, CONFIG_FILE, lambda key: toml_line(text, key))
    if config is None:
        return None, problems
    problems = check_config(config, text)
    if problems:
        return None, problems
    languages = config.languages or (config.language,)
    return replace(
        config,
        base_url=normalise_base_url(config.base_url),
        language=languages[0],
        languages=languages,
    ), []


def check_config(config: SiteConfig, text: str) -> list[Diagnostic]:
    """Rules that types alone do not express."""
    problems: list[Diagnostic] = []

    def bad(key: str, code: str, message: str, hint: str) -> None:
        problems.append(error(CONFIG_FILE, toml_line(text, key), code, message, hint))

    parts = urlsplit(config.base_url)
    if problem := base_url_problem(config.base_url):
        bad("base_url", "bad-base-url", problem, 'e.g. base_url = "https://careers.example.com/"')
    elif parts.scheme not in ("http", "https") or not parts.netloc:
        bad(
            "base_url",
            "bad-base-url",
            f"base_url {config.base_url!r} is not an absolute web address",
            'write it in full, e.g. base_url = "https://careers.example.com/"',
        )
    elif parts.query or parts.fragment:
        bad(
            "base_url",
            "bad-base-url",
            "base_url must not have a query or a #fragment",
            'e.g. base_url = "https://example.com/careers/"',
        )
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        bad(
            "timezone",
            "bad-timezone",
            f"unknown time zone {config.timezone!r}",
            'use an IANA name such as "Europe/Berlin" or "UTC"',
        )
    if not LANGUAGE_TAG_RE.fullmatch(config.language):
        bad(
            "language",
            "bad-language",
            f"language {config.language!r} is not a language tag",
            'use a code such as "en", "de" or "en-GB"',
        )
    problems += _language_problems(config, text)
    if config.stories_per_page < 1:
        bad(
            "stories_per_page",
            "bad-setting-value",
            "stories_per_page must be 1 or more",
            "e.g. stories_per_page = 9",
        )
    if config.feed.limit < 1:
        bad("feed.limit", "bad-setting-value", "feed.limit must be 1 or more", "e.g. limit = 20")
    if config.markdown.html not in HTML_MODES:
        bad(
            "markdown.html",
            "bad-setting-value",
            f"markdown.html must be one of {', '.join(map(repr, HTML_MODES))}, "
            f"not {config.markdown.html!r}",
            '"safe" keeps harmless tags and strips the rest; "escape" shows raw HTML as text',
        )
    if not 1 <= config.limits.max_story_kb <= READ_CEILING // 1024:
        bad(
            "limits.max_story_kb",
            "bad-setting-value",
            f"limits.max_story_kb must be between 1 and {READ_CEILING // 1024}",
            f"e.g. max_story_kb = {LimitsConfig().max_story_kb}",
        )
    for key in ("title", "company", "description"):
        # They reach the RSS feed, and XML has no way to carry these characters.
        if CONTROL_RE.search(getattr(config, key)):
            bad(
                key,
                "bad-setting-value",
                f"`{key}` contains a control character",
                "remove escapes such as \\u0001 from the text",
            )
    for host in config.privacy.allowed_hosts:
        if not HOST_RE.fullmatch(host):
            bad(
                "privacy.allowed_hosts",
                "bad-setting-value",
                f"privacy.allowed_hosts: {host!r} is not a host name",
                'write the host alone, without https:// or a path: "fonts.example.com"',
            )
    widths = config.images.widths
    if not widths or any(not 16 <= width <= 8000 for width in widths):
        bad(
            "images.widths",
            "bad-setting-value",
            "images.widths must list widths between 16 and 8000 pixels",
            "e.g. widths = [400, 800, 1200, 1600]",
        )
    if not 0 <= config.calendar.buffer_days <= MAX_BUFFER_DAYS:
        bad(
            "calendar.buffer_days",
            "bad-setting-value",
            f"calendar.buffer_days must be from 0 to {MAX_BUFFER_DAYS} (ten years)",
            "e.g. buffer_days = 14",
        )
    problems += _jobs_problems(config.jobs, text)
    return problems


def _language_problems(config: SiteConfig, text: str) -> list[Diagnostic]:
    """``languages``, ``[edition.<lang>]``: language tags, each once, editions of known languages."""
    problems: list[Diagnostic] = []

    def bad(key: str, message: str, hint: str, code: str = "bad-language") -> None:
        problems.append(error(CONFIG_FILE, toml_line(text, key), code, message, hint))

    languages = config.languages
    if config.languages:
        if re.search(r"(?m)^\s*language\s*=", text) and config.language != config.languages[0]:
            bad(
                "language",
                f"language = {config.language!r} and languages = {list(languages)!r} disagree",
                "keep only `languages`: its first language is the default one",
                "bad-setting-value",
            )
        seen: set[str] = set()
        for lang in languages:
            if not LANGUAGE_TAG_RE.fullmatch(lang):
                bad(
                    "languages",
                    f"languages: {lang!r} is not a language tag",
                    'use codes such as "de", "en" or "de-CH"',
                )
            elif lang.lower() in seen:
                bad("languages", f"languages: {lang!r} is listed twice", "list each language once")
            seen.add(lang.lower())
    elif config.default_language_in_subdir:
        bad(
            "default_language_in_subdir",
            "default_language_in_subdir needs a site in several languages",
            'list them first, e.g. languages = ["de", "en"]',
            "bad-setting-value",
        )
    published = languages or (config.language,)
    for lang, edition in sorted(config.edition.items()):
        if lang not in published:
            bad(
                f"edition.{lang}",
                f"[edition.{lang}] is for a language the site does not publish",
                f"the site's languages are {', '.join(published)}; add {lang!r} to `languages` "
                "or remove the table",
            )
        if edition.untranslated not in UNTRANSLATED_POLICIES:
            bad(
                f"edition.{lang}.untranslated",
                f"edition.{lang}.untranslated must be "
                + " or ".join(map(repr, UNTRANSLATED_POLICIES))
                + f", not {edition.untranslated!r}",
                '"hide" leaves untranslated stories out; "show-original" shows them with a notice',
                "bad-setting-value",
            )
        for key in ("title", "description"):
            if CONTROL_RE.search(getattr(edition, key) or ""):
                bad(
                    f"edition.{lang}.{key}",
                    f"`edition.{lang}.{key}` contains a control character",
                    "remove escapes such as \\u0001 from the text",
                    "bad-setting-value",
                )
    return problems


def _jobs_problems(jobs: JobsConfig, text: str) -> list[Diagnostic]:
    """``[jobs]``: employment types brandsite knows, country codes, an https board."""
    problems = []
    for word, kinds in sorted(jobs.employment_types.items()):
        for kind in (k.strip() for k in kinds.split(",")):
            if kind and kind not in EMPLOYMENT_TYPES:
                problems.append(
                    error(
                        CONFIG_FILE,
                        toml_line(text, "jobs.employment_types"),
                        "bad-setting-value",
                        f"jobs.employment_types: {word!r} maps to {kind!r}, "
                        "which is not a kind of employment brandsite knows",
                        f'use one of {", ".join(EMPLOYMENT_TYPES)}, or "" to ignore the word',
                    )
                )
    for place, code in sorted(jobs.countries.items()):
        if not re.fullmatch(r"[A-Z]{2}", code):
            problems.append(
                error(
                    CONFIG_FILE,
                    toml_line(text, "jobs.countries"),
                    "bad-setting-value",
                    f"jobs.countries: {place!r} = {code!r} is not a two-letter country code",
                    'e.g. Hamburg = "DE", Rotterdam = "NL"',
                )
            )
    if jobs.board_url and not re.fullmatch(r"https://[^\s/?#]+/?", jobs.board_url):
        problems.append(
            error(
                CONFIG_FILE,
                toml_line(text, "jobs.board_url"),
                "bad-setting-value",
                f"jobs.board_url {jobs.board_url!r} is not the address of a job site",
                'e.g. board_url = "https://wavelight.jobs.personio.de"',
            )
        )
    if jobs.lang and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", jobs.lang):
        problems.append(
            error(
                CONFIG_FILE,
                toml_line(text, "jobs.lang"),
                "bad-setting-value",
                f"jobs.lang {jobs.lang!r} is not a language tag",
                'e.g. lang = "de"',
            )
        )
    return problems


_NOT_IN_URL_RE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the base URL because of a character in it, or None.

    The base URL is written as it is into line-based files (robots.txt, the calendar's URLs), and
    ``urlsplit`` quietly drops line breaks, so a space or control character is refused here.
    """
    found = _NOT_IN_URL_RE.search(url)
    if found is None:
        return None
    char = found[0]
    shown = "a space" if char == " " else f"the character {printable(char)}"
    return (
        f"base_url contains {shown} at position {found.start() + 1}: a web address has no "
        "spaces, line breaks or control characters"
    )


def normalise_base_url(url: str) -> str:
    """Make sure the base URL ends with a slash, so joining paths is plain concatenation."""
    return url if url.endswith("/") else url + "/"


def toml_line(text: str, dotted_key: str) -> int:
    """The 1-based line where ``dotted_key`` is set in TOML ``text``; 0 if not found.

    Good enough for error messages: finds ``key =`` inside the right ``[table]`` (or an
    inline ``table.key =``).
    """
    *tables, key = dotted_key.split(".")
    wanted_table = ".".join(tables)
    current = ""
    key_re = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=")
    dotted_re = re.compile(rf"^\s*{re.escape(dotted_key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            current = header.group(1)
            if current == dotted_key:
                return number
            continue
        if (current == wanted_table and key_re.match(line)) or (
            not current and dotted_re.match(line)
        ):
            return number
    return 0


def _toml_error_line(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0


def edition_settings(config: SiteConfig, lang: str, prefix: str) -> SiteConfig:
    """The settings one language's pages render with: its language, texts and base URL.

    ``prefix`` is the language's folder (``en/``, or "" for the root), so every URL made from the
    result (``page_url``, ``url_for`` in templates, feeds) lands in that language's pages.
    """
    own = config.edition.get(lang, EditionConfig())
    if lang == config.language and not prefix and not config.edition.get(lang):
        return config
    brand = replace(
        config.brand,
        cta_label=own.cta_label if own.cta_label is not None else config.brand.cta_label,
        cta_url=own.cta_url if own.cta_url is not None else config.brand.cta_url,
    )
    return replace(
        config,
        language=lang,
        base_url=config.base_url + prefix,
        title=own.title if own.title is not None else config.title,
        description=own.description if own.description is not None else config.description,
        brand=brand,
        extra=edition_extra(config.extra, own.extra),
    )


def edition_extra(site: dict[str, Any], edition: dict[str, Any]) -> dict[str, Any]:
    """``[edition.<lang>.extra]`` over ``[extra]``; its ``strings`` table over the site's text by
    text (an edition that changes one text keeps the site's others)."""
    merged = {**site, **edition}
    ours, theirs = site.get("strings"), edition.get("strings")
    if isinstance(ours, dict) and isinstance(theirs, dict):
        merged["strings"] = {**ours, **theirs}
    return merged
