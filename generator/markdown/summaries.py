"""Summaries: plain text for meta tags, JSON-LD and feeds; one line of Markdown for cards.

A summary is written in front matter (Markdown allowed: links, emphasis, code) or taken from the
body's first paragraph. Where only text fits (``<meta name="description">``, feeds) its Markdown
is stripped here, by linear scans; cards show the written summary rendered inline by the story's
converter (``MarkdownRenderer.convert_inline``). A story page shows a written summary as its
lead, and none otherwise: the first paragraph is right below it.
"""

from __future__ import annotations

import html
import re

from .html_elements import HTML_ELEMENTS

_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE_RE = re.compile(r"!\[[^\][]*\](?:\([^()]*\)|\[[^\][]*\])?")
_LINK_RE = re.compile(r"\[([^\][]*)\](?:\([^()]*\)|\[[^\][]*\])")
_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:|www\.)[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_TAG_RE = re.compile(r"</?([A-Za-z][^\s/<>]*)(?:[\s/][^<>]*)?>|<!--[^<]*?-->")
"""A tag (its name, then its attributes up to ``>``: no two runs that could take the same
characters, so a ``<`` without ``>`` is given up at once rather than retried many ways)."""
_MARKS_RE = re.compile(r"\*+|~~|`+|(?<![^\W_])_+|_+(?![^\W_])")
"""Emphasis, strikethrough and code marks; ``_`` only at a word's edge (``snake_case`` stays)."""
_SPACE_RE = re.compile(r"\s+")
_BLOCK_START_RE = re.compile(r"^(?:#{1,6}(?=\s|$)|[-+*](?=\s)|>|=+|```|~~~)")
_ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
"""What would start a block at the beginning of a line (a heading, list, quote, rule)."""
_PLACEHOLDER = "\ue000"


def plain_text(markdown: str) -> str:
    """``markdown`` as the text a reader sees: links as their words, marks and tags gone."""
    escaped: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return _PLACEHOLDER

    text = _ESCAPED_RE.sub(hold, markdown.replace(_PLACEHOLDER, ""))
    text = _IMAGE_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _TAG_RE.sub(
        lambda m: "" if m.group(1) is None or m.group(1).lower() in HTML_ELEMENTS else m.group(),
        text,
    )
    text = _MARKS_RE.sub("", text)
    pieces = iter(escaped)
    text = re.sub(_PLACEHOLDER, lambda m: next(pieces), text)
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def one_line(markdown: str) -> str:
    """``markdown`` on one line, without pictures, that cannot start a block (a heading, a list)."""
    text = _SPACE_RE.sub(" ", _IMAGE_RE.sub("", markdown)).strip()
    text = _ORDERED_START_RE.sub(r"\1\\\2", text)
    return "\\" + text if _BLOCK_START_RE.match(text) else text


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.–-")
    return cut + "…"
