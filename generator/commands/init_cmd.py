"""``brandsite init DIR``: start a company's site that checks and builds at once.

Writes site.toml, the values, one draft story, ``.gitignore``, the two GitHub workflows (brandsite's
own check.yml and deploy.yml, pinned to this version) and ``.pre-commit-config.yaml``. It asks in a
terminal, takes flags otherwise, and falls back to defaults, so it never waits for input that
cannot come. Everything is composed first; nothing is written if DIR already holds a site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shlex
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import CONFIG_FILE, SiteConfig, check_config, toml_line
from ..editorial.scaffold import Ask, Say, StoryFields, ValueChoice, story_text, value_text
from ..editorial.scaffold import write_new as write_new_file
from ..entries import SLUG_RE, slugify
from ..errors import Diagnostic, error, format_text, warning
from ..loading import STORIES_DIR, VALUES_DIR
from ..schema import to_dataclass
from .common import EXIT_OK, EXIT_USAGE, base_url_argument, iso_day

_PACKAGE = Path(__file__).resolve().parent.parent
WORKFLOWS = ("check.yml", "deploy.yml")
"""brandsite's own workflows that a content repository uses as they are, with the version pinned."""
REFUSED = (CONFIG_FILE, "content")
"""What makes DIR a site already: init stops before writing anything."""
BUFFER_DAYS = 14
PRE_COMMIT_HOOK = {
    "id": "brandsite-check",
    "name": "brandsite check",
    "entry": "brandsite check",
    "language": "python",
    "pass_filenames": False,
    "require_serial": True,
    "files": r"^(content/|themes/|site\.toml$)",
}
"""The hook of brandsite's ``.pre-commit-hooks.yaml``, run from PyPI instead of a git checkout."""


@dataclass(frozen=True)
class Answers:
    """What the new site is called and where it lives; None means "not given yet"."""

    company: str | None = None
    title: str | None = None
    base_url: str | None = None
    language: str | None = None
    values: tuple[str, ...] = ()
    timezone: str = "UTC"


def defaults(given: Answers) -> Answers:
    """Every unanswered field filled in, in the site's language (German or English)."""
    language = given.language or "en"
    german = language.lower().startswith("de")
    company = given.company or ("Beispiel GmbH" if german else "Example Company")
    return replace(
        given,
        company=company,
        language=language,
        title=given.title or (f"Karriere bei {company}" if german else f"Careers at {company}"),
        base_url=given.base_url or "https://careers.example.com/",
        values=given.values
        or (
            ("Innovation", "Teamgeist", "Verantwortung")
            if german
            else ("Innovation", "Teamwork", "Responsibility")
        ),
    )


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


def split_values(text: str) -> tuple[str, ...]:
    """``"Mut, Verantwortung,Neugier"`` → the titles, stripped, empty items dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def value_slugs(titles: Sequence[str]) -> tuple[list[ValueChoice], str]:
    """Each title with its slug (``Verantwortung`` → ``verantwortung``), or a problem to report."""
    choices: list[ValueChoice] = []
    for title in titles:
        slug = slugify(title)
        if not slug or not SLUG_RE.fullmatch(slug):
            return [], f"the value `{title}` has no letters or digits to make a file name from"
        same = next((c for c in choices if c.slug == slug), None)
        if same is not None:
            return (
                [],
                f"the values `{same.title}` and `{title}` would both be {VALUES_DIR}/{slug}.md",
            )
        choices.append(ValueChoice(slug, title))
    return choices, ""


def toml_text(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def site_toml(answers: Answers) -> str:
    """The new site.toml: the answers, and the settings marketing changes next, commented."""
    assert answers.company and answers.title and answers.base_url and answers.language
    german = answers.language.lower().startswith("de")
    description = (
        f"Lernen Sie die Menschen bei {answers.company} kennen, in ihren eigenen Worten."
        if german
        else f"Meet the people of {answers.company}, in their own words."
    )
    return f"""\
# brandsite settings. README.md "Site settings" lists every key; `brandsite check` checks them.
title = {toml_text(answers.title)}
company = {toml_text(answers.company)}
# One or two sentences: the home page's description for search engines and social media.
description = {toml_text(description)}
# The full address the site is served from (a sub-path such as /careers/ works too).
base_url = {toml_text(answers.base_url)}
language = {toml_text(answers.language)}
# Decides which day it is for scheduled stories, e.g. "Europe/Berlin".
timezone = {toml_text(answers.timezone)}
# "default" comes with brandsite. `brandsite new theme NAME` starts a theme of your own.
theme = "default"

[calendar]
# How many days ahead scheduled stories should reach (`brandsite calendar` warns below it).
buffer_days = {BUFFER_DAYS}

[brand]
# Colours, fonts, logo and the call to action (THEMING.md section 3). Remove the # to use a line.
# primary_color = "#0b5cad"
# text_color = "#1c2430"
# background_color = "#ffffff"
# logo = "logo.svg"   (a file in your theme's static/ folder; without one the header shows the company)
# cta_label = "See open positions"
# cta_url = "https://jobs.example.com/"
"""


def value_description(title: str, company: str, german: bool) -> str:
    """A first description that can be published, saying what to write instead."""
    if german:
        return (
            f"{title} ist einer der Werte von {company}. Beschreiben Sie hier, was Menschen bei "
            f"{company} tun, wenn sie diesen Wert leben, mit ein oder zwei Beispielen."
        )
    return (
        f"{title} is one of {company}'s values. Describe here what people at {company} do when "
        "they live it, with an example or two."
    )


def pinned_workflow(text: str, version: str) -> str:
    """brandsite's workflow with ``BRANDSITE: "."`` (this checkout) replaced by the release."""
    lines = text.splitlines(keepends=True)
    at = next(
        (i for i, line in enumerate(lines) if re.fullmatch(r'\s*BRANDSITE: "\."\s*', line)), None
    )
    if at is None:
        raise ValueError('the workflow has no line BRANDSITE: "." to pin')
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    start = at
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1  # the comment above explains "." for brandsite's own repository
    pinned = [
        f"{indent}# The brandsite release this site is built with (written by `brandsite init`).\n",
        f"{indent}# To upgrade, raise it here and in .pre-commit-config.yaml, and run the check.\n",
        f'{indent}BRANDSITE: "brandsite=={version}"\n',
    ]
    return "".join(lines[:start] + pinned + lines[at + 1 :])


def pre_commit_config(version: str) -> str:
    """A local hook that installs this brandsite release from PyPI and runs ``brandsite check``."""
    hook = PRE_COMMIT_HOOK
    return f"""\
# Runs `brandsite check` before each commit (https://pre-commit.com): pip install pre-commit,
# then `pre-commit install`. It uses the same brandsite release as the workflows.
repos:
  - repo: local
    hooks:
      - id: {hook["id"]}
        name: {hook["name"]}
        entry: {hook["entry"]}
        language: {hook["language"]}
        additional_dependencies: ["brandsite=={version}"]
        pass_filenames: {str(hook["pass_filenames"]).lower()}
        require_serial: {str(hook["require_serial"]).lower()}
        files: {hook["files"]}
"""


GITIGNORE = """\
# What brandsite writes: the built site, its staging folders and lock, the build cache, reports.
/output/
/.output.*/
/.output.lock
.brandsite-cache/
/reports/
"""


def workflows_dir() -> Path:
    """brandsite's workflows: in the package, or in the repository of a checkout."""
    packaged = _PACKAGE / "builtin_workflows"
    return packaged if packaged.is_dir() else _PACKAGE.parent / ".github" / "workflows"


def project_files(
    answers: Answers, values: Sequence[ValueChoice], today: dt.date, version: str
) -> dict[str, str]:
    """Every file of the new site by its path in DIR."""
    assert answers.company and answers.language
    german = answers.language.lower().startswith("de")
    files = {CONFIG_FILE: site_toml(answers)}
    for order, value in enumerate(values, start=1):
        description = value_description(value.title, answers.company, german)
        files[f"{VALUES_DIR}/{value.slug}.md"] = value_text(value.title, "", order, description)
    story = StoryFields(
        title="Unsere erste Geschichte" if german else "Our first story",
        author="Eine Kollegin" if german else "A colleague",
        values=(values[0].slug,),
        date=today + dt.timedelta(days=BUFFER_DAYS),
        draft=True,
    )
    assert story.title
    files[f"{STORIES_DIR}/{slugify(story.title)}.md"] = story_text(story, values)
    files[".gitignore"] = GITIGNORE
    for name in WORKFLOWS:
        text = (workflows_dir() / name).read_text(encoding="utf-8")
        files[f".github/workflows/{name}"] = pinned_workflow(text, version)
    files[".pre-commit-config.yaml"] = pre_commit_config(version)
    return files


def config_problems(text: str) -> list[Diagnostic]:
    """What ``brandsite check`` would say about the new site.toml (a bad --language, say)."""
    data = tomllib.loads(text)
    config, problems = to_dataclass(SiteConfig, data, CONFIG_FILE, lambda k: toml_line(text, k))
    return problems if config is None else check_config(config, text)


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


def add_parser(subcommands: argparse._SubParsersAction) -> None:
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
