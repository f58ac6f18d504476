"""One engine: build, check and a serve session agree after every kind of edit, and a rebuild
plans only the pages a change touches (none when nothing changed)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_incremental import EDITS, edit, project, tree

from conftest import NOW, TODAY, run_build, story
from generator.engine import outputs
from generator.engine.build import check_project
from generator.engine.incremental import BuildState
from generator.engine.outputs import render_site
from generator.engine.records import BuildOptions
from generator.engine.session import IncrementalBuilder


def _stamps(root: Path) -> dict[Path, tuple[int, int]]:
    """Every project file but the output and the cache, by (mtime, size)."""
    return {
        path: (path.stat().st_mtime_ns, path.stat().st_size)
        for path in root.rglob("*")
        if path.is_file() and not {"output", ".brandsite-cache"} & set(path.relative_to(root).parts)
    }


def _changed(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> list[Path]:
    """What a file watcher would report: new, removed and modified files."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def test_every_edit_through_a_serve_session_equals_a_clean_build(tmp_path: Path) -> None:
    root = project(tmp_path)
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    session = IncrementalBuilder(options, BuildState())
    assert session.build().ok
    for name, apply in EDITS.items():
        before = _stamps(root)
        apply(root)
        result = session.build(_changed(before, _stamps(root)))
        assert result.ok, (name, result.diagnostics)
        assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
        assert tree(root / "output") == tree(tmp_path / "clean"), f"after edit: {name}"
        shutil.rmtree(tmp_path / "clean")


def test_check_renders_exactly_what_the_build_writes_after_every_edit(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState()
    assert run_build(root, state=state).ok
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    for name, apply in ["no edit", lambda r: None], *EDITS.items():
        apply(root)
        built = run_build(root, state=state)
        assert built.ok, (name, built.diagnostics)
        checked, result = check_project(options, BuildState())
        assert checked is not None, (name, result.diagnostics)
        rendered = dict(render_site(root, checked, result))
        assert rendered, name
        for path, content in rendered.items():
            assert (root / "output" / path).read_text() == content, f"{path} after edit: {name}"
        assert [d.code for d in result.diagnostics] == [d.code for d in built.diagnostics], name


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Output paths of the pages the engine made a template context for."""
    seen: list[str] = []
    real = outputs.page_context

    def counted(route: Any, *args: Any) -> Any:
        seen.append(route.output_path)
        return real(route, *args)

    monkeypatch.setattr(outputs, "page_context", counted)
    return seen


def _site(tmp_path: Path) -> Path:
    root = project(tmp_path)
    for i in range(7, 40):
        (root / f"content/stories/s{i}.md").write_text(
            story(
                title=f"Story {i}",
                date=f"2025-0{1 + i % 8}-1{i % 9}",
                body="First paragraph of the story.\n\nA second paragraph.",
            )
        )
    return root


@pytest.mark.parametrize("persisted", [False, True], ids=["in-memory", "on-disk"])
def test_a_no_change_rebuild_plans_no_page(
    tmp_path: Path, planned: list[str], persisted: bool
) -> None:
    root = _site(tmp_path)
    state = BuildState.load(root) if persisted else BuildState()
    first = run_build(root, state=state)
    assert first.ok and len(planned) == first.pages
    if persisted:
        state.save(root)
        state = BuildState.load(root)
    planned.clear()
    again = run_build(root, state=state)
    assert again.ok and again.mode == "" and planned == []


def test_an_edit_plans_only_the_pages_that_show_or_read_the_story(
    tmp_path: Path, planned: list[str]
) -> None:
    root = _site(tmp_path)
    state = BuildState()
    full = run_build(root, state=state)
    pages = full.pages
    planned.clear()
    # The body only: the pages that read it (its own page).
    edit(root / "content/stories/s30.md", "A second paragraph", "A second paragraph, edited")
    assert run_build(root, state=state).ok
    assert planned == ["stories/s30/index.html"]
    planned.clear()
    # What listings show (the summary): the pages that show the story as a card.
    edit(root / "content/stories/s30.md", "First paragraph", "A new first paragraph")
    result = run_build(root, state=state)
    assert result.ok and "stories/s30/index.html" in planned
    assert "stories/s0/index.html" not in planned and len(planned) < pages / 3
    assert set(result.written) <= set(planned) | {"feed.xml", "sitemap.xml"} | {
        p for p in result.written if p.endswith("feed.xml")
    }
    planned.clear()
    # A new date reorders the listings: the site's shape changed, every page is planned.
    edit(root / "content/stories/s30.md", "date: 2025-0", "date: 2026-0")
    assert run_build(root, state=state).ok and len(planned) == pages
    assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean")


def test_a_hand_edited_page_is_repaired_by_a_no_change_rebuild(
    tmp_path: Path, planned: list[str]
) -> None:
    root = _site(tmp_path)
    state = BuildState()
    assert run_build(root, state=state).ok
    page = root / "output/stories/s3/index.html"
    original = page.read_bytes()
    page.write_text("defaced")
    planned.clear()
    result = run_build(root, state=state)
    assert result.written == ["stories/s3/index.html"] and planned == ["stories/s3/index.html"]
    assert page.read_bytes() == original
