"""Translations that lag behind their original: the digest they record against the original's now.

Pure: ``translation_problems`` compares each translation's ``translated_from`` with the digest
of its original's current text and warns at the translation's line when they differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import Diagnostic, warning
from .config import SiteConfig
from .entries import StoryEntry
from .translation_digest import DIGEST_LENGTH, text_digest
from .translations import Versions

DIGEST_RE = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")


def original_digest(entry: StoryEntry) -> str:
    """The digest a translation of ``entry`` records: its title, summary as written and body."""
    if entry.body_markdown is None:
        return entry.text_digest  # read back from the cache: computed when it was parsed
    return text_digest(entry.title, entry.summary_markdown, entry.body_markdown)


def mark_command(source: str) -> str:
    """The command that records a translation as up to date."""
    return f"brandsite translations mark {source}"


def translation_problems(
    config: SiteConfig, stories: Sequence[StoryEntry], versions: Versions
) -> list[Diagnostic]:
    """A warning for every translation made from an older text of its original, or never marked.

    Drafts too: they are the translations being worked on. Only on a multilingual site (on a
    one-language site ``translation_of`` is an error of its own).
    """
    if not config.multilingual:
        return []
    by_source = {entry.source: entry for entry in stories}
    problems: list[Diagnostic] = []
    for entry in sorted(stories, key=lambda e: e.source):
        original = by_source.get(versions.original_of.get(entry.source, entry.source))
        if entry.translation_of is None or original is None or original is entry:
            continue  # an original, or a translation whose problem was reported already
        problem = stale_problem(entry, original)
        if problem is not None:
            problems.append(problem)
    return problems


def stale_problem(entry: StoryEntry, original: StoryEntry) -> Diagnostic | None:
    """The warning for ``entry``, a translation of ``original``, or None when it is current."""
    assert entry.translation_of is not None
    current = original_digest(original)
    if not current:
        return None  # an entry cached by an older brandsite: it is parsed again when it changes
    marked = entry.translated_from
    if marked is None:
        return warning(
            entry.source,
            entry.translation_of.line,
            "unmarked-translation",
            f"the translation does not say which version of {original.source} it was made "
            "from, so brandsite cannot tell when it falls behind",
            f"when it says what the original says, run `{mark_command(entry.source)}`",
        )
    if marked.value == current:
        return None
    written = (
        f"`translated_from: {marked.value}` is not a digest brandsite wrote"
        if not DIGEST_RE.fullmatch(marked.value)
        else f"{original.source} has changed since this translation was made from it "
        f"(`translated_from: {marked.value}`)"
    )
    return warning(
        entry.source,
        marked.line,
        "stale-translation",
        f"{written}; the original's text is now {current}",
        f"bring the translation up to date with {original.source}, then run "
        f"`{mark_command(entry.source)}`",
    )
