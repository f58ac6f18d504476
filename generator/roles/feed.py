"""What every ATS feed is turned into before it becomes a job file: one neutral record per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import Diagnostic, error


@dataclass(frozen=True)
class FeedSalary:
    """A pay range as the ATS gives it."""

    min: float
    max: float
    currency: str
    per: str
    """hour, day, week, month or year."""


@dataclass(frozen=True)
class FeedRole:
    """One role from an ATS feed, in the ATS's own words (mapping happens in ``mapping``)."""

    ats_id: str
    """The role's id in the ATS."""
    title: str
    department: str
    """The ATS's department or team; empty when it has none."""
    locations: tuple[str, ...]
    """Office names as the ATS writes them."""
    remote: bool
    """The ATS says the role is remote."""
    types: tuple[str, ...]
    """The ATS's words for the kind of employment (``permanent``, ``full-time``, ``Werkstudent``)."""
    posted: dt.datetime | dt.date
    """When the ATS published (or last changed) the role."""
    url: str
    """The role's page at the ATS."""
    apply_url: str
    """Where applying happens."""
    description_html: str
    """The description as the ATS gives it (sanitised later, in ``html``)."""
    salary: FeedSalary | None = None


class FeedProblem(Exception):
    """A feed cannot be read: it carries the diagnostic that says what is wrong, and where."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def feed_error(source: str, line: int, message: str, hint: str) -> Diagnostic:
    """A problem with the feed at ``source`` (a file or an address)."""
    return error(source, line, "bad-feed", message, hint)


def ordinal(index: int) -> str:
    """0 → "1st", 1 → "2nd", 10 → "11th"."""
    number = index + 1
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def parse_moment(text: str) -> dt.datetime | dt.date | None:
    """An ISO 8601 day or moment (``2026-11-02T09:30:00+01:00``, ``…Z``), or None."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.date()
