"""HTML from an ATS → a safe Markdown description: nh3 first, then a small converter.

The site escapes raw HTML in Markdown by default, so the description is written as Markdown
(paragraphs, headings, lists, bold, italics, links) rather than as HTML it would show as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "h1", "h2", "h3", "h4", "h5", "h6", "a"}
)
"""What survives sanitising; everything else is dropped, its text kept (scripts and styles go
whole, text and all)."""
_BLOCKS = frozenset({"p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br"})
_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START_RE = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))(?=\s|$)")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def sanitise(html: str) -> str:
    """``html`` reduced to the tags of TAGS, links to https and mailto only."""
    return nh3.clean(
        _CONTROL_RE.sub("", html),
        tags=set(TAGS),
        attributes={"a": {"href"}},
        url_schemes={"https", "mailto"},
        link_rel=None,
    )


def to_markdown(html: str) -> str:
    """Sanitised ``html`` as Markdown, one blank line between blocks, ending with a newline."""
    converter = _Converter()
    converter.feed(sanitise(html))
    converter.close()
    return converter.result()


class _Converter(HTMLParser):
    """Walks the sanitised tags and writes the Markdown for each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number], or [0] for bullets
        self.link: str | None = None
        self.link_text: list[str] = []
        self.at_start = True
        """Nothing written yet since the block (or list marker) began: `#`, `-`, `1.` need escaping."""
        self.marks: list[int] = []
        """Where each open bold or italics marker sits in ``line``."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.flush()
        if tag in {"ul", "ol"}:
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            counter = self.lists[-1] if self.lists else [0]
            marker = f"{counter[0]}." if counter[0] else "-"
            if counter[0]:
                counter[0] += 1
            self.line.append("    " * depth + marker + " ")
            self.at_start = True
        elif tag[0] == "h" and tag[1:].isdigit():
            # The role page has its own h1 (the title): the feed's headings start at h2.
            self.line.append("#" * min(max(int(tag[1:]), 2), 6) + " ")
            self.at_start = True
        elif tag in {"strong", "b", "em", "i"}:
            self.marks.append(len(self.line))
            self.line.append("**" if tag in {"strong", "b"} else "*")
        elif tag == "a":
            self.link = dict(attrs).get("href") or ""
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"strong", "b", "em", "i"}:
            self._close_mark("**" if tag in {"strong", "b"} else "*")
        elif tag == "a" and self.link is not None:
            text = "".join(self.link_text).strip()
            href = self.link.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
            self.line.append(f"[{text}]({href})" if href and text else text)
            self.link, self.link_text = None, []
        elif tag in {"ul", "ol"} and self.lists:
            self.flush()
            self.lists.pop()
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        text = _ESCAPE_RE.sub(r"\\\1", re.sub(r"\s+", " ", data))
        if self.at_start:
            text = _LINE_START_RE.sub(_escape_start, text.lstrip())
            self.at_start = not text
        if self.link is not None:
            self.link_text.append(text)
        else:
            self.line.append(text)

    def flush(self) -> None:
        text = "".join(self.line).strip()
        if text.strip("*# -") or re.match(r"^\s*(-|\d+\.)\s+\S", "".join(self.line)):
            indent = "".join(self.line)[
                : len("".join(self.line)) - len("".join(self.line).lstrip())
            ]
            self.blocks.append(indent + text)
        self.line, self.marks, self.at_start = [], [], True

    def _close_mark(self, mark: str) -> None:
        """Close bold or italics, or drop the opening marker when nothing came between."""
        if not self.marks:
            return
        start = self.marks.pop()
        if "".join(self.line[start + 1 :]).strip():
            # Markdown wants the closing marker right after the text: move spaces behind it.
            tail = "".join(self.line[start + 1 :])
            stripped = tail.rstrip()
            self.line[start + 1 :] = [stripped, mark, tail[len(stripped) :]]
        else:
            del self.line[start]

    def result(self) -> str:
        self.flush()
        out: list[str] = []
        for block in self.blocks:
            item = re.match(r"^\s*(-|\d+\.) ", block) is not None
            if out and not (item and re.match(r"^\s*(-|\d+\.) ", out[-1])):
                out.append("")
            out.append(block)
        return "\n".join(out).strip("\n") + "\n" if out else ""


def _escape_start(match: re.Match[str]) -> str:
    """``#`` → ``\\#``, ``1.`` → ``1\\.``: text that would start a heading or a list."""
    space, sign, number, dot = match.groups()
    return f"{space}\\{sign}" if sign else f"{space}{number}\\{dot}"
