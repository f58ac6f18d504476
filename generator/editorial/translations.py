"""Which translations are missing, stale or orphaned, language by language, as data and as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..content.config import SiteConfig
from ..content.entries import StoryEntry
from ..content.publishing import PublishStatus
from ..content.staleness import mark_command, original_digest
from ..content.translations import story_versions
from ..errors import printable
from .project import DRAFT, EXPIRED, PUBLISHED, SCHEDULED, story_status


@dataclass(frozen=True)
class MissingTranslation:
    """An original with no version in a language."""

    source: str
    title: str
    status: PublishStatus
    lang: str
    """The original's language (the title is in it)."""


@dataclass(frozen=True)
class StaleTranslation:
    """A translation made from an older text of its original, or never marked."""

    source: str
    line: int
    """Line of ``translated_from``, or of ``translation_of`` when never marked."""
    original: str
    marked: str | None
    """The digest it records; None when it was never marked."""
    current: str
    """The digest of the original's text now."""


@dataclass(frozen=True)
class OrphanedTranslation:
    """A story that says it is a translation but links to no original."""

    source: str
    line: int
    reason: str
    """Why, as ``brandsite check`` says it."""


@dataclass(frozen=True)
class LanguageStatus:
    """One language of the site: its stories and the state of its translations."""

    lang: str
    published: int
    scheduled: int
    drafts: int
    originals: int
    """Stories written first in this language."""
    current: int
    """Translations into this language that are up to date."""
    missing: tuple[MissingTranslation, ...]
    stale: tuple[StaleTranslation, ...]
    orphaned: tuple[OrphanedTranslation, ...]

    @property
    def needs_work(self) -> bool:
        """Something is missing, stale or orphaned."""
        return bool(self.missing or self.stale or self.orphaned)


@dataclass(frozen=True)
class TranslationStatus:
    """The translations of the whole site as of ``today``."""

    today: dt.date
    default_language: str
    languages: tuple[LanguageStatus, ...]
    """In the order of ``languages`` in site.toml."""

    @property
    def needs_work(self) -> bool:
        """Some language has a missing, stale or orphaned translation."""
        return any(lang.needs_work for lang in self.languages)


def translation_status(
    config: SiteConfig, stories: Sequence[StoryEntry], today: dt.date
) -> TranslationStatus:
    """Per language: missing versions of originals (expired ones need none), stale and orphaned
    translations, and how many stories are published, scheduled and drafts."""
    versions, problems = story_versions(config, stories)
    by_source = {entry.source: entry for entry in stories}
    status = {e.source: story_status(e, today, config.require_consent) for e in stories}
    reasons: dict[str, str] = {}
    covered: dict[str, set[str]] = {}
    for source, of in versions.original_of.items():
        covered.setdefault(of, set()).add(versions.lang_of[source])
    for problem in sorted(problems):
        reasons.setdefault(problem.source, problem.message)
    found = []
    for lang in config.languages:
        mine = sorted(
            (e for e in stories if versions.lang_of[e.source] == lang), key=lambda e: e.source
        )
        originals = [e for e in mine if e.translation_of is None]
        linked = [e for e in mine if versions.original_of[e.source] != e.source]
        stale = []
        for entry in linked:
            original = by_source[versions.original_of[entry.source]]
            current = original_digest(original)
            marked = entry.translated_from
            if current and (marked is None or marked.value != current):
                assert entry.translation_of is not None
                line = marked.line if marked else entry.translation_of.line
                value = marked.value if marked else None
                stale.append(StaleTranslation(entry.source, line, original.source, value, current))
        missing = [
            MissingTranslation(e.source, e.title, status[e.source], versions.lang_of[e.source])
            for e in sorted(stories, key=lambda e: e.source)
            if e.translation_of is None
            and versions.lang_of[e.source] != lang
            and status[e.source] != EXPIRED
            and lang not in covered.get(e.source, ())
        ]
        orphaned = [
            OrphanedTranslation(
                e.source,
                e.translation_of.line,
                reasons.get(e.source, "it links to no original"),
            )
            for e in mine
            if e.translation_of is not None and versions.original_of[e.source] == e.source
        ]
        found.append(
            LanguageStatus(
                lang=lang,
                published=sum(status[e.source] == PUBLISHED for e in mine),
                scheduled=sum(status[e.source] == SCHEDULED for e in mine),
                drafts=sum(status[e.source] == DRAFT for e in mine),
                originals=len(originals),
                current=len(linked) - len(stale),
                missing=tuple(missing),
                stale=tuple(stale),
                orphaned=tuple(orphaned),
            )
        )
    return TranslationStatus(today, config.language, tuple(found))


def format_translations(report: TranslationStatus) -> str:
    """The status for people: per language its counts, then what is missing, stale, orphaned."""
    names = ", ".join(lang.lang for lang in report.languages)
    out = [f"Translations ({names}):"]
    for lang in report.languages:
        default = " (default language)" if lang.lang == report.default_language else ""
        out += [
            "",
            f"{printable(lang.lang)}{default}: {lang.published} published, {lang.scheduled} "
            f"scheduled, {_plural(lang.drafts, 'draft')}; {lang.originals} written in it, "
            f"{lang.current} up-to-date translation{'' if lang.current == 1 else 's'}",
        ]
        if lang.missing:
            out.append(f"  missing ({len(lang.missing)}): no version in {lang.lang!r} yet")
            out += [
                f"    {printable(m.source)}  “{printable(m.title)}” ({m.status})"
                for m in lang.missing
            ]
        if lang.stale:
            out.append(f"  stale ({len(lang.stale)}): made from an older text of the original")
            out += [f"    {printable(s.source)}:{s.line}  {_stale_reason(s)}" for s in lang.stale]
        if lang.orphaned:
            out.append(f"  orphaned ({len(lang.orphaned)}): `translation_of` links to no original")
            out += [
                f"    {printable(o.source)}:{o.line}  {printable(o.reason)}" for o in lang.orphaned
            ]
        if not lang.needs_work:
            out.append("  nothing missing, nothing stale")
    if report.needs_work:
        out += [
            "",
            "Next: bring a stale translation up to date with its original, then run "
            f"`{mark_command('FILE')}`; `brandsite new story --lang LANG --translation-of FILE` "
            "starts a missing one.",
        ]
    return "\n".join(out)


def _stale_reason(stale: StaleTranslation) -> str:
    """What is stale about it: never marked, or marked for an older text."""
    if stale.marked is None:
        return f"never marked; translates {printable(stale.original)}"
    return (
        f"translates {printable(stale.original)} as it was at {printable(stale.marked)}; "
        f"it is now {stale.current}"
    )


def translations_data(report: TranslationStatus) -> list[dict[str, Any]]:
    """The status for scripts: one object per language."""
    return [
        {
            "lang": lang.lang,
            "default": lang.lang == report.default_language,
            "published": lang.published,
            "scheduled": lang.scheduled,
            "drafts": lang.drafts,
            "originals": lang.originals,
            "up_to_date": lang.current,
            "missing": [
                {"original": m.source, "title": m.title, "status": str(m.status)}
                for m in lang.missing
            ],
            "stale": [
                {
                    "source": s.source,
                    "line": s.line,
                    "original": s.original,
                    "translated_from": s.marked,
                    "original_now": s.current,
                }
                for s in lang.stale
            ],
            "orphaned": [
                {"source": o.source, "line": o.line, "reason": o.reason} for o in lang.orphaned
            ],
        }
        for lang in report.languages
    ]


def _plural(count: int, noun: str) -> str:
    """``1 draft``, ``2 drafts``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
