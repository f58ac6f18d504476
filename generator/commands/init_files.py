"""The files ``brandsite init`` writes, composed as text: pure functions, nothing is read but
brandsite's own workflow files.

The workflows are brandsite's own check.yml and deploy.yml with the version pinned, so a content
repository runs what brandsite's repository tests; the pre-commit hook is the one in brandsite's
``.pre-commit-hooks.yaml``, installed from PyPI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.config import CONFIG_FILE, SiteConfig, check_config, toml_line
from ..content.entries import SLUG_RE, slugify
from ..content.loading import STORIES_DIR, VALUES_DIR
from ..content.schema import to_dataclass
from ..editorial.scaffold import StoryFields, ValueChoice, story_text, value_text
from ..errors import Diagnostic

_PACKAGE = Path(__file__).resolve().parent.parent
WORKFLOWS = ("check.yml", "deploy.yml")
"""brandsite's own workflows that a content repository uses as they are, with the version pinned."""
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
# What brandsite writes: the built site (and the portable copy of `build --portable`), their
# staging folders and locks, the build cache, reports.
/output/
/.output.*/
/.output.lock
/output-portable/
/.output-portable.*/
/.output-portable.lock
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
