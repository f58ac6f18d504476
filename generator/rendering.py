"""Templates → HTML strings: the Jinja environment, page contexts, and template errors as problems."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context

from .config import SiteConfig
from .errors import Diagnostic, error
from .model import Site, Story
from .routes import Route, listing_path, page_count, page_url
from .themes import ResolvedTheme

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
}  # fmt: skip
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


@dataclass(frozen=True)
class Pagination:
    """Where a listing page sits among its siblings."""

    number: int
    total_pages: int
    prev_url: str | None
    next_url: str | None
    pages: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class SiteIndex:
    """Lookups computed once per build and shared by every page."""

    stories_by_value: Mapping[str, tuple[Story, ...]]
    story_by_slug: Mapping[str, Story]


def index_site(site: Site) -> SiteIndex:
    """Group stories by value (newest first, as ``site.stories`` is)."""
    by_value: dict[str, list[Story]] = {value.slug: [] for value in site.values}
    for story in site.stories:
        for slug in story.value_slugs:
            by_value[slug].append(story)
    return SiteIndex({k: tuple(v) for k, v in by_value.items()}, {s.slug: s for s in site.stories})


def make_environment(root: Path, theme: ResolvedTheme, config: SiteConfig) -> jinja2.Environment:
    """A strict Jinja environment over the theme chain, with brandsite's helpers and filters."""
    dirs = [str(d) for d in theme.template_dirs]
    prefixed = {t.name: jinja2.FileSystemLoader(str(t.path / "templates")) for t in theme.chain}
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(dirs), jinja2.PrefixLoader(prefixed)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )

    def asset_url(name: str) -> str:
        static = theme.static.get(name)
        if static is None:
            known = ", ".join(sorted(theme.static))
            raise jinja2.TemplateRuntimeError(
                f"asset_url({name!r}): no such static file (theme has: {known})"
            )
        return page_url(config, static.output_path)

    env.globals.update(
        url_for=lambda path="": page_url(config, path.lstrip("/")),
        absolute_url=lambda path="": config.base_url + path.lstrip("/"),
        asset_url=asset_url,
    )
    env.filters.update(format_date=format_date, iso_date=iso_date)
    return env


@pass_context
def format_date(context: Any, date: dt.date, lang: str | None = None) -> str:
    """``14 March 2026`` (en), ``14. März 2026`` (de): explicit formats, never the OS locale."""
    if lang is None:
        page = context.get("page")
        lang = page.lang if isinstance(page, PageMeta) else "en"
    base = lang.split("-")[0].lower()
    if base == "de":
        return f"{date.day}. {MONTHS['de'][date.month - 1]} {date.year}"
    if base == "en":
        return f"{date.day} {MONTHS['en'][date.month - 1]} {date.year}"
    return date.isoformat()


def iso_date(date: dt.date) -> str:
    """``2026-03-14``."""
    return date.isoformat()


def page_context(route: Route, site: Site, index: SiteIndex, config: SiteConfig) -> dict[str, Any]:
    """Everything one template receives (``config.brand`` already merged with the theme's)."""
    path = route.url[len(config.base_path) :]
    meta = PageMeta(
        route.kind,
        config.title,
        config.description,
        config.base_url + path,
        path,
        config.language,
        None,
        config.base_url + "feed.xml",
    )
    context: dict[str, Any] = {"site": config, "values": site.values}
    if route.kind == "home":
        context["latest_stories"] = list(site.stories[:HOME_STORY_COUNT])
    elif route.kind == "stories":
        number = int(route.key)
        per_page = config.stories_per_page
        total = page_count(len(site.stories), per_page)
        context["stories"] = list(site.stories[(number - 1) * per_page : number * per_page])
        context["pagination"] = Pagination(
            number, total,
            page_url(config, listing_path(number - 1)) if number > 1 else None,
            page_url(config, listing_path(number + 1)) if number < total else None,
            tuple((n, page_url(config, listing_path(n))) for n in range(1, total + 1)),
        )  # fmt: skip
        title = "Stories" if number == 1 else f"Stories – page {number} of {total}"
        meta = replace(
            meta, title=title, description=f"Stories from the people of {config.company}."
        )
    elif route.kind == "story":
        story = index.story_by_slug[route.key]
        context["story"] = story
        context["related"] = related_stories(story, index)
        image = config.base_url + story.image.output_path if story.image else None
        meta = replace(
            meta, title=story.title, description=story.summary, lang=story.lang, image=image
        )
    elif route.kind == "values":
        meta = replace(meta, title="Our values", description=f"What {config.company} stands for.")
    elif route.kind == "value":
        value = next(v for v in site.values if v.slug == route.key)
        context["value"] = value
        context["stories"] = list(index.stories_by_value[value.slug])
        meta = replace(
            meta,
            title=value.title,
            description=value.summary,
            feed_url=f"{config.base_url}values/{value.slug}/feed.xml",
        )
    elif route.kind == "not_found":
        meta = replace(meta, title="Page not found", description="This page does not exist.")
    context["page"] = meta
    return context


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
    """Render ``template``; a template mistake becomes a problem at the template's file:line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        return error(
            _relative(exc.filename, root) or f"template {template}",
            exc.lineno or 0,
            "template-syntax",
            f"template syntax error: {exc.message}",
            "check the {% %} and {{ }} tags on that line; every {% block %}, {% if %} and "
            "{% for %} needs its {% end… %}",
        )
    except jinja2.TemplateNotFound as exc:
        return error(
            f"themes (template {template})",
            0,
            "template-missing",
            f"the theme has no template `{exc.name}`",
            "add it to the theme's templates/ folder, or extend a theme that has it",
        )
    except jinja2.UndefinedError as exc:
        source, line = _template_frame(exc, root)
        return error(
            source or f"template {template}",
            line,
            "template-undefined",
            f"template uses something that does not exist: {exc.message}",
            "check the spelling; THEMING.md lists the variables each template receives",
        )
    except Exception as exc:  # any other failure inside a theme is the theme's to fix
        source, line = _template_frame(exc, root)
        return error(
            source or f"template {template}",
            line,
            "template-error",
            f"the template failed: {exc}",
            "see THEMING.md for the helpers and filters",
        )


def _template_frame(exc: BaseException, root: Path) -> tuple[str, int]:
    """The innermost traceback frame that is a template file (Jinja rewrites frames so)."""
    found = ("", 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        relative = _relative(frame.filename, root)
        if relative and relative.startswith("themes/"):
            found = (relative, frame.lineno or 0)
    return found


def _relative(filename: str | None, root: Path) -> str | None:
    if not filename:
        return None
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
