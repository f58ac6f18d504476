"""Split a content file into YAML front matter and Markdown body, keeping the line of every key."""

from __future__ import annotations

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
    if _has_alias(node):
        return None, [
            error(
                source,
                _alias_line(yaml_text) + offset,
                "yaml-alias",
                "the front matter uses a YAML anchor or alias (& or *)",
                "write the value out in full; anchors and aliases are not allowed here",
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


def _parse_yaml(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the Python data, from one parse.

    Aliases become shared references, never copies, so construction cannot blow up.
    """
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data
    finally:
        loader.dispose()


def _alias_line(yaml_text: str) -> int:
    """0-based line of the first ``*alias`` (the node tree only knows where the anchor is)."""
    for token in yaml.scan(yaml_text, Loader=_Loader):
        if isinstance(token, yaml.AliasToken):
            return token.start_mark.line
    return 0


def _has_alias(root: yaml.Node) -> bool:
    """True when a node is reached twice (an alias), found without ever expanding one."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


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
