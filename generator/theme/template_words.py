"""What a template did wrong, in a theme author's words: missing names, kinds of values, helpers.

No Python word reaches a theme author ("object", "attribute", "NoneType", "dict"): a value is
"a text", "a list", "empty (none)", and a missing name comes with the names that were there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import jinja2
from jinja2.utils import internalcode

from ..errors import closest

SHOWN_NAMES = 12
"""How many names a hint lists before "…"."""


class MissingName(jinja2.UndefinedError):
    """A template used something that does not exist: ``name`` looked up in ``owner``."""

    def __init__(self, message: str, owner: Any, name: Any, hint: str | None) -> None:
        super().__init__(message)
        self.owner, self.name, self.jinja_hint = owner, name, hint


class HelperError(jinja2.TemplateRuntimeError):
    """A template called one of brandsite's helpers wrongly; ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class ThemeUndefined(jinja2.StrictUndefined):
    """StrictUndefined that remembers what was looked up where, for a did-you-mean."""

    __slots__ = ()

    @internalcode
    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise MissingName(
            self._undefined_message, self._undefined_obj, self._undefined_name, self._undefined_hint
        )


# Undefined binds __str__, __iter__, __add__, … to its own failing method when the class is made:
# point them all at ours.
for _alias in dir(jinja2.StrictUndefined):
    if getattr(jinja2.StrictUndefined, _alias) is jinja2.Undefined._fail_with_undefined_error:
        setattr(ThemeUndefined, _alias, ThemeUndefined._fail_with_undefined_error)


def unknown_name_words(
    name: str, choices: Iterable[str], context: Mapping[str, Any]
) -> tuple[str, str]:
    """Message and hint for a name used on its own that the template does not receive."""
    guess = closest(name, choices)
    receives = ", ".join(sorted(context))
    hint = (f"did you mean `{guess}`? " if guess else "") + (
        f"this page's template receives: {receives} (THEMING.md section 5)"
    )
    return f"`{name}` does not exist: the template receives nothing of that name", hint


def missing_in_words(owner: Any, name: str, expression: str | None) -> tuple[str, str]:
    """Message and hint for ``name`` looked up in ``owner``, written ``expression`` if known."""
    return _owner_words(owner, name, expression or f"…{name}", _owner_text(expression, name))


def _owner_text(expression: str | None, name: str) -> str:
    """``site.extra`` for ``site.extra.foo`` (what the missing name was looked up in)."""
    if not expression:
        return "it"
    for tail in (f".{name}", f"['{name}']", f'["{name}"]'):
        if expression.endswith(tail):
            return expression[: -len(tail)]
    return expression


def _owner_words(owner: Any, name: str, shown: str, owner_text: str) -> tuple[str, str]:
    """Message and hint for ``name`` missing from ``owner`` (written ``owner_text``)."""
    if owner is None:
        return (
            f"`{owner_text}` is empty on this page, so `{shown}` does not exist",
            f"check it first: {{% if {owner_text} %}}…{{% endif %}}",
        )
    kind = kind_of(owner)
    if kind not in ("", "a table of names"):
        return f"`{owner_text}` is {kind}, so `{shown}` does not exist", (
            "THEMING.md section 5 lists what each variable is"
        )
    names = names_of(owner)
    guess = closest(name, names)
    question = (
        f"did you mean `{shown[: -len(name)]}{guess}`? " if guess and shown.endswith(name) else ""
    )
    parts = []
    if owner_text.endswith(".extra") or owner_text == "extra":
        where = (
            "under [extra] in site.toml"
            if owner_text.startswith("site.")
            else "under `extra:` in the front matter"
        )
        parts.append(
            f"add `{name}` {where}, or write `{owner_text}.get('{name}')` where it may be missing"
        )
    elif owner_text == "site":
        parts.append(
            "site.toml's settings reach templates as `site.<name>`; free-form ones go under "
            "[extra] in site.toml and are read as `site.extra.<name>`"
        )
    if names and not guess:
        listed = ", ".join(sorted(names)[:SHOWN_NAMES]) + (
            ", …" if len(names) > SHOWN_NAMES else ""
        )
        parts.append(f"`{owner_text}` has: {listed}")
    elif not names:
        parts.append(f"`{owner_text}` is empty")
    return f"`{shown}` does not exist", (question + "; ".join(parts)).strip()


def names_of(owner: Any) -> list[str]:
    """The names a template can read from ``owner``: fields and properties, or a mapping's keys."""
    if isinstance(owner, Mapping):
        return sorted(str(key) for key in owner)
    if dataclasses.is_dataclass(owner):
        cls = type(owner)
        properties = [n for n in dir(cls) if isinstance(getattr(cls, n, None), property)]
        fields = [f.name for f in dataclasses.fields(owner)]
        return sorted(n for n in {*fields, *properties} if not n.startswith("_"))
    return sorted(n for n in dir(owner) if not n.startswith("_"))


KINDS = (
    (type(None), "empty (none)"),
    (bool, "a yes/no value"),
    (str, "a text"),
    (int, "a number"),
    (float, "a number"),
    (list, "a list"),
    (tuple, "a list"),
    (Mapping, "a table of names"),
)


def kind_of(value: Any) -> str:
    """A value's kind in a theme author's words ("a text"); "" for brandsite's own records."""
    if isinstance(value, dt.date):
        return "a date"
    for cls, words in KINDS:
        if isinstance(value, cls):
            return words
    return ""


_PYTHON_KINDS = {
    "NoneType": "an empty value (none)",
    "str": "a text",
    "Markup": "a text",
    "int": "a number",
    "float": "a number",
    "bool": "a yes/no value",
    "list": "a list",
    "tuple": "a list",
    "dict": "a table of names",
    "date": "a date",
    "datetime": "a date",
}


def plain_words(message: str) -> str:
    """A Python error message in a theme author's words (``'NoneType' object`` → an empty value)."""

    def kind(match: re.Match[str]) -> str:
        return _PYTHON_KINDS.get(match.group(1), "this value")

    patterns = (
        (r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'", _operands),
        (r'can only concatenate str \(not "(\w+)"\) to str', _concatenate),
    )
    for pattern, rewrite in patterns:
        match = re.search(pattern, message)
        if match:
            return rewrite(match)
    message = re.sub(r"'(\w+)' object", kind, message)
    message = re.sub(r"\bhas no attribute\b", "has no", message)
    return message


def _operands(match: re.Match[str]) -> str:
    left = _PYTHON_KINDS.get(match.group(2), "a value")
    right = _PYTHON_KINDS.get(match.group(3), "a value")
    return f"`{match.group(1).strip()}` cannot combine {left} and {right}"


def _concatenate(match: re.Match[str]) -> str:
    other = _PYTHON_KINDS.get(match.group(1), "a value")
    return f"`+` cannot join a text and {other}; write `~` to join them as text"
