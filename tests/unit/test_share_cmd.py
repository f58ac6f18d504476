"""``brandsite share`` on the sample project: a kit and a card per published story, nothing else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, brandsite
from generator.commands.init_files import GITIGNORE

NOW = "2026-11-22"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's sample project (content, themes, site.toml)."""
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    return root


def published(root: Path) -> list[str]:
    """Story slugs the sample publishes today (not draft, not scheduled)."""
    slugs = []
    for path in sorted((root / "content" / "stories").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        date = re.search(r"^date: (\S+)", text, re.M)
        if "\ndraft: true" not in text and date and date.group(1)[:10] <= NOW:
            slugs.append(path.stem)
    return slugs


def test_share_writes_a_kit_and_a_card_for_every_published_story(sample: Path) -> None:
    result = brandsite("share", "--now", NOW, cwd=sample)
    assert result.returncode == 0, result.stderr
    out = sample / "reports" / "share"
    slugs = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert slugs == published(sample) and len(slugs) >= 10
    assert f"Wrote the share kit of {len(slugs)} published stories" in result.stderr
    # The sample's logo is an SVG: the company name is drawn instead, without a warning
    # (THEMING.md says so; a theme can name a PNG in [share_card] logo).
    assert "[card-logo-not-raster]" not in result.stderr
    assert "warning" not in result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        assert f'href="{slug}/index.html"' in index
        with Image.open(out / slug / f"{slug}.png") as card:
            assert (card.size, card.format) == ((1200, 630), "PNG")
        page = (out / slug / "index.html").read_text(encoding="utf-8")
        assert f"utm_campaign={slug}" in page and "Content-Security-Policy" in page
    german = (out / "frank-rotorblatt-recycling" / "index.html").read_text(encoding="utf-8")
    assert "Zur ganzen Geschichte:" in german
    # The sample's theme has the Mastodon share page: the kit links to it.
    assert 'href="https://careers.wavelight.example/share/mastodon/?text=' in german


def test_two_runs_write_the_same_bytes(sample: Path, tmp_path: Path) -> None:
    for folder in ("one", "two"):
        result = brandsite("share", "--now", NOW, "--out", str(tmp_path / folder), cwd=sample)
        assert result.returncode == 0, result.stderr
    first = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
             if p.is_file()}  # fmt: skip
    second = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
              if p.is_file()}  # fmt: skip
    assert first == second and len(first) > 20


def test_a_story_no_longer_published_loses_its_kit(sample: Path) -> None:
    assert brandsite("share", "--now", NOW, cwd=sample).returncode == 0
    story = sample / "content" / "stories" / "anna-offshore-night-shift.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1),
        encoding="utf-8",
    )
    assert brandsite("share", "--now", NOW, cwd=sample).returncode == 0
    out = sample / "reports" / "share"
    assert not (out / "anna-offshore-night-shift").exists()
    assert "anna-offshore-night-shift" not in (out / "index.html").read_text(encoding="utf-8")


def test_planned_posts_and_share_title_from_front_matter(sample: Path) -> None:
    story = sample / "content" / "stories" / "anna-offshore-night-shift.md"
    text = story.read_text(encoding="utf-8")
    plan = (
        "share_title: Night shift\n"
        "share:\n"
        "  - on: 2026-11-24\n"
        "    channel: linkedin\n"
        '    text: "Anna on her night shift, in her words."\n'
        "  - on: 2026-11-25\n"
        "    channel: x\n"
        f"    text: {'x' * 290}\n"
        "  - {on: 2026-11-26, channel: linkdin, text: Hi}\n"
    )
    story.write_text(text.replace("---\n", "---\n" + plan, 1), encoding="utf-8")
    result = brandsite("share", "--now", NOW, cwd=sample)
    assert result.returncode == 1  # the unknown channel is an error
    stderr = result.stderr
    path = "content/stories/anna-offshore-night-shift.md"
    assert f"{path}:9: warning: the X text of planned post 2 is 315 characters" in stderr
    assert f"{path}:10: error: `channel` of planned post 3 is not a network" in stderr
    assert "did you mean `linkedin`?" in stderr
    page = (sample / "reports/share/anna-offshore-night-shift/index.html").read_text("utf-8")
    assert "Anna on her night shift, in her words." in page and "for 2026-11-24" in page
    # The site itself accepts the fields (the build knows them).
    build = brandsite("check", cwd=sample)
    assert "unknown-field" not in build.stdout + build.stderr


def test_share_refuses_to_write_into_the_sites_output_folder(sample: Path) -> None:
    result = brandsite("share", "--out", "output/share", cwd=sample)
    assert result.returncode == 2
    assert "refusing to write the share kit into" in result.stderr
    assert not (sample / "output" / "share").exists()


def test_a_missing_card_font_is_a_problem_naming_it_and_the_kit_is_still_written(
    sample: Path,
) -> None:
    theme = sample / "themes" / "wavelight" / "theme.toml"
    theme.write_text(
        theme.read_text(encoding="utf-8") + '\n[share_card]\nfont_bold = "fonts/Brand-Bold.otf"\n',
        encoding="utf-8",
    )
    result = brandsite("share", "--now", NOW, cwd=sample)
    assert result.returncode == 1
    assert "themes/wavelight/theme.toml:11: error: the share cards cannot be drawn: the font" in (
        result.stderr
    )
    assert "fonts/Brand-Bold.otf is missing" in result.stderr
    out = sample / "reports" / "share"
    assert (out / "index.html").is_file() and not list(out.rglob("*.png"))


def test_reports_are_git_ignored_and_the_card_fonts_are_not_published(sample: Path) -> None:
    assert "/reports/" in GITIGNORE.splitlines()
    assert "/reports/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    result = brandsite("build", cwd=sample)
    assert result.returncode == 0, result.stderr
    built = [p.name for p in (sample / "output").rglob("*")]
    assert not [n for n in built if n.endswith((".otf", ".ttf"))] and "OFL.txt" not in built
