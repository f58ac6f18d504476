"""A planted .brandsite-cache/ does nothing: no code runs, no HTML or picture from it is published.

Each attack is made the way someone would make it: they build the same content with brandsite on
their own machine, edit the cache it left, and ship that folder in a pull request (``git add -f``)
or a tarball. Their machine has another cache key than the one that builds the site.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from test_images import image_story, jpeg
from test_incremental import tree
from test_parallel_safety import in_thread

from conftest import brandsite, run_build, story, write_site
from generator.engine import cache, outputs, parallel
from generator.engine.cache import BUILD_CACHE_DIR
from generator.engine.incremental import PARSED_FILE, BuildState
from generator.markdown.convert import MarkdownRenderer
from generator.pictures import responsive as images

KEY_ENV = "BRANDSITE_CACHE_KEY_FILE"
"""Where this machine's cache key is (the tests' own, never the real one in ~/.cache)."""
SCRIPT = "<script>alert('planted')</script>"
STORIES = {
    "content/stories/anna.md": story(title="Anna builds bridges", body="Anna's first day."),
    "content/stories/ben.md": story(title="Ben tests things", body="Ben's first day."),
}


class Planted:
    """Unpickling this writes a file: proof that the cache ran code."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.proof)!r}, 'w').write('ran')",)


def attackers_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes]
) -> Path:
    """The .brandsite-cache/ that a build of ``files`` leaves on the attacker's machine."""
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "attacker" / "cache.key"))
    theirs = write_site(tmp_path / "theirs", files)
    state = BuildState.load(theirs)
    assert run_build(theirs, state=state).ok
    state.save(theirs)
    state.html.close()
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "builder" / "cache.key"))
    return theirs / BUILD_CACHE_DIR


def victim(tmp_path: Path, files: dict[str, str | bytes], planted: Path) -> Path:
    """A fresh checkout of the same content, with the planted cache in it."""
    root = write_site(tmp_path / "project", files)
    shutil.copytree(planted, root / BUILD_CACHE_DIR)
    return root


def build_as_the_cli_does(root: Path, **options: object) -> None:
    state = BuildState.load(root)
    result = run_build(root, state=state, **options)
    assert result.ok, result.diagnostics
    state.save(root)
    state.html.close()


def test_a_planted_pickle_runs_no_code_on_brandsite_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = attackers_cache(tmp_path, monkeypatch, STORIES)
    proof = tmp_path / "proof"
    # On their machine, brandsite's own save_pickle makes a file that passes every check there.
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "attacker" / "cache.key"))
    cache.save_pickle(planted / PARSED_FILE, Planted(proof))
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "builder" / "cache.key"))
    root = victim(tmp_path, STORIES, planted)
    done = brandsite("build", cwd=root)  # what CI runs on the pull request
    assert done.returncode == 0, done.stderr
    assert not proof.exists(), "the planted cache ran code"
    assert "Anna builds bridges" in (root / "output/stories/anna/index.html").read_text()
    # The next build trusts the cache this machine wrote in place of the planted one.
    assert cache.load_pickle(root / BUILD_CACHE_DIR / PARSED_FILE, dict)


def test_a_planted_row_publishes_no_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planted = attackers_cache(tmp_path, monkeypatch, STORIES)
    with sqlite3.connect(planted / "html.sqlite") as db:
        assert db.execute("UPDATE html SET value = ?", (SCRIPT,)).rowcount > 0
    root = victim(tmp_path, STORIES, planted)
    build_as_the_cli_does(root)
    page = (root / "output/stories/anna/index.html").read_text()
    assert SCRIPT not in page and "Anna&#39;s first day." in page
    assert not any(SCRIPT in p.read_text() for p in (root / "output").rglob("*.html"))


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_planted_row_publishes_no_html_in_a_parallel_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Workers use the builder's key, handed to them: a forkserver's workers are fresh
    interpreters, which would each make a key of their own here (no usable key file)."""
    monkeypatch.setattr(outputs, "PARALLEL_FROM", 2)
    planted = attackers_cache(tmp_path, monkeypatch, STORIES)
    with sqlite3.connect(planted / "html.sqlite") as db:
        db.execute("UPDATE html SET value = ?", (SCRIPT,))
    root = victim(tmp_path, STORIES, planted)
    (tmp_path / "no-home").write_text("a file, so no key file can be made under it")
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "no-home/cache.key"))  # a per-process key
    seen: dict[str, str] = {}

    def parallel_build() -> None:
        seen["method"] = parallel.start_method()
        build_as_the_cli_does(root)

    if method == "fork":
        parallel_build()
    else:  # as in ``serve``: other threads run, so workers come from a forkserver
        in_thread(parallel_build)
    assert seen["method"] == method
    assert not any(SCRIPT in p.read_text() for p in (root / "output").rglob("*.html"))
    # What the workers wrote with the key they were given, this process finds.
    converted: list[str] = []
    real = MarkdownRenderer._convert
    monkeypatch.setattr(
        MarkdownRenderer, "_convert", lambda self, *a: converted.append(a[1]) or real(self, *a)
    )
    build_as_the_cli_does(root, output=tmp_path / "again", jobs=1)
    assert converted == []
    assert tree(tmp_path / "again") == tree(root / "output")


def test_a_planted_picture_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {
        "content/stories/a.md": image_story(),
        "content/stories/images/photo.jpg": jpeg(),
    }
    planted = attackers_cache(tmp_path, monkeypatch, files)
    (entry,) = (planted / "images").glob("*/*")
    for copy in entry.iterdir():
        if copy.name != "done":
            copy.write_bytes(SCRIPT.encode())
    root = victim(tmp_path, files, planted)
    calls: list[int] = []
    real = images.make_variants
    monkeypatch.setattr(images, "make_variants", lambda *args: calls.append(1) or real(*args))
    build_as_the_cli_does(root)
    published = list((root / "output/media/stories/images").iterdir())
    assert published and not any(SCRIPT.encode() in p.read_bytes() for p in published)
    assert calls == [1], "the picture was made here, not taken from the planted entry"


def test_the_key_is_made_once_private_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.engine import cache_key

    path = tmp_path / "home/.cache/brandsite/cache.key"
    monkeypatch.delenv(KEY_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home/.cache"))
    assert cache_key.key_file() == path
    key = cache_key.machine_key()
    assert path.read_bytes() == key and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache_key.load_key(path) == key, "read again, not made again"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "other"))
    assert cache_key.key_file() == tmp_path / "other/.cache/brandsite/cache.key"


@pytest.mark.parametrize("unusable", ["a file where its folder goes", "a read-only folder"])
def test_without_a_usable_key_file_the_key_lives_for_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unusable: str
) -> None:
    from generator.engine import cache_key

    home = tmp_path / "home"
    if unusable == "a file where its folder goes":
        home.write_text("not a folder")
    else:
        home.mkdir()
        home.chmod(0o500)
        if os.access(home, os.W_OK):
            pytest.skip("running as root: no folder is read-only")
    monkeypatch.setenv(KEY_ENV, str(home / "brandsite/cache.key"))
    try:
        key = cache_key.machine_key()
        assert len(key) == 32 and cache_key.machine_key() == key, "one key per process"
        root = write_site(tmp_path / "project", STORIES)
        for _ in range(2):  # each process has its own key: the second build starts clean
            done = brandsite("build", cwd=root)
            assert done.returncode == 0 and not done.stderr.strip(), done.stderr
        assert "Anna" in (root / "output/stories/anna/index.html").read_text()
        assert not (home / "brandsite").exists()
    finally:
        if home.is_dir():
            home.chmod(0o700)


@pytest.mark.parametrize("content", [b"", b"short", b"x" * 33])
def test_a_damaged_key_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    from generator.engine import cache_key

    path = tmp_path / "cache.key"
    path.write_bytes(content)
    monkeypatch.setenv(KEY_ENV, str(path))
    key = cache_key.machine_key()
    assert len(key) == 32 and path.read_bytes() == key


def test_a_cache_from_another_key_is_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = attackers_cache(tmp_path, monkeypatch, STORIES)
    root = victim(tmp_path, STORIES, planted)
    assert BuildState.load(root).parsed == {}
    state = BuildState.load(root)
    result = run_build(root, state=state)
    assert result.ok and not result.diagnostics and result.mode == "full"


def test_the_key_never_reaches_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.engine import cache_key

    monkeypatch.setattr(outputs, "PARALLEL_FROM", 2)
    files: dict[str, str | bytes] = {**STORIES, "content/stories/images/photo.jpg": jpeg()}
    root = write_site(tmp_path / "project", files)
    build_as_the_cli_does(root)
    key = cache_key.machine_key()
    for text in (key, key.hex().encode()):
        assert not [p for p in root.rglob("*") if p.is_file() and text in p.read_bytes()]
