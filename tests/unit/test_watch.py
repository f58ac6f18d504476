"""The watcher: which paths matter, how bursts of events become batches, and real editor saves."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.preview.watch import (
    Change,
    ChangeBatcher,
    ProjectWatcher,
    is_temporary,
    watched_source,
)

ROOT = Path("/project")


@pytest.mark.parametrize(
    ("name", "temporary"),
    [
        ("anna.md", False),
        ("style.css", False),
        ("2024.md", False),
        ("404", False),
        ("4913", True),  # vim's probe
        ("5036", True),  # vim's next probe when 4913 exists
        ("anna.md~", True),
        (".anna.md.swp", True),
        (".anna.md.swx", True),
        ("anna.md.kate-swp", True),
        ("#anna.md#", True),
        ("anna.md___jb_tmp___", True),
        ("anna.md___jb_old___", True),
        ("anna.md.tmp", True),
        ("style.css.crswap", True),
        ("~$report.docx", True),
    ],
)
def test_is_temporary(name: str, temporary: bool) -> None:
    assert is_temporary(name) is temporary


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("site.toml", "site.toml"),
        ("content/stories/anna.md", "content/stories/anna.md"),
        ("content/stories/images/anna.jpg", "content/stories/images/anna.jpg"),
        ("themes/default/templates/base.html", "themes/default/templates/base.html"),
        ("content", "content"),
        ("themes/brand", "themes/brand"),
        ("content/stories/.#anna.md", None),  # emacs lock file
        ("content/stories/.anna.md.swp", None),
        ("content/stories/anna.md~", None),
        ("content/stories/4913", None),
        ("themes/default/.git/index", None),
        ("output/index.html", None),
        (".brandsite-cache/preview/index.html", None),
        (".output.staging-123/index.html", None),
        (".brandsite-cache/.preview.staging-7/index.html", None),
        ("README.md", None),
        ("other.toml", None),
        ("sub/site.toml", None),
    ],
)
def test_watched_source(path: str, source: str | None) -> None:
    assert watched_source(ROOT / path, ROOT) == source


def test_watched_source_outside_the_project() -> None:
    assert watched_source(Path("/elsewhere/content/a.md"), ROOT) is None
    assert watched_source(ROOT, ROOT) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


A, B, TMP = ROOT / "content/a.md", ROOT / "content/b.md", ROOT / "content/a.md.x9Yz"


@pytest.mark.parametrize(
    ("events", "ready_in"),
    [
        # A completed write settles after the short period, anything else after the quiet one.
        ([(A, Change.WRITTEN)], 0.005),
        ([(A, Change.CREATED), (A, Change.WRITING), (A, Change.WRITTEN)], 0.005),
        ([(A, Change.WRITING)], 0.050),
        ([(A, Change.CREATED)], 0.050),
        ([(A, Change.GONE)], 0.050),  # an editor may put the new file there a moment later
        ([(A, Change.WRITTEN), (B, Change.WRITING)], 0.050),
        # vim: rename a.md away to a backup, write a new a.md
        ([(A, Change.GONE), (A, Change.CREATED), (A, Change.WRITTEN)], 0.005),
        # a temporary file with a name no pattern knows, renamed over a.md: it came and went
        (
            [(TMP, Change.CREATED), (TMP, Change.WRITTEN), (TMP, Change.GONE), (A, Change.WRITTEN)],
            0.005,
        ),
    ],
)
def test_batch_settles_sooner_when_every_write_is_complete(
    events: list[tuple[Path, Change]], ready_in: float
) -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(quiet=0.050, settle=0.005, longest=1.0, clock=clock)
    for path, change in events:
        batcher.note(path, change)
    assert batcher.ready_in(clock.now) == pytest.approx(ready_in)


def test_batch_is_built_after_longest_even_while_events_keep_coming() -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(quiet=0.050, settle=0.005, longest=1.0, clock=clock)
    for _ in range(100):
        batcher.note(A, Change.WRITING)
        clock.now += 0.02
    assert batcher.ready_in(clock.now) <= 0


def test_wait_returns_one_batch_per_burst_without_temporaries() -> None:
    batcher = ChangeBatcher(quiet=0.05, settle=0.01)
    for path, change in [
        (TMP, Change.CREATED),
        (TMP, Change.WRITTEN),
        (TMP, Change.GONE),
        (A, Change.WRITTEN),
        (B, Change.GONE),
    ]:
        batcher.note(path, change)
    started = time.monotonic()
    assert batcher.wait() == [A, B]
    assert 0.04 <= time.monotonic() - started < 1.0


def test_a_batch_of_nothing_but_temporaries_is_no_batch() -> None:
    batcher = ChangeBatcher(quiet=0.02, settle=0.005)
    batcher.note(TMP, Change.CREATED)
    batcher.note(TMP, Change.GONE)
    threading.Timer(0.1, batcher.note, (A, Change.WRITTEN)).start()
    assert batcher.wait() == [A]


def test_close_wakes_the_waiting_loop() -> None:
    batcher = ChangeBatcher()
    threading.Timer(0.05, batcher.close).start()
    assert batcher.wait() is None


# Real file-system events, through watchdog.


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, ChangeBatcher]]:
    root = tmp_path / "project"
    (root / "content/stories").mkdir(parents=True)
    (root / "themes/default/static").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\n')
    (root / "content/stories/anna.md").write_text("old\n")
    (root / "themes/default/static/style.css").write_text("a {}\n")
    batcher = ChangeBatcher(quiet=0.05, settle=0.01)
    watcher = ProjectWatcher(root, batcher)
    watcher.start()
    time.sleep(0.05)
    try:
        yield root, batcher
    finally:
        watcher.stop()
        batcher.close()


def next_batch(root: Path, batcher: ChangeBatcher, timeout: float = 5.0) -> list[str]:
    """The next batch, as paths relative to the project."""
    found: list[list[Path] | None] = []
    thread = threading.Thread(target=lambda: found.append(batcher.wait()))
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        batcher.close()
        thread.join()
        pytest.fail("no batch arrived")
    return sorted(path.relative_to(root).as_posix() for path in found[0] or [])


def no_batch(batcher: ChangeBatcher, wait: float = 0.3) -> bool:
    """True when nothing arrives within ``wait`` seconds."""
    timer = threading.Timer(wait, batcher.close)
    timer.start()
    try:
        return batcher.wait() is None
    finally:
        timer.cancel()


def test_save_in_place(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    (root / "content/stories/anna.md").write_text("new\n")
    assert next_batch(root, batcher) == ["content/stories/anna.md"]


def test_atomic_save_by_rename(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    story = root / "content/stories/anna.md"
    temporary = story.with_name("anna.md.x7Qz")  # QSaveFile-style: no pattern knows this name
    temporary.write_text("new\n")
    os.replace(temporary, story)
    assert next_batch(root, batcher) == ["content/stories/anna.md"]


def test_vim_save_with_probe_and_backup(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    folder = root / "content/stories"
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    (folder / ".anna.md.swp").write_bytes(b"\0swap")
    os.rename(folder / "anna.md", folder / "anna.md~")
    (folder / "anna.md").write_text("new\n")
    (folder / "anna.md~").unlink()
    assert next_batch(root, batcher) == ["content/stories/anna.md"]


def test_site_toml_saved_by_rename(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    (root / "site.toml.tmp").write_text('title = "U"\n')
    os.replace(root / "site.toml.tmp", root / "site.toml")
    assert next_batch(root, batcher) == ["site.toml"]


def test_delete_and_rename(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    (root / "content/stories/anna.md").rename(root / "content/stories/anna-renamed.md")
    assert next_batch(root, batcher) == [
        "content/stories/anna-renamed.md",
        "content/stories/anna.md",
    ]
    (root / "content/stories/anna-renamed.md").unlink()
    assert next_batch(root, batcher) == ["content/stories/anna-renamed.md"]


def test_new_folder_with_files(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    (root / "content/stories/images/2026").mkdir(parents=True)
    (root / "content/stories/images/2026/anna.jpg").write_bytes(b"jpeg")
    assert "content/stories/images/2026/anna.jpg" in next_batch(root, batcher)
    # the new folder is watched too
    (root / "content/stories/images/2026/anna.jpg").write_bytes(b"jpeg2")
    assert next_batch(root, batcher) == ["content/stories/images/2026/anna.jpg"]


def test_folder_created_in_one_go_is_seen_whole(
    watched: tuple[Path, ChangeBatcher], tmp_path: Path
) -> None:
    root, batcher = watched
    outside = tmp_path / "new-theme"
    (outside / "templates").mkdir(parents=True)
    (outside / "templates/base.html").write_text("<html></html>")
    shutil.move(outside, root / "themes/brand")
    batch = next_batch(root, batcher)
    assert "themes/brand/templates/base.html" in batch


def test_content_folder_deleted_and_recreated(watched: tuple[Path, ChangeBatcher]) -> None:
    root, batcher = watched
    shutil.rmtree(root / "content")
    assert "content" in next_batch(root, batcher)
    (root / "content/stories").mkdir(parents=True)
    (root / "content/stories/kofi.md").write_text("new\n")
    assert "content/stories/kofi.md" in next_batch(root, batcher)
    (root / "content/stories/kofi.md").write_text("newer\n")
    assert next_batch(root, batcher) == ["content/stories/kofi.md"]


def test_what_brandsite_writes_and_reads_is_not_a_change(
    watched: tuple[Path, ChangeBatcher],
) -> None:
    root, batcher = watched
    for folder in ("output", ".brandsite-cache/preview", ".output.staging-1"):
        (root / folder).mkdir(parents=True)
        (root / folder / "index.html").write_text("built")
    (root / "content/stories/anna.md").read_text()  # builds read content: not a change
    (root / "content/stories/.#anna.md").write_text("lock")
    assert no_batch(batcher)
