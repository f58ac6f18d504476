"""Rebuilds proportional to the change: which files a build must plan again, from what changed.

A build plans a file by making its template context and a fingerprint of it, which costs about
as much per page as the site is big. While the site keeps its *shape* (settings, theme, values,
routes, the open roles, and the published stories with what orders and groups them: slug, date,
title, values; and their team when the site has open roles)
every file's context stays the same except for the stories it shows as cards and the stories and
values whose whole text it read. The manifest keeps both per file (``PageRecord.cards`` and
``reads``) and, in ``PlanMemory``, the digests they had; so after a change only the files that
show or read a changed story are planned again, and a build with no change plans no page at all.
Anything that changes the shape plans every file, as a clean build would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..content.model import Site
from ..site.routes import HTML_KINDS, Route
from .cache import Manifest, PlanMemory, digest


def plan_memory(
    common: str, today: dt.date, routes: list[Route], site: Site, full: Mapping[str, str]
) -> PlanMemory:
    """What this build's plan is made from (``common`` is the digest every fingerprint starts from)."""
    editions = site.all_editions
    teams = bool(site.roles)  # a role's page lists its team's stories: their team groups them
    stories = [
        f"{e.lang}\0{s.read_key}\0{s.slug}\0{s.date.isoformat()}\0{s.title}\0"
        f"{','.join(s.value_slugs)}" + (f"\0{s.team or ''}" if teams else "")
        for e in editions
        for s in e.stories
    ]
    values = [f"{v.read_key}\0{v.slug}\0{v.card_digest}" for e in editions for v in e.values]
    # Every open role, as it is today: any change to one (or one opening or closing) plans all.
    roles = [f"{e.lang}\0{r.read_key}\0{r.digest}" for e in editions for r in e.roles]
    shape = digest(
        common,
        today.isoformat(),
        "\n".join(f"{r.kind}\0{r.output_path}\0{r.key}\0{r.template}\0{r.group}" for r in routes),
        "\n".join(stories),
        "\n".join(values),
        "\n".join(roles),
    )
    cards = {story.read_key: story.card_digest for story in site.stories}
    return PlanMemory(shape, cards, dict(full))


def pages_to_plan(manifest: Manifest | None, memory: PlanMemory) -> set[str] | None:
    """The HTML pages to plan again, or None when every file must be planned.

    A page is planned again when a story it shows changed what listings show, or a story or
    value whose whole text it read changed.
    """
    last = manifest.memory if manifest is not None else None
    if manifest is None or last is None or last.shape != memory.shape:
        return None
    changed_cards = _changed(last.cards, memory.cards)
    changed_full = _changed(last.full, memory.full)
    if not changed_cards and not changed_full:
        return set()
    return {
        path
        for path, page in manifest.pages.items()
        if not changed_cards.isdisjoint(page.cards) or not changed_full.isdisjoint(page.reads)
    }


def _changed(before: Mapping[str, str], after: Mapping[str, str]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def is_page(route: Route) -> bool:
    """Routes whose plan costs a page context (the others are planned on every build)."""
    return route.kind in HTML_KINDS
