"""``brandsite calendar``: the editorial plan by week, drafts waiting, buffer warnings, .ics export."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from ..editorial.planning import plan_calendar
from ..editorial.roles import format_roles_closing, role_json, roles_closing
from ..editorial.text import calendar_json, format_calendar
from ..errors import printable
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .editorial_common import (
    MAX_WEEKS,
    add_project_options,
    between,
    clock,
    note_problems,
    open_project,
    refuse_in_output,
    today_of,
)


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``calendar``."""
    parser = subcommands.add_parser(
        "calendar",
        help="the editorial plan: stories by week, drafts, buffer warnings",
        description=(
            "Show published and scheduled stories by week and the drafts waiting; warn when the "
            "scheduled stories reach less than calendar.buffer_days ahead or a week in the buffer "
            "has nothing planned."
        ),
    )
    add_project_options(parser, "plan as if today were this day")
    parser.add_argument(
        "--weeks",
        type=between(0, MAX_WEEKS),
        default=6,
        help=f"weeks to show from this week on, up to {MAX_WEEKS} (default: 6)",
    )
    parser.add_argument(
        "--past",
        type=between(0, MAX_WEEKS),
        default=2,
        metavar="WEEKS",
        help=f"weeks to show before this one, up to {MAX_WEEKS} (default: 2)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--ics", type=Path, metavar="FILE", help="also write the plan as an iCalendar file"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with 1 when there are warnings (for CI)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Plan, print, export."""
    if args.ics and refuse_in_output(
        args.root.resolve(), args.ics, "the calendar", "--ics reports/plan.ics"
    ):
        return EXIT_USAGE
    project = open_project(args.root)
    if project is None:
        return EXIT_USAGE
    note_problems(project)
    config = project.config
    today = today_of(project, args.now)
    plan = plan_calendar(
        project.stories,
        today,
        args.weeks,
        config.calendar.buffer_days,
        past_weeks=args.past,
        require_consent=config.require_consent,
        languages=config.languages,
    )
    closing = roles_closing(project.jobs, today)
    if args.format == "json":
        print(calendar_json(plan, {"roles_closing": [role_json(job) for job in closing]}))
    else:
        section = format_roles_closing(closing, today)
        print(
            format_calendar(plan, config.title, config.timezone)
            + (f"\n\n{section}" if section else "")
        )
    if args.ics:
        # With --now the stamp is that day's midnight, so the file is reproducible.
        stamp = (
            dt.datetime.combine(args.now, dt.time(), ZoneInfo(config.timezone))
            if args.now
            else clock()
        )
        titles = {v.slug.value: v.title for v in project.values}
        from ..editorial.ics import calendar_ics  # icalendar costs every other command 0.1 s

        titles_in: dict[str, dict[str, str]] = {}
        for value in project.value_translations:
            if value.lang and value.translation_of is not None:
                titles_in.setdefault(value.lang, {})[value.translation_of.value] = value.title
        data = calendar_ics(plan.stories, config, stamp, titles, titles_in)
        try:
            args.ics.parent.mkdir(parents=True, exist_ok=True)
            args.ics.write_bytes(data)
        except OSError as exc:
            print(
                f"brandsite: cannot write {printable(str(args.ics))}: {exc.strerror}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(f"Wrote {len(plan.stories)} stories to {printable(str(args.ics))}.", file=sys.stderr)
    if args.strict and plan.warnings:
        return EXIT_PROBLEMS
    return EXIT_OK
