"""Stale translations and the editorial commands per language, on real two-language sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import NOW, TODAY, run_build
from generator.cli import main
from generator.content.entries import parse_story
from generator.content.loading import SourceFile
from generator.content.staleness import original_digest
from generator.content.translation_digest import text_digest
from generator.editorial.marking import mark_text
from generator.engine.build import check_project
from generator.engine.incremental import BuildState
from generator.engine.records import BuildOptions

TWO_LANGUAGES = """\
title = "Karriere bei Testco"
company = "Testco"
description = "Testco macht Tests."
base_url = "https://careers.test.example/"
languages = ["de", "en"]
timezone = "Europe/Berlin"
"""

VALUE_EN = """\
---
title: {title}
lang: en
translation_of: {slug}
---
We practise {title}.
"""

ORIGINAL = """\
---
title: Annas Nachtschicht
author: Anna
role: Technikerin
date: 2026-01-10
values: [craft]
summary: Eine Nacht im Werk.
---
Erster Absatz.

Zweiter Absatz.
"""

TRANSLATION = """\
---
title: Anna's night shift
author: Anna
date: 2026-01-10
lang: en
# the German original
translation_of: anna
values: [craft]
---
First paragraph.
"""

SCHEDULED = """\
---
title: Berts Tag
author: Bert
date: 2026-12-10
values: [care]
---
Text.
"""

ANNA, ANNA_EN, BERT = (
    "content/stories/anna.md",
    "content/stories/anna.en.md",
    "content/stories/bert.md",
)
TODAY_ARGS = ["--now", TODAY.isoformat()]


@pytest.fixture
def bilingual(site):
    """Factory: a de/en site (values in both) with the given story files."""

    def make(files: dict[str, str | bytes]) -> Path:
        values = {
            "content/values/craft.en.md": VALUE_EN.format(title="Workmanship", slug="craft"),
            "content/values/care.en.md": VALUE_EN.format(title="Care", slug="care"),
        }
        return site({**values, **files}, TWO_LANGUAGES)

    return make


def entry_of(source: str, text: str):
    """The parsed story entry of ``text``."""
    parsed, _ = parse_story(SourceFile(source, text))
    assert parsed is not None
    return parsed


def problems(root: Path, state: BuildState | None = None) -> list[tuple[str, int, str, str]]:
    """(source, line, code, severity) of every translation warning a check of ``root`` gives."""
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    _, result = check_project(options, state)
    return [
        (d.source, d.line, d.code, d.severity.value)
        for d in result.diagnostics
        if d.code in {"stale-translation", "unmarked-translation"}
    ]


def mark(root: Path, *files: str) -> int:
    """``brandsite translations mark FILE…`` in ``root``."""
    return main(["translations", "mark", *files, "--root", str(root)])


# The digest ---------------------------------------------------------------------------------


def test_the_digest_is_twelve_hex_digits_of_title_summary_and_body() -> None:
    digest = original_digest(entry_of(ANNA, ORIGINAL))
    assert len(digest) == 12 and int(digest, 16) >= 0
    assert digest == text_digest(
        "Annas Nachtschicht", "Eine Nacht im Werk.", "Erster Absatz.\n\nZweiter Absatz.\n"
    )


@pytest.mark.parametrize(
    ("change", "same"),
    [
        (lambda t: t.replace("\n", "\r\n"), True),
        (lambda t: t.replace("Erster Absatz.", "Erster Absatz.   "), True),
        (lambda t: t + "\n\n", True),
        (lambda t: t.replace("date: 2026-01-10", "date: 2026-02-01"), True),
        (lambda t: t.replace("role: Technikerin", "role: Meisterin"), True),
        (lambda t: t.replace("Zweiter", "Dritter"), False),
        (lambda t: t.replace("Annas Nachtschicht", "Annas Schicht"), False),
        (lambda t: t.replace("Eine Nacht", "Zwei Nächte"), False),
    ],
    ids=[
        "crlf",
        "trailing-spaces",
        "blank-lines-at-end",
        "date",
        "role",
        "body",
        "title",
        "summary",
    ],
)
def test_the_digest_changes_with_the_text_only(change, same: bool) -> None:
    before = original_digest(entry_of(ANNA, ORIGINAL))
    after = original_digest(entry_of(ANNA, change(ORIGINAL)))
    assert (before == after) is same


def test_an_entry_read_back_from_the_cache_keeps_its_digest() -> None:
    from dataclasses import replace

    entry = entry_of(ANNA, ORIGINAL)
    assert original_digest(replace(entry, body_markdown=None)) == original_digest(entry)


# mark ---------------------------------------------------------------------------------------


def test_mark_inserts_the_digest_after_translation_of_and_keeps_every_other_byte(bilingual) -> None:
    crlf = TRANSLATION.replace("\n", "\r\n").encode()
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: crlf})
    assert mark(root, ANNA_EN) == 0
    digest = original_digest(entry_of(ANNA, ORIGINAL))
    expected = crlf.replace(
        b"translation_of: anna\r\n",
        b"translation_of: anna\r\ntranslated_from: " + digest.encode() + b"\r\n",
    )
    assert (root / ANNA_EN).read_bytes() == expected


def test_mark_replaces_the_value_in_place(bilingual, capsys) -> None:
    marked = TRANSLATION.replace(
        "translation_of: anna\n", "translation_of: anna\ntranslated_from: 0123456789ab\n"
    )
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: marked})
    assert mark(root, ANNA_EN) == 0
    digest = original_digest(entry_of(ANNA, ORIGINAL))
    assert (root / ANNA_EN).read_text() == marked.replace("0123456789ab", digest)
    out = capsys.readouterr().out
    assert out == f"Marked {ANNA_EN}: translated from {ANNA} as it is now ({digest}).\n"
    assert mark(root, ANNA_EN) == 0
    assert (
        capsys.readouterr().out
        == f"{ANNA_EN} is already marked as made from {ANNA} as it is now.\n"
    )


def test_mark_text_only_touches_the_front_matter() -> None:
    text = "---\ntitle: X\ntranslation_of: a\n---\ntranslated_from: not a field here\n"
    assert mark_text(text, "abcdefabcdef", 3) == (
        "---\ntitle: X\ntranslation_of: a\ntranslated_from: abcdefabcdef\n---\n"
        "translated_from: not a field here\n"
    )


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (
            ANNA,
            f"{ANNA}:1: error: the story is not a translation: it has no `translation_of` [not-a-translation]",
        ),
        (
            "content/stories/nobody.md",
            "content/stories/nobody.md: error: there is no such file [not-a-story]",
        ),
        (
            "content/values/craft.md",
            "content/values/craft.md: error: the file is not a story: stories are the .md files in "
            "content/stories/ [not-a-story]",
        ),
        (
            "content/stories/lost.en.md",
            "content/stories/lost.en.md:6: error: `translation_of: nobody` names no story: there "
            "is no content/stories/nobody.md [unknown-original]",
        ),
    ],
    ids=["original", "missing-file", "value", "original-missing"],
)
def test_mark_refuses_what_it_cannot_mark_and_writes_nothing(
    bilingual, capsys, file: str, expected: str
) -> None:
    lost = TRANSLATION.replace("translation_of: anna", "translation_of: nobody").replace(
        "# the German original\n", ""
    )
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION, "content/stories/lost.en.md": lost})
    before = {p: p.read_bytes() for p in (root / "content").rglob("*.md")}
    assert mark(root, ANNA_EN, file) == 1
    err = capsys.readouterr().err
    assert f"1. {expected}" in err and "hint: " in err
    assert err.rstrip().endswith("Nothing was written.")
    assert {p: p.read_bytes() for p in (root / "content").rglob("*.md")} == before


# check --------------------------------------------------------------------------------------


def test_check_warns_until_marked_then_when_the_original_changes(bilingual) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION})
    assert problems(root) == [(ANNA_EN, 7, "unmarked-translation", "warning")]
    assert mark(root, ANNA_EN) == 0
    assert problems(root) == []
    (root / ANNA).write_text(ORIGINAL.replace("Zweiter Absatz.", "Zweiter, längerer Absatz."))
    assert problems(root) == [(ANNA_EN, 8, "stale-translation", "warning")]
    assert mark(root, ANNA_EN) == 0
    assert problems(root) == []


def test_the_stale_warning_names_the_command(bilingual) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION})
    mark(root, ANNA_EN)
    (root / ANNA).write_text(ORIGINAL.replace("Annas", "Anna's"))
    result = run_build(root)
    [warning] = [d for d in result.diagnostics if d.code == "stale-translation"]
    assert warning.message.startswith(f"{ANNA} has changed since this translation was made from it")
    assert warning.hint == (
        f"bring the translation up to date with {ANNA}, then run `brandsite translations mark {ANNA_EN}`"
    )
    assert result.ok  # a warning: the site still builds


def test_a_crlf_re_save_of_the_original_is_no_change(bilingual) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION})
    mark(root, ANNA_EN)
    (root / ANNA).write_bytes(ORIGINAL.replace("\n", "   \r\n").encode())
    assert problems(root) == []


def test_a_build_from_the_cache_judges_the_same(bilingual) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION})
    mark(root, ANNA_EN)
    (root / ANNA).write_text(ORIGINAL.replace("Erster", "Der erste"))
    state = BuildState.load(root)
    run_build(root, state=state)
    state.save(root)  # the cache keeps entries without their bodies
    assert problems(root, BuildState.load(root)) == [(ANNA_EN, 8, "stale-translation", "warning")]


def test_drafts_are_judged_too_and_one_language_sites_not_at_all(bilingual, site) -> None:
    draft = TRANSLATION.replace("lang: en", "lang: en\ndraft: true")
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: draft})
    assert problems(root) == [(ANNA_EN, 8, "unmarked-translation", "warning")]
    one = site({ANNA: ORIGINAL, ANNA_EN: TRANSLATION})  # `translation_of` is an error there
    assert problems(one) == []


# translations status and report -------------------------------------------------------------


def test_status_lists_missing_stale_and_orphaned_per_language(bilingual, capsys) -> None:
    lost = TRANSLATION.replace("translation_of: anna", "translation_of: nobody")
    root = bilingual(
        {ANNA: ORIGINAL, ANNA_EN: TRANSLATION, BERT: SCHEDULED, "content/stories/lost.en.md": lost}
    )
    assert main(["translations", "--root", str(root), *TODAY_ARGS]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Translations (de, en):",
        "",
        "de (default language): 1 published, 1 scheduled, 0 drafts; 2 written in it, 0 up-to-date translations",
        "  nothing missing, nothing stale",
        "",
        "en: 2 published, 0 scheduled, 0 drafts; 0 written in it, 0 up-to-date translations",
        "  missing (1): no version in 'en' yet",
        f"    {BERT}  “Berts Tag” (scheduled)",
        "  stale (1): made from an older text of the original",
        f"    {ANNA_EN}:7  never marked; translates {ANNA}",
        "  orphaned (1): `translation_of` links to no original",
        "    content/stories/lost.en.md:7  `translation_of: nobody` names no story: there is no "
        "content/stories/nobody.md",
        "",
        "Next: bring a stale translation up to date with its original, then run `brandsite "
        "translations mark FILE`; `brandsite new story --lang LANG --translation-of FILE` starts a missing one.",
    ]
    assert main(["translations", "status", "--strict", "--root", str(root), *TODAY_ARGS]) == 1


def test_report_lists_translations_per_language(bilingual, tmp_path: Path, capsys) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION, BERT: SCHEDULED})
    mark(root, ANNA_EN)
    (root / ANNA).write_text(ORIGINAL.replace("Erster", "Der erste"))
    capsys.readouterr()
    args = ["report", "--root", str(root), "--out", str(tmp_path / "r"), *TODAY_ARGS]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # A story and its translation count once for the values.
    assert data["published"] == 1 and data["scheduled"] == 1
    de, en = data["languages"]
    assert (de["lang"], de["published"], de["scheduled"], de["missing"], de["stale"]) == (
        "de",
        1,
        1,
        [],
        [],
    )
    assert (en["lang"], en["published"], en["up_to_date"]) == ("en", 1, 0)
    assert en["missing"] == [{"original": BERT, "title": "Berts Tag", "status": "scheduled"}]
    [stale] = en["stale"]
    assert (stale["source"], stale["line"], stale["original"]) == (ANNA_EN, 8, ANNA)
    assert stale["original_now"] != stale["translated_from"]
    page = (tmp_path / "r/index.html").read_text()
    assert '<h2 id="languages">Languages and translations</h2>' in page
    assert f"<code>{ANNA_EN}:8</code> translates <code>{ANNA}</code>" in page
    assert main(args) == 0
    assert f"    {ANNA_EN}:8  translates {ANNA} as it was at " in capsys.readouterr().out


def test_one_language_sites_have_nothing_to_translate(site, tmp_path: Path, capsys) -> None:
    root = site({ANNA: ORIGINAL})
    assert main(["translations", "--root", str(root)]) == 0
    assert "publishes one language (en): there is nothing to translate" in capsys.readouterr().out
    assert (
        main(["report", "--root", str(root), "--out", str(tmp_path / "r"), "--format", "json"]) == 0
    )
    assert "languages" not in json.loads(capsys.readouterr().out)


# calendar -----------------------------------------------------------------------------------


def test_calendar_urls_carry_the_language_and_uids_stay_apart(bilingual, tmp_path: Path) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION, BERT: SCHEDULED})
    ics = tmp_path / "plan.ics"
    assert main(["calendar", "--root", str(root), "--ics", str(ics), *TODAY_ARGS]) == 0
    text = ics.read_bytes().decode().replace("\r\n ", "")
    assert "URL:https://careers.test.example/en/stories/anna/\r\n" in text
    assert "URL:https://careers.test.example/stories/anna/\r\n" in text
    assert "UID:story-anna@careers.test.example" in text
    assert "UID:story-anna.en@careers.test.example" in text
    # Each story's values in its own language.
    german, english = (
        text.split(f"UID:story-anna{x}@")[1].split("END:VEVENT")[0] for x in ("", ".en")
    )
    assert "CATEGORIES:Craft\r\n" in german and "CATEGORIES:Workmanship\r\n" in english


def test_the_buffer_is_judged_per_language(bilingual, capsys) -> None:
    root = bilingual({ANNA: ORIGINAL, ANNA_EN: TRANSLATION, BERT: SCHEDULED})
    assert main(["calendar", "--root", str(root), "--format", "json", *TODAY_ARGS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["languages"] == [
        {"lang": "de", "scheduled": 1, "buffer_until": "2026-12-10", "buffer_covered_days": 18},
        {"lang": "en", "scheduled": 0, "buffer_until": None, "buffer_covered_days": 0},
    ]
    short = [w for w in data["warnings"] if w["code"] == "short-buffer"]
    assert short == [
        {
            "code": "short-buffer",
            "message": "in 'en': no stories are scheduled; the buffer is 14 days",
            "hint": "schedule a story in 'en' for 2026-12-06 or later",
        }
    ]
    assert main(["calendar", "--root", str(root), *TODAY_ARGS]) == 0
    out = capsys.readouterr().out
    assert (
        "Scheduled in de: 1 story until Thu 10 Dec 2026, 18 days ahead (buffer: 14 days, ok)" in out
    )
    assert "Scheduled in en: none (buffer: 14 days)" in out
    assert "Thu 10 Dec 2026  scheduled  de   Berts Tag (Bert) [care]" in out


# new story --translation-of -----------------------------------------------------------------


def test_new_translation_copies_the_original_and_keeps_the_guide(bilingual, capsys) -> None:
    root = bilingual({ANNA: ORIGINAL.replace("role:", "# what she does\nrole:")})
    assert (
        main(["new", "story", "--translation-of", "anna", "--lang", "en", "--root", str(root)]) == 0
    )
    assert capsys.readouterr().out.startswith(
        f"Wrote {ANNA_EN}: a draft translation of {ANNA} into 'en'."
    )
    text = (root / ANNA_EN).read_text()
    digest = original_digest(entry_of(ANNA, (root / ANNA).read_text()))
    head, body = text.split("\n---\n", 1)
    assert head.splitlines()[1:] == [
        "# Translate the title (and the summary) into en: they are the original's.",
        'title: "Annas Nachtschicht"',
        "author: Anna",
        "# what she does",
        "role: Technikerin",
        "date: 2026-01-10",
        "values: [craft]",
        "# One or two sentences for listings, feeds and link previews (empty: the first paragraph).",
        'summary: "Eine Nacht im Werk."',
        "lang: en",
        f"# The original, and the version of it this translates ({ANNA}); after",
        "# bringing the translation up to date with a changed original, run",
        f"# `brandsite translations mark {ANNA_EN}`.",
        "translation_of: anna",
        f"translated_from: {digest}",
        "# Set to false when the translation is done and its author has said yes to it.",
        "draft: true",
    ]
    assert body.startswith("\n<!-- brandsite: writing guide")
    assert body.endswith(
        "<!-- brandsite: end of the writing guide -->\n\nErster Absatz.\n\nZweiter Absatz.\n"
    )
    # A draft with its guide builds; published with the guide it would not.
    assert problems(root) == []
    (root / ANNA_EN).write_text(text.replace("draft: true", "draft: false"))
    assert "guide-text" in {d.code for d in run_build(root).diagnostics}


def test_new_translation_takes_the_other_language_and_a_slug(bilingual, capsys) -> None:
    root = bilingual({ANNA: ORIGINAL})
    args = [
        "new",
        "story",
        "Anna's night shift",
        "--translation-of",
        ANNA,
        "--slug",
        "annas-night-shift",
    ]
    assert main([*args, "--root", str(root)]) == 0
    text = (root / "content/stories/annas-night-shift.en.md").read_text()
    assert 'title: "Anna\'s night shift"\n' in text and "lang: en\n" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["anna", "--lang", "fr"],
            "--lang fr: not one of the site's languages (de, en); use one of them, or add 'fr' "
            "to `languages` in site.toml",
        ),
        (
            ["anna", "--lang", "de"],
            f"{ANNA} is written in 'de' already; pass --lang with the language to translate "
            "into: en",
        ),
        (
            ["anja"],
            "--translation-of: there is no story content/stories/anja.md; did you mean `anna`?",
        ),
        (
            [ANNA_EN],
            f"{ANNA_EN} is itself a translation (`translation_of: anna`); translate its "
            "original: --translation-of anna",
        ),
        (
            ["anna", "--lang", "en"],
            f"{ANNA_EN} is already the translation of {ANNA} into 'en'; edit that file instead",
        ),
        (
            ["anna", "--author", "Ada"],
            "--author: a translation takes these from its original; leave them out (and change "
            "the file afterwards where the translation differs)",
        ),
        (
            ["bert", "--slug", "Anna!"],
            "'Anna!' cannot be a file name and URL segment; pass --slug with lowercase letters, "
            "digits and hyphens (not `page`)",
        ),
        (
            ["bert", "--slug", "anna"],
            f"the slug `anna` is already used in 'en' by {ANNA_EN}; pass another --slug",
        ),
    ],
    ids=[
        "unknown-language",
        "same-language",
        "no-original",
        "of-a-translation",
        "exists",
        "copied-option",
        "bad-slug",
        "slug-taken",
    ],
)
def test_new_translation_refuses_bad_input(
    bilingual, capsys, args: list[str], message: str
) -> None:
    root = bilingual({ANNA: ORIGINAL, BERT: SCHEDULED, ANNA_EN: TRANSLATION})
    files = sorted((root / "content/stories").iterdir())
    assert main(["new", "story", "--translation-of", *args, "--root", str(root)]) == 2
    assert capsys.readouterr().err == f"brandsite new: {message}\n"
    assert sorted((root / "content/stories").iterdir()) == files


def test_new_translation_on_a_one_language_site(site, capsys) -> None:
    root = site({ANNA: ORIGINAL})
    assert (
        main(["new", "story", "--translation-of", "anna", "--lang", "en", "--root", str(root)]) == 2
    )
    assert (
        "the site publishes one language (en), so there is nothing to translate into"
        in capsys.readouterr().err
    )


def test_new_story_in_another_language_says_so(bilingual, capsys) -> None:
    root = bilingual({})
    args = [
        "new",
        "story",
        "Cara",
        "--author",
        "Cara",
        "--values",
        "craft",
        "--lang",
        "en",
        "--no-input",
    ]
    assert main([*args, "--root", str(root), *TODAY_ARGS]) == 0
    assert "\nlang: en\nvalues:\n" in (root / "content/stories/cara.md").read_text()


def test_mark_text_replaces_a_value_and_whatever_follows_it_on_its_line() -> None:
    text = "---\r\ntranslation_of: a\r\nTranslated_From :  old # note\r\n---\r\nBody\r\n"
    assert mark_text(text, "abcdefabcdef", 2) == (
        "---\r\ntranslation_of: a\r\nTranslated_From :  abcdefabcdef\r\n---\r\nBody\r\n"
    )
