"""``brandsite init DIR``: start a company's site that checks and builds at once.

Writes site.toml, the values, one draft story, ``.gitignore``, the two GitHub workflows (brandsite's
own check.yml and deploy.yml, pinned to this version) and ``.pre-commit-config.yaml``. It asks in a
terminal, takes flags otherwise, and falls back to defaults, so it never waits for input that
cannot come. Everything is composed first; nothing is written if DIR already holds a site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..content.config import CONFIG_FILE, toml_line
from ..content.loading import VALUES_DIR
from ..editorial.scaffold import Ask, Say
from ..editorial.scaffold import write_new as write_new_file
from ..errors import Diagnostic, error, format_text, warning
from .common import EXIT_OK, EXIT_USAGE, base_url_argument, iso_day
from .init_files import (
    Answers,
    config_problems,
    defaults,
    project_files,
    site_toml,
    split_values,
    value_slugs,
)

REFUSED = (CONFIG_FILE, "content")
"""What makes DIR a site already: init stops before writing anything."""


def ask_answers(given: Answers, ask: Ask, say: Say) -> Answers:
    """Ask for each field not given, offering its default; when input ends, defaults for the rest."""
    answers = given
    say("A new brandsite site. Press Enter to take the suggestion in [brackets].")
    try:
        for field, prompt in (
            ("company", "Company name"),
            ("language", "Language of the site, e.g. en or de"),
            ("title", "Site title"),
            ("base_url", "Address the site will be served from"),
        ):
            if getattr(answers, field) is None:
                answers = _ask_field(answers, field, prompt, ask, say)
        if not answers.values:
            suggestion = ", ".join(defaults(answers).values)
            answer = ask(f"Corporate values, comma-separated [{suggestion}]: ")
            answers = replace(answers, values=split_values(answer))
    except EOFError:
        say("")  # input ended (Ctrl-D, or a pipe ran dry): the suggestions for the rest
    return defaults(answers)


def _ask_field(answers: Answers, field: str, prompt: str, ask: Ask, say: Say) -> Answers:
    """Ask until the answer makes a site.toml that ``check`` accepts on that field's line."""
    while True:
        suggestion = getattr(defaults(answers), field)
        answer = ask(f"{prompt} [{suggestion}]: ").strip()
        changes: dict[str, Any] = {field: answer or suggestion}
        trial = replace(answers, **changes)
        text = site_toml(defaults(trial))
        line = toml_line(text, field)
        problem = next((p for p in config_problems(text) if p.line == line), None)
        if problem is None:
            return trial
        say(f"  {problem.message}" + (f" ({problem.hint})" if problem.hint else ""))


def refusals(target: Path, files: dict[str, str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors that stop init, warnings for files kept as they are) in ``target``."""
    shown = target.as_posix().rstrip("/") or "."
    if target.exists() and not target.is_dir():
        return [error(shown, 0, "init-exists", f"{shown} is a file", "name a new folder")], []
    stops = [
        error(
            f"{shown}/{name}",
            0,
            "init-exists",
            f"{shown} already has {name}: it holds a brandsite site, and init changes nothing",
            "run `brandsite init` with a new folder name, or `brandsite check` in this one",
        )
        for name in REFUSED
        if (target / name).exists() or (target / name).is_symlink()
    ]
    kept = [
        warning(
            f"{shown}/{name}",
            0,
            "init-kept",
            f"{name} exists already and was kept as it is",
            "compare it with what brandsite writes: `brandsite init` in an empty folder",
        )
        for name in sorted(files)
        if name not in REFUSED and ((target / name).exists() or (target / name).is_symlink())
    ]
    return stops, kept


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``init``."""
    parser = subcommands.add_parser(
        "init",
        help="start a new site in a folder",
        description=(
            "Write a new site into DIR: site.toml, values, a draft story, .gitignore, GitHub "
            "workflows and a pre-commit hook. Asks in a terminal; with flags (or without a "
            "terminal) it asks nothing. Never overwrites."
        ),
    )
    parser.add_argument(
        "dir", nargs="?", type=Path, default=Path("."), help="the new site's folder"
    )
    parser.add_argument("--company", help="the employer's name")
    parser.add_argument("--title", help="the site's name (default: Careers at COMPANY)")
    parser.add_argument("--base-url", type=base_url_argument, metavar="URL", help="its address")
    parser.add_argument("--language", help="the site's language, e.g. en or de (default: en)")
    parser.add_argument("--timezone", default="UTC", help="time zone, e.g. Europe/Berlin")
    parser.add_argument("--values", metavar="A,B", help='value titles, e.g. "Mut,Neugier"')
    parser.add_argument("--now", type=iso_day, metavar="YYYY-MM-DD", help="count dates from here")
    asking = parser.add_mutually_exclusive_group()
    asking.add_argument("--interactive", action="store_true", help="ask even without a terminal")
    asking.add_argument("--no-input", action="store_true", help="never ask, even in a terminal")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Gather the answers, compose every file, refuse or write them all."""
    given = Answers(
        company=_clean(args.company),
        title=_clean(args.title),
        base_url=args.base_url,
        language=_clean(args.language),
        values=split_values(args.values or ""),
        timezone=args.timezone,
    )
    if args.values is not None and not given.values:
        return _usage('--values: name at least one value, e.g. --values "Mut,Neugier"')
    if args.interactive or (not args.no_input and sys.stdin.isatty()):
        answers = ask_answers(given, input, print)
    else:
        answers = defaults(given)
    values, problem = value_slugs(answers.values)
    if problem:
        return _usage(problem)
    today = args.now or dt.date.today()
    files = project_files(answers, values, today, __version__)
    target: Path = args.dir
    stops, kept = refusals(target, files)
    stops += config_problems(files[CONFIG_FILE])
    if stops:
        print(format_text(stops + kept), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    if kept:
        print(format_text(kept), file=sys.stderr)
    written = [name for name in files if write_new_file(target / name, files[name])]
    return _report(target, written, len(values))


def _report(target: Path, written: list[str], values: int) -> int:
    where = target.as_posix()
    print(f"Wrote {len(written)} files into {where}/:")
    for name in written:
        print(f"  {name}")
    steps = [f"cd {shlex.quote(where)}"] if where != "." else []
    steps += [
        "brandsite serve             # the site at http://127.0.0.1:8000/, rebuilt on every save",
        f"edit {VALUES_DIR}/*.md    # what your {values} values mean",
        "brandsite new story         # a story (the example in content/stories/ is a draft)",
        "brandsite new theme NAME    # your logo, colours and CSS (THEMING.md)",
    ]
    print("Next:\n" + "\n".join(f"  {step}" for step in steps))
    return EXIT_OK


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _usage(message: str) -> int:
    print(f"brandsite init: {message}; nothing was written", file=sys.stderr)
    return EXIT_USAGE
