"""Cross-file rules and linking: the value rule, unique slugs, images on disk → the published Site."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .config import SiteConfig
from .entries import Located, StoryEntry, ValueEntry
from .errors import Diagnostic, closest, error, warning
from .loading import VALUES_DIR, ImageFacts
from .markdown import MarkdownRenderer
from .model import Asset, Image, Site, Story, Value

MEDIA_DIR = "media"


@dataclass(frozen=True)
class PublishOptions:
    """Which stories a build publishes."""

    today: dt.date
    """Stories dated after this day are scheduled, not published."""
    include_drafts: bool = False
    """Publish drafts too (previews)."""


def image_sources(entries: Iterable[StoryEntry]) -> set[str]:
    """Every image file the stories reference (to probe before linking)."""
    found: set[str] = set()
    for entry in entries:
        if entry.image is not None:
            found.add(entry.image.value)
        found.update(image.value for image in entry.inline_images)
    return found


def link_site(
    config: SiteConfig,
    stories: Sequence[StoryEntry],
    values: Sequence[ValueEntry],
    images: Mapping[str, ImageFacts | str],
    files: frozenset[str],
    options: PublishOptions,
    root: str = "",
) -> tuple[Site | None, list[Diagnostic]]:
    """Apply every cross-file rule; return the published Site, or None and the problems."""
    problems: list[Diagnostic] = []
    value_by_slug = _unique_values(values, problems)
    problems += _duplicate_story_slugs(stories)
    published_images = _published_images(config, stories, images, files, problems)
    renderer = MarkdownRenderer(urlsplit(config.base_url).hostname or "", published_images)

    linked_values = {
        slug: Value(
            slug=slug,
            title=entry.title,
            summary=entry.summary,
            order=entry.order,
            body_markdown=entry.body_markdown,
            source=entry.source,
            renderer=renderer,
            url=f"{config.base_path}values/{slug}/",
            extra=entry.extra,
        )
        for slug, entry in value_by_slug.items()
    }
    if not linked_values:
        problems.append(
            error(
                VALUES_DIR,
                0,
                "no-values-defined",
                "there are no corporate values in content/values/",
                "add one Markdown file per value, e.g. content/values/innovation.md",
            )
        )
    story_objects: list[Story] = []
    used_images: set[str] = set()
    for entry in stories:
        tags = _story_values(entry, linked_values, problems)
        if not _is_published(entry, options):
            continue  # a draft's or scheduled story's pictures are not published either
        used_images.update(image_sources([entry]))
        story_objects.append(
            Story(
                slug=entry.slug.value,
                title=entry.title,
                author=entry.author,
                date=entry.date,
                values=tuple(linked_values[tag] for tag in tags if tag in linked_values),
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
                extra=entry.extra,
                url=f"{config.base_path}stories/{entry.slug.value}/",
                absolute_url=f"{config.base_url}stories/{entry.slug.value}/",
            )
        )
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    story_objects.sort(key=lambda s: (-s.date.toordinal(), s.title, s.slug))
    counts = Counter(slug for story in story_objects for slug in story.value_slugs)
    ordered_values = sorted(linked_values.values(), key=lambda v: (v.order, v.title, v.slug))
    final_values = {v.slug: replace(v, story_count=counts[v.slug]) for v in ordered_values}
    final_stories = tuple(
        replace(s, values=tuple(final_values[v.slug] for v in s.values)) for s in story_objects
    )
    assets = tuple(
        Asset(posixpath.join(root, image.source) if root else image.source, image.output_path)
        for image in sorted(published_images.values(), key=lambda i: i.output_path)
        if image.source in used_images
    )
    return Site(final_stories, tuple(final_values.values()), assets), problems


def _is_published(entry: StoryEntry, options: PublishOptions) -> bool:
    if entry.draft and not options.include_drafts:
        return False
    return entry.date <= options.today


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


def _duplicate_story_slugs(stories: Sequence[StoryEntry]) -> list[Diagnostic]:
    problems = []
    owners: dict[str, list[StoryEntry]] = {}
    for entry in stories:
        owners.setdefault(entry.slug.value, []).append(entry)
    for slug, entries in owners.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = ", ".join(e.source for e in entries if e is not entry)
            problems.append(
                error(
                    entry.source,
                    entry.slug.line,
                    "duplicate-slug",
                    f"two stories would publish at stories/{slug}/ (also {others})",
                    "give one of them another file name or a `slug:` of its own",
                )
            )
    return problems


def _story_values(
    entry: StoryEntry, values: Mapping[str, Value], problems: list[Diagnostic]
) -> list[str]:
    """Check the story's tags against the known values: the rule at the heart of brandsite."""
    known = ", ".join(sorted(values)) or "(none defined yet)"
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
        if tag.value in tags:
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
        if tag.value not in values:
            problems.append(_unknown_value(entry, tag, values, known))
            continue
        tags.append(tag.value)
    return tags


def _unknown_value(
    entry: StoryEntry, tag: Located, values: Mapping[str, Value], known: str
) -> Diagnostic:
    guess = closest(tag.value, values) or closest(
        tag.value, {v.title.lower(): s for s, v in values.items()}
    )
    if guess and guess not in values:
        guess = next(s for s, v in values.items() if v.title.lower() == guess)
    hint = (f"did you mean `{guess}`? " if guess else "") + f"known values: {known}"
    return error(
        entry.source,
        tag.line,
        "unknown-value",
        f"the story is tagged with `{tag.value}`, which is not a corporate value",
        hint,
    )


def _published_images(
    config: SiteConfig,
    stories: Sequence[StoryEntry],
    facts: Mapping[str, ImageFacts | str],
    files: frozenset[str],
    problems: list[Diagnostic],
) -> dict[str, Image]:
    images: dict[str, Image] = {}
    for entry in stories:
        refs: list[tuple[Located, str]] = [(ref, "") for ref in entry.inline_images]
        if entry.image is not None:
            refs.insert(0, (entry.image, entry.image_alt))
        for ref, alt in refs:
            fact = facts.get(ref.value, "the file does not exist")
            if isinstance(fact, str):
                problems.append(_image_problem(entry, ref, fact, files))
                continue
            output_path = f"{MEDIA_DIR}/{ref.value.removeprefix('content/')}"
            existing = images.get(ref.value)
            if existing is None or (alt and not existing.alt):
                images[ref.value] = Image(
                    ref.value,
                    output_path,
                    config.base_path + output_path,
                    alt,
                    fact.width,
                    fact.height,
                )
    return images


def _image_problem(
    entry: StoryEntry, ref: Located, reason: str, files: frozenset[str]
) -> Diagnostic:
    shown = posixpath.relpath(ref.value, posixpath.dirname(entry.source))
    if reason == "the file does not exist":
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
        "bad-image",
        f"the image `{shown}` cannot be used: {reason}",
        "export it again as JPEG or PNG",
    )
