"""Work estimates for the Markdown converter's slow shapes that need more than a regex to count.

``complexity_problem`` sums these (and its own) against fixed budgets, so a body is refused by
the same rule on every machine, before anything converts or derives from it.
"""

from __future__ import annotations

import bisect
import re

_BACKTICKS_RE = re.compile(r"`+")


def code_span_work(text: str) -> int:
    """Characters Python-Markdown's code-span finder scans in ``text`` (one paragraph).

    A replay of ``BacktickInlineProcessor`` (Python-Markdown 3.x): from each opening run of
    backticks it scans forward for a run of the same length, or to the end of the text when
    there is none; it then resumes *two run lengths* past the opener, which can land inside the
    next run, so ``"``a`" * n`` makes every run an opener that scans to the end (quadratic).
    The replay jumps from run to run with lookups, so it is itself near-linear.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text)]
    if not runs:
        return 0
    end_of_text = len(text)
    by_length: dict[int, list[int]] = {}
    for index, (start, stop) in enumerate(runs):
        by_length.setdefault(stop - start, []).append(index)
    longest_from = _longest_run_from(runs)
    work = 0
    position = 0  # where the finder searches for the next opening backtick
    index = 0  # the first run that ends after ``position``
    while index < len(runs):
        start, stop = runs[index]
        opener = max(start, position)
        if opener == start and _escaped(text, start):
            opener += 1  # `\`` is no opener; the rest of its run may be
            if opener == stop:
                index, position = index + 1, stop
                continue
        ticks = stop - opener
        same = by_length.get(ticks, [])
        found = bisect.bisect_right(same, index)
        if found < len(same):  # the closing run: the span ends with it
            work += runs[same[found]][1] - opener
            index = same[found] + 1
            position = runs[same[found]][1]
            continue
        work += end_of_text - opener
        fallback = longest_from[index + 1] if index + 1 < len(runs) else None
        if fallback is not None and runs[fallback][1] - runs[fallback][0] < ticks:
            index = fallback + 1  # a shorter longest run closes it (Python-Markdown's fallback)
            position = runs[fallback][1]
            continue
        position = stop + ticks  # past the opener and as far again: maybe inside a later run
        index = bisect.bisect_right(runs, (position, end_of_text + 1)) - 1
        if index < 0 or runs[index][1] <= position:
            index += 1
    return work


def _escaped(text: str, index: int) -> bool:
    """True when an odd number of backslashes stands before ``text[index]``."""
    count = 0
    while index > count and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _longest_run_from(runs: list[tuple[int, int]]) -> list[int]:
    """For each run index, the index of the first longest run at or after it."""
    best: list[int] = [0] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        if index == len(runs) - 1:
            best[index] = index
            continue
        here = runs[index][1] - runs[index][0]
        later = best[index + 1]
        best[index] = index if here >= runs[later][1] - runs[later][0] else later
    return best


MAX_BRACKET_WORK = 1_000_000
"""Python-Markdown rescans to the end of a paragraph for every ``[`` or ``](`` it cannot
close (Python-Markdown#798), so a few thousand of them take minutes. This bounds that work
(about a second); ordinary stories need a few hundred units."""
MAX_BLOCK_WORK = 16_000_000
"""The processors for headings, rules, link definitions and indented code re-join
the rest of a paragraph after each line they take, so a paragraph's cost grows with such
lines × its length; this bounds it (about a second)."""
MAX_TAG_WORK = 5_000_000
"""With raw HTML on, the HTML reader rescans from every ``<tag`` to the next ``>``; this bounds
the sum of those distances (about a second)."""
MAX_CODE_SPAN_WORK = 16_000_000
"""Python-Markdown's code-span finder scans from each opening run of backticks to its closing
run, or to the end of the paragraph, and can resume inside the next run (``"``a`" * n``); this
bounds the characters it scans (about a second); ordinary stories need a few thousand."""
MAX_QUOTE_DEPTH = 50
"""``>`` levels on one line; each level re-parses the rest of the line."""
_QUOTE_RE = re.compile(r"^[ >]*")
_TAG_OPEN_RE = re.compile(r"<[A-Za-z/!?]")
_BRACKET_RE = re.compile(r"[\[\]()]")
_REJOINING_LINE_RE = re.compile(r"^(?: {0,3}(?:#|\[[^\]]*\]:|[=-]+\s*$|(?:[-*_]\s*){3,}$)| {4}|\t)")


def complexity_problem(body: str) -> tuple[int, str] | None:
    """The 0-based line of a paragraph that would take the converter too long, and why.

    A deterministic estimate of Python-Markdown's known quadratic cases, so the same
    file is refused on every machine rather than timing out on a slow one.
    """
    tag_work = 0
    for match in _TAG_OPEN_RE.finditer(body):
        comment = body.startswith("<!--", match.start())
        close = body.find("-->", match.start() + 4) if comment else body.find(">", match.end())
        tag_work += (close if close >= 0 else len(body)) - match.start()
        if tag_work > MAX_TAG_WORK:
            at = body.count("\n", 0, match.start())
            return at, "the text has too many unclosed HTML tags or comments (`<` without `>`)"
    bracket_work = code_work = 0
    for start, lines in _paragraphs(body):
        for offset, line in enumerate(lines):
            depth = _QUOTE_RE.match(line).group().count(">")  # type: ignore[union-attr]
            if depth > MAX_QUOTE_DEPTH:
                return start + offset, f"the line is quoted {depth:,} levels deep (`>`)"
        text = "\n".join(lines)
        rejoining = sum(1 for line in lines if _REJOINING_LINE_RE.match(line))
        if rejoining * len(text) > MAX_BLOCK_WORK:
            return start, (
                f"the paragraph starting here has {rejoining:,} headings, rules or definitions "
                "without a blank line between them, too many to convert in good time"
            )
        bracket_work += _bracket_work(text)
        if bracket_work > MAX_BRACKET_WORK:
            return start, "the text has too many unclosed `[` or `(` to convert in good time"
        code_work += code_span_work(text)
        if code_work > MAX_CODE_SPAN_WORK:
            return start, (
                "the text has too many backticks (`) that do not pair up into code, "
                "too many to convert in good time"
            )
    return None


def _paragraphs(body: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, with the 0-based line each starts on."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(body.split("\n")):
        if not line.strip():
            if current:
                found.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        found.append((start, current))
    return found


def _bracket_work(text: str) -> int:
    """How far Python-Markdown scans for each ``[`` and each ``](``, summed."""
    work = 0
    brackets: list[int] = []
    parens: list[int] = []
    for match in _BRACKET_RE.finditer(text):
        index, char = match.start(), match.group()
        if char == "[":
            brackets.append(index)
        elif char == "]" and brackets:
            work += index - brackets.pop()
        elif char == "(" and index and text[index - 1] == "]":
            parens.append(index)
        elif char == ")" and parens:
            work += index - parens.pop()
    end = len(text)
    return work + sum(end - i for i in brackets) + sum(end - i for i in parens)
