"""The no-change shortcut of ``brandsite build`` (engine/unchanged.py): skipped only when nothing changed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, brandsite, story, write_site
from generator.cli import main
from generator.engine import unchanged
from generator.engine.cache_key import keyed_digest, machine_key

NOW = "2026-11-22"


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def _site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "p",
        {
            "content/stories/a.md": story(
                title="Alpha", body="See [old](/blog/).\n\n![A red square](a.png)"
            ),
            "content/stories/a.png": _png("red"),
            "content/stories/b.md": story(title="Bravo", date="2026-02-01"),
            "content/stories/c.md": story(title="Charlie", date="2026-12-10"),
            "content/stories/d.md": story(title="Delta").replace("---\n", "---\ndraft: true\n", 1),
        },
    )


def _build(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["build", "--root", str(root), "--now", NOW, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_second_build_with_nothing_changed_loads_nothing_and_repeats_the_warnings(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path)
    first = brandsite("build", "--now", NOW, cwd=root)
    assert first.returncode == 0, first.stderr
    assert "the link `/blog/`" in first.stderr
    # In a fresh process, to see what it imports: the engine, Jinja and Markdown stay unloaded.
    probe = (
        f"import sys; from generator.cli import main; code = main(['build', '--now', '{NOW}']); "
        "print(sorted(m for m in ('generator.engine.build', 'jinja2', 'markdown', 'PIL') "
        "if m in sys.modules)); sys.exit(code)"
    )
    second = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("Nothing changed: output/ is up to date (")
    assert second.stdout.rstrip().endswith("[]")
    assert second.stderr == first.stderr


EDITS: dict[str, Callable[[Path], None]] = {
    "story edited": lambda root: (root / "content/stories/b.md").write_text(
        story(title="Bravo", date="2026-02-01", body="Changed."), encoding="utf-8"
    ),
    "story added": lambda root: (root / "content/stories/e.md").write_text(
        story(title="Echo"), encoding="utf-8"
    ),
    "story deleted": lambda root: (root / "content/stories/b.md").unlink(),
    "story renamed": lambda root: (root / "content/stories/b.md").rename(
        root / "content/stories/bravo.md"
    ),
    "value edited": lambda root: (root / "content/values/care.md").write_text(
        "---\ntitle: Care\nsummary: Care, rewritten.\norder: 2\n---\nWe care.\n", encoding="utf-8"
    ),
    "picture replaced": lambda root: (root / "content/stories/a.png").write_bytes(_png("blue")),
    "template edited": lambda root: (root / "themes/default/templates/story.html").write_text(
        (root / "themes/default/templates/story.html").read_text(encoding="utf-8") + "{# x #}\n",
        encoding="utf-8",
    ),
    "settings edited": lambda root: (root / "site.toml").write_text(
        (root / "site.toml").read_text(encoding="utf-8").replace("Testco makes", "Testco bakes"),
        encoding="utf-8",
    ),
    "output page edited by hand": lambda root: (root / "output/stories/a/index.html").write_text(
        "defaced", encoding="utf-8"
    ),
    "output page deleted by hand": lambda root: (root / "output/stories/a/index.html").unlink(),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_any_change_makes_a_real_build_equal_to_a_clean_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: str
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    assert _build(root, capsys)[1].startswith("Nothing changed")
    EDITS[edit](root)
    code, out, _ = _build(root, capsys)
    assert code == 0
    assert not out.startswith("Nothing changed"), out
    clean = tmp_path / "clean"
    assert _build(root, capsys, "--no-cache", "--output", str(clean))[0] == 0
    assert _tree(root / "output") == _tree(clean)
    assert _build(root, capsys)[1].startswith("Nothing changed")  # and remembered again


OPTIONS = {
    "another day": (["--now", "2026-12-10"], "stories/c/index.html", "Charlie"),
    "drafts": (["--now", NOW, "--drafts"], "stories/d/index.html", "Delta"),
    "another address": (
        ["--now", NOW, "--base-url", "https://preview.test.example/"],
        "index.html",
        "https://preview.test.example/",
    ),
}


@pytest.mark.parametrize("name", OPTIONS, ids=list(OPTIONS))
def test_other_options_make_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    options, page, text = OPTIONS[name]
    path = root / "output" / page
    assert not path.exists() or text not in path.read_text(encoding="utf-8")
    assert main(["build", "--root", str(root), *options]) == 0
    assert text in path.read_text(encoding="utf-8")


def test_a_file_saved_while_the_build_runs_is_built_next_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    from generator.engine import build as engine_build

    real = engine_build.build

    def build_then_save(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        EDITS["story edited"](root)  # saved after the build read it
        return result

    monkeypatch.setattr(engine_build, "build", build_then_save)
    assert _build(root, capsys)[0] == 0
    monkeypatch.setattr(engine_build, "build", real)
    code, out, _ = _build(root, capsys)
    assert code == 0 and not out.startswith("Nothing changed"), out
    assert "Changed." in (root / "output/stories/b/index.html").read_text(encoding="utf-8")


def test_a_stopped_builds_staging_folder_is_removed_by_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    (root / ".output.staging-1").mkdir()
    assert _build(root, capsys)[0] == 0
    assert not (root / ".output.staging-1").exists()


def _forge(root: Path, key: bytes) -> None:
    """Rewrite the memo so it claims the project as it is now, signed with ``key``."""
    path = root / unchanged.MEMO_FILE
    data = json.loads(path.read_bytes().partition(b"\n")[2])
    data["project"] = unchanged.project_digest(root, root / "output")
    payload = json.dumps(data, sort_keys=True).encode()
    path.write_bytes(keyed_digest(key, b"bs-unchanged", payload).encode() + b"\n" + payload)


def test_a_memo_not_signed_on_this_machine_is_not_believed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    EDITS["story edited"](root)
    _forge(root, b"k" * 32)  # a memo planted in a pull request: another key
    code, out, _ = _build(root, capsys)
    assert code == 0 and not out.startswith("Nothing changed")
    assert "Changed." in (root / "output/stories/b/index.html").read_text(encoding="utf-8")
    # The same forgery signed with this machine's key would have been believed: the key decides.
    (root / "content/stories/b.md").write_text(
        story(title="Bravo", date="2026-02-01", body="Again."), encoding="utf-8"
    )
    _forge(root, machine_key())
    assert _build(root, capsys)[1].startswith("Nothing changed")


@pytest.mark.parametrize(
    "damage", [b"", b"not a memo", b"0" * 64 + b"\n{"], ids=["empty", "garbage", "truncated"]
)
def test_a_damaged_memo_means_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    (root / unchanged.MEMO_FILE).write_bytes(damage)
    code, _, err = _build(root, capsys)
    assert code == 0 and "Traceback" not in err
    assert unchanged.read_memo(root) is not None  # the real build wrote a good one


def test_a_failed_build_forgets_the_memo_and_portable_and_uncached_builds_never_skip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    (root / "content/stories/b.md").write_text(story(values="nope"), encoding="utf-8")
    assert _build(root, capsys)[0] == 1
    assert unchanged.read_memo(root) is None
    EDITS["story edited"](root)
    assert _build(root, capsys)[0] == 0
    assert not _build(root, capsys, "--no-cache")[1].startswith("Nothing changed")
    portable = ["--portable", "--output", str(tmp_path / "portable")]
    assert _build(root, capsys, *portable)[0] == 0
    assert not _build(root, capsys, *portable)[1].startswith("Nothing changed")


def test_the_output_folder_is_still_checked_when_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert _build(root, capsys)[0] == 0
    code, _, err = _build(root, capsys, "--output", str(root))
    assert code == 2 and "refusing to build into" in err
