"""The real command line, run as a subprocess: exit codes, output formats, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, SITE_TOML, brandsite, story, write_site


def test_build_succeeds_with_exit_0(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    run = brandsite("build", "--now", "2026-11-22", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Built ") and "(8 pages)" in run.stdout
    assert (root / "output/stories/a/index.html").exists()


def test_content_problems_exit_1_with_file_line_and_hint(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(values="craftt")})
    run = brandsite("build", cwd=root)
    assert run.returncode == 1
    assert "content/stories/a.md:5: error: the story is tagged with `craftt`" in run.stderr
    assert "hint: did you mean `craft`?" in run.stderr
    assert "1 error in 1 file" in run.stderr
    assert "output/ was left as it was" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (root / "output").exists()


def test_settings_problems_exit_2(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {}, SITE_TOML + "colour = 1\n")
    run = brandsite("check", cwd=root)
    assert run.returncode == 2
    assert "site.toml:8: error: unknown setting `colour`" in run.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {})
    assert brandsite("build", "--now", "tomorrow", cwd=root).returncode == 2
    assert brandsite("frobnicate", cwd=root).returncode == 2
    refused = brandsite("build", "--output", ".", cwd=root)
    assert refused.returncode == 2 and "refusing" in refused.stderr


def test_check_json_and_github_formats(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(values="nope")})
    as_json = brandsite("check", "--format", "json", cwd=root)
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["errors"] == 1
    assert report["problems"][0] | {"message": ""} == {
        "source": "content/stories/a.md",
        "line": 5,
        "col": 0,
        "code": "unknown-value",
        "message": "",
        "hint": "known values: care, craft",
        "severity": "error",
    }
    github = brandsite("check", "--format", "github", cwd=root)
    assert github.stdout.startswith(
        "::error file=content/stories/a.md,line=5,title=brandsite unknown-value::the story is tagged with `nope`"
    )


def test_check_passes_and_writes_nothing(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    run = brandsite("check", "--now", "2026-11-22", cwd=root)
    assert run.returncode == 0
    assert "All good: 1 story would be published" in run.stdout
    assert not (root / "output").exists()
    clean = brandsite("check", "--format", "json", cwd=root)
    assert json.loads(clean.stdout) == {"problems": [], "errors": 0, "warnings": 0}


def test_sample_site_builds(tmp_path: Path) -> None:
    run = brandsite(
        "build",
        "--root",
        str(REPO),
        "--now",
        "2026-11-22",
        "--output",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "out/stories").glob("*/index.html"))) >= 10
