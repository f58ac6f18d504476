"""Dates, numbers and text from content and the command line never crash a command (issue 12, 9).

Every case runs the real command line in a subprocess and pins the exit code and the message:
out-of-range options are usage errors (2), odd content is a problem or handled, a closed pipe
ends quietly; never a traceback, never "internal error" (exit 3).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from test_cli import brandsite

from conftest import REPO, SITE_TOML, story, write_site

WEDNESDAY = "2026-11-18"


def assert_no_crash(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode != 3, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["calendar", "--now", "9999-12-30"],
            "argument --now: must be a date between 1000-01-01 and 8999-12-31",
        ),
        (
            ["calendar", "--now", "0001-01-01"],
            "argument --now: must be a date between 1000-01-01 and 8999-12-31",
        ),
        (
            ["report", "--now", "9999-12-31"],
            "argument --now: must be a date between 1000-01-01 and 8999-12-31",
        ),
        (
            ["report", "--now", WEDNESDAY, "--days", "99999999"],
            "argument --days: must be a whole number from 1 to 36525",
        ),
        (["report", "--days", "0"], "argument --days: must be a whole number from 1 to 36525"),
        (
            ["calendar", "--now", WEDNESDAY, "--weeks", "99999999"],
            "argument --weeks: must be a whole number from 0 to 1000",
        ),
        (
            ["calendar", "--now", WEDNESDAY, "--past", "99999999"],
            "argument --past: must be a whole number from 0 to 1000",
        ),
        (["calendar", "--weeks", "-1"], "argument --weeks: must be a whole number from 0 to 1000"),
        (["calendar", "--weeks", "many"], "argument --weeks: 'many' is not a whole number"),
    ],
)
def test_out_of_range_options_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    run = brandsite(*args, cwd=root)
    assert_no_crash(run)
    assert run.returncode == 2
    assert run.stderr.endswith(f"brandsite {args[0]}: error: {message}\n")


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "--now", "1000-01-01", "--weeks", "1000", "--past", "1000"],
        ["calendar", "--now", "8999-12-31", "--weeks", "1000", "--past", "1000"],
        ["calendar", "--now", "8999-12-31", "--format", "json", "--ics", "r/plan.ics"],
        ["report", "--now", "1000-01-01", "--days", "36525", "--out", "r"],
        ["report", "--now", "8999-12-31", "--days", "36525", "--out", "r"],
    ],
)
def test_the_edges_of_every_range_work(tmp_path: Path, args: list[str]) -> None:
    config = SITE_TOML + "\n[calendar]\nbuffer_days = 3660\n"
    files = {"content/stories/a.md": story(date="9999-12-31")}
    root = write_site(tmp_path / "p", files, config)
    run = brandsite(*args, cwd=root)
    assert_no_crash(run)
    assert run.returncode == 0, run.stderr


def test_a_story_on_the_last_day_a_date_can_hold_is_in_the_ics(tmp_path: Path) -> None:
    files = {"content/stories/a.md": story(title="Far", date="9999-12-31")}
    root = write_site(tmp_path / "p", files)
    run = brandsite("calendar", "--now", WEDNESDAY, "--ics", "r/plan.ics", cwd=root)
    assert_no_crash(run)
    assert run.returncode == 0
    (event,) = Calendar.from_ical((root / "r/plan.ics").read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Far"
    assert event.decoded("dtstart").isoformat() == "9999-12-31"
    assert "DTEND" not in event  # one day long without it (RFC 5545, 3.6.1)


def test_a_slug_with_line_breaks_cannot_add_lines_to_the_ics(tmp_path: Path) -> None:
    text = story(title="Sneaky").replace("date:", 'slug: "x\\r\\nBEGIN:VEVENT"\ndate:')
    root = write_site(tmp_path / "p", {"content/stories/a.md": text})
    run = brandsite("calendar", "--now", WEDNESDAY, "--ics", "r/plan.ics", cwd=root)
    assert_no_crash(run)
    assert run.returncode == 0
    data = (root / "r/plan.ics").read_bytes()
    assert data.count(b"BEGIN:VEVENT") == 1
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["uid"]).startswith("story-file-")
    assert "URL" not in event
    check = brandsite("check", "--now", WEDNESDAY, cwd=root)
    assert check.returncode == 1
    assert "content/stories/a.md:4: error: `slug` gives the URL segment 'x\\r\\nBEGIN:VEVENT'" in (
        check.stderr
    )


def test_ics_text_carries_no_control_characters(tmp_path: Path) -> None:
    """Titles with control characters are refused (and left empty); tags and file names are not."""
    text = story(title="Tagged", values='"\\e[31mred", craft')
    root = write_site(tmp_path / "p", {"content/stories/a\x1b[2J.md": text})
    run = brandsite("calendar", "--now", WEDNESDAY, "--ics", "r/plan.ics", cwd=root)
    assert run.returncode == 0, run.stderr
    data = (root / "r/plan.ics").read_bytes()
    assert b"CATEGORIES:\\\\x1b[31mred,Craft\r\n" in data
    assert b"File: content/stories/a\\\\x1b[2J.md" in data.replace(b"\r\n ", b"")
    assert not set(data) & (set(range(32)) - {10, 13})
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "Tagged"


def nest_folders(base: Path, depth: int) -> None:
    """``depth`` folders ``d/d/…`` in ``base``, a file at the bottom (Path.mkdir recurses too)."""
    here = os.open(base, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=here)
        inner = os.open("d", os.O_RDONLY, dir_fd=here)
        os.close(here)
        here = inner
    with open(os.open("pic.png", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=here), "wb") as file:
        file.write(b"not a picture")
    os.close(here)


def unnest_folders(base: Path) -> None:
    """Remove what ``nest_folders`` made, without recursion: shutil.rmtree (and so pytest's
    own clean-up of old temporary folders, in every later test run) fails on it."""
    chain = [os.open(base, os.O_RDONLY)]
    try:
        while "d" in os.listdir(chain[-1]):
            chain.append(os.open("d", os.O_RDONLY, dir_fd=chain[-1]))
        for name in os.listdir(chain[-1]):
            os.unlink(name, dir_fd=chain[-1])
        while len(chain) > 1:
            os.close(chain.pop())
            os.rmdir("d", dir_fd=chain[-1])
    finally:
        for fd in chain:
            os.close(fd)


@pytest.fixture
def deep_site() -> Iterator[Path]:
    """A site with 1,100 folders nested in content/, outside pytest's temporary folders."""
    project = Path(tempfile.mkdtemp(prefix="brandsite-nested-"))
    files = {"content/stories/a.md": story(body="![A view](images/missing.png)")}
    root = write_site(project / "p", files)
    try:
        nest_folders(root / "content", 1100)
        yield root
    finally:
        unnest_folders(root / "content")
        shutil.rmtree(project)


def test_a_thousand_nested_folders_and_a_missing_picture(deep_site: Path) -> None:
    for command in ("build", "check"):
        run = brandsite(command, "--now", WEDNESDAY, cwd=deep_site)
        assert_no_crash(run)
        assert run.returncode == 1
        assert (
            "1. content/stories/a.md:7: error: the image `images/missing.png` does not exist "
            "[missing-image]\n"
        ) in run.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """``brandsite calendar | head -c 10``: the plan is larger than a pipe holds (64 KiB)."""
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    args = ["calendar", "--now", WEDNESDAY, "--weeks", "1000", "--past", "1000"]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10) == b"Editorial "
    process.stdout.close()  # the reader goes away, as `head` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141  # 128 + SIGPIPE, as shells report for `yes | head`
    assert stderr == ""
