"""An ATS role → the fields of a job file: the mapping table from the ATS's words to the site's.

Departments become teams as they are, unless ``[jobs.teams]`` in site.toml says otherwise. The
ATS's words for the kind of employment go through DEFAULT_TYPE_WORDS, which
``[jobs.employment_types]`` extends or overrides (a word mapped to ``""`` is ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ..content.entries import slugify
from ..errors import Diagnostic, warning
from .feed import FeedRole
from .html import to_markdown

DEFAULT_TYPE_WORDS: Mapping[str, tuple[str, ...]] = {
    "full-time": ("full-time",),
    "fulltime": ("full-time",),
    "vollzeit": ("full-time",),
    "part-time": ("part-time",),
    "teilzeit": ("part-time",),
    "full-or-part-time": ("full-time", "part-time"),
    "vollzeit-oder-teilzeit": ("full-time", "part-time"),
    "permanent": (),
    "unbefristet": (),
    "regular": (),
    "temporary": ("temporary",),
    "befristet": ("temporary",),
    "fixed-term": ("temporary",),
    "contract": ("contract",),
    "contractor": ("contract",),
    "freelance": ("contract",),
    "intern": ("internship",),
    "internship": ("internship",),
    "praktikum": ("internship",),
    "trainee": ("apprenticeship",),
    "apprenticeship": ("apprenticeship",),
    "ausbildung": ("apprenticeship",),
    "working-student": ("working-student",),
    "werkstudent": ("working-student",),
    "werkstudentin": ("working-student",),
}
"""The ATS's word (lower case, spaces and underscores as hyphens) → the site's employment types.

Personio says ``permanent`` with ``schedule: full-time``; Lever's ``commitment`` is free text
(``Full-time``, ``Werkstudent``); Greenhouse has it only in a custom field. ``permanent`` says
nothing about hours, so it adds no type."""

REMOTE_WORDS = ("remote", "homeoffice", "home office", "home-office", "mobiles arbeiten")
"""Office names that mean "anywhere": they make the role remote and are not a location."""

FIELD_ORDER = (
    "title", "team", "location", "remote", "employment_type", "date_posted", "apply_url",
    "salary", "lang", "ats",
)  # fmt: skip
"""The order fields are written in, so an import always writes the same bytes."""


@dataclass(frozen=True)
class ImportSettings:
    """What the mapping needs from site.toml and the command line."""

    source: str
    """``personio``, ``greenhouse`` or ``lever``."""
    teams: Mapping[str, str]
    """ATS department → site team."""
    type_words: Mapping[str, str]
    """ATS word → site employment types (comma-separated; ``""`` ignores the word)."""
    timezone: str
    """The site's time zone: a role posted at 23:30 UTC may be posted tomorrow there."""
    lang: str | None = None
    """Language written into every imported role; None writes none (the site's language)."""


@dataclass(frozen=True)
class ImportedJob:
    """A job file to be: the ATS id, a slug for a new file, the fields in order, the body."""

    ats_id: str
    slug: str
    fields: tuple[tuple[str, Any], ...]
    body: str

    def title_of(self) -> str:
        """The role's title, from its fields."""
        return str(dict(self.fields).get("title", ""))


def map_role(
    role: FeedRole, settings: ImportSettings, feed: str
) -> tuple[ImportedJob, list[Diagnostic]]:
    """The job file for ``role``, and warnings for ATS words the mapping does not know."""
    problems: list[Diagnostic] = []
    kinds: list[str] = []
    for word in role.types:
        found = type_words_for(word, settings.type_words)
        if found is None:
            problems.append(
                warning(
                    feed,
                    0,
                    "unknown-ats-type",
                    f"the role {role.title!r} has the kind of employment {word!r}, "
                    "which the mapping does not know, so the job file has none",
                    f'add it to site.toml: `[jobs.employment_types]` then `"{word}" = "full-time"` '
                    '(or `""` to ignore the word)',
                )
            )
            continue
        kinds += found
    remote = role.remote
    places: list[str] = []
    for place in role.locations:
        rest = _without_remote(place)
        remote = remote or rest != place
        if rest:
            places.append(rest)
    team = settings.teams.get(role.department, role.department)
    fields: dict[str, Any] = {
        "title": role.title,
        "team": team or None,
        "location": places[0] if len(places) == 1 else (places or None),
        "remote": True if remote else None,
        "employment_type": _one_or_list(list(dict.fromkeys(kinds))),
        "date_posted": _day(role.posted, settings.timezone),
        "apply_url": role.apply_url,
        "salary": (
            {
                "min": _number(role.salary.min),
                "max": _number(role.salary.max),
                "currency": role.salary.currency,
                "per": role.salary.per,
            }
            if role.salary
            else None
        ),
        "lang": settings.lang,
        "ats": {"source": settings.source, "id": role.ats_id, "url": role.url},
    }
    ordered = tuple((key, fields[key]) for key in FIELD_ORDER if fields[key] is not None)
    short_id = re.sub(r"[^a-z0-9]", "", role.ats_id.lower())[:8] or "role"
    slug = f"{slugify(role.title)[:60].strip('-') or 'role'}-{short_id}"
    return ImportedJob(role.ats_id, slug, ordered, to_markdown(role.description_html)), problems


def type_words_for(word: str, overrides: Mapping[str, str]) -> tuple[str, ...] | None:
    """The site's employment types for an ATS word; None when neither table knows it."""
    key = normalise(word)
    for written, kinds in overrides.items():
        if normalise(written) == key:
            return tuple(k.strip() for k in kinds.split(",") if k.strip())
    return DEFAULT_TYPE_WORDS.get(key)


def normalise(word: str) -> str:
    """``Full Time`` and ``full_time`` → ``full-time``."""
    return re.sub(r"[\s_]+", "-", word.strip().lower())


def _without_remote(place: str) -> str:
    """``Remote - Germany`` → ``Germany``, ``Homeoffice`` → ``""``, ``Hamburg`` → ``Hamburg``."""
    text = place
    for word in REMOTE_WORDS:
        text = re.sub(rf"(?i)\b{re.escape(word)}\b", "", text)
    if text == place:
        return place
    return text.strip(" -–/,()|")


def _day(moment: dt.datetime | dt.date, timezone: str) -> dt.date:
    if isinstance(moment, dt.datetime):
        return moment.astimezone(ZoneInfo(timezone)).date()
    return moment


def _one_or_list(kinds: list[str]) -> str | list[str] | None:
    if not kinds:
        return None
    return kinds[0] if len(kinds) == 1 else kinds


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
