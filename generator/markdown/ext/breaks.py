"""A backslash at the end of a line is a line break, as on GitHub (two spaces already are)."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor

BACKSLASH_BREAK_RE = r"(?<!\\)\\\n"
"""A backslash (not itself escaped) right before a line's end, inside a paragraph."""


class BackslashBreakExtension(Extension):
    """Python-Markdown extension: ``text\\`` + newline becomes ``<br>``."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Before the backslash-escape pattern (180), which would keep the backslash."""
        md.inlinePatterns.register(
            SubstituteTagInlineProcessor(BACKSLASH_BREAK_RE, "br"), "backslash-break", 185
        )
