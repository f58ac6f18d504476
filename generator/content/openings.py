"""Open roles, linked: their values checked against the site's, the open ones made into Roles.

The cross-file rules of job files (``roles.entries`` checks each file alone): every value a role
names must be a corporate value (with a did-you-mean); a role without ``values`` takes the values
of its team's stories; only roles open on the site's day (``roles.posting.is_open``) publish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from ..engine.cache import digest
from ..errors import Diagnostic, error, warning
from ..roles.model import Job
from ..roles.posting import Organisation, is_open, posting_warnings
from ..site.routes import absolute_url, job_path, page_url
from .config import SiteConfig
from .model import BodyRenderer, Role, Story, Value


class ValueNames(Protocol):
    """Every way a file may name a value (``linking.ValueNames``)."""

    def slug(self, tag: str) -> str | None: ...

    def guess(self, tag: str) -> str | None: ...


def organisation(config: SiteConfig, logo: str = "") -> Organisation:
    """The employer as JobPosting names it, from site.toml (``logo``: absolute URL, or "")."""
    return Organisation(
        config.company, config.base_url, logo, config.timezone, dict(config.jobs.countries)
    )


def job_values(
    jobs: Sequence[Job], names: ValueNames, known: str
) -> tuple[dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Slug → the value slugs each job names, and a problem for each name that is no value."""
    found: dict[str, tuple[str, ...]] = {}
    problems: list[Diagnostic] = []
    for job in jobs:
        slugs: list[str] = []
        for tag in job.values:
            slug = names.slug(tag)
            if slug is None:
                guess = names.guess(tag)
                problems.append(
                    error(
                        job.source,
                        job.line("values"),
                        "unknown-value",
                        f"the role is tagged with `{tag}`, which is not a corporate value",
                        (f"did you mean `{guess}`? " if guess else "") + f"known values: {known}",
                    )
                )
            elif slug in slugs:
                problems.append(
                    warning(
                        job.source,
                        job.line("values"),
                        "duplicate-tag",
                        f"the value `{tag}` is listed twice",
                        "remove one",
                    )
                )
            else:
                slugs.append(slug)
        found[job.slug] = tuple(slugs)
    return found, problems


def link_roles(
    config: SiteConfig,
    jobs: Sequence[Job],
    tags: Mapping[str, tuple[str, ...]],
    values: Mapping[str, Value],
    stories: Sequence[Story],
    renderer: BodyRenderer,
    today: dt.date,
) -> tuple[tuple[Role, ...], list[Diagnostic]]:
    """The roles open on ``today``, newest first, and JobPosting's recommended-field warnings."""
    order = list(values)
    team_values: dict[str, set[str]] = {}
    for story in stories:
        if story.team:
            team_values.setdefault(story.team, set()).update(story.value_slugs)
    org = organisation(config)
    roles: list[Role] = []
    problems: list[Diagnostic] = []
    for job in jobs:
        if not is_open(job, today):
            continue
        problems += posting_warnings(job, org)
        own = tags.get(job.slug, ())
        if not own and job.team:
            own = tuple(slug for slug in order if slug in team_values.get(job.team, ()))
        chosen = tuple(values[slug] for slug in own)
        path = job_path(job.slug)
        url = page_url(config, path)
        roles.append(
            Role(
                job=job,
                values=chosen,
                renderer=renderer,
                url=url,
                absolute_url=absolute_url(config, path),
                lang=job.lang or config.language,
                digest=digest(repr(job), url, *(v.card_digest for v in chosen)),
            )
        )
    roles.sort(key=lambda r: (-r.job.date_posted.toordinal(), r.title, r.slug))
    return tuple(roles), problems
