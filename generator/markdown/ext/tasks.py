"""Task lists (``- [x] done``) with checkboxes screen readers can name.

``pymdownx.tasklist`` puts a disabled checkbox in front of the item's text; this wraps the box
and the text after it in one ``<label>``, so the box is announced with its text ("Onboarding
done, checked").
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_BLOCKS = frozenset({
    "p", "ul", "ol", "pre", "blockquote", "div", "table", "figure", "dl", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "details",
})  # fmt: skip


class _TaskLabels(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for li in root.iter("li"):
            if "task-list-item" not in li.get("class", "").split():
                continue
            holder = li if li.text else next(iter(li), None)
            if holder is not None and holder.text:
                _wrap_inline(holder)


def _wrap_inline(holder: etree.Element) -> None:
    """Move ``holder``'s text and leading inline children into a ``<label>``."""
    label = etree.Element("label")
    label.text, holder.text = holder.text, None
    inline = []
    for child in holder:
        if child.tag in _BLOCKS:
            break
        inline.append(child)
    for child in inline:
        holder.remove(child)
        label.append(child)
    if inline and inline[-1].tail and inline[-1].tail.endswith("\n"):
        label.tail, inline[-1].tail = "\n", inline[-1].tail.rstrip("\n")
    holder.insert(0, label)


class TaskLabelsExtension(Extension):
    """Python-Markdown extension: label task-list checkboxes with their item's text."""

    def extendMarkdown(self, md: Markdown) -> None:
        """After ``pymdownx.tasklist`` (25) and inline markup (20)."""
        md.treeprocessors.register(_TaskLabels(md), "task-labels", 19)
