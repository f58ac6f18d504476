"""``[jobs]`` in site.toml: typed, checked, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SITE_TOML
from generator.content.config import JobsConfig, load_config


def load(tmp_path: Path, jobs: str) -> tuple[object, list[tuple[int, str, str]]]:
    (tmp_path / "site.toml").write_text(SITE_TOML + "\n" + jobs, encoding="utf-8")
    config, problems = load_config(tmp_path)
    return config, [(p.line, p.code, p.message) for p in problems]


def test_the_jobs_settings_are_read(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        '[jobs]\nboard_url = "https://w.jobs.personio.de"\nlang = "de"\n'
        '[jobs.teams]\n"Engineering" = "Grid Software"\n'
        '[jobs.employment_types]\n"Saisonkraft" = "temporary, part-time"\nMinijob = ""\n'
        '[jobs.countries]\nHamburg = "DE"\n',
    )
    assert problems == []
    assert config.jobs == JobsConfig(  # type: ignore[attr-defined]
        teams={"Engineering": "Grid Software"},
        employment_types={"Saisonkraft": "temporary, part-time", "Minijob": ""},
        countries={"Hamburg": "DE"},
        board_url="https://w.jobs.personio.de",
        lang="de",
    )


def test_no_jobs_table_is_the_defaults(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "")
    assert problems == [] and config.jobs == JobsConfig()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("jobs", "line", "code", "message"),
    [
        (
            '[jobs.employment_types]\nVollzeit = "full time"\n',
            9,
            "bad-setting-value",
            "jobs.employment_types: 'Vollzeit' maps to 'full time', which is not a kind of "
            "employment brandsite knows",
        ),
        (
            '[jobs.countries]\nHamburg = "Germany"\n',
            9,
            "bad-setting-value",
            "jobs.countries: 'Hamburg' = 'Germany' is not a two-letter country code",
        ),
        (
            '[jobs]\nboard_url = "http://w.jobs.personio.de"\n',
            10,
            "bad-setting-value",
            "jobs.board_url 'http://w.jobs.personio.de' is not the address of a job site",
        ),
        (
            '[jobs]\nlang = "deutsch!"\n',
            10,
            "bad-setting-value",
            "jobs.lang 'deutsch!' is not a language tag",
        ),
        ("[jobs]\nteamz = {}\n", 10, "unknown-setting", "unknown setting `jobs.teamz`"),
        (
            "[jobs.teams]\nEngineering = 3\n",
            9,
            "bad-setting-type",
            "setting `jobs.teams` must be a table of text values, not a table",
        ),
    ],
)
def test_each_bad_jobs_setting_is_a_problem_at_its_line(
    tmp_path: Path, jobs: str, line: int, code: str, message: str
) -> None:
    config, problems = load(tmp_path, jobs)
    assert config is None
    assert problems == [(line, code, message)]
