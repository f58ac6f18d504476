"""The social networks a share kit writes for: each one's length limit and how it counts.

Counting errs on the long side wherever a network's own rule is not known exactly, so a text this
module accepts is never refused by the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

URL_RE = re.compile(r"\bhttps?://[^\s<>\"]+|\bwww\.[^\s<>\"]+", re.IGNORECASE)
"""Links as the networks recognise them in pasted text (with a scheme, or starting www.)."""
SHORT_LINK = 23
"""What X and Mastodon count for every link, however long (t.co length)."""
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
"""Code points X counts once (twitter-text ``defaultWeight`` 200, these ranges 100); all others
count twice (CJK, emoji)."""


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts (an emoji is 2): LinkedIn, Instagram."""
    return len(text.encode("utf-16-le")) // 2


def x_length(text: str) -> int:
    """X's weighted length: every link 23, Latin and most European text 1, everything else 2."""
    total, last = 0, 0
    for match in URL_RE.finditer(text):
        total += _x_weight(text[last : match.start()]) + SHORT_LINK
        last = match.end()
    return total + _x_weight(text[last:])


def _x_weight(text: str) -> int:
    normal = unicodedata.normalize("NFC", text)
    return sum(1 if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT) else 2 for c in normal)


def mastodon_length(text: str) -> int:
    """Mastodon's count: code points, every link 23."""
    return len(URL_RE.sub("x" * SHORT_LINK, text))


def grapheme_length(text: str) -> int:
    """User-perceived characters, as Bluesky counts them; never fewer than the exact count.

    A base character takes along the combining marks, variation selectors, emoji modifiers and
    tags after it, an emoji joined to it by a zero-width joiner, and a flag's second half; any
    other code point counts as one, which counts rarer clusters (Hangul jamo, Indic vowel signs)
    too high, never too low.
    """
    count, previous, joined, flag_half = 0, "", False, False
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        extends = (
            unicodedata.category(char) in ("Mn", "Me")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or char == "\u200d"
        )
        if joined and _pictographic(code):
            extends = True
        joined = char == "\u200d" and _pictographic(ord(previous or " "))
        if 0x1F1E6 <= code <= 0x1F1FF:
            extends, flag_half = flag_half, not flag_half
        else:
            flag_half = False
        if not extends or not previous or previous in "\r\n":
            count += 1
        if not (extends and char in "\ufe0f\u200d") and not 0x1F3FB <= code <= 0x1F3FF:
            previous = char
    return count


def _pictographic(code: int) -> bool:
    """Roughly Unicode's Extended_Pictographic: what a zero-width joiner joins into one emoji."""
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


@dataclass(frozen=True)
class Platform:
    """A network the kit writes posts for."""

    key: str
    """``linkedin``, ``instagram``, ``x``, ``mastodon`` or ``bluesky`` (front matter ``channel``)."""
    name: str
    """As people write it."""
    limit: int
    """The most a post may have, in the network's own count."""
    unit: str
    """What is counted, for messages (``characters``)."""
    count: Callable[[str], int]
    """The network's length of a text."""
    links_in_text: bool = True
    """False where links in a post are not clickable (Instagram: the link goes into the bio)."""


PLATFORMS = (
    Platform("linkedin", "LinkedIn", 3000, "characters", utf16_length),
    Platform("instagram", "Instagram", 2200, "characters", utf16_length, links_in_text=False),
    Platform("x", "X", 280, "characters (links count as 23)", x_length),
    Platform("mastodon", "Mastodon", 500, "characters (links count as 23)", mastodon_length),
    Platform("bluesky", "Bluesky", 300, "characters", grapheme_length),
)
BY_KEY = {platform.key: platform for platform in PLATFORMS}


def clip(text: str, fits: Callable[[str], bool]) -> str:
    """``text`` shortened at a word boundary with "…" until ``fits`` accepts it ("" if never)."""
    if fits(text):
        return text
    words = text.split(" ")
    while words:
        words.pop()
        shorter = " ".join(words).rstrip(" ,;:–-") + "…"
        if words and fits(shorter):
            return shorter
    return ""
