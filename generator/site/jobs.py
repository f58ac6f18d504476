"""How the open roles are grouped on the site: by team, by location and by type of employment.

Each group is a static page (``jobs/team/<slug>/``, ``jobs/location/<slug>/``,
``jobs/type/<slug>/``) the listing links to: filters that work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..content.entries import slugify
from ..content.model import Role

FACETS = ("team", "location", "type")
"""The ways the listing filters roles, in the order it shows them."""
REMOTE = "remote"
"""The location slug fully remote roles are listed under."""


@dataclass(frozen=True)
class Facet:
    """One filter page: the roles of one team, one location or one type of employment."""

    kind: str
    """``team``, ``location`` or ``type``."""
    slug: str
    """URL segment of its page."""
    label: str
    """What it is called: the team or place as written; for types and remote, the key
    (``full-time``, ``remote``) that templates turn into words."""
    roles: tuple[Role, ...]
    """Its roles, newest first."""


def facet_slug(name: str) -> str:
    """URL segment for a team or place (``Offshore Service North Sea`` → ``offshore-service-north-sea``)."""
    return slugify(name) or "x" + "".join(f"{ord(c):x}" for c in name)[:40]


def _keys(role: Role, kind: str) -> list[tuple[str, str]]:
    """(slug, label) of each group of ``kind`` the role belongs to."""
    job = role.job
    if kind == "team":
        return [(facet_slug(job.team), job.team)] if job.team else []
    if kind == "location":
        if job.remote:
            return [(REMOTE, REMOTE)]
        return [(facet_slug(place), place) for place in job.locations]
    return [(word, word) for word in job.employment_types]


def facets(roles: Sequence[Role], kind: str) -> tuple[Facet, ...]:
    """The groups of ``kind``, sorted by label (remote last), each with its roles in site order."""
    labels: dict[str, str] = {}
    members: dict[str, list[Role]] = {}
    for role in roles:
        for slug, label in dict.fromkeys(_keys(role, kind)):
            labels.setdefault(slug, label)
            if role not in members.setdefault(slug, []):
                members[slug].append(role)
    order = sorted(labels, key=lambda s: (s == REMOTE and kind == "location", labels[s].lower(), s))
    return tuple(Facet(kind, slug, labels[slug], tuple(members[slug])) for slug in order)


def all_facets(roles: Sequence[Role]) -> dict[str, tuple[Facet, ...]]:
    """Every filter of the listing, by kind."""
    return {kind: facets(roles, kind) for kind in FACETS}


def roles_of_team(roles: Iterable[Role], team: str | None) -> list[Role]:
    """The roles of ``team`` (none for a story without a team)."""
    return [role for role in roles if team and role.team == team]
