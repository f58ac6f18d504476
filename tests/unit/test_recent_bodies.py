"""The renderer keeps recent bodies, not every body: memory stays flat however big the site."""

from __future__ import annotations

import pytest

from generator.markdown.convert import RECENT_BODIES, MarkdownRenderer


def _counting(renderer: MarkdownRenderer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    converted: list[str] = []
    real = MarkdownRenderer._convert

    def count(self: MarkdownRenderer, text: str, source: str) -> object:
        converted.append(source)
        return real(self, text, source)

    monkeypatch.setattr(MarkdownRenderer, "_convert", count)
    return converted


def test_a_body_shown_again_soon_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = MarkdownRenderer("h.example", pages={"content/stories/b.md": "/stories/b/"})
    converted = _counting(renderer, monkeypatch)
    text = "Hello [B](b.md) *there*."
    first = renderer.convert(text, "content/stories/a.md", "k1")
    again = renderer.convert(text, "content/stories/a.md", "k1")  # the feed, after the page
    assert first == again and 'href="/stories/b/"' in first and "<em>there</em>" in first
    assert converted == ["content/stories/a.md"]


def test_only_the_most_recent_bodies_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = MarkdownRenderer("h.example")
    converted = _counting(renderer, monkeypatch)
    for n in range(RECENT_BODIES + 50):
        renderer.convert(f"Story {n}.", f"content/stories/s{n}.md", f"k{n}")
    assert len(renderer._recent) == RECENT_BODIES
    newest = RECENT_BODIES + 49
    renderer.convert(f"Story {newest}.", f"content/stories/s{newest}.md", f"k{newest}")
    assert len(converted) == RECENT_BODIES + 50  # the newest was still kept
    html = renderer.convert("Story 0.", "content/stories/s0.md", "k0")
    assert len(converted) == RECENT_BODIES + 51 and html == "<p>Story 0.</p>"  # the oldest was not
