"""The preview server's URL path → file mapping never leaves its folder (issue 12, finding 1).

Request targets are built from the pieces attacks are made of (encoded slashes, dots,
backslashes, NUL, drive letters, ``//host``) and from arbitrary text; whatever the target, a
file route stays inside the folder, opens only files that are in it, and a redirect stays on
the origin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from generator.preview.server import contained_path, open_inside, route_request

PIECES = [
    "/", "//", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "\\", "%00", "%0d%0a", "%",
    "%%", "%2", "%c0%af", "%ff", "C:", "c%3A", "etc", "passwd", "secret.txt", "index.html",
    "stories", "careers", "media", "a.jpg", "link", "?", "#", "?x=//evil.example", "~", " ",
    "%20", "evil.example", "@", ":", "http:", "é", "\x00",
]  # fmt: skip
NAMES = ["careers", "stories", "media", "a.jpg", "index.html", "link", "secret.txt", "..", "%2e%2e"]
targets = st.one_of(
    st.lists(st.sampled_from(NAMES), max_size=5).map(lambda names: "/" + "/".join(names)),
    st.lists(st.sampled_from(NAMES), max_size=5).map(lambda names: "/" + "/".join(names) + "/"),
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=14).map(lambda parts: "/" + "".join(parts)),
    st.text(max_size=40).map(lambda text: "/" + text),
)
prefixes = st.sampled_from(["/", "/careers/", "/a/b/"])


Preview = tuple[Path, set[tuple[int, int]]]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Preview:
    """A preview folder with files, a link out and a secret beside it; the inodes inside."""
    base = tmp_path_factory.mktemp("serve-paths")
    folder = base / "preview"
    for name in ("index.html", "careers/index.html", "careers/stories/index.html", "media/a.jpg"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    (base / "secret.txt").write_text("secret")
    (folder / "link").symlink_to(base / "secret.txt")
    (folder / "careers" / "link").symlink_to(base)
    inside = {
        (info.st_dev, info.st_ino)
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
        for info in [path.stat()]
    }
    return folder, inside


@given(targets, prefixes)
def test_a_route_never_names_a_path_outside_the_folder(
    preview: Preview, target: str, prefix: str
) -> None:
    route = route_request(target, prefix)
    event(route.kind)
    if route.kind == "file":
        folder = os.path.abspath(preview[0])
        path = contained_path(folder, route.segments)  # raises if it would leave
        assert path == folder or path.startswith(folder + os.sep)
        for name in route.segments:
            assert name not in ("", ".", "..")
            assert not set(name) & {"/", "\\", "\0"}
    if route.kind == "redirect":
        assert route.location.startswith("/")
        assert not route.location.startswith("//")
        assert not set(route.location) & {"\\", "\r", "\n", "\0"}


@given(targets, prefixes)
def test_only_files_inside_the_folder_are_opened(
    preview: Preview, target: str, prefix: str
) -> None:
    route = route_request(target, prefix)
    if route.kind != "file":
        return
    names = (*route.segments, "index.html") if route.folder else route.segments
    opened = open_inside(preview[0], names)
    event(opened.kind)
    if opened.kind == "file":
        try:
            info = os.fstat(opened.fd)
        finally:
            os.close(opened.fd)
        assert (info.st_dev, info.st_ino) in preview[1]
