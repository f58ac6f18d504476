"""What complexity_problem lets through converts in work proportional to its budgets.

Work is counted, not timed: every Python line the converter runs (Python-Markdown, html.parser,
brandsite's own tree processors) is one unit, so the bound holds on any machine. The check's
budgets are scaled down a thousandfold, so bodies of a few kilobytes reach them: a shape the
check does not count (as code spans were not) then shows up as work far beyond the budgets.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from unittest import mock

from hypothesis import event, example, given
from hypothesis import strategies as st

from generator.markdown import convert as md
from generator.markdown.convert import MarkdownRenderer, complexity_problem

SCALE = 1000
SCALED = {
    "MAX_BRACKET_WORK": md.MAX_BRACKET_WORK // SCALE,
    "MAX_BLOCK_WORK": md.MAX_BLOCK_WORK // SCALE,
    "MAX_TAG_WORK": md.MAX_TAG_WORK // SCALE,
    "MAX_CODE_SPAN_WORK": md.MAX_CODE_SPAN_WORK // SCALE,
}
LINES_PER_CHARACTER = 200
"""Measured: list items cost about 145 lines per character, emphasis about 95."""
LINES_PER_UNIT = {
    "MAX_BRACKET_WORK": 30,  # measured 24 (Python-Markdown's bracket loop, per character)
    "MAX_BLOCK_WORK": 1,  # measured 0.35 (mostly string joins, which run no Python lines)
    "MAX_TAG_WORK": 10,
    "MAX_CODE_SPAN_WORK": 10,  # measured 5.3 (the code-span finder, per character)
}
ALLOWED_LINES = sum(SCALED[name] * LINES_PER_UNIT[name] for name in SCALED) + 20_000
"""What a body at every scaled budget at once may cost, beyond its length."""

TOKENS = ["`", "``", "```", "[", "]", "(", ")", "](", "![", "*", "**", "_", "<", ">", "a",
          "word ", " ", "\n", "\n\n", "\\", "=", "#", "- ", "    ", "<b>", "</b>", "&",
          "<Name>", '<img src="a.png">', '<a href="b.md">', "](b.md)", "<div>", "# A story\n",
          "<iframe ", "<script>"]  # fmt: skip


def traced_lines(run: Callable[[], object]) -> int:
    """How many Python lines ``run`` executes (every frame, every line)."""
    count = 0

    def local(frame: object, event: str, arg: object) -> object:
        nonlocal count
        count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        run()
    finally:
        sys.settrace(previous)
    return count


def assert_bounded(body: str, mode: str) -> None:
    with mock.patch.multiple(md, **SCALED):
        if complexity_problem(body) is not None:
            event("refused")
            return
    renderer = MarkdownRenderer(
        "careers.test.example",
        html=mode,
        titles={"content/stories/x.md": "A story"},
        pages={"content/stories/b.md": "/stories/b/"},
    )
    renderer.convert("warm up", "content/stories/w.md")  # build the converter outside the count
    with mock.patch.object(md, "MAX_CONVERT_SECONDS", 600.0):  # tracing is slow: no fallback
        lines = traced_lines(lambda: renderer.convert(body, "content/stories/x.md"))
    assert lines <= ALLOWED_LINES + LINES_PER_CHARACTER * len(body), (lines, body[:200])


SHAPE_PARTS = ["`", "``", "```", "a", "[", "](", "![", "*", "<", "\n", " ", "<x", "<img ", ".md)"]
"""Pieces of the known slow shapes; about one in 25 of their short mixes, repeated, is one."""


@given(
    st.lists(st.sampled_from(SHAPE_PARTS), min_size=1, max_size=4).map("".join),
    st.integers(min_value=200, max_value=3000),
    st.sampled_from(["escape", "safe"]),
)
@example("``a`", 3000, "escape")
@example("```a``", 3000, "escape")
@example("[", 3000, "escape")
@example("![", 3000, "escape")
@example("[a](", 3000, "escape")
@example("a\n=\n", 3000, "escape")
@example("<a\n", 3000, "safe")
def test_repeated_shapes_are_refused_or_cheap(token: str, size: int, mode: str) -> None:
    """The slow shapes are repetitions (``"``a`" * n``, ``"[" * n``): refused or cheap."""
    assert_bounded((token * (size // len(token) + 1))[:size], mode)


@given(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=1500).map("".join),
    st.sampled_from(["escape", "safe"]),
)
def test_random_mixes_are_refused_or_cheap(body: str, mode: str) -> None:
    """Backticks, brackets and asterisks in any mix: refused or cheap."""
    assert_bounded(body, mode)


def test_the_code_span_shape_is_counted() -> None:
    """The shape the check once missed costs far more than the budgets when let through."""
    body = "``a`" * 750
    with mock.patch.multiple(md, **{**SCALED, "MAX_CODE_SPAN_WORK": 10**12}):
        assert complexity_problem(body) is None  # what the check said before code spans
    renderer = MarkdownRenderer("careers.test.example")
    lines = traced_lines(lambda: renderer.convert(body, "content/stories/x.md"))
    assert lines > 2 * (ALLOWED_LINES + LINES_PER_CHARACTER * len(body))
    with mock.patch.multiple(md, **SCALED):
        assert complexity_problem(body) is not None
