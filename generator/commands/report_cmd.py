"""``brandsite report``: value coverage as a table and as a self-contained HTML page."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..editorial.coverage import coverage
from ..editorial.report_html import render_report
from ..editorial.roles import format_roles_without_story, role_json, roles_without_story
from ..editorial.text import coverage_json, format_coverage
from ..editorial.translations import format_translations, translation_status, translations_data
from ..errors import printable
from .common import EXIT_OK, EXIT_USAGE
from .editorial_common import (
    MAX_DAYS,
    add_project_options,
    between,
    note_problems,
    open_project,
    refuse_in_output,
    today_of,
)

REPORT_DIR = "reports"


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``report``."""
    parser = subcommands.add_parser(
        "report",
        help="value coverage: stories per value and team, values without recent stories",
        description=(
            "Count published stories per value (all time and recently), find values with no "
            "recent story, count stories per team; print a table and write an HTML report "
            "(not part of the site)."
        ),
    )
    add_project_options(parser, "report as if today were this day")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for the HTML report, index.html (default: ROOT/{REPORT_DIR})",
    )
    parser.add_argument(
        "--days",
        type=between(1, MAX_DAYS),
        default=90,
        help=f'what "recent" means, in days, up to {MAX_DAYS} (default: 90)',
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Count, print, write the page."""
    root = args.root.resolve()
    out = (args.out or root / REPORT_DIR).resolve()
    if refuse_in_output(root, out, "the report", f"--out {REPORT_DIR}/"):
        return EXIT_USAGE
    project = open_project(root)
    if project is None:
        return EXIT_USAGE
    note_problems(project)
    config = project.config
    today = today_of(project, args.now)
    # A story and its translations are one story for value coverage; languages count apart.
    stories = [s for s in project.stories if s.translation_of is None or not config.multilingual]
    report = coverage(stories, project.values, today, args.days, config.require_consent)
    unmatched = roles_without_story(project.jobs, project.stories, today, config.require_consent)
    languages = translation_status(config, project.stories, today) if config.multilingual else None
    if args.format == "json":
        more = {"roles_without_story": [role_json(j) for j in unmatched]}
        if languages is not None:
            more["languages"] = translations_data(languages)
        print(coverage_json(report, more))
    else:
        sections = [format_roles_without_story(unmatched)]
        if languages is not None:
            sections.append(format_translations(languages))
        print(format_coverage(report, config.title) + "".join(f"\n\n{s}" for s in sections if s))
    page = render_report(
        report, config.title, len(project.stories), config.language, unmatched, languages
    )
    try:
        write_atomically(out / "index.html", page)
    except OSError as exc:
        print(
            f"brandsite: cannot write the report into {printable(str(out))}: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"Wrote the report to {printable(str(out / 'index.html'))}.", file=sys.stderr)
    return EXIT_OK


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` so readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
