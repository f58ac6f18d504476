"""``brandsite translations``: missing, stale and orphaned translations per language; ``mark``."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from ..content.loading import STORIES_DIR
from ..editorial.marking import Mark, mark_text, plan_marks
from ..editorial.translations import format_translations, translation_status, translations_data
from ..errors import Diagnostic, error, format_text, json_for_terminals, printable
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .editorial_common import note_problems, open_project, planning_day, today_of


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``translations``, ``translations status`` and ``translations mark``."""
    parser = subcommands.add_parser(
        "translations",
        help="translations per language: missing, stale, orphaned; mark one as up to date",
        description=(
            "List, per language, the originals with no version in it, the translations made from "
            "an older text of their original (or never marked), and those whose original is "
            "missing. `mark FILE` records that a translation matches its original as it is now."
        ),
    )
    _status_options(parser, argparse.SUPPRESS)
    parser.set_defaults(run=run_status, root=Path("."), now=None, format="text", strict=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    status = actions.add_parser(
        "status",
        help="the list per language (the same as no action)",
        description="List missing, stale and orphaned translations per language.",
    )
    _status_options(status, argparse.SUPPRESS)
    status.set_defaults(run=run_status)
    mark = actions.add_parser(
        "mark",
        help="record that translations match their originals as they are now",
        description=(
            "Write `translated_from: <digest of the original's title, summary and body>` into "
            "each translation's front matter, changing nothing else in the file. Run it after "
            "bringing the translation up to date with its original."
        ),
    )
    mark.add_argument("files", nargs="+", metavar="FILE", help="a translation's file")
    _common(mark, argparse.SUPPRESS)
    mark.set_defaults(run=run_mark)


def _common(parser: argparse.ArgumentParser, default: object) -> None:
    """--root and --debug, given before or after the action (hence no defaults of their own)."""
    parser.add_argument("--root", type=Path, default=default, help="project folder (default: here)")
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="show Python tracebacks for internal errors",
    )


def _status_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options of the list: --root, --debug, --now, --format, --strict."""
    _common(parser, default)
    parser.add_argument(
        "--now",
        type=planning_day,
        metavar="YYYY-MM-DD",
        default=default,
        help="as if today were this day (which stories are published, scheduled, expired)",
    )
    parser.add_argument("--format", choices=("text", "json"), default=default)
    parser.add_argument(
        "--strict",
        action="store_true",
        default=default,
        help="exit with 1 when a translation is missing, stale or orphaned (for CI)",
    )


def run_status(args: argparse.Namespace) -> int:
    """Print the translations per language."""
    project = open_project(args.root)
    if project is None:
        return EXIT_USAGE
    config = project.config
    if not config.multilingual:
        print(
            f"The site publishes one language ({printable(config.language)}): there is nothing "
            'to translate. To publish more, list them in site.toml, e.g. languages = ["de", "en"].'
        )
        return EXIT_OK
    note_problems(project)
    report = translation_status(config, project.stories, today_of(project, args.now))
    if args.format == "json":
        data = {"today": report.today.isoformat(), "languages": translations_data(report)}
        print(json_for_terminals(data))
    else:
        print(format_translations(report))
    return EXIT_PROBLEMS if args.strict and report.needs_work else EXIT_OK


def run_mark(args: argparse.Namespace) -> int:
    """Check every FILE first; write only when all of them can be marked."""
    root = Path(args.root).resolve()
    project = open_project(root)
    if project is None:
        return EXIT_USAGE
    sources, problems = [], []
    for written in args.files:
        source = _source(root, written)
        if isinstance(source, Diagnostic):
            problems.append(source)
        else:
            sources.append(source)
    marks, found = plan_marks(project.config, project.stories, sources)
    problems += found
    texts: dict[str, str] = {}
    for mark in marks:
        if not mark.current:
            text = _read(root, mark)
            if isinstance(text, Diagnostic):
                problems.append(text)
            else:
                texts[mark.source] = text
    if problems:
        print(format_text(problems), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    for mark in marks:
        shown, original = printable(mark.source), printable(mark.original)
        if mark.current:
            print(f"{shown} is already marked as made from {original} as it is now.")
            continue
        _write(root / mark.source, mark_text(texts[mark.source], mark.digest, mark.line))
        print(f"Marked {shown}: translated from {original} as it is now ({mark.digest}).")
    return EXIT_OK


def _source(root: Path, written: str) -> str | Diagnostic:
    """The project path of FILE (as given, from here or from ROOT), or why it names no story."""
    path = Path(written)
    if not path.is_absolute() and not path.exists():
        path = root / path  # named from the project's folder (--root)
    path = path.resolve()
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        return error(
            written,
            0,
            "not-a-story",
            f"the file is not in the project ({printable(str(root))})",
            f"name a translation in {STORIES_DIR}/, or pass --root with the project's folder",
        )
    if not path.is_file():
        return error(
            source,
            0,
            "not-a-story",
            "there is no such file",
            f"name a translation's file in {STORIES_DIR}/, e.g. {STORIES_DIR}/anna.en.md",
        )
    if not source.startswith(STORIES_DIR + "/") or not source.lower().endswith(".md"):
        return error(
            source,
            0,
            "not-a-story",
            f"the file is not a story: stories are the .md files in {STORIES_DIR}/",
            f"name a translation's file in {STORIES_DIR}/",
        )
    return source


def _read(root: Path, mark: Mark) -> str | Diagnostic:
    """The file's text exactly as stored (line endings and a byte-order mark included)."""
    try:
        text = (root / mark.source).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return error(
            mark.source, 0, "unreadable-file", "cannot read the file", "run `brandsite check`"
        )
    if re.search(r"\r(?!\n)", text):
        return error(
            mark.source,
            0,
            "lone-carriage-return",
            "the file ends some lines with a carriage return alone (an old Mac convention), so "
            "its lines cannot be edited safely",
            "save it with ordinary line endings (LF or CRLF), then mark it again",
        )
    return text


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once, keeping its permissions: readers never see half a file."""
    mode = path.stat().st_mode & 0o777
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(text.encode("utf-8"))
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
