"""``brandsite jobs import``: open roles from an applicant-tracking system into content/jobs/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..content.config import load_config
from ..errors import Diagnostic, format_text, has_errors, printable
from ..roles.importer import FORMATS, feed_language, plan_import
from ..roles.mapping import ImportSettings
from ..roles.model import JOBS_DIR
from ..roles.sync import apply_sync, read_existing
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``jobs`` and its ``import``."""
    parser = subcommands.add_parser(
        "jobs",
        help="open roles: import them from Personio, Greenhouse or Lever",
        description="Open roles, one file per role in content/jobs/.",
    )
    actions = parser.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="write content/jobs/ from an ATS feed (a file or an https address)",
        description=(
            "Read the open roles of an applicant-tracking system and write one file per role "
            "into content/jobs/: new roles are added, changed ones updated, roles gone from the "
            "feed removed (only files an import of the same ATS wrote). Nothing changes when the "
            "feed did not; a broken feed changes nothing at all."
        ),
    )
    importer.add_argument(
        "--from", dest="ats", choices=FORMATS, required=True, help="the feed's system"
    )
    importer.add_argument(
        "source", metavar="SOURCE", help="the feed: a file, or an https:// address"
    )
    importer.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: here)"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="say what would change, change nothing"
    )
    importer.add_argument(
        "--allow-empty",
        action="store_true",
        help="accept a feed with no roles at all (and so remove every imported role)",
    )
    importer.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )
    importer.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Fetch, check, plan; write only when the whole feed was fine."""
    root = args.root.resolve()
    config, problems = load_config(root)
    if config is None:
        _report(problems)
        return EXIT_USAGE
    if (root / JOBS_DIR).is_symlink():
        print(
            f"brandsite: {JOBS_DIR} is a link to another folder; the import writes only into a "
            "real folder of the project",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from ..roles.fetch import read_feed  # urllib.request and http: only this command needs them

    data = read_feed(args.source)
    if isinstance(data, Diagnostic):
        _report([data])
        return EXIT_PROBLEMS
    settings = ImportSettings(
        source=args.ats,
        teams=config.jobs.teams,
        type_words=config.jobs.employment_types,
        timezone=config.timezone,
        lang=config.jobs.lang or feed_language(args.source),
    )
    plan, problems = plan_import(
        data, args.source, settings, read_existing(root), config.jobs.board_url
    )
    _report(problems)
    if plan is None or has_errors(problems):
        print("brandsite: the feed was not imported; no file was changed.", file=sys.stderr)
        return EXIT_PROBLEMS
    if plan.removed and not (plan.added or plan.updated or plan.unchanged) and not args.allow_empty:
        # An ATS having a bad minute answers with an empty board; that must not empty the site.
        print(
            f"brandsite: the feed lists no roles, so all {len(plan.removed)} imported roles would "
            "be removed; nothing was changed. If no role is open any more, run again with "
            "--allow-empty.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if not args.dry_run:
        apply_sync(root, plan)
    for label, sources in (
        ("added", plan.added),
        ("updated", plan.updated),
        ("removed", plan.removed),
    ):
        for source in sources:
            print(f"  {label:8} {printable(source)}")
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} from {args.ats}: {plan.summary()}.")
    return EXIT_OK


def _report(problems: list[Diagnostic]) -> None:
    if problems:
        print(format_text(problems), file=sys.stderr)
