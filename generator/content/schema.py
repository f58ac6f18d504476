"""Map plain mappings (TOML tables) onto frozen dataclasses, collecting every problem on the way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import Diagnostic, did_you_mean, error

T = typing.TypeVar("T")

LineOf = Callable[[str], int]
"""Finds the line of a dotted key (``brand.primary_color``) in the source file; 0 if unknown."""

_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number"}


def to_dataclass(
    cls: type[T],
    data: Mapping[str, Any],
    source: str,
    line_of: LineOf,
    prefix: str = "",
) -> tuple[T | None, list[Diagnostic]]:
    """Build ``cls`` from ``data``; on any problem return None and the problems found."""
    problems: list[Diagnostic] = []
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for key in sorted(data):
        dotted = f"{prefix}{key}"
        if key not in fields:
            suggestion = did_you_mean(key, fields)
            known = ", ".join(sorted(fields))
            problems.append(
                error(
                    source,
                    line_of(dotted),
                    "unknown-setting",
                    f"unknown setting `{dotted}`",
                    (suggestion + " " if suggestion else "") + f"known settings here: {known}",
                )
            )
            continue
        value, found = _convert(hints[key], data[key], source, line_of, dotted)
        problems.extend(found)
        kwargs[key] = value
    for name, field in fields.items():
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if required and name not in data:
            problems.append(
                error(
                    source,
                    0,
                    "missing-setting",
                    f"required setting `{prefix}{name}` is missing",
                    f"add `{name} = ...` to {source}",
                )
            )
    if problems:
        return None, problems
    return cls(**kwargs), []


def _convert(
    hint: Any, value: Any, source: str, line_of: LineOf, dotted: str
) -> tuple[Any, list[Diagnostic]]:
    """Check ``value`` against the type ``hint``; nested dataclasses recurse."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            return None, [_wrong_type(source, line_of, dotted, "a table ([section])", value)]
        return to_dataclass(hint, value, source, line_of, prefix=dotted + ".")
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None, []
        inner = next(a for a in args if a is not type(None))
        return _convert(inner, value, source, line_of, dotted)
    if origin is dict or hint is dict:
        if not isinstance(value, Mapping):
            return None, [_wrong_type(source, line_of, dotted, "a table", value)]
        if args and args[1] is str and not all(isinstance(v, str) for v in value.values()):
            return None, [_wrong_type(source, line_of, dotted, "a table of text values", value)]
        if args and isinstance(args[1], type) and dataclasses.is_dataclass(args[1]):
            tables: dict[str, Any] = {}
            problems: list[Diagnostic] = []
            for key in sorted(value):
                table, found = _convert(args[1], value[key], source, line_of, f"{dotted}.{key}")
                problems += found
                tables[key] = table
            return (None if problems else tables), problems
        return dict(value), []
    if origin is tuple:
        item_type = args[0]
        if not isinstance(value, list) or not all(_is(item_type, v) for v in value):
            expected = f"a list of {_TYPE_NAMES.get(item_type, item_type.__name__)}"
            return None, [_wrong_type(source, line_of, dotted, expected, value)]
        return tuple(value), []
    if not _is(hint, value):
        return None, [_wrong_type(source, line_of, dotted, _TYPE_NAMES.get(hint, str(hint)), value)]
    return value, []


def _is(hint: Any, value: Any) -> bool:
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)


def _wrong_type(source: str, line_of: LineOf, dotted: str, expected: str, value: Any) -> Diagnostic:
    return error(
        source,
        line_of(dotted),
        "bad-setting-type",
        f"setting `{dotted}` must be {expected}, not {_describe(value)}",
        "check the quotes and brackets around the value",
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    return "a value of another kind"  # never a type name of Python's
