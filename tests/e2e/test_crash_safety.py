"""A real build killed with SIGKILL mid-write leaves the previous site whole; builds take turns.

No browser needed: a ``brandsite build`` subprocess is killed once its staging folder fills up,
and the output folder is compared byte for byte with what it held before.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import story, write_site

pytestmark = pytest.mark.e2e

NOW = "2026-11-22"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def brandsite(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--now", NOW, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: workers die with it
    )


def big_site(root: Path, count: int) -> None:
    """Replace the stories with ``count`` new ones, so the next build rewrites every page."""
    (root / "content/stories").mkdir(parents=True, exist_ok=True)
    for path in (root / "content/stories").glob("*.md"):
        path.unlink()
    for number in range(count):
        text = story(title=f"Story {number}", values="craft, care", body="Paragraph. " * 200)
        (root / f"content/stories/s{number:05d}.md").write_text(text)


def test_sigkill_mid_write_leaves_the_previous_site_and_the_next_build_cleans_up(
    tmp_path: Path,
) -> None:
    root = write_site(tmp_path / "project", {"content/stories/first.md": story(title="First")})
    first = brandsite(root)
    assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
    before = snapshot(root / "output")
    assert "stories/first/index.html" in before

    big_site(root, 2500)
    build = brandsite(root, "--no-cache")
    staging = root / f".output.staging-{build.pid}"
    deadline = time.monotonic() + 120
    # Wait until the killed build is really writing: its staging folder holds story pages.
    while time.monotonic() < deadline and build.poll() is None:
        stories = staging / "stories"
        if stories.is_dir() and sum(1 for _ in stories.iterdir()) > 50:
            break
        time.sleep(0.005)
    assert build.poll() is None, "the build finished before it could be killed; make it bigger"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(30)
    assert build.returncode == -signal.SIGKILL

    assert staging.is_dir()  # what the killed build left behind
    assert snapshot(root / "output") == before  # the previous site, complete and untouched

    again = brandsite(root)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert not staging.exists()
    assert not [p for p in root.iterdir() if ".staging-" in p.name]
    after = snapshot(root / "output")
    assert "stories/s02499/index.html" in after and "stories/first/index.html" not in after


def test_two_builds_at_once_take_turns(tmp_path: Path) -> None:
    root = write_site(tmp_path / "project", {})
    big_site(root, 400)
    builds = [brandsite(root, "--no-cache") for _ in range(2)]
    results = [b.communicate(timeout=300) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    errors = "".join(err for _, err in results)
    assert "waiting for another build of" in errors  # the second one said so
    assert not [p for p in root.iterdir() if ".staging-" in p.name]
    output = snapshot(root / "output")
    pages = [p for p in output if p.startswith("stories/s") and p.endswith("/index.html")]
    assert len(pages) == 400  # each beside its share card
