"""Build the sample site with the real CLI in a subprocess, and find its pages on disk.

The sample site is the repository's site.toml, content/ and themes/, copied into a temp project
so the tests never touch the working tree. BRANDSITE_E2E_PROJECT points the suite at another
project folder (its generator/ package is used when it has one, since the CLI runs there).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .e2e_tools import REPO_ROOT, ToolRun, run_tool

NOW = "2026-11-22"
SAMPLE_ITEMS = ("site.toml", "content", "themes")
# Pinned so that no result depends on the machine's zone or locale (Pelican #2712).
CLI_ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
NOT_FOUND_PATH = "this-page-does-not-exist/"


def source_project() -> Path:
    """The project whose sample site the suite builds (the repository unless overridden)."""
    return Path(os.environ.get("BRANDSITE_E2E_PROJECT", REPO_ROOT)).resolve()


def copy_sample_site(dest: Path) -> Path:
    """Copy site.toml, content/ and themes/ of the source project into `dest`; return `dest`."""
    source = source_project()
    dest.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_ITEMS:
        item = source / name
        if item.is_dir():
            shutil.copytree(item, dest / name)
        elif item.is_file():
            shutil.copy2(item, dest / name)
        else:
            raise FileNotFoundError(f"sample site incomplete: {item} is missing")
    return dest


def run_cli(*args: str, timeout: float = 180) -> ToolRun:
    """Run `python -m generator ARGS` as a subprocess from the source project folder."""
    return run_tool(
        [sys.executable, "-m", "generator", *args],
        timeout=timeout,
        env=CLI_ENV,
        cwd=source_project(),
    )


@dataclass(frozen=True)
class Build:
    """One CLI build: the project root, its output folder and the process outcome."""

    root: Path
    output: Path
    run: ToolRun

    @property
    def ok(self) -> bool:
        """Exit 0 and a home page on disk."""
        return self.run.returncode == 0 and (self.output / "index.html").is_file()


def build_site(root: Path, *, output: Path | None = None, base_url: str | None = None) -> Build:
    """Build the project at `root` with the clock pinned to NOW, optionally for another URL."""
    output = output or root / "output"
    args = ["build", "--root", str(root), "--output", str(output), "--now", NOW]
    if base_url:
        args += ["--base-url", base_url]
    return Build(root, output, run_cli(*args))


def html_files(output: Path) -> list[Path]:
    """Every .html file of a built site, sorted."""
    return sorted(p for p in output.rglob("*.html") if p.is_file())


def site_path(output: Path, file: Path) -> str:
    """The site-relative URL path of a built file: index.html -> "", a/index.html -> "a/"."""
    rel = file.relative_to(output).as_posix()
    if rel == "index.html":
        return ""
    return rel.removesuffix("index.html")


def _first_page_dir(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """The first sub-folder (by name) of `folder` holding an index.html, as a site path."""
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        if child.name not in skip and (child / "index.html").is_file():
            return f"{folder.name}/{child.name}/"
    raise AssertionError(f"no page folder under {folder}")


def key_pages(output: Path) -> dict[str, str]:
    """Site paths of one page of each kind: home, stories, story, values, value, not_found,
    and the open roles' listing, a filter page and a role page; on a site in several languages
    also a story page of its second language (``story_en``)."""
    pages = {
        "home": "",
        "stories": "stories/",
        "story": _first_page_dir(output / "stories", skip=("page",)),
        "values": "values/",
        "value": _first_page_dir(output / "values"),
        "not_found": NOT_FOUND_PATH,
        "jobs": "jobs/",
        "jobs_filter": "jobs/location/"
        + _first_page_dir(output / "jobs/location").split("/")[1]
        + "/",
        "job": _first_page_dir(output / "jobs", skip=("location", "team", "type")),
    }
    if (output / "en/stories").is_dir():
        pages["story_en"] = "en/" + _first_page_dir(output / "en/stories", skip=("page",))
    return pages


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Map every file under `folder` (relative POSIX path) to its bytes."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}
