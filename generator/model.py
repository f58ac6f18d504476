"""The content model: what a story, a value and a whole site are once loaded and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from markupsafe import Markup


class BodyRenderer(Protocol):
    """Turns a Markdown body into HTML (``markdown.MarkdownRenderer``)."""

    def convert(self, text: str, source: str) -> Markup: ...


@dataclass(frozen=True)
class Image:
    """A picture that belongs to a story or value, copied into the output."""

    source: str
    """Source path relative to the project root (``content/stories/images/anna.jpg``)."""
    output_path: str
    """Path relative to the output folder (``media/stories/images/anna.jpg``)."""
    url: str
    """Root-relative URL (``/careers/media/stories/images/anna.jpg``)."""
    alt: str
    """Alternative text."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""


@dataclass(frozen=True)
class Value:
    """A corporate value, from ``content/values/<slug>.md``."""

    slug: str
    """URL segment and the name stories use to tag it."""
    title: str
    """Display name."""
    summary: str
    """One sentence."""
    order: int
    """Sort key on listings (lower first); ties sort by title."""
    body_markdown: str
    """The description, in Markdown."""
    source: str
    """Source path relative to the project root."""
    renderer: BodyRenderer = field(compare=False, repr=False)
    """Converts the body on first use (so workers convert only what they render)."""
    url: str = ""
    """Root-relative URL of the value's page."""
    story_count: int = 0
    """How many published stories live this value."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""

    @cached_property
    def body_html(self) -> Markup:
        """The description as HTML."""
        return self.renderer.convert(self.body_markdown, self.source)


@dataclass(frozen=True)
class Story:
    """An employee story, from ``content/stories/<name>.md``, with its values resolved."""

    slug: str
    """URL segment."""
    title: str
    """Headline."""
    author: str
    """The employee telling the story."""
    date: dt.date
    """Publication date; in the future means scheduled."""
    values: tuple[Value, ...]
    """The values the story shows, in the order it lists them."""
    summary: str
    """Plain-text teaser (from front matter or the first paragraph)."""
    body_markdown: str
    """The story, in Markdown."""
    source: str
    """Source path relative to the project root."""
    lang: str
    """The story's language (the site's unless the story says otherwise)."""
    renderer: BodyRenderer = field(compare=False, repr=False)
    """Converts the body on first use (so workers convert only what they render)."""
    role: str | None = None
    """Job title."""
    team: str | None = None
    """Team or department."""
    location: str | None = None
    """Office or city."""
    image: Image | None = None
    """Lead picture."""
    draft: bool = False
    """Drafts are only built with ``--drafts``."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""
    url: str = ""
    """Root-relative URL of the story's page."""
    absolute_url: str = ""
    """Absolute URL of the story's page."""

    @cached_property
    def body_html(self) -> Markup:
        """The story as HTML."""
        return self.renderer.convert(self.body_markdown, self.source)

    @property
    def value_slugs(self) -> tuple[str, ...]:
        """Slugs of the story's values."""
        return tuple(value.slug for value in self.values)


@dataclass(frozen=True)
class Site:
    """Everything a build publishes: checked, linked and sorted."""

    stories: tuple[Story, ...]
    """Published stories, newest first (date, then title, then slug)."""
    values: tuple[Value, ...]
    """All values, by order then title."""
    assets: tuple[Asset, ...] = ()
    """Files copied verbatim into the output (images)."""


@dataclass(frozen=True)
class Asset:
    """A file copied from the project into the output unchanged."""

    source: str
    """Absolute path on disk (read at write time)."""
    output_path: str
    """Path relative to the output folder."""
