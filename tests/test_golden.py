"""Fixture sites built end to end and compared with their expected output, file by file.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden`` and review
the diff of ``tests/sites/*/expected*`` like any other change.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import run_build
from generator.errors import format_text

SITES = Path(__file__).parent / "sites"
GOOD = sorted(p.name for p in SITES.iterdir() if (p / "expected").is_dir() or p.name == "basic")
BAD = sorted(
    p.name for p in SITES.iterdir() if (p / "expected-problems.txt").exists() or p.name == "broken"
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", GOOD)
def test_site_builds_exactly_as_expected(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    site = SITES / name
    expected_dir = site / "expected"
    result = run_build(site, output=tmp_path / "out")
    assert result.ok, format_text(result.diagnostics)
    actual = _tree(tmp_path / "out")
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(tmp_path / "out", expected_dir)
    expected = _tree(expected_dir)
    assert sorted(actual) == sorted(expected), "the set of output files differs"
    for path in sorted(expected):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode(errors="replace").splitlines(),
                actual[path].decode(errors="replace").splitlines(),
                f"expected/{path}",
                f"actual/{path}",
                lineterm="",
            )
            pytest.fail(f"{path} differs:\n" + "\n".join(diff))


@pytest.mark.parametrize("name", BAD)
def test_broken_site_reports_exactly_these_problems(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    expected_file = SITES / name / "expected-problems.txt"
    # Broken sites borrow the basic site's theme rather than keeping a copy of it.
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    if not (site / "themes").exists():
        shutil.copytree(SITES / "basic/themes", site / "themes")
    result = run_build(site, output=tmp_path / "out")
    assert not result.ok
    assert not (tmp_path / "out").exists()
    actual = format_text(result.diagnostics) + "\n"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
