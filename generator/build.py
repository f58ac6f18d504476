"""The build, top to bottom: load everything, check everything, then render and write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from . import feeds
from .config import CONFIG_FILE, SiteConfig, load_config, normalise_base_url
from .entries import StoryEntry, ValueEntry, parse_story, parse_value
from .errors import Diagnostic, has_errors
from .linking import PublishOptions, image_sources, link_site
from .loading import load_content, probe_images
from .model import Site
from .rendering import SiteIndex, index_site, make_environment, page_context, render_template
from .routes import HTML_KINDS, Route, plan_routes
from .themes import ResolvedTheme, resolve_theme
from .writer import Staging, build_lock, check_output_folder, remove_leftovers


@dataclass(frozen=True)
class BuildOptions:
    """What to build, and as of when."""

    root: Path
    """The project folder (with site.toml, content/ and themes/)."""
    output: Path
    """Where the finished site goes."""
    now: dt.datetime
    """The current moment (time-zone aware); the site's time zone turns it into "today"."""
    today: dt.date | None = None
    """Overrides "today" (``--now``) for previews and tests."""
    include_drafts: bool = False
    """Publish drafts too."""
    base_url: str | None = None
    """Overrides ``base_url`` from site.toml (e.g. for a local preview)."""


@dataclass
class BuildResult:
    """What a build did; tests inspect this instead of scraping logs."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """Output paths written, in order."""
    site: Site | None = None
    seconds: float = 0.0
    config_error: bool = False
    """True when the problems are in settings (site.toml, theme.toml): exit code 2."""

    @property
    def ok(self) -> bool:
        """True when the build produced a site."""
        return not has_errors(self.diagnostics)

    @property
    def pages(self) -> int:
        """HTML pages written."""
        return sum(path.endswith(".html") for path in self.written)


@dataclass(frozen=True)
class Checked:
    """A project that passed every check, ready to render."""

    config: SiteConfig
    theme: ResolvedTheme
    site: Site
    routes: list[Route]


def site_today(now: dt.datetime, timezone: str) -> dt.date:
    """The calendar day it is in the site's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def check_project(options: BuildOptions) -> tuple[Checked | None, BuildResult]:
    """Load and check the whole project without writing anything."""
    result = BuildResult()
    root = options.root
    config, problems = load_config(root)
    if config is None:
        result.diagnostics, result.config_error = problems, True
        return None, result
    if options.base_url:
        config = replace(config, base_url=normalise_base_url(options.base_url))
    theme, problems = resolve_theme(root, config)
    result.diagnostics += problems
    if theme is None:
        result.config_error = all(d.source.endswith((".toml", CONFIG_FILE)) for d in problems)
        return None, result
    content, problems = load_content(root)
    result.diagnostics += problems
    story_entries: list[StoryEntry] = []
    for file in content.stories:
        entry, problems = parse_story(file)
        result.diagnostics += problems
        if entry is not None:
            story_entries.append(entry)
    value_entries: list[ValueEntry] = []
    for file in content.values:
        value, problems = parse_value(file)
        result.diagnostics += problems
        if value is not None:
            value_entries.append(value)
    images = probe_images(root, image_sources(story_entries))
    today = options.today or site_today(options.now, config.timezone)
    publish = PublishOptions(today=today, include_drafts=options.include_drafts)
    site, problems = link_site(
        config, story_entries, value_entries, images, content.files, publish, str(root)
    )
    result.diagnostics += problems
    if site is None or has_errors(result.diagnostics):
        return None, result
    routes, problems = plan_routes(site, config)
    result.diagnostics += problems
    result.site = site
    if has_errors(result.diagnostics):
        return None, result
    return Checked(replace(config, brand=theme.brand), theme, site, routes), result


def build(options: BuildOptions) -> BuildResult:
    """Check the project, render every page into a staging folder, then swap it in."""
    started = time.perf_counter()
    check_output_folder(options.root, options.output)
    checked, result = check_project(options)
    if checked is None:
        result.seconds = time.perf_counter() - started
        return result
    with build_lock(options.output):
        remove_leftovers(options.output)
        staging = Staging(options.output)
        try:
            for output_path, content in render_site(options.root, checked, result):
                staging.write(output_path, content)
            for asset in checked.site.assets:
                staging.copy(asset.output_path, Path(asset.source))
            if has_errors(result.diagnostics):
                staging.abort()
                result.written = []
            else:
                staging.commit()
        except BaseException:
            staging.abort()
            raise
    result.seconds = time.perf_counter() - started
    return result


def render_site(
    root: Path, checked: Checked, result: BuildResult
) -> Iterator[tuple[str, str | bytes]]:
    """Every output file's content, one at a time (so memory stays flat on big sites).

    Template problems are added to ``result``, once per template and line.
    """
    config, site = checked.config, checked.site
    env = make_environment(root, checked.theme, config)
    index = index_site(site)
    seen: set[tuple[str, int, str]] = set()
    for route in checked.routes:
        content = _render_route(route, root, env, checked, index)
        if isinstance(content, Diagnostic):
            key = (content.source, content.line, content.message)
            if key not in seen:
                seen.add(key)
                result.diagnostics.append(content)
            continue
        result.written.append(route.output_path)
        yield route.output_path, content
    for static in checked.theme.static.values():
        result.written.append(static.output_path)
        yield static.output_path, static.content
    result.written += [asset.output_path for asset in site.assets]


def _render_route(
    route: Route, root: Path, env: object, checked: Checked, index: SiteIndex
) -> str | Diagnostic:
    config, site = checked.config, checked.site
    if route.kind in HTML_KINDS:
        assert route.template is not None
        context = page_context(route, site, index, config)
        return render_template(env, route.template, context, root)  # type: ignore[arg-type]
    if route.kind == "feed":
        return feeds.site_feed(config, site.stories)
    if route.kind == "value_feed":
        value = next(v for v in site.values if v.slug == route.key)
        return feeds.value_feed(config, value, index.stories_by_value[value.slug])
    if route.kind == "sitemap":
        return feeds.build_sitemap(config, sitemap_pages(checked.routes, site, index))
    if route.kind == "robots":
        return feeds.build_robots(config)
    raise ValueError(f"no renderer for route kind {route.kind!r}")


def sitemap_pages(
    routes: list[Route], site: Site, index: SiteIndex
) -> list[tuple[str, dt.date | None]]:
    """Every HTML page but the 404, with the date of the newest story it shows."""
    newest = site.stories[0].date if site.stories else None
    pages: list[tuple[str, dt.date | None]] = []
    for route in routes:
        if route.kind not in HTML_KINDS or route.kind == "not_found":
            continue
        path = route.output_path.removesuffix("index.html")
        if route.kind == "story":
            pages.append((path, index.story_by_slug[route.key].date))
        elif route.kind == "value":
            stories = index.stories_by_value[route.key]
            pages.append((path, stories[0].date if stories else None))
        else:
            pages.append((path, newest))
    return pages
