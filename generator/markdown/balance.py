"""Balanced HTML: every element a story body opens is closed inside it.

With ``markdown.html = "safe"`` an author's inline tags are sanitised one at a time (a lone tag
cannot be balanced on its own), so ``Text <a href="/x">unclosed`` left an ``<a>`` open: the
browser kept it open past the body and re-opened it around the theme's call-to-action. The
converted body is balanced once, as a whole: end tags close what they end and anything opened
after it, an end tag nothing opened is dropped, and whatever is still open is closed at the end.
Everything else is left byte for byte as it was.
"""

from __future__ import annotations

from html.parser import HTMLParser

VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})  # fmt: skip
"""Elements without content or end tag (HTML's void elements)."""


def balance_html(html: str) -> str:
    """``html`` with every element closed inside it and no end tag that closes nothing."""
    parts: list[str] = []
    open_tags: list[str] = []
    last = 0
    for kind, tag, offset, length in _tags(html):
        if kind == "start":
            if tag not in VOID_TAGS:
                open_tags.append(tag)
            continue
        parts.append(html[last:offset])
        last = offset
        if tag in VOID_TAGS or tag not in open_tags:
            last = offset + length  # it ends nothing (`</br>` even adds a `<br>`): left out
            continue
        while open_tags[-1] != tag:  # close what was opened inside it, innermost first
            parts.append(f"</{open_tags.pop()}>")
        open_tags.pop()
    parts.append(html[last:])
    parts += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(parts)


def _tags(html: str) -> list[tuple[str, str, int, int]]:
    """Every tag in order: start or end, its name, its offset and the length of its text."""
    reader = _TagReader()
    reader.feed(html)
    reader.close()
    line_starts = [0]
    for text in html.split("\n")[:-1]:
        line_starts.append(line_starts[-1] + len(text) + 1)
    found = []
    for kind, tag, (line, column), length in reader.tags:
        offset = line_starts[line - 1] + column
        if kind == "end":
            length = html.index(">", offset) + 1 - offset
        found.append((kind, tag, offset, length))
    return found


class _TagReader(HTMLParser):
    """Collects the tags of a text, with their (line, column) positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, str, tuple[int, int], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(("start", tag, self.getpos(), len(self.get_starttag_text() or "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # `<b/>` opens a `<b>` in HTML, as `<b>` does

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("end", tag, self.getpos(), 0))
