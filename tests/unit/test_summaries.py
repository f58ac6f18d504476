"""Leads and summaries (issue #14, item 5): nothing printed twice, plain text where only text fits."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import html5lib
import pytest

from conftest import run_build, story, write_site
from generator.content.entries import derive_summary
from generator.markdown.summaries import one_line, plain_text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Read [our values](https://x.example/v) first.", "Read our values first."),
        ("**Bold**, *em*, _em_, ~~gone~~ and `code`", "Bold, em, em, gone and code"),
        ("snake_case and file_name.md stay", "snake_case and file_name.md stay"),
        ("Fish &amp; chips, AT&T, &eacute;t&eacute;", "Fish & chips, AT&T, été"),
        ("An escaped \\*star\\* and \\[bracket\\]", "An escaped *star* and [bracket]"),
        (
            "Mail <https://a.example/x> or <jo@a.example>",
            "Mail https://a.example/x or jo@a.example",
        ),
        ("<b>Raw</b> tags go, <Name> stays", "Raw tags go, <Name> stays"),
        ("A picture ![alt](p.jpg) is left out", "A picture is left out"),
        ('[ref link][r] and [a](x "title")', "ref link and a"),
        ("two\n   lines", "two lines"),
        ("<!-- a note --> text", "text"),
    ],
)
def test_plain_text_is_what_a_reader_sees(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text


@pytest.mark.parametrize(
    ("markdown", "line"),
    [
        ("# Not a heading", "\\# Not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("> not a quote", "\\> not a quote"),
        ("Two\n\nparagraphs ![x](y.jpg)", "Two paragraphs"),
    ],
)
def test_one_line_cannot_start_a_block(markdown: str, line: str) -> None:
    assert one_line(markdown) == line


def test_a_derived_summary_is_plain_text() -> None:
    body = "## Start\n\nI joined [Testco](https://t.example) in *May* &amp; stayed.\n\nMore."
    assert derive_summary(body) == "I joined Testco in May & stayed."


def _build(tmp_path: Path, stories: dict[str, str]) -> Path:
    root = write_site(tmp_path, stories)
    result = run_build(root)
    assert result.ok, result.diagnostics
    return root / "output"


def _document(path: Path):  # type: ignore[no-untyped-def]
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def _meta(document, name: str) -> str:  # type: ignore[no-untyped-def]
    for el in document.iter("meta"):
        if el.get("name") == name or el.get("property") == name:
            return str(el.get("content"))
    raise AssertionError(name)


def _json_ld(document) -> dict[str, object]:  # type: ignore[no-untyped-def]
    [script] = [s for s in document.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text)  # type: ignore[no-any-return]


def _classes(document, name: str) -> list:  # type: ignore[no-untyped-def]
    return [el for el in document.iter() if name in (el.get("class") or "").split()]


def _text(el) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(el.itertext()).split())


WRITTEN = "Why I [joined](https://t.example/why) *Testco* &amp; `stayed`"
WRITTEN_TEXT = "Why I joined Testco & stayed"


def _with_summary(summary: str, body: str, title: str = "Written") -> str:
    text = story(title=title, body=body)
    return text.replace("---\n", f"---\nsummary: '{summary}'\n", 1)


def test_a_summary_from_the_text_is_not_printed_above_it(tmp_path: Path) -> None:
    body = "I joined [Testco](https://t.example) in *May* &amp; stayed.\n\nMore."
    output = _build(tmp_path, {"content/stories/a.md": story(title="A", body=body)})
    page = _document(output / "stories/a/index.html")
    assert _classes(page, "story__lead") == []
    [body_el] = _classes(page, "story__body")
    assert _text(body_el).startswith("I joined Testco in May & stayed.")
    summary = "I joined Testco in May & stayed."
    assert _meta(page, "description") == summary
    assert _meta(page, "og:description") == summary
    assert _json_ld(page)["description"] == summary
    [card] = _classes(_document(output / "stories/index.html"), "card__summary")
    assert _text(card) == summary
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert feed.entries[0].summary == summary


def test_a_written_summary_is_the_lead_and_plain_text_in_meta_and_feeds(tmp_path: Path) -> None:
    output = _build(tmp_path, {"content/stories/a.md": _with_summary(WRITTEN, "The story itself.")})
    page = _document(output / "stories/a/index.html")
    [lead] = _classes(page, "story__lead")
    assert _text(lead) == WRITTEN_TEXT
    assert [a.get("href") for a in lead.iter("a")] == ["https://t.example/why"]
    assert [el.tag for el in lead.iter() if el is not lead] == ["a", "em", "code"]
    assert _meta(page, "description") == WRITTEN_TEXT
    assert _meta(page, "twitter:description") == WRITTEN_TEXT
    assert _json_ld(page)["description"] == WRITTEN_TEXT
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert feed.entries[0].summary == WRITTEN_TEXT
    raw_feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert "](https" not in raw_feed.split("<content:encoded>")[0]
    for listing in ("stories/index.html", "index.html", "values/craft/index.html"):
        cards = _classes(_document(output / listing), "card__summary")
        [card] = [c for c in cards if _text(c) == WRITTEN_TEXT]
        assert [el.tag for el in card.iter() if el is not card] == ["a", "em", "code"]


def test_a_written_summary_that_is_the_first_paragraph_is_printed_once(tmp_path: Path) -> None:
    text = _with_summary("The *same* words.", "The same *words*.\n\nMore.")
    output = _build(tmp_path, {"content/stories/a.md": text})
    page = (output / "stories/a/index.html").read_text(encoding="utf-8")
    assert "story__lead" not in page
    assert page.count("The same <em>words</em>.") == 1


@pytest.mark.parametrize(
    "heading", ["# My first year", "# my  FIRST year", "My first year\n============="]
)
def test_a_body_starting_with_its_title_does_not_repeat_it(tmp_path: Path, heading: str) -> None:
    body = f"{heading}\n\nText.\n\n## Later\n\nMore."
    output = _build(tmp_path, {"content/stories/a.md": story(title="My first year", body=body)})
    page = _document(output / "stories/a/index.html")
    [body_el] = _classes(page, "story__body")
    assert [(el.tag, _text(el)) for el in body_el.iter() if el.tag[0] == "h"] == [("h2", "Later")]
    assert [_text(h) for h in page.iter("h1")] == ["My first year"]


def test_another_first_heading_stays(tmp_path: Path) -> None:
    body = "# Something else\n\nText."
    output = _build(tmp_path, {"content/stories/a.md": story(title="My first year", body=body)})
    html = (output / "stories/a/index.html").read_text(encoding="utf-8")
    assert '<h2 id="something-else">Something else</h2>' in html


def test_a_value_page_shows_a_written_summary_once(tmp_path: Path) -> None:
    value = "---\ntitle: Grit\n---\nWe keep going.\n"
    output = _build(
        tmp_path,
        {"content/values/grit.md": value, "content/stories/a.md": story(values="grit")},
    )
    page = (output / "values/grit/index.html").read_text(encoding="utf-8")
    assert '<p class="page-header__lead">' not in page
    assert page.count("<p>We keep going.</p>") == 1
    craft = (output / "values/craft/index.html").read_text(encoding="utf-8")
    assert '<p class="page-header__lead">Craft is what we do.</p>' in craft


@pytest.mark.parametrize(
    "summary",
    [
        "Anna on twelve-hour shifts, teamwork at sea and why safety is everyone's job.",
        'She said "yes", then: no; (maybe) 100% – ok?',
        "Ünïcödé, emoji 🌊 and a. period",
        "Two  spaces\nand a newline",
    ],
)
def test_a_plain_sentence_is_its_own_card_html(summary: str) -> None:
    """The shortcut for sentences without marks gives what the converter would."""
    from generator.markdown.convert import MarkdownRenderer, needs_converter

    renderer = MarkdownRenderer("careers.test.example")
    line = one_line(summary)
    assert not needs_converter(line)
    converted = str(renderer.convert(line, "content/stories/a.md"))
    assert converted == f"<p>{renderer.convert_inline(summary, 'content/stories/a.md')}</p>"


@pytest.mark.parametrize(
    "summary",
    ["a [b](c)", "*x*", "x_y_", "1. one", "- one", "a & b", "www.x.example", "a@b.example"],
)
def test_marks_go_through_the_converter(summary: str) -> None:
    from generator.markdown.convert import needs_converter

    assert needs_converter(one_line(summary))
