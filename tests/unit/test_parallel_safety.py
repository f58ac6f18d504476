"""Parallel rendering is safe from any thread, and a failing Markdown cache is only a warning."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_incremental import edit, project, tree

from conftest import run_build
from generator.engine import cache, parallel
from generator.engine.cache import BUILD_CACHE_DIR
from generator.engine.incremental import BuildState
from generator.engine.records import BuildResult

HTML_DB = f"{BUILD_CACHE_DIR}/html.sqlite"


def filled_cache(tmp_path: Path) -> Path:
    """A project whose last build filled .brandsite-cache/html.sqlite (and closed it)."""
    root = project(tmp_path)
    state = BuildState.load(root)
    assert run_build(root, state=state).ok
    state.save(root)
    state.html.close()
    return root


def clean_tree(root: Path, tmp_path: Path) -> dict[str, str]:
    clean = run_build(root, output=tmp_path / "clean", state=BuildState())
    assert clean.ok and not clean.diagnostics, clean.diagnostics
    return tree(tmp_path / "clean")


def in_thread(target: object) -> None:
    """Run ``target`` on a new thread and re-raise what it raised."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            target()  # type: ignore[operator]
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name="rebuild")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the build hung"
    if failure:
        raise failure[0]


def test_a_parallel_build_from_a_thread_beside_an_open_connection_equals_a_clean_one(
    tmp_path: Path,
) -> None:
    """What ``serve`` does: the first build on the main thread, a rebuild on another thread,
    with other threads running and SQLite connections open in this process."""
    root = project(tmp_path)
    state = BuildState.load(root)
    assert run_build(root, state=state, jobs=2).ok  # opens the store's connection here
    holder = sqlite3.connect(root / HTML_DB, check_same_thread=False)
    holder.execute("BEGIN")
    assert holder.execute("SELECT count(*) FROM html").fetchone()[0] > 0  # holds a read lock
    edit(
        root / "themes/default/templates/story.html",
        "{% block content %}",
        "{% block content %}<p>new</p>",
    )
    edit(root / "content/stories/s3.md", "First paragraph", "A paragraph written during serve")
    seen: dict[str, object] = {}

    def rebuild() -> None:
        seen["method"] = parallel.start_method()
        seen["result"] = run_build(root, state=state, jobs=2)

    try:
        in_thread(rebuild)
    finally:
        holder.rollback()
        holder.close()
    assert seen["method"] == "forkserver", "with other threads running, workers are not forked"
    result = seen["result"]
    assert isinstance(result, BuildResult)
    assert result.ok and result.mode == "full" and not result.diagnostics, result.diagnostics
    assert "<p>new</p>" in (root / "output/stories/s3/index.html").read_text()
    assert tree(root / "output") == clean_tree(root, tmp_path)


def test_a_single_threaded_build_forks() -> None:
    # A fresh interpreter: threads other tests left running in this one would change the answer.
    code = "from generator.engine import parallel; print(parallel.start_method())"
    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip() == "fork"


def test_a_worker_that_raises_reports_its_traceback_from_a_thread() -> None:
    def run() -> None:
        with pytest.raises(parallel.WorkerFailed, match="ZeroDivisionError"):
            parallel.run_chunks(_divide, 1, [[1], [0]])

    in_thread(run)


def _divide(numerator: int, chunk: list[int]) -> list[float]:
    return [numerator / item for item in chunk]


def _lock(root: Path) -> sqlite3.Connection:
    """Another program in the middle of writing to the database (nobody else can write)."""
    holder = sqlite3.connect(root / HTML_DB)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT OR REPLACE INTO html VALUES ('held', 'held')")
    return holder


def _damage(root: Path) -> None:
    """Garbage over every page after the first (the schema survives, the rows do not)."""
    path = root / HTML_DB
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > page, "the cache has more than its first page"
    path.write_bytes(data[:page] + b"\xa5" * (len(data) - page))


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("failure", ["locked", "damaged"])
def test_a_failing_cache_is_a_warning_and_the_pages_are_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str, jobs: int
) -> None:
    root = filled_cache(tmp_path)
    monkeypatch.setattr(cache, "BUSY_SECONDS", 0.05)
    holder = _lock(root) if failure == "locked" else None
    if failure == "damaged":
        _damage(root)
    # New settings for the converter: every body is looked up (and converted) again.
    edit(
        root / "site.toml",
        'base_url = "https://careers.test.example/"',
        'base_url = "https://jobs.test.example/"',
    )
    try:
        result = run_build(root, state=BuildState.load(root), jobs=jobs)
    finally:
        if holder is not None:
            holder.close()
    assert result.ok, result.diagnostics
    assert [(d.severity, d.code, d.source, d.line) for d in result.diagnostics] == [
        ("warning", "cache-unavailable", HTML_DB, 0)
    ]
    message = result.diagnostics[0].message
    reason = "database is locked" if failure == "locked" else "malformed"
    assert reason in message and "the build went on without it" in message, message
    assert tree(root / "output") == clean_tree(root, tmp_path)


def test_a_file_that_is_not_a_database_is_replaced_silently(tmp_path: Path) -> None:
    root = filled_cache(tmp_path)
    (root / HTML_DB).write_bytes(b"not a database" * 100)
    edit(root / "content/stories/s3.md", "First paragraph", "After damage")
    result = run_build(root, state=BuildState.load(root), jobs=2)
    assert result.ok and not result.diagnostics, result.diagnostics
    assert sqlite3.connect(root / HTML_DB).execute("SELECT count(*) FROM html").fetchone()[0] > 0
    assert tree(root / "output") == clean_tree(root, tmp_path)
