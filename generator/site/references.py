"""Where a built page or stylesheet names other files: the offsets of every address in it.

Pages are read with the standard library's HTML parser; the offsets of attribute values come from
scanning each start tag's own text, checked against the parser's reading of it. Stylesheets (and
``style`` attributes and elements) are read with a small scanner that knows comments and strings.
Pure functions over text; ``portable`` decides what to write instead.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "formaction", "data", "xlink:href"})
"""Attributes that hold one address."""
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
"""Attributes that hold a list of image candidates."""
LINK_RELS_LOADED = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "modulepreload", "prefetch"}
)
"""``<link rel>`` values that load a file; canonical, alternate and the rest name the public site."""
RAW_TEXT_ELEMENTS = frozenset({"textarea", "title", "xmp", "iframe", "noembed", "noframes"})
"""Elements whose content browsers read as text: a tag written inside one is not a tag."""
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json", "importmap"})
"""``<script type>`` values that hold data, not a program."""
SCRIPT_REQUESTS = (
    "fetch(",
    "XMLHttpRequest",
    "EventSource",
    "sendBeacon",
    "serviceWorker",
    "importScripts",
)
"""What a script that loads addresses by itself contains; opened from disk, such requests fail."""
WHITESPACE = " \t\n\r\f"
_WITH_ADDRESSES = URL_ATTRIBUTES | SRCSET_ATTRIBUTES | {"style"}

Span = tuple[int, int]


@dataclass(frozen=True)
class Addresses:
    """The addresses in one piece of a page: an attribute value, or a ``<style>`` element's text."""

    start: int
    end: int
    """The piece's span in the page's source."""
    text: str
    """The piece as the browser reads it (character references decoded)."""
    spans: tuple[Span, ...]
    """Each address's span in ``text``."""
    quote: str
    """The quote around an attribute value (``"``, ``'``, or "" when unquoted)."""
    attribute: bool = True
    """False for the text of a ``<style>`` element (which has no quotes)."""


@dataclass
class PageReferences:
    """Everything in a page that names an address, and what could not be read."""

    pieces: list[Addresses] = field(default_factory=list)
    irregular: list[str] = field(default_factory=list)
    """Tags with addresses whose attributes could not be located in the source."""
    requests: bool = False
    """An inline script requests addresses by itself."""


def page_references(text: str) -> PageReferences:
    """The addresses of a page that a browser loads or follows, with their offsets."""
    finder = _Finder(text)
    finder.feed(text)
    finder.close()
    return finder.found


def requests_by_itself(script: str) -> bool:
    """Whether a script loads addresses itself (which fails from file://), by what it calls."""
    return any(call in script for call in SCRIPT_REQUESTS)


class _Finder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.found = PageReferences()
        self.line_starts = [0]  # the parser counts lines by "\n" alone
        newline = text.find("\n")
        while newline >= 0:
            self.line_starts.append(newline + 1)
            newline = text.find("\n", newline + 1)
        self.in_style = self.in_script = False
        self.raw_text: str | None = None
        """The raw-text element (``<textarea>``…) being read, if any."""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.raw_text is not None:
            return
        if tag in RAW_TEXT_ELEMENTS:
            self.raw_text = tag
        self.in_style = tag == "style"
        self.in_script = tag == "script" and (
            (dict(attrs).get("type") or "").strip().lower() not in DATA_SCRIPT_TYPES
        )
        if tag in ("base", "meta") or not any(name in _WITH_ADDRESSES for name, _ in attrs):
            return
        raw = self.get_starttag_text() or ""
        start = self._offset()
        scanned = scan_attributes(raw)
        if self.text[start : start + len(raw)] != raw or [(n, v) for n, v, _ in scanned] != attrs:
            self.found.irregular.append(f"<{tag}> at offset {start:,}")
            return
        rels = {t for n, v, _ in scanned if n == "rel" and v for t in v.lower().split()}
        for name, value, span in scanned:
            if value is None or span is None or name not in _WITH_ADDRESSES:
                continue
            if tag == "link" and name == "href" and not rels & LINK_RELS_LOADED:
                continue
            if name in SRCSET_ATTRIBUTES:
                spans = srcset_spans(value)
            elif name == "style":
                spans = css_url_spans(value)
            else:
                spans = [(0, len(value))]
            if spans:
                quote = raw[span[0] - 1] if span[0] and raw[span[0] - 1] in "\"'" else ""
                piece = Addresses(start + span[0], start + span[1], value, tuple(spans), quote)
                self.found.pieces.append(piece)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw_text = self.raw_text
        self.handle_starttag(tag, attrs)
        self.in_style = self.in_script = False
        self.raw_text = raw_text  # a self-closed one (SVG's <title/>) holds no text

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if tag == "script":
            self.in_script = False
        if tag == self.raw_text:
            self.raw_text = None

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.found.requests = self.found.requests or requests_by_itself(data)
        if not self.in_style:
            return
        start = self._offset()
        spans = css_url_spans(data)
        if spans and self.text[start : start + len(data)] == data:
            piece = Addresses(start, start + len(data), data, tuple(spans), "", attribute=False)
            self.found.pieces.append(piece)


def scan_attributes(tag: str) -> list[tuple[str, str | None, Span | None]]:
    """(name, value, value's span in ``tag``) for each attribute of one start tag's text.

    Reads attributes as ``html.parser`` does (names lowercased, ``=`` runs allowed, values
    unquoted and unescaped), so the result can be compared with the parser's own list.
    """
    n = len(tag)
    i = 1
    while i < n and tag[i] not in WHITESPACE and tag[i] not in "/>":
        i += 1
    found: list[tuple[str, str | None, Span | None]] = []
    while i < n:
        while i < n and (tag[i] in WHITESPACE or (tag[i] == "/" and tag[i + 1 : i + 2] != ">")):
            i += 1
        if i >= n or tag[i] == ">" or tag.startswith("/>", i):
            break
        start = i
        i += 1
        while i < n and tag[i] not in WHITESPACE and tag[i] not in "/=>":
            i += 1
        name = tag[start:i].lower()
        after_name = i
        while i < n and tag[i] in WHITESPACE:
            i += 1
        if i >= n or tag[i] != "=":
            found.append((name, None, None))
            i = after_name
            continue
        while i < n and tag[i] == "=":
            i += 1
        while i < n and tag[i] in WHITESPACE:
            i += 1
        if i < n and tag[i] in "\"'":
            close = tag.find(tag[i], i + 1)
            span = (i + 1, n if close < 0 else close)
            i = span[1] + 1
        else:
            start = i
            while i < n and tag[i] not in WHITESPACE and tag[i] != ">":
                i += 1
            span = (start, i)
        found.append((name, html.unescape(tag[span[0] : span[1]]), span))
    return found


def srcset_spans(value: str) -> list[Span]:
    """(start, end) of each candidate's address in a ``srcset`` (the HTML standard's parser)."""
    spans: list[Span] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in WHITESPACE or value[i] == ","):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and value[i] not in WHITESPACE:
            i += 1
        end = i
        while end > start and value[end - 1] == ",":
            end -= 1  # "a.jpg," ends the candidate without descriptors
        spans.append((start, end))
        if end < i:
            continue
        depth = 0  # descriptors run to the next comma outside parentheses
        while i < n and (depth or value[i] != ","):
            if value[i] == "(":
                depth += 1
            elif value[i] == ")" and depth:
                depth -= 1
            i += 1
    return spans


def css_url_spans(css: str) -> list[Span]:
    """(start, end) of every address in ``url(…)`` and ``@import "…"``, outside comments."""
    spans: list[Span] = []
    i, n = 0, len(css)
    importing = False
    while i < n:
        c = css[i]
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "\"'":
            end = _string_end(css, i)
            if importing and end - 1 > i and css[end - 1] == c:
                spans.append((i + 1, end - 1))
            importing = False
            i = end
        elif c == "\\":
            i += 2
        elif css[i : i + 4].lower() == "url(" and not (i and _is_name_char(css[i - 1])):
            i = _url_token(css, i + 4, spans)
            importing = False
        elif css[i : i + 7].lower() == "@import" and not _is_name_char(css[i + 7 : i + 8] or " "):
            importing = True
            i += 7
        else:
            if c == ";":
                importing = False
            i += 1
    return spans


def _is_name_char(c: str) -> bool:
    return c.isalnum() or c in "-_" or not c.isascii()


def _string_end(css: str, start: int) -> int:
    """Offset just after the string opening at ``start`` (or at the line's end if unclosed)."""
    quote_char, i, n = css[start], start + 1, len(css)
    while i < n and css[i] != quote_char and css[i] != "\n":
        i += 2 if css[i] == "\\" else 1
    return min(i + 1, n) if i < n and css[i] == quote_char else min(i, n)


def _url_token(css: str, i: int, spans: list[Span]) -> int:
    """Record the address of the ``url(`` whose content starts at ``i``; return where it ends."""
    n = len(css)
    while i < n and css[i] in WHITESPACE:
        i += 1
    if i < n and css[i] in "\"'":
        end = _string_end(css, i)
        if end - 1 > i and css[end - 1] == css[i]:
            spans.append((i + 1, end - 1))
        close = css.find(")", end)
        return n if close < 0 else close + 1
    start = i
    while i < n and css[i] != ")" and css[i] not in WHITESPACE:
        i += 1
    spans.append((start, i))
    close = css.find(")", i)
    return n if close < 0 else close + 1
