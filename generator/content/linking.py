"""Cross-file rules and linking: the value rule, unique slugs, images on disk → the published Site."""

from __future__ import annotations

import functools
import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..engine.cache import HtmlStore, digest
from ..errors import Diagnostic, closest, error, warning
from ..markdown.convert import MarkdownRenderer
from ..pictures.responsive import plan_image
from ..roles.model import Job
from ..site.routes import (
    absolute_url,
    language_prefix,
    page_url,
    plan_routes,
    story_path,
    value_path,
)
from .config import EditionConfig, SiteConfig
from .entries import GUIDE_END, Located, StoryEntry, ValueEntry, slugify
from .internal_links import SiteAddresses, check_links
from .loading import MISSING, VALUES_DIR, ImageFacts, Unusable
from .model import Asset, Image, Site, Story, Value
from .openings import job_values, link_roles
from .publishing import PublishOptions, PublishStatus, publish_status
from .staleness import translation_problems
from .translations import story_versions, value_versions

MEDIA_DIR = "media"
EXPIRY_NOTICE_DAYS = 30
"""Stories expiring within this many days are listed as ``consent-expiring`` warnings."""
EXACT_SUGGESTIONS_UP_TO = 200
"""Up to this many names, "did you mean" compares a tag with every name; above, with the
names sharing the most three-letter pieces with it (so 3,000 tags × 3,000 values stay fast)."""
_SHORTLIST = 100
_COMMON_PIECE = 1000
"""A three-letter piece found in more names than this tells them apart too little to index."""


def image_sources(entries: Iterable[StoryEntry | ValueEntry], html: bool = True) -> set[str]:
    """Every image file the stories (and values) reference (to probe before linking).

    ``html``: with the pictures of raw ``<img>`` tags (which only ``safe`` raw HTML shows).
    """
    return {ref.value for entry in entries for ref, _ in _image_refs(entry, html)}


def _image_refs(entry: StoryEntry | ValueEntry, html: bool = True) -> list[tuple[Located, str]]:
    """(reference, alt text) of each picture an entry uses: lead image, inline, embed posters."""
    refs: list[tuple[Located, str]] = [(ref, "") for ref in entry.inline_images]
    if html:
        refs += [(ref, "") for ref in entry.html_images]
    if isinstance(entry, StoryEntry):
        if entry.image is not None:
            refs.insert(0, (entry.image, entry.image_alt))
        refs += [(ref, "") for ref in entry.posters]
    return refs


def link_site(
    config: SiteConfig,
    stories: Sequence[StoryEntry],
    values: Sequence[ValueEntry],
    images: Mapping[str, ImageFacts | Unusable],
    files: frozenset[str],
    options: PublishOptions,
    root: str = "",
    html_store: HtmlStore | None = None,
    jobs: Sequence[Job] = (),
    share_page: bool = True,
) -> tuple[Site | None, list[Diagnostic]]:
    """Apply every cross-file rule; return the published Site, or None and the problems.

    ``jobs`` are the checked job files (``roles.entries.load_jobs``): the open ones publish.
    ``share_page``: the theme has the Mastodon share page (an address links may name)."""
    options = replace(options, require_consent=config.require_consent)
    problems: list[Diagnostic] = []
    stories = [on_site_day(entry, config.timezone, problems) for entry in stories]
    story_groups, found = story_versions(config, stories)
    problems += found + translation_problems(config, stories, story_groups)
    value_groups, found = value_versions(config, values)
    problems += found
    originals = [entry for entry in values if entry.translation_of is None]
    value_by_slug = _unique_values(originals, problems)
    problems += _duplicate_story_slugs(stories, config)
    problems += _guide_left(stories, values)
    html = config.markdown.html == "safe"
    published_images = _published_images(config, [*stories, *values], images, files, problems, html)
    renderer = MarkdownRenderer(
        urlsplit(config.base_url).hostname or "",
        published_images,
        languages={
            **{entry.source: entry.lang or config.language for entry in stories},
            **{entry.source: entry.lang or config.language for entry in values},
            **{job.source: job.lang or config.language for job in jobs},
        },
        language=config.language,
        store=html_store,
        root=Path(root) if root else Path("."),
        html=config.markdown.html,
        titles={entry.source: entry.title for entry in stories},
        bodies={
            **{entry.source: (entry.digest, entry.body_start) for entry in stories},
            **{entry.source: (entry.digest, entry.body_start) for entry in values},
        },
    )

    if not value_by_slug:
        problems.append(
            error(
                VALUES_DIR,
                0,
                "no-values-defined",
                "there are no corporate values in content/values/",
                "add one Markdown file per value, e.g. content/values/innovation.md",
            )
        )
    translated = {
        (value_groups.original_of[e.source], value_groups.lang_of[e.source]): e
        for e in values
        if e.translation_of is not None and value_groups.original_of[e.source] != e.source
    }
    # First which stories publish and with which values; then each object is made once, final.
    published: list[tuple[StoryEntry, list[str]]] = []
    names = ValueNames.of(
        value_by_slug,
        [(e.title, by.slug.value) for by in value_by_slug.values()
         for (src, _), e in translated.items() if src == by.source],
    )  # fmt: skip
    for entry in stories:
        tags = _story_values(entry, value_by_slug, problems, names)
        problems += _consent_rules(config, entry, options)
        if is_published(entry, options):  # a draft's, scheduled or expired story's pictures too
            published.append((entry, tags))
    job_tags, found = job_values(jobs, names, ", ".join(sorted(value_by_slug)))
    problems += found
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    prefixes = {lang: language_prefix(config, lang) for lang in config.languages}
    ordered = sorted(value_by_slug.values(), key=lambda v: (v.order, v.title, v.slug.value))
    lang_of_story = {
        e.source: _edition_of(config, story_groups.lang_of[e.source]) for e, _ in published
    }
    values_in: dict[str, dict[str, Value]] = {}
    for lang in config.languages:
        counts = Counter(
            tag for e, tags in published if lang_of_story[e.source] == lang for tag in tags
        )
        values_in[lang] = {
            entry.slug.value: _value(
                config, entry, translated.get((entry.source, lang)), lang, prefixes[lang],
                counts[entry.slug.value], renderer,
            )
            for entry in ordered
        }  # fmt: skip
    used_images: set[str] = image_sources(values, html)
    story_objects: list[Story] = []
    for entry, tags in published:
        own_images = image_sources([entry], html)
        full_digest, card_digest = story_digests(entry, published_images)
        used_images.update(own_images)
        slug = entry.slug.value
        edition = lang_of_story[entry.source]
        path = prefixes[edition] + story_path(slug)
        story_objects.append(
            Story(
                slug=slug,
                title=entry.title,
                author=entry.author,
                date=entry.date,
                values=tuple(values_in[edition][tag] for tag in tags),
                summary=entry.summary,
                body_markdown=entry.body_markdown,
                source=entry.source,
                lang=entry.lang or config.language,
                renderer=renderer,
                role=entry.role,
                team=entry.team,
                location=entry.location,
                image=published_images.get(entry.image.value) if entry.image else None,
                draft=entry.draft,
                consent=entry.consent,
                expires=entry.expires,
                embeds=entry.embeds,
                extra=entry.extra,
                url=page_url(config, path),
                absolute_url=absolute_url(config, path),
                digest=full_digest,
                card_digest=card_digest,
                summary_markdown=entry.summary_markdown,
                summary_in_body=entry.summary_in_body,
                share_title=entry.share_title,
                share_title_line=entry.share_title_line,
                path=path,
                translation_group=story_groups.original_of[entry.source],
            )
        )
    story_objects.sort(key=_newest_first)
    final_stories = tuple(story_objects)
    used = sorted(
        (i for i in published_images.values() if i.source in used_images),
        key=lambda i: i.output_path,
    )
    # SVG is published as it is; every other picture is resized and stripped (images.py).
    assets = tuple(
        Asset(posixpath.join(root, image.source) if root else image.source, image.output_path)
        for image in used
        if not image.variants
    )
    processed = tuple(image for image in used if image.variants)
    editions: list[Site] = []
    for lang in config.languages:
        shown = [s for s in final_stories if lang_of_story[s.source] == lang]
        if config.edition.get(lang, EditionConfig()).untranslated == "show-original":
            shown += _shown_untranslated(
                final_stories, lang, prefixes[lang], values_in[lang], config
            )
        shown.sort(key=_newest_first)
        roles, found = link_roles(
            replace(config, base_url=config.base_url + prefixes[lang]),
            jobs, job_tags, values_in[lang], shown, renderer, options.today,
        )  # fmt: skip
        if lang == config.language:
            problems += found  # the same roles on every language's pages: report once
        editions.append(
            Site(tuple(shown), tuple(values_in[lang].values()), (), (), renderer, roles,
                 lang=lang, prefix=prefixes[lang])
        )  # fmt: skip
    default = editions[0]
    if config.multilingual:
        site = Site(final_stories, default.values, assets, processed, renderer, default.roles,
                    editions=tuple(editions))  # fmt: skip
    else:
        site = replace(default, assets=assets, images=processed, lang="", stories=final_stories)
    addresses = site_addresses(site, config, [*stories, *values], share_page)
    renderer.pages.update(addresses.pages)  # before anything converts: `x.md` → x's URL
    problems += broken_links(site, config, [e for e, _ in published] + list(values), addresses)
    return site, problems


def _edition_of(config: SiteConfig, lang: str) -> str:
    """The language whose pages show a story in ``lang`` (the default one on a one-language site)."""
    return lang if lang in config.languages else config.language


def _newest_first(story: Story) -> tuple[int, str, str]:
    return (-story.date.toordinal(), story.title, story.slug)


def _value(
    config: SiteConfig,
    entry: ValueEntry,
    translation: ValueEntry | None,
    lang: str,
    prefix: str,
    count: int,
    renderer: MarkdownRenderer,
) -> Value:
    """The value as ``lang``'s pages show it: its translation's texts, the original's slug."""
    own = translation or entry
    slug = entry.slug.value
    return Value(
        slug=slug,
        title=own.title,
        summary=own.summary,
        order=entry.order,
        body_markdown=own.body_markdown,
        source=own.source,
        renderer=renderer,
        url=page_url(config, prefix + value_path(slug)),
        extra={**entry.extra, **own.extra},
        count=count,
        digest=digest(own.digest, entry.meta_digest, str(count)),
        card_digest=digest(own.meta_digest, entry.meta_digest)
        if translation
        else entry.meta_digest,
        summary_markdown=own.summary_markdown,
        summary_in_body=own.summary_in_body,
        lang="" if lang == config.language else lang,
    )


def _shown_untranslated(
    stories: Sequence[Story],
    lang: str,
    prefix: str,
    values: Mapping[str, Value],
    config: SiteConfig,
) -> list[Story]:
    """Stories with no version in ``lang``, as its pages show them (``show-original``).

    Each is the original (or, unpublished, its first published version in the site's order of
    languages) under ``lang``'s address, with ``lang``'s values, its canonical page the story's.
    """
    groups: dict[str, list[Story]] = {}
    for story in stories:
        groups.setdefault(story.translation_group, []).append(story)
    taken = {s.slug for s in stories if _edition_of(config, s.lang) == lang}
    shown: list[Story] = []
    rank = {language: number for number, language in enumerate(config.languages)}
    for group, versions in groups.items():
        if any(_edition_of(config, s.lang) == lang for s in versions):
            continue
        chosen = min(versions, key=lambda s: (s.source != group, rank.get(s.lang, len(rank))))
        if chosen.slug in taken:
            continue  # the address is another story's: the original stays in its own language
        path = prefix + story_path(chosen.slug)
        shown.append(
            replace(
                chosen,
                url=page_url(config, path),
                absolute_url=absolute_url(config, path),
                path=path,
                values=tuple(values[v.slug] for v in chosen.values),
                original=chosen,
            )
        )
    return shown


def site_addresses(
    site: Site,
    config: SiteConfig,
    entries: Sequence[StoryEntry | ValueEntry],
    share_page: bool = True,
) -> SiteAddresses:
    """Every address the build writes, and the page of each content file (``routes`` decides)."""
    routes, _ = plan_routes(site, config, share_page)
    urls = {route.url for route in routes}
    urls.update(config.base_path + image.output_path for image in site.images)
    urls.update(config.base_path + v.output_path for image in site.images for v in image.variants)
    urls.update(config.base_path + asset.output_path for asset in site.assets)
    pages = {
        story.source: story.url for edition in site.all_editions for story in edition.stories
        if not story.untranslated
    }  # fmt: skip
    for edition in reversed(site.all_editions):  # the default language's page for its file
        pages.update({value.source: value.url for value in edition.values})
    return SiteAddresses(
        frozenset(urls),
        pages,
        frozenset(entry.source for entry in entries),
        config.base_path + "assets/",
    )


def broken_links(
    site: Site,
    config: SiteConfig,
    entries: Sequence[StoryEntry | ValueEntry],
    addresses: SiteAddresses,
) -> list[Diagnostic]:
    """``broken-link`` warnings for the published bodies' links to pages the site lacks."""
    # Indexed for suggestions only when a link is broken: most builds have none.
    urls = functools.cache(
        lambda: _Shortlist.of(u for u in addresses.urls if u.endswith("/") or u.endswith(".xml"))
    )
    files = functools.cache(lambda: _Shortlist.of(addresses.pages))
    problems: list[Diagnostic] = []
    for entry in entries:
        page = addresses.pages.get(entry.source)
        if page is None or not entry.links:
            continue
        problems += check_links(
            entry.source,
            page,
            [(link.line, link.value) for link in entry.links],
            addresses,
            config.base_url,
            lambda word: urls().closest(word),
            lambda word: files().closest(word),
        )
    return problems


def story_digests(entry: StoryEntry, published_images: Mapping[str, Image]) -> tuple[str, str]:
    """(digest, card_digest) of a story: its file, or all but its body, with its pictures."""
    pictures = repr([published_images.get(i) for i in sorted(image_sources([entry]))])
    return digest(entry.digest, pictures), digest(entry.meta_digest, pictures)


def is_published(entry: StoryEntry, options: PublishOptions) -> bool:
    """The publish rule (``publishing.publish_status``) says the story is on the site."""
    return publish_status(entry, options) is PublishStatus.PUBLISHED


def on_site_day(entry: StoryEntry, timezone: str, problems: list[Diagnostic]) -> StoryEntry:
    """A story dated with a time and an offset, dated by the day that is in the site's zone.

    Says so when that day is not the one written, so nobody wonders why it moved.
    """
    if entry.moment is None:
        return entry
    day = entry.moment.astimezone(ZoneInfo(timezone)).date()
    if day != entry.moment.date():
        problems.append(
            warning(
                entry.source,
                entry.date_line,
                "date-in-site-time",
                f"the story's date and time fall on {day.isoformat()} in the site's time zone "
                f"({timezone}), so it is dated {day.isoformat()}",
                "write the date alone (`date: YYYY-MM-DD`) to choose the day yourself",
            )
        )
    return replace(entry, date=day)


def _guide_left(stories: Sequence[StoryEntry], values: Sequence[ValueEntry]) -> list[Diagnostic]:
    """The writing guide of ``brandsite new`` must never be published as the text."""
    problems = []
    entries: list[StoryEntry | ValueEntry] = [*stories, *values]
    for entry in entries:
        if not entry.guide_line or (isinstance(entry, StoryEntry) and entry.draft):
            continue
        kind = "story" if isinstance(entry, StoryEntry) else "value's description"
        problems.append(
            error(
                entry.source,
                entry.guide_line,
                "guide-text",
                f"the writing guide from `brandsite new` is still in the file, so it would be "
                f"published as the {kind}",
                f"replace everything from this line to `{GUIDE_END}` with the "
                + (
                    "story (keep `draft: true` until it is written)"
                    if kind == "story"
                    else "description of the value"
                ),
            )
        )
    return problems


def _consent_rules(
    config: SiteConfig, entry: StoryEntry, options: PublishOptions
) -> list[Diagnostic]:
    """``require_consent``, and stories whose consent runs out soon (so HR can renew it)."""
    status = publish_status(entry, options)
    if status in (PublishStatus.DRAFT, PublishStatus.EXPIRED):
        return []
    problems = []
    if status is PublishStatus.NEEDS_CONSENT:
        problems.append(
            error(
                entry.source,
                entry.consent_line,
                "missing-consent",
                "the story has no `consent`, and site.toml says `require_consent = true`",
                "record who agreed and when: `consent:` then `  by: <name>` and "
                "`  date: YYYY-MM-DD`",
            )
        )
    if entry.expires is not None:
        days = (entry.expires - options.today).days
        if days <= EXPIRY_NOTICE_DAYS:
            when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
            problems.append(
                warning(
                    entry.source,
                    entry.expires_line,
                    "consent-expiring",
                    f"the story expires on {entry.expires.isoformat()} ({when}); "
                    "after that day it is no longer published",
                    "renew the consent and move `expires` later, or let the story retire",
                )
            )
    return problems


def _unique_values(
    values: Sequence[ValueEntry], problems: list[Diagnostic]
) -> dict[str, ValueEntry]:
    by_slug: dict[str, ValueEntry] = {}
    for entry in values:
        slug = entry.slug.value
        if slug in by_slug:
            problems.append(
                error(
                    entry.source,
                    entry.slug.line,
                    "duplicate-slug",
                    f"the value `{slug}` is defined twice (also in {by_slug[slug].source})",
                    "rename one of the files or give it another `slug`",
                )
            )
            continue
        by_slug[slug] = entry
    return by_slug


def _duplicate_story_slugs(stories: Sequence[StoryEntry], config: SiteConfig) -> list[Diagnostic]:
    """Two stories of one language with one slug (each language has its own addresses)."""
    problems = []
    owners: dict[tuple[str, str], list[StoryEntry]] = {}
    for entry in stories:
        lang = _edition_of(config, entry.lang or config.language)
        owners.setdefault((lang, entry.slug.value), []).append(entry)
    for (lang, slug), entries in owners.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = ", ".join(e.source for e in entries if e is not entry)
            problems.append(
                error(
                    entry.source,
                    entry.slug.line,
                    "duplicate-slug",
                    f"two stories would publish at {language_prefix(config, lang)}stories/{slug}/ "
                    f"(also {others})",
                    "give one of them another file name or a `slug:` of its own",
                )
            )
    return problems


def _story_values(
    entry: StoryEntry,
    values: Mapping[str, ValueEntry],
    problems: list[Diagnostic],
    names: ValueNames | None = None,
) -> list[str]:
    """Check the story's tags against the known values: the rule at the heart of brandsite."""
    names = names if names is not None else ValueNames.of(values)
    known = ", ".join(sorted(values)) or "(none defined yet)"
    if getattr(entry, "values_reported", False) and not entry.values:
        return []  # what is wrong with `values` was said already
    if not entry.values:
        example = next(iter(sorted(values)), "innovation")
        message = (
            "the story has no `values`"
            if not entry.values_given
            else "the story's `values` list is empty"
        )
        problems.append(
            error(
                entry.source,
                entry.values_line,
                "no-values",
                f"{message}: every story must show at least one corporate value to be published",
                f"add the values it shows, e.g. `values: [{example}]`; known values: {known}",
            )
        )
        return []
    tags: list[str] = []
    for tag in entry.values:
        slug = names.slug(tag.value)
        if slug is None:
            problems.append(_unknown_value(entry, tag, names, known))
            continue
        if slug in tags:
            problems.append(
                warning(
                    entry.source,
                    tag.line,
                    "duplicate-tag",
                    f"the value `{tag.value}` is listed twice",
                    "remove one",
                )
            )
            continue
        tags.append(slug)
    return tags


@dataclass(frozen=True)
class _Shortlist:
    """Names indexed by their three-letter pieces, to compare a word with likely names only."""

    names: tuple[str, ...]
    pieces: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, names: Iterable[str]) -> _Shortlist:
        ordered = tuple(sorted(set(names)))
        pieces: dict[str, list[int]] = {}
        for number, name in enumerate(ordered):
            for piece in _pieces(name):
                pieces.setdefault(piece, []).append(number)
        return cls(ordered, {p: tuple(n) for p, n in pieces.items() if len(n) <= _COMMON_PIECE})

    def closest(self, word: str) -> str | None:
        """What ``closest`` would say, looking only at the names most like ``word``."""
        if len(self.names) <= EXACT_SUGGESTIONS_UP_TO:
            return closest(word, self.names)
        shared: Counter[int] = Counter()
        for piece in _pieces(word.lower()):
            shared.update(self.pieces.get(piece, ()))
        likely = [self.names[n] for n, _ in shared.most_common(_SHORTLIST)]
        return closest(word, likely)


def _pieces(name: str) -> set[str]:
    padded = f"^{name}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class ValueNames:
    """Every way a story may name a value: its slug or its title, in any capitalisation."""

    by_name: dict[str, str]
    slugs: _Shortlist
    titles: _Shortlist
    title_slugs: dict[str, str]
    guesses: dict[str, str | None] = field(default_factory=dict, compare=False)
    """Suggestions made so far, by tag (many stories share one misspelling)."""

    @classmethod
    def of(
        cls, values: Mapping[str, ValueEntry], translated: Iterable[tuple[str, str]] = ()
    ) -> ValueNames:
        """The names of ``values``, and ``translated`` (title, slug): their titles in other languages."""
        by_name: dict[str, str] = {}
        titles = {_normal(v.title): slug for slug, v in sorted(values.items())}
        for title, slug in sorted(translated):
            titles.setdefault(_normal(title), slug)
        for name, slug in titles.items():
            by_name.setdefault(name, slug)
            by_name.setdefault(slugify(name), slug)
        by_name.update({slug: slug for slug in values})  # a slug always means its own value
        return cls(by_name, _Shortlist.of(values), _Shortlist.of(titles), titles)

    def slug(self, tag: str) -> str | None:
        """The value ``tag`` names: `Customer Focus`, ` innovation `, `INNOVATION`; or None."""
        name = _normal(tag)
        return self.by_name.get(name) or self.by_name.get(slugify(name))

    def guess(self, tag: str) -> str | None:
        """The value ``tag`` was probably meant to name."""
        if tag not in self.guesses:
            guess = self.slugs.closest(tag)
            if guess is None:
                title = self.titles.closest(tag)
                guess = self.title_slugs[title] if title is not None else None
            self.guesses[tag] = guess
        return self.guesses[tag]


def _normal(name: str) -> str:
    return " ".join(name.split()).lower()


def _unknown_value(entry: StoryEntry, tag: Located, names: ValueNames, known: str) -> Diagnostic:
    guess = names.guess(tag.value)
    hint = (f"did you mean `{guess}`? " if guess else "") + f"known values: {known}"
    return error(
        entry.source,
        tag.line,
        "unknown-value",
        f"the story is tagged with `{tag.value}`, which is not a corporate value",
        hint,
    )


def planned_pictures(
    config: SiteConfig,
    entries: Sequence[StoryEntry | ValueEntry],
    facts: Mapping[str, ImageFacts | Unusable],
) -> list[Image]:
    """Every usable picture the entries reference, planned (for decoding when linking failed)."""
    return sorted(_published_images(config, entries, facts, frozenset(), []).values(),
                  key=lambda i: i.source)  # fmt: skip


def _published_images(
    config: SiteConfig,
    entries: Sequence[StoryEntry | ValueEntry],
    facts: Mapping[str, ImageFacts | Unusable],
    files: frozenset[str],
    problems: list[Diagnostic],
    html: bool = True,
) -> dict[str, Image]:
    images: dict[str, Image] = {}
    for entry in entries:
        for ref, alt in _image_refs(entry, html):
            fact = facts.get(ref.value, MISSING)
            if isinstance(fact, Unusable):
                problems.append(_image_problem(entry, ref, fact, files))
                continue
            output_path = f"{MEDIA_DIR}/{ref.value.removeprefix('content/')}"
            existing = images.get(ref.value)
            if existing is None or (alt and not existing.alt):
                images[ref.value] = plan_image(
                    ref.value,
                    fact,
                    config.images.widths,
                    output_path,
                    config.base_path,
                    alt,
                    existing.referenced_at if existing else (entry.source, ref.line),
                )
    return images


def _image_problem(
    entry: StoryEntry | ValueEntry, ref: Located, reason: Unusable, files: frozenset[str]
) -> Diagnostic:
    shown = posixpath.relpath(ref.value, posixpath.dirname(entry.source))
    if reason.code == "missing-image":
        folder = posixpath.dirname(ref.value)
        nearby = {posixpath.basename(f): f for f in files if posixpath.dirname(f) == folder}
        guess = closest(posixpath.basename(ref.value), nearby)
        hint = (
            f"did you mean `{posixpath.relpath(nearby[guess], posixpath.dirname(entry.source))}`? "
            if guess
            else ""
        ) + f"put the picture at {ref.value}, or fix the path"
        return error(
            entry.source, ref.line, "missing-image", f"the image `{shown}` does not exist", hint
        )
    return error(
        entry.source,
        ref.line,
        reason.code,
        f"the image `{shown}` cannot be used: {reason.reason}",
        reason.hint,
    )
