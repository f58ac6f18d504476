"""Split a content file into YAML front matter and Markdown body, keeping the line of every key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..errors import Diagnostic, error

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
_BOUNDARY = YAMLHandler.FM_BOUNDARY
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
    written: dict[str, str] = field(default_factory=dict)
    """Each key as the author wrote it (``Title``), by its normalised name (``title``)."""
    plain: dict[str, str] = field(default_factory=dict)
    """For top-level values written without quotes: the text as written (``No``, ``1.10``)."""
    cut: dict[str, str] = field(default_factory=dict)
    """Top-level unquoted values followed by a ``#`` on their line: the whole line's text from
    the value on, which is what the author probably meant (``We are #1 in service``)."""
    body_start: int = 0
    """Where the body begins in the decoded text (a character offset), to read it again."""

    def line(self, key: str) -> int:
        """Line of ``key``, or of the closing ``---`` when the key is absent."""
        return self.key_lines.get(key, self.end_line)


def parse_front_matter(text: str, source: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse ``text`` (already decoded, newlines normalised) into FrontMatter or problems."""
    if not YAMLHandler().detect(text):
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
    tab = _tab_indent(yaml_text)
    if tab is not None:
        return None, [
            error(
                source,
                tab + offset,
                "tab-indent",
                f"line {tab + offset} is indented with a tab",
                "indent with spaces instead (most editors: replace the tab by two spaces)",
            )
        ]
    yaml_text = _straighten_quotes(yaml_text)
    try:
        refused = _refuse_structure(yaml_text)
        if refused is not None:
            line, code, message, hint = refused
            return None, [error(source, line + offset, code, message, hint)]
        node, data = _parse_yaml(yaml_text)
    except yaml.MarkedYAMLError as exc:
        line, reason, hint = explain_yaml_error(exc, yaml_text.split("\n"), offset)
        return None, [
            error(
                source,
                line,
                "bad-yaml",
                f"the front matter is not valid YAML: {reason}",
                hint,
            )
        ]
    except yaml.YAMLError:
        return None, [
            error(
                source,
                first_yaml_line,
                "bad-yaml",
                "the front matter is not valid YAML",
                _GENERAL_HINT,
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
    written: dict[str, str] = {}
    plain: dict[str, str] = {}
    cut: dict[str, str] = {}
    lines = yaml_text.split("\n")
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
        # Word capitalises the start of a line: `Title:` is `title`, `Image alt:` `image_alt`.
        name = field_name(key_node.value)
        if name in key_lines:
            first = written[name]
            same = "" if first == key_node.value else f", as `{first}`"
            return None, [
                error(
                    source,
                    key_node.start_mark.line + offset,
                    "duplicate-key",
                    f"the field `{key_node.value}` appears twice "
                    f"(first on line {key_lines[name]}{same})",
                    "keep one of them",
                )
            ]
        key_lines[name] = key_node.start_mark.line + offset
        written[name] = key_node.value
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[name] = tuple(item.start_mark.line + offset for item in value_node.value)
        elif isinstance(value_node, yaml.ScalarNode) and not value_node.style:
            plain[name] = value_node.value
            end = value_node.end_mark
            rest = lines[end.line][end.column :] if end.line < len(lines) else ""
            if rest.lstrip().startswith("#"):
                start = value_node.start_mark
                cut[name] = lines[start.line][start.column :].strip()
    data = {field_name(str(k)): v for k, v in data.items()}
    return (
        FrontMatter(
            data, key_lines, item_lines, body, body_line, end_line, written, plain, cut, body_start
        ),
        [],
    )


def field_name(written: str) -> str:
    """The normalised name of a field: ``Title`` → ``title``, ``Image alt`` → ``image_alt``."""
    return re.sub(r"[\s-]+", "_", written.strip()).lower()


def _refuse_structure(yaml_text: str) -> tuple[int, str, str, str] | None:
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
        return _line_of(exc.context_mark or exc.problem_mark), *_TOO_DEEP


def _line_of(mark: object) -> int:
    """The 0-based line of a PyYAML mark (pure-Python or libyaml's), 0 without one."""
    line = getattr(mark, "line", 0)
    return line if isinstance(line, int) else 0


_TOO_DEEP = (
    "yaml-too-deep",
    f"the front matter nests lists and groups more than {MAX_DEPTH} levels deep",
    "flatten it; front matter is a short list of fields",
)


def _refuse_events(events: Iterator[yaml.Event]) -> tuple[int, str, str, str] | None:
    """The first alias, too-deep collection or over-long number in a YAML event stream."""
    depth = 0
    anchor: int | None = None
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            return (
                _line_of(event.start_mark),
                "yaml-alias",
                "a value starts with `*`, which has a special meaning at the start of a value",
                'put the whole value in quotes, e.g. `title: "*Star* of the year"`',
            )
        if anchor is None and getattr(event, "anchor", None) is not None:
            anchor = _line_of(event.start_mark)  # harmless alone, but it silently drops `&word`
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return _line_of(event.start_mark), *_TOO_DEEP
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif (
            isinstance(event, yaml.ScalarEvent)
            and not event.style
            and _LONG_NUMBER_RE.fullmatch(event.value)
        ):
            # Python refuses to convert ints this long, and PyYAML lets that escape bare.
            return (
                _line_of(event.start_mark),
                "bad-yaml",
                f"the front matter has a number with {len(event.value):,} digits",
                "write it as text in quotes, or shorten it",
            )
    if anchor is not None:
        return (
            anchor,
            "yaml-alias",
            "a value starts with `&`, which has a special meaning at the start of a value",
            'put the whole value in quotes, e.g. `title: "& then there were three"`',
        )
    return None


def _parse_yaml(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the Python data, from one parse."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode) and all(
            isinstance(key, yaml.ScalarNode) for key, _ in node.value
        ):
            # Field names stay the text written: `No:` or `2026:` must not become a
            # yes/no or a number (and so a field called `False`).
            fields = {
                key.value: loader.construct_object(value, deep=True) for key, value in node.value
            }
            return node, fields
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


_GENERAL_HINT = "check the quotes, colons and indentation on that line"
_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b"
_CURLY_RE = re.compile(
    rf"^(?P<head>\s*(?:-\s+|[^\s#:'\"-][^#:]*:\s+))"
    rf"(?P<open>[{_QUOTES}{_SINGLE_QUOTES}])(?P<inner>.*)(?P<close>[{_QUOTES}{_SINGLE_QUOTES}])\s*$"
)


_BLOCK_RE = re.compile(r"^\s*(?:-\s+)?[^#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _tab_indent(yaml_text: str) -> int | None:
    """0-based line of the first line indented with a tab (YAML only allows spaces)."""
    for number, line in enumerate(yaml_text.split("\n")):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return number
    return None


def _straighten_quotes(yaml_text: str) -> str:
    """Curly quotes around a whole value (as Word writes them) become real quotes.

    ``title: “Why I stayed: a story”`` means the text inside, colon and all. Quotes inside a
    value (``“A” and “B”``) stay as they are. Lines keep their numbers.
    """
    lines = yaml_text.split("\n")
    block: int | None = None  # indentation of the field whose `|` or `>` text we are in
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            continue  # text written out in a block is the author's, quotes and all
        block = indent if _BLOCK_RE.match(line) else None
        match = _CURLY_RE.match(line)
        if match is None:
            continue
        inner = match["inner"]
        double = match["open"] in _QUOTES and match["close"] in _QUOTES
        single = match["open"] in _SINGLE_QUOTES and match["close"] in _SINGLE_QUOTES
        if (double and any(q in inner for q in _QUOTES)) or not (double or single):
            continue
        if single and any(q in inner for q in "\u2018\u201a\u201b"):
            continue
        lines[number] = match["head"] + json.dumps(inner, ensure_ascii=False)
    return "\n".join(lines)


_STARTS_BADLY = (
    "cannot start any token",
    "alphabetic or numeric character",
    "constructor for the tag",
    "expected comment or line break",
)
"""YAML problems that mean a value starts with one of ` @ % * & ! | >."""


def explain_yaml_error(
    exc: yaml.MarkedYAMLError, lines: list[str], offset: int
) -> tuple[int, str, str]:
    """(file line, reason, hint) for a YAML error, in the words of someone writing a story.

    ``offset`` turns YAML's 0-based line numbers into the file's.
    """
    problem = str(exc.problem or "")
    mark = exc.problem_mark or exc.context_mark
    start = exc.context_mark or mark
    at = mark.line if mark is not None else 0
    text = lines[at] if at < len(lines) else ""
    key, colon, value = text.partition(":")
    value = value.strip()
    key = key.strip().removeprefix("- ")
    quoted = f'`{key}: "{value}"`' if colon and key else '`title: "…"`'
    if "end of stream" in problem and start is not None:
        line = start.line + offset
        return (
            line,
            f"the quote opened on line {line} is never closed",
            ("add the closing quote (the same kind) at the end of the value"),
        )
    if "mapping values are not allowed" in problem:
        if text[:1] == " " and ": " not in value:
            return (
                at + offset,
                f"line {at + offset} is indented, but the line above takes no fields under it",
                "start the line at the left edge, like the other fields",
            )
        return (
            at + offset,
            (
                f"the value on line {at + offset} contains a colon followed by a space, which "
                "starts a new field"
            ),
            f"put the whole value in quotes: {quoted}",
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        if value[:1] in {"'", '"'}:
            return (
                at + offset,
                (
                    f"the quotes on line {at + offset} do not match: the value ends before "
                    "the line does"
                ),
                (
                    "a value in single quotes cannot contain an apostrophe; put it in double "
                    f'quotes instead: `{key}: "{value.strip(chr(39))}"`'
                    if value.startswith("'")
                    else 'write a double quote inside a value as \\" or use single quotes around it'
                ),
            )
        if text.lstrip().startswith("-"):
            return (
                at + offset,
                f"the list item on line {at + offset} belongs to no field",
                (
                    "put `- …` lines right under the field they belong to (e.g. `values:`), "
                    "indented by two spaces"
                ),
            )
        return (
            at + offset,
            (f"line {at + offset} is indented differently from the lines above"),
            "start each field at the left edge; indent only the lines under a field",
        )
    if "could not find expected ':'" in problem and start is not None:
        line = start.line + offset
        return (
            line,
            f"line {line} has no `field:` at its start",
            (
                "each line here needs a field name and a colon, e.g. `title: My story`; "
                "the story itself goes below the second `---`"
            ),
        )
    if any(part in problem for part in _STARTS_BADLY) and mark is not None:
        char = value[:1] or text[mark.column : mark.column + 1]
        shown = "a backtick (`)" if char == "`" else f"`{char}`"
        return (
            at + offset,
            f"the value on line {at + offset} starts with {shown}, which has a special "
            "meaning at the start of a value",
            f"put the whole value in quotes: {quoted}",
        )
    if "unknown escape character" in problem or "hexdecimal number" in problem:
        return (
            at + offset,
            (
                f"the value on line {at + offset} has a backslash (`\\`) that is not allowed "
                "inside double quotes"
            ),
            "write the backslash twice (`\\\\`), or use single quotes around the value",
        )
    flow_list = "flow node" in str(exc.context or "") and "[" in text
    if ("expected ',' or ']'" in problem or flow_list) and start is not None:
        line = start.line + offset
        return (
            line,
            f"the list in brackets on line {line} is not closed with `]`",
            (
                "end the list with `]` on the same line and separate its items with commas, "
                "e.g. `values: [innovation, ownership]`"
            ),
        )
    if "expected ',' or '}'" in problem and start is not None:
        line = start.line + offset
        return (
            line,
            f"the group in braces on line {line} is not closed with `}}`",
            ("end it with `}` on the same line, or write one field per line instead"),
        )
    if "block sequence entries are not allowed" in problem:
        return (
            at + offset,
            f"the list item on line {at + offset} is on the line of its field",
            ("put each `- …` on a line of its own under the field"),
        )
    return at + offset, f"line {at + offset} cannot be read as `field: value`", _GENERAL_HINT
