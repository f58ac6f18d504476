"""Options and reporting shared by the sub-commands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from ..content.config import base_url_problem
from ..engine.records import BuildOptions, BuildResult
from ..errors import FORMATTERS, Severity

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def iso_day(text: str) -> dt.date:
    """argparse type for ``--now YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def base_url_argument(text: str) -> str:
    """argparse type for ``--base-url``: the same character rule as ``base_url`` in site.toml."""
    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem.replace("base_url", "the address", 1))
    return text


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """--root, --drafts, --now, --base-url, --debug."""
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: here)"
    )
    parser.add_argument(
        "--drafts", action="store_true", help="include stories marked `draft: true`"
    )
    parser.add_argument(
        "--now",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="build as if today were this day (scheduled stories)",
    )
    parser.add_argument(
        "--base-url",
        type=base_url_argument,
        metavar="URL",
        help="override base_url from site.toml",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )


def build_options(args: argparse.Namespace, output: Path | None = None) -> BuildOptions:
    """BuildOptions from the parsed arguments; the clock is read here, at the edge."""
    root = args.root.resolve()
    return BuildOptions(
        root=root,
        output=(output or root / "output").resolve(),
        now=dt.datetime.now(dt.UTC),
        today=args.now,
        include_drafts=args.drafts,
        base_url=args.base_url,
    )


def report(result: BuildResult, fmt: str = "text", stream: TextIO | None = None) -> int:
    """Print the problems in ``fmt``; return the exit code they call for."""
    stream = stream or sys.stderr
    if result.diagnostics or fmt == "json":
        print(FORMATTERS[fmt](result.diagnostics), file=stream)
    if not result.ok:
        return EXIT_USAGE if result.config_error else EXIT_PROBLEMS
    return EXIT_OK


def count(result: BuildResult, severity: Severity) -> int:
    """How many problems of ``severity``."""
    return sum(d.severity is severity for d in result.diagnostics)
