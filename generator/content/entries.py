"""Front matter → typed entries: every per-file rule for stories and values, with exact lines.

Cross-file rules (values exist, duplicate slugs, images on disk) live in ``linking``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from ..engine.cache import digest
from ..engine.pickling import fast_pickle
from ..errors import Diagnostic, closest, did_you_mean, error
from ..markdown.complexity import complexity_problem
from ..markdown.embeds import Embed, find_embeds
from ..markdown.foreign_markup import foreign_markup_warnings
from ..markdown.html_embeds import html_embed_warnings
from ..markdown.summaries import plain_text, shorten
from ..share.plan import PlannedPost, check_share
from ..site.privacy import markdown_target, scan_markdown
from ..site.urls import browser_url, url_host
from .frontmatter import FrontMatter, field_name, parse_front_matter
from .internal_links import find_links
from .loading import CONTROL_RE, SourceFile
from .model import Consent
from .translation_digest import text_digest

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
RESERVED_SLUGS = frozenset({"page"})
"""``stories/page/2/`` is pagination, so no story may be called ``page``."""

STORY_FIELDS = (
    "title", "author", "role", "team", "location", "date", "values", "summary",
    "image", "image_alt", "draft", "slug", "lang", "consent", "expires", "extra", "share", "share_title",
    "translation_of", "translated_from",
)  # fmt: skip
CONSENT_FIELDS = ("by", "date")
VALUE_FIELDS = ("title", "summary", "order", "slug", "extra", "lang", "translation_of")
_INLINE_IMAGE_RE = re.compile(r"!\[[^\][]*\]\(\s*(<[^>]*>|[^)]*)")
GUIDE_MARKER = "<!-- brandsite: writing guide"
"""Starts the line above the guide ``brandsite new`` writes; a file that has it cannot publish."""
GUIDE_END = "<!-- brandsite: end of the writing guide -->"
_DATE_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|z|[+-]\d{1,2}(?::?\d{2})?)?"
)
_REQUIRED_TEXT = ("title", "author")


@fast_pickle
@dataclass(frozen=True, slots=True)
class Located:
    """A value from front matter and the line it was written on."""

    value: str
    line: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class StoryEntry:
    """A story's front matter, checked field by field but not yet linked to values."""

    source: str
    slug: Located
    title: str
    author: str
    date: dt.date
    date_line: int
    values: tuple[Located, ...]
    values_line: int
    """Line of the ``values`` key, or of the closing ``---`` when the key is missing."""
    values_given: bool
    """Whether the front matter has a ``values`` key at all."""
    summary: str
    """Plain text (Markdown stripped), from front matter or the first paragraph."""
    body_markdown: str | None
    """None once the build has checked it (and in entries read back from the cache): the
    renderer reads it again from the file, at ``body_start``, when it converts it."""
    body_line: int
    body_start: int
    """Where the body begins in the file's decoded text (a character offset)."""
    lang: str | None = None
    role: str | None = None
    team: str | None = None
    location: str | None = None
    image: Located | None = None
    """Image source path, resolved relative to the project root."""
    image_alt: str = ""
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    inline_images: tuple[Located, ...] = ()
    """Images the Markdown body references by relative path (resolved to project sources)."""
    html_images: tuple[Located, ...] = ()
    """Pictures of raw ``<img src>`` by relative path (used when raw HTML is ``safe``)."""
    links: tuple[Located, ...] = ()
    """Every link target in the body as written, with its line (checked by ``linking``)."""
    consent: Consent | None = None
    """Who agreed to publication, and when."""
    consent_line: int = 0
    """Line of ``consent``, or of the closing ``---`` when the key is missing."""
    expires: dt.date | None = None
    """The last day the story is published."""
    expires_line: int = 0
    embeds: tuple[Embed, ...] = ()
    """Click-to-load players in the body."""
    posters: tuple[Located, ...] = ()
    """Poster pictures of the embeds (resolved to project sources)."""
    remote_images: tuple[Located, ...] = ()
    """Pictures the body would load from an absolute address (checked by ``privacy``)."""
    digest: str = ""
    """Digest of the file's path and text: changes whenever anything in it does."""
    meta_digest: str = ""
    """Digest of all but the body (front matter and summary): what listings can show."""
    moment: dt.datetime | None = None
    """``date`` with a time and an offset (Jekyll's ``2016-02-04 10:00:00 +0100``): the day it
    falls on in the site's time zone becomes ``date`` when the site is linked."""
    values_reported: bool = False
    """A problem with ``values`` was reported already (so no second "no values" follows)."""
    guide_line: int = 0
    """Line of the writing guide's marker when the body still has it; 0 otherwise."""
    summary_markdown: str = ""
    """The summary as written in front matter (Markdown); "" when taken from the body."""
    summary_in_body: bool = False
    """The written summary says what the first paragraph says (so the page shows it once)."""
    share_title: str = ""
    """The shorter title for the share image (``share_title``); "" to use the title."""
    share_title_line: int = 0
    """Line of ``share_title``, else of ``title``: where a too-long card title is reported."""
    planned: tuple[PlannedPost, ...] = ()
    """Posts planned for the story (``share:``), for the calendar and the share kit."""
    lang_line: int = 0
    """Line of ``lang`` (0 when the story does not say)."""
    translation_of: Located | None = None
    """The original's file name without ``.md`` (``translation_of``), when this is a translation."""
    translated_from: Located | None = None
    """The digest of the original this translation was made from (``brandsite translations mark``)."""
    text_digest: str = ""
    """Digest of title, summary as written and body (``translation_digest``): what a translation
    records of its original; kept in entries read back from the cache, which have no body."""


@fast_pickle
@dataclass(frozen=True, slots=True)
class ValueEntry:
    """A value's front matter, checked."""

    source: str
    slug: Located
    title: str
    summary: str
    order: int
    body_markdown: str | None
    body_line: int
    body_start: int
    extra: dict[str, Any] = field(default_factory=dict)
    inline_images: tuple[Located, ...] = ()
    """Images the Markdown body references by relative path (resolved to project sources)."""
    html_images: tuple[Located, ...] = ()
    """Pictures of raw ``<img src>`` by relative path (used when raw HTML is ``safe``)."""
    links: tuple[Located, ...] = ()
    """Every link target in the body as written, with its line (checked by ``linking``)."""
    remote_images: tuple[Located, ...] = ()
    """Pictures the body would load from an absolute address (checked by ``privacy``)."""
    digest: str = ""
    """Digest of the file's path and text."""
    meta_digest: str = ""
    """Digest of all but the body (front matter and summary)."""
    guide_line: int = 0
    """Line of the writing guide's marker when the body still has it; 0 otherwise."""
    summary_markdown: str = ""
    """The summary as written in front matter (Markdown); "" when taken from the body."""
    summary_in_body: bool = False
    """The written summary says what the first paragraph says (so the page shows it once)."""
    lang: str | None = None
    """The language of the file (``lang``); None: the site's default language."""
    lang_line: int = 0
    """Line of ``lang``."""
    translation_of: Located | None = None
    """The slug of the value this file translates (``translation_of``), when it is a translation."""


class _Reader:
    """Pulls typed fields out of front matter, recording a problem for each bad one."""

    def __init__(self, fm: FrontMatter, source: str, kind: str) -> None:
        self.fm, self.source, self.kind = fm, source, kind
        self.problems: list[Diagnostic] = []
        self.misspelt: set[str] = set()
        """Fields an unknown field was probably meant to be (so "missing" would repeat it)."""

    def fail(self, key: str, code: str, message: str, hint: str) -> None:
        self.problems.append(error(self.source, self.fm.line(key), code, message, hint))

    def text(self, key: str, required: bool = False, example: str = "…") -> str | None:
        raw = self.fm.data.get(key)
        if key in self.fm.plain and not isinstance(raw, str) and raw is not None:
            raw = self.fm.plain[key]  # `title: No` is the word No, `title: 1.10` is 1.10
        cut = self.fm.cut.get(key)
        if cut is not None and (raw is not None or required):
            # YAML reads ` #` as the start of a note: `title: We are #1` would be "We are".
            shown = f"would be “{raw}”" if raw else "would be empty"
            self.fail(
                key,
                "comment-in-value",
                f"`{key}` is cut short at the `#`: everything from ` #` on is read as a note, "
                f"so the {key} {shown}",
                f'put the whole {key} in quotes: `{key}: "{_escaped(cut)}"`',
            )
            return None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required and key not in self.misspelt:
                where = "is empty" if key in self.fm.data else "is missing"
                self.fail(
                    key,
                    "missing-field",
                    f"the required field `{key}` {where}",
                    f"add a line `{key}: {example}` to the front matter",
                )
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` must be text on one line, not {_kind_of(raw)}",
                f'write it on one line, e.g. `{key}: "{example}"`',
            )
            return None
        control = CONTROL_RE.search(str(raw))
        if control is not None:
            # YAML escapes ("\0", "\a") can carry what the file itself may not.
            self.fail(
                key,
                "control-character",
                f"`{key}` contains the invisible control character U+{ord(control.group()):04X}",
                "remove the escape sequence from the text",
            )
            return None
        return str(raw).strip()

    def shown(self, key: str, raw: Any) -> str:
        """The value of ``key`` as the author wrote it (`yes`, not YAML's reading of it)."""
        if self.fm.plain.get(key):
            return f"`{self.fm.plain[key]}`"
        return _kind_of(raw)

    def flag(self, key: str) -> bool:
        raw = self.fm.data.get(key, False)
        if raw is None:
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` is empty",
                f"write `{key}: true` to keep the story off the site, or `{key}: false` "
                "to publish it",
            )
            return True  # the safe reading: nothing goes live by mistake
        if isinstance(raw, str) and raw.strip().lower() in {"true", "false", "yes", "no"}:
            return raw.strip().lower() in {"true", "yes"}
        if not isinstance(raw, bool):
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` must be true or false, not {self.shown(key, raw)}",
                f"write `{key}: true` or `{key}: false`",
            )
            return False
        return raw

    def mapping(self, key: str) -> dict[str, Any]:
        raw = self.fm.data.get(key, {})
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(
                key,
                "bad-field-type",
                f"`{key}` must be a group of fields, not {self.shown(key, raw)}",
                f"indent the fields under `{key}:`, e.g. `{key}:` then `  quote: …`",
            )
            return {}
        return {str(k): v for k, v in raw.items()}

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in sorted(set(self.fm.data) - set(known), key=self.fm.line):
            suggestion = did_you_mean(key, known)
            guess = closest(key, known)
            if guess is not None and guess not in self.fm.data:
                self.misspelt.add(guess)
            self.fail(
                key,
                "unknown-field",
                f"unknown field `{self.fm.written.get(key, key)}` in a {self.kind}",
                (suggestion + " " if suggestion else "")
                + f"known fields: {', '.join(known)}; free-form data goes under `extra:`",
            )

    def located(self, key: str) -> Located | None:
        """A text field with the line it is on."""
        value = self.text(key)
        return Located(value, self.fm.line(key)) if value is not None else None

    def lang(self) -> str | None:
        """``lang``, checked to be a language code."""
        lang = self.text("lang")
        if lang is not None and not LANG_RE.fullmatch(lang):
            self.fail(
                "lang",
                "bad-language",
                f"`lang: {lang}` is not a language code",
                "use a code such as `en` or `de`",
            )
            return None
        return lang

    def slug(self, fallback_name: str) -> Located:
        explicit = self.text("slug")
        if explicit is not None:
            slug, line = explicit, self.fm.line("slug")
        else:
            slug, line = slugify(fallback_name), 1
        if not SLUG_RE.fullmatch(slug):
            where = "`slug`" if explicit is not None else "the file name"
            self.problems.append(
                error(
                    self.source,
                    line,
                    "bad-slug",
                    f"{where} gives the URL segment {slug!r}, which is not a plain URL segment",
                    f"use lowercase letters, digits and hyphens, e.g. `{slugify(slug) or 'my-story'}`",
                )
            )
        elif slug in RESERVED_SLUGS:
            self.problems.append(
                error(
                    self.source,
                    line,
                    "reserved-slug",
                    f"the slug `{slug}` is reserved for page numbers",
                    "choose another slug",
                )
            )
        return Located(slug, line)


def parse_story(
    file: SourceFile, keep_body: bool = True
) -> tuple[StoryEntry | None, list[Diagnostic]]:
    """Check a story's front matter; the entry is None only when there is no front matter to read.

    Without ``keep_body`` the entry's ``body_markdown`` is None: the renderer reads it again."""
    fm, problems = parse_front_matter(file.text, file.source)
    if fm is None:
        return None, problems
    read = _Reader(fm, file.source, "story")
    # First, so nothing below (the summary least of all) reads a body the converter would not.
    too_complex = _complexity_problem(read, fm)
    read.problems += foreign_markup_warnings(fm.body, fm.body_line, read.source)
    read.problems += html_embed_warnings(fm.body, fm.body_line, read.source)
    read.unknown_keys(STORY_FIELDS)
    title = read.text("title", required=True, example="How I found my team")
    author = read.text("author", required=True, example="Anna Schmidt")
    date = _date(read, "date")
    reported = len(read.problems)
    values = _value_list(read)
    values_reported = len(read.problems) > reported or "values" in read.misspelt
    lang = read.lang()
    image = _image(read, file.source)
    alt = read.text("image_alt") or ""
    if image is not None and not alt:
        read.fail(
            "image_alt" if "image_alt" in fm.data else "image",
            "missing-alt",
            "the story has an image but no `image_alt`",
            "describe the picture for people who cannot see it: `image_alt: …`",
        )
    embeds, embed_problems = find_embeds(fm.body, fm.body_line, file.source)
    read.problems += embed_problems
    expires = _date(read, "expires", required=False)
    written = read.text("summary") or ""
    summary = plain_text(written) if written else derive(fm.body, too_complex)
    share_title = read.text("share_title") or ""
    # The kit adds the story's link to a text without one; here the text alone is counted.
    planned, share_problems = check_share(
        fm.data.get("share"),
        file.source,
        fm.line("share"),
        fm.item_lines.get("share", ()),
        file.text.split("\n"),
    )
    read.problems += share_problems
    day = date.date() if isinstance(date, dt.datetime) else date
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if expires is not None and day is not None and expires < day:
        read.fail(
            "expires",
            "expires-before-date",
            f"the story expires ({expires}) before it is published ({day}), so it never appears",
            "check both dates; `expires` is the last day the story is online",
        )
    entry = StoryEntry(
        source=file.source,
        slug=read.slug(file_slug(file.source, lang)),
        title=title or "",
        author=author or "",
        date=(date.date() if isinstance(date, dt.datetime) else date) or dt.date.min,
        date_line=fm.line("date"),
        values=values,
        values_line=fm.line("values"),
        values_given="values" in fm.data,
        summary=summary,
        body_markdown=fm.body if keep_body else None,
        body_line=fm.body_line,
        body_start=fm.body_start,
        lang=lang,
        role=read.text("role"),
        team=read.text("team"),
        location=read.text("location"),
        image=image,
        image_alt=alt,
        draft=read.flag("draft"),
        extra=read.mapping("extra"),
        inline_images=_inline_images(fm, file.source),
        **_body_links(fm, file.source),
        remote_images=_remote_images(fm),
        consent=_consent(read),
        consent_line=fm.line("consent"),
        expires=expires,
        expires_line=fm.line("expires"),
        embeds=embeds,
        posters=_posters(read, embeds),
        digest=digest(file.source, file.text),
        meta_digest=_meta_digest(file, fm, summary),
        moment=date if isinstance(date, dt.datetime) else None,
        values_reported=values_reported,
        guide_line=guide_line(fm),
        summary_markdown=written,
        summary_in_body=bool(written) and not too_complex and summary == derive(fm.body, None, 0),
        share_title=share_title,
        share_title_line=fm.line("share_title" if share_title else "title"),
        planned=planned,
        lang_line=fm.line("lang") if "lang" in fm.data else 0,
        translation_of=read.located("translation_of"),
        translated_from=read.located("translated_from"),
        text_digest=text_digest(title or "", written, fm.body),
    )
    if too_complex is not None:
        read.problems.append(too_complex)
    # The entry is returned even with problems, so cross-file rules can report theirs too.
    return entry, read.problems


def parse_value(
    file: SourceFile, keep_body: bool = True
) -> tuple[ValueEntry | None, list[Diagnostic]]:
    """Check a value's front matter; the entry is None only when there is no front matter to read.

    Without ``keep_body`` the entry's ``body_markdown`` is None: the renderer reads it again."""
    fm, problems = parse_front_matter(file.text, file.source)
    if fm is None:
        return None, problems
    read = _Reader(fm, file.source, "value")
    too_complex = _complexity_problem(read, fm)
    read.problems += foreign_markup_warnings(fm.body, fm.body_line, read.source)
    read.problems += html_embed_warnings(fm.body, fm.body_line, read.source)
    read.unknown_keys(VALUE_FIELDS)
    title = read.text("title", required=True, example="Innovation")
    order = fm.data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        read.fail(
            "order",
            "bad-field-type",
            f"`order` must be a whole number, not {read.shown('order', order)}",
            "e.g. `order: 1` puts the value first",
        )
        order = 100
    written = read.text("summary") or ""
    summary = plain_text(written) if written else derive(fm.body, too_complex)
    lang = read.lang()
    entry = ValueEntry(
        source=file.source,
        slug=read.slug(file_slug(file.source, lang)),
        title=title or "",
        summary=summary,
        order=order,
        body_markdown=fm.body if keep_body else None,
        body_line=fm.body_line,
        body_start=fm.body_start,
        extra=read.mapping("extra"),
        inline_images=_inline_images(fm, file.source),
        **_body_links(fm, file.source),
        remote_images=_remote_images(fm),
        digest=digest(file.source, file.text),
        meta_digest=_meta_digest(file, fm, summary),
        guide_line=guide_line(fm),
        summary_markdown=written,
        summary_in_body=bool(written) and not too_complex and summary == derive(fm.body, None, 0),
        lang=lang,
        lang_line=fm.line("lang") if "lang" in fm.data else 0,
        translation_of=read.located("translation_of"),
    )
    if too_complex is not None:
        read.problems.append(too_complex)
    return entry, read.problems


def file_slug(source: str, lang: str | None = None) -> str:
    """The slug a file's name gives: ``x.md`` and ``x.MD`` give ``x``, a bundle ``x/index.md`` too.

    A file named for its language (``x.en.md`` with ``lang: en``) gives ``x`` as well: slugs are
    unique per language, so a translation may keep its original's.
    """
    stem = posixpath.splitext(posixpath.basename(source))[0]
    if stem.lower() == "index" and posixpath.dirname(source).count("/") >= 2:
        return posixpath.basename(posixpath.dirname(source))
    if lang and stem.lower().endswith("." + lang.lower()):
        return stem[: -len(lang) - 1]
    return stem


def guide_line(fm: FrontMatter) -> int:
    """Line of the writing guide's marker in the body, or 0 when the guide is gone."""
    for offset, line in enumerate(fm.body.split("\n")):
        if line.strip().startswith(GUIDE_MARKER):
            return fm.body_line + offset
    return 0


def _complexity_problem(read: _Reader, fm: FrontMatter) -> Diagnostic | None:
    """The refusal of a body the Markdown converter would take minutes over, if it is one."""
    found = complexity_problem(fm.body)
    if found is None:
        return None
    line, message = found
    return error(
        read.source,
        fm.body_line + line,
        "markdown-too-complex",
        message,
        "this looks like pasted data rather than prose; remove it, or escape "
        "the characters with a backslash",
    )


def _meta_digest(file: SourceFile, fm: FrontMatter, summary: str) -> str:
    """Front matter and summary, without the body (whose changes only its own page shows)."""
    head = file.text[: len(file.text) - len(fm.body)]
    return digest(file.source, head, summary)


def _date(read: _Reader, key: str, required: bool = True) -> dt.date | None:
    """A day, or a moment (an aware datetime) when the date has a time and an offset."""
    raw = read.fm.data.get(key)
    if raw is None and not required:
        return None
    if raw is None and key in read.misspelt:
        return None  # the misspelt field was reported
    if raw is None:
        where = "is empty" if key in read.fm.data else "is missing"
        read.fail(
            key,
            "missing-field",
            f"the required field `{key}` {where}",
            f"add `{key}: YYYY-MM-DD`, e.g. `{key}: 2026-03-14`",
        )
        return None
    if isinstance(raw, dt.datetime):
        return raw if raw.tzinfo is not None else raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(read.fm.plain.get(key, raw)).strip()
    hint = f"write the date as YYYY-MM-DD, e.g. `{key}: 2026-03-14`"
    match = _DATE_RE.fullmatch(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        try:
            day_of = dt.date(int(year), int(month), int(day))
            if hour is None:
                return day_of
            moment = dt.datetime.combine(day_of, dt.time(int(hour), int(minute), int(second or 0)))
        except ValueError:
            what = "date" if hour is None else "date and time"
            read.fail(key, "bad-date", f"`{key}: {text}` is not a real {what}", hint)
            return None
        if zone is None:
            return day_of  # a time without an offset is the site's own clock
        return moment.replace(tzinfo=_zone(zone))
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if dotted:  # 14.03.2026, as written in Germany: say exactly what to write
        day_, month_, year_ = dotted.groups()
        hint = f"write it as YYYY-MM-DD: `{key}: {year_}-{int(month_):02d}-{int(day_):02d}`"
    read.fail(key, "bad-date", f"`{key}: {text}` is not a date in the form YYYY-MM-DD", hint)
    return None


def _zone(text: str) -> dt.timezone:
    """``Z``, ``+01``, ``+0100`` or ``+01:00`` as a fixed offset."""
    if text in {"Z", "z"}:
        return dt.UTC
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    offset = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-offset if text[0] == "-" else offset)


def _consent(read: _Reader) -> Consent | None:
    """``consent: {by: Anna Petersen, date: 2025-08-30}``: who agreed to publication, and when."""
    if read.fm.data.get("consent") is None:
        return None
    raw = {field_name(k): v for k, v in read.mapping("consent").items()}
    if not isinstance(read.fm.data.get("consent"), dict):
        return None  # `mapping` reported it
    example = "`consent:` then `  by: Anna Petersen` and `  date: 2025-08-30`"
    for key in sorted(set(raw) - set(CONSENT_FIELDS)):
        suggestion = did_you_mean(key, CONSENT_FIELDS)
        read.fail(
            "consent",
            "unknown-field",
            f"unknown field `consent.{key}`",
            (suggestion + " " if suggestion else "") + "`consent` takes `by` and `date`",
        )
    by, date = raw.get("by"), raw.get("date")
    if not isinstance(by, str) or not by.strip():
        read.fail(
            "consent",
            "bad-consent",
            "`consent` must say who agreed (`by`)",
            f"write {example}",
        )
        by = None
    if isinstance(date, dt.datetime):
        date = date.date()
    elif isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        read.fail(
            "consent",
            "bad-consent",
            "`consent` must say when they agreed (`date`, as YYYY-MM-DD)",
            f"write {example}",
        )
        return None
    return Consent(by.strip(), date) if by else None


def _posters(read: _Reader, embeds: tuple[Embed, ...]) -> tuple[Located, ...]:
    found = []
    for embed in embeds:
        if embed.poster is None:
            continue
        resolved = resolve_reference(read.source, embed.poster)
        if resolved is None:
            read.problems.append(
                error(
                    read.source,
                    embed.line,
                    "image-outside-content",
                    f"the poster path `{embed.poster}` points outside the content folder",
                    "put the picture in content/stories/images/ and write `poster=images/<name>.jpg`",
                )
            )
            continue
        found.append(Located(resolved, embed.line))
    return tuple(found)


def _value_list(read: _Reader) -> tuple[Located, ...]:
    """The ``values`` tags with their lines; absence and emptiness are judged in ``linking``."""
    fm = read.fm
    raw = fm.data.get("values")
    line = fm.line("values")
    if raw is None:
        return ()
    if isinstance(raw, str):
        # `values: innovation, ownership` can only mean the two values.
        return tuple(Located(part.strip(), line) for part in raw.split(",") if part.strip())
    if not isinstance(raw, list):
        read.fail(
            "values",
            "bad-field-type",
            f"`values` must be a list, not {read.shown('values', raw)}",
            "e.g. `values: [innovation, ownership]`",
        )
        return ()
    lines = fm.item_lines.get("values", ())
    tags = []
    for index, item in enumerate(raw):
        item_line = lines[index] if index < len(lines) else line
        if item is None or (isinstance(item, str) and not item.strip()):
            read.problems.append(
                error(
                    read.source,
                    item_line,
                    "bad-field-type",
                    "an entry of `values` is empty",
                    "remove the empty entry, or write the value's name after the `-`",
                )
            )
            continue
        if not isinstance(item, str):
            read.problems.append(
                error(
                    read.source,
                    item_line,
                    "bad-field-type",
                    f"each entry of `values` must be a value name, not {_kind_of(item)}",
                    "e.g. `values: [innovation, ownership]`",
                )
            )
            continue
        tags.append(Located(item.strip(), item_line))
    return tuple(tags)


def _image(read: _Reader, story_source: str) -> Located | None:
    path = read.text("image")
    if path is None:
        return None
    resolved = resolve_reference(story_source, path)
    if resolved is None:
        read.fail(
            "image",
            "image-outside-content",
            f"the image path `{path}` points outside the content folder",
            "put the picture in content/stories/images/ and write `image: images/<name>.jpg`",
        )
        return None
    return Located(resolved, read.fm.line("image"))


def _inline_images(fm: FrontMatter, source: str) -> tuple[Located, ...]:
    found = []
    for offset, line in enumerate(fm.body.split("\n")):
        for match in _INLINE_IMAGE_RE.finditer(line):
            target = markdown_target(match.group(1))
            # As a browser reads it: `&#100;ata:` is a data: address, `/\\host` a host.
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^#", browser_url(target)):
                continue  # absolute URLs and site paths are not files of ours
            resolved = resolve_reference(source, target)
            found.append(Located(resolved or target, fm.body_line + offset))
    return tuple(found)


def _body_links(fm: FrontMatter, source: str) -> dict[str, tuple[Located, ...]]:
    """``html_images`` (raw ``<img>`` files, resolved) and ``links`` (as written) of a body."""
    images, links = [], []
    for found in find_links(fm.body):
        line = fm.body_line + found.line
        if not found.picture:
            links.append(Located(found.target, line))
        elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^#", browser_url(found.target)):
            images.append(Located(resolve_reference(source, found.target) or found.target, line))
    return {"html_images": tuple(images), "links": tuple(links)}


def _remote_images(fm: FrontMatter) -> tuple[Located, ...]:
    """Pictures in the body with an address on some host, kept with their file lines.

    Found at parse time so the check works on entries read back from the cache without bodies.
    """
    return tuple(
        Located(found.url, fm.body_line + found.line - 1)
        for found in scan_markdown(fm.body)
        if url_host(found.url) is not None  # as a browser reads it: `/\\host`, `&#47;&#47;host`
    )


def resolve_reference(source: str, target: str) -> str | None:
    """Project path of ``target`` relative to the file ``source``; None if it leaves content/."""
    if target.startswith("/") or "\\" in target or ":" in target or CONTROL_RE.search(target):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    if not joined.startswith("content/") or joined.startswith("../"):
        return None
    return joined


def slugify(name: str) -> str:
    """``"Anna's Night Shift"`` → ``"anna-s-night-shift"``; German umlauts become ae/oe/ue/ss."""
    text = name.lower()
    for char, repl in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(char, repl)
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def derive_summary(markdown_body: str, limit: int = 200) -> str:
    """Plain text of the body's first paragraph, shortened to about ``limit`` characters."""
    paragraph: list[str] = []
    for line in markdown_body.split("\n"):
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if re.match(r"^(#|!\[|@\[|```|~~~|[-*+] |\d+\. |>|\||<)", stripped) and not paragraph:
            continue
        paragraph.append(stripped)
    return shorten(plain_text(" ".join(paragraph)), limit)


def derive(body: str, too_complex: Diagnostic | None, limit: int = 200) -> str:
    """The summary taken from ``body`` (0: not shortened), or "" for a body the converter refuses."""
    if too_complex:
        return ""
    return derive_summary(body) if limit == 200 else derive_summary(body, limit or len(body) + 1)


def _escaped(text: str) -> str:
    """``text`` for inside double quotes in YAML."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _kind_of(value: Any) -> str:
    """How a value looks to the person who wrote it (never a type name of Python's)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no (`{str(value).lower()}`)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"`{value}`"
