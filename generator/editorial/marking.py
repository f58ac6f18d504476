"""``brandsite translations mark``: which files to mark, and the one-line edit of their front matter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.config import SiteConfig
from ..content.entries import StoryEntry
from ..content.staleness import original_digest
from ..content.translations import story_versions
from ..errors import Diagnostic, error

_KEY = r"translated[ \t_-]+from[ \t]*:"
"""The key as front matter reads it: in any capitalisation, ``translated from`` too."""
_KEY_RE = re.compile(_KEY, re.IGNORECASE)
_VALUE_RE = re.compile(rf"({_KEY}[ \t]*)([^\r]*)(\r?)$", re.IGNORECASE)
"""The key as written, the value (a note after it too: front matter takes none there), and the
line's carriage return (kept)."""


@dataclass(frozen=True)
class Mark:
    """One translation to mark as made from its original's current text."""

    source: str
    original: str
    digest: str
    line: int
    """Line of ``translation_of``: the new line goes after it when there is none yet."""
    current: bool
    """It already records this digest: nothing to write."""


def plan_marks(
    config: SiteConfig, stories: Sequence[StoryEntry], sources: Sequence[str]
) -> tuple[list[Mark], list[Diagnostic]]:
    """The mark of every story in ``sources``, or a problem for each that is no translation."""
    versions, problems = story_versions(config, stories)
    by_source = {entry.source: entry for entry in stories}
    marks: list[Mark] = []
    found: list[Diagnostic] = []
    for source in dict.fromkeys(sources):
        entry = by_source.get(source)
        if entry is None:
            found.append(
                error(
                    source,
                    0,
                    "not-a-story",
                    "the file is not a story brandsite can read",
                    "name a translation's file in content/stories/; `brandsite check` says "
                    "what is wrong with this one",
                )
            )
            continue
        if entry.translation_of is None:
            found.append(
                error(
                    source,
                    entry.lang_line or 1,
                    "not-a-translation",
                    "the story is not a translation: it has no `translation_of`",
                    "mark the translations of this story, not the original; a translation "
                    "names its original with `translation_of: <file name without .md>`",
                )
            )
            continue
        original = versions.original_of.get(source, source)
        if original == source:
            own = [p for p in problems if p.source == source]
            found += own or [
                error(
                    source,
                    entry.translation_of.line,
                    "unknown-original",
                    f"`translation_of: {entry.translation_of.value}` links to no original",
                    "write the original's file name without `.md`",
                )
            ]
            continue
        digest = original_digest(by_source[original])
        marked = entry.translated_from
        current = marked is not None and marked.value == digest
        marks.append(Mark(source, original, digest, entry.translation_of.line, current))
    return marks, found


def mark_text(text: str, digest: str, after_line: int) -> str:
    """``text`` with ``translated_from: <digest>`` in its front matter; every other byte kept.

    An existing ``translated_from`` line gets the new value in place; otherwise the line goes after line ``after_line`` (``translation_of``), with its line ending.
    """
    lines = text.split("\n")
    closing = next(
        (n for n, line in enumerate(lines[1:], start=1) if line.rstrip("\r ") == "---"),
        len(lines),
    )
    for number in range(1, closing):
        line = lines[number]
        if _KEY_RE.match(line):
            match = _VALUE_RE.match(line)
            assert match is not None  # the key matched, and the rest may be anything
            key, _, cr = match.groups()
            lines[number] = f"{key}{digest}{cr}"
            return "\n".join(lines)
    index = min(max(after_line, 1), closing) - 1
    ending = "\r" if lines[index].endswith("\r") else ""
    lines.insert(index + 1, f"translated_from: {digest}{ending}")
    return "\n".join(lines)
