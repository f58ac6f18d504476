"""Planned posts (front matter ``share:``) in ``brandsite calendar``, its JSON and its ICS file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from editorial_helpers import WEDNESDAY, story_file
from icalendar import Calendar

from generator.cli import main

NOW = ["--now", WEDNESDAY.isoformat()]
PLAN = (
    "share:\n"
    '  - {on: 2026-11-19, channel: linkedin, text: "Alpha on LinkedIn"}\n'
    "  - on: 2026-11-24\n"
    "    channel: mastodon\n"
    '    text: "Alpha, again, on Mastodon"'
)
FILES = {
    "content/stories/a.md": story_file("Alpha", "2026-11-10", "craft", extra=PLAN),
    "content/stories/b.md": story_file("Bravo", "2026-11-12", "craft"),  # recent, no post
    "content/stories/c.md": story_file("Charlie", "2026-10-01", "craft"),  # old: no warning
    "content/stories/d.md": story_file("Delta", "2026-12-01", "craft"),  # scheduled
}


def calendar(root: Path, *args: str) -> int:
    return main(["calendar", "--root", str(root), *NOW, *args])


def test_planned_posts_are_listed_and_a_recent_story_without_one_is_a_warning(site, capsys) -> None:
    root = site(FILES)
    calendar(root)
    out = capsys.readouterr().out
    assert (
        "Planned posts: 2\n"
        "    Thu 19 Nov 2026  LinkedIn   Alpha: Alpha on LinkedIn\n"
        "    Tue 24 Nov 2026  Mastodon   Alpha: Alpha, again, on Mastodon\n"
    ) in out
    assert (
        "warning: “Bravo” was published on 2026-11-12 and has no post planned [no-planned-post]"
        in out
    )
    assert "hint: plan one in content/stories/b.md: `share:` with " in out
    assert "Charlie" not in out.split("Planned posts")[1]
    assert out.count("[no-planned-post]") == 1


def test_planned_posts_in_json(site, capsys) -> None:
    calendar(site(FILES), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["posts"] == [
        {
            "on": "2026-11-19",
            "channel": "linkedin",
            "text": "Alpha on LinkedIn",
            "slug": "a",
            "title": "Alpha",
            "source": "content/stories/a.md",
            "line": 7,
        },
        {
            "on": "2026-11-24",
            "channel": "mastodon",
            "text": "Alpha, again, on Mastodon",
            "slug": "a",
            "title": "Alpha",
            "source": "content/stories/a.md",
            "line": 8,
        },
    ]
    assert [w["code"] for w in data["warnings"]].count("no-planned-post") == 1


def test_planned_posts_in_the_ics_file(site, tmp_path: Path) -> None:
    ics = tmp_path / "calendar.ics"
    assert calendar(site(FILES), "--ics", str(ics)) in (0, 1)
    events = {str(e["UID"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    post = events["post-a-2@careers.test.example"]
    assert post.decoded("DTSTART") == dt.date(2026, 11, 24)
    assert post.decoded("DTEND") == dt.date(2026, 11, 25)
    assert str(post["SUMMARY"]) == "Mastodon post: Alpha"
    assert str(post["URL"]) == "https://careers.test.example/stories/a/"
    assert str(post["DESCRIPTION"]).startswith("Alpha, again, on Mastodon\n\nStory: ")
    assert "File: content/stories/a.md:10" in str(post["DESCRIPTION"])
    assert "post-a-1@careers.test.example" in events
    assert "story-a@careers.test.example" in events


def test_a_bad_plan_is_a_problem_at_its_line_in_check(site, capsys) -> None:
    bad = story_file(
        "Alpha", "2026-11-10", "craft", extra="share:\n  - {on: soon, channel: x, text: Hi}"
    )
    root = site({"content/stories/a.md": bad})
    assert main(["check", "--root", str(root), *NOW]) == 1
    err = capsys.readouterr().err
    assert "content/stories/a.md:7: error: `on` of planned post 1 is not a date: `soon`" in err
