"""The scanners of issue #14 (links, embed snippets, summaries, raw tags) take time linear in the text.

They run on every body before the converter's complexity check can refuse it, so none of them
may have a quadratic shape. Their work is in regular expressions (C, which a line count does not
see), so it is timed: sixteen times the text may take about sixteen times as long (the bound
allows four times that, for caches and timers); a quadratic shape takes 256 times as long. Two shapes that were quadratic before they were fixed are pinned as examples.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.content.internal_links import find_links
from generator.markdown.convert import MarkdownRenderer, escape_unknown_tags
from generator.markdown.html_embeds import find_html_embeds
from generator.markdown.summaries import one_line, plain_text

_RENDERER = MarkdownRenderer("careers.test.example", pages={"content/stories/b.md": "/b/"})
SCANNERS: dict[str, Callable[[str], object]] = {
    "find_links": find_links,
    "find_html_embeds": find_html_embeds,
    "plain_text": plain_text,
    "one_line": one_line,
    "escape_unknown_tags": escape_unknown_tags,
    "resolve_raw": _RENDERER._resolve_raw,
}
PARTS = [
    "[", "]", "](", "](<", "(", ")", "!", "<", ">", "<a ", '<a href="', "<img", "<img src=",
    "<!--", "-->", "<iframe ", '<blockquote class="twitter-tweet">', "</blockquote>", "<script",
    "\\", "*", "_", "`", '"', "'", "=", " ", "\n", "a", "@", "https://", ".md", "#", "]:",
]  # fmt: skip
SMALL, LARGE = 10_000, 160_000
MAX_RATIO = 64.0
"""Sixteen times the text: linear is about 16 (up to 35 measured, as the text outgrows the
processor's caches), quadratic 256."""
MEASURABLE = 0.001
"""Below this many seconds for the small text, timing says little."""


def seconds(run: Callable[[str], object], text: str) -> float:
    """The best of five runs, without the garbage collector (whose pauses are not the text's)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            started = time.perf_counter()
            run(text)
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return best


def repeated(token: str, size: int) -> str:
    return (token * (size // len(token) + 1))[:size]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PARTS), min_size=1, max_size=3).map("".join),
    st.sampled_from(sorted(SCANNERS)),
)
@example("<img\\", "plain_text")  # a tag's name and attributes could share characters
@example('(<blockquote class="twitter-tweet">', "find_html_embeds")  # each post read the rest
@example("](<\n", "find_links")
@example("[\n", "find_links")
def test_scanners_take_linear_time(token: str, name: str) -> None:
    run = SCANNERS[name]
    measured: list[tuple[float, float]] = []
    for _ in range(3):  # a busy machine can slow one measurement; a quadratic shape stays slow
        small = seconds(run, repeated(token, SMALL))
        large = seconds(run, repeated(token, LARGE)) if small >= MEASURABLE else 0.0
        measured.append((small, large))
        if small < MEASURABLE or large / small < MAX_RATIO:
            break
    small, large = measured[-1]
    assert small < MEASURABLE or large / small < MAX_RATIO, (name, token, measured)
