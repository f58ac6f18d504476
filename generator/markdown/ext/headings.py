"""``## Our team {#team}``: a heading's own id, as kramdown, Pandoc and MkDocs write it.

Python-Markdown's ``attr_list`` would do this, but it also lets a story set any attribute on any
element (``{onclick=…}``, ``{.banner}``); this takes exactly a trailing ``{#id}`` on a heading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADING_ID_RE = re.compile(r"\s*\{#([A-Za-z][\w.:-]*)\}\s*$")
"""A trailing ``{#id}``: a letter first, then letters, digits, ``_ . : -``."""
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HeadingIds(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag not in _HEADINGS:
                continue
            last = el[-1] if len(el) else None
            text = (last.tail if last is not None else el.text) or ""
            match = HEADING_ID_RE.search(text)
            if match is None:
                continue
            if last is not None:
                last.tail = text[: match.start()]
            else:
                el.text = text[: match.start()]
            el.set("id", match.group(1))


class HeadingIdsExtension(Extension):
    """Python-Markdown extension: a heading's trailing ``{#id}`` becomes its id."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Before inline markup (20) and before ``toc`` (5) makes ids of its own."""
        md.treeprocessors.register(_HeadingIds(md), "heading-ids", 21)
