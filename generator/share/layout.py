"""Measure, wrap and fit text into a box: the largest size at which all of it fits, never cut off.

Lines break at spaces and after hyphens; a word too long for a line of its own is hyphenated
with the dictionary of its language (pyphen), so a German compound shrinks no further than it
must. Only below the smallest size a theme allows may a word break anywhere; the caller warns then.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyphen
    from PIL.ImageFont import FreeTypeFont

FLOOR_SIZE = 14
"""Below this no text is drawn smaller, whatever its length: it is cut with "…" instead."""
MAX_CHARACTERS = 800
"""Longer text is not laid out at all but cut at once: a card cannot show that much anyway,
and laying out thousands of characters at every size would take seconds."""
SOFT_HYPHEN = "\u00ad"
_SPACES_RE = re.compile(r"[ \t\r\n\f\v\u2000-\u200a\u202f\u205f\u3000]+")
"""Where lines may break; a no-break space (U+00A0) keeps its words together."""
_EDGE_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


@dataclass(frozen=True)
class TextBlock:
    """Text laid out in lines at one size."""

    lines: tuple[str, ...]
    size: int
    """Font size in pixels."""
    line_advance: int
    """Distance from one line's top to the next line's top, in pixels."""
    height: int
    """From the first line's top to the last line's bottom (ascent + descent)."""
    width: int
    """Width of the widest line, ink included."""
    fits: bool
    """True when the whole text fits at a size the theme allows (not below its minimum)."""
    cut: bool = False
    """True when even the floor size was too large and the text ends in "…"."""


@lru_cache(maxsize=256)
def font_at(data: bytes, size: int) -> FreeTypeFont:
    """The font in ``data`` at ``size`` pixels (parsed once per size: cards reuse them).

    Basic layout (no HarfBuzz/raqm): the same glyph positions on every machine with this Pillow,
    so cards are the same bytes whether or not the optional shaping library is installed.
    """
    from PIL import ImageFont

    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=ImageFont.Layout.BASIC)


class Advances:
    """How far the pen moves over a line at one font size, from each character's advance and
    each pair's kerning, measured once: the same number as ``FreeTypeFont.getlength`` with basic
    layout (which adds exactly these), without asking FreeType again for every candidate line."""

    def __init__(self, font: FreeTypeFont) -> None:
        self.font = font
        self._single: dict[str, float] = {}
        self._pairs: dict[str, float] = {}

    def length(self, text: str) -> float:
        """``font.getlength(text)``."""
        single, pairs = self._single, self._pairs
        total = 0.0
        for char in text:
            if char not in single:
                single[char] = self.font.getlength(char)
            total += single[char]
        for index in range(len(text) - 1):
            pair = text[index : index + 2]
            if pair not in pairs:
                if len(pairs) >= MAX_PAIRS:
                    pairs.clear()  # a site in a script whose pairs rarely repeat: start over
                pairs[pair] = self.font.getlength(pair) - single[pair[0]] - single[pair[1]]
            total += pairs[pair]
        return total


MAX_PAIRS = 50_000
"""Kerning pairs remembered per font size (a few MB); Latin text needs a few thousand."""


@lru_cache(maxsize=256)
def advances_at(data: bytes, size: int) -> Advances:
    """The ``Advances`` of the font in ``data`` at ``size`` pixels (one per size, like ``font_at``)."""
    return Advances(font_at(data, size))


@cache
def hyphenator(lang: str) -> pyphen.Pyphen | None:
    """The hyphenation dictionary for a BCP 47 language (``de``, ``de-CH``), or None."""
    import pyphen

    name = pyphen.language_fallback(lang.replace("-", "_")) if lang else None
    return pyphen.Pyphen(lang=name) if name else None


def missing_glyphs(font_data: bytes, text: str) -> str:
    """The characters of ``text`` the font has no glyph for (they would show as boxes)."""
    seen: dict[str, None] = {}
    for char in text:
        if not char.isspace() and char != SOFT_HYPHEN and not _has_glyph(font_data, char):
            seen[char] = None
    return "".join(seen)


@lru_cache(maxsize=4096)
def _has_glyph(font_data: bytes, char: str) -> bool:
    # FreeType draws a missing glyph as the font's .notdef box: compare with one surely missing.
    font = font_at(font_data, 24)
    return _mask(font, char) != _mask(font, "\U0010fffd")


def _mask(font: FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=4096)
def text_width(font: FreeTypeFont, text: str) -> int:
    """Pixels from the pen's start to the far edge of ink or advance, whichever is wider.

    Kept per font and text: names, roles, labels and the brand recur card after card."""
    if not text:
        return 0
    left, _, right, _ = font.getbbox(text, anchor="la")
    return int(max(right, font.getlength(text)) - min(0, left) + 0.999)


def line_box(font: FreeTypeFont, lines: int, spacing: float) -> tuple[int, int]:
    """(line advance, block height) of ``lines`` lines at this font's size."""
    ascent, descent = font.getmetrics()
    advance = max(ascent + descent, round(font.size * spacing))
    return advance, (lines - 1) * advance + ascent + descent if lines else 0


def fit_text(
    text: str,
    font_data: bytes,
    width: int,
    height: int,
    sizes: tuple[int, int],
    lang: str = "",
    spacing: float = 1.15,
) -> TextBlock:
    """``text`` at the largest size from ``sizes`` (max, min) that fits ``width`` × ``height``.

    Tries sizes from the largest down (halving the range each time); below the minimum the
    text shrinks further, down to FLOOR_SIZE, so that it is still all there (``fits`` False).
    """
    largest, smallest = sizes
    hyphenate = _breaker(lang)
    if len(text) > MAX_CHARACTERS:
        size = min(smallest, FLOOR_SIZE)
        return _cut(text[:MAX_CHARACTERS], font_data, size, width, height, spacing, hyphenate)
    largest_block = _try(text, font_data, largest, width, height, spacing, hyphenate, True)
    if largest_block is not None:
        return largest_block  # most names, roles and short titles: one try
    best = _try(text, font_data, smallest, width, height, spacing, hyphenate, strict=True)
    if best is None:
        return _below_minimum(text, font_data, smallest, width, height, spacing, hyphenate)
    low, high = smallest + 1, largest - 1
    while low <= high:
        middle = (low + high) // 2
        block = _try(text, font_data, middle, width, height, spacing, hyphenate, strict=True)
        if block is None:
            high = middle - 1
        else:
            best, low = block, middle + 1
    return best


def _below_minimum(
    text: str,
    font_data: bytes,
    smallest: int,
    width: int,
    height: int,
    spacing: float,
    hyphenate: Breaker,
) -> TextBlock:
    best = None
    low, high = FLOOR_SIZE, smallest - 1
    while low <= high:
        middle = (low + high) // 2
        block = _try(text, font_data, middle, width, height, spacing, hyphenate, strict=False)
        if block is None:
            high = middle - 1
        else:
            best, low = block, middle + 1
    if best is not None:
        return _with(best, fits=False)
    return _cut(text, font_data, min(smallest, FLOOR_SIZE), width, height, spacing, hyphenate)


def _cut(
    text: str,
    font_data: bytes,
    size: int,
    width: int,
    height: int,
    spacing: float,
    hyphenate: Breaker,
) -> TextBlock:
    """As much of ``text`` as fits at ``size``, ending in "…" (only for absurdly long text)."""
    font = font_at(font_data, size)
    room = _room(font, height, spacing)
    lines = wrap(text, advances_at(font_data, size), width, hyphenate, False, room + 1) or ()
    kept = list(lines[:room])
    while kept and text_width(font, kept[-1] + "…") > width:
        kept[-1] = kept[-1][:-1].rstrip()
        if not kept[-1]:
            kept.pop()
    kept = [*kept[:-1], kept[-1] + "…"] if kept else ["…"]
    block = _block(tuple(kept), font, spacing)
    return _with(block, fits=False, cut=True)


def _try(
    text: str,
    font_data: bytes,
    size: int,
    width: int,
    height: int,
    spacing: float,
    hyphenate: Breaker,
    strict: bool,
) -> TextBlock | None:
    font = font_at(font_data, size)
    room = _room(font, height, spacing)
    lines = wrap(text, advances_at(font_data, size), width, hyphenate, strict, room)
    if lines is None or len(lines) > room:
        return None  # too many lines: known before measuring any ink
    block = _block(lines, font, spacing)
    return block if block.height <= height and block.width <= width else None


def _room(font: FreeTypeFont, height: int, spacing: float) -> int:
    """How many lines fit ``height`` at this font's size (at least one)."""
    advance, one = line_box(font, 1, spacing)
    return max(1, 1 + (height - one) // advance)


def _block(lines: tuple[str, ...], font: FreeTypeFont, spacing: float) -> TextBlock:
    advance, height = line_box(font, len(lines), spacing)
    widest = max((text_width(font, line) for line in lines), default=0)
    return TextBlock(lines, int(font.size), advance, height, widest, fits=True)


def _with(block: TextBlock, fits: bool, cut: bool = False) -> TextBlock:
    return TextBlock(
        block.lines, block.size, block.line_advance, block.height, block.width, fits, cut
    )


Breaker = Callable[[str], Sequence[int]]
"""Where a word may be hyphenated: offsets into it (a hyphen is added at the line's end)."""


def _breaker(lang: str) -> Breaker:
    dictionary = hyphenator(lang)
    known: dict[str, Sequence[int]] = {}  # one fit tries many sizes with the same words

    def positions(word: str) -> Sequence[int]:
        if word not in known:
            lead, core, _ = _EDGE_RE.match(word).groups()  # type: ignore[union-attr]
            found = () if dictionary is None or len(core) < 5 else dictionary.positions(core)
            known[word] = [len(lead) + p for p in found]
        return known[word]

    return positions


def wrap(
    text: str,
    measure: Advances,
    width: int,
    hyphenate: Breaker,
    strict: bool,
    most: int = 10_000,
) -> tuple[str, ...] | None:
    """Lines of at most ``width`` pixels; None when ``strict`` and a word would need a break
    that is neither a space, a hyphen, a soft hyphen nor a dictionary hyphenation point.

    Stops after ``most`` + 1 lines (the caller only needs to know that they are too many)
    and returns those, or None when ``strict``.
    """
    lines: list[str] = []
    current = ""

    # Advances are cheap to measure, ink is not: lines are chosen by advance, with room for a
    # glyph's overhang; ``_try`` then measures the ink of the lines chosen.
    room = width - measure.font.size // 16
    length = measure.length

    def fits(line: str) -> bool:
        return length(line) <= room

    for word in _SPACES_RE.split(text.strip()):
        if not word:
            continue
        if len(lines) > most:
            return None if strict else tuple(lines)
        joined = f"{current} {word}" if current else word
        if fits(_shown(joined)):
            current = joined
            continue
        rest = word
        if current and not fits(_shown(word)):
            head, rest = _split(rest, f"{current} ", fits, hyphenate)
            lines.append(_shown(f"{current} {head}" if head else current))
        elif current:
            lines.append(_shown(current))
        current = ""
        while not fits(_shown(rest)):
            if len(lines) > most:
                return None if strict else tuple(lines)
            head, tail = _split(rest, "", fits, hyphenate)
            if not head:
                if strict:
                    return None
                head, tail = _force(rest, fits)
            lines.append(_shown(head))
            rest = tail
        current = rest
    if current:
        lines.append(_shown(current))
    return tuple(lines)


def _split(
    word: str, before: str, fits: Callable[[str], bool], hyphenate: Breaker
) -> tuple[str, str]:
    """The longest start of ``word`` that fits after ``before`` at a break point, and the rest."""
    longest = _longest_fitting(word, lambda head: fits(_shown(before + head + "-")))
    breaks: dict[int, str] = {}
    for index, char in enumerate(word[: longest + 1]):
        if char == "-" or char == "\u2010":
            breaks[index + 1] = ""  # after a hyphen the word already shows one
        elif char == SOFT_HYPHEN:
            breaks[index] = "-"
    offset = 0
    for part in re.split(r"([-\u2010\u00ad])", word):
        if offset > longest:
            break
        if part and part not in "-\u2010\u00ad":
            for position in hyphenate(part):
                breaks.setdefault(offset + position, "-")
        offset += len(part)
    for position in sorted((p for p in breaks if p <= longest + 1), reverse=True):
        head = word[:position] + breaks[position]
        if 0 < position < len(word) and fits(_shown(before + head)):
            return head, word[position:].lstrip(SOFT_HYPHEN)
    return "", word


def _longest_fitting(word: str, fits: Callable[[str], bool]) -> int:
    """The most characters of ``word`` that ``fits`` takes (0 if none): found by halving."""
    low, high = 0, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(word[:middle]):
            low = middle
        else:
            high = middle - 1
    return low


def _force(word: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """Break ``word`` anywhere (only below the theme's smallest size): as much as fits."""
    end = max(1, min(len(word) - 1, _longest_fitting(word, lambda head: fits(_shown(head)))))
    return word[:end], word[end:]


def _shown(text: str) -> str:
    """What is drawn: soft hyphens are invisible, no-break spaces are spaces."""
    return text.replace(SOFT_HYPHEN, "").replace("\u00a0", " ")
