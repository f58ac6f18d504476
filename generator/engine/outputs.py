"""Every output file as a job: planned with a fingerprint, rendered by one loop, and written.

``plan_jobs`` lists the files of the site in a safe writing order, each with the fingerprint of
what it is made from; ``outdated`` compares them with the last build's manifest. ``render_jobs``
is the one render loop; what differs between ways of building is only where its results go:
``write_full`` renders everything into a staging folder (on every core for big sites) and swaps
it in, ``write_update`` renders the changed files in memory and, only if all succeed, replaces
them one by one, ``render_site`` (``brandsite check``) keeps them in memory, and the preview's
quick path (``session``) writes the few it re-renders in place.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Diagnostic, has_errors
from ..site import feeds
from ..site.job_feed import jobs_feed
from ..site.languages import language_redirect
from ..site.portable import make_portable
from ..site.routes import HTML_KINDS, REDIRECT_KIND, Route, absolute_url
from ..theme.job_pages import words_for
from ..theme.rendering import (
    Memo,
    SiteIndex,
    edition_page,
    index_site,
    make_environment,
    page_context,
    render_template,
)
from ..theme.strings import ui_strings
from ..theme.themes import packaged_strings
from .cache import HtmlStore, Manifest, PageRecord, digest, stamp_of
from .incremental import fingerprint, folder_identity, record_of, stale_records, with_reads
from .parallel import run_chunks, split, worker_count
from .records import BuildOptions, BuildResult, Checked, Job
from .writer import InPlace, Staging

PARALLEL_FROM = 400
"""Render in several processes only from this many pages on: forking costs more on small sites."""
BACKGROUND_DELETE_FROM = 2000
"""From this many files on, the previous site is deleted in the background after the swap."""
UPDATE_AT_MOST = 0.3
"""An incremental build updates files in place when at most this share of them changed."""


def default_share_image(checked: Checked) -> str | None:
    """Absolute URL of the theme's share picture, if it has one."""
    name = checked.config.brand.share_image
    static = checked.theme.static.get(name) if name else None
    return absolute_url(checked.config, static.output_path) if static is not None else None


def share_card_use(checked: Checked) -> str:
    """Which stories' ``og:image`` is their share card (``SiteIndex.share_cards``)."""
    if checked.cards is None:
        return ""
    return "always" if checked.cards.prefer else "fallback"


def site_index(checked: Checked) -> SiteIndex:
    """The lookups every page of the checked site renders with (``theme.rendering.index_site``)."""
    return index_site(
        checked.site,
        checked.config,
        default_share_image(checked),
        share_card_use(checked),
        checked.routes,
        strings=checked.theme.strings,
    )


def common_digest(checked: Checked) -> str:
    """What every file's fingerprint starts from: theme, settings and what values show."""
    return digest(
        checked.theme.fingerprint,
        repr(checked.config),
        *(v.card_digest for e in checked.site.all_editions for v in e.values),
    )


def plan_jobs(
    checked: Checked,
    index: SiteIndex,
    pictures: Sequence[tuple[str, Path]] = (),
    pages: Collection[str] | None = None,
) -> list[Job]:
    """Every output file of the site with its fingerprint, in a safe writing order.

    Files come before the pages that link to them (theme assets and images, then story pages,
    then the pages that list stories), so a site updated in place never links to a missing file.
    ``pages`` limits the HTML pages planned to those output paths (``changes.pages_to_plan``);
    every other file is always planned, which costs little.
    """
    config, site = checked.config, checked.site
    common = common_digest(checked)
    jobs = [
        Job(s.output_path, s.output_path, content=s.content) for s in checked.theme.static.values()
    ]
    jobs += [
        Job(a.output_path, _file_fingerprint(Path(a.source)), source=Path(a.source))
        for a in site.assets
    ]
    # Processed pictures: the cache file's name holds a hash of the picture and the copy wanted.
    jobs += [Job(path, digest(str(file)), source=file) for path, file in pictures]
    # Story pages link to the Mastodon share page, so it comes first.
    order = {"share_mastodon": -1, "story": 0, "job": 0, "value": 1, "stories": 2, "values": 2,
             "not_found": 2, "home": 3}  # fmt: skip
    for route in sorted(checked.routes, key=lambda r: order.get(r.kind, 4)):
        context = None
        cards: set[str] = set()
        edition, own, settings = edition_page(route, index)
        if route.kind in HTML_KINDS:
            if pages is not None and route.output_path not in pages:
                continue
            context = page_context(route, edition, own, settings)
            parts: tuple[Any, ...] = (route.kind, route.output_path, context)
        elif route.kind == "feed":
            parts = (
                route.kind,
                route.lang,
                list(feeds.in_feed(edition.stories, config.feed.limit)),
            )
        elif route.kind == "value_feed":
            stories = feeds.in_feed(own.stories_by_value[route.key], config.feed.limit)
            parts = (route.kind, route.lang, route.key, list(stories))
        elif route.kind == "jobs_feed":
            parts = (route.kind, route.lang, list(edition.roles))
        elif route.kind == "sitemap":
            sitemap = feeds.build_sitemap_pages(checked.routes, index)
            parts = (route.kind, repr(sitemap))
        else:
            parts = (route.kind, route.lang)
        print_ = fingerprint(common, *parts, cards=cards)
        jobs.append(
            Job(route.output_path, print_, route=route, context=context, cards=tuple(sorted(cards)))
        )
    return jobs


def _file_fingerprint(path: Path) -> str:
    return digest(str(path), repr(stamp_of(os.stat(path))))


def outdated(
    jobs: Sequence[Job],
    manifest: Manifest | None,
    output: Path,
    full: Mapping[str, str],
    stale: set[str] | None = None,
) -> list[Job]:
    """Jobs whose fingerprint, with the full content of what they read last time, changed.

    ``stale`` are the recorded files changed in the output folder since (found when None).
    """
    if manifest is None:
        return list(jobs)
    stale = stale_records(manifest, output) if stale is None else stale
    outdated = []
    for job in jobs:
        record = manifest.pages.get(job.output_path)
        if (
            record is None
            or job.output_path in stale
            or record.fingerprint != with_reads(job.fingerprint, record.reads, full)
        ):
            outdated.append(job)
    return outdated


def record(path: Path, job: Job, reads: tuple[str, ...], full: Mapping[str, str]) -> PageRecord:
    """What the manifest keeps of a file just written: its fingerprint with what it read."""
    return record_of(path, with_reads(job.fingerprint, reads, full), reads, job.cards)


def write_full(
    options: BuildOptions,
    checked: Checked,
    env: jinja2.Environment,
    index: SiteIndex,
    jobs: list[Job],
    result: BuildResult,
    html_store: HtmlStore,
    full: Mapping[str, str],
) -> Manifest | None:
    """Render everything into a staging folder and swap it in."""
    staging = Staging(options.output, discard_in_background=len(jobs) >= BACKGROUND_DELETE_FROM)
    try:
        records = _produce(options, checked, env, index, jobs, staging, result, html_store, full)
        if has_errors(result.diagnostics):
            staging.abort()
            result.written = []
            return None
        if options.portable:  # every file is staged: links can now point at files that exist
            result.portable = make_portable(staging, records, checked.config.base_path)
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    result.mode = "full"
    return Manifest(str(options.output), folder_identity(options.output), records)


def write_update(
    options: BuildOptions,
    checked: Checked,
    env: jinja2.Environment,
    index: SiteIndex,
    wanted: Collection[str],
    todo: list[Job],
    manifest: Manifest,
    result: BuildResult,
    full: Mapping[str, str],
) -> Manifest | None:
    """Render the changed files in memory; only if all succeed, replace them one by one.

    ``wanted`` is every output path of the site: recorded files not in it are deleted last.
    """
    rendered: list[Rendered] = []
    for item in render_jobs(todo, options.root, env, checked, index):
        if isinstance(item, Diagnostic):
            _add_problem(result, item)
        else:
            rendered.append(item)
    if has_errors(result.diagnostics):
        return None
    writer = InPlace(options.output)
    records = dict(manifest.pages)
    for item in rendered:
        path = item.job.output_path
        item.write_to(writer)
        records[path] = record(writer.written(path), item.job, item.reads, full)
        result.written.append(path)
    for path in sorted(set(records) - set(wanted)):
        writer.delete(path)
        del records[path]
        result.deleted.append(path)
    writer.commit()
    result.mode = "update" if result.written or result.deleted else ""
    return Manifest(manifest.output, manifest.marker, records)


@dataclass(frozen=True)
class RenderTask:
    """What every render worker shares: the checked site, its index and where to write.

    Forked workers inherit it, Jinja environment included; a forkserver's workers get it pickled,
    without the environment (which they make again from the theme and settings).
    """

    root: Path
    checked: Checked
    index: SiteIndex
    staging: Staging
    full: Mapping[str, str]
    html_store: HtmlStore
    progress: _Progress | None
    processes: int
    env: jinja2.Environment | None = None
    template_cache: jinja2.BytecodeCache | None = None
    """Where the shared environment keeps compiled templates (a worker's own uses it too)."""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "env": None}

    def environment(self) -> jinja2.Environment:
        """The shared environment, or one made in this worker process."""
        if self.env is not None:
            return self.env
        env = make_environment(
            self.root, self.checked.theme, self.checked.config, self.template_cache
        )
        env.globals["memo"] = Memo()
        object.__setattr__(self, "env", env)
        return env


def _produce(
    options: BuildOptions,
    checked: Checked,
    env: jinja2.Environment,
    index: SiteIndex,
    jobs: list[Job],
    staging: Staging,
    result: BuildResult,
    html_store: HtmlStore,
    full: Mapping[str, str],
) -> dict[str, PageRecord]:
    """Render and write every job into ``staging``, on several cores for big sites."""
    processes = options.jobs or (worker_count() if len(jobs) >= PARALLEL_FROM else 1)
    progress = _Progress(len(jobs), processes) if options.progress else None
    if processes > 1:
        # Open (and repair) the Markdown cache here, then close it: each worker opens its own
        # connection, and none crosses a fork.
        html_store.prepare()
    task = RenderTask(
        options.root,
        checked,
        index,
        staging,
        full,
        html_store,
        progress,
        processes,
        env,
        env.bytecode_cache,
    )
    records: dict[str, PageRecord] = {}
    for chunk_records, problems, written in run_chunks(_render_chunk, task, split(jobs, processes)):
        records.update(chunk_records)
        for problem in problems:
            _add_problem(result, problem)
        result.written += written
    if progress is not None:
        progress.done()
    order = {job.output_path: number for number, job in enumerate(jobs)}
    result.written.sort(key=order.__getitem__)
    return records


def _render_chunk(
    task: RenderTask, chunk: Sequence[Job]
) -> tuple[dict[str, PageRecord], list[Diagnostic], list[str]]:
    """Render and write ``chunk`` into the staging folder (in this process or a worker)."""
    records: dict[str, PageRecord] = {}
    problems: list[Diagnostic] = []
    written: list[str] = []
    staging = task.staging
    for item in render_jobs(chunk, task.root, task.environment(), task.checked, task.index):
        if isinstance(item, Diagnostic):
            problems.append(item)
            continue
        path = item.job.output_path
        item.write_to(staging)
        records[path] = record(staging.path / path, item.job, item.reads, task.full)
        written.append(path)
        if task.progress is not None:
            task.progress.show(len(written))
    task.html_store.flush()  # each process writes the Markdown it converted
    problems += task.html_store.report()
    return records, problems, written


@dataclass(frozen=True)
class Rendered:
    """One job's content, and the stories and values whose whole text making it read."""

    job: Job
    content: str | bytes | Path
    """Text or bytes to write, or a file to copy."""
    reads: tuple[str, ...]

    def write_to(self, sink: Staging | InPlace) -> None:
        """Write (or copy) the content into ``sink`` at the job's output path."""
        if isinstance(self.content, Path):
            sink.copy(self.job.output_path, self.content)
        else:
            sink.write(self.job.output_path, self.content)


def render_jobs(
    jobs: Iterable[Job], root: Path, env: jinja2.Environment, checked: Checked, index: SiteIndex
) -> Iterator[Rendered | Diagnostic]:
    """The one render loop, for every way of building: each job rendered, then its page problems.

    A full build writes what it yields into a staging folder (on every core), an update into the
    output folder once all rendered, ``check`` into memory, and the preview's quick path in place.
    """
    for job in jobs:
        content, reads = content_and_reads(job, root, env, checked, index)
        if isinstance(content, Diagnostic):
            yield content
            continue
        yield from page_problems(checked, job.route, content)
        yield Rendered(job, content, reads)


def _add_problem(result: BuildResult, problem: Diagnostic) -> None:
    """Template problems repeat on every page that uses the template: report each once."""
    if not any(
        (d.source, d.line, d.message) == (problem.source, problem.line, problem.message)
        for d in result.diagnostics
    ):
        result.diagnostics.append(problem)


def page_problems(
    checked: Checked, route: Route | None, content: str | bytes | Path
) -> list[Diagnostic]:
    """Resources from other hosts that only the rendered page shows (privacy.PageChecker)."""
    if checked.pages is None or route is None or route.template is None:
        return []
    assert isinstance(content, str)
    return checked.pages.check(route.template, content)


def content_and_reads(
    job: Job, root: Path, env: jinja2.Environment, checked: Checked, index: SiteIndex
) -> tuple[str | bytes | Path | Diagnostic, tuple[str, ...]]:
    """The job's content, and the stories and values whose full content producing it read."""
    renderer = checked.site.renderer
    if renderer is None or job.route is None:
        return _content(job, root, env, checked, index), ()
    renderer.read_log = set()
    try:
        content = _content(job, root, env, checked, index)
        return content, tuple(sorted(renderer.read_log))
    finally:
        renderer.read_log = None


def _content(
    job: Job, root: Path, env: jinja2.Environment, checked: Checked, index: SiteIndex
) -> str | bytes | Path | Diagnostic:
    if job.content is not None:
        return job.content
    if job.source is not None:
        return job.source
    assert job.route is not None
    return render_route(job.route, root, env, checked, index, job.context)


def render_route(
    route: Route,
    root: Path,
    env: jinja2.Environment,
    checked: Checked,
    index: SiteIndex,
    context: dict[str, Any] | None = None,
) -> str | Diagnostic:
    """The content of one routed output file (an HTML page from ``context`` when given)."""
    site, own, config = edition_page(route, index)
    if route.kind in HTML_KINDS:
        assert route.template is not None
        if context is None:
            context = page_context(route, site, own, config)
        return render_template(env, route.template, context, root)
    limit = config.feed.limit
    if route.kind == "feed":
        return feeds.site_feed(config, feeds.in_feed(site.stories, limit))
    if route.kind == "value_feed":
        value = own.value_by_slug[route.key]  # not a search: there may be thousands
        return feeds.value_feed(
            config, value, feeds.in_feed(own.stories_by_value[value.slug], limit)
        )
    if route.kind == "jobs_feed":
        words = words_for(
            config,
            ui_strings(checked.theme.strings, packaged_strings(), config.language, config.extra),
        )
        return jobs_feed(
            config,
            site.roles,
            f"{words['jobs']} – {config.title}",
            words["jobs_description"].format(company=config.company),
        )
    if route.kind == "sitemap":
        return feeds.build_sitemap(checked.config, feeds.build_sitemap_pages(checked.routes, index))
    if route.kind == "robots":
        return feeds.build_robots(checked.config)
    if route.kind == REDIRECT_KIND:
        return language_redirect(checked.config, index.homes[checked.config.language])
    raise ValueError(f"no renderer for route kind {route.kind!r}")


def render_site(root: Path, checked: Checked, result: BuildResult) -> Iterator[tuple[str, str]]:
    """Every routed file's content, one at a time (``brandsite check`` renders without writing)."""
    env = make_environment(root, checked.theme, checked.config)
    index = site_index(checked)
    jobs = [Job(route.output_path, "", route=route) for route in checked.routes]
    for item in render_jobs(jobs, root, env, checked, index):
        if isinstance(item, Diagnostic):
            _add_problem(result, item)
        elif isinstance(item.content, str):
            yield item.job.output_path, item.content


class _Progress:
    """``rendering 4,210/11,123 pages`` on a terminal; silent in CI logs and pipes."""

    def __init__(self, total: int, processes: int) -> None:
        self.total, self.processes = total, processes
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def show(self, done_here: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        done = min(self.total, done_here * self.processes)
        sys.stderr.write(f"\rrendering {done:,}/{self.total:,} files")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
