"""Incremental updates are prepared beside the output and moved in only when all are ready.

Issue 12, finding 5: temporary names inside output/ were longer than their targets (a picture
name a clean build publishes overflowed in an update), and a failed update had already replaced
other files.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, run_build, story, write_site
from generator.engine.incremental import BuildState
from generator.engine.writer import MARKER, InPlace, OutputRefused, remove_leftovers

LONG_STEM = "p" * 239  # "<stem>-30w.webp" is the longest published copy: 248 characters


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path below ``folder`` with its bytes (None for folders), links not followed."""
    return {
        path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def project(tmp_path: Path) -> Path:
    """Forty stories, one of them with a picture whose longest published name has 248 characters."""
    files = {
        f"content/stories/s{i:02}.md": story(
            title=f"Story {i}",
            date=f"2026-0{1 + i % 8}-1{i % 9}",
            values="craft" if i % 3 else "care",
        )
        for i in range(40)
    }
    root = write_site(tmp_path / "p", files)
    (root / "content/stories/images").mkdir()
    Image.new("RGB", (30, 20), "blue").save(root / f"content/stories/images/{LONG_STEM}.png")
    text = (root / "content/stories/s01.md").read_text()
    (root / "content/stories/s01.md").write_text(
        text.replace("---\nFirst", f"image: images/{LONG_STEM}.png\nimage_alt: Blue\n---\nFirst")
    )
    return root


def retitle(root: Path) -> None:
    """An edit that changes the story page, listings, related stories and the feeds."""
    path = root / "content/stories/s05.md"
    path.write_text(path.read_text().replace("title: Story 5", "title: Story five"))


def repaint(root: Path) -> None:
    Image.new("RGB", (30, 20), "red").save(root / f"content/stories/images/{LONG_STEM}.png")


def updates(tmp_path: Path, change: Callable[[Path], None]) -> tuple[Path, BuildState]:
    """A built project with ``change`` applied, ready for an incremental update."""
    root = project(tmp_path)
    state = BuildState()
    assert run_build(root, state=state).mode == "full"
    change(root)
    return root, state


def test_a_picture_name_a_clean_build_publishes_also_works_in_an_update(tmp_path: Path) -> None:
    root, state = updates(tmp_path, repaint)
    longest = max((root / "output").rglob("*"), key=lambda p: len(p.name))
    assert longest.name == f"{LONG_STEM}-30w.webp" and len(longest.name) == 248
    result = run_build(root, state=state)
    assert result.ok and result.mode == "update", result.diagnostics
    assert f"media/stories/images/{LONG_STEM}-30w.webp" in result.written
    clean = run_build(root, output=tmp_path / "clean", state=BuildState())
    assert clean.ok and tree(root / "output") == tree(tmp_path / "clean")


@pytest.mark.parametrize("fail_after", [0, 1, 3])
def test_a_failure_while_preparing_leaves_the_output_exactly_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_after: int
) -> None:
    root, state = updates(tmp_path, retitle)
    before = tree(root / "output")
    beside = sorted(p.name for p in root.iterdir())
    real_open = os.open
    prepared: list[str] = []

    def disk_full_after_some_files(path: object, flags: int, *args: object, **kw: object) -> int:
        creates = flags & os.O_CREAT and not str(path).endswith(MARKER)
        if creates and str(path).startswith(str(root / ".output.update-")):
            if len(prepared) == fail_after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            prepared.append(str(path))
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", disk_full_after_some_files)
    with pytest.raises(
        OutputRefused, match=r"No space left on device; .*output was left as it was"
    ):
        run_build(root, state=state)
    monkeypatch.undo()
    assert len(prepared) == fail_after
    assert tree(root / "output") == before  # byte for byte, no file or folder added or removed
    assert sorted(p.name for p in root.iterdir()) == beside  # the update folder is gone
    # The next build finishes the job and equals a clean build.
    result = run_build(root, state=state)
    assert result.ok and result.mode == "update"
    assert len(result.written) > 3
    assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean")


def test_no_temporary_file_ever_appears_inside_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, state = updates(tmp_path, lambda r: (retitle(r), repaint(r)))
    output = root / "output"
    before = tree(output)
    seen: list[tuple[str, set[str]]] = []  # (the call, the names in output/ at that moment)
    real_open, real_replace = os.open, os.replace

    def names() -> set[str]:
        return {p.relative_to(output).as_posix() for p in output.rglob("*")}

    def watching_open(path: object, flags: int, *args: object, **kw: object) -> int:
        if flags & os.O_CREAT and str(path).startswith(str(root / ".output.update-")):
            assert tree(output) == before, "output/ changed while the update was being prepared"
            seen.append(("open", names()))
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    def watching_replace(source: object, target: object) -> None:
        if str(target).startswith(str(output) + os.sep):
            assert ".output.update-" in str(source)
            seen.append(("replace", names()))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", watching_open)
    monkeypatch.setattr(os, "replace", watching_replace)
    result = run_build(root, state=state)
    monkeypatch.undo()
    assert result.ok and result.mode == "update"
    replaced = [call for call, _ in seen if call == "replace"]
    assert len(replaced) == len(result.written) > 5
    assert [call for call, _ in seen[: -len(replaced)]] == ["open"] * (len(seen) - len(replaced))
    allowed = set(before) | names()  # every name is the old site's or the new site's
    for call, listing in seen:
        assert listing <= allowed, (call, sorted(listing - allowed))
    assert not [p for p in root.iterdir() if ".update-" in p.name]


def test_an_update_writes_files_like_a_clean_build(tmp_path: Path) -> None:
    """Same permissions as the staging folder's files, new folders made only when moving in."""
    output = tmp_path / "out"
    output.mkdir()
    (output / MARKER).write_text("built")
    (output / "old.html").write_text("old")
    writer = InPlace(output)
    writer.write("deep/er/page.html", "new")
    assert not (output / "deep").exists()
    assert writer.written("deep/er/page.html").read_text() == "new"
    assert writer.written("deep/er/page.html").parent.parent == tmp_path
    writer.delete("old.html")
    assert (output / "old.html").is_file()
    writer.commit()
    assert (output / "deep/er/page.html").read_text() == "new"
    assert (output / "deep/er/page.html").stat().st_mode & 0o777 == 0o644 & ~_umask()
    assert not (output / "old.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    "output_path", ["../escape.html", "/etc/passwd", "a/../../escape.html", "link/x.html"]
)
def test_an_update_refuses_paths_outside_the_output(tmp_path: Path, output_path: str) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (output / "link").symlink_to(tmp_path / "elsewhere")
    writer = InPlace(output)
    writer.write("fine.html", "fine")
    with pytest.raises(OutputRefused, match="outside the output folder"):
        writer.write(output_path, "bad")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "out"]  # folder removed
    assert sorted(p.name for p in output.iterdir()) == ["link"]


def test_dropping_an_uncommitted_update_removes_its_folder(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    writer = InPlace(output)
    writer.write("a.html", "a")
    assert writer.folder is not None and writer.folder.is_dir()
    del writer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(output.iterdir()) == []


def test_a_killed_update_leaves_the_output_as_it_was_and_the_next_build_cleans_up(
    tmp_path: Path,
) -> None:
    """A real process killed (os._exit: no cleanup runs) when its files are all prepared."""
    root, state = updates(tmp_path, retitle)
    state.save(root)
    before = tree(root / "output")
    killer = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        real_replace = os.replace
        def killed(source, target):
            if ".output.update-" in str(source):
                os._exit(9)
            real_replace(source, target)
        os.replace = killed
        from generator.cli import main
        main(["build", "--root", {str(root)!r}, "--now", "2026-11-22"])
        """
    )
    done = subprocess.run([sys.executable, "-c", killer], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    leftovers = [p for p in root.iterdir() if p.name.startswith(".output.update-")]
    assert len(leftovers) == 1 and (leftovers[0] / MARKER).is_file()
    assert len(list(leftovers[0].iterdir())) > 3
    assert tree(root / "output") == before
    result = run_build(root, state=BuildState.load(root))
    assert result.ok
    assert not [p for p in root.iterdir() if ".update-" in p.name]
    clean = run_build(root, output=tmp_path / "clean", state=BuildState())
    assert clean.ok and tree(root / "output") == tree(tmp_path / "clean")


def test_leftover_update_folders_are_removed_only_when_they_are_brandsites(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    killed = tmp_path / ".out.update-k1ll3d"
    killed.mkdir()
    (killed / MARKER).write_text("an update")
    (killed / "0").write_text("half an update")
    empty = tmp_path / ".out.update-empty"  # killed between making the folder and the marker
    empty.mkdir()
    foreign = tmp_path / ".out.update-yours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep me")
    assert remove_leftovers(output) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.update-yours", "out"]
