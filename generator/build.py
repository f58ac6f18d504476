"""The build, top to bottom: load everything, check everything, then render and write.

1. Settings, theme and content are read and checked; any error stops here, before writing.
2. Every output file gets a fingerprint (a digest of what it is made from). Files whose fingerprint
   matches the last build's are left alone.
3. What is left is rendered — on every core when there is a lot — and written: a full build into a
   staging folder that is swapped in at the end; a small update file by file, each atomically, and
   only after every changed page rendered without a problem.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from . import images, privacy
from .cache import digest
from .config import CONFIG_FILE, SiteConfig, load_config, normalise_base_url
from .errors import Diagnostic, has_errors
from .incremental import (
    BuildState,
    full_digests,
    image_facts,
    manifest_is_current,
    parse_sources,
)
from .jobs import (
    UPDATE_AT_MOST,
    Snapshot,
    default_share_image,
    outdated,
    plan_jobs,
    write_full,
    write_update,
)
from .linking import image_sources, link_site, planned_pictures
from .loading import Unusable, list_content_files
from .model import Site
from .portable import PortableReport
from .publishing import PublishOptions
from .rendering import Memo, index_site, make_environment
from .routes import Route, plan_routes
from .themes import ResolvedTheme, resolve_theme
from .writer import build_lock, check_output_folder, remove_leftovers


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
    jobs: int = 0
    """Processes to render with; 0 picks one per core for big sites."""
    progress: bool = False
    """Show a progress line on the terminal."""
    portable: bool = False
    """Make every internal link relative and end in a file, so the copy opens from disk; such
    builds are always full (``portable.make_portable`` rewrites the staged files)."""
    on_lock_wait: Callable[[int | None], None] | None = field(default=None, compare=False)
    """Called (with the other build's pid, if known) when another build holds the output lock."""


@dataclass
class BuildResult:
    """What a build did; tests inspect this instead of scraping logs."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """Output paths written by this build (unchanged files are not rewritten)."""
    deleted: list[str] = field(default_factory=list)
    """Output paths removed because the site no longer has them."""
    site: Site | None = None
    seconds: float = 0.0
    config_error: bool = False
    """True when the problems are in settings (site.toml, theme.toml): exit code 2."""
    files: int = 0
    """Files in the finished output."""
    mode: str = ""
    """"full" (staged and swapped), "update" (changed files replaced) or "" (nothing written)."""
    portable: PortableReport | None = None
    """What a portable build rewrote."""

    @property
    def ok(self) -> bool:
        """True when the build produced a site."""
        return not has_errors(self.diagnostics)

    @property
    def pages(self) -> int:
        """HTML pages written by this build."""
        return sum(path.endswith(".html") for path in self.written)


@dataclass(frozen=True)
class Checked:
    """A project that passed every check, ready to render."""

    config: SiteConfig
    theme: ResolvedTheme
    site: Site
    routes: list[Route]
    pages: privacy.PageChecker | None = field(default=None, compare=False)
    """Finds resources from other hosts in rendered pages."""


def site_today(now: dt.datetime, timezone: str) -> dt.date:
    """The calendar day it is in the site's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def check_project(
    options: BuildOptions, state: BuildState | None = None
) -> tuple[Checked | None, BuildResult]:
    """Load and check the whole project without writing anything."""
    state = state if state is not None else BuildState()
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
    sources = parse_sources(root, state, config.limits.max_story_kb * 1024)
    result.diagnostics += sources.problems
    result.diagnostics += privacy.check_sources(
        root, config, theme, [*sources.stories, *sources.values]
    )
    facts = image_facts(root, image_sources([*sources.stories, *sources.values]), state)
    files = (
        list_content_files(root)
        if any(isinstance(f, Unusable) for f in facts.values())
        else frozenset()
    )
    today = options.today or site_today(options.now, config.timezone)
    publish = PublishOptions(today=today, include_drafts=options.include_drafts)
    site, problems = link_site(
        config, sources.stories, sources.values, facts, files, publish, str(root), state.html
    )
    result.diagnostics += problems
    if site is None or has_errors(result.diagnostics):
        # A damaged picture only shows when decoded, which a build does after these checks:
        # decode the pictures now, so every problem is reported in this one run.
        pictures = planned_pictures(config, [*sources.stories, *sources.values], facts)
        result.diagnostics += images.verify_images(root, pictures, root / images.CACHE_DIR)
        return None, result
    routes, problems = plan_routes(site, config)
    result.diagnostics += problems
    result.site = site
    if has_errors(result.diagnostics):
        return None, result
    config = replace(config, brand=theme.brand)
    pages = privacy.PageChecker(root, config, theme, [*sources.stories, *sources.values])
    return Checked(config, theme, site, routes, pages), result


def build(options: BuildOptions, state: BuildState | None = None) -> BuildResult:
    """Check the project, then render and write what changed since the last build."""
    started = time.perf_counter()
    state = state if state is not None else BuildState()
    check_output_folder(options.root, options.output)
    checked, result = check_project(options, state)
    if checked is None:
        result.seconds = time.perf_counter() - started
        return result
    # Resized, metadata-free copies of every picture, from the cache when unchanged. A damaged
    # picture only shows when decoded, so this comes before anything is written.
    pictures, problems, _ = images.publish_images(
        options.root, checked.site.images, options.root / images.CACHE_DIR
    )
    result.diagnostics += problems
    if has_errors(result.diagnostics):
        result.seconds = time.perf_counter() - started
        return result
    env = _environment(options.root, checked, state)
    index = index_site(checked.site, checked.config, default_share_image(checked))
    jobs = plan_jobs(checked, index, pictures)
    with build_lock(options.output, options.on_lock_wait):
        remove_leftovers(options.output)
        key = str(options.output)
        manifest = state.manifests.get(key)
        if not manifest_is_current(manifest, options.output):
            manifest = None
        full = full_digests(checked.site)
        todo = outdated(jobs, manifest, options.output, full)
        if (
            manifest is not None
            and not options.portable
            and len(todo) <= UPDATE_AT_MOST * len(jobs)
        ):
            new_manifest = write_update(
                options, checked, env, index, jobs, todo, manifest, result, full
            )
            state.html.flush()
        else:
            new_manifest = write_full(options, checked, env, index, jobs, result, state.html, full)
    result.diagnostics += state.html.report()  # a cache failure is a warning, never an error
    if options.portable:  # its files are not what the manifest would record: never update it
        state.manifests.pop(key, None)
    elif new_manifest is not None:
        state.manifests[key] = new_manifest
        # Without contexts: the quick path makes them again from the stories it swaps in.
        kept = {job.output_path: replace(job, context=None) for job in jobs}
        state.snapshot = Snapshot(checked, index, kept, key)
    result.files = len(jobs)
    result.seconds = time.perf_counter() - started
    return result


def _environment(root: Path, checked: Checked, state: BuildState) -> jinja2.Environment:
    """The Jinja environment; a session reuses it (and its compiled templates) while the theme
    and settings stay the same. ``memo`` starts empty on every build."""
    key = digest(str(root), checked.theme.fingerprint, repr(checked.config))
    env = state.environments.get(key)
    if env is None:
        env = make_environment(root, checked.theme, checked.config)
        state.environments = {key: env}
    env.globals["memo"] = Memo()
    return env
