"""plan_calendar: statuses, weekly buckets, drafts apart, and the buffer and empty-week warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from editorial_helpers import WEDNESDAY, entry

from generator.editorial.planning import plan_calendar, week_start


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("date", "draft", "status"),
    [
        ("2026-11-17", False, "published"),
        ("2026-11-18", False, "published"),  # today is published, as in the build
        ("2026-11-19", False, "scheduled"),
        ("2026-11-10", True, "draft"),
        ("2026-12-24", True, "draft"),
    ],
)
def test_status_follows_the_build_rule(date: str, draft: bool, status: str) -> None:
    plan = plan_calendar([entry("s", date, draft)], WEDNESDAY)
    assert [s.status for s in plan.stories] == [status]


def test_weeks_run_monday_to_sunday_around_today() -> None:
    plan = plan_calendar([], WEDNESDAY, weeks=3, buffer_days=14, past_weeks=1)
    assert [(w.start, w.end, w.label) for w in plan.weeks] == [
        (d("2026-11-09"), d("2026-11-15"), "2026-W46"),
        (d("2026-11-16"), d("2026-11-22"), "2026-W47"),
        (d("2026-11-23"), d("2026-11-29"), "2026-W48"),
        (d("2026-11-30"), d("2026-12-06"), "2026-W49"),
    ]
    assert [w.contains(WEDNESDAY) for w in plan.weeks] == [False, True, False, False]


def test_stories_land_in_their_week_and_drafts_are_listed_apart() -> None:
    stories = [
        entry("monday", "2026-11-16"),
        entry("sunday", "2026-11-22"),
        entry("next-monday", "2026-11-23"),
        entry("draft", "2026-11-24", draft=True),
        entry("long-ago", "2025-01-01"),
    ]
    plan = plan_calendar(stories, WEDNESDAY, weeks=2, past_weeks=0)
    buckets = {w.label: [s.slug for s in w.stories] for w in plan.weeks}
    assert buckets == {"2026-W47": ["monday", "sunday"], "2026-W48": ["next-monday"]}
    assert [s.slug for s in plan.drafts] == ["draft"]
    assert [s.slug for s in plan.scheduled] == ["sunday", "next-monday"]
    assert [s.slug for s in plan.published] == ["long-ago", "monday"]


def test_stories_without_a_readable_date_are_left_out_and_named() -> None:
    plan = plan_calendar([entry("fine", "2026-11-20"), entry("broken", "soon")], WEDNESDAY)
    assert [s.slug for s in plan.stories] == ["fine"]
    assert plan.undated == ("content/stories/broken.md",)


def weekly(*dates: str) -> list:
    return [entry(f"s{n}", date) for n, date in enumerate(dates)]


@pytest.mark.parametrize(
    ("dates", "buffer_days", "expected"),
    [
        # Nothing scheduled at all.
        ((), 14, ["no stories are scheduled; the buffer is 14 days"]),
        # The queue reaches 9 days ahead: short.
        (
            ("2026-11-20", "2026-11-27"),
            14,
            [
                "the scheduled stories reach only 9 days ahead (until 2026-11-27); the buffer is 14 days"
            ],
        ),
        # Exactly 14 days ahead is enough.
        (("2026-11-20", "2026-11-27", "2026-12-02"), 14, []),
        (("2026-11-19",), 1, []),
        ((), 0, []),
    ],
)
def test_short_buffer_warning(
    dates: tuple[str, ...], buffer_days: int, expected: list[str]
) -> None:
    plan = plan_calendar(weekly(*dates), WEDNESDAY, buffer_days=buffer_days)
    assert [w.message for w in plan.warnings if w.code == "short-buffer"] == expected


def test_short_buffer_hint_names_the_day_to_reach_and_the_drafts() -> None:
    stories = [*weekly("2026-11-20"), entry("d", "2026-11-30", draft=True)]
    (warning,) = [w for w in plan_calendar(stories, WEDNESDAY).warnings if w.code == "short-buffer"]
    assert warning.hint == "schedule a story for 2026-12-02 or later; 1 draft waiting"
    assert plan_calendar(stories, WEDNESDAY).buffer_covered_days == 2


def test_empty_weeks_are_warned_about_only_up_to_the_end_of_the_buffer() -> None:
    # Today is Wednesday 18 Nov; the buffer ends on Wednesday 2 Dec, in week 49.
    stories = weekly("2026-11-16", "2026-12-02", "2026-12-03")
    plan = plan_calendar(stories, WEDNESDAY, weeks=6, buffer_days=14)
    checked = [w.label for w in plan.weeks if w.checked]
    assert checked == ["2026-W47", "2026-W48", "2026-W49"]
    empty = [w for w in plan.warnings if w.code == "empty-week"]
    assert [(w.message, w.hint) for w in empty] == [
        (
            "the week 2026-W48 (2026-11-23 to 2026-11-29) has no story planned",
            "schedule a story between 2026-11-23 and 2026-11-29",
        )
    ]
    # Weeks 50 and 51 are empty too, but still open: no warning.
    assert not plan.weeks[-1].stories


def test_an_empty_current_week_suggests_the_days_left() -> None:
    plan = plan_calendar(weekly("2026-11-25", "2026-12-04"), WEDNESDAY, buffer_days=14)
    (warning,) = [w for w in plan.warnings if w.code == "empty-week"]
    assert warning.message.startswith("this week 2026-W47")
    assert warning.hint == "schedule a story between 2026-11-18 and 2026-11-22"


def test_a_draft_does_not_fill_a_week() -> None:
    stories = [entry("d", "2026-11-20", draft=True), *weekly("2026-11-25", "2026-12-04")]
    plan = plan_calendar(stories, WEDNESDAY)
    assert any(w.code == "empty-week" and "W47" in w.message for w in plan.warnings)


@pytest.mark.parametrize(
    ("day", "monday"),
    [("2026-11-16", "2026-11-16"), ("2026-11-22", "2026-11-16"), ("2027-01-01", "2026-12-28")],
)
def test_week_start(day: str, monday: str) -> None:
    assert week_start(d(day)) == d(monday)
