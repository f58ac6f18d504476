"""Split a content file into YAML front matter and Markdown body, keeping the line of every key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import frontmatter as python_frontmatter
import yaml

from .errors import Diagnostic, error

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML's safe loader (the C one when available), lenient about impossible dates.

    ``date: 2026-13-01`` stays text, so the story rules can say what is wrong with it instead
    of PyYAML raising a bare ValueError.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_BOUNDARY = python_frontmatter.YAMLHandler.FM_BOUNDARY
MAX_DEPTH = 32
_LONG_NUMBER_RE = re.compile(r"[-+]?(?:0x[0-9a-fA-F_]{4000,}|[0-9][0-9_:]{3999,})")
"""Deepest nesting of lists and groups in front matter; real front matter needs three or four."""


@dataclass(frozen=True)
class FrontMatter:
    """The parsed head of a content file."""

    data: dict[str, Any]
    """The front matter mapping."""
    key_lines: dict[str, int]
    """1-based line of every top-level key."""
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """For keys whose value is a list: the line of each item."""
    body: str = ""
    """The Markdown after the closing ``---``."""
    body_line: int = 1
    """Line number of the body's first line in the file."""
    end_line: int = 1
    """Line of the closing ``---``; where to add a missing key."""

    def line(self, key: str) -> int:
        """Line of ``key``, or of the closing ``---`` when the key is absent."""
        return self.key_lines.get(key, self.end_line)


def parse_front_matter(text: str, source: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse ``text`` (already decoded, newlines normalised) into FrontMatter or problems."""
    if not python_frontmatter.YAMLHandler().detect(text):
        return None, [
            error(
                source,
                1,
                "no-front-matter",
                "the file does not start with front matter",
                "begin the file with a line `---`, the fields (title: …), and another `---`",
            )
        ]
    boundaries = list(_BOUNDARY.finditer(text, 0))
    if len(boundaries) < 2:
        return None, [
            error(
                source,
                1,
                "unclosed-front-matter",
                "the front matter is never closed",
                "add a line with just `---` after the last field",
            )
        ]
    opening, closing = boundaries[0], boundaries[1]
    yaml_text = text[opening.end() : closing.start()]
    first_yaml_line = text.count("\n", 0, opening.end()) + 1
    # The YAML starts right after the opening `---` (on the same line, before its newline),
    # so YAML's 0-based line numbers map to file lines by adding the opening's line number.
    offset = first_yaml_line
    end_line = text.count("\n", 0, closing.start()) + 1
    body_start = closing.end()
    if text.startswith("\n", body_start):
        body_start += 1
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    try:
        refused = _refuse_structure(yaml_text)
        if refused is not None:
            mark, code, message, hint = refused
            return None, [error(source, mark.line + offset, code, message, hint)]
        node, data = _parse_yaml(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in str(exc.problem):
            mark = exc.context_mark  # point at the quote or bracket that was never closed
        line = (mark.line + offset) if mark else first_yaml_line
        return None, [
            error(
                source,
                line,
                "bad-yaml",
                f"the front matter is not valid YAML: {_yaml_reason(exc)}",
                _yaml_hint(exc),
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            error(
                source,
                first_yaml_line,
                "bad-yaml",
                f"the front matter is not valid YAML: {exc}",
                _yaml_hint(exc),
            )
        ]
    except (ValueError, OverflowError, RecursionError) as exc:
        # PyYAML lets some conversions fail bare, e.g. a number with 5,000 digits.
        return None, [
            error(
                source,
                first_yaml_line,
                "bad-yaml",
                f"the front matter cannot be read: {str(exc).split(';')[0]}",
                "look for an absurdly long number or deeply nested brackets",
            )
        ]
    if node is None:
        return None, [
            error(
                source,
                first_yaml_line,
                "empty-front-matter",
                "the front matter is empty",
                "add the fields between the two `---` lines, e.g. `title: My story`",
            )
        ]
    if not isinstance(node, yaml.MappingNode):
        return None, [
            error(
                source,
                node.start_mark.line + offset,
                "front-matter-not-mapping",
                "the front matter must be a list of `field: value` lines",
                "write one field per line, e.g. `title: My story`",
            )
        ]
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            return None, [
                error(
                    source,
                    key_node.start_mark.line + offset,
                    "bad-key",
                    "a field name must be plain text",
                    "e.g. `title: My story`",
                )
            ]
        name = key_node.value
        if name in key_lines:
            return None, [
                error(
                    source,
                    key_node.start_mark.line + offset,
                    "duplicate-key",
                    f"the field `{name}` appears twice (first on line {key_lines[name]})",
                    "keep one of them",
                )
            ]
        key_lines[name] = key_node.start_mark.line + offset
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[name] = tuple(item.start_mark.line + offset for item in value_node.value)
    data = {str(k): v for k, v in data.items()}
    return FrontMatter(data, key_lines, item_lines, body, body_line, end_line), []


def _refuse_structure(yaml_text: str) -> tuple[yaml.Mark, str, str, str] | None:
    """Where the YAML uses an alias or nests too deep, found from the event stream alone.

    Both are refused before a node tree exists: an alias could make construction expand
    (a "billion laughs"), and libyaml builds nodes recursively in C, so ten thousand
    nested brackets would crash the interpreter rather than raise.
    """
    try:
        return _refuse_events(yaml.parse(yaml_text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        # PyYAML 6.0.4 and later stop at their own nesting limit (above ours) while scanning.
        if "maximum nesting depth" not in str(exc.problem):
            raise
        mark = exc.context_mark or exc.problem_mark
        assert mark is not None
        return mark, *_TOO_DEEP


_TOO_DEEP = (
    "yaml-too-deep",
    f"the front matter nests lists and groups more than {MAX_DEPTH} levels deep",
    "flatten it; front matter is a short list of fields",
)


def _refuse_events(events: Iterator[yaml.Event]) -> tuple[yaml.Mark, str, str, str] | None:
    """The first alias, too-deep collection or over-long number in a YAML event stream."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            return (
                event.start_mark,
                "yaml-alias",
                "the front matter uses a YAML anchor or alias (& or *)",
                "write the value out in full; anchors and aliases are not allowed here",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark, *_TOO_DEEP
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif (
            isinstance(event, yaml.ScalarEvent)
            and not event.style
            and _LONG_NUMBER_RE.fullmatch(event.value)
        ):
            # Python refuses to convert ints this long, and PyYAML lets that escape bare.
            return (
                event.start_mark,
                "bad-yaml",
                f"the front matter has a number with {len(event.value):,} digits",
                "write it as text in quotes, or shorten it",
            )
    return None


def _parse_yaml(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the Python data, from one parse."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data
    finally:
        loader.dispose()


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem and context:
        return f"{problem} ({context})"
    return str(problem or exc).splitlines()[0]


def _yaml_hint(exc: yaml.YAMLError) -> str:
    text = str(exc)
    if "mapping values are not allowed" in text:
        return 'a value that contains a colon needs quotes: title: "Why I stayed: a story"'
    if "found character '\\t'" in text or "tab" in text:
        return "use spaces, not tabs, to indent"
    if "quoted scalar" in text:
        return "a quote opened on this line is never closed; add the closing quote"
    if "could not find expected ':'" in text:
        return "each line needs the form `field: value`"
    return "check the quotes, colons and indentation on that line"
