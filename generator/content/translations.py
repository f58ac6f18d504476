"""Which file translates which: a story's or value's versions across the site's languages.

Pure: ``story_versions`` and ``value_versions`` take the checked entries and return, for each,
the original it is a version of, with a problem at its line for every way ``lang`` and
``translation_of`` can be wrong (an unknown language, an original that does not exist or is in
the same language, two translations into one language, a translation of a translation).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Diagnostic, closest, error
from .config import SiteConfig
from .entries import StoryEntry, ValueEntry, file_slug


@dataclass(frozen=True)
class Versions:
    """The translation groups of a set of files, each keyed by its original's source."""

    original_of: Mapping[str, str]
    """Source of every file → source of the original it is a version of (its own if original)."""
    lang_of: Mapping[str, str]
    """Source of every file → its language (the site's default when it does not say)."""

    def group(self, original: str) -> dict[str, str]:
        """Language → source of each version of ``original`` (the original included)."""
        return {
            self.lang_of[source]: source
            for source, of in sorted(self.original_of.items())
            if of == original
        }


def language_name(config: SiteConfig) -> str:
    """The site's languages as a reader sees them in a hint: ``de, en``."""
    return ", ".join(config.languages)


def story_versions(
    config: SiteConfig, stories: Sequence[StoryEntry]
) -> tuple[Versions, list[Diagnostic]]:
    """The original of every story, with the problems of each ``lang`` and ``translation_of``."""
    problems: list[Diagnostic] = []
    lang_of = {entry.source: entry.lang or config.language for entry in stories}
    for entry in stories:
        if config.multilingual and entry.lang and entry.lang not in config.languages:
            problems.append(_unknown_language(config, entry.source, entry.lang_line, entry.lang))
    by_name: dict[str, StoryEntry] = {}
    for entry in stories:
        by_name.setdefault(file_slug(entry.source), entry)
    original_of = {entry.source: entry.source for entry in stories}
    claimed: dict[tuple[str, str], list[StoryEntry]] = {}
    for entry in stories:
        named = entry.translation_of
        if named is None:
            continue
        if not config.multilingual:
            problems.append(
                error(
                    entry.source,
                    named.line,
                    "translation-one-language",
                    "the story says it is a translation (`translation_of`), but the site "
                    "publishes one language",
                    'list the site\'s languages in site.toml, e.g. languages = ["de", "en"]',
                )
            )
            continue
        name = _file_name(named.value)
        original = by_name.get(name)
        if original is None:
            guess = closest(name, by_name)
            problems.append(
                error(
                    entry.source,
                    named.line,
                    "unknown-original",
                    f"`translation_of: {named.value}` names no story: there is no "
                    f"content/stories/{name}.md",
                    (f"did you mean `{guess}`? " if guess else "")
                    + "write the original's file name without `.md`",
                )
            )
            continue
        if original.source == entry.source:
            problems.append(
                error(
                    entry.source,
                    named.line,
                    "translation-cycle",
                    "the story says it is a translation of itself",
                    "name the original's file, or remove `translation_of` if this is the original",
                )
            )
            continue
        if original.translation_of is not None:
            problems.append(_translation_of_translation(entry, original, by_name))
            continue
        if lang_of[original.source] == lang_of[entry.source]:
            problems.append(
                error(
                    entry.source,
                    entry.lang_line or named.line,
                    "translation-same-language",
                    f"the story and its original {original.source} are both in "
                    f"{lang_of[entry.source]!r}",
                    "set `lang:` to the language of the translation, e.g. `lang: en`",
                )
            )
            continue
        original_of[entry.source] = original.source
        claimed.setdefault((original.source, lang_of[entry.source]), []).append(entry)
    for (source, lang), entries in claimed.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = ", ".join(e.source for e in entries if e is not entry)
            assert entry.translation_of is not None
            problems.append(
                error(
                    entry.source,
                    entry.translation_of.line,
                    "duplicate-translation",
                    f"{source} has two translations into {lang!r}: this one and {others}",
                    "keep one of them, or correct the `lang` of the other",
                )
            )
            original_of[entry.source] = entry.source  # neither links: the problem says why
    return Versions(original_of, lang_of), problems


def value_versions(
    config: SiteConfig, values: Sequence[ValueEntry]
) -> tuple[Versions, list[Diagnostic]]:
    """The original of every value file, and a problem for a value a language lacks."""
    problems: list[Diagnostic] = []
    lang_of = {entry.source: entry.lang or config.language for entry in values}
    originals = {e.slug.value: e for e in values if e.translation_of is None}
    original_of = {entry.source: entry.source for entry in values}
    claimed: dict[tuple[str, str], list[ValueEntry]] = {}
    for entry in values:
        if entry.lang and entry.lang not in config.languages:
            problems.append(_unknown_language(config, entry.source, entry.lang_line, entry.lang))
            continue
        named = entry.translation_of
        if named is None:
            if entry.lang and entry.lang != config.language:
                problems.append(
                    error(
                        entry.source,
                        entry.lang_line,
                        "value-needs-original",
                        f"the value is in {entry.lang!r}, but the values of the site are "
                        f"written in its default language, {config.language!r}, first",
                        f"name the value it translates: `translation_of: <its slug>` (known: "
                        f"{', '.join(sorted(originals)) or 'none yet'})",
                    )
                )
            continue
        original = originals.get(named.value)
        if original is None:
            guess = closest(named.value, originals)
            problems.append(
                error(
                    entry.source,
                    named.line,
                    "unknown-original",
                    f"`translation_of: {named.value}` names no value",
                    (f"did you mean `{guess}`? " if guess else "")
                    + f"known values: {', '.join(sorted(originals)) or 'none yet'}",
                )
            )
            continue
        if lang_of[entry.source] == lang_of[original.source]:
            problems.append(
                error(
                    entry.source,
                    entry.lang_line or named.line,
                    "translation-same-language",
                    f"the value and its original {original.source} are both in "
                    f"{lang_of[entry.source]!r}",
                    "set `lang:` to the language of the translation, e.g. `lang: en`",
                )
            )
            continue
        original_of[entry.source] = original.source
        claimed.setdefault((original.source, lang_of[entry.source]), []).append(entry)
    for (source, lang), entries in claimed.items():
        for entry in entries[1:]:
            assert entry.translation_of is not None
            problems.append(
                error(
                    entry.source,
                    entry.translation_of.line,
                    "duplicate-translation",
                    f"{source} has two translations into {lang!r}: this one and "
                    f"{entries[0].source}",
                    "keep one of them, or correct the `lang` of the other",
                )
            )
            original_of[entry.source] = entry.source
    versions = Versions(original_of, lang_of)
    for entry in originals.values():
        group = versions.group(entry.source)
        for lang in config.languages:
            if lang not in group:
                problems.append(
                    error(
                        entry.source,
                        1,
                        "value-untranslated",
                        f"the value `{entry.slug.value}` has no title in {lang!r}, one of the "
                        "site's languages",
                        f"add content/values/{entry.slug.value}.{lang}.md with `lang: {lang}`, "
                        f"`translation_of: {entry.slug.value}` and its `title` in that language",
                    )
                )
    return versions, problems


def _file_name(written: str) -> str:
    """``anna.md``, ``content/stories/anna.md`` and ``anna`` all name ``anna``."""
    name = posixpath.basename(written.strip())
    return name[:-3] if name.lower().endswith(".md") else name


def _translation_of_translation(
    entry: StoryEntry, original: StoryEntry, by_name: Mapping[str, StoryEntry]
) -> Diagnostic:
    """A translation names another translation: a chain to its original, or a circle."""
    assert entry.translation_of is not None
    chain = [entry.source, original.source]
    current = original
    while current.translation_of is not None:
        following = by_name.get(_file_name(current.translation_of.value))
        if following is None or following.source in chain:
            if following is not None:
                chain.append(following.source)
                return error(
                    entry.source,
                    entry.translation_of.line,
                    "translation-cycle",
                    "the translations name each other in a circle: " + " → ".join(chain),
                    "one of them is the original: remove its `translation_of`",
                )
            break
        chain.append(following.source)
        current = following
    root = file_slug(current.source)
    return error(
        entry.source,
        entry.translation_of.line,
        "translation-of-translation",
        f"`translation_of` names {original.source}, which is itself a translation",
        f"name the original instead: `translation_of: {root}`",
    )


def _unknown_language(config: SiteConfig, source: str, line: int, lang: str) -> Diagnostic:
    return error(
        source,
        line,
        "unknown-language",
        f"`lang: {lang}` is not one of the site's languages ({language_name(config)})",
        f"use one of {language_name(config)}, or add {lang!r} to `languages` in site.toml",
    )
