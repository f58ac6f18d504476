"""The editorial calendar as data: stories by week, drafts waiting, and the buffer warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..content.entries import StoryEntry
from ..content.publishing import PublishStatus
from ..share.plan import PlannedPost
from ..share.platforms import BY_KEY
from .project import DRAFT, PUBLISHED, SCHEDULED, has_date, story_status


@dataclass(frozen=True)
class PlannedStory:
    """One story as the calendar shows it."""

    source: str
    """Path relative to the project root."""
    slug: str
    title: str
    author: str
    date: dt.date
    status: PublishStatus
    """``published``, ``scheduled``, ``draft``, ``expired`` or ``needs-consent``."""
    values: tuple[str, ...]
    """Value slugs as the story lists them."""
    team: str | None = None
    role: str | None = None
    summary: str = ""
    lang: str | None = None
    posts: tuple[PlannedPost, ...] = ()
    """Posts planned for the story in its front matter (``share:``), by day."""


@dataclass(frozen=True)
class Week:
    """A calendar week, Monday to Sunday, with the published and scheduled stories in it."""

    start: dt.date
    """The Monday."""
    stories: tuple[PlannedStory, ...]
    """Published and scheduled stories dated in this week (drafts are listed apart)."""
    checked: bool
    """Whether an empty week here is a warning: weeks from this one up to the buffer's end."""

    @property
    def end(self) -> dt.date:
        """The Sunday."""
        return self.start + dt.timedelta(days=6)

    @property
    def label(self) -> str:
        """ISO week, e.g. ``2026-W48``."""
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in this week."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class PlanWarning:
    """Something the editorial team should act on."""

    code: str
    """``short-buffer``, ``empty-week`` or ``no-planned-post``."""
    message: str
    hint: str


@dataclass(frozen=True)
class CalendarPlan:
    """The editorial plan as of ``today``."""

    today: dt.date
    buffer_days: int
    weeks: tuple[Week, ...]
    """The weeks shown, oldest first; the current week is among them."""
    stories: tuple[PlannedStory, ...]
    """Every story with a readable date, drafts included, by date then title."""
    undated: tuple[str, ...]
    """Sources of stories left out because their date is missing or unreadable."""
    warnings: tuple[PlanWarning, ...]
    languages: tuple[str, ...] = ()
    """The site's languages when it has several (each story's ``lang`` is then filled in and
    the buffer is judged per language); () for a one-language site."""

    def in_language(self, lang: str) -> CalendarPlan:
        """The plan of the stories in ``lang`` alone (without warnings)."""
        weeks = tuple(
            replace(week, stories=tuple(s for s in week.stories if s.lang == lang))
            for week in self.weeks
        )
        stories = tuple(s for s in self.stories if s.lang == lang)
        return replace(self, weeks=weeks, stories=stories, warnings=(), languages=(lang,))

    @property
    def scheduled(self) -> tuple[PlannedStory, ...]:
        """Stories waiting for their day, soonest first."""
        return tuple(s for s in self.stories if s.status == SCHEDULED)

    @property
    def published(self) -> tuple[PlannedStory, ...]:
        """Stories already live."""
        return tuple(s for s in self.stories if s.status == PUBLISHED)

    @property
    def drafts(self) -> tuple[PlannedStory, ...]:
        """Stories marked ``draft: true``, by date."""
        return tuple(s for s in self.stories if s.status == DRAFT)

    @property
    def posts(self) -> tuple[tuple[PlannedStory, PlannedPost], ...]:
        """Every planned post of a story that is not a draft, by day, channel and story."""
        found = [(s, p) for s in self.stories if s.status != DRAFT for p in s.posts]
        return tuple(sorted(found, key=lambda sp: (sp[1].on, sp[1].channel, sp[0].title)))

    @property
    def buffer_until(self) -> dt.date | None:
        """The day of the last scheduled story, or None when nothing is scheduled."""
        queue = self.scheduled
        return queue[-1].date if queue else None

    @property
    def buffer_covered_days(self) -> int:
        """How many days ahead the scheduled queue reaches (0 when nothing is scheduled)."""
        until = self.buffer_until
        return (until - self.today).days if until else 0

    @property
    def buffer_target(self) -> dt.date:
        """The day the queue should reach."""
        return self.today + dt.timedelta(days=self.buffer_days)


def planned_story(story: StoryEntry, today: dt.date, require_consent: bool = False) -> PlannedStory:
    """The calendar's view of one story entry."""
    return PlannedStory(
        source=story.source,
        slug=story.slug.value,
        title=story.title,
        author=story.author,
        date=story.date,
        status=story_status(story, today, require_consent),
        values=tuple(dict.fromkeys(tag.value for tag in story.values)),
        team=story.team,
        role=story.role,
        summary=story.summary,
        lang=story.lang,
        posts=tuple(sorted(story.planned, key=lambda p: (p.on, p.channel, p.line))),
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def plan_calendar(
    stories: Sequence[StoryEntry],
    today: dt.date,
    weeks: int = 6,
    buffer_days: int = 14,
    past_weeks: int = 2,
    require_consent: bool = False,
    languages: Sequence[str] = (),
) -> CalendarPlan:
    """The plan: ``past_weeks`` weeks back, this week and the following ones, ``weeks`` in all
    from this week on; warnings for a short scheduled queue and for empty weeks in the buffer.

    With several ``languages`` (the site's, default first) each language's queue is judged on
    its own: English readers are not served by German stories.

    Only weeks up to the end of the buffer are checked for emptiness: weeks further ahead are
    naturally still open, and warning about them every day would teach people to ignore warnings.
    """
    several = tuple(languages) if len(languages) > 1 else ()
    planned = sorted(
        (planned_story(s, today, require_consent) for s in stories if has_date(s)),
        key=lambda s: (s.date, s.title, s.source),
    )
    if several:
        planned = [replace(s, lang=s.lang or several[0]) for s in planned]
    undated = tuple(sorted(s.source for s in stories if not has_date(s)))
    this_monday = week_start(today)
    horizon = week_start(today + dt.timedelta(days=buffer_days))
    shown: list[Week] = []
    for offset in range(-past_weeks, max(weeks, 1)):
        start = this_monday + dt.timedelta(weeks=offset)
        end = start + dt.timedelta(days=6)
        in_week = tuple(s for s in planned if start <= s.date <= end and s.status != DRAFT)
        shown.append(Week(start, in_week, this_monday <= start <= horizon))
    plan = CalendarPlan(today, buffer_days, tuple(shown), tuple(planned), undated, (), several)
    if not several:
        return replace(plan, warnings=tuple(_queue_warnings(plan) + _unshared(plan)))
    found = []
    for lang in several:
        found += [_in(lang, warning) for warning in _queue_warnings(plan.in_language(lang))]
    return replace(plan, warnings=tuple(found + _unshared(plan)))


def _in(lang: str, warning: PlanWarning) -> PlanWarning:
    """A warning about one language's stories, saying which."""
    return replace(
        warning,
        message=f"in {lang!r}: {warning.message}",
        hint=warning.hint.replace("schedule a story", f"schedule a story in {lang!r}", 1),
    )


def _queue_warnings(plan: CalendarPlan) -> list[PlanWarning]:
    """A short scheduled queue, and empty weeks within the buffer."""
    found: list[PlanWarning] = []
    covered, target = plan.buffer_covered_days, plan.buffer_target
    if covered < plan.buffer_days:
        if plan.buffer_until is None:
            message = f"no stories are scheduled; the buffer is {plan.buffer_days} days"
        else:
            message = (
                f"the scheduled stories reach only {_days(covered)} ahead (until "
                f"{plan.buffer_until.isoformat()}); the buffer is {plan.buffer_days} days"
            )
        drafts = len(plan.drafts)
        hint = f"schedule a story for {target.isoformat()} or later"
        if drafts:
            hint += f"; {drafts} draft{'' if drafts == 1 else 's'} waiting"
        found.append(PlanWarning("short-buffer", message, hint))
    for week in plan.weeks:
        if week.checked and not week.stories:
            when = "this week" if week.contains(plan.today) else "the week"
            found.append(
                PlanWarning(
                    "empty-week",
                    f"{when} {week.label} ({week.start.isoformat()} to {week.end.isoformat()}) "
                    "has no story planned",
                    _slot_hint(max(week.start, plan.today), week.end),
                )
            )
    return found


RECENT_DAYS = 14
"""A story published this many days ago or less should have a post planned."""


def _unshared(plan: CalendarPlan) -> list[PlanWarning]:
    """Stories published in the last RECENT_DAYS days that nobody planned to post about."""
    since = plan.today - dt.timedelta(days=RECENT_DAYS)
    found = []
    for story in plan.published:
        if since <= story.date <= plan.today and not story.posts:
            found.append(
                PlanWarning(
                    "no-planned-post",
                    f"“{story.title}” was published on {story.date.isoformat()} and has no "
                    "post planned",
                    f"plan one in {story.source}: `share:` with "
                    f'`- {{on: {plan.today.isoformat()}, channel: linkedin, text: "…"}}`',
                )
            )
    return found


def channel_name(key: str) -> str:
    """The network's name as people write it (``linkedin`` → ``LinkedIn``)."""
    platform = BY_KEY.get(key)
    return platform.name if platform else key


def _slot_hint(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"schedule a story for {first.isoformat()}"
    return f"schedule a story between {first.isoformat()} and {last.isoformat()}"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"
