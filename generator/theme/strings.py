"""A theme's fixed texts per language (``themes/<theme>/strings/<lang>.toml``) and their problems.

Each theme of the chain may ship one flat file per language (``nav_stories = "Stories"``); a child
theme ships only the texts it changes. The texts for a page's language are, from weakest to
strongest: the chain from the base theme to the site's theme (in each theme the primary subtag's
file, ``de.toml``, under the exact tag's, ``de-AT.toml``), then ``[extra.strings]`` of site.toml.
Reading the files is the caller's (``themes.resolve_theme``); everything here is pure.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import Diagnostic, did_you_mean, error, warning

STRINGS_DIR = "strings"
"""The folder of a theme that holds its texts, one ``<language>.toml`` per language."""
LANGUAGE_FILE = re.compile(r"([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.toml")
"""A strings file is named after a language tag: ``de.toml``, ``en.toml``, ``de-AT.toml``."""
SHOWN_KEYS = 5
"""How many missing texts a problem about a whole missing language names."""


@dataclass(frozen=True)
class StringsSource:
    """One entry of a theme's ``strings/`` folder as read from disk (by ``themes.py``)."""

    theme: str
    """Folder name of the theme."""
    name: str
    """File name, e.g. ``de.toml``."""
    text: str | None
    """The file's text; None when it is a folder or could not be read as UTF-8."""


@dataclass(frozen=True)
class StringsFile:
    """The texts of one theme in one language."""

    theme: str
    """Folder name of the theme."""
    language: str
    """The language tag in lower case, as it is looked up (``de-at``)."""
    source: str
    """``themes/acme/strings/de-AT.toml``."""
    texts: Mapping[str, str]
    """Key → text, in the file's order."""
    lines: Mapping[str, int]
    """Key → the line that sets it."""
    line_count: int = 0
    """Lines in the file (a missing key is reported at its end, where it would be added)."""


@dataclass(frozen=True)
class ChainTheme:
    """What the strings need to know of one theme of the chain."""

    name: str
    """Folder name under ``themes/``."""
    installed: bool = False
    """It comes with brandsite (its files are not the project's to edit)."""


@dataclass(frozen=True)
class ThemeStrings:
    """Every strings file of a theme chain, child first, and what was wrong with reading them."""

    chain: tuple[ChainTheme, ...] = ()
    """The themes, the site's own first."""
    files: tuple[StringsFile, ...] = ()
    """Child first; within a theme sorted by language."""
    problems: tuple[Diagnostic, ...] = ()
    """Files that are not valid TOML, values that are not text, file names that are no language."""
    resolved: dict[str, Mapping[str, str]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )
    """Memo of ``texts_for`` per language (a build asks once per page)."""

    def texts_for(self, language: str) -> Mapping[str, str]:
        """The chain's texts for ``language``: exact tag, then primary subtag; child over parent."""
        tag = language.lower()
        found = self.resolved.get(tag)
        if found is None:
            wanted = _lookup_tags(tag)
            merged: dict[str, str] = {}
            for theme in reversed(self.chain):
                for candidate in reversed(wanted):  # de first, so that de-at wins over it
                    for file in self.files:
                        if file.theme == theme.name and file.language == candidate:
                            merged.update(file.texts)
            found = self.resolved[tag] = merged
        return found

    def keys(self) -> frozenset[str]:
        """Every key any theme of the chain defines in any language (the reference set)."""
        return frozenset(key for file in self.files for key in file.texts)

    def file_of(self, theme: str, language: str) -> StringsFile | None:
        """The theme's file for ``language``: the exact tag's, else the primary subtag's."""
        for candidate in _lookup_tags(language.lower()):
            for file in self.files:
                if file.theme == theme and file.language == candidate:
                    return file
        return None


class HasStrings(Protocol):
    """Anything that carries a chain's strings, such as ``themes.ResolvedTheme``."""

    @property
    def strings(self) -> ThemeStrings:
        """The chain's strings files."""
        ...


def _lookup_tags(tag: str) -> list[str]:
    """``de-at`` → ``["de-at", "de"]``; ``de`` → ``["de"]``."""
    primary = tag.split("-")[0]
    return [tag] if primary == tag else [tag, primary]


def strings_source(theme: str, name: str) -> str:
    """The project-relative name of a strings file, as problems show it."""
    return f"themes/{theme}/{STRINGS_DIR}/{name}"


def load_strings(chain: Sequence[ChainTheme], sources: Sequence[StringsSource]) -> ThemeStrings:
    """Parse every strings file of the chain (``chain`` child first) into ``ThemeStrings``."""
    files: list[StringsFile] = []
    problems: list[Diagnostic] = []
    for theme in chain:
        own = sorted((s for s in sources if s.theme == theme.name), key=lambda s: s.name)
        seen: dict[str, str] = {}
        for entry in own:
            file, found = _parse_file(entry)
            problems += found
            if file is None:
                continue
            if file.language in seen:
                problems.append(
                    error(
                        file.source,
                        0,
                        "duplicate-strings",
                        f"{file.source} and {seen[file.language]} hold texts for one language",
                        "keep one of the two files",
                    )
                )
                continue
            seen[file.language] = file.source
            files.append(file)
    problems += _unknown_overrides(chain, files)
    return ThemeStrings(tuple(chain), tuple(files), tuple(problems))


def _parse_file(entry: StringsSource) -> tuple[StringsFile | None, list[Diagnostic]]:
    """One strings file, or the problems that keep it from being used."""
    source = strings_source(entry.theme, entry.name)
    match = LANGUAGE_FILE.fullmatch(entry.name)
    if match is None:
        stem = entry.name.rsplit(".", 1)[0].replace("_", "-")
        example = f"{stem}.toml" if LANGUAGE_FILE.fullmatch(f"{stem}.toml") else "de.toml"
        return None, [
            error(
                source,
                0,
                "unknown-strings-file",
                f"{source} is not named after a language, so no page would use its texts",
                f"name a strings file after the language code, such as {example}, en.toml or de-AT.toml",
            )
        ]
    if entry.text is None:
        return None, [
            error(
                source,
                0,
                "unreadable-strings",
                f"{source} cannot be read as text",
                "save it as a UTF-8 text file",
            )
        ]
    try:
        data = tomllib.loads(entry.text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        return None, [
            error(
                source,
                int(line.group(1)) if line else 0,
                "bad-toml",
                f"{source} is not valid TOML: {exc}",
                'write one text per line, in quotes: nav_stories = "Stories"',
            )
        ]
    found = _key_lines(entry.text)
    lines = {key: found.get(key, 0) for key in data}
    problems = [
        error(
            source,
            lines[key],
            "bad-string",
            f"`{key}` in {source} is {_kind(value)}, not a text",
            f'a strings file holds only texts in quotes: {key} = "…"',
        )
        for key, value in data.items()
        if not isinstance(value, str)
    ]
    texts = {key: value for key, value in data.items() if isinstance(value, str)}
    language = match.group(1).lower()
    return StringsFile(
        entry.theme, language, source, texts, lines, len(entry.text.splitlines())
    ), problems


_KEY_RE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]""")
_TABLE_RE = re.compile(r'^\s*\[+\s*"?([^\]"]+?)"?\s*\]+')


def _key_lines(text: str) -> dict[str, int]:
    """The first line of each top-level ``key = …`` (quoted or bare) or ``[key]`` table."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_RE.match(line) or _TABLE_RE.match(line)
        if match:
            lines.setdefault(next(group for group in match.groups() if group is not None), number)
    return lines


def _kind(value: Any) -> str:
    """What a TOML value is, in plain words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


def _unknown_overrides(
    chain: Sequence[ChainTheme], files: Sequence[StringsFile]
) -> list[Diagnostic]:
    """A child's key that no parent has but one is close to: most likely a misspelt override."""
    problems = []
    for position, theme in enumerate(chain):
        parents = {t.name for t in chain[position + 1 :]}
        known = {key for f in files if f.theme in parents for key in f.texts}
        if not known:
            continue
        for file in files:
            if file.theme != theme.name:
                continue
            for key in file.texts:
                hint = did_you_mean(key, known) if key not in known else ""
                if hint:
                    problems.append(
                        warning(
                            file.source,
                            file.lines.get(key, 0),
                            "unknown-string",
                            f"`{key}` overrides no text of the themes `{theme.name}` extends",
                            hint,
                        )
                    )
    return problems


def site_strings(extra: Mapping[str, Any]) -> dict[str, str]:
    """``[extra.strings]`` of site.toml as texts (a number or true/false is written out)."""
    table = extra.get("strings")
    if not isinstance(table, Mapping):
        return {}
    return {
        str(key): value if isinstance(value, str) else str(value) for key, value in table.items()
    }


def ui_strings(
    strings: ThemeStrings, fallback: ThemeStrings, language: str, extra: Mapping[str, Any]
) -> dict[str, str]:
    """The texts of a page in ``language``: ``ui`` in templates, and the titles brandsite writes.

    The theme chain's texts, then ``[extra.strings]``, over ``fallback`` (brandsite's default theme,
    in English when it lacks the language), so a theme with no strings files of its own (one that
    extends nothing) still has every text the default templates use.
    """
    return {
        **fallback.texts_for("en"),
        **fallback.texts_for(language),
        **strings.texts_for(language),
        **site_strings(extra),
    }


def strings_problems(
    theme: HasStrings,
    languages: Sequence[str],
    provided: Collection[str] = (),
    provided_in: Mapping[str, Collection[str]] | None = None,
) -> list[Diagnostic]:
    """Unreadable strings files, and every text a published language lacks.

    A text is expected in every language when any theme of the chain defines it (for the default
    theme: every key of its ``en.toml``). ``provided`` are the keys site.toml sets under
    ``[extra.strings]``, which count as present in every language; ``provided_in`` the keys
    one language's ``[edition.<lang>.extra.strings]`` sets, present in that language.
    """
    strings = theme.strings
    problems = list(strings.problems)
    if not strings.chain or any(p.severity.value == "error" for p in problems):
        return problems
    reference = strings.keys() - set(provided)
    if not reference:
        return problems
    own = strings.chain[0]
    english = strings.texts_for("en")
    for language in dict.fromkeys(languages):
        texts = strings.texts_for(language)
        own_keys = set((provided_in or {}).get(language, ()))
        missing = sorted(key for key in reference if key not in texts and key not in own_keys)
        if not missing:
            continue
        file = strings.file_of(own.name, language)
        source = file.source if file else strings_source(own.name, f"{language}.toml")
        line = file.line_count if file else 0
        where = _where_to_add(own, source, file is not None)
        if not texts:
            shown = ", ".join(f"`{key}`" for key in missing[:SHOWN_KEYS])
            more = f" and {len(missing) - SHOWN_KEYS} more" if len(missing) > SHOWN_KEYS else ""
            problems.append(
                error(
                    source,
                    0,
                    "missing-strings",
                    f"the theme `{own.name}` has no texts in the language `{language}`: "
                    f"{len(missing)} texts are missing ({shown}{more})",
                    f"{where}, with every key of the English file translated",
                )
            )
            continue
        for key in missing:
            example = english.get(key)
            problems.append(
                error(
                    source,
                    line,
                    "missing-string",
                    f"the text `{key}` has no version in the language `{language}` "
                    f"in the theme `{own.name}`",
                    f'{where}: {key} = "…"'
                    + (f' (in English: "{example}")' if example is not None else ""),
                )
            )
    return problems


def _where_to_add(theme: ChainTheme, source: str, exists: bool) -> str:
    """Where a missing text belongs: the site's own theme, never one brandsite ships."""
    if theme.installed:
        return (
            f"the theme `{theme.name}` comes with brandsite: make a theme of your own that extends it "
            f"(brandsite new theme NAME) and add {source.replace(f'/{theme.name}/', '/NAME/')} "
            "to it, or set the text under [extra.strings] in site.toml"
        )
    return f"add it to {source}" if exists else f"create {source}"
