"""A substring test before each inline pattern's regular expression: most text has no ``[``.

Python-Markdown runs every inline pattern's regex over every piece of text, and a few of them
(bare addresses and e-mail addresses, with their look-behinds) scan slowly. Each pattern here
can only match text that contains one of a few characters, so a ``in`` test, much faster than a
regex scan, skips the rest. Output is unchanged; only time is saved (README's cost table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

NEEDLES: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "backslash-break": ("\\\n",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "magic-link": ("://", "www."),
    "magic-mail": ("@",),
    "entity": ("&",),
    "delimiter": ("*", "_", "~"),
}
"""Inline pattern name → strings one of which any text it matches contains (``www.`` in any case)."""


class _Prefiltered:
    """A compiled regex whose ``finditer`` first checks for one of ``needles``."""

    def __init__(self, compiled: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.compiled = compiled
        self.needles = needles
        self.fold = "www." in needles  # magiclink's address pattern ignores case

    def finditer(self, data: str, pos: int = 0) -> Iterator[re.Match[str]]:
        text = data.lower() if self.fold else data
        if not any(needle in text for needle in self.needles):
            return iter(())
        return self.compiled.finditer(data, pos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


class PrefilterExtension(Extension):
    """Python-Markdown extension: wrap the inline patterns of NEEDLES (register it last)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Wrap the patterns registered so far."""
        for name, needles in NEEDLES.items():
            if name in md.inlinePatterns:
                pattern = md.inlinePatterns[name]
                pattern.compiled_re = _Prefiltered(pattern.compiled_re, needles)  # type: ignore[assignment]
