"""Templates → HTML strings: the Jinja environment, page contexts, and template errors as problems."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as cldr_date
from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.utils import internalcode

from ..content.config import SiteConfig, edition_settings
from ..content.loading import inside
from ..content.model import Site, Story, Value
from ..errors import Diagnostic, did_you_mean
from ..markdown.embeds import DEFAULT_CSP, content_security_policy
from ..share.card import HEIGHT as CARD_HEIGHT
from ..share.card import WIDTH as CARD_WIDTH
from ..share.links import page_share_links
from ..site.languages import (
    Alternate,
    LanguageLink,
    language_homes,
    plan_alternates,
    switcher_links,
)
from ..site.routes import (
    FEED_PATH,
    SHARE_MASTODON_PATH,
    UNLISTED_KINDS,
    Route,
    language_prefix,
    listing_path,
    page_count,
    page_url,
    root_url,
    site_path,
    value_feed_path,
)
from ..site.routes import (
    absolute_url as absolute_site_url,
)
from .job_pages import job_page_context, team_roles, value_roles
from .strings import ThemeStrings, ui_strings
from .template_errors import PACKAGED_THEME, TemplateFolders, circle_problem, template_problem
from .template_words import HelperError, ThemeUndefined, kind_of
from .themes import ResolvedTheme, packaged_strings

ENGLISH_DATES = "en-GB"
"""CLDR locale of a plain ``en`` page's dates: ``14 March 2026``, as brandsite has always written them
(``en-US`` and other English tags get their own region's format, e.g. ``March 14, 2026``)."""

RELATED_COUNT = 3
HOME_STORY_COUNT = 6


@dataclass(frozen=True)
class PageMeta:
    """What every template knows about the page it renders (``page``)."""

    kind: str
    title: str
    description: str
    url: str
    """Absolute canonical URL."""
    path: str
    """Site-relative path (``stories/anna/``)."""
    lang: str
    image: str | None
    """Absolute URL of the share image."""
    feed_url: str
    """Absolute URL of the feed that fits the page."""
    csp: str = DEFAULT_CSP
    """Content-Security-Policy for the page's <meta>: frames only for the players it embeds."""
    has_embeds: bool = False
    """The page has click-to-load embeds (so it needs ``embed.js``)."""
    image_alt: str | None = None
    """What the share image shows (``og:image:alt``), when the page has its own."""
    image_width: int | None = None
    """Width of the page's own share image in pixels."""
    image_height: int | None = None
    """Height of the page's own share image in pixels."""
    alternates: tuple[Alternate, ...] = ()
    """The page in the site's other languages, with ``x-default`` (``<link hreflang>``)."""
    languages: tuple[LanguageLink, ...] = ()
    """The language switcher: each language's version of the page, or its home; empty on a
    one-language site."""
    original_url: str | None = None
    """On a story shown untranslated, its own page (the canonical ``url``) is elsewhere: this."""

    @property
    def listed(self) -> bool:
        """Search engines may list the page (false for 404s and the Mastodon share page)."""
        return self.kind not in UNLISTED_KINDS


@dataclass(frozen=True)
class Pagination:
    """Where a listing page sits among its siblings."""

    number: int
    total_pages: int
    prev_url: str | None
    next_url: str | None
    pages: tuple[tuple[int, str], ...]
    """Every page as (number, URL). On big sites prefer ``nearby``: linking every page from every
    page makes the listing grow with the square of the site."""

    @property
    def nearby(self) -> list[tuple[int, str] | None]:
        """The first and last pages and two on each side of this one; None marks a gap (…)."""
        wanted = {1, self.total_pages, *range(self.number - 2, self.number + 3)}
        shown: list[tuple[int, str] | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.total_pages):
            if shown and shown[-1] is not None and number > shown[-1][0] + 1:
                shown.append(None)
            shown.append(self.pages[number - 1])
        return shown


@dataclass(frozen=True)
class SiteIndex:
    """Lookups computed once per build and shared by every page."""

    stories_by_value: Mapping[str, tuple[Story, ...]]
    story_by_slug: Mapping[str, Story]
    listing_pages: tuple[tuple[int, str], ...]
    """(number, URL) of every page of the stories listing, shared by all of them."""
    value_by_slug: Mapping[str, Value]
    value_position: Mapping[str, int] = field(default_factory=dict)
    """Slug → place of the value in ``site.values`` (for its neighbours on its page)."""
    default_image: str | None = None
    """Absolute URL of the theme's share picture, for pages without a picture of their own."""
    share_cards: str = ""
    """Which stories show their share card as ``og:image``: ``""`` none (no cards are made),
    ``"fallback"`` those without a picture, ``"always"`` all (``[share_card] prefer``)."""
    strings: ThemeStrings = field(default_factory=ThemeStrings)
    """The theme chain's texts: the page titles brandsite writes (``page_*``) come from them."""
    fallback_strings: ThemeStrings = field(default_factory=ThemeStrings)
    """brandsite's default theme's texts, for titles the theme has none for."""
    site: Site | None = field(default=None, compare=False, repr=False)
    """The edition these lookups are of (what its pages list)."""
    config: SiteConfig | None = field(default=None, compare=False, repr=False)
    """The settings its pages render with (``edition_settings``: language, texts, base URL)."""
    editions: Mapping[str, SiteIndex] = field(default_factory=dict, compare=False, repr=False)
    """Language → the index of that edition, on a multilingual site."""
    alternates: Mapping[str, tuple[Alternate, ...]] = field(default_factory=dict, repr=False)
    """Route group → the page's versions in every language (``languages.plan_alternates``)."""
    homes: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Language → URL of its home page (where the switcher leads when a page is untranslated)."""
    share_page: bool = False
    """The site has the Mastodon share page (so story pages link to it)."""

    def edition(self, route: Route) -> SiteIndex:
        """The index of the edition ``route`` belongs to."""
        return self.editions.get(route.lang, self)


def index_site(
    site: Site,
    config: SiteConfig,
    default_image: str | None = None,
    share_cards: str = "",
    routes: Sequence[Route] = (),
    strings: ThemeStrings | None = None,
) -> SiteIndex:
    """Group stories by value (newest first, as ``site.stories`` is) and number the listing.

    A multilingual site gets an index per edition, with the settings its pages render with, and
    the alternates of ``routes`` (its planned routes) shared by all. ``strings`` are the theme's
    (``ResolvedTheme.strings``); without them page titles come from brandsite's default theme.
    """
    texts = (strings if strings is not None else ThemeStrings(), packaged_strings())
    alternates = plan_alternates(routes, config) if config.multilingual else {}
    homes = language_homes(config) if config.multilingual else {}
    editions = {
        lang: _index_edition(edition, edition_settings(config, lang, language_prefix(config, lang)),
                             default_image, share_cards, alternates, homes, texts)
        for edition in site.editions
        for lang in (edition.lang,)
    }  # fmt: skip
    root = _index_edition(site, config, default_image, share_cards, alternates, homes, texts)
    if any(route.kind == "share_mastodon" for route in routes):
        editions = {lang: replace(own, share_page=True) for lang, own in editions.items()}
        root = replace(root, share_page=True)
    return replace(root, editions=editions) if editions else root


def _index_edition(
    site: Site,
    config: SiteConfig,
    default_image: str | None,
    share_cards: str,
    alternates: Mapping[str, tuple[Alternate, ...]],
    homes: Mapping[str, str],
    texts: tuple[ThemeStrings, ThemeStrings],
) -> SiteIndex:
    by_value: dict[str, list[Story]] = {value.slug: [] for value in site.values}
    for story in site.stories:
        for slug in story.value_slugs:
            by_value[slug].append(story)
    total = page_count(len(site.stories), config.stories_per_page)
    pages = tuple((n, page_url(config, listing_path(n))) for n in range(1, total + 1))
    return SiteIndex(
        {k: tuple(v) for k, v in by_value.items()},
        {s.slug: s for s in site.stories},
        pages,
        {v.slug: v for v in site.values},
        value_position={v.slug: number for number, v in enumerate(site.values)},
        default_image=default_image,
        share_cards=share_cards,
        site=site,
        config=config,
        alternates=alternates,
        homes=homes,
        strings=texts[0],
        fallback_strings=texts[1],
    )


class ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template which is a link leading out of ``themes/``.

    ``themes`` is the themes folder (or folders: the project's and brandsite's installed one) the
    templates must really be in.
    """

    def __init__(self, searchpath: str | list[str], themes: Path | Sequence[Path]) -> None:
        super().__init__(searchpath)
        self.themes = (themes,) if isinstance(themes, Path) else tuple(themes)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """Check where the template really is before Jinja reads it."""
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_file():
                if not any(inside(candidate, home) for home in self.themes):
                    raise jinja2.TemplateError(
                        f"the template `{template}` is a link to a file outside themes/; "
                        "copy the file into the theme instead"
                    )
                break
        return super().get_source(environment, template)


class ThemeEnvironment(jinja2.Environment):
    """A Jinja environment that knows which theme folder each template comes from."""

    folders: TemplateFolders
    circles: dict[str, Diagnostic | None]
    """Per page template: the extends circle above it, looked for once (not once per page)."""
    strings: ThemeStrings
    """The theme chain's texts; each page gets those of its language as ``ui``."""
    fallback_strings: ThemeStrings
    """brandsite's default theme's texts, under the chain's (``strings.ui_strings``)."""


def make_environment(
    root: Path,
    theme: ResolvedTheme,
    config: SiteConfig,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """A strict Jinja environment over the theme chain, with brandsite's helpers and filters.

    ``bytecode_cache``: where compiled templates are kept between builds (none: compile each).
    """
    dirs = [str(d) for d in theme.template_dirs]
    themes = tuple(dict.fromkeys(t.home for t in theme.chain))
    prefixed = {t.name: ContainedLoader(str(t.path / "templates"), t.home) for t in theme.chain}
    env = ThemeEnvironment(
        loader=jinja2.ChoiceLoader([ContainedLoader(dirs, themes), jinja2.PrefixLoader(prefixed)]),
        autoescape=True,
        undefined=ThemeUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=bytecode_cache,
    )
    env.folders = TemplateFolders(
        tuple((t.name, t.path / "templates") for t in theme.chain),
        frozenset(t.name for t in theme.chain if t.installed),
    )
    env.circles = {}
    env.strings = theme.strings
    env.fallback_strings = packaged_strings()

    def asset_url(name: str) -> str:
        static = theme.static.get(name) if isinstance(name, str) else None
        if static is None:
            raise missing_asset(name, theme)
        return page_url(config, static.output_path)

    def absolute_asset_url(name: str) -> str:
        return absolute_site_url(config, site_path(config, asset_url(name)))

    def page_config(context: Any) -> SiteConfig:
        """The settings of the page being rendered: its language's (with its folder)."""
        own = context.get("site")
        return own if isinstance(own, SiteConfig) else config

    @pass_context
    def url_for(context: Any, path: str = "") -> str:
        return page_url(page_config(context), _site_path("url_for", path).lstrip("/"))

    @pass_context
    def absolute_url(context: Any, path: str = "") -> str:
        own = page_config(context)
        return absolute_site_url(own, _site_path("absolute_url", path).lstrip("/"))

    def has_asset(name: str) -> bool:
        return isinstance(name, str) and name in theme.static

    env.globals.update(
        memo=Memo(),
        has_asset=has_asset,
        absolute_asset_url=absolute_asset_url,
        url_for=url_for,
        absolute_url=absolute_url,
        asset_url=asset_url,
    )
    env.filters.update(format_date=format_date, iso_date=iso_date, format_number=format_number)
    return env


def missing_asset(name: object, theme: ResolvedTheme) -> HelperError:
    """Why ``asset_url(name)`` has nothing to give, and where the file should go."""
    known = ", ".join(sorted(theme.static))
    guess = did_you_mean(name, theme.static) if isinstance(name, str) else ""
    own = theme.chain[0].name if theme.chain else PACKAGED_THEME
    folder = (
        f"put the file in themes/{own}/static/"
        if own != PACKAGED_THEME and not theme.chain[0].installed
        else "put the file in the static/ folder of a theme of your own (THEMING.md section 8)"
    )
    return HelperError(
        f"asset_url({name!r}): no such static file in the theme",
        (f"{guess} or " if guess else "") + f"{folder} (the theme has: {known})",
    )


def _site_path(helper: str, path: object) -> str:
    if not isinstance(path, str):
        raise HelperError(f"{helper}() needs a path written as text, such as {helper}('stories/')")
    return path


class Memo:
    """``{{ memo(story_card, story, level=3) }}``: a macro's output, rendered once per arguments.

    For fragments that depend only on their arguments and the site (a story card appears on the
    listing, on each of its values' pages and beside related stories: at 10,000 stories that is
    60,000 renders of 10,000 different cards). Stories and values are keyed by their digests.
    """

    LIMIT = 50_000

    def __init__(self) -> None:
        self.fragments: dict[tuple[Any, ...], Any] = {}

    @internalcode  # hidden from template tracebacks: a macro's own mistakes are the template's
    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Any:
        if not callable(macro):
            raise HelperError("memo() needs a macro first, as in memo(story_card, story)")
        key = (
            getattr(macro, "name", repr(macro)),
            *map(_memo_key, args),
            *sorted((k, _memo_key(v)) for k, v in kwargs.items()),
        )
        found = self.fragments.get(key)
        if found is None:
            if len(self.fragments) >= self.LIMIT:
                self.fragments.clear()  # keep memory flat on huge sites
            found = self.fragments[key] = macro(*args, **kwargs)
        return found


def _memo_key(value: Any) -> Any:
    if isinstance(value, Story | Value):  # the URL too: one story may show in two languages
        return (type(value).__name__, value.digest, value.slug, value.url)
    if isinstance(value, list | tuple):
        return tuple(_memo_key(item) for item in value)
    return value


@pass_context
def format_date(context: Any, date: dt.date, lang: str | None = None) -> str:
    """CLDR's long date in the page's language: ``14 March 2026`` (en), ``14. März 2026`` (de).

    Babel's own CLDR data, never the machine's locale; a language CLDR does not know gets
    ``2026-03-14``.
    """
    _need_date("format_date", date)
    locale = cldr_locale(lang if lang is not None else _page_language(context), dates=True)
    return date.isoformat() if locale is None else cldr_date(date, format="long", locale=locale)


@pass_context
def format_number(context: Any, number: int | float, lang: str | None = None) -> str:
    """A number for people in the page's language: ``1,234.5`` (en), ``1.234,5`` (de)."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise HelperError(
            f"|format_number needs a number, not {kind_of(number) or 'this value'}",
            "THEMING.md section 6 lists the filters",
        )
    locale = cldr_locale(lang if lang is not None else _page_language(context))
    return format_decimal(number, locale=locale if locale is not None else Locale("root"))


def _page_language(context: Any) -> str:
    """The language of the page being rendered (``page.lang``), else the site's."""
    page = context.get("page")
    if isinstance(page, PageMeta):
        return page.lang
    site = context.get("site")
    return site.language if isinstance(site, SiteConfig) else "en"


@functools.lru_cache(maxsize=64)
def cldr_locale(lang: str, dates: bool = False) -> Locale | None:
    """The CLDR locale of a language tag: the exact tag (``de-AT``), else its primary subtag.

    None when CLDR knows neither. ``dates``: a plain ``en`` means ENGLISH_DATES.
    """
    tag = str(lang).replace("_", "-")
    for candidate in dict.fromkeys([tag, tag.split("-")[0]]):
        if dates and candidate.lower() == "en":
            candidate = ENGLISH_DATES
        try:
            return Locale.parse(candidate, sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return None


def iso_date(date: dt.date) -> str:
    """``2026-03-14``."""
    _need_date("iso_date", date)
    return date.isoformat()


def _need_date(helper: str, value: object) -> None:
    """Filters for dates get a date (``story.date``), or the template gets a clear problem."""
    if not isinstance(value, dt.date):
        raise HelperError(
            f"|{helper} needs a date such as story.date, not {kind_of(value) or 'this value'}",
            "a story's date is `story.date`; THEMING.md section 6 lists the filters",
        )


def edition_page(route: Route, index: SiteIndex) -> tuple[Site, SiteIndex, SiteConfig]:
    """The edition, its index and its settings that the page of ``route`` is rendered from."""
    own = index.edition(route)
    assert own.site is not None and own.config is not None
    return own.site, own, own.config


def page_context(route: Route, site: Site, index: SiteIndex, config: SiteConfig) -> dict[str, Any]:
    """Everything one template receives (``config.brand`` already merged with the theme's).

    ``site``, ``index`` and ``config`` are those of the route's edition (``edition_page``).
    """
    context: dict[str, Any] = {"site": config, "values": site.values}
    title, description, lang, image = (
        config.title,
        config.description,
        config.language,
        index.default_image,
    )
    words = ui_strings(index.strings, index.fallback_strings, config.language, config.extra)
    feed_url = absolute_site_url(config, FEED_PATH)
    csp, has_embeds = DEFAULT_CSP, False
    image_alt: str | None = None
    image_size: tuple[int | None, int | None] = (None, None)
    if route.kind == "home":
        context["latest_stories"] = list(site.stories[:HOME_STORY_COUNT])
    elif route.kind == "stories":
        number = int(route.key)
        per_page = config.stories_per_page
        total = len(index.listing_pages)
        context["stories"] = list(site.stories[(number - 1) * per_page : number * per_page])
        context["pagination"] = Pagination(
            number,
            total,
            index.listing_pages[number - 2][1] if number > 1 else None,
            index.listing_pages[number][1] if number < total else None,
            index.listing_pages,
        )
        title = (
            words["page_stories"]
            if number == 1
            else words["page_stories_numbered"].format(number=number, total=total)
        )
        description = words["page_stories_description"].format(company=config.company)
    elif route.kind == "story":
        story = index.story_by_slug[route.key]
        context["story"] = story
        context["related"] = related_stories(story, index)
        title, description, lang = story.title, story.summary, story.lang
        context["share_links"] = page_share_links(
            story.absolute_url,
            story.slug,
            story.title,
            page_url(config, SHARE_MASTODON_PATH) if index.share_page else None,
        )
        image, image_alt, image_size = story_image(story, index, config, image)
        csp, has_embeds = content_security_policy(story.embeds), bool(story.embeds)
        if site.roles:
            context["team_roles"] = team_roles(site, story)
    elif route.kind == "values":
        title, description = (
            words["page_values"],
            words["page_values_description"].format(company=config.company),
        )
    elif route.kind == "value":
        value = index.value_by_slug[route.key]
        context["value"] = value
        context["stories"] = list(index.stories_by_value[value.slug])
        context["other_values"] = other_values(site.values, index.value_position[value.slug])
        title, description = value.title, value.summary
        feed_url = absolute_site_url(config, value_feed_path(value.slug))
        if site.roles:
            context["roles"] = value_roles(site, value.slug)
    elif route.kind == "not_found":
        title, description = words["page_not_found"], words["page_not_found_description"]
    elif route.kind == "share_mastodon":
        title = words["page_share_mastodon"]
        description = words["page_share_mastodon_description"].format(company=config.company)
    elif route.kind in ("jobs", "job"):
        job_page = job_page_context(route.kind, route.key, site, config, context, words)
        title, description, lang = job_page.title, job_page.description, job_page.lang
        feed_url = job_page.feed_url
    if site.roles:
        context["has_roles"] = True  # the menu links to the open roles
    path = site_path(config, route.url)
    url = absolute_site_url(config, path)
    alternates = index.alternates.get(route.group, ())
    versions = {a.hreflang: a.url for a in alternates}
    original_url = None
    if route.kind == "story" and context["story"].untranslated:
        original = context["story"].original
        original_url = url = original.absolute_url
        versions = {original.lang: original.absolute_url}
    origin = absolute_site_url(config, "").removesuffix(config.base_path)
    links = switcher_links(
        config,
        config.language,
        {lang: found.removeprefix(origin) for lang, found in versions.items()},
        index.homes,
    )
    context["page"] = PageMeta(
        route.kind,
        title,
        description,
        url,
        path,
        lang,
        image,
        feed_url,
        csp,
        has_embeds,
        image_alt,
        *image_size,
        alternates=alternates,
        languages=links,
        original_url=original_url,
    )
    return context


CARD_SIZE = (CARD_WIDTH, CARD_HEIGHT)


def story_image(
    story: Story, index: SiteIndex, config: SiteConfig, default: str | None
) -> tuple[str | None, str | None, tuple[int | None, int | None]]:
    """A story's share image: its picture (the 1200×630 crop when made) or its share card.

    Returns the absolute URL, the alternative text and the size; the theme's default picture
    (no alt, no size) when the story has neither.
    """
    if story.image is not None and index.share_cards != "always":
        share = story.image.share_url or story.image.url
        crop = [v for v in story.image.variants if v.share]
        size = (crop[0].width, crop[0].height) if crop else (story.image.width, story.image.height)
        return root_url(config) + share[len(_root_path(config)) :], story.image.alt, size
    if index.share_cards:
        return root_url(config) + story.card_path, card_alt(story), CARD_SIZE
    return default, None, (None, None)


def _root_path(config: SiteConfig) -> str:
    """The URL path of the whole site, also from a language's settings (``/careers/``)."""
    return urlsplit(root_url(config)).path or "/"


def card_alt(story: Story) -> str:
    """The share card's alternative text: what is written on it."""
    who = ", ".join(part for part in (story.author, story.role or "") if part)
    return f"{story.share_title or story.title} – {who}"


OTHER_VALUES_SHOWN = 6
"""How many other values a value's page links to; /values/ lists them all."""


def other_values(values: Sequence[Value], position: int) -> list[Value]:
    """Up to OTHER_VALUES_SHOWN values besides the one at ``position``, in the site's order.

    They are the ones that follow it (from the first again after the last), so every value is
    linked from its predecessors' pages; a site with thousands of values then does not link
    each value's page to all the others, which made the output grow with their square.
    """
    count = min(OTHER_VALUES_SHOWN, len(values) - 1)
    chosen = sorted((position + step) % len(values) for step in range(1, count + 1))
    return [values[number] for number in chosen]


def related_stories(story: Story, index: SiteIndex) -> list[Story]:
    """Up to three newer-first stories that share a value with ``story``."""
    key = _newest_first
    streams = [index.stories_by_value[slug] for slug in story.value_slugs]
    unique = (group for _, group in itertools.groupby(heapq.merge(*streams, key=key), key=_slug))
    merged = (s for s in (next(g) for g in unique) if s.slug != story.slug)
    return list(itertools.islice(merged, RELATED_COUNT))


def _slug(story: Story) -> str:
    return story.slug


def _newest_first(story: Story) -> tuple[int, str, str]:
    return (-story.date.toordinal(), story.title, story.slug)


def render_template(
    env: jinja2.Environment, template: str, context: dict[str, Any], root: Path
) -> str | Diagnostic:
    """Render ``template``; a template mistake becomes a problem at its cause (template_errors)."""
    folders = env.folders if isinstance(env, ThemeEnvironment) else TemplateFolders(())
    if isinstance(env, ThemeEnvironment):
        # A circle would recurse a thousand levels deep on every page that uses it: look first.
        if template not in env.circles:
            env.circles[template] = circle_problem(env, template, folders)
        circle = env.circles[template]
        if circle is not None:
            return circle
    if isinstance(env, ThemeEnvironment) and "ui" not in context:
        site = context.get("site")
        if isinstance(site, SiteConfig):  # the page's edition language and its [extra.strings]
            texts = ui_strings(env.strings, env.fallback_strings, site.language, site.extra)
            context = {**context, "ui": texts}
    try:
        return env.get_template(template).render(context)
    except Exception as exc:
        problem = template_problem(exc, env, template, context, folders)
        if problem is None:
            raise  # brandsite's own code failed while the template ran: not the theme's to fix
        return problem
