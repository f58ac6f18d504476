"""Share cards for the build: one per published story, drawn once and kept in the build cache.

``plan_cards`` says which card each story gets (its ``CardSpec`` and cache key);
``publish_cards`` draws the ones not in the cache — on every core when there are many — and
returns the (output path, cache file) pairs the engine copies, like processed pictures.
``check_cards`` finds the same problems without writing anything (``brandsite check``).

A cache entry is ``<key>.png``, with ``<key>.json`` beside it when drawing found problems (a
title too long, letters the font lacks), so a cached card still reports them on every build.
Most cards have none and are one file: creating files is a third of what storing cards costs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content.model import Story
from ..engine.parallel import run_chunks, split, worker_count
from ..errors import Diagnostic, Severity
from .assets import CardTheme
from .card import CardSpec, card_key, check_card, render_card

CARD_CACHE_DIR = ".brandsite-cache/cards"
PARALLEL_FROM = 12
"""Draw in several processes only from this many cards on (a card takes tens of ms)."""


@dataclass(frozen=True)
class CardJob:
    """One story's card: where it goes, what it is drawn from, and its cache key."""

    output_path: str
    spec: CardSpec
    key: str


@dataclass(frozen=True)
class PublishedCards:
    """The cards of a build: files to copy, problems found, and how many were drawn."""

    files: list[tuple[str, Path]]
    problems: list[Diagnostic]
    drawn: int


def story_card(story: Story, theme: CardTheme) -> CardSpec:
    """What a published story's card is drawn from (its first value's title as the label)."""
    return CardSpec(
        title=story.share_title or story.title,
        person=story.author,
        role=story.role or "",
        value=story.values[0].title if story.values else "",
        style=theme.style,
        bold=theme.bold,
        regular=theme.regular,
        logo=theme.logo,
        brand_name=theme.brand_name,
        lang=story.lang,
        source=story.source,
        title_line=story.share_title_line,
    )


def plan_cards(stories: Iterable[Story], theme: CardTheme) -> list[CardJob]:
    """A card per story, beside its page (``Story.card_path``)."""
    jobs = []
    for story in stories:
        spec = story_card(story, theme)
        jobs.append(CardJob(story.card_path, spec, card_key(spec)))
    return jobs


def publish_cards(jobs: Sequence[CardJob], cache_root: Path, processes: int = 0) -> PublishedCards:
    """Draw the cards the cache lacks (each key once) and list every card's file."""
    notes: dict[str, list[Note] | None] = {}
    present = _cached_names(cache_root)
    for job in jobs:
        if job.key not in notes:
            notes[job.key] = _cached_notes(cache_root, job.key, present)
    missing = list({job.key: job for job in jobs if notes[job.key] is None}.values())
    processes = processes or (worker_count() if len(missing) >= PARALLEL_FROM else 1)
    drawn = 0
    for chunk_notes in run_chunks(_draw_chunk, cache_root, split(missing, max(1, processes))):
        for key, found in chunk_notes:
            notes[key] = found
            drawn += found is not None
    problems: dict[Diagnostic, None] = {}
    files: list[tuple[str, Path]] = []
    for job in jobs:
        found = notes[job.key]
        if found is None:  # not drawn: its problems (a font that cannot be read) say why
            for problem in render_card(job.spec).problems:
                problems[problem] = None
            continue
        for problem in _stamped(found, job):
            problems[problem] = None
        files.append((job.output_path, card_file(cache_root, job.key)))
    return PublishedCards(files, list(problems), drawn)


def check_cards(jobs: Sequence[CardJob], cache_root: Path) -> list[Diagnostic]:
    """The cards' problems without drawing or writing: from the cache, else by laying them out."""
    problems: dict[Diagnostic, None] = {}
    present = _cached_names(cache_root)
    for job in jobs:
        found = _cached_notes(cache_root, job.key, present)
        for problem in _stamped(found, job) if found is not None else check_card(job.spec):
            problems[problem] = None
    return list(problems)


def card_file(cache_root: Path, key: str) -> Path:
    """Where the card with ``key`` is kept."""
    return cache_root / f"{key}.png"


Note = tuple[str, str, str, str, bool]
"""A stored problem: severity, code, message, hint, and whether it is at the title's line."""


def _draw_chunk(cache_root: Path, chunk: Sequence[CardJob]) -> list[tuple[str, list[Note] | None]]:
    """Draw and store each card (in this process or a worker); None for a card not drawn."""
    done: list[tuple[str, list[Note] | None]] = []
    cache_root.mkdir(parents=True, exist_ok=True)
    for job in chunk:
        result = render_card(job.spec)
        if result.png is None:
            done.append((job.key, None))
            continue
        notes = [
            (p.severity.value, p.code, p.message, p.hint, 0 < p.line == job.spec.title_line)
            for p in result.problems
            if p.source == job.spec.source
        ]
        # Problems first, then the picture, each renamed into place: a killed build leaves no
        # entry that looks complete.
        if notes:
            _write_atomically(_notes_file(cache_root, job.key), json.dumps(notes).encode())
        else:
            _notes_file(cache_root, job.key).unlink(missing_ok=True)  # left by an older build
        _write_atomically(card_file(cache_root, job.key), result.png)
        done.append((job.key, notes))
    return done


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cached_names(cache_root: Path) -> frozenset[str]:
    """The names of the files in the card cache, read once (one listing, not a look per card)."""
    try:
        with os.scandir(cache_root) as entries:
            return frozenset(entry.name for entry in entries if entry.is_file())
    except OSError:
        return frozenset()


def _cached_notes(cache_root: Path, key: str, present: frozenset[str]) -> list[Note] | None:
    """The problems stored with the cached card, or None when the card is not in the cache.

    ``present``: the cache's file names (``_cached_names``).
    """
    if f"{key}.png" not in present:
        return None
    if f"{key}.json" not in present:
        return []  # drawn without problems
    try:
        text = _notes_file(cache_root, key).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        raw = json.loads(text)
        return [(str(a), str(b), str(c), str(d), bool(e)) for a, b, c, d, e in raw]
    except (ValueError, TypeError):  # a damaged entry is a cache miss
        return None


def _notes_file(cache_root: Path, key: str) -> Path:
    return cache_root / f"{key}.json"


def _stamped(notes: Iterable[Note], job: CardJob) -> list[Diagnostic]:
    """Stored problems as the story's own (two stories may share a card, not their lines)."""
    return [
        Diagnostic(
            job.spec.source,
            job.spec.title_line if at_title else 0,
            0,
            code,
            message,
            hint,
            Severity(severity),
        )
        for severity, code, message, hint, at_title in notes
    ]
