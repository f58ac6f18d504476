"""Compiled templates kept between builds (engine/template_cache.py): signed, one per template."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from conftest import run_build, story, write_site
from generator.engine.incremental import BuildState
from generator.engine.template_cache import TEMPLATE_CACHE_DIR

UNDEFINED = (
    "{% extends 'base.html' %}\n{% block content %}\n{{ story.nonsense.deeper }}\n{% endblock %}"
)


def _site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "p",
        {"content/stories/a.md": story(title="Alpha"), "content/stories/b.md": story(title="B")},
    )


def _counting_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile_and_count(
        self: jinja2.Environment, source: object, name: object = None, *a: object, **k: object
    ) -> object:
        compiled.append(str(name))
        return real(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_and_count)
    return compiled


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_next_build_loads_compiled_templates_instead_of_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    compiled = _counting_compiles(monkeypatch)
    assert run_build(root, state=BuildState.load(root)).ok
    first = sorted(compiled)
    assert "story.html" in first and "base.html" in first
    entries = sorted((root / TEMPLATE_CACHE_DIR).iterdir())
    assert len(entries) == len(set(first))  # one entry per template
    compiled.clear()
    (root / "content/stories/a.md").write_text(story(title="Alpha, edited"), encoding="utf-8")
    assert run_build(root, state=BuildState.load(root)).ok
    assert compiled == []
    clean = tmp_path / "clean"
    assert run_build(root, output=clean).ok  # no cache at all
    assert _tree(root / "output") == _tree(clean)


def test_an_edited_template_is_compiled_again_and_replaces_its_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    assert run_build(root, state=BuildState.load(root)).ok
    before = sorted(p.name for p in (root / TEMPLATE_CACHE_DIR).iterdir())
    compiled = _counting_compiles(monkeypatch)
    page = root / "themes/default/templates/story.html"
    page.write_text(page.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert run_build(root, state=BuildState.load(root)).ok
    assert compiled == ["story.html"]
    after = sorted(p.name for p in (root / TEMPLATE_CACHE_DIR).iterdir())
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    clean = tmp_path / "clean"
    assert run_build(root, output=clean).ok
    assert _tree(root / "output") == _tree(clean)


@pytest.mark.parametrize("damage", ["garbage", "other key", "truncated"])
def test_entries_not_made_here_or_damaged_are_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    root = _site(tmp_path)
    assert run_build(root, state=BuildState.load(root)).ok
    for entry in (root / TEMPLATE_CACHE_DIR).iterdir():
        raw = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(b"\x00" * 200)
        elif damage == "other key":  # a planted entry: right shape, signature made elsewhere
            entry.write_bytes(b"f" * 64 + raw[64:])
        else:
            entry.write_bytes(raw[: len(raw) // 2])
    compiled = _counting_compiles(monkeypatch)
    (root / "content/stories/a.md").write_text(story(title="Alpha, edited"), encoding="utf-8")
    result = run_build(root, state=BuildState.load(root))
    assert result.ok, result.diagnostics
    assert "story.html" in compiled
    assert "Alpha, edited" in (root / "output/stories/a/index.html").read_text(encoding="utf-8")


def test_a_template_mistake_keeps_its_line_when_the_template_comes_from_the_cache(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path)
    (root / "themes/default/templates/story.html").write_text(UNDEFINED, encoding="utf-8")
    first = run_build(root, state=BuildState.load(root))
    second = run_build(root, state=BuildState.load(root))  # story.html now from the cache
    problems = [(d.source, d.line, d.code) for d in first.diagnostics]
    assert ("themes/default/templates/story.html", 3, "template-undefined") in problems
    assert [(d.source, d.line, d.code) for d in second.diagnostics] == problems


def test_builds_without_the_cache_keep_no_templates(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert run_build(root).ok  # BuildState(): what --no-cache uses
    assert not (root / TEMPLATE_CACHE_DIR).exists()
