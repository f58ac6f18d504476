"""From a story to what its card and kit are made of: pure glue the command and the engine share.

``share_fields`` reads ``share_title`` and ``share:`` from parsed front matter;
``card_spec`` and ``kit_story`` combine them with the story entry, its values and the theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.entries import StoryEntry
from ..content.frontmatter import FrontMatter
from ..errors import Diagnostic, error
from .assets import CardTheme
from .card import CardSpec
from .kit import KitStory
from .plan import PlannedPost, check_share


@dataclass(frozen=True)
class ShareFields:
    """A story's own share settings from its front matter."""

    share_title: str = ""
    """The shorter title for the share image; "" to use the title."""
    title_line: int = 0
    """Line of ``share_title``, else of ``title``: where a too-long title is reported."""
    planned: tuple[PlannedPost, ...] = ()
    problems: tuple[Diagnostic, ...] = ()


def share_fields(
    fm: FrontMatter, source: str, lines: Sequence[str] = (), link: str = ""
) -> ShareFields:
    """``share_title`` and the checked ``share:`` plan of one story's front matter."""
    problems: list[Diagnostic] = []
    raw_title = fm.data.get("share_title")
    title = ""
    if isinstance(raw_title, str | int | float) and not isinstance(raw_title, bool):
        title = " ".join(str(raw_title).split())
    elif raw_title is not None:
        problems.append(
            error(
                source,
                fm.line("share_title"),
                "bad-field-type",
                "`share_title` must be text on one line",
                'write it on one line, e.g. `share_title: "Night shift offshore"`',
            )
        )
    planned, found = check_share(
        fm.data.get("share"),
        source,
        fm.line("share"),
        fm.item_lines.get("share", ()),
        lines,
        link,
    )
    problems += found
    title_line = fm.line("share_title" if title else "title")
    return ShareFields(title, title_line, planned, tuple(problems))


def value_titles(story: StoryEntry, titles: Mapping[str, str]) -> tuple[str, ...]:
    """Titles of the story's values, in its order (slugs without a value are left out)."""
    return tuple(titles[v.value] for v in story.values if v.value in titles)


def card_spec(
    story: StoryEntry,
    fields: ShareFields,
    values: Sequence[str],
    theme: CardTheme,
    site_lang: str,
) -> CardSpec:
    """What the story's share card is drawn from."""
    return CardSpec(
        title=fields.share_title or story.title,
        person=story.author,
        role=story.role or "",
        value=values[0] if values else "",
        style=theme.style,
        bold=theme.bold,
        regular=theme.regular,
        logo=theme.logo,
        brand_name=theme.brand_name,
        lang=story.lang or site_lang,
        source=story.source,
        title_line=fields.title_line,
    )


def kit_story(
    story: StoryEntry,
    fields: ShareFields,
    values: Sequence[str],
    url: str,
    company: str,
    site_lang: str,
    mastodon_page: str = "",
) -> KitStory:
    """What the story's share kit is written from (``mastodon_page``: the site's share page)."""
    return KitStory(
        slug=story.slug.value,
        url=url,
        title=story.title,
        summary=story.summary,
        person=story.author,
        role=story.role or "",
        company=company,
        lang=story.lang or site_lang,
        values=tuple(values),
        planned=fields.planned,
        mastodon_page=mastodon_page,
    )
