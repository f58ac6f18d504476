"""The CLI, run as a user runs it, builds the sample site into the layout the contract promises."""

from __future__ import annotations

import pytest

from .e2e_site import Build, build_site, copy_sample_site, run_cli, tree_bytes

pytestmark = pytest.mark.e2e

# Files every built site has (notes/CONTRACT.md, "Output URLs").
REQUIRED_FILES = (
    "index.html",
    "stories/index.html",
    "values/index.html",
    "feed.xml",
    "404.html",
    "sitemap.xml",
    "robots.txt",
)


def test_cli_builds_the_sample_site_and_exits_0(site_build: Build) -> None:
    assert site_build.run.returncode == 0, site_build.run.describe()
    missing = [f for f in REQUIRED_FILES if not (site_build.output / f).is_file()]
    assert not missing, f"the build lacks {missing}"


def test_build_has_story_and_value_pages_and_hashed_assets(built_site) -> None:
    stories = [p for p in (built_site / "stories").glob("*/index.html") if p.parent.name != "page"]
    values = list((built_site / "values").glob("*/index.html"))
    value_feeds = list((built_site / "values").glob("*/feed.xml"))
    assets = list((built_site / "assets").glob("*.*.*"))
    assert stories, "no stories/<slug>/index.html"
    assert values, "no values/<slug>/index.html"
    assert len(value_feeds) == len(values), "every value page needs its values/<slug>/feed.xml"
    assert any(a.suffix == ".css" for a in assets), "no hashed stylesheet assets/<name>.<hash8>.css"


def test_rebuilding_in_a_new_process_gives_identical_bytes(built_site, tmp_path) -> None:
    """Same input, same bytes, across processes (hash seeds differ between interpreters)."""
    again = build_site(copy_sample_site(tmp_path / "again"))
    assert again.ok, again.run.describe()
    first, second = tree_bytes(built_site), tree_bytes(again.output)
    assert sorted(first) == sorted(second), "the two builds wrote different file sets"
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"files differ between two identical builds: {differing[:20]}"


def test_check_command_finds_no_problems_in_the_sample_site(tmp_path) -> None:
    root = copy_sample_site(tmp_path / "project")
    run = run_cli("check", "--root", str(root), "--now", "2026-11-22")
    assert run.returncode == 0, run.describe()
