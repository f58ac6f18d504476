"""Story entries and a small editorial site for the editorial tests (not a test module)."""

from __future__ import annotations

import datetime as dt

from generator.content.entries import StoryEntry, parse_story
from generator.content.loading import SourceFile

WEDNESDAY = dt.date(2026, 11, 18)
"""A mid-week "today": its week runs from Monday 16 to Sunday 22 November 2026."""


def story_file(
    title: str = "A story",
    date: str = "2026-11-10",
    values: str = "craft",
    draft: bool = False,
    team: str | None = None,
    author: str = "Ada",
    extra: str = "",
) -> str:
    """The text of a story file."""
    lines = ["---", f"title: {title}", f"author: {author}", f"date: {date}", f"values: [{values}]"]
    if team:
        lines.append(f"team: {team}")
    if draft:
        lines.append("draft: true")
    if extra:
        lines.append(extra)
    lines += ["---", f"The story of {title}.", ""]
    return "\n".join(lines)


def entry(
    name: str, date: str, draft: bool = False, values: str = "craft", **fields: str
) -> StoryEntry:
    """A parsed story entry from ``content/stories/<name>.md``."""
    text = story_file(
        title=name.replace("-", " ").title(), date=date, values=values, draft=draft, **fields
    )
    parsed, _ = parse_story(SourceFile(f"content/stories/{name}.md", text))
    assert parsed is not None
    return parsed


COURAGE = """\
---
title: Courage
summary: Courage is what we need.
order: 3
---
We practise Courage.
"""

COVERAGE_FILES = {
    "content/values/courage.md": COURAGE,
    "content/stories/a.md": story_file("Alpha", "2026-11-10", "craft, care", team="Ops"),
    # 89 days before WEDNESDAY: the first day of the 90-day window.
    "content/stories/b.md": story_file("Bravo", "2026-08-21", "craft", team="Ops"),
    # 90 days before: just outside it.
    "content/stories/c.md": story_file("Charlie", "2026-08-20", "care", team="Sales"),
    "content/stories/d.md": story_file("Delta", "2025-03-01", "craft"),
    "content/stories/e.md": story_file("Echo", "2026-12-01", "care, courage", team="Ops"),
    "content/stories/f.md": story_file("Foxtrot", "2026-11-01", "courage", draft=True, team="Ops"),
}
"""A site whose coverage numbers the tests know: values craft, care (from conftest) and courage."""
