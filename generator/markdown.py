"""One configured Markdown converter: raw HTML escaped, unsafe links dropped, images resolved.

Raw HTML in a body is shown as text by default. With ``markdown.html = "safe"`` it is kept,
then the whole body is sanitised by nh3 (an allow-list of harmless tags and attributes), and
the same link rule as in the default mode is applied to every link in the result.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import posixpath
import re
import signal
import threading
import time
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown as python_markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .model import Image

EXTENSIONS = ("tables", "fenced_code", "footnotes", "sane_lists", "toc")
"""Chosen for their cost: ``smarty`` doubles conversion time and ``attr_list`` would let authors
set arbitrary attributes (``onclick``), so neither is on."""

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
EXTERNAL_REL = "noopener noreferrer"
"""``rel`` of every link that leaves the site."""

SAFE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})  # fmt: skip
"""Tags ``markdown.html = "safe"`` keeps. No h1 (the page title is the only one), no forms,
media, frames, scripts or styles; the text inside a dropped tag stays."""
SAFE_ATTRIBUTES = {
    "*": {"title", "lang", "dir", "id", "class"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": {"title"},
}
"""Attributes kept, per tag (``*``: any tag). No ``on*``, ``style`` (but table alignment),
``target`` or ``rel``: brandsite sets ``rel`` itself."""
_SAFE_CLASS_RE = re.compile(r"language-[\w+#.-]+|footnote(?:-ref|-backref)?")
"""Classes Markdown itself writes (code languages, footnotes); an author's own are dropped,
so a story cannot dress itself up as the theme's buttons or banners."""


def url_is_safe(url: str) -> bool:
    """True for relative URLs and http(s)/mailto/tel; False for ``javascript:``, ``data:``, …

    Browsers ignore tabs, newlines and control characters inside a scheme, and decode
    character references (``java&#115;cript:``, ``javascript&colon;``) in attributes, which
    Python-Markdown writes out as they came; so both the text as written and as a browser
    reads it must pass.
    """
    for text in (url, html_lib.unescape(url)):
        match = _SCHEME_RE.match(_INVISIBLE_RE.sub("", text))
        if match is not None and match.group(1).lower() not in SAFE_SCHEMES:
            return False
    return True


def is_external(url: str, site_host: str) -> bool:
    """True when ``url`` leads to another host (``//host/…`` and ``/\\host`` included)."""
    text = _INVISIBLE_RE.sub("", html_lib.unescape(url)).replace("\\", "/")
    scheme = _SCHEME_RE.match(text)
    if scheme is not None and scheme.group(1).lower() not in {"http", "https"}:
        return False
    if scheme is None and not text.startswith("//"):
        return False
    try:
        host = urlsplit(text).hostname
    except ValueError:  # a malformed address (bad IPv6 brackets): treat it as foreign
        return True
    return bool(host) and host != site_host.lower()


@dataclass
class MarkdownRenderer:
    """Converts story and value bodies; one Python-Markdown instance per process, reused."""

    site_host: str
    """Host of base_url: links to other hosts are external."""
    images: Mapping[str, Image] = field(default_factory=dict)
    """Project source path → published image, for relative ``![alt](path)`` references."""
    html: str = "escape"
    """What happens to raw HTML: ``escape`` (shown as text) or ``safe`` (sanitised)."""
    _md: python_markdown.Markdown | None = field(default=None, init=False, repr=False)
    _links: _LinkRewriter | None = field(default=None, init=False, repr=False)

    def convert(self, text: str, source: str) -> Markup:
        """HTML for the Markdown ``text`` of the file ``source``."""
        if self._md is None:
            self._md, self._links = self._make()
        assert self._links is not None
        self._links.source = source
        try:
            with _time_limit(MAX_CONVERT_SECONDS):
                html = self._md.reset().convert(text)
        except (RecursionError, _TooSlow):
            # Pathological input that complexity_problem did not foresee (thousands of nested
            # `>` or list levels, or a slow case nobody has found yet): show it as text.
            html = "<pre>" + Markup.escape(text) + "</pre>"
        if self.html == "safe":
            html = sanitize(html, self.site_host)
        return Markup(html)

    def _make(self) -> tuple[python_markdown.Markdown, _LinkRewriter]:
        md = python_markdown.Markdown(
            extensions=list(EXTENSIONS),
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
        if self.html != "safe":
            # Raw HTML is shown as text, never passed through (as Hugo does by default).
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        links = _LinkRewriter(md, self)
        md.treeprocessors.register(links, "brandsite-links", 5)
        return md, links


MAX_CONVERT_SECONDS = 10.0
"""Backstop for one body's conversion; complexity_problem should refuse such input first."""


class _TooSlow(Exception):
    """A conversion ran past MAX_CONVERT_SECONDS."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow inside the block after ``seconds`` (main thread on POSIX; else no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


class _LinkRewriter(Treeprocessor):
    """Drops unsafe URLs, marks external links, resolves images, keeps one h1 per page."""

    def __init__(self, md: python_markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer
        self.source = ""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in {"h1", "h2", "h3", "h4", "h5"}]
        if any(el.tag == "h1" for el in headings):
            for el in headings:  # the page title is the only h1
                el.tag = f"h{int(el.tag[1]) + 1}"
        for el in root.iter("a"):
            self._link(el)
        for el in root.iter("img"):
            self._image(el)

    def _link(self, el: etree.Element) -> None:
        href = el.get("href")
        if href is None:
            return
        if not url_is_safe(href):
            del el.attrib["href"]
            return
        if is_external(href, self.renderer.site_host):
            el.set("rel", EXTERNAL_REL)

    def _image(self, el: etree.Element) -> None:
        src = el.get("src", "")
        if not url_is_safe(src) or src.lower().startswith("data:"):
            el.set("src", "")
            return
        if not _SCHEME_RE.match(src) and not src.startswith("/"):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.source), src))
            image = self.renderer.images.get(resolved)
            if image is not None:
                el.set("src", image.url)
                if image.width and image.height:
                    el.set("width", str(image.width))
                    el.set("height", str(image.height))
        el.set("loading", "lazy")
        el.set("decoding", "async")


def sanitize(html: str, site_host: str) -> str:
    """Keep only SAFE_TAGS and SAFE_ATTRIBUTES with safe URLs, then mark external links."""
    cleaned = nh3.clean(
        html,
        tags=set(SAFE_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        filter_style_properties={"text-align"},
    )
    return _mark_external_links(cleaned, site_host)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if _SAFE_CLASS_RE.fullmatch(c)]
        return " ".join(kept) or None
    if name in {"href", "src", "cite"} and not url_is_safe(value):
        return None
    return value


class _LinkFinder(HTMLParser):
    """Collects the offset of every ``<a href>`` start tag that leads to another host."""

    def __init__(self, site_host: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_host = site_host
        self.positions: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href is not None and is_external(href, self.site_host):
            self.positions.append(self.getpos())


def _mark_external_links(html: str, site_host: str) -> str:
    """Add ``rel`` to external links in nh3's output (which has no ``rel`` of its own left)."""
    finder = _LinkFinder(site_host)
    finder.feed(html)
    finder.close()
    if not finder.positions:
        return html
    line_starts = [0]
    for line in html.split("\n")[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    offsets = [line_starts[line - 1] + column for line, column in finder.positions]
    parts, last = [], 0
    for offset in offsets:
        cut = offset + len("<a")
        parts += [html[last:cut], f' rel="{EXTERNAL_REL}"']
        last = cut
    return "".join([*parts, html[last:]])


MAX_BRACKET_WORK = 1_000_000
"""Python-Markdown rescans to the end of a paragraph for every ``[`` or ``](`` it cannot
close (Python-Markdown#798), so a few thousand of them take minutes. This bounds that work
(about a second); ordinary stories need a few hundred units."""
MAX_BLOCK_WORK = 16_000_000
"""The processors for headings, rules, link definitions, footnotes and indented code re-join
the rest of a paragraph after each line they take, so a paragraph's cost grows with such
lines × its length; this bounds it (about a second)."""
MAX_TAG_WORK = 5_000_000
"""With raw HTML on, the HTML reader rescans from every ``<tag`` to the next ``>``; this bounds
the sum of those distances (about a second)."""
MAX_FOOTNOTE_MARKS = 300
"""Footnote references and definitions (``[^…``) per file; each repeat of one costs more."""
MAX_QUOTE_DEPTH = 50
"""``>`` levels on one line; each level re-parses the rest of the line."""
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE_RE = re.compile(r"^[ >]*")
_TAG_OPEN_RE = re.compile(r"<[A-Za-z/!?]")
_BRACKET_RE = re.compile(r"[\[\]()]")
_REJOINING_LINE_RE = re.compile(r"^(?: {0,3}(?:#|\[[^\]]*\]:|[=-]+\s*$|(?:[-*_]\s*){3,}$)| {4}|\t)")


def complexity_problem(body: str) -> tuple[int, str] | None:
    """The 0-based line of a paragraph that would take the converter too long, and why.

    A deterministic estimate of Python-Markdown's known quadratic cases, so the same
    file is refused on every machine rather than timing out on a slow one.
    """
    footnotes = body.count("[^")
    if footnotes > MAX_FOOTNOTE_MARKS:
        line = body.count("\n", 0, _nth(body, "[^", MAX_FOOTNOTE_MARKS))
        return (
            line,
            f"the text has {footnotes:,} footnote marks (`[^`); the limit is {MAX_FOOTNOTE_MARKS}",
        )
    tag_work = 0
    for match in _TAG_OPEN_RE.finditer(body):
        comment = body.startswith("<!--", match.start())
        close = body.find("-->", match.start() + 4) if comment else body.find(">", match.end())
        tag_work += (close if close >= 0 else len(body)) - match.start()
        if tag_work > MAX_TAG_WORK:
            line = body.count("\n", 0, match.start())
            return line, "the text has too many unclosed HTML tags or comments (`<` without `>`)"
    bracket_work = 0
    for start, lines in _paragraphs(body):
        for offset, line in enumerate(lines):
            depth = _QUOTE_RE.match(line).group().count(">")  # type: ignore[union-attr]
            if depth > MAX_QUOTE_DEPTH:
                return start + offset, f"the line is quoted {depth:,} levels deep (`>`)"
        text = "\n".join(lines)
        rejoining = sum(1 for line in lines if _REJOINING_LINE_RE.match(line))
        if rejoining * len(text) > MAX_BLOCK_WORK:
            return start, (
                f"the paragraph starting here has {rejoining:,} headings, rules or definitions "
                "without a blank line between them, too many to convert in good time"
            )
        bracket_work += _bracket_work(text)
        if bracket_work > MAX_BRACKET_WORK:
            return start, "the text has too many unclosed `[` or `(` to convert in good time"
    return None


def _nth(text: str, needle: str, count: int) -> int:
    """Index of the ``count``-th occurrence (1-based) of ``needle``."""
    index = -1
    for _ in range(count):
        index = text.index(needle, index + 1)
    return index


def _paragraphs(body: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines outside fenced code (which the converter sets aside whole)."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start, fence = 0, ""
    for number, line in enumerate(body.split("\n")):
        marker = _FENCE_RE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = ""
            continue
        if marker:
            fence = marker.group(1)
        if not line.strip() or marker:
            if current:
                found.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        found.append((start, current))
    return found


def _bracket_work(text: str) -> int:
    """How far Python-Markdown scans for each ``[`` and each ``](``, summed."""
    work = 0
    brackets: list[int] = []
    parens: list[int] = []
    for match in _BRACKET_RE.finditer(text):
        index, char = match.start(), match.group()
        if char == "[":
            brackets.append(index)
        elif char == "]" and brackets:
            work += index - brackets.pop()
        elif char == "(" and index and text[index - 1] == "]":
            parens.append(index)
        elif char == ")" and parens:
            work += index - parens.pop()
    end = len(text)
    return work + sum(end - i for i in brackets) + sum(end - i for i in parens)
