"""What one build remembers for the next: parsed files, image facts, page fingerprints.

A page is a pure function of its template set, the settings and its context, so its fingerprint is
a digest of exactly those. A page whose fingerprint did not change is neither rendered nor written.
The state lives in memory between the builds of ``brandsite serve`` and in ``.brandsite-cache/``
between ``brandsite build`` runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..content.entries import StoryEntry, ValueEntry, parse_story, parse_value
from ..content.loading import (
    MAX_TEXT_BYTES,
    STORIES_DIR,
    ImageFacts,
    Unusable,
    probe_images,
    read_source,
    scan_sources,
)
from ..content.model import Role, Site, Story, Value
from ..errors import Diagnostic
from ..share.links import PageShareLink
from ..theme.rendering import PageMeta, Pagination
from .cache import (
    BUILD_CACHE_DIR,
    HtmlStore,
    Manifest,
    PageRecord,
    Stamp,
    digest,
    load_pickle,
    save_pickle,
    stamp_of,
)
from .pickling import fast_pickle
from .template_cache import TEMPLATE_CACHE_DIR, SignedBytecodeCache

if TYPE_CHECKING:
    from .records import LastBuild

PARSED_FILE = "parsed.pickle"
HTML_FILE = "html.sqlite"


@fast_pickle
@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A content file as the last parse left it."""

    stamp: Stamp
    entry: StoryEntry | ValueEntry | None
    problems: tuple[Diagnostic, ...]


@dataclass
class Sources:
    """Parsed stories and values, and every problem found on the way."""

    stories: list[StoryEntry]
    values: list[ValueEntry]
    problems: list[Diagnostic]


@dataclass
class BuildState:
    """The memory of earlier builds; empty means "build everything"."""

    parsed: dict[str, ParsedFile] = field(default_factory=dict)
    images: dict[str, tuple[Stamp, ImageFacts | Unusable]] = field(default_factory=dict)
    manifests: dict[str, Manifest] = field(default_factory=dict)
    """Per output folder (absolute path)."""
    html: HtmlStore = field(default_factory=lambda: HtmlStore(None))
    environments: dict[str, jinja2.Environment] = field(default_factory=dict)
    """The Jinja environment of the last build (kept in memory only), by theme and settings."""
    snapshot: LastBuild | None = None
    """The last successful build's site, index and jobs (memory only)."""
    templates: jinja2.BytecodeCache | None = None
    """Compiled templates kept in the cache folder (``template_cache``); None: compile each."""
    keep_snapshot: bool = False
    """A session sets this: its quick path needs every file's job in ``snapshot``."""

    @classmethod
    def load(cls, root: Path) -> BuildState:
        """The state saved in ``ROOT/.brandsite-cache/``; anything unreadable is dropped."""
        folder = root / BUILD_CACHE_DIR
        saved = load_pickle(folder / PARSED_FILE, dict) or {}
        state = cls(
            html=HtmlStore(folder / HTML_FILE, f"{BUILD_CACHE_DIR}/{HTML_FILE}"),
            templates=SignedBytecodeCache(root / TEMPLATE_CACHE_DIR),
        )
        if isinstance(saved.get("parsed"), dict):
            state.parsed = saved["parsed"]
        if isinstance(saved.get("images"), dict):
            state.images = saved["images"]
        if isinstance(saved.get("manifests"), dict):
            state.manifests = saved["manifests"]
        return state

    def save(self, root: Path) -> None:
        """Keep the state for the next ``brandsite build`` (without bodies: the files have them)."""
        self.html.flush()
        self.parsed = {source: _without_body(parsed) for source, parsed in self.parsed.items()}
        data = {"parsed": self.parsed, "images": self.images, "manifests": self.manifests}
        save_pickle(root / BUILD_CACHE_DIR / PARSED_FILE, data)


def _without_body(parsed: ParsedFile) -> ParsedFile:
    entry = parsed.entry
    if entry is None or entry.body_markdown is None:
        return parsed
    return replace(parsed, entry=replace(entry, body_markdown=None))


def parse_sources(root: Path, state: BuildState, max_bytes: int = MAX_TEXT_BYTES) -> Sources:
    """Parse every story and value, reusing what the state has for unchanged files.

    Files over ``max_bytes`` (``[limits] max_story_kb``) are problems and never parsed.
    """
    stamps, problems = scan_sources(root, max_bytes)
    parsed: dict[str, ParsedFile] = {}
    stories: list[StoryEntry] = []
    values: list[ValueEntry] = []
    for source, stamp in stamps.items():
        known = state.parsed.get(source)
        if known is None or known.stamp != stamp:
            known = _parse(root, source, stamp)
        parsed[source] = known
        problems.extend(known.problems)
        if isinstance(known.entry, StoryEntry):
            stories.append(known.entry)
        elif isinstance(known.entry, ValueEntry):
            values.append(known.entry)
    state.parsed = parsed
    return Sources(stories, values, problems)


def _parse(root: Path, source: str, stamp: Stamp) -> ParsedFile:
    file = read_source(root, source)
    if isinstance(file, Diagnostic):
        return ParsedFile(stamp, None, (file,))
    # Bodies stay in the files: checked here, read again where they are converted.
    parse = parse_story if source.startswith(STORIES_DIR) else parse_value
    entry, problems = parse(file, keep_body=False)
    return ParsedFile(stamp, entry, tuple(problems))


def image_facts(
    root: Path, sources: Iterable[str], state: BuildState
) -> dict[str, ImageFacts | Unusable]:
    """Dimensions of each image (or why it is unusable), probing only new or changed files."""
    facts: dict[str, ImageFacts | Unusable] = {}
    kept: dict[str, tuple[Stamp, ImageFacts | Unusable]] = {}
    to_probe: dict[str, Stamp] = {}
    for source in sorted(set(sources)):
        try:
            stamp = stamp_of(os.stat(root / source))
        except (OSError, ValueError):  # ValueError: a NUL in the path
            # Missing, or a link out of content/: the probe gives the one answer for both.
            facts.update(probe_images(root, [source]))
            continue
        known = state.images.get(source)
        if known is not None and known[0] == stamp:
            facts[source] = known[1]
            kept[source] = known
        else:
            to_probe[source] = stamp
    for source, fact in probe_images(root, to_probe).items():
        facts[source] = fact
        kept[source] = (to_probe[source], fact)
    state.images = kept
    return facts


def fold(value: Any, cards: set[str] | None = None) -> str:
    """A digest-ready text of a template context: stories and values stand in by their digests.

    ``cards`` collects the read keys of the stories met on the way (what the page shows as cards).
    """
    if isinstance(value, Story):  # bodies (and counts) count only where read: see read_log
        if cards is not None:
            cards.add(value.read_key)
        return "S" + value.card_digest
    if isinstance(value, Value):
        return "V" + value.card_digest
    if isinstance(value, Role):  # any change to a role re-plans every file (changes.plan_memory)
        return "R" + value.digest
    if isinstance(value, list | tuple):
        if value and all(type(item) is Story for item in value):  # the common case, made fast
            if cards is not None:
                cards.update([item.read_key for item in value])
            return "[S" + ",S".join([item.card_digest for item in value]) + "]"
        if value and all(type(item) is Value for item in value):
            return "[V" + ",V".join([item.card_digest for item in value]) + "]"
        return "[" + ",".join(fold(item, cards) for item in value) + "]"
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join(f"{key}:{fold(value[key], cards)}" for key in sorted(value) if key != "site")
            + "}"
        )
    if isinstance(value, Pagination):  # its URLs follow from these and the settings
        return repr((value.number, value.total_pages))
    if isinstance(value, PageMeta | PageShareLink | str | int | float | bool) or value is None:
        return repr(value)
    raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")


def fingerprint(common: str, *parts: Any, cards: set[str] | None = None) -> str:
    """The fingerprint of one output file (collecting the stories it shows into ``cards``)."""
    return digest(common, *(fold(part, cards) for part in parts))


def manifest_is_current(manifest: Manifest | None, output: Path) -> bool:
    """True when the output folder is exactly what the manifest says the last build left."""
    if manifest is None or manifest.output != str(output):
        return False
    try:
        if _folder_identity(output) != manifest.marker:
            return False
    except OSError:
        return False
    return True


def stale_records(manifest: Manifest, output: Path, only: Iterable[str] | None = None) -> set[str]:
    """Recorded files (all, or ``only`` these) since changed or removed in the output folder."""
    stale = set()
    base = str(output)
    for path in manifest.pages if only is None else only:
        record = manifest.pages.get(path)
        if record is None:
            continue
        try:
            stat = os.stat(os.path.join(base, path))
        except OSError:
            stale.add(path)
            continue
        if stat.st_size != record.size or stat.st_mtime_ns != record.mtime_ns:
            stale.add(path)
    return stale


def record_of(
    path: Path, fingerprint_value: str, reads: tuple[str, ...] = (), cards: tuple[str, ...] = ()
) -> PageRecord:
    """What to remember about a file just written."""
    stat = os.stat(path)
    return PageRecord(fingerprint_value, stat.st_size, stat.st_mtime_ns, reads, cards)


def full_digests(site: Site) -> dict[str, str]:
    """Read key → digest of the full content, for every story and value."""
    digests = {story.read_key: story.digest for story in site.stories}
    for edition in site.all_editions:
        digests.update((value.read_key, value.digest) for value in edition.values)
        digests.update((role.read_key, role.digest) for role in edition.roles)
    return digests


def with_reads(base: str, reads: Sequence[str], full: Mapping[str, str]) -> str:
    """A file's fingerprint: its own plus the full content of what rendering it read.

    A story listed on a page counts there by what listings show of it (``card_digest``); only
    pages that read its body (its own page, feeds, and any template that shows more) depend
    on the body. Which ones do is learned when they render, and kept in the manifest.
    """
    if not reads:
        return base
    return digest(base, *(f"{key}={full.get(key, '-')}" for key in reads))


def folder_identity(output: Path) -> str:
    """Identity of the output folder itself, which a full build's swap changes."""
    return _folder_identity(output)


def _folder_identity(output: Path) -> str:
    stat = os.stat(output)
    return f"{stat.st_dev}:{stat.st_ino}"
