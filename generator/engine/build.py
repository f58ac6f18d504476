"""The build, top to bottom: load everything, check everything, then render and write.

1. Settings, theme and content are read and checked; any error stops here, before writing.
2. The files to plan: every file on a first build or when the site's shape changed, else only
   the pages that show or read a changed story (``changes``); a build with no change plans none.
   Each planned file gets a fingerprint (a digest of what it is made from); files whose
   fingerprint matches the last build's are left alone.
3. What is left is rendered — on every core when there is a lot — and written: a full build into a
   staging folder that is swapped in at the end; a small update file by file, each atomically, and
   only after every changed page rendered without a problem.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from ..content.config import CONFIG_FILE, load_config, normalise_base_url
from ..content.linking import image_sources, link_site, planned_pictures
from ..content.loading import Unusable, list_content_files
from ..content.publishing import PublishOptions
from ..errors import has_errors
from ..pictures import responsive as images
from ..roles.entries import load_jobs
from ..share.assets import load_card_theme
from ..share.publish import CARD_CACHE_DIR, plan_cards, publish_cards
from ..site import privacy
from ..site.routes import SHARE_MASTODON_TEMPLATE, plan_routes
from ..theme.rendering import Memo, SiteIndex, make_environment
from ..theme.themes import resolve_theme
from .cache import digest
from .changes import pages_to_plan, plan_memory
from .incremental import (
    BuildState,
    full_digests,
    image_facts,
    manifest_is_current,
    parse_sources,
    stale_records,
)
from .outputs import (
    UPDATE_AT_MOST,
    common_digest,
    outdated,
    plan_jobs,
    site_index,
    write_full,
    write_update,
)
from .records import BuildOptions, BuildResult, Checked, Job, LastBuild
from .writer import build_lock, check_output_folder, remove_leftovers


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
    cards, problems = load_card_theme(theme, config.company)  # fonts and logo, read once
    result.diagnostics += problems
    sources = parse_sources(root, state, config.limits.max_story_kb * 1024)
    result.diagnostics += sources.problems
    jobs, problems = load_jobs(root, config.limits.max_story_kb * 1024)
    result.diagnostics += problems
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
    share_page = theme.has_template(SHARE_MASTODON_TEMPLATE)
    site, problems = link_site(
        config,
        sources.stories,
        sources.values,
        facts,
        files,
        publish,
        str(root),
        state.html,
        jobs,
        share_page,
    )
    result.diagnostics += problems
    if site is None or has_errors(result.diagnostics):
        # A damaged picture only shows when decoded, which a build does after these checks:
        # decode the pictures now, so every problem is reported in this one run.
        pictures = planned_pictures(config, [*sources.stories, *sources.values], facts)
        result.diagnostics += images.verify_images(root, pictures, root / images.IMAGE_CACHE_DIR)
        return None, result
    routes, problems = plan_routes(site, config, share_page)
    result.diagnostics += problems
    result.site = site
    if has_errors(result.diagnostics):
        return None, result
    config = replace(config, brand=theme.brand)
    pages = privacy.PageChecker(root, config, theme, [*sources.stories, *sources.values])
    return Checked(config, theme, site, routes, pages, cards), result


def build(options: BuildOptions, state: BuildState | None = None) -> BuildResult:
    """Check the project, then render and write what changed since the last build."""
    started = time.perf_counter()
    state = state if state is not None else BuildState()
    check_output_folder(options.root, options.output)
    checked, result = check_project(options, state)
    if checked is None:
        result.seconds = time.perf_counter() - started
        return result
    result.timezone = checked.config.timezone
    result.theme_folders = tuple(theme.path for theme in checked.theme.chain)
    # Resized, metadata-free copies of every picture, from the cache when unchanged. A damaged
    # picture only shows when decoded, so this comes before anything is written.
    pictures, problems, _ = images.publish_images(
        options.root, checked.site.images, options.root / images.IMAGE_CACHE_DIR
    )
    result.diagnostics += problems
    # A share card per story, drawn only when the cache lacks it; copied like the pictures.
    cards = publish_cards(
        plan_cards(checked.site.stories, checked.cards) if checked.cards else [],
        options.root / CARD_CACHE_DIR,
        options.jobs,
    )
    result.diagnostics += cards.problems
    result.cards_drawn = cards.drawn
    pictures += cards.files
    if has_errors(result.diagnostics):
        result.seconds = time.perf_counter() - started
        return result
    env = _environment(options.root, checked, state)
    index = site_index(checked)
    today = options.today or site_today(options.now, checked.config.timezone)
    with build_lock(options.output, options.on_lock_wait):
        remove_leftovers(options.output)
        key = str(options.output)
        manifest = state.manifests.get(key)
        if not manifest_is_current(manifest, options.output):
            manifest = None
        full = full_digests(checked.site)
        memory = plan_memory(common_digest(checked), today, checked.routes, checked.site, full)
        pages = None if options.portable else pages_to_plan(manifest, memory)
        last = (
            state.snapshot if state.snapshot is not None and state.snapshot.output == key else None
        )
        if pages is not None and state.keep_snapshot and last is None:
            pages = None  # a session's quick path needs every file's job: plan them all once
        stale = stale_records(manifest, options.output) if manifest is not None else set()
        if pages is not None:
            pages |= stale  # files changed by hand are planned again, to be repaired
        jobs = plan_jobs(checked, index, pictures, pages)
        wanted = {job.output_path for job in jobs} | {route.output_path for route in checked.routes}
        todo = outdated(jobs, manifest, options.output, full, stale)
        if (
            manifest is not None
            and not options.portable
            and len(todo) <= UPDATE_AT_MOST * len(wanted)
        ):
            new_manifest = write_update(
                options, checked, env, index, wanted, todo, manifest, result, full
            )
            state.html.flush()
        else:
            if pages is not None:  # too much changed for an update after all: plan every file
                pages, jobs = None, plan_jobs(checked, index, pictures)
            new_manifest = write_full(options, checked, env, index, jobs, result, state.html, full)
    result.diagnostics += state.html.report()  # a cache failure is a warning, never an error
    if options.portable:  # its files are not what the manifest would record: never update it
        state.manifests.pop(key, None)
    elif new_manifest is not None:
        new_manifest.memory = memory
        state.manifests[key] = new_manifest
        state.snapshot = _snapshot(state, checked, index, jobs, key, pages is None, last)
    result.files = len(wanted)
    result.outputs = tuple(sorted(wanted))
    result.seconds = time.perf_counter() - started
    return result


def _snapshot(
    state: BuildState,
    checked: Checked,
    index: SiteIndex,
    jobs: list[Job],
    key: str,
    planned_all: bool,
    last: LastBuild | None,
) -> LastBuild | None:
    """What a session's quick path needs of this build (nothing for a one-off build)."""
    if not state.keep_snapshot:
        return None
    # Without contexts: the quick path makes them again from the stories it swaps in.
    kept = {job.output_path: replace(job, context=None) for job in jobs}
    if planned_all:
        return LastBuild(checked, index, kept, key)
    if last is not None:  # the files not planned again keep their jobs
        return LastBuild(checked, index, {**last.jobs, **kept}, key)
    return None


def _environment(root: Path, checked: Checked, state: BuildState) -> jinja2.Environment:
    """The Jinja environment; a session reuses it (and its compiled templates) while the theme
    and settings stay the same. ``memo`` starts empty on every build."""
    key = digest(str(root), checked.theme.fingerprint, repr(checked.config))
    env = state.environments.get(key)
    if env is None:
        env = make_environment(root, checked.theme, checked.config, state.templates)
        state.environments = {key: env}
    env.globals["memo"] = Memo()
    return env
