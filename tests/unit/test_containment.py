"""Containment: nothing is read from outside the project, nothing written outside the output.

Every rule has a test: symbolic links out of content/ and themes/ (files, folders, images,
static files, templates), traversal slugs and image paths, and output folders that would
endanger the project or the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SITE_TOML, codes, run_build, story
from generator.engine.writer import MARKER, OutputRefused, Staging, build_lock, remove_leftovers

SECRET = "TOP-SECRET-CONTENT-OF-A-FILE-OUTSIDE"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside the project with a secret file and a secret picture."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.md").write_text(story(title=SECRET, body=SECRET))
    (folder / "secret.txt").write_text(SECRET)
    (folder / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "templates").mkdir()
    (folder / "templates/base.html").write_text(SECRET)
    return folder


def assert_secret_not_published(root: Path) -> None:
    output = root / "output"
    if output.exists():
        for path in output.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


def test_a_story_linked_from_outside_is_refused(site, secret: Path) -> None:
    root = site({"content/stories/a.md": story()})
    os.symlink(secret / "secret.md", root / "content/stories/leak.md")
    result = run_build(root)
    assert [(d.code, d.source) for d in result.diagnostics] == [
        ("outside-project", "content/stories/leak.md")
    ]
    assert_secret_not_published(root)


def test_a_story_linked_to_a_secret_inside_the_project_is_refused(site) -> None:
    root = site({"content/stories/a.md": story()})
    (root / ".env").write_text(SECRET)
    os.symlink(root / ".env", root / "content/stories/env.md")
    assert codes(run_build(root)) == ["outside-project"]


def test_a_link_between_content_files_is_fine(site) -> None:
    root = site({"content/stories/a.md": story()})
    (root / "content/drafts").mkdir()
    (root / "content/drafts/b.md").write_text(story(title="B"))
    os.symlink(root / "content/drafts/b.md", root / "content/stories/b.md")
    assert run_build(root).ok


@pytest.mark.parametrize("folder", ["content", "content/stories", "content/values"])
def test_a_content_folder_linked_from_outside_is_refused(site, tmp_path, folder: str) -> None:
    root = site({"content/stories/a.md": story()})
    outside = tmp_path / "outside-folder"
    os.rename(root / folder, outside)
    os.symlink(outside, root / folder)
    result = run_build(root)
    assert "outside-project" in codes(result)


@pytest.mark.parametrize("where", ["image", "inline"])
def test_an_image_linked_from_outside_is_refused(site, secret: Path, where: str) -> None:
    text = (
        story(body="![x](images/leak.svg)")
        if where == "inline"
        else story().replace("values:", "image: images/leak.svg\nimage_alt: x\nvalues:")
    )
    root = site({"content/stories/a.md": text})
    (root / "content/stories/images").mkdir()
    os.symlink(secret / "secret.svg", root / "content/stories/images/leak.svg")
    result = run_build(root)
    assert codes(result) == ["bad-image"]
    assert "outside content/" in result.diagnostics[0].message
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    ("image", "code"),
    [
        ("/etc/passwd", "image-outside-content"),
        ("../../site.toml", "image-outside-content"),
        ("../../../../../../etc/passwd", "image-outside-content"),
        ("C:\\\\Windows\\\\win.ini", "image-outside-content"),
        ("file:///etc/passwd", "image-outside-content"),
        ("../values/craft.md", "bad-image"),  # inside content/, but not a picture
        ("images/page.html", "bad-image"),  # a file we would publish under its own name
    ],
)
def test_image_paths_cannot_leave_content(site, image: str, code: str) -> None:
    root = site(
        {"content/stories/a.md": story().replace("values:", f"image: {image}\nimage_alt: x\nvalues:"),
         "content/stories/images/page.html": "<script>alert(1)</script>"}
    )  # fmt: skip
    assert code in codes(run_build(root))


@pytest.mark.parametrize(
    "slug",
    ["../../etc", "..", "a/../../b", "/abs", "a\\b", "%2e%2e", "a/b", "page", "x\x00y", "CON.."],
)
def test_traversal_slugs_are_refused(site, slug: str) -> None:
    root = site({"content/stories/a.md": story().replace("values:", f'slug: "{slug}"\nvalues:')})
    result = run_build(root)
    assert not result.ok
    assert set(codes(result)) <= {"bad-slug", "reserved-slug", "control-character", "binary-file"}
    assert not (root / "output").exists()


def test_traversal_file_names_become_plain_slugs(site) -> None:
    root = site({"content/stories/a..%2F..%2Fescape.md": story()})
    result = run_build(root)
    assert result.ok
    assert (root / "output/stories/a-2f-2fescape/index.html").is_file()


def test_a_theme_linked_from_outside_is_refused(site, tmp_path) -> None:
    root = site({})
    outside = tmp_path / "other-theme"
    os.rename(root / "themes/default", outside)
    os.symlink(outside, root / "themes/default")
    result = run_build(root)
    assert codes(result) == ["outside-project"] and result.diagnostics[0].source == "themes/default"


@pytest.mark.parametrize(
    ("link", "target"),
    [("static/leak.txt", "secret.txt"), ("templates/partials/leak.html", "secret.txt"),
     ("templates/leak", "templates")],
)  # fmt: skip
def test_files_in_a_theme_linked_from_outside_are_refused(
    site, secret: Path, link: str, target: str
) -> None:
    root = site({})
    os.symlink(secret / target, root / "themes/default" / link)
    result = run_build(root)
    assert [(d.code, d.source) for d in result.diagnostics] == [
        ("outside-project", f"themes/default/{link}")
    ]
    assert_secret_not_published(root)


def test_a_template_linked_from_outside_is_refused_by_the_loader(site, secret: Path) -> None:
    """Defence in depth: a link that slipped past the theme scan is refused by Jinja's loader."""
    from generator.theme.rendering import ContainedLoader

    root = site({})
    os.symlink(secret / "templates/base.html", root / "themes/default/templates/leak.html")
    import jinja2

    env = jinja2.Environment(
        loader=ContainedLoader(str(root / "themes/default/templates"), root / "themes")
    )
    with pytest.raises(jinja2.TemplateError, match="outside themes/"):
        env.get_template("leak.html")
    assert env.get_template("404.html") is not None


@pytest.mark.parametrize("where", ["root", "parent", "filesystem", "home", "content", "themes",
                                   "git", "file", "foreign", "symlink"])  # fmt: skip
def test_dangerous_output_folders_are_refused(site, tmp_path, where: str) -> None:
    root = site({"content/stories/a.md": story()})
    (root / ".git").mkdir()
    (root / "notes.txt").write_text("keep me")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign/keep.txt").write_text("keep me")
    os.symlink(tmp_path / "foreign", tmp_path / "link")
    output = {
        "root": root,
        "parent": root.parent,
        "filesystem": Path("/"),
        "home": Path.home(),
        "content": root / "content/stories",
        "themes": root / "themes/default/static",
        "git": root / ".git/site",
        "file": root / "notes.txt",
        "foreign": tmp_path / "foreign",
        "symlink": tmp_path / "link",
    }[where]
    with pytest.raises(OutputRefused):
        run_build(root, output)
    assert (root / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "foreign/keep.txt").read_text() == "keep me"
    assert (root / "content/stories/a.md").is_file()


def test_an_empty_folder_or_one_brandsite_made_is_fine(site, tmp_path) -> None:
    root = site({"content/stories/a.md": story()})
    (tmp_path / "empty").mkdir()
    assert run_build(root, tmp_path / "empty").ok
    assert (tmp_path / "empty" / MARKER).is_file()
    assert run_build(root, tmp_path / "empty").ok  # now it carries the marker


def test_the_output_check_is_repeated_just_before_the_swap(tmp_path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    staging = Staging(output)
    staging.write("index.html", "new")
    (output / "yours.txt").write_text("someone put this here during the build")
    with pytest.raises(OutputRefused, match="changed during the build"):
        staging.commit()
    assert (output / "yours.txt").is_file()
    staging.abort()


@pytest.mark.parametrize(
    "path", ["../escape.html", "../../etc/passwd", "/etc/passwd", "a/../../b", "", "."]
)
def test_the_writer_refuses_paths_outside_the_staging_folder(tmp_path, path: str) -> None:
    staging = Staging(tmp_path / "out")
    with pytest.raises(OutputRefused):
        staging.write(path, "x")
    staging.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_writer_does_not_follow_links_inside_the_staging_folder(tmp_path) -> None:
    staging = Staging(tmp_path / "out")
    os.symlink(tmp_path, staging.path / "stories")
    with pytest.raises(OutputRefused):
        staging.write("stories/evil.html", "x")
    staging.abort()
    assert not (tmp_path / "evil.html").exists()


def test_a_planted_lock_link_is_refused_not_followed(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.symlink(victim, tmp_path / ".out.lock")
    with pytest.raises(OutputRefused, match="build lock"), build_lock(tmp_path / "out"):
        pass
    assert victim.read_text() == "keep me"


def test_leftovers_without_the_marker_are_kept(tmp_path) -> None:
    output = tmp_path / "out"
    foreign = tmp_path / ".out.staging-123"
    foreign.mkdir()
    (foreign / "yours.txt").write_text("keep me")
    os.symlink(tmp_path / "elsewhere", tmp_path / ".out.staging-456")
    assert remove_leftovers(output) == 0
    assert (foreign / "yours.txt").is_file()


def test_site_settings_cannot_move_the_output(site) -> None:
    config = SITE_TOML + 'output = "/"\n'
    result = run_build(site({}, config))
    assert codes(result) == ["unknown-setting"]


def test_a_previous_site_still_being_deleted_is_left_to_its_deleter(tmp_path) -> None:
    """A build right after a big one does not delete the old site again in the foreground."""
    import fcntl
    import os

    output = tmp_path / "output"
    output.mkdir()
    old = tmp_path / ".output.staging-4242"
    (old / "stories").mkdir(parents=True)
    (old / MARKER).write_text("built by brandsite\n")
    (old / "stories/page.html").write_text("<p>old</p>")
    deleter = os.open(old / MARKER, os.O_RDONLY)  # what _discard's deleter holds
    try:
        fcntl.flock(deleter, fcntl.LOCK_EX)
        assert remove_leftovers(output) == 0
        assert (old / "stories/page.html").exists()
    finally:
        os.close(deleter)
    assert remove_leftovers(output) == 1  # the deleter died: the next build cleans up
    assert not old.exists()


def test_the_background_deleter_removes_the_previous_site(tmp_path) -> None:
    import time

    output = tmp_path / "output"
    for text in ("first", "second"):
        staging = Staging(output, discard_in_background=True)
        (staging.path / "index.html").write_text(text)
        staging.commit()
    deadline = time.monotonic() + 10
    while any(p.name.startswith(".output.staging-") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, list(tmp_path.iterdir())
        time.sleep(0.05)
    assert (output / "index.html").read_text() == "second"
