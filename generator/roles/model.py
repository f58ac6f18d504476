"""The plain-data model of an open role: what a job file says, URL-independent, ready for templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JOBS_DIR = "content/jobs"
"""Where job files live, one ``<slug>.md`` per role."""

EMPLOYMENT_TYPES: Mapping[str, str] = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
    "working-student": "PART_TIME",
    "apprenticeship": "OTHER",
    "volunteer": "VOLUNTEER",
    "per-diem": "PER_DIEM",
    "other": "OTHER",
}
"""The words a job file's ``employment_type`` takes, and schema.org's (Google's) word for each.

Google has no apprenticeship type; ``OTHER`` is its word for it. A working student
(Werkstudent) works part-time."""

SALARY_PERIODS: Mapping[str, str] = {
    "hour": "HOUR",
    "day": "DAY",
    "week": "WEEK",
    "month": "MONTH",
    "year": "YEAR",
}
"""``salary.per`` and schema.org's ``unitText`` for it."""


@dataclass(frozen=True)
class Salary:
    """The pay range a role advertises."""

    min: float
    """Lowest pay of the range (equal to ``max`` for a single figure)."""
    max: float
    """Highest pay of the range."""
    currency: str
    """ISO 4217 code, e.g. ``EUR``."""
    per: str
    """The period the figures are for: hour, day, week, month or year."""


@dataclass(frozen=True)
class AtsRef:
    """Where an imported role came from; written by ``brandsite jobs import``."""

    source: str
    """The applicant-tracking system: ``personio``, ``greenhouse`` or ``lever``."""
    id: str
    """The role's id there."""
    url: str
    """The role's page there."""


@dataclass(frozen=True)
class Job:
    """One open role, checked: what a role page, a listing or JobPosting needs."""

    source: str
    """Path of the job file relative to the project root."""
    slug: str
    """URL segment: the file name, or ``slug`` from the front matter."""
    title: str
    """The role's name, e.g. ``Offshore Service Technician (m/w/d)``."""
    team: str | None
    """The site team it belongs to (the ``team`` of stories), None when not given."""
    locations: tuple[str, ...]
    """Where the work is; for a remote role, where applicants may live (countries)."""
    remote: bool
    """The role is fully remote."""
    employment_types: tuple[str, ...]
    """Keys of EMPLOYMENT_TYPES, in the order written; empty when not given."""
    date_posted: dt.date
    """The day the role was first published."""
    valid_through: dt.date | None
    """The last day applications are taken (in the site's time zone); None when open-ended."""
    apply_url: str
    """Where the apply button leads (https)."""
    salary: Salary | None = None
    """The advertised pay, when there is one."""
    values: tuple[str, ...] = ()
    """Value slugs the role carries; empty means "the values of the team's stories"."""
    lang: str | None = None
    """Language of the role (BCP 47); None means the site's language."""
    ats: AtsRef | None = None
    """The ATS entry this file was imported from; None for a role written by hand."""
    body_markdown: str = ""
    """The description, as Markdown."""
    body_line: int = 1
    """Line of the description's first line in the file."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Line of every front-matter field, and ``""`` for the closing ``---`` (for diagnostics)."""

    def line(self, key: str) -> int:
        """Line of ``key`` in the file, or of the closing ``---`` when the key is absent."""
        return self.lines.get(key, self.lines.get("", 1))

    @property
    def schema_employment_types(self) -> tuple[str, ...]:
        """The schema.org words (``FULL_TIME``…), without repeats, in the order written."""
        return tuple(dict.fromkeys(EMPLOYMENT_TYPES[kind] for kind in self.employment_types))
