"""The content model: what a story, a value and a whole site are once loaded and checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup

from ..engine.pickling import fast_pickle
from ..roles.model import Job

if TYPE_CHECKING:
    from ..markdown.embeds import Embed


class BodyRenderer(Protocol):
    """Turns a Markdown body into HTML (``markdown.MarkdownRenderer``)."""

    read_log: set[str] | None
    """While a page renders: the keys of the bodies and counts it reads (see ``incremental``)."""
    images: Mapping[str, Image]
    """The published pictures, by their path as stories write it."""

    def convert(self, text: str | None, source: str, key: str = "") -> Markup: ...

    def convert_inline(self, text: str, source: str) -> Markup: ...


@fast_pickle
@dataclass(frozen=True, slots=True)
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
    variants: tuple[ImageVariant, ...] = ()
    """Resized copies (``images.plan_image``); empty for files published unchanged (SVG)."""
    share_url: str | None = None
    """Root-relative URL of the 1200×630 crop for Open Graph; None when there is none."""
    referenced_at: tuple[str, int] = field(default=("", 0), compare=False)
    """The first ``source, line`` that uses the picture, where problems with it are reported."""

    @property
    def srcset(self) -> str:
        """``srcset`` of the WebP copies (``/media/a-400w.webp 400w, …``); "" when unprocessed."""
        return _srcset(v for v in self.variants if v.format == "webp" and not v.share)

    @property
    def fallback_srcset(self) -> str:
        """``srcset`` in the picture's own format (JPEG, PNG), for ``<picture>`` fallbacks."""
        own = self.fallback_format
        return _srcset(v for v in self.variants if v.format == own and not v.share)

    @property
    def fallback_format(self) -> str:
        """The picture's own format its copies are also written in (``jpeg``, ``png``, ``webp``)."""
        own = [v.format for v in self.variants if v.format != "webp" and not v.share]
        return own[0] if own else "webp"


@dataclass(frozen=True)
class ImageVariant:
    """One processed copy of an Image: a width in a format, or the social-media crop."""

    output_path: str
    """Path relative to the output folder."""
    url: str
    """Root-relative URL."""
    width: int
    height: int
    format: str
    """Pillow format name in lower case: ``webp``, ``jpeg``, ``png``."""
    share: bool = False
    """True for the 1200×630 Open Graph crop."""


def _srcset(variants: Iterable[ImageVariant]) -> str:
    return ", ".join(f"{v.url} {v.width}w" for v in variants)


@dataclass(frozen=True)
class Consent:
    """Who agreed to a story being published, and when (``consent:`` in front matter)."""

    by: str
    """The person who agreed (usually the employee telling the story)."""
    date: dt.date
    """The day they agreed."""


@fast_pickle
@dataclass(frozen=True, slots=True)
class Value:
    """A corporate value, from ``content/values/<slug>.md``."""

    slug: str
    """URL segment and the name stories use to tag it."""
    title: str
    """Display name."""
    summary: str
    """One sentence, as plain text (Markdown stripped)."""
    order: int
    """Sort key on listings (lower first); ties sort by title."""
    body_markdown: str | None
    """The description, in Markdown (None when only the cache was read; reloaded on demand)."""
    source: str
    """Source path relative to the project root."""
    renderer: BodyRenderer = field(compare=False, repr=False)
    """Converts the body on first use (so workers convert only what they render)."""
    url: str = ""
    """Root-relative URL of the value's page."""
    count: int = 0
    """How many published stories live this value (templates read ``story_count``)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""
    digest: str = ""
    """Changes whenever anything a template can read from the value changes."""
    card_digest: str = ""
    """Changes when what shows of the value elsewhere changes: all but its text and count."""
    summary_markdown: str = ""
    """The summary as written in front matter (Markdown); "" when taken from the body."""
    summary_in_body: bool = False
    """The written summary says what the first paragraph says (so the page shows it once)."""
    lang: str = ""
    """The language of this copy of the value on a multilingual site; "" for the default one."""
    memo: dict[str, Markup] = field(default_factory=dict, init=False, compare=False, repr=False)
    """HTML converted once per object (the lead, the card summary), by name."""

    @property
    def read_key(self) -> str:
        """How pages that read this value's text or count record it (one key per language)."""
        return "value:" + self.slug if not self.lang else f"value:{self.lang}:{self.slug}"

    @property
    def lead(self) -> Markup:
        """The written summary as inline HTML, or "" (then the page's text begins with it)."""
        return _inline(self, "" if self.summary_in_body else self.summary_markdown, self.source)

    @property
    def summary_html(self) -> Markup:
        """The summary for cards: the written one as inline HTML, else the plain text."""
        if not self.summary_markdown:
            return Markup.escape(self.summary)
        if not self.summary_in_body:
            return self.lead
        return _inline(self, self.summary_markdown, self.source, "summary_html")

    @property
    def story_count(self) -> int:
        """How many published stories live this value."""
        _note_read(self.renderer, self.read_key)
        return self.count

    @property
    def body_html(self) -> Markup:
        """The description as HTML."""
        _note_read(self.renderer, self.read_key)
        return _body_html(self, self.body_markdown, self.source, self.digest)


@fast_pickle
@dataclass(frozen=True, slots=True)
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
    """Plain-text teaser (from front matter or the first paragraph; Markdown stripped)."""
    body_markdown: str | None
    """The story, in Markdown (None when only the cache was read; reloaded on demand)."""
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
    consent: Consent | None = None
    """Who agreed to the story being published, and when."""
    expires: dt.date | None = None
    """The last day the story is published (consent ends); None for no end."""
    embeds: tuple[Embed, ...] = ()
    """Click-to-load videos and audio in the body, in order (``embeds.find_embeds``)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form data for themes."""
    url: str = ""
    """Root-relative URL of the story's page."""
    absolute_url: str = ""
    """Absolute URL of the story's page."""
    digest: str = ""
    """Changes whenever anything a template can read from the story changes (values aside)."""
    card_digest: str = ""
    """Changes when what listings can show of the story changes: everything but its body."""
    summary_markdown: str = ""
    """The summary as written in front matter (Markdown); "" when taken from the body."""
    summary_in_body: bool = False
    """The written summary says what the first paragraph says (so the page shows it once)."""
    share_title: str = ""
    """The shorter title for its share image; "" to use ``title``."""
    share_title_line: int = 0
    """Line of ``share_title`` (else ``title``) in ``source``, for problems with the card."""
    path: str = ""
    """Site path of the story's page from the site's root (``en/stories/anna/``)."""
    original: Story | None = None
    """Set on a story shown untranslated on another language's pages (``untranslated =
    "show-original"``): the story itself, whose page is the canonical one."""
    translation_group: str = ""
    """The source of the original the story is a version of (its own when it is the original)."""
    memo: dict[str, Markup] = field(default_factory=dict, init=False, compare=False, repr=False)
    """HTML converted once per object (the lead, the card summary), by name."""

    @property
    def read_key(self) -> str:
        """How pages that read this story's body record it."""
        return self.source

    @property
    def untranslated(self) -> bool:
        """The story is shown in its own language on another language's pages."""
        return self.original is not None

    @property
    def card_path(self) -> str:
        """Output path of the story's share image (the original's, for an untranslated copy)."""
        return (self.original or self).path + "share.png"

    @property
    def body_html(self) -> Markup:
        """The story as HTML."""
        _note_read(self.renderer, self.read_key)
        return _body_html(self, self.body_markdown, self.source, self.digest)

    @property
    def lead(self) -> Markup:
        """The written summary as inline HTML, or "" (then the story begins with it)."""
        return _inline(self, "" if self.summary_in_body else self.summary_markdown, self.source)

    @property
    def summary_html(self) -> Markup:
        """The summary for cards: the written one as inline HTML, else the plain text."""
        if not self.summary_markdown:
            return Markup.escape(self.summary)
        if not self.summary_in_body:
            return self.lead
        return _inline(self, self.summary_markdown, self.source, "summary_html")

    @property
    def value_slugs(self) -> tuple[str, ...]:
        """Slugs of the story's values."""
        return tuple(value.slug for value in self.values)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Role:
    """An open role on the site: its checked job file, with its URL and values resolved."""

    job: Job
    """The job file as checked (``roles.model.Job``): title, team, locations, dates, salary."""
    values: tuple[Value, ...]
    """The values it carries: its own ``values``, else those of its team's stories."""
    renderer: BodyRenderer = field(compare=False, repr=False)
    """Converts the description on first use."""
    url: str = ""
    """Root-relative URL of the role's page."""
    absolute_url: str = ""
    """Absolute URL of the role's page."""
    lang: str = ""
    """The role's language (the site's unless the job file says otherwise)."""
    digest: str = ""
    """Changes whenever anything a template can read from the role changes."""
    memo: dict[str, Markup] = field(default_factory=dict, init=False, compare=False, repr=False)
    """The description's HTML, converted once per object."""

    @property
    def slug(self) -> str:
        """URL segment of the role's page."""
        return self.job.slug

    @property
    def title(self) -> str:
        """The role's name."""
        return self.job.title

    @property
    def team(self) -> str | None:
        """The team it belongs to (the ``team`` of stories)."""
        return self.job.team

    @property
    def read_key(self) -> str:
        """How pages that read this role's description record it."""
        return "job:" + self.job.slug

    @property
    def body_html(self) -> Markup:
        """The description as HTML (the same converter as stories)."""
        _note_read(self.renderer, self.read_key)
        cached = self.memo.get("body_html")
        if cached is None:
            cached = self.memo["body_html"] = self.renderer.convert(
                self.job.body_markdown, self.job.source, self.digest
            )
        return cached

    @property
    def value_slugs(self) -> tuple[str, ...]:
        """Slugs of the role's values."""
        return tuple(value.slug for value in self.values)


def _note_read(renderer: BodyRenderer, key: str) -> None:
    """Tell the page being rendered that it depends on ``key``'s full content."""
    log = getattr(renderer, "read_log", None)
    if log is not None:
        log.add(key)


def _body_html(owner: Story | Value, text: str | None, source: str, key: str) -> Markup:
    """The owner's body as HTML; the renderer keeps the recent ones, not every object its own."""
    return owner.renderer.convert(text, source, key)


def _inline(owner: Story | Value, text: str, source: str, name: str = "lead") -> Markup:
    """The owner's written summary as inline HTML, converted once per object (kept as ``name``)."""
    cached = owner.memo.get(name)
    if cached is None:
        cached = owner.memo[name] = (
            owner.renderer.convert_inline(text, source) if text else Markup("")
        )
    return cached


@dataclass(frozen=True)
class Site:
    """Everything a build publishes: checked, linked and sorted."""

    stories: tuple[Story, ...]
    """Published stories, newest first (date, then title, then slug)."""
    values: tuple[Value, ...]
    """All values, by order then title."""
    assets: tuple[Asset, ...] = ()
    """Files copied verbatim into the output (SVG pictures)."""
    images: tuple[Image, ...] = ()
    """Published pictures that are resized and stripped of metadata (``images.publish_images``)."""
    renderer: BodyRenderer | None = field(default=None, compare=False, repr=False)
    """The Markdown renderer every story and value shares (it logs what pages read)."""
    roles: tuple[Role, ...] = ()
    """Open roles (posted, not past their last day), newest first (date posted, title, slug)."""
    lang: str = ""
    """The language of an edition; "" on the whole site."""
    prefix: str = ""
    """Where an edition's pages are, from the site's root (``en/``; "" for the root)."""
    editions: tuple[Site, ...] = ()
    """A multilingual site's editions, the default language first: each holds the stories,
    values and roles of its language's pages. The whole site holds every story, picture and
    file once (its values are the default language's). Empty on a one-language site."""

    @property
    def all_editions(self) -> tuple[Site, ...]:
        """The editions to render: the site itself when it has one language."""
        return self.editions or (self,)


@dataclass(frozen=True)
class Asset:
    """A file copied from the project into the output unchanged."""

    source: str
    """Absolute path on disk (read at write time)."""
    output_path: str
    """Path relative to the output folder."""
