"""site.toml: unknown keys, wrong types and bad values are errors naming the key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SITE_TOML, run_build, write_site

CASES = [
    ('titel = "x"\n', "unknown-setting", "unknown setting `titel`", "did you mean `title`?"),
    (
        'stories_per_page = "9"\n',
        "bad-setting-type",
        "`stories_per_page` must be a whole number",
        "quotes",
    ),
    (
        "[feed]\nlimt = 5\n",
        "unknown-setting",
        "unknown setting `feed.limt`",
        "did you mean `limit`?",
    ),
    (
        '[brand]\nprimary_colour = "#000"\n',
        "unknown-setting",
        "`brand.primary_colour`",
        "did you mean `primary_color`?",
    ),
    ('timezone = "Mars/Base"\n', "bad-timezone", "unknown time zone", "Europe/Berlin"),
    ('language = "english!"\n', "bad-language", "not a language tag", '"de"'),
    ("stories_per_page = 0\n", "bad-setting-value", "1 or more", "stories_per_page = 9"),
]


@pytest.mark.parametrize(("extra", "code", "message", "hint"), CASES)
def test_setting_problems(tmp_path: Path, extra: str, code: str, message: str, hint: str) -> None:
    key = extra.split("=")[0].strip()
    kept = [line for line in SITE_TOML.splitlines(keepends=True) if not line.startswith(key + " ")]
    config = "".join(kept) + extra
    result = run_build(write_site(tmp_path / "p", {}, config))
    problem = next(d for d in result.diagnostics if d.code == code)
    assert problem.source == "site.toml"
    assert message in problem.message
    assert hint in problem.hint
    expected_line = len(config.splitlines())
    assert problem.line == expected_line
    assert result.config_error


def test_missing_required_setting_and_bad_base_url(tmp_path: Path) -> None:
    config = 'title = "x"\nbase_url = "careers.example.com"\n'
    result = run_build(write_site(tmp_path / "p", {}, config))
    assert sorted(d.code for d in result.diagnostics) == ["missing-setting"]
    config = 'title = "x"\ncompany = "c"\nbase_url = "careers.example.com"\n'
    result = run_build(write_site(tmp_path / "p2", {}, config))
    problem = result.diagnostics[0]
    assert (problem.code, problem.line) == ("bad-base-url", 3)


def test_invalid_toml(tmp_path: Path) -> None:
    result = run_build(write_site(tmp_path / "p", {}, 'title = "x\ncompany = "c"\n'))
    assert result.diagnostics[0].code == "bad-toml"
    assert result.diagnostics[0].line == 1


def test_unknown_theme_suggests_one(tmp_path: Path) -> None:
    result = run_build(write_site(tmp_path / "p", {}, SITE_TOML + 'theme = "defualt"\n'))
    problem = result.diagnostics[0]
    assert problem.code == "unknown-theme"
    assert problem.hint.startswith("did you mean `default`?")
    assert problem.line == len(SITE_TOML.splitlines()) + 1
