"""A build keeps bodies in their files, not in memory: they are read again where converted.

At 10,000 stories the bodies were 75 MiB of a cold build's memory, held from parsing to the
last page. Now the parse keeps where each body starts and the digest of the text it checked;
the renderer reads the body again at that offset, and a file changed since is parsed afresh
(and its HTML not filed under the old text's key).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.content.entries import StoryEntry, ValueEntry
from generator.content.model import Story, Value
from generator.engine import cache
from generator.engine.build import build
from generator.engine.cache import HtmlStore
from generator.engine.incremental import BuildState, parse_sources
from generator.engine.records import BuildOptions
from generator.markdown.convert import MarkdownRenderer
from generator.site.routes import Route

STORY = """---
title: Night shift
author: Ana
date: 2026-01-05
values: [care]
---

The **first** paragraph — with a dash.

Second paragraph.
"""


def _site(root: Path) -> Path:
    (root / "content" / "stories").mkdir(parents=True)
    (root / "content" / "values").mkdir(parents=True)
    (root / "site.toml").write_text(
        'title = "T"\ncompany = "C"\nbase_url = "https://jobs.example"\n'
    )
    (root / "content" / "values" / "care.md").write_text(
        "---\ntitle: Care\nsummary: We care.\n---\n\nWe *care* a lot.\n"
    )
    story = root / "content" / "stories" / "night.md"
    story.write_text(STORY)
    return story


def _options(root: Path) -> BuildOptions:
    return BuildOptions(root, root / "output", dt.datetime(2026, 2, 1, tzinfo=dt.UTC))


def test_parsed_entries_hold_no_body_but_where_it_starts(tmp_path: Path) -> None:
    _site(tmp_path)
    sources = parse_sources(tmp_path, BuildState())
    [story], [value] = sources.stories, sources.values
    assert story.body_markdown is None and value.body_markdown is None
    text = (tmp_path / story.source).read_text()
    assert text[story.body_start :].startswith("The **first** paragraph")
    value_text = (tmp_path / value.source).read_text()
    assert value_text[value.body_start :] == "We *care* a lot.\n"


def test_the_page_shows_the_body_read_again_from_the_file(tmp_path: Path) -> None:
    _site(tmp_path)
    result = build(_options(tmp_path))
    assert result.ok, result.diagnostics
    page = (tmp_path / "output" / "stories" / "night" / "index.html").read_text()
    assert "<strong>first</strong> paragraph — with a dash." in page
    assert "<p>Second paragraph.</p>" in page
    value_page = (tmp_path / "output" / "values" / "care" / "index.html").read_text()
    assert "We <em>care</em> a lot." in value_page


def test_a_file_changed_since_it_was_checked_is_parsed_again_and_not_cached(
    tmp_path: Path,
) -> None:
    story = _site(tmp_path)
    checked_text = story.read_text()
    store = HtmlStore(tmp_path / "html.sqlite")
    body_start = checked_text.index("The **first**")
    renderer = MarkdownRenderer(
        "jobs.example",
        store=store,
        root=tmp_path,
        bodies={
            "content/stories/night.md": (
                cache.digest("content/stories/night.md", checked_text),
                body_start,
            )
        },
    )
    # Edited after the check, with a longer front matter: the old offset would cut it wrongly.
    story.write_text(STORY.replace("author: Ana\n", "author: Ana Lopez-Garcia\nrole: Nurse\n"))
    html = renderer.convert(None, "content/stories/night.md", key="digest-of-the-checked-file")
    assert html.startswith("<p>The <strong>first</strong> paragraph")
    store.close()
    later = MarkdownRenderer("jobs.example", store=HtmlStore(tmp_path / "html.sqlite"))
    assert later.store is not None
    assert later.store.get(_store_key(later, "digest-of-the-checked-file")) is None


def test_an_unchanged_file_is_read_at_its_offset_without_parsing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = _site(tmp_path)
    text = story.read_text()
    renderer = MarkdownRenderer(
        "jobs.example",
        root=tmp_path,
        bodies={
            "content/stories/night.md": (
                cache.digest("content/stories/night.md", text),
                text.index("The"),
            )
        },
    )

    def refuse(*_: object) -> object:
        raise AssertionError("the front matter was parsed again")

    monkeypatch.setattr("generator.content.frontmatter.parse_front_matter", refuse)
    html = renderer.convert(None, "content/stories/night.md", key="k")
    assert "<p>Second paragraph.</p>" in html


def _store_key(renderer: MarkdownRenderer, key: str) -> str:
    return cache.digest(
        renderer.settings_key, "content/stories/night.md", renderer.language, "", key
    )


def test_the_markdown_cache_writes_as_it_goes(tmp_path: Path) -> None:
    """A cold build's converted HTML is written every FLUSH_EVERY bodies, not held to the end."""
    store = HtmlStore(tmp_path / "html.sqlite")
    for n in range(cache.FLUSH_EVERY + 10):
        store.put(f"k{n}", f"<p>{n}</p>")
        assert len(store._pending) < cache.FLUSH_EVERY
    store.close()
    again = HtmlStore(tmp_path / "html.sqlite")
    assert again.get("k0") == "<p>0</p>" and again.get(f"k{cache.FLUSH_EVERY + 9}") is not None


@pytest.mark.parametrize("kind", [StoryEntry, ValueEntry, Story, Value, Route])
def test_the_objects_a_site_has_thousands_of_are_slotted(kind: type) -> None:
    """No per-object ``__dict__``: 1.6 KiB less per story and entry at 44 fields."""
    assert dataclasses.is_dataclass(kind) and "__slots__" in vars(kind)
    assert "__dict__" not in {name for cls in kind.__mro__ for name in vars(cls)}


def test_slotted_objects_pickle_as_their_fields_and_refuse_another_shape() -> None:
    import pickle

    from generator.content.entries import Located

    story = Story("s", "T", "A", dt.date(2026, 1, 1), (), "Sum.", None, "x.md", "en", renderer=None)  # type: ignore[arg-type]
    story.memo["lead"] = "cached"  # type: ignore[assignment]
    again = pickle.loads(pickle.dumps(story))
    assert again == story and again.memo == {"lead": "cached"}
    assert Located("care", 3).__getstate__() == ("care", 3)  # type: ignore[attr-defined]
    broken = Located.__new__(Located)
    with pytest.raises(ValueError, match="another shape"):
        broken.__setstate__(("care",))  # type: ignore[attr-defined]


def test_the_state_is_signed_as_it_streams_to_disk(tmp_path: Path) -> None:
    """save_pickle writes the pickle straight to the file and signs it by reading it back."""
    key = b"k" * 32
    value = {
        "parsed": [
            Route("story", f"stories/{n}/index.html", f"/stories/{n}/", "story.html")
            for n in range(3000)
        ]
    }
    path = tmp_path / "state.pickle"
    cache.save_pickle(path, value, key)
    assert cache.load_pickle(path, dict, key) == value
    assert cache.load_pickle(path, dict, b"x" * 32) is None  # another machine's key
    raw = bytearray(path.read_bytes())
    raw[-10] ^= 1
    path.write_bytes(bytes(raw))
    assert cache.load_pickle(path, dict, key) is None  # one bit changed
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_a_file_swapped_for_a_link_out_of_content_is_never_read(tmp_path: Path) -> None:
    story = _site(tmp_path)
    text = story.read_text()
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: x\n---\n\nThe payroll password.\n")
    renderer = MarkdownRenderer(
        "jobs.example",
        root=tmp_path,
        bodies={"content/stories/night.md": (cache.digest("content/stories/night.md", text), 5)},
    )
    story.unlink()
    story.symlink_to(secret)
    assert "payroll" not in renderer.convert(None, "content/stories/night.md", key="k")
