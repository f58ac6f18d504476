"""Incremental and cached builds equal clean builds byte for byte, after any sequence of edits."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from conftest import run_build, story, write_site
from generator.engine.cache import BUILD_CACHE_DIR
from generator.engine.incremental import BuildState


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def project(tmp_path: Path) -> Path:
    files = {
        f"content/stories/s{i}.md": story(
            title=f"Story {i}",
            date=f"2026-0{1 + i % 8}-1{i % 9}",
            values="craft" if i % 2 else "care, craft",
        )
        for i in range(7)
    }
    root = write_site(tmp_path / "p", files)
    (root / "content/stories/images").mkdir()
    Image.new("RGB", (30, 20), "blue").save(root / "content/stories/images/pic.png")
    text = (root / "content/stories/s1.md").read_text()
    (root / "content/stories/s1.md").write_text(
        text.replace("---\nFirst", "image: images/pic.png\nimage_alt: Blue\n---\nFirst")
    )
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


EDITS: dict[str, Callable[[Path], None]] = {
    "story body": lambda r: edit(
        r / "content/stories/s3.md", "First paragraph", "A new first paragraph"
    ),
    "story date reorders": lambda r: edit(
        r / "content/stories/s0.md", "date: 2026-01-10", "date: 2026-11-01"
    ),
    "story values": lambda r: edit(
        r / "content/stories/s2.md", "values: [care, craft]", "values: [care]"
    ),
    "new story": lambda r: (r / "content/stories/new.md").write_text(
        story(title="New", date="2026-10-01")
    ),
    "deleted story": lambda r: (r / "content/stories/s4.md").unlink(),
    "renamed story": lambda r: (r / "content/stories/s5.md").rename(
        r / "content/stories/renamed.md"
    ),
    "value text": lambda r: edit(
        r / "content/values/care.md", "We practise", "Every day we practise"
    ),
    "value title": lambda r: edit(
        r / "content/values/craft.md", "title: Craft", "title: Craftsmanship"
    ),
    "template": lambda r: edit(
        r / "themes/default/templates/story.html",
        "{% block content %}",
        "{% block content %}<p>template edit</p>",
    ),
    "css": lambda r: (r / "themes/default/static/style.css").write_text("body{color:red}\n"),
    "setting": lambda r: edit(
        r / "site.toml", 'title = "Careers at Testco"', 'title = "Jobs at Testco"'
    ),
    "image": lambda r: Image.new("RGB", (40, 10), "red").save(r / "content/stories/images/pic.png"),
    "draft": lambda r: edit(r / "content/stories/s6.md", "---\nFirst", "draft: true\n---\nFirst"),
}


@pytest.mark.parametrize("persisted", [False, True], ids=["in-memory", "on-disk"])
def test_every_edit_incremental_equals_clean(tmp_path: Path, persisted: bool) -> None:
    root = project(tmp_path)
    state = BuildState.load(root) if persisted else BuildState()
    first = run_build(root, state=state)
    assert first.ok and first.mode == "full"
    assert run_build(root, state=state).mode == "", "a no-change build writes nothing"
    for name, apply in EDITS.items():
        apply(root)
        if persisted:
            state.save(root)
            state = BuildState.load(root)
        result = run_build(root, state=state)
        assert result.ok, (name, result.diagnostics)
        clean = run_build(root, output=tmp_path / "clean", state=BuildState())
        assert clean.ok
        assert tree(root / "output") == tree(tmp_path / "clean"), f"after edit: {name}"
        shutil.rmtree(tmp_path / "clean")


def test_a_story_edit_touches_only_its_dependents(tmp_path: Path) -> None:
    root = project(tmp_path)
    for i in range(7, 40):
        (root / f"content/stories/s{i}.md").write_text(
            story(title=f"Story {i}", date=f"2025-0{1 + i % 8}-1{i % 9}")
        )
    state = BuildState()
    run_build(root, state=state)
    edit(root / "content/stories/s3.md", "First paragraph", "Changed")
    result = run_build(root, state=state)
    assert result.mode == "update"
    assert "stories/s3/index.html" in result.written
    assert "values/index.html" not in result.written
    assert "stories/s0/index.html" not in result.written
    assert len(result.written) < result.files / 3


def test_hand_edited_output_is_repaired(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState()
    run_build(root, state=state)
    page = root / "output/stories/s3/index.html"
    original = page.read_bytes()
    page.write_text("defaced")
    (root / "output/stories/s2/index.html").unlink()
    result = run_build(root, state=state)
    assert sorted(result.written) == ["stories/s2/index.html", "stories/s3/index.html"]
    assert page.read_bytes() == original


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip"])
def test_a_corrupt_cache_is_ignored(tmp_path: Path, damage: str) -> None:
    root = project(tmp_path)
    state = BuildState.load(root)
    run_build(root, state=state)
    state.save(root)
    cache_file = root / BUILD_CACHE_DIR / "parsed.pickle"
    data = cache_file.read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],
        "garbage": b"\x00" * 100,
        "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
    }[damage]
    cache_file.write_bytes(damaged)
    (root / BUILD_CACHE_DIR / "html.sqlite").write_bytes(b"not a database")
    edit(root / "content/stories/s3.md", "First paragraph", "After damage")
    state = BuildState.load(root)
    assert state.parsed == {}
    result = run_build(root, state=state)
    assert result.ok and result.mode == "full"
    clean = run_build(root, output=tmp_path / "clean", state=BuildState())
    assert clean.ok and tree(root / "output") == tree(tmp_path / "clean")


def test_parallel_equals_sequential(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_build(root, output=tmp_path / "one", jobs=1, state=BuildState())
    run_build(root, output=tmp_path / "two", jobs=2, state=BuildState())
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_cached_markdown_is_reused(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState.load(root)
    run_build(root, state=state)
    state.save(root)
    state = BuildState.load(root)
    run_build(root, output=tmp_path / "other", state=state)
    assert state.html.get  # the store answers from disk
    hits = sum(1 for _ in (root / BUILD_CACHE_DIR).glob("html.sqlite"))
    assert hits == 1


def test_bodies_are_read_again_when_only_the_html_store_is_lost(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState.load(root)
    run_build(root, state=state)
    state.save(root)
    (root / BUILD_CACHE_DIR / "html.sqlite").unlink()
    state = BuildState.load(root)
    assert all(p.entry is None or p.entry.body_markdown is None for p in state.parsed.values())
    run_build(root, output=tmp_path / "again", state=state)
    run_build(root, output=tmp_path / "clean", state=BuildState())
    assert tree(tmp_path / "again") == tree(tmp_path / "clean")


def test_a_body_edit_rewrites_only_pages_that_show_the_body(tmp_path: Path) -> None:
    root = project(tmp_path)
    body = "First paragraph of the story.\n\nA second paragraph."
    for i in range(7, 40):
        (root / f"content/stories/s{i}.md").write_text(
            story(title=f"Story {i}", date=f"2025-0{1 + i % 8}-1{i % 9}", body=body)
        )
    state = BuildState()
    run_build(root, state=state)
    edit(root / "content/stories/s20.md", "A second paragraph.", "A changed second paragraph.")
    result = run_build(root, state=state)
    assert result.mode == "update"
    assert "stories/s20/index.html" in result.written
    listings = [
        p
        for p in result.written
        if p.startswith(("stories/index", "stories/page", "values/")) and p.endswith(".html")
    ]
    assert listings == [], "the summary did not change, so no listing shows the edit"
    clean = run_build(root, output=tmp_path / "clean", state=BuildState())
    assert clean.ok and tree(root / "output") == tree(tmp_path / "clean")


def test_a_template_that_shows_bodies_in_listings_is_followed(tmp_path: Path) -> None:
    root = project(tmp_path)
    listing = root / "themes/default/templates/stories.html"
    edit(
        listing,
        "{% block content %}",
        "{% block content %}{% for s in stories %}{{ s.body_html }}{% endfor %}",
    )
    state = BuildState()
    run_build(root, state=state)
    edit(
        root / "content/stories/s3.md",
        "First paragraph of the story.",
        "First paragraph of the story.\n\nNew words only the body has.",
    )
    result = run_build(root, state=state)
    changed_listings = [
        p for p in result.written if p.startswith(("stories/index", "stories/page"))
    ]
    assert changed_listings, "listings that print bodies depend on them"
    assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean")


def quick_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Any, list[int]]:
    """A built session over ``project`` plus 23 stories, and a count of its full builds."""
    from conftest import NOW, TODAY
    from generator.engine import session as session_module
    from generator.engine.records import BuildOptions
    from generator.engine.session import IncrementalBuilder

    root = project(tmp_path)
    body = "First paragraph of the story.\n\nA second paragraph."
    for i in range(7, 30):
        (root / f"content/stories/s{i}.md").write_text(
            story(title=f"Story {i}", date="2025-05-05", body=body)
        )
    full_builds = [0]
    full_build = session_module.build

    def counted(*args: Any, **kwargs: Any) -> Any:
        full_builds[0] += 1
        return full_build(*args, **kwargs)

    monkeypatch.setattr(session_module, "build", counted)
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    session = IncrementalBuilder(options, BuildState())
    assert session.build().ok
    return root, session, full_builds


def test_session_text_edits_take_the_quick_path_and_equal_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, session, full_builds = quick_session(tmp_path, monkeypatch)
    edits = [
        ("s20", "A second paragraph.", "A second paragraph, longer now.", True),  # text only: quick
        ("s21", "title: Story 21", "title: Story twenty-one", False),  # front matter: full
        ("s22", "First paragraph of the story.", "A new opening.", False),  # summary changes: full
        ("s20", "longer now.", "longer now.\n\n![pic](images/pic.png)", False),  # new picture: full
    ]
    for name, old, new, quick in edits:
        path = root / f"content/stories/{name}.md"
        edit(path, old, new)
        before = full_builds[0]
        result = session.build([path])
        assert result.ok, result.diagnostics
        assert full_builds[0] == before + (0 if quick else 1), f"quick path for {name}: {quick}"
        if quick:
            assert result.mode == "update" and 0 < len(result.written) <= 4, result.written
        assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
        assert tree(root / "output") == tree(tmp_path / "clean"), f"after {name}: {new}"
        shutil.rmtree(tmp_path / "clean")
    unmentioned = root / "content/stories/s23.md"
    edit(unmentioned, "A second paragraph.", "Changed behind the watcher's back.")
    result = session.build([root / "content/stories/s20.md"])  # the watcher names another file
    assert "stories/s23/index.html" in result.written, "stamps, not the hint, decide"


def test_a_template_change_the_watcher_missed_is_not_served_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick path reuses the last build's templates only while no theme file moved."""
    root, session, full_builds = quick_session(tmp_path, monkeypatch)
    edit(
        root / "themes/default/templates/story.html",
        "{% block content %}",
        "{% block content %}<p>a template edit nobody reported</p>",
    )
    path = root / "content/stories/s20.md"
    edit(path, "A second paragraph.", "A second paragraph, edited after the template.")
    result = session.build([path])  # the watcher reports the story only
    assert result.ok, result.diagnostics
    assert full_builds[0] == 2, "the theme moved: the full path"
    page = (root / "output/stories/s20/index.html").read_text()
    assert "a template edit nobody reported" in page
    assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean")
    # With the theme settled again, the next text edit is quick once more.
    edit(path, "edited after the template.", "edited once more.")
    assert session.build([path]).ok and full_builds[0] == 2
    assert run_build(root, output=tmp_path / "clean2", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean2")


def test_a_named_edit_is_written_first_and_an_unnamed_one_still_builds_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick path writes the named story's page, then every stamp is checked: another story
    changed behind the watcher's back sends the same rebuild on through the full path."""
    root, session, full_builds = quick_session(tmp_path, monkeypatch)
    named, unnamed = root / "content/stories/s24.md", root / "content/stories/s25.md"
    edit(named, "A second paragraph.", "A second paragraph, reported.")
    edit(unnamed, "A second paragraph.", "A second paragraph, not reported.")
    result = session.build([named])
    assert result.ok, result.diagnostics
    assert full_builds[0] == 2, "an unreported change: the full path after the quick one"
    assert {"stories/s24/index.html", "stories/s25/index.html"} <= set(result.written)
    assert run_build(root, output=tmp_path / "clean", state=BuildState()).ok
    assert tree(root / "output") == tree(tmp_path / "clean")
    edit(named, "reported.", "reported twice.")  # alone again: quick only
    result = session.build([named])
    assert result.ok and full_builds[0] == 2 and result.written
