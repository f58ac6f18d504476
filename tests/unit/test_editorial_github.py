"""`brandsite check --format github` end to end: workflow commands that annotate the right lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from editorial_helpers import story_file

from generator.errors import error, format_github, warning


def test_broken_site_annotates_files_and_lines(site) -> None:
    root = site(
        {
            "content/stories/typo.md": story_file("Typo", values="craft, crafts"),
            "content/stories/nodate.md": "---\ntitle: No date\nauthor: Ada\nvalues: [care]\n---\nText.\n",
        }
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--format", "github"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines == [
        "::error file=content/stories/nodate.md,line=5,title=brandsite missing-field::"
        "the required field `date` is missing Hint: add `date: YYYY-MM-DD`, e.g. `date: 2026-03-14`",
        "::error file=content/stories/typo.md,line=5,title=brandsite unknown-value::"
        "the story is tagged with `crafts`, which is not a corporate value "
        "Hint: did you mean `craft`? known values: care, craft",
    ]


def test_a_good_site_prints_nothing(site) -> None:
    root: Path = site({"content/stories/fine.md": story_file()})
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--format", "github", "--now", "2026-11-18"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_properties_and_data_are_escaped() -> None:
    problems = [
        warning("content/stories/a,b:c.md", 3, "duplicate-tag", "50% sure\nsecond line", col=7),
        error("", 0, "no-values-defined", "none"),
    ]
    assert format_github(problems).splitlines() == [
        "::error title=brandsite no-values-defined::none",
        "::warning file=content/stories/a%2Cb%3Ac.md,line=3,col=7,title=brandsite duplicate-tag::"
        "50%25 sure%0Asecond line",
    ]
