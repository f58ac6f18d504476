"""What the editorial commands share at the edge: options, loading with messages, the clock."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from ..editorial.project import Project, load_project, project_today
from ..errors import format_text, summary_line
from .common import iso_day


def at_least(minimum: int) -> Callable[[str], int]:
    """argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more")
        return number

    return parse


def add_project_options(parser: argparse.ArgumentParser, now_help: str) -> None:
    """--root, --now and --debug, as the other commands spell them."""
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: here)"
    )
    parser.add_argument("--now", type=iso_day, metavar="YYYY-MM-DD", help=now_help)
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )


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
