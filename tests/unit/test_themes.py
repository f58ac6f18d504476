"""Themes: which file wins along the extends chain, brand settings, hashed assets, social tags."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, codes, run_build, story, write_site
from generator.theme.colours import contrast_ratio
from generator.theme.themes import hashed_path


def child_theme(root: Path, files: dict[str, str], toml: str = 'extends = "default"\n') -> None:
    """themes/child with ``files``; the site switches to it."""
    folder = root / "themes/child"
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text(toml)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    config = (root / "site.toml").read_text()
    (root / "site.toml").write_text(config + 'theme = "child"\n')


def project(tmp_path: Path) -> Path:
    return write_site(tmp_path / "p", {"content/stories/a.md": story()})


# (files of the child theme, page, text expected in it, text that must not be there)
LOOKUP = [
    ({}, "index.html", "skip-link", None),  # nothing overridden: all from default
    (
        {
            "templates/404.html": "{% extends 'base.html' %}{% block content %}<h1>Lost?</h1>{% endblock %}"
        },
        "404.html",
        "<h1>Lost?</h1>",
        None,
    ),  # a whole template replaced, base still the parent's
    (
        {
            "templates/base.html": "{% extends 'default/base.html' %}{% block footer %}<p>child footer</p>{{ super() }}{% endblock %}"
        },
        "stories/a/index.html",
        "<p>child footer</p>",
        None,
    ),  # one block, parent's content kept via super()
    (
        {
            "templates/base.html": "{% extends 'default/base.html' %}{% block footer %}<p>only child</p>{% endblock %}"
        },
        "index.html",
        "<p>only child</p>",
        "site-footer",
    ),  # block replaced without super()
]


@pytest.mark.parametrize(("files", "page", "present", "absent"), LOOKUP)
def test_child_templates_win_then_the_parent(tmp_path: Path, files, page, present, absent) -> None:
    root = project(tmp_path)
    child_theme(root, files)
    result = run_build(root)
    assert result.ok, result.diagnostics
    html = (root / "output" / page).read_text()
    assert present in html
    if absent:
        assert absent not in html


def test_child_static_file_replaces_the_parents_and_the_rest_is_inherited(tmp_path: Path) -> None:
    root = project(tmp_path)
    child_theme(root, {"static/style.css": "body { color: purple }\n"})
    result = run_build(root)
    assert result.ok
    css = {p.name: p.read_text() for p in (root / "output/assets").glob("style.*.css")}
    assert list(css.values()) == ["body { color: purple }\n"]
    assert any(p.name.startswith("embed.") for p in (root / "output/assets").iterdir())  # inherited
    home = (root / "output/index.html").read_text()
    assert f'href="/assets/{next(iter(css))}"' in home


def test_brand_layers_site_over_child_over_parent(tmp_path: Path) -> None:
    root = project(tmp_path)
    child_theme(
        root,
        {},
        'extends = "default"\n[brand]\nprimary_color = "#111111"\naccent_color = "#222222"\n',
    )
    config = (root / "site.toml").read_text()
    (root / "site.toml").write_text(config + '[brand]\naccent_color = "#333333"\n')
    run_build(root)
    brand = next((root / "output/assets").glob("brand.*.css")).read_text()
    assert "--color-primary: #111111;" in brand  # from the child theme
    assert "--color-accent: #333333;" in brand  # site.toml wins
    assert "--color-text:" in brand  # built-in default


def test_the_example_brand_theme_builds(tmp_path: Path) -> None:
    root = project(tmp_path)
    shutil.copytree(REPO / "themes/example-brand", root / "themes/example-brand")
    (root / "site.toml").write_text((root / "site.toml").read_text() + 'theme = "example-brand"\n')
    result = run_build(root)
    assert result.ok, result.diagnostics
    home = (root / "output/index.html").read_text()
    assert "equal opportunity employer" in home
    assert re.search(r'href="/assets/theme\.[0-9a-f]{8}\.css"', home)
    logo = next((root / "output/assets").glob("logo.*.svg")).read_bytes()
    assert logo == (REPO / "themes/example-brand/static/logo.svg").read_bytes()


def test_low_contrast_is_a_warning_with_the_ratio(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "p",
        {"content/stories/a.md": story()},
        SITE_TOML + '[brand]\ntext_color = "#999999"\nbackground_color = "#ffffff"\n',
    )
    result = run_build(root)
    assert result.ok  # a warning does not stop the build
    problem = next(d for d in result.diagnostics if d.code == "low-contrast")
    assert problem.severity.value == "warning"
    assert (problem.source, problem.line) == ("site.toml", 9)
    assert "2.85:1" in problem.message and "4.5:1" in problem.message


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [
        ("#000", "#fff", 21.0),
        ("#777777", "#ffffff", 4.48),
        ("#fff", "#fff", 1.0),
        ("red", "#fff", None),
    ],
)
def test_contrast_ratio(fg: str, bg: str, ratio: float | None) -> None:
    value = contrast_ratio(fg, bg)
    assert (value is None) if ratio is None else round(value, 2) == ratio


def test_brand_values_cannot_break_out_of_css(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "p", {}, SITE_TOML + '[brand]\nprimary_color = "red; } body { display: none"\n'
    )
    assert codes(run_build(root)) == ["bad-brand-value"]


def test_unknown_theme_setting_and_missing_parent(tmp_path: Path) -> None:
    root = project(tmp_path)
    child_theme(root, {}, 'extends = "defualt"\ncolour = "x"\n')
    result = run_build(root)
    assert "unknown-setting" in codes(result) or "unknown-theme" in codes(result)


def test_hashed_names_are_stable_and_change_with_content() -> None:
    assert hashed_path("style.css", b"a") == hashed_path("style.css", b"a")
    assert hashed_path("style.css", b"a") != hashed_path("style.css", b"b")
    assert re.fullmatch(r"assets/img/logo\.[0-9a-f]{8}\.svg", hashed_path("img/logo.svg", b"x"))


def test_css_url_references_point_at_hashed_files(tmp_path: Path) -> None:
    root = project(tmp_path)
    child_theme(
        root, {"static/extra.css": ".x { background: url(pic.svg) }\n", "static/pic.svg": "<svg/>"}
    )
    run_build(root)
    css = next((root / "output/assets").glob("extra.*.css")).read_text()
    pic = next((root / "output/assets").glob("pic.*.svg")).name
    assert f"url({pic})" in css


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_social_and_search_metadata(tmp_path: Path) -> None:
    root = project(tmp_path)
    child_theme(
        root,
        {"static/share.png": "png"},
        'extends = "default"\n[brand]\nshare_image = "share.png"\n',
    )
    run_build(root)
    home = (root / "output/index.html").read_text()
    page = (root / "output/stories/a/index.html").read_text()
    for html in (home, page):
        assert re.search(r"<title>[^<]+</title>", html)
        assert '<meta name="description"' in html
        assert '<link rel="canonical" href="https://careers.test.example/' in html
        for tag in ("og:title", "og:url", "og:image", "og:type", "twitter:card"):
            assert f'"{tag}"' in html, tag
    assert json_ld(home)[0]["@type"] == "Organization"
    article = json_ld(page)[0]
    assert article["@type"] == "Article"
    assert article["author"]["name"] == "Ada"
    assert article["datePublished"].startswith("2026-01-10")
    assert (
        'og:image" content="https://careers.test.example/assets/share.' in home
    )  # theme's default
    robots = (root / "output/robots.txt").read_text()
    assert "Sitemap: https://careers.test.example/sitemap.xml" in robots


def test_json_ld_cannot_be_broken_out_of(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "p",
        {"content/stories/a.md": story(title="'\"</script><script>alert(1)</script>'")},
    )
    run_build(root)
    html = (root / "output/stories/a/index.html").read_text()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["headline"] == '"</script><script>alert(1)</script>'
