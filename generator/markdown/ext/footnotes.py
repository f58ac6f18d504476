"""Footnotes shaped as on GitHub: a ``<section>`` of notes with back-links that say where to.

Python-Markdown's ``footnotes`` writes ``<div class="footnote"><hr><ol>…``; this makes it a
labelled ``<section class="footnotes">`` without the rule, and gives every back-link an
``aria-label`` in the story's language (the arrow alone says nothing to a screen reader).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteReorderingProcessor
from markdown.treeprocessors import Treeprocessor

TEXTS = {
    "en": {"section": "Footnotes", "back": "Back to reference {n}"},
    "de": {"section": "Fußnoten", "back": "Zurück zur Fußnote {n} im Text"},
}
"""Labels by language (the story's ``lang``); other languages get English."""


class _FootnoteSection(Treeprocessor):
    def __init__(self, md: Markdown, lang_of: Callable[[], str]) -> None:
        super().__init__(md)
        self.lang_of = lang_of

    def run(self, root: etree.Element) -> None:
        texts = TEXTS.get(self.lang_of().split("-")[0].lower(), TEXTS["en"])
        for div in root.findall("div"):
            if div.get("class") != "footnote":
                continue
            div.tag = "section"
            div.set("class", "footnotes")
            div.set("aria-label", texts["section"])
            for rule in div.findall("hr"):
                div.remove(rule)
            notes = div.find("ol")
            if notes is None or not len(notes):
                root.remove(div)  # only notes nothing cites, and nothing in them
                continue
            for number, li in enumerate(notes if notes is not None else [], start=1):
                for link in li.iter("a"):
                    if link.get("class") == "footnote-backref":
                        link.attrib.pop("title", None)
                        link.set("aria-label", texts["back"].format(n=number))


class _SafeReordering(FootnoteReorderingProcessor):
    """Python-Markdown's reordering of notes, which fails on a note without a back-link (an
    empty ``[^1]:`` that nothing cites): such a note, which shows nothing, is left out first."""

    def reorder_footnotes(self, parent: etree.Element) -> None:
        notes = parent.find("ol")
        if notes is None:
            return
        for item in notes.findall("li"):
            if item.find('.//a[@class="footnote-backref"]') is None:
                notes.remove(item)
        super().reorder_footnotes(parent)


class FootnoteSectionExtension(Extension):
    """Python-Markdown extension: GitHub's footnote section, with labelled back-links."""

    def __init__(self, lang_of: Callable[[], str]) -> None:
        super().__init__()
        self.lang_of = lang_of

    def extendMarkdown(self, md: Markdown) -> None:
        """After ``footnotes`` made (50), reordered (19) and de-duplicated (15) its notes."""
        md.treeprocessors.register(_FootnoteSection(md, self.lang_of), "footnote-section", 14)
        if "footnote-reorder" in md.treeprocessors:
            footnotes = md.treeprocessors["footnote-reorder"].footnotes  # type: ignore[attr-defined]
            md.treeprocessors.register(_SafeReordering(footnotes), "footnote-reorder", 19)
