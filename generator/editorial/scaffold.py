"""New stories and values: the files' text, the questions asked in a terminal, the safe write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..content.entries import GUIDE_END, GUIDE_MARKER, slugify
from ..content.frontmatter import parse_front_matter
from ..errors import closest

Ask = Callable[[str], str]
"""Shows a prompt and returns the answer, like ``input``; raises EOFError when input ends."""
Say = Callable[[str], None]
"""Shows a line of text to the person answering."""


@dataclass(frozen=True)
class ValueChoice:
    """A known value, as offered when choosing a story's values."""

    slug: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class StoryFields:
    """What a new story's front matter says; None means "not given yet"."""

    title: str | None = None
    author: str | None = None
    role: str | None = None
    team: str | None = None
    location: str | None = None
    values: tuple[str, ...] = ()
    date: dt.date | None = None
    summary: str | None = None
    draft: bool = True
    lang: str | None = None
    """Written as ``lang`` when the story is not in the site's default language."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Required fields not given yet."""
        found = []
        if not self.title:
            found.append("title")
        if not self.author:
            found.append("author")
        if not self.values:
            found.append("values")
        return tuple(found)


def choose_values(answer: str, known: Sequence[ValueChoice]) -> tuple[tuple[str, ...], str]:
    """Value slugs from an answer such as ``1,3``, ``1 3`` or ``innovation, Customer focus``.

    Returns the slugs (in the order given, once each) and "", or, when any item is unknown,
    () and a message saying which and what was probably meant.
    """
    by_name = {v.slug: v.slug for v in known} | {v.title.lower(): v.slug for v in known}
    items: list[str] = []
    for item in (part.strip() for part in answer.split(",")):
        # Numbers may be separated by spaces too; names may contain spaces ("Customer focus").
        items += item.split() if re.fullmatch(r"[\d\s]+", item) else [item] if item else []
    if not items:
        return (), "choose at least one value"
    chosen: list[str] = []
    for item in items:
        if item.isdigit():
            number = int(item)
            slug = known[number - 1].slug if 1 <= number <= len(known) else None
            if slug is None:
                return (), f"there is no value number {item}; choose 1 to {len(known)}"
        else:
            slug = by_name.get(item.lower())
        if slug is None:
            guess = closest(item, by_name)
            hint = f" (did you mean `{by_name[guess]}`?)" if guess else ""
            names = ", ".join(v.slug for v in known) or "none defined yet"
            return (), f"`{item}` is not a known value{hint}; known values: {names}"
        if slug not in chosen:
            chosen.append(slug)
    return tuple(chosen), ""


def ask_story(
    given: StoryFields,
    known: Sequence[ValueChoice],
    default_date: dt.date,
    ask: Ask,
    say: Say,
    teams: Sequence[str] = (),
) -> StoryFields:
    """Ask for every field not given; required ones until answered. EOFError ends it early."""
    fields = given
    if not fields.title:
        fields = replace(fields, title=_ask_required(ask, say, "Title: ", "a title"))
    if not fields.author:
        who = "Author (the person telling the story): "
        fields = replace(fields, author=_ask_required(ask, say, who, "the author's name"))
    if fields.role is None:
        fields = replace(fields, role=ask("Role, e.g. Service Technician (optional): ").strip())
    if fields.team is None:
        example = f", e.g. {', '.join(teams[:3])}" if teams else ""
        fields = replace(fields, team=ask(f"Team{example} (optional): ").strip())
    if fields.location is None:
        fields = replace(fields, location=ask("Location (optional): ").strip())
    if not fields.values:
        fields = replace(fields, values=_ask_values(ask, say, known))
    if fields.date is None:
        fields = replace(fields, date=_ask_date(ask, say, default_date))
    return fields


def ask_value(title: str | None, summary: str | None, ask: Ask, say: Say) -> tuple[str, str]:
    """Ask for a new value's title (until given) and summary (optional) when missing."""
    title = title or _ask_required(ask, say, "Title of the value: ", "a title")
    if summary is None:
        summary = ask("Summary, one sentence (optional): ").strip()
    return title, summary


def _ask_required(ask: Ask, say: Say, prompt: str, what: str) -> str:
    while True:
        answer = ask(prompt).strip()
        if answer:
            return answer
        say(f"  Please enter {what}.")


def _ask_values(ask: Ask, say: Say, known: Sequence[ValueChoice]) -> tuple[str, ...]:
    say("Which corporate values does the story show?")
    width = len(str(len(known)))
    for number, value in enumerate(known, start=1):
        say(f"  {number:>{width}}. {value.title} ({value.slug})")
    while True:
        slugs, problem = choose_values(ask("Values (numbers or names, comma-separated): "), known)
        if slugs:
            return slugs
        say(f"  {problem}")


def _ask_date(ask: Ask, say: Say, default: dt.date) -> dt.date:
    while True:
        answer = ask(f"Publication date [{default.isoformat()}]: ").strip()
        if not answer:
            return default
        try:
            return dt.date.fromisoformat(answer)
        except ValueError:
            say("  Write the date as YYYY-MM-DD, e.g. 2026-03-14.")


def story_text(fields: StoryFields, known: Sequence[ValueChoice]) -> str:
    """A complete story file: every field in the front matter, a writing guide as the body."""
    assert fields.title and fields.author and fields.values and fields.date
    by_slug = {v.slug: v for v in known}
    values = "\n".join(f"  - {slug}" for slug in fields.values)
    shows = "\n".join(_value_line(by_slug.get(slug), slug) for slug in fields.values)
    return f"""\
---
title: {yaml_text(fields.title)}
author: {yaml_text(fields.author)}
role: {yaml_text(fields.role or "")}
team: {yaml_text(fields.team or "")}
location: {yaml_text(fields.location or "")}
date: {fields.date.isoformat()}
{f"lang: {fields.lang}{chr(10)}" if fields.lang else ""}values:
{values}
# One or two sentences for listings, feeds and link previews (empty: the first paragraph).
summary: {yaml_text(fields.summary or "")}
# A picture in content/stories/images/, and what it shows for people who cannot see it:
# image: images/{_file_hint(fields.title)}.jpg
# image_alt: "…"
# Set to false when the story is written and its author has said yes to it.
draft: {"true" if fields.draft else "false"}
---

{GUIDE_START}
Replace this guide with the story, told in the words of {fields.author}.

The story should show:

{shows}

What makes a good story:

- **Start with a moment**, not a job title: a night shift, a decision, a problem that needed solving.
- **Show the values through what people did.** Readers believe actions, not adjectives; the
  value's name need not appear at all.
- **Quote {fields.author}** in their own words, at least twice.
- **One detail only an insider would know**: a tool, a place, a habit of the team.
- **400 to 800 words**, with a subheading (`## …`) every few paragraphs.
- **Ask before publishing.** {fields.author} reads the final text and agrees to it; then set
  `draft: false`. The story goes live on its date.

Run `brandsite check` to check the file, and `brandsite build --drafts` to preview it.
{GUIDE_END}
"""


GUIDE_START = f"{GUIDE_MARKER}: replace it, and both marker lines, with your text -->"
"""The guide's first line; while it is there, the file cannot be published (``guide-text``)."""


def _value_line(value: ValueChoice | None, slug: str) -> str:
    if value is None:
        return f"- {slug}"
    return f"- **{value.title}**" + (f": {value.summary}" if value.summary else "")


def value_text(title: str, summary: str, order: int, description: str | None = None) -> str:
    """A complete value file: ``description`` as its text, else a short guide to writing one."""
    body = (
        description
        or f"""\
{GUIDE_START}
Replace this guide with a description of what {title} means at the company.

- Say what people **do** when they live this value, with an example or two.
- Say what it is **not**, if it is easily misread.
- Keep it to two or three short paragraphs: stories tagged with this value show the rest.
{GUIDE_END}"""
    )
    return f"""\
---
title: {yaml_text(title)}
# One sentence: what the value means here.
summary: {yaml_text(summary)}
# Position on the values page (lower first).
order: {order}
---

{body.rstrip()}
"""


def yaml_text(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line (colons, quotes, ``#`` are safe)."""
    dumped = yaml.safe_dump(
        text, default_style='"', allow_unicode=True, width=2**31 - 1, explicit_end=False
    )
    return dumped.rstrip("\n").removesuffix("\n...").rstrip("\n")


def _file_hint(title: str) -> str:
    return slugify(title)[:40].rstrip("-") or "picture"


def write_new(path: Path, text: str) -> bool:
    """Create ``path`` with ``text``; False (and nothing written) when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return False
    return True


NOT_COPIED = frozenset(
    {"title", "summary", "slug", "lang", "translation_of", "translated_from", "draft", "share",
     "share_title"}
)  # fmt: skip
"""Fields of the original a translation has its own of (the rest is copied as written)."""


def translation_text(
    original: str,
    original_source: str,
    name: str,
    lang: str,
    digest: str,
    target: str,
    title: str | None = None,
) -> str:
    """A translation of the story file ``original`` (its text) into ``lang``, to be ``target``.

    Its fields are copied as written (author, date, values, image, consent, extra, …), the
    title and summary are the original's to translate, ``translation_of: name`` and
    ``translated_from: digest`` say which version it translates, and the body is a guide
    (which keeps the file from being published) above the original's text.
    """
    fm, _ = parse_front_matter(original, original_source)
    assert fm is not None  # the original was read as a story, so it has front matter
    lines = original.split("\n")
    starts = sorted(fm.key_lines.items(), key=lambda item: item[1])
    copied: list[str] = []
    notes: list[str] = []
    for index, (key, line) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else fm.end_line
        block = lines[line - 1 : end - 1]
        following: list[str] = []
        while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
            following.insert(0, block.pop())  # notes above the next field belong to it
        if key not in NOT_COPIED:
            copied += notes + block
        notes = following
    summary = str(fm.data.get("summary") or "").strip()
    author = str(fm.data.get("author") or "the author").strip()
    head = [
        "---",
        f"# Translate the title (and the summary) into {lang}: they are the original's.",
        f"title: {yaml_text(title or str(fm.data.get('title') or ''))}",
        *copied,
        "# One or two sentences for listings, feeds and link previews (empty: the first paragraph).",
        f"summary: {yaml_text(summary)}",
        f"lang: {lang}",
        f"# The original, and the version of it this translates ({original_source}); after",
        "# bringing the translation up to date with a changed original, run",
        f"# `brandsite translations mark {target}`.",
        f"translation_of: {name}",
        f"translated_from: {digest}",
        "# Set to false when the translation is done and its author has said yes to it.",
        "draft: true",
        "---",
        "",
        GUIDE_START,
        f"This is the translation of {original_source} into {lang}. Translate the title, the",
        "summary and the original's text below it into that language, then delete this guide",
        f"with both marker lines. {author} reads the translation and agrees to it; then set",
        "`draft: false`.",
        "",
        "When the original changes later, `brandsite check` says the translation is stale:",
        f"bring it up to date, then run `brandsite translations mark {target}`.",
        GUIDE_END,
        "",
    ]
    return "\n".join(head) + "\n" + fm.body.strip("\n") + "\n"
