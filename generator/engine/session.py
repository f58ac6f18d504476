"""A build session: the project stays loaded between builds, so a rebuild does only what changed.

Most saves during writing change a story's text and nothing else. For those, the session skips
loading, linking and planning the whole site: it swaps the story in the loaded site and re-renders
exactly the files that read its body last time (its page and the feeds, as the manifest records).
Anything else — a new, deleted or renamed file, a changed title, date, value or summary, a new
picture or embed, a theme or settings change, a problem — takes the full incremental build.
The quick path checks the stamps of site.toml and the theme files first, writes the pages of the
stories the watcher named (so the preview serves them at once), then checks every story's and
value's stamp: a change the watcher did not report sends the rebuild down the full path right
after, instead of being missed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from stat import S_ISREG

from ..content.config import CONFIG_FILE
from ..content.entries import StoryEntry, parse_story
from ..content.linking import story_digests
from ..content.loading import STORIES_DIR, VALUES_DIR, read_source
from ..content.model import Story
from ..errors import Diagnostic
from ..theme.rendering import Memo, SiteIndex
from ..theme.themes import THEMES_DIR
from .build import build
from .cache import PageRecord, Stamp, stamp_of
from .incremental import BuildState, ParsedFile, full_digests, manifest_is_current, stale_records
from .outputs import Rendered, record, render_jobs
from .records import BuildOptions, BuildResult
from .writer import InPlace, build_lock


class IncrementalBuilder:
    """Builds the same project again and again (``brandsite serve``), remembering the last build."""

    def __init__(self, options: BuildOptions, state: BuildState | None = None) -> None:
        self.options = options
        self.state = state if state is not None else BuildState.load(options.root)
        self.state.keep_snapshot = True
        self._settings: dict[str, Stamp] | None = None
        """Stamps of site.toml and the theme files as the last successful full build began:
        the quick path reuses that build's template environment only while they still hold."""

    def build(self, changed: Iterable[Path] | None = None) -> BuildResult:
        """Rebuild; ``changed`` names the files that changed (None: anything may have).

        Every story's stamp is checked either way, so a missed watcher event cannot make the
        preview stale: when other files turn out to have moved too once the quick path wrote the
        changed story's pages, the full build follows at once (and its result names both).
        """
        paths = None if changed is None else [Path(p) for p in changed]
        quick = self._text_only(paths) if paths else None
        if quick is not None and _stamps(self.options.root) == _parsed_stamps(self.state):
            return quick
        result = self._full_build(changed)
        if quick is not None:
            result.written = list(dict.fromkeys([*quick.written, *result.written]))
            result.mode = result.mode or quick.mode
        return result

    def _full_build(self, changed: Iterable[Path] | None) -> BuildResult:
        """The incremental build of the whole project, with this session's memory."""
        settings = _setting_stamps(self.options.root)
        result = build(self.options, self.state)
        if result.ok:
            self._settings = settings
        if changed is None and result.ok:
            self.state.save(self.options.root)
        return result

    def _text_only(self, paths: list[Path]) -> BuildResult | None:
        """The quick rebuild for edits to stories' text only; None when it does not apply.

        It looks only at the files the watcher named, so the changed pages are written (and
        served) first; ``build`` then checks every other file's stamp.
        """
        started = time.perf_counter()
        options, state = self.options, self.state
        snapshot = state.snapshot
        root = options.root
        if snapshot is None or snapshot.output != str(options.output):
            return None
        if self._settings is None or _setting_stamps(root) != self._settings:
            return None  # a template or a setting changed, reported or not: new environment
        config = snapshot.checked.config
        if config.multilingual:
            return None  # a story shows in several editions (untranslated copies): rebuild
        sources: set[str] = set()
        for path in paths:
            try:
                source = path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                return None
            if not (source.startswith(STORIES_DIR + "/") and source.endswith(".md")):
                return None
            sources.add(source)
        stamps = _named_stamps(root, sources)
        if stamps is None or not stamps.keys() <= state.parsed.keys():
            return None  # a new, deleted or unusual file: the full build
        moved = {s for s, stamp in stamps.items() if state.parsed[s].stamp != stamp}
        entries: dict[str, StoryEntry] = {}
        limit = config.limits.max_story_kb * 1024
        for source in moved:
            if (root / source).is_symlink() or stamps[source][1] > limit:
                return None  # the full build says why
            old = state.parsed[source].entry
            file = read_source(root, source)
            if isinstance(file, Diagnostic) or not isinstance(old, StoryEntry):
                return None
            entry, found = parse_story(file)
            if found or entry is None or not _same_but_text(old, entry):
                return None
            entries[source] = entry
        checked, index = snapshot.checked, snapshot.index
        manifest = state.manifests.get(snapshot.output)
        if manifest is None or not manifest_is_current(manifest, options.output):
            return None
        images = checked.site.renderer.images if checked.site.renderer is not None else {}
        swapped = {}
        for source, entry in entries.items():
            published = index.story_by_slug.get(entry.slug.value)
            if published is not None and published.source == source:
                # (a draft's or scheduled story's text shows nowhere yet)
                story_digest, card_digest = story_digests(entry, images)
                swapped[source] = replace(
                    published,
                    body_markdown=entry.body_markdown,
                    digest=story_digest,
                    card_digest=card_digest,
                )
        site = replace(
            checked.site, stories=tuple(swapped.get(s.source, s) for s in checked.site.stories)
        )
        checked = replace(checked, site=site)
        index = replace(_patched(index, swapped), site=site)
        if manifest.memory is not None:  # the last build's, with the swapped stories' own
            full = {**manifest.memory.full, **{s.read_key: s.digest for s in swapped.values()}}
        else:
            full = full_digests(site)
        readers = snapshot.readers if snapshot.readers is not None else _readers(manifest.pages)
        remap = False
        output_paths = sorted(
            {out for story in swapped.values() for out in readers.get(story.read_key, ())}
        )
        todo = [snapshot.jobs[out] for out in output_paths if out in snapshot.jobs]
        if stale_records(manifest, options.output, [job.output_path for job in todo]):
            return None  # files it would rewrite were changed by hand: let the full build repair
        env = next(iter(state.environments.values()), None)
        if env is None:
            return None
        env.globals["memo"] = Memo()
        result = BuildResult(site=site)
        rendered = list(render_jobs(todo, root, env, checked, index))
        if not all(isinstance(item, Rendered) for item in rendered):
            return None  # a problem: let the full build report it
        with build_lock(options.output, options.on_lock_wait):
            writer = InPlace(options.output)
            for item in rendered:
                assert isinstance(item, Rendered)
                out = item.job.output_path
                if item.reads != manifest.pages[out].reads:
                    remap = True  # a page now reads something else: map it afresh next time
                item.write_to(writer)
                manifest.pages[out] = record(writer.written(out), item.job, item.reads, full)
                result.written.append(out)
            writer.commit()
        state.html.flush()
        if manifest.memory is not None:  # the next build compares bodies with these
            manifest.memory = replace(manifest.memory, full=dict(full))
        for source, entry in entries.items():
            state.parsed[source] = ParsedFile(stamps[source], entry, ())
        state.snapshot = replace(
            snapshot, checked=checked, index=index, readers=None if remap else readers
        )
        result.mode = "update" if result.written else ""
        result.files = len(snapshot.jobs)
        result.seconds = time.perf_counter() - started
        return result


def _readers(pages: Mapping[str, PageRecord]) -> dict[str, list[str]]:
    """Read key → the output files whose rendering read it."""
    readers: dict[str, list[str]] = {}
    for path, page in pages.items():
        for key in page.reads:
            readers.setdefault(key, []).append(path)
    return readers


def _patched(index: SiteIndex, swapped: dict[str, Story]) -> SiteIndex:
    """The index with the swapped stories in place of the old ones (order is unchanged)."""
    if not swapped:
        return index
    by_slug = dict(index.story_by_slug)
    by_value = dict(index.stories_by_value)
    for story in swapped.values():
        by_slug[story.slug] = story
        for slug in story.value_slugs:
            by_value[slug] = tuple(swapped.get(s.source, s) for s in by_value[slug])
    return replace(index, story_by_slug=by_slug, stories_by_value=by_value)


def _stamps(root: Path) -> dict[str, Stamp] | None:
    """Stamps of every story and value file: the quick path's check that nothing else moved.

    Leaner than ``loading.scan_sources`` (which the full build runs): any file that is not a
    plain ``.md`` file sends the rebuild down the full path, which reports what is wrong.
    """
    found: dict[str, Stamp] = {}
    for folder in (STORIES_DIR, VALUES_DIR):
        try:
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".md") and not entry.name.startswith("."):
                        if not entry.is_file(follow_symlinks=False):
                            return None
                        found[f"{folder}/{entry.name}"] = stamp_of(entry.stat())
        except OSError:
            return None
    return found


def _named_stamps(root: Path, sources: Iterable[str]) -> dict[str, Stamp] | None:
    """Stamps of the story files the watcher named; None when one is gone or not a plain file."""
    found: dict[str, Stamp] = {}
    for source in sources:
        try:
            stat = os.stat(root / source, follow_symlinks=False)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        found[source] = stamp_of(stat)
    return found


def _parsed_stamps(state: BuildState) -> dict[str, Stamp]:
    """The stamps of the story and value files as the session last parsed them."""
    return {source: parsed.stamp for source, parsed in state.parsed.items()}


def _setting_stamps(root: Path) -> dict[str, Stamp] | None:
    """Stamps of site.toml and of every file under themes/ (hidden ones aside)."""
    found: dict[str, Stamp] = {}
    try:
        found[CONFIG_FILE] = stamp_of(os.stat(root / CONFIG_FILE))
        for folder, dirs, files in os.walk(root / THEMES_DIR):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if not name.startswith("."):
                    path = os.path.join(folder, name)
                    found[path] = stamp_of(os.stat(path, follow_symlinks=False))
    except OSError:
        return None
    return found


def _same_but_text(old: StoryEntry, new: StoryEntry) -> bool:
    """True when only the body changed, in ways no other page and no other file can show."""
    return (
        old.meta_digest == new.meta_digest
        and old.inline_images == new.inline_images
        and old.embeds == new.embeds
        and getattr(old, "posters", None) == getattr(new, "posters", None)
        and getattr(old, "remote_images", None) == getattr(new, "remote_images", None)
        and _links_and_lead(old) == _links_and_lead(new)
    )


def _links_and_lead(entry: StoryEntry) -> tuple[object, ...]:
    """What else of a body shows beyond its page: raw pictures, link targets, the lead rule."""
    return (entry.html_images, {link.value for link in entry.links}, entry.summary_in_body)
