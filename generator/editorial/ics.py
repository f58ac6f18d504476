"""The editorial calendar as an iCalendar file (RFC 5545) that calendar apps can subscribe to."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration

from ..content.config import SiteConfig
from ..content.entries import SLUG_RE
from ..errors import printable
from ..share.plan import PlannedPost
from ..site.routes import absolute_url, language_prefix, story_path
from .planning import PlannedStory, channel_name
from .project import DRAFT

PRODID = "-//brandsite//editorial calendar//EN"
REFRESH = dt.timedelta(hours=12)
"""How often subscribed calendars should fetch the file again (also ``X-PUBLISHED-TTL``)."""


def calendar_ics(
    stories: Sequence[PlannedStory],
    config: SiteConfig,
    stamp: dt.datetime,
    value_titles: Mapping[str, str] | None = None,
    titles_in: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """One all-day event per story on its publication day; drafts are tentative.

    ``stamp`` (time-zone aware) becomes every event's DTSTAMP, so the same plan and stamp give
    the same bytes. UIDs come from the story's slug, so a rescheduled story moves in subscribed
    calendars instead of appearing twice. ``titles_in`` (language → value slug → title) names a
    story's values in its own language; ``value_titles`` (the default language's) otherwise.
    """
    titles = value_titles or {}
    translated = titles_in or {}
    host = urlsplit(config.base_url).hostname or "brandsite.invalid"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    site = text(config.title)
    calendar.add("x-wr-calname", f"{site}: editorial calendar")
    calendar.add("x-wr-caldesc", f"Published, scheduled and draft stories of {site}")
    calendar.add("x-wr-timezone", config.timezone)
    # Wrapped as durations explicitly: icalendar 6.0 does not know these properties' types.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for story in stories:
        # Values by their titles in the story's language, where the value has one.
        own = {**titles, **translated.get(story.lang or config.language, {})}
        calendar.add_component(_event(story, config, host, stamp.astimezone(dt.UTC), own))
    for story in stories:
        if story.status == DRAFT or SLUG_RE.fullmatch(story.slug) is None:
            continue  # a draft's posts wait for the story; a bad slug has no page to post
        for number, post in enumerate(story.posts, start=1):
            calendar.add_component(_post_event(story, post, number, config, host, stamp))
    ical: bytes = calendar.to_ical()
    return ical


def _event(
    story: PlannedStory,
    config: SiteConfig,
    host: str,
    stamp: dt.datetime,
    titles: Mapping[str, str],
) -> Event:
    # A slug the build would refuse (`bad-slug`) has no page and could carry line breaks into
    # the UID: such a story gets a UID from its file name and no URL.
    plain_slug = SLUG_RE.fullmatch(story.slug) is not None
    event = Event()
    if plain_slug:
        event.add("uid", f"story-{story.slug}{_edition(story, config)}@{host}")
    else:
        digest = hashlib.sha256(story.source.encode("utf-8", "surrogateescape")).hexdigest()
        event.add("uid", f"story-file-{digest[:20]}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", story.date)
    # Without DTEND an all-day event lasts one day (RFC 5545, 3.6.1): the way out for
    # 9999-12-31, whose next day no date can hold.
    if story.date < dt.date.max:
        event.add("dtend", story.date + dt.timedelta(days=1))
    draft = story.status == DRAFT
    title = text(story.title)
    event.add("summary", f"Draft: {title}" if draft else title)
    event.add("status", "TENTATIVE" if draft else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("description", _description(story, titles))
    if story.values:
        event.add("categories", [text(titles.get(slug, slug)) for slug in story.values])
    url = story_url(story, config)
    if not draft and url:
        event.add("url", url)
    return event


def story_url(story: PlannedStory, config: SiteConfig) -> str:
    """The address of the story's page, in its language's part of the site (``/en/stories/…``);
    "" when it has none: a slug the build refuses, or a language the site does not publish."""
    lang = story.lang or config.language
    if SLUG_RE.fullmatch(story.slug) is None:
        return ""
    if config.multilingual and lang not in config.languages:
        return ""
    return absolute_url(config, language_prefix(config, lang) + story_path(story.slug))


def _edition(story: PlannedStory, config: SiteConfig) -> str:
    """``.en`` for a story in another language than the default: slugs are unique per language,
    so a translation may share its original's (a slug has no dots, so UIDs stay apart)."""
    lang = story.lang or config.language
    return "" if lang == config.language or not config.multilingual else f".{lang.lower()}"


def _post_event(
    story: PlannedStory,
    post: PlannedPost,
    number: int,
    config: SiteConfig,
    host: str,
    stamp: dt.datetime,
) -> Event:
    """An all-day event on the day a post about the story is planned."""
    event = Event()
    # Numbered within the story, so moving a post to another day moves its event.
    event.add("uid", f"post-{story.slug}{_edition(story, config)}-{number}@{host}")
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", post.on)
    if post.on < dt.date.max:
        event.add("dtend", post.on + dt.timedelta(days=1))
    event.add("summary", f"{channel_name(post.channel)} post: {text(story.title)}")
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    url = story_url(story, config)
    event.add(
        "description",
        text(f"{post.text}\n\nStory: {url or story.slug}\nFile: {story.source}:{post.text_line}"),
    )
    event.add("categories", ["Social media", channel_name(post.channel)])
    if url:
        event.add("url", url)
    return event


def text(value: str) -> str:
    """``value`` fit for an iCalendar TEXT value: RFC 5545 allows no control character but tab.

    Line breaks become ``\\n`` (icalendar then writes them as the escaped ``\\\\n``); other
    control characters are written out as ``\\x1b``. icalendar escapes ``,``, ``;`` and ``\\``.
    """
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    return printable(lines, keep="\n\t")


def _description(story: PlannedStory, titles: Mapping[str, str]) -> str:
    by = ", ".join(part for part in (story.author, story.role, story.team) if part)
    lines = [
        f"By {by}",
        f"Status: {story.status}",
        "Values: " + ", ".join(titles.get(slug, slug) for slug in story.values),
    ]
    if story.summary:
        lines += ["", story.summary]
    lines += ["", f"File: {story.source}"]
    return text("\n".join(lines))
