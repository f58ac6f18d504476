"""``brandsite build``: check everything, then write the site into the output folder."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..engine import unchanged
from ..engine.records import BuildOptions, BuildResult
from ..engine.writer import check_output_folder
from .common import EXIT_OK, add_site_options, build_options, report

PORTABLE_FOLDER = "output-portable"
"""Where ``--portable`` builds go unless told (``site.PORTABLE_FOLDER``)."""


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``build``."""
    parser = subcommands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site. Nothing is written unless every check passes.",
    )
    add_site_options(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"output folder (default: ROOT/output, with --portable ROOT/{PORTABLE_FOLDER})",
    )
    parser.add_argument(
        "--portable",
        action="store_true",
        help="a copy with relative links that opens from disk or zipped (no server needed)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not update .brandsite-cache/ (a clean build)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="render with N processes (default: one per core on big sites)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and report."""
    options = replace(
        build_options(args, args.output),
        output=_output_folder(args),
        jobs=max(0, args.jobs),
        progress=not args.quiet,
        portable=args.portable,
    )

    def waiting(pid: int | None) -> None:
        by = f" (started by pid {pid})" if pid else ""
        print(
            f"brandsite: waiting for another build of {_where(options.output)}{by}…",
            file=sys.stderr,
        )

    options = replace(options, on_lock_wait=waiting)
    result = _engine_build(options, cached=False) if args.no_cache else _build_with_cache(options)
    code = report(result)
    if code != EXIT_OK:
        print(
            f"brandsite: build failed; {_where(options.output)} was left as it was.",
            file=sys.stderr,
        )
        return code
    if not args.quiet:
        print(_summary(result, _where(options.output)))
    if result.portable is not None:
        if not args.quiet:
            print(
                f"Open {_where(options.output)}index.html from disk, or zip the folder and send it."
            )
        for note in result.portable.notes():
            print(note, file=sys.stderr)
    return EXIT_OK


def _build_with_cache(options: BuildOptions) -> BuildResult:
    """Skip the build when nothing changed since the last one; else build and remember it.

    Portable builds rewrite every file, so they are never skipped nor remembered.
    """
    started = time.perf_counter()
    check_output_folder(options.root, options.output)  # refused folders stay refused
    request = unchanged.Request(
        options.root,
        options.output,
        options.now,
        options.today,
        options.include_drafts,
        options.base_url,
    )
    before = None if options.portable else unchanged.look(request)
    if before is not None and before.memo is not None:
        return BuildResult(
            diagnostics=list(before.memo.diagnostics),
            files=len(before.memo.outputs),
            seconds=time.perf_counter() - started,
        )
    unchanged.forget(options.root)
    result = _engine_build(options, cached=True)
    if result.ok and before is not None:
        outside = [
            folder for folder in result.theme_folders if not folder.is_relative_to(options.root)
        ]
        unchanged.remember(
            request, before, result.timezone, outside, result.outputs, result.diagnostics
        )
    result.seconds = time.perf_counter() - started
    return result


def _engine_build(options: BuildOptions, cached: bool) -> BuildResult:
    """A real build, with the state of ``.brandsite-cache/`` (kept for the next one) or without.

    The engine is imported here, not at the top: a build the memo skips never loads it.
    """
    from ..engine.build import build
    from ..engine.incremental import BuildState

    state = BuildState.load(options.root) if cached else BuildState()
    result = build(options, state)
    if result.ok and cached:
        state.save(options.root)
    return result


def _output_folder(args: argparse.Namespace) -> Path:
    """The output folder as given, made absolute by name only: a link must be seen, not followed."""
    default = PORTABLE_FOLDER if args.portable else "output"
    given = args.output if args.output is not None else args.root.resolve() / default
    return Path(os.path.abspath(given))


def _summary(result: BuildResult, where: str) -> str:
    """``Built 1,234 files into output/ in 2.10 s.`` or what an incremental build changed."""
    if result.mode == "full":
        return f"Built {result.files:,} files ({result.pages:,} pages) into {where} in {result.seconds:.2f} s."
    if result.mode == "update":
        deleted = f", removed {len(result.deleted):,}" if result.deleted else ""
        return (
            f"Updated {len(result.written):,} of {result.files:,} files{deleted} in {where} "
            f"in {result.seconds:.2f} s."
        )
    return (
        f"Nothing changed: {where} is up to date ({result.files:,} files, {result.seconds:.2f} s)."
    )


def _where(output: Path) -> str:
    try:
        return output.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(output).rstrip("/") + "/"
