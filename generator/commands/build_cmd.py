"""``brandsite build``: check everything, then write the site into the output folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build import build
from .common import EXIT_OK, add_site_options, build_options, report


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register ``build``."""
    parser = subcommands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site. Nothing is written unless every check passes.",
    )
    add_site_options(parser)
    parser.add_argument("--output", "-o", type=Path, help="output folder (default: ROOT/output)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and report."""
    options = build_options(args, args.output)
    result = build(options)
    code = report(result)
    if code != EXIT_OK:
        print(
            f"brandsite: build failed; {_where(options.output)} was left as it was.",
            file=sys.stderr,
        )
        return code
    if not args.quiet:
        files = len(result.written)
        print(
            f"Built {result.pages} pages ({files} files) into {_where(options.output)} "
            f"in {result.seconds:.2f} s."
        )
    return EXIT_OK


def _where(output: Path) -> str:
    try:
        return output.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(output)
