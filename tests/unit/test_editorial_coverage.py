"""coverage(): stories per value and team, the recent window's edges, values without stories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from editorial_helpers import COVERAGE_FILES, WEDNESDAY, entry

from generator.editorial.coverage import NO_TEAM, coverage
from generator.editorial.project import load_project


def test_numbers_on_the_fixture_site(site) -> None:
    project, problems = load_project(site(COVERAGE_FILES))
    assert project is not None and problems == [] and not project.problems
    report = coverage(project.stories, project.values, WEDNESDAY)
    rows = {
        v.slug: (
            v.total,
            v.recent,
            v.scheduled,
            v.last.title if v.last else None,
            v.days_since_last,
        )
        for v in report.values
    }
    assert rows == {
        "craft": (3, 2, 0, "Alpha", 8),
        "care": (2, 1, 1, "Alpha", 8),
        "courage": (0, 0, 1, None, None),
    }
    assert [v.slug for v in report.values] == ["craft", "care", "courage"]  # site order
    assert [v.slug for v in report.values_without_recent] == ["courage"]
    assert [(t.team, t.total, t.recent) for t in report.teams] == [
        ("Ops", 2, 2),
        (NO_TEAM, 1, 0),
        ("Sales", 1, 0),
    ]
    assert (report.published, report.recent, report.scheduled, report.drafts) == (4, 2, 1, 1)
    assert report.since == dt.date(2026, 8, 21)


def test_months_are_the_last_twelve(site) -> None:
    project, _ = load_project(site(COVERAGE_FILES))
    assert project is not None
    months = coverage(project.stories, project.values, WEDNESDAY).months
    assert [m.month for m in months][:2] == [dt.date(2025, 12, 1), dt.date(2026, 1, 1)]
    assert months[-1].month == dt.date(2026, 11, 1)
    assert {m.month.month: m.count for m in months if m.count} == {8: 2, 11: 1}


def test_the_window_length_is_a_parameter(site) -> None:
    project, _ = load_project(site(COVERAGE_FILES))
    assert project is not None
    report = coverage(project.stories, project.values, WEDNESDAY, window_days=91)
    assert {v.slug: v.recent for v in report.values} == {"craft": 2, "care": 2, "courage": 0}


def test_unknown_tags_and_duplicate_tags_are_counted_once_or_not_at_all(site) -> None:
    project, _ = load_project(site())
    assert project is not None
    stories = [entry("x", "2026-11-01", values="craft, craft, crafts")]
    report = coverage(stories, project.values, WEDNESDAY)
    assert {v.slug: v.total for v in report.values} == {"craft": 1, "care": 0}


def test_no_stories_at_all(tmp_path: Path, site) -> None:
    project, _ = load_project(site())
    assert project is not None
    report = coverage(project.stories, project.values, WEDNESDAY)
    assert report.teams == () and report.published == 0
    assert [v.slug for v in report.values_without_recent] == ["craft", "care"]
