"""One configured Markdown converter: raw HTML escaped, unsafe links dropped, images resolved."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown as python_markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .cache import HtmlStore, digest
from .embeds import EmbedExtension
from .model import Image

EXTENSIONS = ("tables", "fenced_code", "footnotes", "sane_lists", "toc")
"""Chosen for their cost: ``smarty`` doubles conversion time and ``attr_list`` would let authors
set arbitrary attributes (``onclick``), so neither is on."""

INLINE_SIZES = "(min-width: 44rem) 41rem, 100vw"
"""``sizes`` of pictures in a story body (the default theme's text column is 41rem wide)."""

CONVERTER_VERSION = "2"
"""Bump when the converter's output changes, so cached HTML is not reused."""

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def url_is_safe(url: str) -> bool:
    """True for relative URLs and http(s)/mailto/tel; False for ``javascript:``, ``data:``, …

    Browsers ignore tabs, newlines and control characters inside a scheme, so those are
    removed before looking at it.
    """
    match = _SCHEME_RE.match(_INVISIBLE_RE.sub("", url))
    return match is None or match.group(1).lower() in SAFE_SCHEMES


@dataclass
class MarkdownRenderer:
    """Converts story and value bodies; one Python-Markdown instance per process, reused."""

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
                CONVERTER_VERSION, repr(EXTENSIONS), self.site_host, repr(images)
            )
        return self._settings

    def convert(self, text: str | None, source: str, key: str = "") -> Markup:
        """HTML for the Markdown ``text`` of the file ``source`` (from the store when known).

        ``key`` is a digest of the file's content; with it, cached HTML is found without the
        text, which is then read from ``source`` only when the store does not have it.
        """
        language = self.languages.get(source, self.language)  # embed placeholders' wording
        store_key = digest(self.settings_key, source, language, key or text or "")
        cached = self.store.get(store_key) if self.store is not None else None
        if cached is not None:
            return Markup(cached)
        if text is None:
            text = self._reload(source)
        html = self._convert(text, source)
        if self.store is not None:
            self.store.put(store_key, str(html))
        return html

    def _reload(self, source: str) -> str:
        """The Markdown body of ``source``, read again (the cache kept only its metadata)."""
        from .frontmatter import parse_front_matter
        from .loading import read_text

        text = read_text(self.root / source, source)
        parsed, _ = parse_front_matter(text, source) if isinstance(text, str) else (None, [])
        return parsed.body if parsed is not None else ""

    def _convert(self, text: str, source: str) -> Markup:
        if self._md is None:
            self._md, self._links = self._make()
        assert self._links is not None
        self._links.source = source
        try:
            html = self._md.reset().convert(text)
        except RecursionError:
            # Pathologically nested input (thousands of `>` or list levels): show it as text.
            html = "<pre>" + Markup.escape(text) + "</pre>"
        return Markup(html)

    def _current_language(self) -> str:
        source = self._links.source if self._links is not None else ""
        return self.languages.get(source, self.language)

    def _make(self) -> tuple[python_markdown.Markdown, _LinkRewriter]:
        md = python_markdown.Markdown(
            extensions=[*EXTENSIONS, EmbedExtension(self._current_language)],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
        # Raw HTML is shown as text, never passed through (as Hugo does by default).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        links = _LinkRewriter(md, self)
        md.treeprocessors.register(links, "brandsite-links", 5)
        return md, links


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
        host = urlsplit(href).hostname if _SCHEME_RE.match(href) else None
        if host and host != self.renderer.site_host:
            el.set("rel", "noopener noreferrer")

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
                if image.srcset:
                    el.set("srcset", image.srcset)
                    el.set("sizes", INLINE_SIZES)
        el.set("loading", "lazy")
        el.set("decoding", "async")
