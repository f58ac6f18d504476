"""Whole builds: atomic output, determinism, sub-paths, template errors, refused output folders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import html5lib
import pytest

from conftest import SITE_TOML, codes, run_build, story, write_site
from generator.engine.writer import MARKER, OutputRefused


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def two_stories(tmp_path: Path, config: str = SITE_TOML) -> Path:
    return write_site(
        tmp_path / "p",
        {
            "content/stories/a.md": story(title="A", date="2026-01-01"),
            "content/stories/b.md": story(title="B", date="2026-02-01", values="care, craft"),
            "content/stories/c.md": story(title="C", date="2026-03-01", values="care"),
        },
        config,
    )


def test_pages_and_urls(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    result = run_build(root)
    assert result.ok
    expected = {
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "stories/index.html",
        "stories/page/2/index.html",
        "stories/a/index.html",
        "stories/b/index.html",
        "stories/c/index.html",
        "values/index.html",
        "values/care/index.html",
        "values/craft/index.html",
        "values/care/feed.xml",
        "values/craft/feed.xml",
    }
    assert expected <= set(result.written)
    assert (root / "output" / MARKER).is_file()
    robots = (root / "output/robots.txt").read_text()
    assert "Sitemap: https://careers.test.example/sitemap.xml" in robots


def test_every_page_parses_as_html5_without_errors(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    run_build(root)
    for page in sorted((root / "output").rglob("*.html")):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(page.read_bytes())
        assert not parser.errors, (page, parser.errors[:3])


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    run_build(root, output=tmp_path / "one")
    run_build(root, output=tmp_path / "two")
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    assert run_build(root).ok
    before = digest(root / "output")
    (root / "content/stories/d.md").write_text(story(values="unknown"))
    result = run_build(root)
    assert codes(result) == ["unknown-value"]
    assert digest(root / "output") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".output.staging")]


def test_a_removed_story_disappears_from_the_next_build(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    run_build(root)
    (root / "content/stories/a.md").unlink()
    run_build(root)
    assert not (root / "output/stories/a").exists()
    assert "/stories/a/" not in (root / "output/feed.xml").read_text()


def test_base_url_with_sub_path(tmp_path: Path) -> None:
    root = two_stories(
        tmp_path, SITE_TOML.replace("https://careers.test.example/", "https://x.example/careers")
    )
    run_build(root)
    home = (root / "output/index.html").read_text()
    assert 'href="/careers/stories/"' in home
    assert 'href="https://x.example/careers/"' in home  # canonical
    assert "https://x.example/careers/stories/c/" in (root / "output/sitemap.xml").read_text()


def test_base_url_override_for_previews(tmp_path: Path) -> None:
    root = two_stories(tmp_path)
    run_build(root, base_url="http://127.0.0.1:8000/preview")
    assert 'href="/preview/stories/"' in (root / "output/index.html").read_text()


@pytest.mark.parametrize(
    ("template", "code", "line", "phrase"),
    [
        (
            "{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}",
            "template-syntax",
            3,
            "syntax error",
        ),
        (
            "{% extends 'base.html' %}\n{% block content %}\n{{ story.nonsense.deeper }}\n{% endblock %}",
            "template-undefined",
            3,
            "does not exist",
        ),
        (
            "{% extends 'base.html' %}\n{% block content %}\n{{ asset_url('nope.css') }}\n{% endblock %}",
            "template-error",
            3,
            "no such static file",
        ),
    ],
)
def test_template_mistakes_name_the_template_and_line(
    tmp_path: Path, template: str, code: str, line: int, phrase: str
) -> None:
    root = two_stories(tmp_path)
    assert run_build(root).ok
    before = digest(root / "output")
    (root / "themes/default/templates/story.html").write_text(template)
    result = run_build(root)
    problem = next(d for d in result.diagnostics if d.code == code)
    assert problem.source == "themes/default/templates/story.html"
    assert problem.line == line
    assert phrase in problem.message
    assert len([d for d in result.diagnostics if d.code == code]) == 1, (
        "reported once, not once per page"
    )
    assert digest(root / "output") == before


@pytest.mark.parametrize("where", ["root", "parent", "content", "foreign"])
def test_dangerous_output_folders_are_refused(tmp_path: Path, where: str) -> None:
    root = two_stories(tmp_path)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("precious")
    output = {"root": root, "parent": tmp_path, "content": root / "content/x", "foreign": foreign}[
        where
    ]
    with pytest.raises(OutputRefused):
        run_build(root, output=output)
    assert (foreign / "keep.txt").read_text() == "precious"
    assert (root / "site.toml").exists()
