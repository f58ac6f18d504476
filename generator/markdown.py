"""One configured Markdown converter: raw HTML escaped, unsafe links dropped, images resolved."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown as python_markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .model import Image

EXTENSIONS = ("tables", "fenced_code", "footnotes", "sane_lists", "toc")
"""Chosen for their cost: ``smarty`` doubles conversion time and ``attr_list`` would let authors
set arbitrary attributes (``onclick``), so neither is on."""

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
    _md: python_markdown.Markdown | None = field(default=None, init=False, repr=False)
    _links: _LinkRewriter | None = field(default=None, init=False, repr=False)

    def convert(self, text: str, source: str) -> Markup:
        """HTML for the Markdown ``text`` of the file ``source``."""
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

    def _make(self) -> tuple[python_markdown.Markdown, _LinkRewriter]:
        md = python_markdown.Markdown(
            extensions=list(EXTENSIONS),
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
        el.set("loading", "lazy")
        el.set("decoding", "async")
