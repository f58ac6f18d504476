"""Crash safety and the build lock, short of killing a real process (see e2e/test_crash_safety)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from conftest import run_build, story
from generator.cli import main
from generator.writer import MARKER, Staging, build_lock, lock_path, remove_leftovers


def test_the_lock_file_names_its_holder_and_a_waiter_hears_it(tmp_path: Path) -> None:
    output = tmp_path / "out"
    heard: list[int | None] = []
    with build_lock(output):
        assert lock_path(output).read_text().strip() == str(os.getpid())
        waiter = threading.Thread(target=lambda: build_lock(output, heard.append).__enter__())
        waiter.start()
        time.sleep(0.2)
        assert heard == [os.getpid()] and waiter.is_alive()  # it waits, it does not fail
    waiter.join(5)
    assert not waiter.is_alive()


def test_the_cli_says_it_is_waiting_for_another_build(site, capsys) -> None:
    root = site({"content/stories/a.md": story()})
    codes: list[int] = []
    with build_lock(root / "output"):
        thread = threading.Thread(
            target=lambda: codes.append(main(["build", "--root", str(root), "--now", "2026-11-22"]))
        )
        thread.start()
        time.sleep(1.0)
        assert thread.is_alive() and not (root / "output").exists()
    thread.join(30)
    err = capsys.readouterr().err
    assert "brandsite: waiting for another build of " in err and "output" in err
    assert f"(started by pid {os.getpid()})" in err
    assert codes == [0] and (root / "output/index.html").is_file()


def test_a_build_cleans_up_what_a_killed_build_left(site) -> None:
    root = site({"content/stories/a.md": story()})
    assert run_build(root).ok
    killed = root / ".output.staging-999999"
    killed.mkdir()
    (killed / MARKER).write_text("half a build")
    (killed / "index.html").write_text("half")
    empty = root / ".output.staging-999998"  # killed between mkdir and the marker
    empty.mkdir()
    assert run_build(root).ok
    assert not killed.exists() and not empty.exists()


def test_the_previous_site_is_restored_if_a_build_died_between_two_renames(tmp_path) -> None:
    """Where renameat2 is missing, the swap is two renames; a kill between them is repaired."""
    output = tmp_path / "out"
    previous = tmp_path / ".out.staging-old-4242"
    previous.mkdir()
    (previous / MARKER).write_text("built")
    (previous / "index.html").write_text("previous site")
    newer = tmp_path / ".out.staging-4242"
    newer.mkdir()
    (newer / MARKER).write_text("built")
    remove_leftovers(output)
    assert (output / "index.html").read_text() == "previous site"
    assert not newer.exists()


def test_a_failed_write_leaves_the_output_as_it_was(tmp_path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / MARKER).write_text("built")
    (output / "index.html").write_text("old")
    staging = Staging(output)
    staging.write("index.html", "new")
    staging.abort()
    assert (output / "index.html").read_text() == "old"
    assert list(tmp_path.iterdir()) == [output]


def test_an_incremental_update_leaves_no_temporary_files(site) -> None:
    from generator.incremental import BuildState

    root = site(
        {
            f"content/stories/s{i}.md": story(title=f"S{i}", date=f"2025-0{1 + i % 8}-1{i % 9}")
            for i in range(40)
        }
    )
    state = BuildState()
    assert run_build(root, state=state).ok
    text = (root / "content/stories/s3.md").read_text()
    (root / "content/stories/s3.md").write_text(text.replace("First paragraph", "Changed"))
    result = run_build(root, state=state)
    assert result.ok and result.mode == "update"
    assert not [p for p in (root / "output").rglob("*") if ".tmp" in p.name]
    assert not [p for p in root.iterdir() if ".staging-" in p.name]
