"""The themes' fixed texts per language (strings/<lang>.toml), their problems, and CLDR dates."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import jinja2
import pytest

from conftest import NOW, REPO, SITE_TOML, TODAY, run_build, story, write_site
from generator.content.config import load_config
from generator.engine.build import check_project
from generator.engine.records import BuildOptions
from generator.errors import Severity
from generator.theme.job_pages import JOB_WORDS, words_for
from generator.theme.rendering import format_date, format_number, index_site, page_context
from generator.theme.strings import strings_problems, ui_strings
from generator.theme.template_words import HelperError
from generator.theme.themes import resolve_theme

DEFAULT_STRINGS = REPO / "themes/default/strings"
ACME = 'theme = "acme"\n'


def acme(tmp_path: Path, files: dict[str, str], config: str = SITE_TOML + ACME) -> Path:
    """A project whose theme ``acme`` extends default and has ``files`` (paths inside acme/)."""
    theme = {"themes/acme/theme.toml": 'extends = "default"\n'}
    theme |= {f"themes/acme/{name}": text for name, text in files.items()}
    return write_site(tmp_path / "p", {"content/stories/a.md": story(), **theme}, config)


def german(config: str) -> str:
    """``config`` with the site's language set to German."""
    return config.replace('language = "en"', 'language = "de"')


def page(root: Path, path: str) -> str:
    """A built page's HTML."""
    return (root / "output" / path).read_text(encoding="utf-8")


def test_the_default_theme_has_every_text_in_english_and_german() -> None:
    english = tomllib.loads((DEFAULT_STRINGS / "en.toml").read_text(encoding="utf-8"))
    german_texts = tomllib.loads((DEFAULT_STRINGS / "de.toml").read_text(encoding="utf-8"))
    assert sorted(english) == sorted(german_texts)
    assert all(
        isinstance(text, str) and text for text in [*english.values(), *german_texts.values()]
    )
    assert set(JOB_WORDS.values()) <= set(english)
    assert (english["nav_stories"], german_texts["nav_stories"]) == ("Stories", "Geschichten")


def test_a_child_theme_overrides_one_text_and_keeps_its_parents_others(tmp_path: Path) -> None:
    root = acme(tmp_path, {"strings/en.toml": 'nav_stories = "Meet the team"\n'})
    result = run_build(root)
    assert result.ok, result.diagnostics
    home = page(root, "index.html")
    assert ">Meet the team<" in home and ">Our values<" in home


@pytest.mark.parametrize(
    ("kind", "with_theme", "title"),
    [
        ("stories", True, "Team stories"),
        ("values", True, "Our values"),
        ("stories", False, "Stories"),  # without the theme's texts: brandsite's default theme's
    ],
)
def test_page_titles_come_from_the_themes_texts(
    tmp_path: Path, kind: str, with_theme: bool, title: str
) -> None:
    texts = 'page_stories = "Team stories"\npage_jobs = "Join us"\n'
    root = acme(tmp_path, {"strings/en.toml": texts})
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    checked, result = check_project(options)
    assert checked is not None, result.diagnostics
    strings = checked.theme.strings if with_theme else None
    index = index_site(checked.site, checked.config, strings=strings)
    route = next(r for r in checked.routes if r.kind == kind)
    assert page_context(route, checked.site, index, checked.config)["page"].title == title
    words = ui_strings(index.strings, index.fallback_strings, "en", checked.config.extra)
    assert words_for(checked.config, words)["jobs"] == ("Join us" if with_theme else "Open roles")
    assert words_for(checked.config)["full-time"] == "Full-time"


def test_site_toml_extra_strings_win_over_the_theme(tmp_path: Path) -> None:
    config = SITE_TOML + ACME + '[extra.strings]\nnav_stories = "People"\npage_values = "Ethos"\n'
    root = acme(tmp_path, {"strings/en.toml": 'nav_stories = "Meet the team"\n'}, config)
    assert run_build(root).ok
    assert ">People<" in page(root, "index.html") and "Meet the team" not in page(
        root, "index.html"
    )
    assert "<title>Ethos | Careers at Testco</title>" in page(root, "values/index.html")


def test_a_german_site_gets_german_texts_dates_and_titles(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()}, german(SITE_TOML))
    assert run_build(root).ok
    assert '<html lang="de">' in page(root, "index.html")
    assert ">Geschichten<" in page(root, "index.html")
    assert "10. Januar 2026" in page(root, "stories/a/index.html")
    assert "<title>Unsere Werte | Careers at Testco</title>" in page(root, "values/index.html")


def test_a_regional_language_takes_its_own_file_then_the_primary_ones(tmp_path: Path) -> None:
    config = SITE_TOML.replace('language = "en"', 'language = "de-AT"') + ACME
    root = acme(tmp_path, {"strings/de-AT.toml": 'nav_stories = "Gschichtn"\n'}, config)
    assert run_build(root).ok
    home = page(root, "index.html")
    assert ">Gschichtn<" in home and ">Unsere Werte<" in home
    assert "10. Jänner 2026" in page(root, "stories/a/index.html")  # CLDR's de-AT


@pytest.mark.parametrize(
    ("files", "config", "expected"),
    [
        pytest.param(
            {"strings/en.toml": 'hero_badge = "New"\n', "strings/de.toml": 'nav_home = "Start"\n'},
            german(SITE_TOML + ACME),
            (
                "missing-string",
                "themes/acme/strings/de.toml",
                1,
                "the text `hero_badge` has no version in the language `de` in the theme `acme`",
                'add it to themes/acme/strings/de.toml: hero_badge = "…" (in English: "New")',
            ),
            id="file-exists",
        ),
        pytest.param(
            {"strings/en.toml": 'hero_badge = "New"\n'},
            german(SITE_TOML + ACME),
            (
                "missing-string",
                "themes/acme/strings/de.toml",
                0,
                "the text `hero_badge` has no version in the language `de` in the theme `acme`",
                'create themes/acme/strings/de.toml: hero_badge = "…" (in English: "New")',
            ),
            id="no-file",
        ),
        pytest.param(
            {},
            SITE_TOML.replace('language = "en"', 'language = "fr"') + ACME,
            (
                "missing-strings",
                "themes/acme/strings/fr.toml",
                0,
                "the theme `acme` has no texts in the language `fr`: 127 texts are missing "
                "(`all_jobs`, `all_stories`, `apply`, `careers`, `facet_apprenticeship` and 122 more)",
                "create themes/acme/strings/fr.toml, with every key of the English file translated",
            ),
            id="no-language",
        ),
    ],
)
def test_a_text_missing_in_the_sites_language_names_key_language_theme_and_file(
    tmp_path: Path, files: dict[str, str], config: str, expected: tuple[str, str, int, str, str]
) -> None:
    result = run_build(acme(tmp_path, files, config))
    assert not result.ok
    assert [(d.code, d.source, d.line, d.message, d.hint) for d in result.diagnostics] == [expected]


def test_extra_strings_count_as_present_in_every_language(tmp_path: Path) -> None:
    config = german(SITE_TOML + ACME) + '[extra.strings]\nhero_badge = "Neu"\n'
    assert run_build(acme(tmp_path, {"strings/en.toml": 'hero_badge = "New"\n'}, config)).ok


def test_a_missing_language_of_an_installed_theme_points_at_a_theme_of_ones_own(
    tmp_path: Path,
) -> None:
    config = SITE_TOML.replace('language = "en"', 'language = "fr"')
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()}, config, theme=False)
    [problem] = run_build(root).diagnostics
    assert (problem.code, problem.source, problem.line) == (
        "missing-strings",
        "themes/default/strings/fr.toml",
        0,
    )
    assert problem.hint.startswith(
        "the theme `default` comes with brandsite: make a theme of your own that extends it "
        "(brandsite new theme NAME) and add themes/NAME/strings/fr.toml to it"
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "de.toml",
            'nav_home = "Start"\nnav_stories = Geschichten\n',
            (
                "bad-toml",
                "themes/acme/strings/de.toml",
                2,
                'write one text per line, in quotes: nav_stories = "Stories"',
            ),
            id="bad-toml",
        ),
        pytest.param(
            "en.toml",
            'nav_home = "Start"\nnav_stories = 3\n',
            (
                "bad-string",
                "themes/acme/strings/en.toml",
                2,
                'a strings file holds only texts in quotes: nav_stories = "…"',
            ),
            id="not-a-text",
        ),
        pytest.param(
            "en.toml",
            '[nav]\nstories = "Stories"\n',
            (
                "bad-string",
                "themes/acme/strings/en.toml",
                1,
                'a strings file holds only texts in quotes: nav = "…"',
            ),
            id="a-table",
        ),
        pytest.param(
            "de_AT.toml",
            'nav_stories = "Gschichtn"\n',
            (
                "unknown-strings-file",
                "themes/acme/strings/de_AT.toml",
                0,
                "name a strings file after the language code, such as de-AT.toml, en.toml or de-AT.toml",
            ),
            id="underscore-name",
        ),
        pytest.param(
            "english.toml",
            'nav_stories = "Stories"\n',
            (
                "unknown-strings-file",
                "themes/acme/strings/english.toml",
                0,
                "name a strings file after the language code, such as de.toml, en.toml or de-AT.toml",
            ),
            id="word-name",
        ),
    ],
)
def test_a_bad_strings_file_is_a_problem_at_its_line(
    tmp_path: Path, name: str, text: str, expected: tuple[str, str, int, str]
) -> None:
    result = run_build(acme(tmp_path, {f"strings/{name}": text}))
    assert not result.ok
    assert [(d.code, d.source, d.line, d.hint) for d in result.diagnostics] == [expected]


def test_a_misspelt_override_is_a_warning_with_a_guess(tmp_path: Path) -> None:
    config = SITE_TOML + ACME + '[extra.strings]\nnav_storys = "x"\n'
    result = run_build(
        acme(tmp_path, {"strings/en.toml": 'nav_home = "Start"\nnav_storys = "Team"\n'}, config)
    )
    assert result.ok
    assert [(d.code, d.severity, d.source, d.line, d.hint) for d in result.diagnostics] == [
        (
            "unknown-string",
            Severity.WARNING,
            "themes/acme/strings/en.toml",
            2,
            "did you mean `nav_stories`?",
        )
    ]


def test_strings_problems_checks_every_language_it_is_given(tmp_path: Path) -> None:
    root = acme(tmp_path, {"strings/de.toml": 'nav_home = "Start"\n'})
    config, _ = load_config(root)
    assert config is not None
    theme, problems = resolve_theme(root, config)
    assert theme is not None and problems == []
    assert strings_problems(theme, ["en", "de", "de-CH"]) == []
    assert [(d.code, d.source) for d in strings_problems(theme, ["de", "nl"])] == [
        ("missing-strings", "themes/acme/strings/nl.toml")
    ]
    assert theme.strings.texts_for("de-CH")["nav_home"] == "Start"


def test_changing_a_strings_file_changes_the_theme_fingerprint(tmp_path: Path) -> None:
    root = acme(tmp_path, {"strings/en.toml": 'nav_home = "Start"\n'})
    config, _ = load_config(root)
    assert config is not None
    before, _ = resolve_theme(root, config)
    (root / "themes/acme/strings/en.toml").write_text('nav_home = "Begin"\n', encoding="utf-8")
    after, _ = resolve_theme(root, config)
    assert before is not None and after is not None
    assert before.fingerprint != after.fingerprint


def test_an_edit_of_a_strings_file_reaches_the_next_build(tmp_path: Path) -> None:
    root = acme(tmp_path, {"strings/en.toml": 'nav_stories = "Meet the team"\n'})
    assert run_build(root).ok
    (root / "themes/acme/strings/en.toml").write_text('nav_stories = "Our people"\n')
    assert run_build(root).ok
    assert ">Our people<" in page(root, "index.html")


def test_a_template_of_a_child_theme_still_imports_the_strings_partial(tmp_path: Path) -> None:
    macro = '{% from "partials/strings.html" import ui with context %}<p>{{ ui.nav_values }}</p>'
    root = acme(
        tmp_path,
        {
            "templates/404.html": '{% extends "base.html" %}{% block content %}'
            + macro
            + "<p>{{ ui.go_home }}</p>{% endblock %}",
            "strings/en.toml": 'go_home = "Back to the start"\n',
        },
    )
    assert run_build(root).ok
    assert "<p>Our values</p><p>Back to the start</p>" in page(root, "404.html")


DAY = dt.date(2026, 3, 14)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "14 March 2026"),
        ("EN", "14 March 2026"),
        ("en-GB", "14 March 2026"),
        ("en-US", "March 14, 2026"),
        ("de", "14. März 2026"),
        ("de-DE", "14. März 2026"),
        ("de-CH", "14. März 2026"),
        ("fr", "14 mars 2026"),
        ("nl-BE", "14 maart 2026"),
        ("de-XY", "14. März 2026"),  # no such region: the primary subtag
        ("xx", "2026-03-14"),  # no such language in CLDR: the ISO date
        ("tlh-Latn", "2026-03-14"),
    ],
)
def test_dates_come_from_cldr(lang: str, expected: str) -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["format_date"] = format_date
    assert env.from_string("{{ day|format_date(lang) }}").render(day=DAY, lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "number", "expected"),
    [
        ("en", 1234567.5, "1,234,567.5"),
        ("de", 1234567.5, "1.234.567,5"),
        ("de", 12, "12"),
        ("fr", 1234.5, "1\u202f234,5"),
        ("xx", 1234567.5, "1,234,567.5"),  # CLDR's root format
    ],
)
def test_numbers_come_from_cldr(lang: str, number: float, expected: str) -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["format_number"] = format_number
    assert env.from_string("{{ n|format_number(lang) }}").render(n=number, lang=lang) == expected


def test_the_date_and_number_filters_default_to_the_pages_language(tmp_path: Path) -> None:
    root = acme(
        tmp_path,
        {"templates/404.html": "{{ site.language }} {{ 1234.5|format_number }}"},
        german(SITE_TOML + ACME),
    )
    assert run_build(root).ok
    assert page(root, "404.html") == "de 1.234,5"


def test_format_number_needs_a_number() -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["format_number"] = format_number
    with pytest.raises(HelperError, match=r"\|format_number needs a number, not a text"):
        env.from_string("{{ '12'|format_number('en') }}").render()


def test_a_theme_that_extends_nothing_still_has_brandsites_texts(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()}, german(SITE_TOML))
    (root / "themes/default").rename(root / "themes/plain")
    shutil.rmtree(root / "themes/plain/strings")
    (root / "themes/plain/theme.toml").write_text('name = "Plain"\n')
    with (root / "site.toml").open("a") as settings:
        settings.write('theme = "plain"\n')
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert ">Geschichten<" in page(root, "index.html")


BILINGUAL = """\
title = "Karriere bei Testco"
company = "Testco"
base_url = "https://careers.test.example/"
languages = ["de", "en"]
theme = "acme"
"""
BILINGUAL_FILES = {
    "content/values/craft.en.md": "---\nlang: en\ntranslation_of: craft\ntitle: Craft EN\n---\nx\n",
    "content/values/care.en.md": "---\nlang: en\ntranslation_of: care\ntitle: Care EN\n---\nx\n",
}


def test_each_edition_shows_the_texts_of_its_language(tmp_path: Path) -> None:
    files = {"strings/en.toml": 'nav_stories = "Meet the team"\n'}
    root = acme(tmp_path, files, BILINGUAL)
    for name, text in BILINGUAL_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert ">Geschichten<" in page(root, "index.html")
    assert ">Meet the team<" in page(root, "en/index.html")
    assert "<title>Our values | Karriere bei Testco</title>" in page(root, "en/values/index.html")


def test_a_text_missing_in_any_published_language_is_a_problem(tmp_path: Path) -> None:
    root = acme(tmp_path, {"strings/en.toml": 'hero_badge = "New"\n'}, BILINGUAL)
    for name, text in BILINGUAL_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    assert [(d.code, d.source, d.message) for d in run_build(root).diagnostics] == [
        (
            "missing-string",
            "themes/acme/strings/de.toml",
            "the text `hero_badge` has no version in the language `de` in the theme `acme`",
        )
    ]


def test_an_editions_own_strings_count_for_its_language_and_keep_the_sites(
    tmp_path: Path,
) -> None:
    config = BILINGUAL + (
        '[extra.strings]\nnav_stories = "Leute"\n\n'
        '[edition.de.extra.strings]\nhero_badge = "Neu"\n\n'
        '[edition.en.extra.strings]\npage_values = "Ethos"\n'
    )
    files = {"strings/en.toml": 'hero_badge = "New"\n'}
    root = acme(tmp_path, files, config)
    for name, text in BILINGUAL_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    result = run_build(root)
    assert result.ok, result.diagnostics  # German has hero_badge from its edition's strings
    assert ">Leute<" in page(root, "index.html")
    # The English edition's one text joins the site's texts instead of replacing them.
    assert ">Leute<" in page(root, "en/index.html")
    assert "<title>Ethos | Karriere bei Testco</title>" in page(root, "en/values/index.html")
