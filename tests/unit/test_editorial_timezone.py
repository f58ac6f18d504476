"""Today is the site's day: a story dated Monday goes live on Monday in Berlin, not in UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from editorial_helpers import entry, story_file

from generator.editorial.coverage import coverage
from generator.editorial.planning import plan_calendar
from generator.editorial.project import load_project, project_today
from generator.engine.build import build, site_today
from generator.engine.records import BuildOptions

UTC = dt.UTC


@pytest.mark.parametrize(
    ("now", "timezone", "today"),
    [
        # 23:30 UTC on Sunday is 00:30 on Monday in Berlin (CET, UTC+1).
        (dt.datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "Europe/Berlin", dt.date(2026, 11, 23)),
        (dt.datetime(2026, 11, 22, 22, 59, tzinfo=UTC), "Europe/Berlin", dt.date(2026, 11, 22)),
        # Summer time (CEST, UTC+2): 22:30 UTC is already tomorrow.
        (dt.datetime(2026, 7, 5, 22, 30, tzinfo=UTC), "Europe/Berlin", dt.date(2026, 7, 6)),
        # The night clocks go forward (29 March 2026): 23:30 UTC on the 28th is 00:30 CET.
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "Europe/Berlin", dt.date(2026, 3, 29)),
        # West of UTC it is the other way round.
        (dt.datetime(2026, 11, 23, 5, 0, tzinfo=UTC), "America/Los_Angeles", dt.date(2026, 11, 22)),
        (dt.datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "UTC", dt.date(2026, 11, 22)),
    ],
)
def test_site_today(now: dt.datetime, timezone: str, today: dt.date) -> None:
    assert site_today(now, timezone) == today


LATE_SUNDAY_UTC = dt.datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
"""Monday 23 November 2026, 00:30 in Berlin."""


def test_a_story_dated_today_in_berlin_is_published_everywhere(site) -> None:
    root = site({"content/stories/monday.md": entry_text()})
    project, _ = load_project(root)
    assert project is not None and project.config.timezone == "Europe/Berlin"
    today = project_today(project.config, LATE_SUNDAY_UTC)
    assert today == dt.date(2026, 11, 23)
    plan = plan_calendar(project.stories, today)
    assert [s.status for s in plan.stories] == ["published"]
    assert coverage(project.stories, project.values, today).published == 1
    result = build(BuildOptions(root=root, output=root / "output", now=LATE_SUNDAY_UTC))
    assert result.ok and result.site is not None
    assert [s.slug for s in result.site.stories] == ["monday"]


def test_an_hour_earlier_it_is_still_scheduled(site) -> None:
    root = site({"content/stories/monday.md": entry_text()})
    project, _ = load_project(root)
    assert project is not None
    today = project_today(project.config, LATE_SUNDAY_UTC - dt.timedelta(hours=1))
    assert [s.status for s in plan_calendar(project.stories, today).stories] == ["scheduled"]


def test_now_overrides_the_clock(site) -> None:
    project, _ = load_project(site())
    assert project is not None
    sunday = dt.date(2026, 11, 22)
    assert project_today(project.config, LATE_SUNDAY_UTC, override=sunday) == sunday
    story = entry("monday", "2026-11-23")
    assert plan_calendar([story], sunday).stories[0].status == "scheduled"


def entry_text() -> str:
    return story_file("Monday", "2026-11-23")
