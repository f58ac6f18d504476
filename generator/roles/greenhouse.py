"""Greenhouse's job board JSON (``boards-api.greenhouse.io/v1/boards/<board>/jobs?content=true``).

``{"jobs": [{id, title, updated_at, location{name}, absolute_url, content, departments[{name}],
offices[{name, location}], metadata}]}``; ``content`` is HTML written with entities (``&lt;p&gt;``).
"""

from __future__ import annotations

import html
from typing import Any

from .feed import FeedProblem, FeedRole, feed_error, ordinal, parse_moment
from .jsonfeed import list_of, mapping_of, read_json, text_of

TYPE_FIELDS = ("employment type", "employment_type", "type of employment", "anstellungsart")
"""Names of the custom field (``metadata``) that usually carries the kind of employment."""


def parse_greenhouse(data: bytes, source: str) -> tuple[FeedRole, ...]:
    """Every job of a Greenhouse board; FeedProblem on the first thing that is wrong."""
    feed = read_json(data, source, "Greenhouse feed")
    if not isinstance(feed, dict) or not isinstance(feed.get("jobs"), list):
        raise FeedProblem(
            feed_error(
                source,
                1,
                'the feed is not a Greenhouse job board: it has no "jobs" list',
                "use https://boards-api.greenhouse.io/v1/boards/<board>/jobs?content=true",
            )
        )
    return tuple(_role(job, index, source) for index, job in enumerate(feed["jobs"]))


def _role(job: Any, index: int, source: str) -> FeedRole:
    where = f"the {ordinal(index)} job"
    if not isinstance(job, dict):
        raise FeedProblem(feed_error(source, 0, f"{where} is not an object", _HINT))
    ident, title, url = text_of(job, "id"), text_of(job, "title"), text_of(job, "absolute_url")
    for key, value in (("id", ident), ("title", title), ("absolute_url", url)):
        if not value:
            shown = f"{where} (id {ident})" if ident else where
            raise FeedProblem(feed_error(source, 0, f'{shown} has no "{key}"', _HINT))
    if not url.startswith("https://"):
        raise FeedProblem(
            feed_error(
                source, 0, f"the job {title!r} has an address that is not https: {url!r}", _HINT
            )
        )
    stamp = text_of(job, "first_published") or text_of(job, "updated_at")
    posted = parse_moment(stamp)
    if posted is None:
        raise FeedProblem(
            feed_error(
                source, 0, f'the job {title!r} has no readable "updated_at" ({stamp!r})', _HINT
            )
        )
    departments = [text_of(d, "name") for d in list_of(job, "departments") if isinstance(d, dict)]
    offices = [text_of(o, "name") for o in list_of(job, "offices") if isinstance(o, dict)]
    location = text_of(mapping_of(job, "location"), "name")
    types: list[str] = []
    for custom in list_of(job, "metadata"):
        if isinstance(custom, dict) and text_of(custom, "name").lower() in TYPE_FIELDS:
            found = custom.get("value")
            values = found if isinstance(found, list) else [found]
            types += [str(v).strip() for v in values if isinstance(v, str) and v.strip()]
    return FeedRole(
        ats_id=ident,
        title=title,
        department=next((d for d in departments if d), ""),
        locations=tuple(dict.fromkeys(o for o in offices if o))
        or ((location,) if location else ()),
        remote="remote" in location.lower(),
        types=tuple(types),
        posted=posted,
        url=url,
        apply_url=url,
        description_html=html.unescape(text_of(job, "content")),
    )


_HINT = "check the job in Greenhouse, or that SOURCE is the board's jobs?content=true feed"
