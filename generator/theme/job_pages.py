"""Template contexts of the open-role pages: the listing and its filters, a role, its JobPosting.

``rendering.page_context`` calls ``job_page_context`` for the ``jobs`` and ``job`` routes and
``team_roles``/``value_roles`` for what story and value pages show of the roles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.config import SiteConfig
from ..content.entries import derive_summary
from ..content.model import Role, Site, Story
from ..content.openings import organisation
from ..roles.posting import job_posting
from ..site.jobs import FACETS, REMOTE, Facet, all_facets, roles_of_team
from ..site.routes import JOBS_FEED_PATH, absolute_url, jobs_filter_path, page_url
from .strings import ui_strings
from .themes import packaged_strings

JOB_WORDS = {
    "jobs": "page_jobs",
    "jobs_description": "page_jobs_description",
    "team": "page_jobs_team",
    "location": "page_jobs_location",
    "type": "page_jobs_type",
    "filter_description": "page_jobs_filter_description",
}
"""The role pages' titles by the key of the theme's strings file that holds them (``page_jobs``…);
a filter's name is the ``facet_<type>`` text (``facet_full-time``, ``facet_remote``)."""
FACET_PREFIX = "facet_"
TEAM_ROLES_SHOWN = 5
"""How many open roles of its team a story page lists."""


@dataclass(frozen=True)
class JobPage:
    """What ``page_context`` needs back for ``PageMeta``: the page's title, description, lang."""

    title: str
    description: str
    lang: str
    feed_url: str = ""
    """Absolute URL of the jobs feed (``page.feed_url`` on every role page)."""


def words_for(config: SiteConfig, texts: Mapping[str, str] | None = None) -> dict[str, str]:
    """The role pages' titles and filter names from the page's texts (``ui_strings``).

    Without ``texts``: those of brandsite's default theme in the site's language.
    """
    if texts is None:
        packaged = packaged_strings()
        texts = ui_strings(packaged, packaged, config.language, config.extra)
    words = {short: texts[key] for short, key in JOB_WORDS.items()}
    words.update(
        {
            key[len(FACET_PREFIX) :]: text
            for key, text in texts.items()
            if key.startswith(FACET_PREFIX)
        }
    )
    return words


def filter_label(facet: Facet, words: dict[str, str]) -> str:
    """How a filter is called: the team or place as written, a type or "remote" in words."""
    if facet.kind == "type" or (facet.kind == "location" and facet.slug == REMOTE):
        return words.get(facet.label, facet.label)
    return facet.label


def job_page_context(
    route_kind: str,
    key: str,
    site: Site,
    config: SiteConfig,
    context: dict[str, Any],
    texts: Mapping[str, str] | None = None,
) -> JobPage:
    """Fill ``context`` for the listing (``key`` "" or ``kind/slug``) or a role (``key`` its slug).

    ``texts`` are the page's texts (``strings.ui_strings``) the titles and filter names come from.
    """
    words = words_for(config, texts)
    if route_kind == "job":
        role = next(r for r in site.roles if r.slug == key)
        context["role"] = role
        context["team_stories"] = team_stories(site.stories, role.team)
        context["other_roles"] = [r for r in roles_of_team(site.roles, role.team) if r is not role]
        context["job_posting"] = job_posting(
            role.job, organisation(config), role.absolute_url, str(role.body_html)
        )
        context["jobs_feed_url"] = page_url(config, JOBS_FEED_PATH)
        feed = absolute_url(config, JOBS_FEED_PATH)
        return JobPage(role.title, derive_summary(role.job.body_markdown), role.lang, feed)
    groups = all_facets(site.roles)
    current: dict[str, Any] | None = None
    filters: dict[str, list[dict[str, Any]]] = {}
    roles: Sequence[Role] = site.roles
    for kind in FACETS:
        filters[kind] = []
        for facet in groups[kind]:
            entry = {
                "kind": kind,
                "slug": facet.slug,
                "label": filter_label(facet, words),
                "url": page_url(config, jobs_filter_path(kind, facet.slug)),
                "count": len(facet.roles),
                "current": key == f"{kind}/{facet.slug}",
            }
            filters[kind].append(entry)
            if entry["current"]:
                current, roles = entry, facet.roles
    context["roles"] = list(roles)
    context["filters"] = filters
    context["filter"] = current
    context["jobs_url"] = page_url(config, "jobs/")
    context["jobs_feed_url"] = page_url(config, JOBS_FEED_PATH)
    feed = absolute_url(config, JOBS_FEED_PATH)
    if current is None:
        description = words["jobs_description"].format(company=config.company)
        return JobPage(words["jobs"], description, config.language, feed)
    title = words[current["kind"]].format(label=current["label"])
    description = words["filter_description"].format(count=len(roles), company=config.company)
    return JobPage(title, description, config.language, feed)


def team_stories(stories: Sequence[Story], team: str | None) -> list[Story]:
    """The published stories of ``team``, newest first ("people in this team")."""
    return [story for story in stories if team and story.team == team]


def team_roles(site: Site, story: Story) -> list[Role]:
    """Up to TEAM_ROLES_SHOWN open roles of the story's team, newest first."""
    return roles_of_team(site.roles, story.team)[:TEAM_ROLES_SHOWN]


def value_roles(site: Site, slug: str) -> list[Role]:
    """The open roles that carry the value ``slug``."""
    return [role for role in site.roles if slug in role.value_slugs]
