"""brandsite calendar: the printed plan, JSON, --strict, and the .ics file read back with icalendar."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from editorial_helpers import COVERAGE_FILES, WEDNESDAY
from icalendar import Calendar

from conftest import SITE_TOML
from generator.cli import main

NOW = ["--now", WEDNESDAY.isoformat()]


def calendar(root: Path, *args: str) -> int:
    return main(["calendar", "--root", str(root), *NOW, *args])


def test_text_plan(site, capsys) -> None:
    assert calendar(site(COVERAGE_FILES), "--weeks", "3", "--past", "1") == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Editorial calendar of Careers at Testco, as of Wed 18 Nov 2026 (Europe/Berlin)\n"
    )
    assert (
        "2026-W46  9 Nov 2026 to 15 Nov 2026\n"
        "    Tue 10 Nov 2026  published  Alpha (Ada, Ops) [craft, care]\n"
        "2026-W47  16 Nov 2026 to 22 Nov 2026  <- this week\n"
        "    nothing planned (!)\n"
    ) in out
    assert "    Tue 1 Dec 2026  scheduled  Echo (Ada, Ops) [care, courage]\n" in out
    assert "Drafts waiting: 1\n    Sun 1 Nov 2026  draft      Foxtrot (Ada, Ops) [courage]" in out
    assert (
        "Scheduled: 1 story until Tue 1 Dec 2026, 13 days ahead (buffer: 14 days, too short)" in out
    )
    assert (
        "1. warning: the scheduled stories reach only 13 days ahead (until 2026-12-01); "
        "the buffer is 14 days [short-buffer]\n"
        "   hint: schedule a story for 2026-12-02 or later; 1 draft waiting\n"
    ) in out


def test_json_plan_and_strict(site, capsys) -> None:
    root = site(COVERAGE_FILES)
    assert calendar(root, "--format", "json", "--strict") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == "2026-11-18"
    assert (data["buffer_until"], data["buffer_covered_days"]) == ("2026-12-01", 13)
    # Alpha was published 8 days ago and has no `share:` post planned (#18).
    assert [w["code"] for w in data["warnings"]] == [
        "short-buffer",
        "empty-week",
        "empty-week",
        "no-planned-post",
    ]
    assert [s["slug"] for s in data["drafts"]] == ["f"]
    assert [w["week"] for w in data["weeks"]][:3] == ["2026-W45", "2026-W46", "2026-W47"]
    assert len(data["weeks"]) == 8


def test_buffer_days_comes_from_site_toml(site, capsys) -> None:
    root = site(COVERAGE_FILES, config=SITE_TOML + "\n[calendar]\nbuffer_days = 7\n")
    assert calendar(root, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["buffer_days"] == 7
    assert "short-buffer" not in [w["code"] for w in data["warnings"]]


@pytest.mark.parametrize("days", ["-1", "3661", "99999999"])
def test_a_buffer_out_of_range_is_a_settings_error(site, capsys, days: str) -> None:
    root = site(config=SITE_TOML + f"\n[calendar]\nbuffer_days = {days}\n")
    assert calendar(root) == 2
    assert (
        "site.toml:10: error: calendar.buffer_days must be from 0 to 3660 (ten years)"
        in capsys.readouterr().err
    )


def test_content_problems_are_noted_but_the_plan_is_shown(site, capsys) -> None:
    files = {
        **COVERAGE_FILES,
        "content/stories/z.md": "---\ntitle: Z\nauthor: Zed\ndate: soon\nvalues: [craft]\n---\n",
    }
    assert calendar(site(files)) == 0
    out, err = capsys.readouterr()
    assert "run `brandsite check` for details" in err
    assert "Left out (no readable date): content/stories/z.md" in out


def read_ics(path: Path) -> dict[str, object]:
    parsed = Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


def test_ics_file_reads_back(site, tmp_path: Path, capsys) -> None:
    root = site(COVERAGE_FILES)
    ics = tmp_path / "plan" / "calendar.ics"
    assert calendar(root, "--ics", str(ics)) == 0
    assert f"Wrote 6 stories to {ics}." in capsys.readouterr().err
    parsed = Calendar.from_ical(ics.read_bytes())
    assert str(parsed["X-WR-CALNAME"]) == "Careers at Testco: editorial calendar"
    assert str(parsed["PRODID"]) == "-//brandsite//editorial calendar//EN"
    lines = ics.read_bytes().split(b"\r\n")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert b"X-PUBLISHED-TTL:PT12H" in lines
    events = read_ics(ics)
    assert sorted(events) == [f"story-{s}@careers.test.example" for s in "abcdef"]
    echo = events["story-e@careers.test.example"]
    assert echo.decoded("DTSTART") == dt.date(2026, 12, 1)
    assert echo.decoded("DTEND") == dt.date(2026, 12, 2)
    assert str(echo["SUMMARY"]) == "Echo"
    assert str(echo["STATUS"]) == "CONFIRMED"
    assert str(echo["URL"]) == "https://careers.test.example/stories/e/"
    assert [str(c) for c in echo["CATEGORIES"].cats] == ["Care", "Courage"]
    assert "By Ada, Ops\nStatus: scheduled\nValues: Care, Courage" in str(echo["DESCRIPTION"])
    assert echo.decoded("DTSTAMP") == dt.datetime(2026, 11, 17, 23, 0, tzinfo=dt.UTC)
    draft = events["story-f@careers.test.example"]
    assert (str(draft["SUMMARY"]), str(draft["STATUS"])) == ("Draft: Foxtrot", "TENTATIVE")
    assert "URL" not in draft


def test_ics_is_reproducible_with_now(site, tmp_path: Path) -> None:
    root = site(COVERAGE_FILES)
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    assert calendar(root, "--ics", str(first)) == 0
    assert calendar(root, "--ics", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()


def test_real_process(site) -> None:
    root = site(COVERAGE_FILES)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "calendar", *NOW, "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["buffer_until"] == "2026-12-01"
