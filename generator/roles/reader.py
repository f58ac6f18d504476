"""Typed fields out of a job file's front matter, one problem recorded for each bad one."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..content.frontmatter import FrontMatter, field_name
from ..content.loading import CONTROL_RE
from ..errors import Diagnostic, closest, did_you_mean, error

_DAY_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class FieldReader:
    """Pulls typed fields out of a job's front matter, recording a problem for each bad one."""

    def __init__(self, fm: FrontMatter, source: str) -> None:
        self.fm, self.source = fm, source
        self.problems: list[Diagnostic] = []
        self.misspelt: set[str] = set()

    def fail(self, key: str, code: str, message: str, hint: str) -> None:
        self.problems.append(error(self.source, self.fm.line(key), code, message, hint))

    def missing(self, key: str, example: str) -> None:
        if key in self.misspelt:
            return  # the misspelt field was reported already
        where = "is empty" if key in self.fm.data else "is missing"
        self.fail(
            key,
            "missing-field",
            f"the required field `{key}` {where}",
            f"add a line `{key}: {example}` to the front matter",
        )

    def text(self, key: str, required: bool = False, example: str = "…") -> str | None:
        raw = self.fm.data.get(key)
        if key in self.fm.plain and not isinstance(raw, str) and raw is not None:
            raw = self.fm.plain[key]  # `title: No` is the word No
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.missing(key, example)
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` must be text on one line, not {kind_of(raw)}",
                f'write it on one line, e.g. `{key}: "{example}"`',
            )
            return None
        return self._clean(key, str(raw))

    def _clean(self, key: str, text: str) -> str | None:
        control = CONTROL_RE.search(text)
        if control is not None:
            self.fail(
                key,
                "control-character",
                f"`{key}` contains the invisible control character U+{ord(control.group()):04X}",
                "remove the escape sequence from the text",
            )
            return None
        return text.strip()

    def texts(self, key: str, example: str) -> tuple[str, ...] | None:
        """One text or a list of texts (``location: Hamburg`` or ``location: [Hamburg, Kiel]``)."""
        raw = self.fm.data.get(key)
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [self.fm.plain.get(key, raw)]
        found: list[str] = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.fail(
                    key,
                    "bad-field-type",
                    f"each entry of `{key}` must be text, not {kind_of(item)}",
                    f"e.g. `{key}: {example}`",
                )
                return None
            text = self._clean(key, str(item))
            if text is None:
                return None
            if text:
                found.append(text)
        return tuple(found)

    def flag(self, key: str) -> bool:
        raw = self.fm.data.get(key, False)
        if isinstance(raw, bool):
            return raw
        self.fail(
            key,
            "bad-field-type",
            f"`{key}` must be true or false, not {kind_of(self.fm.plain.get(key, raw))}",
            f"write `{key}: true` or `{key}: false`",
        )
        return False

    def mapping(self, key: str, fields: tuple[str, ...], example: str) -> dict[str, Any] | None:
        raw = self.fm.data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` must be a group of fields, not {kind_of(raw)}",
                f"indent the fields under `{key}:`, e.g. {example}",
            )
            return None
        group = {field_name(str(k)): v for k, v in raw.items()}
        for name in sorted(set(group) - set(fields)):
            suggestion = did_you_mean(name, fields)
            self.fail(
                key,
                "unknown-field",
                f"unknown field `{key}.{name}`",
                (suggestion + " " if suggestion else "")
                + f"`{key}` takes {', '.join(f'`{f}`' for f in fields)}",
            )
        return group

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in sorted(set(self.fm.data) - set(known), key=self.fm.line):
            guess = closest(key, known)
            if guess is not None and guess not in self.fm.data:
                self.misspelt.add(guess)
            suggestion = did_you_mean(key, known)
            self.fail(
                key,
                "unknown-field",
                f"unknown field `{self.fm.written.get(key, key)}` in a job",
                (suggestion + " " if suggestion else "")
                + f"known fields: {', '.join(known)}; free-form data goes under `extra:`",
            )

    def day(self, key: str, required: bool) -> dt.date | None:
        raw = self.fm.data.get(key)
        if raw is None:
            if required:
                self.missing(key, "YYYY-MM-DD")
            return None
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = str(self.fm.plain.get(key, raw)).strip()
        hint = f"write the date as YYYY-MM-DD, e.g. `{key}: 2026-12-31`"
        match = _DAY_RE.fullmatch(text)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                self.fail(key, "bad-date", f"`{key}: {text}` is not a real date", hint)
                return None
        dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if dotted:  # 31.12.2026, as written in Germany
            d, m, y = dotted.groups()
            hint = f"write it as YYYY-MM-DD: `{key}: {y}-{int(m):02d}-{int(d):02d}`"
        self.fail(key, "bad-date", f"`{key}: {text}` is not a date in the form YYYY-MM-DD", hint)
        return None


def kind_of(value: Any) -> str:
    """How a value looks to the person who wrote it (never a type name of Python's)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no (`{str(value).lower()}`)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"`{value}`"
