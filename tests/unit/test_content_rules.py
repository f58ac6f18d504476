"""Every content rule: one case per diagnostic code, asserting the exact location and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import codes, run_build, story, write_site

STORY = "content/stories/s.md"


def only(result, code: str):
    """The single diagnostic with ``code``."""
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, result.diagnostics
    return found[0]


CASES = [
    # (code, file text, expected line, a phrase of the message, a phrase of the hint)
    ("no-front-matter", "Just text\n", 1, "does not start with front matter", "---"),
    ("unclosed-front-matter", "---\ntitle: x\n", 1, "never closed", "---"),
    ("bad-yaml", "---\ntitle: Why: because\nauthor: A\n---\n", 2, "not valid YAML", "quotes"),
    ("bad-yaml", '---\ntitle: "open\nauthor: A\n---\n', 2, "is never closed", "closing quote"),
    ("front-matter-not-mapping", "---\n- a\n- b\n---\n", 2, "list of `field: value`", "one field"),
    ("empty-front-matter", "---\n---\nbody\n", 1, "empty", "title"),
    ("yaml-alias", "---\ntitle: &t x\nauthor: *t\n---\n", 3, "starts with `*`", "in quotes"),
    (
        "duplicate-key",
        "---\ntitle: a\ntitle: b\n---\n",
        3,
        "appears twice (first on line 2)",
        "keep one",
    ),
    ("missing-field", story().replace("author: Ada\n", ""), 5, "`author` is missing", "author:"),
    ("missing-field", story(title='""'), 2, "`title` is empty", "title:"),
    ("bad-date", story(date="2026-02-30"), 4, "not a real date", "YYYY-MM-DD"),
    ("bad-date", story(date="March 3, 2026"), 4, "not a date in the form YYYY-MM-DD", "2026-03-14"),
    (
        "unknown-field",
        story()
        .replace("---\n\n", "darft: true\n---\n", 1)
        .replace("---\nFirst", "darft: true\n---\nFirst"),
        6,
        "unknown field `darft`",
        "did you mean `draft`?",
    ),
    (
        "bad-field-type",
        story().replace("---\nFirst", "draft: maybe\n---\nFirst"),
        6,
        "`draft` must be true or false",
        "draft: true",
    ),
    (
        "bad-field-type",
        story().replace("---\nFirst", "extra: 5\n---\nFirst"),
        6,
        "`extra` must be a group",
        "extra",
    ),
    (
        "bad-slug",
        story().replace("---\nFirst", "slug: Hello World\n---\nFirst"),
        6,
        "not a plain URL segment",
        "hello-world",
    ),
    (
        "reserved-slug",
        story().replace("---\nFirst", "slug: page\n---\nFirst"),
        6,
        "reserved",
        "another slug",
    ),
    (
        "bad-language",
        story().replace("---\nFirst", "lang: german!\n---\nFirst"),
        6,
        "not a language code",
        "`de`",
    ),
    (
        "missing-alt",
        story().replace("---\nFirst", "image: images/a.jpg\n---\nFirst"),
        6,
        "no `image_alt`",
        "describe",
    ),
    (
        "image-outside-content",
        story().replace("---\nFirst", "image: ../../../etc/passwd\nimage_alt: x\n---\nFirst"),
        6,
        "outside the content folder",
        "content/stories/images",
    ),
    (
        "no-values",
        story().replace("values: [craft]\n", ""),
        5,
        "has no `values`",
        "known values: care, craft",
    ),
    ("no-values", story(values=""), 5, "list is empty", "e.g. `values: [care]`"),
    ("unknown-value", story(values="crafts"), 5, "tagged with `crafts`", "did you mean `craft`?"),
]


@pytest.mark.parametrize(
    ("code", "text", "line", "message", "hint"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_rule_reports_file_line_message_and_hint(
    tmp_path: Path, code, text, line, message, hint
):
    root = write_site(tmp_path / "p", {STORY: text})
    result = run_build(root)
    assert not result.ok
    problem = next((d for d in result.diagnostics if d.code == code and message in d.message), None)
    assert problem is not None, [f"{d.code}: {d.message}" for d in result.diagnostics]
    assert problem.source == STORY
    assert problem.line == line
    assert hint in problem.hint
    assert not (root / "output").exists(), "a failed build must not write the output"


def test_unknown_value_lists_known_values_and_points_at_the_item_line(tmp_path: Path):
    text = "---\ntitle: T\nauthor: A\ndate: 2026-01-01\nvalues:\n  - care\n  - craftt\n---\nBody\n"
    result = run_build(write_site(tmp_path / "p", {STORY: text}))
    problem = only(result, "unknown-value")
    assert problem.line == 7
    assert problem.message == "the story is tagged with `craftt`, which is not a corporate value"
    assert problem.hint == "did you mean `craft`? known values: care, craft"


def test_a_value_title_typed_instead_of_its_slug_is_that_value(tmp_path: Path):
    result = run_build(write_site(tmp_path / "p", {STORY: story(values="Craft")}))
    assert result.ok and result.site.stories[0].value_slugs == ("craft",)


def test_not_utf8_names_the_line(tmp_path: Path):
    text = story().encode("utf-8").replace(b"Ada", b"J\xf6rg")
    problem = only(run_build(write_site(tmp_path / "p", {STORY: text})), "not-utf8")
    assert (problem.source, problem.line) == (STORY, 3)
    assert "UTF-8" in problem.hint


def test_bom_and_crlf_are_fine(tmp_path: Path):
    text = ("\ufeff" + story()).replace("\n", "\r\n").encode("utf-8")
    result = run_build(write_site(tmp_path / "p", {STORY: text}))
    assert result.ok, result.diagnostics


def test_duplicate_slug_is_reported_on_both_files(tmp_path: Path):
    files = {
        "content/stories/a.md": story().replace("---\nFirst", "slug: same\n---\nFirst"),
        "content/stories/b.md": story().replace("---\nFirst", "slug: same\n---\nFirst"),
    }
    result = run_build(write_site(tmp_path / "p", files))
    found = [d for d in result.diagnostics if d.code == "duplicate-slug"]
    assert [(d.source, d.line) for d in found] == [
        ("content/stories/a.md", 6),
        ("content/stories/b.md", 6),
    ]
    assert "also content/stories/b.md" in found[0].message


def test_duplicate_value_slug(tmp_path: Path):
    files = {"content/values/craft2.md": "---\ntitle: Craft again\nslug: craft\n---\n"}
    result = run_build(write_site(tmp_path / "p", files))
    assert only(result, "duplicate-slug").source == "content/values/craft2.md"


def test_value_without_title(tmp_path: Path):
    result = run_build(
        write_site(tmp_path / "p", {"content/values/x.md": "---\nsummary: s\n---\n"})
    )
    problem = only(result, "missing-field")
    assert (problem.source, problem.message) == (
        "content/values/x.md",
        "the required field `title` is missing",
    )


def test_missing_image_suggests_the_file_that_exists(tmp_path: Path):
    from PIL import Image

    root = write_site(
        tmp_path / "p",
        {
            STORY: story().replace(
                "---\nFirst", "image: images/portait.jpg\nimage_alt: A portrait\n---\nFirst"
            )
        },
    )
    (root / "content/stories/images").mkdir(parents=True)
    Image.new("RGB", (8, 6), "red").save(root / "content/stories/images/portrait.jpg")
    problem = only(run_build(root), "missing-image")
    assert problem.line == 6
    assert problem.hint.startswith("did you mean `images/portrait.jpg`?")


def test_unreadable_image(tmp_path: Path):
    root = write_site(
        tmp_path / "p",
        {
            STORY: story().replace("---\nFirst", "image: images/a.jpg\nimage_alt: A\n---\nFirst"),
            "content/stories/images/a.jpg": b"not a jpeg",
        },
    )
    assert "this file is not a JPEG, PNG, WebP, GIF" in only(run_build(root), "bad-image").message


def test_all_problems_of_a_run_are_collected(tmp_path: Path):
    files = {
        "content/stories/a.md": story(values="nope"),
        "content/stories/b.md": story(date="yesterday"),
        "content/stories/c.md": "no front matter",
    }
    result = run_build(write_site(tmp_path / "p", files))
    assert codes(result) == ["bad-date", "no-front-matter", "unknown-value"]


def test_drafts_and_scheduled_stories_are_not_published(tmp_path: Path):
    files = {
        "content/stories/now.md": story(title="Now", date="2026-11-22"),
        "content/stories/later.md": story(title="Later", date="2026-11-23"),
        "content/stories/draft.md": story(title="Draft").replace(
            "---\nFirst", "draft: true\n---\nFirst"
        ),
    }
    root = write_site(tmp_path / "p", files)
    assert [s.slug for s in run_build(root).site.stories] == ["now"]
    with_drafts = run_build(root, include_drafts=True)
    assert sorted(s.slug for s in with_drafts.site.stories) == ["draft", "now"]
    assert (root / "output/stories/draft/index.html").exists()
    later = run_build(root, today=__import__("datetime").date(2026, 11, 23))
    assert "later" in [s.slug for s in later.site.stories]


def test_problems_in_drafts_still_stop_the_build(tmp_path: Path):
    text = story(values="nope").replace("---\nFirst", "draft: true\n---\nFirst")
    assert codes(run_build(write_site(tmp_path / "p", {STORY: text}))) == ["unknown-value"]


def test_single_value_as_text_is_accepted(tmp_path: Path):
    text = story().replace("values: [craft]", "values: craft")
    result = run_build(write_site(tmp_path / "p", {STORY: text}))
    assert result.ok and result.site.stories[0].value_slugs == ("craft",)


def test_summary_comes_from_the_first_paragraph(tmp_path: Path):
    body = "## Heading\n\nThe *first* [paragraph](https://x.example) here.\n\nSecond."
    result = run_build(write_site(tmp_path / "p", {STORY: story(body=body)}))
    assert result.site.stories[0].summary == "The first paragraph here."
