"""Lists as GitHub reads them, rewritten into the shape Python-Markdown reads.

Python-Markdown nests a list only under four spaces, and starts one only after a blank line.
GitHub (CommonMark) nests under the column where the parent item's text begins (two spaces under
``-``, three under ``1.``), and a bullet list (or one starting at ``1.``) may follow a line of
text directly. This preprocessor walks the lines once, tracking the open list items by the
column their text starts at, and writes every line of an item four spaces per level deep; a
blank line goes before a list that interrupts a paragraph. Fenced code is copied unchanged (but
for its container's indentation), so ``#`` and ``-`` lines in code stay code.

Quotes are read the same way inside: their ``>`` is taken off, the inside is rewritten and the
``>`` put back. One pass, each line looked at a bounded number of times: linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_ITEM_RE = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])(?:( +)(.*))?$")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_QUOTE_RE = re.compile(r"^ {0,3}> ?")
_BLOCK_START_RE = re.compile(r"^ {0,3}(?:#{1,6}(?: |$)|>|```|~~~)")
_INDENT = "    "


@dataclass
class _List:
    """A list being read: its kind of marker, where its items are in the output, how it reads."""

    kind: str
    """``-``, ``*`` or ``+`` for bullets, ``.`` or ``)`` for numbers: another kind, another list."""
    items: list[int] = field(default_factory=list)
    """Output line of each item's marker."""
    loose: bool = False
    """Items separated by blank lines, or an item with blocks separated by one (CommonMark)."""
    blank_inside: bool = False
    """A blank line since the last item began (Python-Markdown needs one before the next)."""


@dataclass
class _Item:
    """An open list item: the column its text starts at (in the author's text), and its list."""

    content: int
    owner: _List


@dataclass
class _Fence:
    """An open fenced code block: its character, length, and the indentation it was opened at."""

    char: str
    length: int
    indent: int


def normalise_lists(lines: list[str]) -> list[str]:
    """``lines`` with every list item's content indented four spaces per nesting level.

    A loose list (CommonMark's word: blank lines between its items) gets a blank line between
    every two items, as Python-Markdown wraps only the items next to a blank line in ``<p>``.
    """
    out: list[str] = []
    lists: list[_List] = []
    stack: list[_Item] = []
    fence: _Fence | None = None
    previous = "blank"  # blank | para | item | code | code-blank | other
    para_depth = 0  # nesting depth of the paragraph ``previous == "para"`` refers to
    para_after_blank = False  # that paragraph began after a blank line
    blank = True  # blank lines since the last line with text
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if fence is not None:
            base = stack[-1].content if stack else 0
            text = _dedent(line, base)
            closing = _FENCE_RE.match(text)
            if (
                closing is not None
                and closing.group(2)[0] == fence.char
                and len(closing.group(2)) >= fence.length
                and not closing.group(3).strip()
            ):
                fence = None
            out.append(_INDENT * len(stack) + text if text else "")
            continue
        if not line.strip():
            out.append("")
            previous = "blank" if previous != "code" else "code-blank"
            blank = True
            for open_item in stack:
                open_item.owner.blank_inside = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        lazy = previous in {"para", "item"} and not _starts_block(line.lstrip(" "), bool(stack))
        popped: list[_Item] = []
        while stack and indent < stack[-1].content and not lazy:
            popped.append(stack.pop())
        if lazy and stack and indent < stack[-1].content:
            out.append(_INDENT * len(stack) + line.lstrip(" "))
            previous, blank = "para", False
            continue
        base = stack[-1].content if stack else 0
        text = line[base:]
        relative = indent - base
        item = None if relative >= 4 or _RULE_RE.match(text) else _ITEM_RE.match(text)
        kind = item.group(2)[-1] if item is not None else ""
        sibling = popped[-1].owner if popped and popped[-1].owner.kind == kind else None
        if blank and sibling is None and stack:
            stack[-1].owner.loose = True  # the item holds two blocks with a blank between
        was_blank, blank = blank, False
        if relative >= 4 and previous in {"blank", "code", "code-blank"}:
            out.append(_INDENT * len(stack) + text)
            previous = "code"
            continue
        if relative >= 4:  # a paragraph's continuation line, however far indented
            out.append(_INDENT * len(stack) + text.lstrip(" "))
            continue
        if _QUOTE_RE.match(text):
            quoted = [_QUOTE_RE.sub("", text, count=1)]
            while index < len(lines):
                following = _dedent(lines[index], base)
                if not _QUOTE_RE.match(following) or _indent_of(lines[index]) < base:
                    break
                quoted.append(_QUOTE_RE.sub("", following, count=1))
                index += 1
            prefix = _INDENT * len(stack) + "> "
            out += [(prefix + inner).rstrip() for inner in normalise_lists(quoted)]
            previous = "para"  # a line of text after a quote continues it (lazily)
            para_depth, para_after_blank = len(stack), True
            continue
        if item is not None:
            marker, spaces, content = item.group(2), item.group(3) or "", item.group(4) or ""
            ordered = kind in ".)"
            if (
                previous == "para"
                and para_depth == len(stack)
                and (not content.strip() or (ordered and int(marker[:-1]) != 1))
            ):
                # CommonMark: only a non-empty bullet, or a list starting at 1, interrupts text.
                out.append(_INDENT * len(stack) + text.lstrip(" "))
                continue
            if previous == "para" and para_depth == len(stack) and (not stack or para_after_blank):
                out.append("")  # a new list right after a line of text
            owner = sibling or _List(kind)
            if sibling is not None and was_blank:
                owner.loose = True
            if sibling is not None and owner.blank_inside and out and out[-1]:
                out.append("")  # after a blank line deeper in the item before
            if sibling is None:
                lists.append(owner)
            width = len(spaces) if 0 < len(spaces) <= 4 and content.strip() else 1
            if 0 < len(spaces) <= 4 or not content.strip():
                body = content
            else:  # five or more spaces: the text is indented code inside the item
                body = " " * (len(spaces) - 1) + content
            if ordered:
                marker = marker[:-1] + "."
            owner.items.append(len(out))
            owner.blank_inside = False
            out.append(_INDENT * len(stack) + marker + " " + body)
            stack.append(_Item(indent + len(item.group(2)) + width, owner))
            previous, para_depth = ("item" if content.strip() else "blank"), len(stack)
            continue
        opened = _FENCE_RE.match(text)
        if opened is not None and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = _Fence(opened.group(2)[0], len(opened.group(2)), relative)
            out.append(_INDENT * len(stack) + text)
            previous = "other"
            continue
        out.append(_INDENT * len(stack) + text)
        if _RULE_RE.match(text) or _BLOCK_START_RE.match(text):
            previous = "other"
        else:
            if previous != "para":
                para_after_blank = was_blank
            previous, para_depth = "para", len(stack)
    return _separate_loose_items(out, lists)


def _separate_loose_items(out: list[str], lists: list[_List]) -> list[str]:
    """``out`` with a blank line before every item of a loose list that lacks one."""
    before = {i for found in lists if found.loose for i in found.items[1:] if out[i - 1]}
    if not before:
        return out
    result: list[str] = []
    for number, line in enumerate(out):
        if number in before:
            result.append("")
        result.append(line)
    return result


def _starts_block(text: str, in_list: bool) -> bool:
    """True when ``text`` (a line without its indentation) begins a block of its own.

    Inside a list any item does (it is the next item); elsewhere only one that may interrupt
    a paragraph: a bullet, or a number 1, with text after it.
    """
    if _BLOCK_START_RE.match(text) or _RULE_RE.match(text):
        return True
    item = _ITEM_RE.match(text)
    if item is None:
        return False
    if in_list:
        return True
    marker = item.group(2)
    has_text = bool((item.group(4) or "").strip())
    return has_text and (marker[-1] not in ".)" or int(marker[:-1]) == 1)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dedent(line: str, columns: int) -> str:
    """``line`` without up to ``columns`` leading spaces."""
    return line[min(columns, _indent_of(line)) :]


class _ListPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalise_lists(lines)


class GfmListsExtension(Extension):
    """Python-Markdown extension: lists nested and started as on GitHub (see the module)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Run after whitespace is normalised (tabs expanded), before fenced code is read."""
        md.preprocessors.register(_ListPreprocessor(md), "gfm-lists", 28)
