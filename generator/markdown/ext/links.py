"""Link targets as GitHub reads them: a space ends the address.

Python-Markdown makes ``[Apply](our form.pdf)`` or ``[Blog]({{ site.url }}/blog)`` a link to a
broken address; CommonMark (and GitHub) leaves such text as it is unless the address is written
in angle brackets (``[Apply](<our form.pdf>)``). So does this.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
)

_SPACE_RE = re.compile(r"\s")
_ANGLE_RE = re.compile(r"\(\s*<")


def _spaced(data: str, index: int, href: str) -> bool:
    """True when the address after ``(`` at ``index`` has a space and no angle brackets."""
    return bool(_SPACE_RE.search(href)) and not _ANGLE_RE.match(data, index)


class _StrictLink(LinkInlineProcessor):
    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href, title, end, handled = super().getLink(data, index)
        return href, title, end, handled and not _spaced(data, index, href)


class _StrictImage(ImageInlineProcessor):
    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href, title, end, handled = super().getLink(data, index)
        return href, title, end, handled and not _spaced(data, index, href)


class StrictLinksExtension(Extension):
    """Python-Markdown extension: no link or image whose address has a space in it."""

    def extendMarkdown(self, md: Markdown) -> None:
        """In place of Python-Markdown's own link (160) and image (150) patterns."""
        md.inlinePatterns.register(_StrictLink(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(_StrictImage(IMAGE_LINK_RE, md), "image_link", 150)
