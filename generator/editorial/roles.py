"""Open roles for editors: which teams hire without a story to show, which roles close soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..content.entries import StoryEntry
from ..errors import printable
from ..roles.model import Job
from ..roles.posting import is_open
from .project import PUBLISHED, story_status

CLOSING_DAYS = 14
"""The calendar lists open roles whose last day is within this many days."""


def roles_without_story(
    jobs: Sequence[Job],
    stories: Sequence[StoryEntry],
    today: dt.date,
    require_consent: bool = False,
) -> list[Job]:
    """Open roles whose team has no published story (where HR should collect one next)."""
    teams = {
        story.team
        for story in stories
        if story.team and story_status(story, today, require_consent) is PUBLISHED
    }
    return [job for job in jobs if is_open(job, today) and job.team not in teams]


def roles_closing(jobs: Sequence[Job], today: dt.date, days: int = CLOSING_DAYS) -> list[Job]:
    """Open roles whose last day is today or within ``days`` days, soonest first."""
    soon = [
        job
        for job in jobs
        if is_open(job, today)
        and job.valid_through is not None
        and (job.valid_through - today).days <= days
    ]
    return sorted(soon, key=lambda job: (job.valid_through or today, job.title, job.slug))


def role_json(job: Job) -> dict[str, Any]:
    """What scripts get of a role."""
    return {
        "slug": job.slug,
        "title": job.title,
        "team": job.team,
        "date_posted": job.date_posted.isoformat(),
        "valid_through": job.valid_through.isoformat() if job.valid_through else None,
        "source": job.source,
    }


def format_roles_without_story(jobs: Sequence[Job]) -> str:
    """The report's section: roles whose team has no story yet ("" when there are none)."""
    if not jobs:
        return ""
    lines = [f"Open roles whose team has no story yet ({len(jobs)}):"]
    for job in jobs:
        team = job.team or "no team given"
        lines.append(f"    {printable(job.title)} ({printable(team)})  {printable(job.source)}")
    return "\n".join(lines)


def format_roles_closing(jobs: Sequence[Job], today: dt.date, days: int = CLOSING_DAYS) -> str:
    """The calendar's section: roles closing within ``days`` days ("" when there are none)."""
    if not jobs:
        return ""
    lines = [f"Roles closing in the next {days} days ({len(jobs)}):"]
    for job in jobs:
        assert job.valid_through is not None
        left = (job.valid_through - today).days
        when = "today" if left == 0 else f"in {left} day{'s' if left > 1 else ''}"
        lines.append(
            f"    {job.valid_through.isoformat()} ({when})  {printable(job.title)}  "
            f"{printable(job.source)}"
        )
    return "\n".join(lines)
