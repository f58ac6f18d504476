"""Read a project for editorial work: every story, drafts and scheduled ones included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..build import site_today
from ..config import SiteConfig, load_config
from ..entries import StoryEntry, ValueEntry, parse_story, parse_value
from ..errors import Diagnostic, has_errors
from ..loading import load_content

PUBLISHED, SCHEDULED, DRAFT = "published", "scheduled", "draft"


@dataclass(frozen=True)
class Project:
    """A project's settings and every story and value entry, as editors see them."""

    config: SiteConfig
    stories: tuple[StoryEntry, ...]
    """Every story that has front matter, whatever its problems (so the plan is never empty
    just because one file has a typo)."""
    values: tuple[ValueEntry, ...]
    problems: tuple[Diagnostic, ...]
    """Problems found while reading content; ``brandsite check`` explains them in full."""

    @property
    def has_errors(self) -> bool:
        """True when some content file has an error (the site would not build)."""
        return has_errors(self.problems)


def load_project(root: Path) -> tuple[Project | None, list[Diagnostic]]:
    """Settings and content entries; None (and the problems) only when site.toml is unusable."""
    config, problems = load_config(root)
    if config is None:
        return None, problems
    content, problems = load_content(root)
    stories: list[StoryEntry] = []
    for file in content.stories:
        story, found = parse_story(file)
        problems += found
        if story is not None:
            stories.append(story)
    values: list[ValueEntry] = []
    for file in content.values:
        value, found = parse_value(file)
        problems += found
        if value is not None:
            values.append(value)
    values.sort(key=lambda v: (v.order, v.title, v.slug.value))
    return Project(config, tuple(stories), tuple(values), tuple(problems)), []


def project_today(config: SiteConfig, now: dt.datetime, override: dt.date | None = None) -> dt.date:
    """ "Today" as the build sees it: ``--now`` if given, else the day in the site's time zone."""
    return override or site_today(now, config.timezone)


def story_status(story: StoryEntry, today: dt.date) -> str:
    """``draft``, ``scheduled`` (dated after today) or ``published``: the build's publish rule."""
    if story.draft:
        return DRAFT
    return SCHEDULED if story.date > today else PUBLISHED


def has_date(story: StoryEntry) -> bool:
    """False when the story's date is missing or unreadable (``parse_story`` gives ``date.min``)."""
    return story.date != dt.date.min
