"""The publish rule, in one place: is a story on the site today, and if not, why not.

The build, ``check``, ``serve``, ``calendar`` and ``report`` all ask ``publish_status``. By the time
a story gets here its date is the day in the site's time zone (``linking.on_site_day``), so a
story dated with a time and an offset is judged by the day it is where the site lives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .entries import StoryEntry


class PublishStatus(StrEnum):
    """Where a story stands on a given day."""

    PUBLISHED = "published"
    """On the site."""
    SCHEDULED = "scheduled"
    """Dated after today: it appears on its day."""
    DRAFT = "draft"
    """``draft: true``: never published (unless a preview includes drafts)."""
    EXPIRED = "expired"
    """Its ``expires`` day has passed: consent ended, so it is off the site."""
    NEEDS_CONSENT = "needs-consent"
    """site.toml says ``require_consent = true`` and the story records none: the build refuses
    it (``missing-consent``)."""


@dataclass(frozen=True)
class PublishOptions:
    """The day to judge by, and what the site asks of a story."""

    today: dt.date
    include_drafts: bool = False
    """Publish drafts too (previews)."""
    require_consent: bool = False
    """``require_consent`` from site.toml."""


def publish_status(entry: StoryEntry, options: PublishOptions) -> PublishStatus:
    """The story's status on ``options.today``; drafts and expired stories need no consent."""
    if entry.draft and not options.include_drafts:
        return PublishStatus.DRAFT
    if entry.expires is not None and entry.expires < options.today:
        return PublishStatus.EXPIRED  # `expires` is the last day online
    if options.require_consent and entry.consent is None:
        return PublishStatus.NEEDS_CONSENT
    if entry.date > options.today:
        return PublishStatus.SCHEDULED
    return PublishStatus.PUBLISHED


def left_out(entry: StoryEntry, options: PublishOptions) -> str | None:
    """Why a story is not published (``draft``, ``scheduled for …``, ``expired on …``), or None."""
    status = publish_status(entry, options)
    if status is PublishStatus.EXPIRED:
        assert entry.expires is not None
        return f"expired on {entry.expires.isoformat()}"
    if status is PublishStatus.SCHEDULED:
        return f"scheduled for {entry.date.isoformat()}"
    if status is PublishStatus.NEEDS_CONSENT:
        return "no consent recorded"
    return None if status is PublishStatus.PUBLISHED else str(status)
