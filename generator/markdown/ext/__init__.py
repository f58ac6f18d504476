"""Python-Markdown configured to read Markdown as GitHub does (its block structure).

Well-kept extensions where they exist (Python-Markdown's own and pymdown-extensions, as Material
for MkDocs uses them), and small ones of brandsite's where none does: lists nested and
started as on GitHub, backslash line breaks, no spaces in link addresses, ``{#id}`` on headings, labelled footnotes and
task-list checkboxes. ``tests/unit/test_markdown_oracle.py`` compares the result with GitHub's
own renderer (cmark-gfm).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown.extensions import Extension

from .breaks import BackslashBreakExtension
from .footnotes import FootnoteSectionExtension
from .headings import HeadingIdsExtension
from .links import StrictLinksExtension
from .lists import GfmListsExtension
from .prefilter import PrefilterExtension
from .tasks import TaskLabelsExtension

EXTENSIONS = (
    "tables",
    "sane_lists",
    "toc",
    "footnotes",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tilde",
    "pymdownx.tasklist",
    "pymdownx.magiclink",
    "pymdownx.betterem",
    "pymdownx.saneheaders",
)
"""By name, in the order they are registered. What each costs on the benchmark corpus is in
README's "For HR: writing a story" (all of them together: +N %, measured by
``bench/markdown_cost.py``)."""

EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": False},
    "footnotes": {"SEPARATOR": "-", "USE_DEFINITION_ORDER": False},
    # Code keeps its language as a class for a theme's highlighter; nothing is coloured here.
    "pymdownx.highlight": {"use_pygments": False, "css_class": ""},
    # GitHub: ~~strike~~; a single ~ stays text (no subscript).
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
    # Bare https://… and www.… addresses become links; no GitHub @mention or #123 shortcuts.
    "pymdownx.magiclink": {"hide_protocol": False, "repo_url_shortener": False},
}
"""Options of the extensions in EXTENSIONS."""


def own_extensions(lang_of: Callable[[], str]) -> list[Extension]:
    """brandsite's own extensions, for a converter whose current file's language ``lang_of`` gives."""
    return [
        GfmListsExtension(),
        BackslashBreakExtension(),
        StrictLinksExtension(),
        HeadingIdsExtension(),
        TaskLabelsExtension(),
        FootnoteSectionExtension(lang_of),
        PrefilterExtension(),  # last: it wraps the inline patterns registered before it
    ]
