"""Front matter ``share:``: the posts planned for a story, checked entry by entry.

    share:
      - on: 2026-03-16
        channel: linkedin
        text: "Anna on her first night shift offshore …"

``check_share`` is pure: the story rules call it with the parsed value and the lines the front
matter parser recorded, the share kit and the calendar read the PlannedPosts it returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Diagnostic, did_you_mean, error, warning
from .platforms import BY_KEY, URL_RE

ITEM_KEYS = ("on", "channel", "text")
EXAMPLE = 'share:\n  - on: 2026-03-16\n    channel: linkedin\n    text: "…"'
_ONE_LINE_EXAMPLE = '`- {on: 2026-03-16, channel: linkedin, text: "…"}`'


@dataclass(frozen=True)
class PlannedPost:
    """One planned post of a story."""

    on: dt.date
    """The day it is to be posted."""
    channel: str
    """A key of ``platforms.BY_KEY``: ``linkedin``, ``instagram``, ``x``, ``mastodon``, ``bluesky``."""
    text: str
    """The post as written (the kit adds the story's link when the text has none)."""
    line: int
    """Line of the entry (its ``-``) in the story file."""
    text_line: int
    """Line of its ``text``."""


def check_share(
    value: object,
    source: str,
    key_line: int,
    item_lines: Sequence[int] = (),
    lines: Sequence[str] = (),
    link: str = "",
) -> tuple[tuple[PlannedPost, ...], list[Diagnostic]]:
    """The planned posts in ``share:`` and the problems with it.

    ``item_lines`` are the lines of the list's entries (``FrontMatter.item_lines["share"]``);
    with the file's ``lines`` a too-long text is reported at its own ``text:`` line. ``link``,
    when given, is counted with every text that has none, for the kit adds it to them.
    """
    if value is None:
        return (), []
    if not isinstance(value, list):
        return (), [
            error(
                source,
                key_line,
                "bad-share-plan",
                "`share` must be a list of planned posts",
                f"write each post as a list entry: {_ONE_LINE_EXAMPLE}",
            )
        ]
    posts: list[PlannedPost] = []
    problems: list[Diagnostic] = []
    for index, item in enumerate(value):
        line = item_lines[index] if index < len(item_lines) else key_line
        following = item_lines[index + 1] if index + 1 < len(item_lines) else 0
        post, found = _check_item(item, source, index + 1, line, following, lines, link)
        problems += found
        if post is not None:
            posts.append(post)
    return tuple(posts), problems


def _check_item(
    item: object,
    source: str,
    number: int,
    line: int,
    following: int,
    lines: Sequence[str],
    link: str,
) -> tuple[PlannedPost | None, list[Diagnostic]]:
    where = f"planned post {number}"
    if not isinstance(item, Mapping):
        return None, [
            error(
                source,
                line,
                "bad-share-plan",
                f"{where} in `share` is not a post with `on`, `channel` and `text`",
                f"write it as {_ONE_LINE_EXAMPLE}",
            )
        ]
    # YAML reads a bare `on` (like yes/no) as true: that key is the `on` the author wrote.
    fields = {("on" if key is True else str(key)): item[key] for key in item}
    problems: list[Diagnostic] = []
    for key in sorted(set(fields) - set(ITEM_KEYS)):
        hint = did_you_mean(key, ITEM_KEYS)
        problems.append(
            error(
                source,
                _key_line(lines, line, following, key),
                "bad-share-plan",
                f"{where} has an unknown field `{key}`",
                (hint + " " if hint else "") + "a planned post has `on`, `channel` and `text`",
            )
        )
    day = _day(fields.get("on"))
    if day is None:
        shown = fields.get("on")
        problems.append(
            error(
                source,
                _key_line(lines, line, following, "on"),
                "bad-share-plan",
                f"{where} has no `on` date"
                if shown is None
                else f"`on` of {where} is not a date: `{shown}`",
                "write the day as YYYY-MM-DD, e.g. `on: 2026-03-16`",
            )
        )
    channel = fields.get("channel")
    platform = BY_KEY.get(channel) if isinstance(channel, str) else None
    if platform is None:
        hint = did_you_mean(str(channel), BY_KEY) if channel is not None else ""
        problems.append(
            error(
                source,
                _key_line(lines, line, following, "channel"),
                "bad-share-plan",
                f"{where} has no `channel`"
                if channel is None
                else f"`channel` of {where} is not a network brandsite knows: `{channel}`",
                (hint + " " if hint else "") + f"channels: {', '.join(BY_KEY)}",
            )
        )
    text = fields.get("text")
    text_line = _key_line(lines, line, following, "text")
    if not isinstance(text, str) or not text.strip():
        problems.append(
            error(
                source,
                text_line,
                "bad-share-plan",
                f"{where} has no `text`",
                'add the post\'s words: `text: "…"` (in quotes when it has a `:` or `#`)',
            )
        )
    if platform is None or not isinstance(text, str) or not text.strip():
        return None, problems
    text = text.strip()
    counted = text
    if link and platform.links_in_text and not URL_RE.search(text):
        counted = f"{text}\n\n{link}"
    length = platform.count(counted)
    if length > platform.limit:
        with_link = " with the story's link" if counted != text else ""
        problems.append(
            warning(
                source,
                text_line,
                "share-text-too-long",
                f"the {platform.name} text of {where} is {length:,} {platform.unit}{with_link}; "
                f"{platform.name} allows {platform.limit:,}",
                f"shorten it by {length - platform.limit:,}",
            )
        )
    if day is None or any(p.severity.value == "error" for p in problems):
        return None, problems
    return PlannedPost(day, platform.key, text, line, text_line), problems


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _key_line(lines: Sequence[str], first: int, following: int, key: str) -> int:
    """The line of ``key:`` within the entry that starts at ``first`` (1-based), else ``first``."""
    pattern = re.compile(rf"(?:^|[\s{{,-]){re.escape(key)}\s*:")
    end = following - 1 if following > first else len(lines)
    for number in range(first, end + 1):
        if not 0 < number <= len(lines):
            break
        text = lines[number - 1]
        if number > first and (text.startswith("---") or text[:1] not in ("", " ", "-")):
            break  # the next top-level key, or the end of the front matter
        if pattern.search(text):
            return number
    return first
