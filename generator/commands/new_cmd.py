"""``brandsite new story|value|theme``: a content file with complete front matter, or a child theme."""

from __future__ import annotations

import argparse
import datetime as dt
import posixpath
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..content.config import CONFIG_FILE
from ..content.entries import LANG_RE, RESERVED_SLUGS, SLUG_RE, StoryEntry, file_slug, slugify
from ..content.loading import STORIES_DIR, VALUES_DIR, read_text
from ..content.staleness import original_digest
from ..content.translations import story_versions
from ..editorial.project import Project
from ..editorial.scaffold import (
    StoryFields,
    ValueChoice,
    ask_story,
    ask_value,
    choose_values,
    story_text,
    translation_text,
    value_text,
    write_new,
)
from ..editorial.text import short_date
from ..errors import Diagnostic, closest
from ..theme.themes import DEFAULT_BRAND, INSTALLED_THEMES, THEME_FILE, THEMES_DIR
from .common import EXIT_OK, EXIT_USAGE, iso_day
from .editorial_common import add_project_options, open_project, today_of


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``new story``, ``new value`` and ``new theme``."""
    parser = subcommands.add_parser(
        "new",
        help="start a new story, value or theme",
        description="Write a new story, value or child theme; never overwrites.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    story = kinds.add_parser(
        "story",
        help="a new employee story",
        description=(
            "Write content/stories/<slug>.md with every field and a short writing guide. In a "
            "terminal, asks for what is missing; otherwise title, --author and --values are needed."
        ),
    )
    story.add_argument("title", nargs="?", help="the headline")
    story.add_argument("--author", help="the person telling the story")
    story.add_argument("--role", help="their job title")
    story.add_argument("--team", help="their team or department")
    story.add_argument("--location", help="office or city")
    story.add_argument("--values", metavar="A,B", help="value slugs (or titles), comma-separated")
    story.add_argument(
        "--date",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="publication day (default: today + calendar.buffer_days)",
    )
    story.add_argument("--summary", help="one or two sentences for listings")
    story.add_argument(
        "--lang",
        metavar="LANG",
        help="the story's language, one of the site's `languages` (default: the first)",
    )
    story.add_argument(
        "--translation-of",
        metavar="FILE",
        help=(
            "write a translation of this story (its file, or its name without .md) into --lang: "
            "its fields copied, its text to translate (file: <original>.<lang>.md)"
        ),
    )
    story.add_argument(
        "--draft",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="mark it `draft: true` so it is not published until you say so (default: yes)",
    )
    _add_common(story, "the file name and URL segment (default: from the title)")
    story.set_defaults(run=run_story)
    value = kinds.add_parser(
        "value",
        help="a new corporate value",
        description="Write content/values/<slug>.md with a title, summary, order and a guide.",
    )
    value.add_argument("title", nargs="?", help="the value's name, e.g. Innovation")
    value.add_argument("--summary", help="one sentence about it")
    value.add_argument("--order", type=int, help="position on the values page (default: last)")
    _add_common(value, "the file name, URL segment and tag (default: from the title)")
    value.set_defaults(run=run_value)
    theme = kinds.add_parser(
        "theme",
        help="a theme of your own that extends the default theme",
        description=(
            f"Write {THEMES_DIR}/NAME/: a {THEME_FILE} that extends default with every brand "
            "setting explained, a base.html that changes one block, and static/theme.css, which "
            "the default theme loads after its own stylesheet."
        ),
    )
    theme.add_argument("name", help="the theme's folder name, e.g. acme")
    theme.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: here)"
    )
    theme.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )
    theme.set_defaults(run=run_theme)


def _add_common(parser: argparse.ArgumentParser, slug_help: str) -> None:
    parser.add_argument("--slug", help=slug_help)
    asking = parser.add_mutually_exclusive_group()
    asking.add_argument(
        "--interactive",
        action="store_true",
        help="ask for missing fields even when input is not a terminal",
    )
    asking.add_argument("--no-input", action="store_true", help="never ask, even in a terminal")
    add_project_options(parser, "count the default date from this day")


def _interactive(args: argparse.Namespace) -> bool:
    if args.interactive:
        return True
    return not args.no_input and sys.stdin.isatty()


def _usage(message: str) -> int:
    print(f"brandsite new: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_story(args: argparse.Namespace) -> int:
    """Gather the fields (from options, then by asking), then write the file once."""
    project = open_project(args.root)
    if project is None:
        return EXIT_USAGE
    if args.translation_of is not None:
        return _run_translation(args, project)
    if args.lang is not None:
        problem = _language_problem(args.lang, project)
        if problem:
            return _usage(problem)
    known = [ValueChoice(v.slug.value, v.title, v.summary) for v in project.values]
    if not known:
        return _usage(
            f'there are no values in {VALUES_DIR}/ yet; add one first: brandsite new value "Innovation"'
        )
    values: tuple[str, ...] = ()
    if args.values is not None:
        values, problem = choose_values(args.values, known)
        if problem:
            return _usage(f"--values: {problem}")
    given = StoryFields(
        title=_clean(args.title),
        author=_clean(args.author),
        role=args.role,
        team=args.team,
        location=args.location,
        values=values,
        date=args.date,
        summary=args.summary,
        draft=args.draft,
        lang=args.lang if args.lang and args.lang != project.config.language else None,
    )
    if given.title:
        # Before any question: nobody should answer six of them to learn the file exists.
        _, problem = _slug(args.slug, given.title, project, stories=True)
        if problem:
            return _usage(problem)
    default_date = today_of(project, args.now) + dt.timedelta(
        days=project.config.calendar.buffer_days
    )
    if _interactive(args):
        # Suggest the teams that tell the most stories, so names stay consistent for the report.
        counts = Counter(s.team for s in project.stories if s.team)
        teams = sorted(counts, key=lambda team: (-counts[team], team))
        try:
            fields = ask_story(given, known, default_date, input, print, teams)
        except EOFError:
            return _usage("input ended before every required field was answered; nothing written")
    else:
        if given.missing:
            options = ", ".join(
                "TITLE" if name == "title" else f"--{name}" for name in given.missing
            )
            return _usage(
                f"missing {options}; pass them, or run in a terminal (or with --interactive) "
                "to be asked"
            )
        fields = given if given.date else replace(given, date=default_date)
    assert fields.title is not None and fields.date is not None
    slug, problem = _slug(args.slug, fields.title, project, stories=True)
    if problem:
        return _usage(problem)
    return _write(
        Path(args.root).resolve(),
        f"{STORIES_DIR}/{slug}.md",
        story_text(fields, known),
        f"a {'draft' if fields.draft else 'story'} for {short_date(fields.date)}",
        "write the story in place of the guide, then set `draft: false`"
        if fields.draft
        else "write the story in place of the guide (until then it cannot be published)",
    )


def run_value(args: argparse.Namespace) -> int:
    """Gather title and summary, then write the file once."""
    project = open_project(args.root)
    if project is None:
        return EXIT_USAGE
    title, summary = _clean(args.title), args.summary
    if _interactive(args):
        try:
            title, summary = ask_value(title, summary, input, print)
        except EOFError:
            return _usage("input ended before the title was given; nothing written")
    elif not title:
        return _usage("missing TITLE; pass it, or run in a terminal to be asked")
    assert title is not None
    slug, problem = _slug(args.slug, title, project, stories=False)
    if problem:
        return _usage(problem)
    order = args.order if args.order is not None else _next_order(project)
    return _write(
        Path(args.root).resolve(),
        f"{VALUES_DIR}/{slug}.md",
        value_text(title, summary or "", order),
        f"the value `{slug}`",
        "describe it in place of the guide (until then the site cannot be built); "
        "stories can then use `values: [" + slug + "]`",
    )


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _next_order(project: Project) -> int:
    return max((v.order for v in project.values), default=0) + 1


def _slug(explicit: str | None, title: str, project: Project, stories: bool) -> tuple[str, str]:
    slug = explicit.strip() if explicit else slugify(title)
    if not slug or not SLUG_RE.fullmatch(slug):
        return slug, (
            f"{slug!r} cannot be a file name and URL segment; pass --slug with lowercase "
            "letters, digits and hyphens"
            if slug
            else "the title has no letters or digits to make a file name from; pass --slug"
        )
    if stories and slug in RESERVED_SLUGS:
        return slug, f"the slug `{slug}` is reserved for page numbers; pass another --slug"
    entries = project.stories if stories else project.values
    taken = {entry.slug.value: entry.source for entry in entries}
    if slug in taken:
        return slug, f"the slug `{slug}` is already used by {taken[slug]}; pass another --slug"
    return slug, ""


def _write(root: Path, source: str, text: str, what: str, next_step: str) -> int:
    if not write_new(root / source, text):
        return _usage(f"{source} already exists; nothing was written (pass another --slug)")
    print(f"Wrote {source}: {what}.")
    print(f"Next: {next_step}; `brandsite check` checks it.")
    return EXIT_OK


def run_theme(args: argparse.Namespace) -> int:
    """Write the three files of a child theme, or nothing when any of them would replace one."""
    name = args.name.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return _usage(
            f"{name!r} cannot be a theme folder name; use lowercase letters, digits and hyphens"
        )
    if name in INSTALLED_THEMES:
        return _usage(
            f"`{name}` is a theme that comes with brandsite; a folder of that name would hide it. "
            "Choose another name"
        )
    root = Path(args.root)
    if not (root / CONFIG_FILE).is_file():
        return _usage(
            f"there is no {CONFIG_FILE} in {root}; run it in the site's folder or pass --root"
        )
    folder = f"{THEMES_DIR}/{name}"
    if (root / folder).exists():
        return _usage(f"{folder} already exists; nothing was written (choose another name)")
    for path, text in theme_files(name).items():
        write_new(root / folder / path, text)
    print(f"Wrote {folder}/: {THEME_FILE}, templates/base.html, static/theme.css.")
    print(
        f'Next: set theme = "{name}" in site.toml, then `brandsite serve` to see it. Put your '
        f"logo in {folder}/static/ and name it in {THEME_FILE}; THEMING.md explains every file."
    )
    return EXIT_OK


def theme_files(name: str) -> dict[str, str]:
    """The files of a new child theme by their path in its folder."""
    brand = DEFAULT_BRAND
    return {
        THEME_FILE: f"""\
# The theme `{name}`: brandsite's default theme with your brand on top.
# To use it, set theme = "{name}" in site.toml. THEMING.md section 8 goes through it step by step.
name = "{name}"
description = "The careers site's look."
# Everything this folder does not have comes from the default theme.
extends = "default"

# Brand settings for every site that uses this theme; site.toml [brand] still wins, key by key.
# Remove the # in front of a line to use it; the values shown are the default theme's.
[brand]
# Links, buttons and highlights; keep it readable on background_color (4.5:1 or more).
# primary_color = "{brand.primary_color}"
# Highlights on dark surfaces (not for text on white).
# accent_color = "{brand.accent_color}"
# Body text.
# text_color = "{brand.text_color}"
# The page background.
# background_color = "{brand.background_color}"
# Fonts for text and headings: installed on readers' machines, or a font file in static/.
# font_body = "{brand.font_body}"
# font_heading = "Georgia, 'Times New Roman', serif"
# The header's logo, a file in static/ (shown 40 px high); without one the header shows the company.
# logo = "logo.svg"
# The browser tab's icon, a file in static/.
# favicon = "favicon.svg"
# The picture for links shared on social media (1200 x 630), a file in static/.
# share_image = "share.png"
# The header's button: its text and the address of your job listings.
# cta_label = "{brand.cta_label}"
# cta_url = "https://jobs.example.com/"
""",
        "templates/base.html": """\
{#- This file replaces the default base.html for this theme: it extends the default's own copy
    ("default/base.html") and changes one block, so everything else stays as the default theme
    has it. The blocks are title, meta, head, header, content and footer (THEMING.md section 5).
    Delete this file to use the default base.html unchanged. -#}
{% extends "default/base.html" %}

{#- super() keeps the default footer; write your own markup before or after it, e.g.
    <aside class="wrap"><p>{{ site.company }} welcomes applications from everyone.</p></aside> -#}
{% block footer %}
{{ super() }}
{% endblock %}
""",
        "static/theme.css": """\
/* The theme's own CSS: the default theme links it after its style.css, so rules here win.
   The brand colours and fonts are custom properties, e.g. var(--color-primary). */

/* Examples:
.button, .chip { border-radius: .375rem; }
h1, h2, h3 { font-family: var(--font-heading); letter-spacing: 0; }
*/
""",
    }


COPIED_OPTIONS = ("author", "role", "team", "location", "values", "date", "summary")
"""What a translation takes from its original rather than from the command line."""


def _run_translation(args: argparse.Namespace, project: Project) -> int:
    """Write ``<original>.<lang>.md`` next to the original: its fields, its text to translate."""
    config = project.config
    if not config.multilingual:
        return _usage(
            f"the site publishes one language ({config.language}), so there is nothing to "
            'translate into; list its languages in site.toml first, e.g. languages = ["de", "en"]'
        )
    given = [f"--{name}" for name in COPIED_OPTIONS if getattr(args, name) is not None]
    if given:
        return _usage(
            f"{', '.join(given)}: a translation takes these from its original; leave them out "
            "(and change the file afterwards where the translation differs)"
        )
    root = Path(args.root).resolve()
    original, problem = _original(args.translation_of, project, root)
    if original is None:
        return _usage(problem)
    versions, _ = story_versions(config, project.stories)
    written_in = versions.lang_of[original.source]
    others = [lang for lang in config.languages if lang != written_in]
    lang = args.lang or (others[0] if len(others) == 1 else None)
    if lang is None:
        return _usage(f"pass --lang, the language to translate into: one of {', '.join(others)}")
    problem = _language_problem(lang, project)
    if problem:
        return _usage(problem)
    if original.translation_of is not None:
        return _usage(
            f"{original.source} is itself a translation (`translation_of: "
            f"{original.translation_of.value}`); translate its original: "
            f"--translation-of {original.translation_of.value}"
        )
    if lang == written_in:
        return _usage(
            f"{original.source} is written in {lang!r} already; pass --lang with the language "
            f"to translate into: {', '.join(others)}"
        )
    name = file_slug(original.source)
    existing = sorted(
        entry.source
        for entry in project.stories
        if entry.translation_of is not None
        and posixpath.basename(entry.translation_of.value).removesuffix(".md") == name
        and versions.lang_of[entry.source] == lang
    )
    if existing:
        return _usage(
            f"{existing[0]} is already the translation of {original.source} into {lang!r}; "
            "edit that file instead"
        )
    base = args.slug.strip() if args.slug else file_slug(original.source, original.lang)
    if not SLUG_RE.fullmatch(base) or base in RESERVED_SLUGS:
        return _usage(
            f"{base!r} cannot be a file name and URL segment; pass --slug with lowercase "
            "letters, digits and hyphens (not `page`)"
        )
    taken = {e.slug.value: e.source for e in project.stories if versions.lang_of[e.source] == lang}
    if base in taken:
        return _usage(
            f"the slug `{base}` is already used in {lang!r} by {taken[base]}; pass another --slug"
        )
    folder = posixpath.dirname(original.source)
    target = f"{folder}/{base}.{lang}.md"
    text = read_text(root / original.source, original.source)
    if isinstance(text, Diagnostic):
        return _usage(f"{original.source}: {text.message}")
    scaffold = translation_text(
        text, original.source, name, lang, original_digest(original), target, _clean(args.title)
    )
    return _write(
        root,
        target,
        scaffold,
        f"a draft translation of {original.source} into {lang!r}",
        "translate the title, the summary and the text in place of the guide, then set "
        "`draft: false`",
    )


def _original(written: str, project: Project, root: Path) -> tuple[StoryEntry | None, str]:
    """The story FILE names (a path from here or from the project, or a name without .md)."""
    by_source = {entry.source: entry for entry in project.stories}
    for path in (Path(written), root / written):
        if path.is_file():
            try:
                source = path.resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            if source in by_source:
                return by_source[source], ""
            return None, (
                f"--translation-of: {source} is not a story brandsite can read "
                f"(stories are the .md files in {STORIES_DIR}/; `brandsite check` says more)"
            )
    name = posixpath.basename(written.strip()).removesuffix(".md")
    found = [entry for entry in project.stories if file_slug(entry.source) == name] or [
        entry for entry in project.stories if file_slug(entry.source, entry.lang) == name
    ]  # `cara` for cara.en.md, an original in English
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, (
            f"--translation-of: {name!r} names several stories "
            f"({', '.join(sorted(e.source for e in found))}); give the file's path"
        )
    guess = closest(name, {file_slug(entry.source) for entry in project.stories})
    return None, (
        f"--translation-of: there is no story {STORIES_DIR}/{name}.md"
        + (f"; did you mean `{guess}`?" if guess else "")
    )


def _language_problem(lang: str, project: Project) -> str:
    """Why ``--lang`` cannot be used, or ""."""
    config = project.config
    if config.multilingual and lang not in config.languages:
        return (
            f"--lang {lang}: not one of the site's languages ({', '.join(config.languages)}); "
            f"use one of them, or add {lang!r} to `languages` in site.toml"
        )
    if not LANG_RE.fullmatch(lang):
        return f"--lang {lang}: not a language code; use a code such as `en` or `de`"
    return ""
