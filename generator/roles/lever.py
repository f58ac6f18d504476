"""Lever's postings JSON (``api.lever.co/v0/postings/<company>?mode=json``) → FeedRole records.

A list of ``{id, text, categories{team, department, location, commitment, allLocations},
description, descriptionPlain, lists[{text, content}], additional, hostedUrl, applyUrl,
createdAt (milliseconds), workplaceType, salaryRange{min, max, currency, interval}}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .feed import FeedProblem, FeedRole, FeedSalary, feed_error, ordinal
from .jsonfeed import list_of, mapping_of, read_json, text_of

INTERVALS = {
    "per-hour-wage": "hour",
    "per-day-wage": "day",
    "per-week-salary": "week",
    "per-month-salary": "month",
    "per-year-salary": "year",
}
"""Lever's ``salaryRange.interval`` → ``salary.per`` (``one-time`` has no period: no salary)."""


def parse_lever(data: bytes, source: str) -> tuple[FeedRole, ...]:
    """Every posting of a Lever site; FeedProblem on the first thing that is wrong."""
    feed = read_json(data, source, "Lever feed")
    if not isinstance(feed, list):
        raise FeedProblem(
            feed_error(
                source,
                1,
                "the feed is not a list of Lever postings",
                "use https://api.lever.co/v0/postings/<company>?mode=json",
            )
        )
    return tuple(_role(posting, index, source) for index, posting in enumerate(feed))


def _role(posting: Any, index: int, source: str) -> FeedRole:
    where = f"the {ordinal(index)} posting"
    if not isinstance(posting, dict):
        raise FeedProblem(feed_error(source, 0, f"{where} is not an object", _HINT))
    ident, title = text_of(posting, "id"), text_of(posting, "text")
    hosted = text_of(posting, "hostedUrl")
    for key, value in (("id", ident), ("text", title), ("hostedUrl", hosted)):
        if not value:
            shown = f"{where} (id {ident})" if ident else where
            raise FeedProblem(feed_error(source, 0, f'{shown} has no "{key}"', _HINT))
    apply_url = text_of(posting, "applyUrl") or hosted
    for url in (hosted, apply_url):
        if not url.startswith("https://"):
            raise FeedProblem(
                feed_error(
                    source, 0, f"the posting {title!r} has an address that is not https", _HINT
                )
            )
    created = posting.get("createdAt")
    if isinstance(created, bool) or not isinstance(created, int | float) or created < 0:
        raise FeedProblem(
            feed_error(source, 0, f'the posting {title!r} has no readable "createdAt"', _HINT)
        )
    try:
        posted = dt.datetime.fromtimestamp(created / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise FeedProblem(
            feed_error(source, 0, f'the posting {title!r} has an impossible "createdAt"', _HINT)
        ) from None
    categories = mapping_of(posting, "categories")
    places = [str(p).strip() for p in list_of(categories, "allLocations") if isinstance(p, str)]
    location = text_of(categories, "location")
    commitment = text_of(categories, "commitment")
    return FeedRole(
        ats_id=ident,
        title=title,
        department=text_of(categories, "team") or text_of(categories, "department"),
        locations=tuple(dict.fromkeys(p for p in places if p)) or ((location,) if location else ()),
        remote=text_of(posting, "workplaceType").lower() == "remote",
        types=(commitment,) if commitment else (),
        posted=posted,
        url=hosted,
        apply_url=apply_url,
        description_html=_description(posting),
        salary=_salary(mapping_of(posting, "salaryRange")),
    )


def _description(posting: dict[str, Any]) -> str:
    """The opening, each titled list, and the closing, as one HTML text."""
    parts = [text_of(posting, "opening"), text_of(posting, "description")]
    for block in list_of(posting, "lists"):
        if isinstance(block, dict):
            heading = text_of(block, "text")
            if heading:
                parts.append(f"<h2>{_escape(heading)}</h2>")
            content = text_of(block, "content")
            parts.append(content if content.lstrip().startswith("<ul") else f"<ul>{content}</ul>")
    parts.append(text_of(posting, "additional"))
    return "\n".join(part for part in parts if part)


def _salary(found: dict[str, Any]) -> FeedSalary | None:
    low, high = found.get("min"), found.get("max")
    currency, per = text_of(found, "currency").upper(), INTERVALS.get(text_of(found, "interval"))
    numbers = [v for v in (low, high) if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != 2 or not currency or per is None or numbers[0] > numbers[1]:
        return None
    return FeedSalary(float(numbers[0]), float(numbers[1]), currency, per)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HINT = "check the posting in Lever, or that SOURCE is the company's postings?mode=json feed"
