"""Read a project for editorial work: every story, drafts and scheduled ones included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..content.config import SiteConfig, load_config
from ..content.entries import StoryEntry, ValueEntry
from ..content.linking import on_site_day
from ..content.publishing import PublishOptions, PublishStatus, publish_status
from ..engine.build import site_today
from ..engine.incremental import BuildState, parse_sources
from ..errors import Diagnostic, has_errors
from ..roles.entries import load_jobs
from ..roles.model import Job

PUBLISHED, SCHEDULED, DRAFT = PublishStatus.PUBLISHED, PublishStatus.SCHEDULED, PublishStatus.DRAFT
EXPIRED, NEEDS_CONSENT = PublishStatus.EXPIRED, PublishStatus.NEEDS_CONSENT


@dataclass(frozen=True)
class Project:
    """A project's settings and every story and value entry, as editors see them."""

    config: SiteConfig
    stories: tuple[StoryEntry, ...]
    """Every story that has front matter, whatever its problems (so the plan is never empty
    just because one file has a typo)."""
    values: tuple[ValueEntry, ...]
    """The values, each once, in the default language (their translations are apart)."""
    problems: tuple[Diagnostic, ...]
    """Problems found while reading content; ``brandsite check`` explains them in full."""
    jobs: tuple[Job, ...] = ()
    """Every job file that reads without an error, open or not."""
    value_translations: tuple[ValueEntry, ...] = ()
    """The values' files in other languages (``translation_of``)."""

    @property
    def has_errors(self) -> bool:
        """True when some content file has an error (the site would not build)."""
        return has_errors(self.problems)


def load_project(root: Path) -> tuple[Project | None, list[Diagnostic]]:
    """Settings and content entries; None (and the problems) only when site.toml is unusable."""
    config, problems = load_config(root)
    if config is None:
        return None, problems
    # The build's own reading, limits and cache.
    sources = parse_sources(root, BuildState.load(root), config.limits.max_story_kb * 1024)
    problems = list(sources.problems)
    # Dated by the day in the site's time zone, as the build dates them.
    stories = tuple(on_site_day(s, config.timezone, problems) for s in sources.stories)
    values = sorted(sources.values, key=lambda v: (v.order, v.title, v.slug.value))
    jobs, found = load_jobs(root, config.limits.max_story_kb * 1024)
    problems += found
    originals = tuple(v for v in values if v.translation_of is None)
    translated = tuple(v for v in values if v.translation_of is not None)
    return Project(config, stories, originals, tuple(problems), jobs, translated), []


def project_today(config: SiteConfig, now: dt.datetime, override: dt.date | None = None) -> dt.date:
    """ "Today" as the build sees it: ``--now`` if given, else the day in the site's time zone."""
    return override or site_today(now, config.timezone)


def story_status(story: StoryEntry, today: dt.date, require_consent: bool = False) -> PublishStatus:
    """The build's publish rule (``publishing.publish_status``) as of ``today``."""
    return publish_status(story, PublishOptions(today, require_consent=require_consent))


def has_date(story: StoryEntry) -> bool:
    """False when the story's date is missing or unreadable (``parse_story`` gives ``date.min``)."""
    return story.date != dt.date.min
