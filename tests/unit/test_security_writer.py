"""Crash safety and the build lock, short of killing a real process (see e2e/test_crash_safety)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from conftest import run_build, story
from generator.cli import main
from generator.engine.writer import MARKER, Staging, build_lock, lock_path, remove_leftovers


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
    from generator.engine.incremental import BuildState

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
    assert not [p for p in root.iterdir() if ".staging-" in p.name or ".update-" in p.name]


# Issue 12, finding 8: a link as the output folder is refused before anything is resolved.


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path below ``folder`` (links not followed) with its bytes; None for folders."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("--output link", "{root}/linkout is a symbolic link; give the real folder as --output"),
        ("output/ is a link", "{root}/output is a symbolic link; give the real folder as --output"),
        (
            "--output through a linked folder",
            "{root}/build is a symbolic link, so {root}/build/site would not be where it seems",
        ),
    ],
)
def test_a_linked_output_folder_is_refused_and_nothing_is_written_beside_its_target(
    site, tmp_path: Path, capsys, layout: str, message: str
) -> None:
    root = site({"content/stories/a.md": story()})
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep me")
    args = {
        "--output link": ["--output", str(root / "linkout")],
        "output/ is a link": [],
        "--output through a linked folder": ["--output", str(root / "build" / "site")],
    }[layout]
    link = {"--output link": "linkout", "output/ is a link": "output"}.get(layout, "build")
    (root / link).symlink_to(target)
    before = tree(tmp_path)
    code = main(["build", "--root", str(root), "--now", "2026-11-22", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("brandsite: " + message.format(root=root))
    assert "Traceback" not in err
    assert tree(tmp_path) == before  # no output, no staging folder, no lock file anywhere


def test_a_linked_cache_folder_stops_serve_before_its_lock_is_made(site, tmp_path, capsys) -> None:
    root = site({"content/stories/a.md": story()})
    target = tmp_path / "elsewhere"
    target.mkdir()
    (root / ".brandsite-cache").symlink_to(target)
    assert main(["serve", "--root", str(root), "--port", "0"]) == 2
    assert f"{root}/.brandsite-cache is a symbolic link" in capsys.readouterr().err
    assert list(target.iterdir()) == []


def test_a_planted_serve_lock_link_is_refused_not_followed(site, tmp_path, capsys) -> None:
    root = site({"content/stories/a.md": story()})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (root / ".brandsite-cache").mkdir()
    (root / ".brandsite-cache" / "serve.lock").symlink_to(victim)
    assert main(["serve", "--root", str(root), "--port", "0"]) == 2
    assert "cannot create the preview lock" in capsys.readouterr().err
    assert victim.read_text() == "keep me"
