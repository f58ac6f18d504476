"""``brandsite check``: every check of a build, nothing written."""

from __future__ import annotations

import argparse
import sys

from ..content.entries import StoryEntry
from ..content.linking import on_site_day
from ..content.publishing import PublishOptions, left_out
from ..engine.build import check_project, site_today
from ..engine.incremental import BuildState
from ..errors import Severity, summary_line
from .common import EXIT_OK, EXIT_PROBLEMS, add_site_options, build_options, count, report


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``check``."""
    parser = subcommands.add_parser(
        "check",
        help="check content, settings and theme without building",
        description="Check everything a build checks; write nothing.",
    )
    add_site_options(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for scripts, github for workflow annotations",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (also: [check] strict = true in site.toml)",
    )
    parser.set_defaults(run=run)


def _roles(count: int) -> str:
    """`` and 5 open roles`` when the site has open roles, else nothing."""
    if not count:
        return ""
    return f" and {count} open role{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """Check and report."""
    options = build_options(args)
    state = BuildState()
    checked, result = check_project(options, state)
    if checked is not None:
        # Template mistakes only show when pages render, so render them (into memory).
        from ..engine.outputs import render_site

        for _ in render_site(args.root.resolve(), checked, result):
            pass
        # Damaged pictures only show when decoded; the cache remembers the good ones.
        from ..pictures.responsive import IMAGE_CACHE_DIR, verify_images

        root = args.root.resolve()
        result.diagnostics += verify_images(root, checked.site.images, root / IMAGE_CACHE_DIR)
        # Share cards: a title too long for its card, letters its font lacks (nothing drawn).
        from ..share.publish import CARD_CACHE_DIR, check_cards, plan_cards

        if checked.cards is not None:
            cards = plan_cards(checked.site.stories, checked.cards)
            result.diagnostics += check_cards(cards, root / CARD_CACHE_DIR)
    stream = sys.stdout if args.format != "text" else sys.stderr
    code = report(result, args.format, stream)
    strict = args.strict or (checked is not None and checked.config.check.strict)
    warnings = count(result, Severity.WARNING)
    if strict and code == EXIT_OK and warnings:
        because = "--strict" if args.strict else "[check] strict = true in site.toml"
        print(
            f"Failing on {_warnings(warnings)}: strict checking is on ({because}).",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.format == "text" and code == EXIT_OK and checked is not None:
        stories = len(checked.site.stories)
        tail = f"; {summary_line(result.diagnostics)}" if result.diagnostics else ""
        today = options.today or site_today(options.now, checked.config.timezone)
        publish = PublishOptions(today=today, include_drafts=options.include_drafts)
        entries = [p.entry for p in state.parsed.values() if isinstance(p.entry, StoryEntry)]
        waiting = left_out_stories(entries, publish, checked.config.timezone)
        print(
            f"All good: {_stories(stories)}{_roles(len(checked.site.roles))} would be published"
            + (f", {len(waiting)} left out" if waiting else "")
            + f"{tail}."
        )
        for source, reason in waiting:
            print(f"  left out: {source} ({reason})")
    return code


def left_out_stories(
    entries: list[StoryEntry], options: PublishOptions, timezone: str
) -> list[tuple[str, str]]:
    """(source, reason) of every story a build leaves out: drafts, scheduled, expired."""
    found = []
    for entry in sorted(entries, key=lambda e: e.source):
        reason = left_out(on_site_day(entry, timezone, []), options)
        if reason is not None:
            found.append((entry.source, reason))
    return found


def _warnings(number: int) -> str:
    return f"{number} {'warning' if number == 1 else 'warnings'}"


def _stories(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"
