"""``brandsite check``: every check of a build, nothing written."""

from __future__ import annotations

import argparse
import sys

from ..build import check_project
from ..errors import summary_line
from .common import EXIT_OK, add_site_options, build_options, report


def add_parser(subcommands: argparse._SubParsersAction) -> None:
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check and report."""
    checked, result = check_project(build_options(args))
    if checked is not None:
        # Template mistakes only show when pages render, so render them (into memory).
        from ..jobs import render_site

        for _ in render_site(args.root.resolve(), checked, result):
            pass
        # Damaged pictures only show when decoded; the cache remembers the good ones.
        from ..images import CACHE_DIR, verify_images

        root = args.root.resolve()
        result.diagnostics += verify_images(root, checked.site.images, root / CACHE_DIR)
    stream = sys.stdout if args.format != "text" else sys.stderr
    code = report(result, args.format, stream)
    if args.format == "text" and code == EXIT_OK:
        stories = len(checked.site.stories) if checked else 0
        tail = f"; {summary_line(result.diagnostics)}" if result.diagnostics else ""
        print(f"All good: {stories} stories would be published{tail}.")
    return code
