"""Work estimates for the Markdown converter's slow shapes that need more than a regex to count.

``markdown.complexity_problem`` sums these (and its own) against fixed budgets, so a body is
refused by the same rule on every machine, before anything converts or derives from it.
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
