"""Shared test helpers: small sites written on the fly, and builds with a pinned clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from generator.engine.build import build
from generator.engine.records import BuildOptions, BuildResult

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

# Pin locale and time zone: output must not depend on the machine (Pelican #2712).
os.environ["TZ"] = "UTC"
os.environ["LC_ALL"] = "C.UTF-8"

SITE_TOML = """\
title = "Careers at Testco"
company = "Testco"
description = "Testco makes tests."
base_url = "https://careers.test.example/"
language = "en"
timezone = "Europe/Berlin"
stories_per_page = 2
"""

VALUE = """\
---
title: {title}
summary: {title} is what we do.
order: {order}
---
We practise {title}.
"""

STORY = """\
---
title: {title}
author: {author}
date: {date}
values: [{values}]
---
{body}
"""


def story(
    title: str = "A story",
    author: str = "Ada",
    date: str = "2026-01-10",
    values: str = "craft",
    body: str = "First paragraph of the story.",
) -> str:
    """The text of a valid story file (override fields to make it invalid)."""
    return STORY.format(title=title, author=author, date=date, values=values, body=body)


def write_site(
    root: Path, files: Mapping[str, str | bytes], config: str = SITE_TOML, theme: bool = True
) -> Path:
    """A project at ``root`` with the default theme, two values and the given extra files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    defaults = {
        "content/values/craft.md": VALUE.format(title="Craft", order=1),
        "content/values/care.md": VALUE.format(title="Care", order=2),
    }
    for name, text in {**defaults, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    if theme and not (root / "themes/default").exists():
        shutil.copytree(REPO / "themes/default", root / "themes/default")
    return root


def run_build(
    root: Path, output: Path | None = None, state: object = None, **options: object
) -> BuildResult:
    """Build ``root`` as of TODAY."""
    opts = BuildOptions(
        root=root,
        output=output or root / "output",
        now=NOW,
        today=options.pop("today", TODAY),
        **options,
    )  # type: ignore[arg-type]
    return build(opts, state)  # type: ignore[arg-type]


def brandsite(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in ``cwd``: no terminal (stdin is ``stdin`` or /dev/null), a fixed
    clock-independent environment (UTC, C.UTF-8, no colour), the checkout's ``generator``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PYTHONPATH": str(REPO),
            "PATH": "/usr/bin:/bin",
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
            "NO_COLOR": "1",
            "BRANDSITE_CACHE_KEY_FILE": os.environ["BRANDSITE_CACHE_KEY_FILE"],
        },
    )


@pytest.fixture(scope="session", autouse=True)
def cache_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build cache's key for this test run (engine/cache_key.py), never ~/.cache/brandsite."""
    path = tmp_path_factory.mktemp("cache-key") / "cache.key"
    os.environ["BRANDSITE_CACHE_KEY_FILE"] = str(path)
    return path


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``site({"content/stories/a.md": story()})`` → project root."""

    def make(files: Mapping[str, str | bytes] | None = None, config: str = SITE_TOML) -> Path:
        return write_site(tmp_path / "project", files or {}, config)

    return make


def codes(result: BuildResult) -> list[str]:
    """The problem codes of a build, sorted."""
    return sorted(d.code for d in result.diagnostics)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the expected output of the fixture sites."""
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/sites/*/expected*")
