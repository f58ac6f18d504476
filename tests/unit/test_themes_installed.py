"""Themes installed with brandsite: found after the project's own, brand-neutral, named in errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, TODAY, codes, run_build, story, write_site
from generator.cli import main
from generator.theme.themes import INSTALLED_THEMES, available_themes, installed_themes_dir


def bare_project(tmp_path: Path, config: str = SITE_TOML) -> Path:
    """site.toml and content/, no themes/ folder: what a company's content repository holds."""
    return write_site(tmp_path / "p", {"content/stories/a.md": story()}, config, theme=False)


def own_theme(root: Path, name: str, files: dict[str, str]) -> None:
    folder = root / "themes" / name
    for file, text in files.items():
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        (folder / file).write_text(text)


# (site.toml's theme line, the project's own theme files, text the home page must have)
LOOKUP = [
    ("", {}, '<span class="brand__name">Testco</span>'),
    ('theme = "default"\n', {}, '<span class="brand__name">Testco</span>'),
    ('theme = "example-brand"\n', {}, "equal opportunity employer"),
    (
        'theme = "acme"\n',
        {
            "acme/theme.toml": 'extends = "default"\n',
            "acme/templates/base.html": '{% extends "default/base.html" %}'
            "{% block footer %}<p>acme footer</p>{% endblock %}",
        },
        "<p>acme footer</p>",
    ),
    (
        'theme = "acme"\n',
        {"acme/theme.toml": 'extends = "example-brand"\n'},
        "equal opportunity employer",
    ),
    (  # a project's own default (a whole copy) wins over the installed one
        'theme = "default"\n',
        {"default/templates/home.html": "<p>my own default</p>\n"},
        "<p>my own default</p>",
    ),
]
COPIED = "default/"
"""Theme files under this prefix go into a copy of the installed default theme."""


@pytest.mark.parametrize(("line", "files", "present"), LOOKUP)
def test_the_projects_themes_come_first_then_the_installed_ones(
    tmp_path: Path, line: str, files: dict[str, str], present: str
) -> None:
    root = bare_project(tmp_path, SITE_TOML + line)
    if any(path.startswith(COPIED) for path in files):
        shutil.copytree(installed_themes_dir() / "default", root / "themes/default")
    for path, text in files.items():
        name, _, file = path.partition("/")
        own_theme(root, name, {file: text})
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert present in (root / "output/index.html").read_text()


def test_installed_themes_are_the_repositorys_default_and_example_brand() -> None:
    assert INSTALLED_THEMES == ("default", "example-brand")
    home = installed_themes_dir()
    for name in INSTALLED_THEMES:
        assert (home / name / "theme.toml").is_file()
    assert available_themes(Path("/nonexistent")) == ["default", "example-brand"]


def test_an_unknown_theme_lists_the_projects_and_the_installed_ones(tmp_path: Path) -> None:
    root = bare_project(tmp_path, SITE_TOML + 'theme = "wavelite"\n')
    own_theme(root, "wavelight", {"theme.toml": 'extends = "default"\n'})
    problems = run_build(root).diagnostics
    assert [(d.code, d.source, d.line, d.message, d.hint) for d in problems] == [
        (
            "unknown-theme",
            "site.toml",
            8,
            "there is no theme `wavelite` in themes/ or among brandsite's own themes",
            "did you mean `wavelight`? available themes: default, example-brand, wavelight",
        )
    ]


def test_the_sample_sites_own_theme_is_not_installed(tmp_path: Path) -> None:
    root = bare_project(tmp_path, SITE_TOML + 'theme = "wavelight"\n')
    assert codes(run_build(root)) == ["unknown-theme"]


def test_the_installed_default_theme_is_brand_neutral(tmp_path: Path) -> None:
    """No sample company in it: a site without a logo shows its own name, no one else's picture."""
    default = installed_themes_dir() / "default"
    for path in sorted(default.rglob("*")):
        if path.is_file():
            assert b"wavelight" not in path.read_bytes().lower(), path
    assert sorted(p.name for p in (default / "static").iterdir()) == [
        "embed.js",
        "share-mastodon.js",
        "style.css",
    ]
    root = bare_project(tmp_path)
    assert run_build(root).ok
    home = (root / "output/index.html").read_text()
    assert "brand__logo" not in home and 'rel="icon"' not in home and "og:image" not in home
    assets = sorted(
        re.sub(r"\.[0-9a-f]{8}\.", ".", p.name) for p in (root / "output/assets").iterdir()
    )
    assert assets == ["brand.css", "embed.js", "share-mastodon.js", "style.css"]


def test_the_sample_site_wears_wavelight_from_its_own_theme() -> None:
    assert 'theme = "wavelight"' in (REPO / "site.toml").read_text()
    wavelight = REPO / "themes/wavelight"
    assert 'extends = "default"' in (wavelight / "theme.toml").read_text()
    assert b"Wavelight" in (wavelight / "static/logo.svg").read_bytes()


def test_a_failing_installed_template_says_it_is_brandsites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = bare_project(tmp_path, SITE_TOML + 'theme = "acme"\n')
    own_theme(
        root,
        "acme",
        {
            "theme.toml": 'extends = "default"\n',
            "templates/partials/strings.html": "{% set ui = {'careers': 'Jobs'} %}\n",
        },
    )
    assert main(["check", "--root", str(root), "--now", TODAY.isoformat()]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first == (
        "1. themes/default/templates/base.html:27: error: `ui.skip_link` does not exist "
        "(from the default theme installed with brandsite) [template-undefined]"
    )
    assert "copy it to themes/acme/templates/base.html" in err


def test_a_projects_copy_of_default_is_named_as_the_projects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = bare_project(tmp_path, SITE_TOML + 'theme = "acme"\n')
    shutil.copytree(installed_themes_dir() / "default", root / "themes/default")
    own_theme(
        root,
        "acme",
        {
            "theme.toml": 'extends = "default"\n',
            "templates/partials/strings.html": "{% set ui = {'careers': 'Jobs'} %}\n",
        },
    )
    assert main(["check", "--root", str(root), "--now", TODAY.isoformat()]) == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .endswith("does not exist (from the default theme) [template-undefined]")
    )


def test_a_missing_logo_with_an_installed_theme_points_at_a_theme_of_ones_own(
    tmp_path: Path,
) -> None:
    root = bare_project(
        tmp_path, SITE_TOML + 'theme = "example-brand"\n[brand]\nlogo = "mine.svg"\n'
    )
    problems = run_build(root).diagnostics
    assert [(d.code, d.source, d.hint) for d in problems] == [
        (
            "missing-brand-file",
            "site.toml",
            "did you mean `favicon.svg`? set brand.logo in site.toml to a file the theme has, "
            "or put yours in the static/ folder of a theme of your own that extends default "
            "(brandsite new theme NAME; THEMING.md section 8)",
        )
    ]
