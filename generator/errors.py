"""Problems as data: the Diagnostic type and the only code that formats problems for people."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the project, located at ``source:line:col``."""

    source: str
    """Path relative to the project root (forward slashes), or "" for the project as a whole."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file."""
    col: int
    """1-based column; 0 when unknown."""
    code: str
    """Stable kebab-case identifier, e.g. ``unknown-value``."""
    message: str
    """What is wrong, in plain language."""
    hint: str = ""
    """How to fix it."""
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        """``path:line`` (or ``path:line:col``) as editors and terminals understand it."""
        if not self.source:
            return "site"
        if self.line <= 0:
            return self.source
        if self.col <= 0:
            return f"{self.source}:{self.line}"
        return f"{self.source}:{self.line}:{self.col}"


def error(
    source: str, line: int, code: str, message: str, hint: str = "", col: int = 0
) -> Diagnostic:
    """Make an error diagnostic."""
    return Diagnostic(source, line, col, code, message, hint, Severity.ERROR)


def warning(
    source: str, line: int, code: str, message: str, hint: str = "", col: int = 0
) -> Diagnostic:
    """Make a warning diagnostic."""
    return Diagnostic(source, line, col, code, message, hint, Severity.WARNING)


_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Marks that reorder the text around them on screen (Trojan Source)."""


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNPRINTABLE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI_CONTROLS)) + "]"
)
"""Control characters (Unicode category Cc), line and paragraph separators, bidi marks."""


def printable(text: str, keep: str = "") -> str:
    """``text`` with control characters, line breaks and bidi marks written out (``\\x1b``).

    Every text that reaches a terminal, a CI log or a job summary from content or settings
    passes through here, so a title cannot move the cursor, recolour the screen, set the
    window title, start a new (fake) line, or reorder what people read. ``keep`` names
    characters that stay as they are (e.g. ``"\\n"`` where the caller owns the line breaks).
    """
    return _UNPRINTABLE_RE.sub(lambda m: m[0] if m[0] in keep else _escaped(m[0]), text)


def json_for_terminals(data: object) -> str:
    """``data`` as indented JSON in which no character can steer a terminal.

    ``json.dumps`` already escapes C0 controls; DEL, the C1 range (e.g. ``\\x9b``, a one-byte
    escape sequence), line separators and bidi marks are escaped too (``\\u009b``): still
    the same JSON value.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # Raw line breaks in the dump are its own indentation: json.dumps escapes those in strings.
    return _UNPRINTABLE_RE.sub(lambda m: m[0] if m[0] == "\n" else f"\\u{ord(m[0]):04x}", text)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice that ``word`` was probably meant to be, or None."""
    matches = difflib.get_close_matches(word.lower(), sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean `x`?" phrase, or "" when nothing is close."""
    match = closest(word, choices)
    return f"did you mean `{match}`?" if match else ""


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    """E.g. "3 errors, 1 warning in 2 files"."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.source for d in diagnostics})
    parts = [_plural(errors, "error")]
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return f"{', '.join(parts)} in {_plural(files, 'file')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Human-readable report: one numbered block per problem, then the summary line."""
    lines: list[str] = []
    for number, d in enumerate(sorted(diagnostics), start=1):
        where, message, code = printable(d.location), printable(d.message), printable(d.code)
        lines.append(f"{number}. {where}: {d.severity.value}: {message} [{code}]")
        if d.hint:
            lines.append(f"   hint: {printable(d.hint)}")
    if diagnostics:
        lines.append(summary_line(diagnostics))
    return "\n".join(lines)


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Machine-readable report: {"problems": [...], "errors": n, "warnings": n}."""
    problems = []
    for d in sorted(diagnostics):
        item = asdict(d)
        item["severity"] = d.severity.value
        problems.append(item)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    report = {"problems": problems, "errors": errors, "warnings": len(diagnostics) - errors}
    return json_for_terminals(report)


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, so problems annotate the pull request's files."""
    lines = []
    for d in sorted(diagnostics):
        props = []
        if d.source:
            props.append(f"file={_escape_property(d.source)}")
            if d.line > 0:
                props.append(f"line={d.line}")
            if d.col > 0:
                props.append(f"col={d.col}")
        props.append(f"title={_escape_property(f'brandsite {d.code}')}")
        text = d.message + (f" Hint: {d.hint}" if d.hint else "")
        lines.append(f"::{d.severity.value} {','.join(props)}::{_escape_data(text)}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    # Line breaks stay line breaks in the annotation (%0A, GitHub's own escape, keeps the
    # command on one line); any other control character is written out, for the runner prints
    # annotations into the log as they are.
    escaped = printable(text.replace("%", "%25"), keep="\r\n")
    return escaped.replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
