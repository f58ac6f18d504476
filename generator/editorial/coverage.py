"""Value coverage as data: which corporate values the published stories show, and how recently."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.entries import StoryEntry, ValueEntry
from .project import DRAFT, PUBLISHED, SCHEDULED, has_date, story_status

NO_TEAM = "(no team given)"


@dataclass(frozen=True)
class StoryRef:
    """Enough about a story to name and link it in a report."""

    title: str
    date: dt.date
    source: str
    lang: str | None = None


@dataclass(frozen=True)
class ValueCoverage:
    """How one value is covered by published stories."""

    slug: str
    title: str
    total: int
    """Published stories, all time."""
    recent: int
    """Published stories in the recent window."""
    scheduled: int
    """Stories scheduled for later (not drafts)."""
    last: StoryRef | None
    """The newest published story showing this value."""
    days_since_last: int | None
    """Days from the last story to today; None when there has never been one."""


@dataclass(frozen=True)
class TeamCoverage:
    """Published stories told by one team."""

    team: str
    total: int
    recent: int


@dataclass(frozen=True)
class MonthCount:
    """Published stories in one calendar month."""

    month: dt.date
    """The first day of the month."""
    count: int


@dataclass(frozen=True)
class CoverageReport:
    """Value coverage as of ``today``."""

    today: dt.date
    window_days: int
    """Length of the "recent" window in days."""
    values: tuple[ValueCoverage, ...]
    """Every value, in site order (order, then title)."""
    teams: tuple[TeamCoverage, ...]
    """Teams, most stories first."""
    months: tuple[MonthCount, ...]
    """The last twelve months, oldest first."""
    published: int
    recent: int
    scheduled: int
    drafts: int

    @property
    def since(self) -> dt.date:
        """The first day of the recent window."""
        return self.today - dt.timedelta(days=self.window_days - 1)

    @property
    def values_without_recent(self) -> tuple[ValueCoverage, ...]:
        """Values no published story has shown within the window."""
        return tuple(v for v in self.values if v.recent == 0)


def coverage(
    stories: Sequence[StoryEntry],
    values: Sequence[ValueEntry],
    today: dt.date,
    window_days: int = 90,
    require_consent: bool = False,
) -> CoverageReport:
    """Count published stories per value and per team, all time and within ``window_days``.

    "Within the window" means dated from ``today - window_days + 1`` to ``today``, so a 90-day
    window is exactly 90 calendar days. Tags that name no known value are not counted (the
    build rejects them; ``brandsite check`` explains).
    """
    since = today - dt.timedelta(days=window_days - 1)
    dated = [s for s in stories if has_date(s)]
    status = {s.source: story_status(s, today, require_consent) for s in dated}
    published = sorted(
        (s for s in dated if status[s.source] == PUBLISHED),
        key=lambda s: (s.date, s.title, s.source),
        reverse=True,
    )
    scheduled = [s for s in dated if status[s.source] == SCHEDULED]
    value_rows = []
    for value in values:
        slug = value.slug.value
        showing = [s for s in published if slug in _tags(s)]
        last = showing[0] if showing else None
        value_rows.append(
            ValueCoverage(
                slug=slug,
                title=value.title,
                total=len(showing),
                recent=sum(s.date >= since for s in showing),
                scheduled=sum(slug in _tags(s) for s in scheduled),
                last=StoryRef(last.title, last.date, last.source, last.lang) if last else None,
                days_since_last=(today - last.date).days if last else None,
            )
        )
    totals = Counter(s.team or NO_TEAM for s in published)
    recents = Counter(s.team or NO_TEAM for s in published if s.date >= since)
    teams = tuple(
        TeamCoverage(team, count, recents[team])
        for team, count in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    )
    return CoverageReport(
        today=today,
        window_days=window_days,
        values=tuple(value_rows),
        teams=teams,
        months=_months(published, today),
        published=len(published),
        recent=sum(s.date >= since for s in published),
        scheduled=len(scheduled),
        drafts=sum(status[s.source] == DRAFT for s in dated),
    )


def _tags(story: StoryEntry) -> set[str]:
    return {tag.value for tag in story.values}


def _months(
    published: Sequence[StoryEntry], today: dt.date, count: int = 12
) -> tuple[MonthCount, ...]:
    per_month = Counter(s.date.replace(day=1) for s in published)
    firsts = []
    year, month = today.year, today.month
    for _ in range(count):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(MonthCount(first, per_month[first]) for first in reversed(firsts))
