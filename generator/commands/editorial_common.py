"""What the editorial commands share at the edge: options, loading with messages, the clock."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from ..editorial.project import Project, load_project, project_today
from ..errors import format_text, printable, summary_line
from .common import iso_day

FIRST_DAY, LAST_DAY = dt.date(1000, 1, 1), dt.date(8999, 12, 31)
"""The days ``--now`` may name: far enough from year 1 and 9999 that the longest windows below
(and ``calendar.buffer_days``) still land on days a date can hold."""
MAX_WEEKS = 1000
"""The most weeks ``calendar --weeks`` and ``--past`` show (about 19 years)."""
MAX_DAYS = 36525
"""The longest ``report --days`` window (100 years)."""


def between(minimum: int, maximum: int) -> Callable[[str], int]:
    """argparse type: a whole number from ``minimum`` to ``maximum``."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not minimum <= number <= maximum:
            raise argparse.ArgumentTypeError(f"must be a whole number from {minimum} to {maximum}")
        return number

    return parse


def planning_day(text: str) -> dt.date:
    """argparse type for ``--now``: a day the plan's arithmetic can work with."""
    day = iso_day(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"must be a date between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
        )
    return day


def add_project_options(parser: argparse.ArgumentParser, now_help: str) -> None:
    """--root, --now and --debug, as the other commands spell them."""
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: here)"
    )
    parser.add_argument("--now", type=planning_day, metavar="YYYY-MM-DD", help=now_help)
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )


OUTPUT_DIR = "output"
"""The site's output folder (ROOT/output): everything in it gets deployed."""


def refuse_in_output(root: Path, target: Path, what: str, suggestion: str) -> bool:
    """True (after saying why on stderr) when ``target`` lies in the site's output folder.

    The calendar and the report list drafts and scheduled stories: written into output/ they
    would be published with the next deploy.
    """
    output = (root / OUTPUT_DIR).resolve()
    place = target.resolve()
    if place != output and output not in place.parents:
        return False
    print(
        f"brandsite: refusing to write {what} into {printable(str(output))}, the site's output "
        f"folder: everything there is published, and {what} lists drafts and scheduled "
        f"stories; write it outside, e.g. {suggestion}",
        file=sys.stderr,
    )
    return True


def open_project(root: Path) -> Project | None:
    """The project, or None after explaining on stderr why site.toml cannot be used."""
    project, problems = load_project(root.resolve())
    if project is None:
        print(format_text(problems), file=sys.stderr)
    return project


def note_problems(project: Project) -> None:
    """One line on stderr when content has problems: the plan may be incomplete."""
    if project.has_errors:
        print(
            f"note: the content has problems ({summary_line(project.problems)}); "
            "run `brandsite check` for details. Stories without a readable date are left out.",
            file=sys.stderr,
        )


def clock() -> dt.datetime:
    """The current moment; read only here, at the edge."""
    return dt.datetime.now(dt.UTC)


def today_of(project: Project, override: dt.date | None) -> dt.date:
    """``--now`` or today in the site's time zone."""
    return project_today(project.config, clock(), override)
