"""One configured Markdown converter: raw HTML sanitised, unsafe links dropped, images resolved.

By default (``markdown.html = "safe"``, as GitHub does) the author's raw HTML (and only that:
embeds, code blocks and tables are brandsite's own markup) is sanitised by nh3 against an
allow-list of harmless tags and attributes; its links follow the same rules as Markdown links
(unsafe schemes dropped, ``rel="noopener noreferrer"`` on external ones, ``other-story.md`` →
that page's URL) and its ``<img>`` pictures are resolved and processed like ``![…](…)``. Text in
angle brackets that is no HTML element (``<vorname.nachname>``) stays text. With
``markdown.html = "escape"`` raw HTML is shown as text.
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
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import markdown as python_markdown
import nh3
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..content.model import Image
from ..engine.cache import HtmlStore, digest
from ..site.urls import url_host
from .balance import balance_html
from .complexity import complexity_problem
from .embeds import EmbedExtension
from .ext import EXTENSION_CONFIGS, own_extensions
from .ext import EXTENSIONS as GFM_EXTENSIONS
from .html_elements import HTML_ELEMENTS
from .summaries import one_line, plain_text

EXTENSIONS = GFM_EXTENSIONS
"""Python-Markdown's and pymdown-extensions' extensions, configured for GitHub's block structure
(see ``markdown_ext``), plus brandsite's own (``own_extensions``) and embeds."""

INLINE_SIZES = "(min-width: 44rem) 41rem, 100vw"
"""``sizes`` of pictures in a story body (the default theme's text column is 41rem wide)."""

CONVERTER_VERSION = "6"
"""Bump when the converter's output changes, so cached HTML is not reused."""

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
_SAFE_CLASS_RE = re.compile(r"language-[\w+#.-]+")
"""Classes an author may keep (code languages, for highlighters); any other is dropped,
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
    host = url_host(url)
    return host is not None and host != site_host.lower()


RECENT_BODIES = 256
"""Converted bodies a renderer keeps in memory (the newest stories, which feeds show again)."""


@dataclass
class MarkdownRenderer:
    """Converts story and value bodies; one Python-Markdown instance per process, reused."""

    read_log: set[str] | None = field(default=None, init=False, compare=False, repr=False)
    """Set while a page renders: which stories' and values' full content it reads."""

    site_host: str
    """Host of base_url: links to other hosts are external."""
    images: Mapping[str, Image] = field(default_factory=dict)
    """Project source path → published image, for relative ``![alt](path)`` references."""
    languages: Mapping[str, str] = field(default_factory=dict)
    """Source path → the file's language (for the wording of embed placeholders)."""
    language: str = "en"
    """Language of files not in ``languages``."""
    store: HtmlStore | None = None
    """Where converted HTML is kept between builds, by content hash."""
    root: Path = Path(".")
    """The project folder, to read a body again that only the cache knew."""
    html: str = "safe"
    """What happens to raw HTML: ``safe`` (sanitised) or ``escape`` (shown as text)."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """Source path → the story's title: a body's first ``# heading`` with that text is dropped."""
    pages: dict[str, str] = field(default_factory=dict)
    """Content file (``content/stories/x.md``) → its page's URL, for links between files."""
    bodies: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    """Source path → the digest of its text as checked and where its body begins: bodies are
    not kept in memory (75 MiB at 10,000 stories) but read again when they are converted."""
    _recent: OrderedDict[str, Markup] = field(default_factory=OrderedDict, init=False, repr=False)
    """The last ``RECENT_BODIES`` bodies converted or fetched, by store key (pages and feeds
    show the same newest stories; the rest is shown once, so keeping every body would only
    fill memory: 80 MiB at 10,000 stories)."""
    _md: python_markdown.Markdown | None = field(default=None, init=False, repr=False)
    _links: _LinkRewriter | None = field(default=None, init=False, repr=False)
    _settings: str = field(default="", init=False, repr=False)

    @property
    def settings_key(self) -> str:
        """Digest of everything besides the text that shapes the HTML."""
        if not self._settings:
            images = sorted(
                (i.source, i.url, i.width, i.height, i.srcset) for i in self.images.values()
            )
            self._settings = digest(
                CONVERTER_VERSION,
                repr(EXTENSIONS),
                self.site_host,
                repr(images),
                self.html,
            )
        return self._settings

    def convert(self, text: str | None, source: str, key: str = "") -> Markup:
        """HTML for the Markdown ``text`` of the file ``source`` (from the store when known).

        ``key`` is a digest of the file's content; with it, cached HTML is found without the
        text, which is then read from ``source`` only when the store does not have it.
        """
        language = self.languages.get(source, self.language)  # embed placeholders' wording
        title = self.titles.get(source, "")  # a first heading saying the title is dropped
        store_key = digest(self.settings_key, source, language, title, key or text or "")
        recent = self._recent.get(store_key)
        if recent is not None:
            self._recent.move_to_end(store_key)
            return recent
        cached = self.store.get(store_key) if self.store is not None else None
        if cached is not None:
            html = Markup(cached)
        else:
            current = True
            if text is None:
                text, current = self._reload(source)
            html = self._convert(text, source)
            if self.store is not None and current:  # (never file one text under another's key)
                self.store.put(store_key, str(html))
        linked = self._recent[store_key] = self._link_pages(html, source)
        if len(self._recent) > RECENT_BODIES:
            self._recent.popitem(last=False)
        return linked

    def _link_pages(self, html: Markup, source: str) -> Markup:
        """Links to content files (``other.md``) pointed at their pages' URLs.

        After the cache, not in the converter: which pages exist changes with every story
        added, and should not make every body convert again.
        """
        if 'href="' not in html:
            return html

        def point(match: re.Match[str]) -> str:
            href = html_lib.unescape(match.group(1))
            return f' href="{html_lib.escape(self.page_href(href, source))}"'

        return Markup(_HREF_RE.sub(point, html))

    def convert_inline(self, text: str, source: str) -> Markup:
        """A summary's Markdown as HTML without blocks (links, emphasis, code), for cards.

        What would not stay one paragraph (a footnote, a table) is shown as its plain text.
        """
        if not text:
            return Markup("")
        line = one_line(text)
        if not needs_converter(line):  # most summaries: a sentence, which converts to itself
            return Markup(line)
        if complexity_problem(text) is not None:  # pasted data: its text, without converting
            return Markup.escape(plain_text(text))
        html = str(self.convert(line, source, key=digest("inline", text)))
        inner = html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else None
        if inner is None or "<p>" in inner or "</p>" in inner:
            return Markup.escape(plain_text(text))
        return Markup(inner)

    def _reload(self, source: str) -> tuple[str, bool]:
        """The Markdown body of ``source``, read again from the file, and whether the file is
        still the one the build checked (same digest): then the body is the text after the
        recorded offset; a file changed since is parsed again, as a fresh build would (unless it
        now leads out of ``content/``: then it is read as empty, and the next build says why)."""
        from ..content.frontmatter import parse_front_matter
        from ..content.loading import CONTENT_DIR, inside, read_text

        path = self.root / source
        text = read_text(path, source)
        if not isinstance(text, str):
            return "", False
        known = self.bodies.get(source)
        if known is not None and digest(source, text) == known[0]:
            return text[known[1] :], True
        if not inside(path, self.root / CONTENT_DIR):
            return "", False  # swapped for a link out of content/ since: never publish that
        parsed, _ = parse_front_matter(text, source)
        return (parsed.body if parsed is not None else ""), False

    def _convert(self, text: str, source: str) -> Markup:
        if self._md is None:
            self._md, self._links = self._make()
        assert self._links is not None
        self._links.source = source
        try:
            with _time_limit(MAX_CONVERT_SECONDS):
                html = self._md.reset().convert(text)
                if self.html == "safe":  # the author's tags were sanitised one by one
                    html = _EMPTY_PARAGRAPH_RE.sub("", balance_html(html))
        except (RecursionError, _TooSlow):
            # Pathological input that complexity_problem did not foresee (thousands of nested
            # `>` or list levels, or a slow case nobody has found yet): show it as text.
            html = Markup("<pre>{}</pre>").format(text)
        return Markup(html)

    def _current_language(self) -> str:
        source = self._links.source if self._links is not None else ""
        return self.languages.get(source, self.language)

    def _make(self) -> tuple[python_markdown.Markdown, _LinkRewriter]:
        md = python_markdown.Markdown(
            extensions=[
                *EXTENSIONS,
                *own_extensions(self._current_language),
                EmbedExtension(self._current_language),
            ],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        if self.html == "safe":
            # Raw HTML goes through the sanitiser on its way into the stash, so nothing the
            # author wrote reaches the page unsanitised, and brandsite's own markup is untouched.
            md.preprocessors.register(_SafeHtmlBlocks(md, self), "html_block", 20)
            md.inlinePatterns.register(_SafeInlineHtml(HTML_RE, md, self), "html", 90)
        else:
            # Raw HTML is shown as text, never passed through (as Hugo does by default); a tag is
            # read as one piece of text, so no address inside it is made a link.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.register(_EscapedInlineHtml(HTML_RE, md), "html", 90)
        links = _LinkRewriter(md, self)
        md.treeprocessors.register(links, "brandsite-links", 5)
        return md, links

    def sanitize_block(self, html: str) -> str:
        """An author's raw HTML block, sanitised, its links and pictures resolved."""
        return self._resolve_raw(sanitize(escape_unknown_tags(html), self.site_host))

    def sanitize_inline(self, raw: str) -> str:
        """One raw tag from inside a paragraph, sanitised and resolved (or text, or nothing)."""
        return self._resolve_raw(sanitize_tag(raw, self.site_host))

    def _resolve_raw(self, html: str) -> str:
        """``<img>`` in sanitised HTML resolved as Markdown's pictures are."""
        if "<img" not in html:
            return html
        return _RESOLVED_TAG_RE.sub(self._resolve_tag, html)

    def _resolve_tag(self, match: re.Match[str]) -> str:
        tag = match.group(1)
        attrs = {
            name: html_lib.unescape(value or "")
            for name, value in _QUOTED_ATTRIBUTE_RE.findall(match.group(2))
        }
        source = self._links.source if self._links is not None else ""
        attrs = self.picture_attributes(attrs, source)
        rebuilt = "".join(f' {name}="{html_lib.escape(value)}"' for name, value in attrs.items())
        return f"<{tag}{rebuilt}>"

    def page_href(self, href: str, source: str) -> str:
        """``other-story.md`` (relative to ``source``) → that page's URL; other links unchanged."""
        path, sep, rest = _split_link(href)
        if not path.lower().endswith(".md") or _SCHEME_RE.match(path) or path.startswith("/"):
            return href
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))
        url = self.pages.get(resolved)
        return href if url is None else url + sep + rest

    def picture_attributes(self, attrs: Mapping[str, str], source: str) -> dict[str, str]:
        """A picture's attributes with its ``src`` resolved to the published, resized copies."""
        kept = dict(attrs)
        src = kept.get("src", "")
        if not url_is_safe(src) or src.lower().startswith("data:"):
            kept["src"] = ""
            return kept
        if not _SCHEME_RE.match(src) and not src.startswith("/"):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), src))
            image = self.images.get(resolved)
            if image is not None:
                kept["src"] = image.url
                if image.width and image.height:
                    kept["width"] = str(image.width)
                    kept["height"] = str(image.height)
                if image.srcset:
                    kept["srcset"] = image.srcset
                    kept["sizes"] = INLINE_SIZES
        kept["loading"] = "lazy"
        kept["decoding"] = "async"
        return kept


_MARKDOWN_MARK_RE = re.compile(r"[\[\]*_`<>&\\~!@#=+|^{}]|://|www\.|^[-\d]", re.IGNORECASE)
"""What could make one line of text more than a paragraph of itself (marks, links, entities)."""


def needs_converter(line: str) -> bool:
    """Whether one line of text (``summaries.one_line``) could convert to anything but itself."""
    return _MARKDOWN_MARK_RE.search(line) is not None


_EMPTY_PARAGRAPH_RE = re.compile(r"<p>\s*</p>\n?")
"""What is left of a line that held only a removed tag (``<script …></script>``, ``<iframe>``)."""
_HREF_RE = re.compile(r' href="([^"<>]*\.[mM][dD](?:[?#][^"<>]*)?)"')
"""A link to a Markdown file in the converter's output (whose attribute values are quoted)."""
_RESOLVED_TAG_RE = re.compile(r'<(img)((?:\s+[^\s"=<>/]+(?:="[^"]*")?)*)\s*/?>')
"""A start tag as nh3 and ``sanitize_tag`` write it (every value double-quoted and escaped)."""
_QUOTED_ATTRIBUTE_RE = re.compile(r'([^\s"=<>/]+)(?:="([^"]*)")?')


def _split_link(href: str) -> tuple[str, str, str]:
    """(path, "?" or "#" or "", the rest) of a link."""
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=-1)
    return (href, "", "") if cut < 0 else (href[:cut], href[cut], href[cut + 1 :])


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
        title = self.renderer.titles.get(self.source)
        first = root[0] if len(root) else None
        if title and first is not None and first.tag == "h1" and _same(first, title):
            root.remove(first)  # the page shows the title already
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
        attrs = self.renderer.picture_attributes(el.attrib, self.source)
        el.attrib.clear()
        el.attrib.update(attrs)


def _same(heading: etree.Element, title: str) -> bool:
    """Whether a heading says ``title`` (ignoring case and spacing)."""
    return " ".join("".join(heading.itertext()).split()).casefold() == (
        " ".join(title.split()).casefold()
    )


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


class _SafeHtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw-HTML block reader, with every block it keeps sanitised."""

    def __init__(self, md: python_markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, lines: list[str]) -> list[str]:
        """Stash raw blocks as usual, then sanitise the ones this run stashed."""
        stash = self.md.htmlStash.rawHtmlBlocks
        first = len(stash)  # earlier entries are not the author's raw HTML
        result = super().run(lines)
        for index in range(first, len(stash)):
            stash[index] = self.renderer.sanitize_block(str(stash[index]))
        return result


class _SafeInlineHtml(HtmlInlineProcessor):
    """Python-Markdown's inline raw-HTML pattern (one tag at a time), each tag sanitised."""

    def __init__(
        self, pattern: str, md: python_markdown.Markdown, renderer: MarkdownRenderer
    ) -> None:
        super().__init__(pattern, md)
        self.renderer = renderer

    def handleMatch(  # type: ignore[override]  # the stubs give InlineProcessor Pattern's signature
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        """Stash the sanitised tag (or nothing) in place of the raw one."""
        raw = self.backslash_unescape(self.unescape(m.group(1)))
        return self.md.htmlStash.store(self.renderer.sanitize_inline(raw)), m.start(0), m.end(0)


class _EscapedInlineHtml(HtmlInlineProcessor):
    """Python-Markdown's inline raw-HTML pattern, each tag kept as the text it is."""

    def handleMatch(  # type: ignore[override]  # the stubs give InlineProcessor Pattern's signature
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        """Stash the tag's text, escaped, in place of the tag."""
        raw = self.backslash_unescape(self.unescape(m.group(1)))
        return self.md.htmlStash.store(html_lib.escape(raw, quote=False)), m.start(0), m.end(0)


INLINE_TAGS = frozenset({
    "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})  # fmt: skip
"""Tags kept inside a paragraph. Block tags there could close the theme's own elements, as a
lone tag cannot be balanced; in a block of their own they go through nh3, which balances."""
_VOID_TAGS = frozenset({"br", "img", "wbr"})


class _TagReader(HTMLParser):
    """Reads a single tag: its kind, name and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = ("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = ("start", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.found = ("end", tag, [])


_TAG_NAME_RE = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)")


def escape_unknown_tags(html: str) -> str:
    """``html`` with every ``<`` that opens no HTML element (``<Name>``) written as ``&lt;``."""

    def text_or_tag(match: re.Match[str]) -> str:
        known = match.group(2).lower() in HTML_ELEMENTS
        return match.group() if known else "&lt;" + match.group()[1:]

    return _TAG_NAME_RE.sub(text_or_tag, html)


def sanitize_tag(raw: str, site_host: str) -> str:
    """One inline tag rebuilt from allowed parts only, its text (no HTML element), or ""."""
    reader = _TagReader()
    reader.feed(raw)
    reader.close()
    if reader.found is None:
        return ""
    kind, tag, attrs = reader.found
    if tag not in HTML_ELEMENTS:  # `<vorname.nachname>`, `<Name>`: words in brackets
        return html_lib.escape(raw, quote=False)
    if tag not in INLINE_TAGS:
        return ""
    if kind == "end":
        return "" if tag in _VOID_TAGS else f"</{tag}>"
    allowed = SAFE_ATTRIBUTES["*"] | SAFE_ATTRIBUTES.get(tag, set())
    kept: dict[str, str] = {}
    for name, value in attrs:
        if name in allowed and name not in kept and value is not None:
            checked = _filter_attribute(tag, name, value)
            if checked is not None:
                kept[name] = checked
    if tag == "a" and "href" in kept and is_external(kept["href"], site_host):
        kept["rel"] = EXTERNAL_REL
    rebuilt = "".join(f' {name}="{html_lib.escape(value)}"' for name, value in kept.items())
    return f"<{tag}{rebuilt}>"
