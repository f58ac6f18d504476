"""The preview server's gate (issue 12, finding 1): real servers on 127.0.0.1, raw requests.

What must never happen: a file outside the preview folder is sent, a device or FIFO is read, a
redirect leaves the origin, or a request naming another host is answered (DNS rebinding).
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import error
from generator.preview.server import (
    EVENTS_URL,
    MAX_FILE_BYTES,
    SCRIPT_URL,
    HostPolicy,
    PreviewServer,
    ReloadHub,
    host_name,
)

SECRET = "root:x:0:0:secret-outside-the-preview\n"


class Preview:
    """A running server over a small preview folder, with a secret file beside that folder."""

    def __init__(self, tmp_path: Path, prefix: str, host: str, allow: tuple[str, ...]) -> None:
        self.folder = tmp_path / "preview"
        for path, text in {
            "index.html": "<html><body>home</body></html>",
            "stories/index.html": "<html><body>stories</body></html>",
            "a b/index.html": "<html><body>spaced</body></html>",
            "404.html": "<html><body>not here</body></html>",
            "media/a.jpg": "jpeg",
        }.items():
            (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / path).write_text(text)
        self.secret = tmp_path / "secret.txt"
        self.secret.write_text(SECRET)
        (tmp_path / "secret-folder").mkdir()
        (tmp_path / "secret-folder" / "index.html").write_text(SECRET)
        self.hub = ReloadHub(self.folder, prefix)
        self.server = PreviewServer((host, 0), self.hub, allow)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever)
        self.thread.start()

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture(params=["/", "/careers/"])
def preview(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Preview]:
    """A server on 127.0.0.1 under the root and under a sub-path (the hole was at the root)."""
    running = Preview(tmp_path, request.param, "127.0.0.1", ())
    try:
        yield running
    finally:
        running.stop()


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` byte for byte (no client-side cleaning) and read one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock, method=request.split(b" ", 1)[0].decode())
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def get(port: int, target: str, host: str | None = "127.0.0.1", method: str = "GET"):
    """A request with exactly this target and Host header (None: no Host header)."""
    host_line = b"" if host is None else f"Host: {host}\r\n".encode("latin-1")
    request = f"{method} {target} HTTP/1.1\r\n".encode("latin-1") + host_line
    return raw(port, request + b"Connection: close\r\n\r\n")


ESCAPES = [
    "/%2Fetc%2Fpasswd",
    "/%2fetc%2fpasswd",
    "/%2Fdev%2Fzero",  # read to the end, this exhausted memory
    "/..%2f..%2fetc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/careers/..%2f..%2fetc/passwd",
    "/careers/%2Fetc%2Fpasswd",
    "/../secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/careers/%2e%2e/secret.txt",
    "//etc/passwd",
    "/%2F%2Ftmp",  # was an open redirect: Location: ///tmp/
    "//evil.example/",
    "//evil.example/%2F..",
    "/%5C%5Cevil.example/",
    "/\\\\evil.example/",
    "/careers/..\\..\\secret.txt",
    "/careers/%5c..%5csecret.txt",
    "/%00",
    "/careers/index.html%00.jpg",
    "/C:/Windows/win.ini",
    "/careers/c%3A%5Cboot.ini",
    "/careers/%0d%0aSet-Cookie:%20x=1",
    "/careers/%ff%fe",
    "http://evil.example/careers/",  # absolute-form: the authority would bypass Host
    "*",
]


@pytest.mark.parametrize("target", ESCAPES)
def test_paths_that_would_leave_the_folder_are_refused(preview: Preview, target: str) -> None:
    code, headers, body = get(preview.port, target)
    assert (code, body) == (400, b"bad path\n")
    assert "Location" not in headers


@pytest.mark.parametrize(
    ("target", "locations"),
    [
        ("/", {"/": None, "/careers/": "/careers/"}),
        ("/careers", {"/": None, "/careers/": "/careers/"}),
        ("/careers/stories", {"/": None, "/careers/": "/careers/stories/"}),
        ("/stories", {"/": "/stories/", "/careers/": None}),
        ("/careers/a%20b", {"/": None, "/careers/": "/careers/a%20b/"}),
        ("/a%20b?x=//evil.example", {"/": "/a%20b/", "/careers/": None}),
    ],
)
def test_redirects_stay_on_this_origin(
    preview: Preview, target: str, locations: dict[str, str | None]
) -> None:
    """A Location is always one slash and a path: never ``//host``, never a scheme."""
    code, headers, _ = get(preview.port, target)
    expected = locations[preview.hub.snapshot.prefix]
    assert headers.get("Location") == expected
    if expected is not None:
        assert code == 302


def test_links_fifos_and_devices_inside_the_folder_are_refused(preview: Preview) -> None:
    folder, root = preview.folder, preview.hub.snapshot.prefix
    (folder / "leak.txt").symlink_to(preview.secret)
    (folder / "leak-folder").symlink_to(preview.secret.parent / "secret-folder")
    (folder / "inner-link.html").symlink_to(folder / "index.html")  # a link even to inside
    (folder / "media" / "zero.jpg").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.css")  # opened for reading, a FIFO blocks until a writer comes
    for name in ("leak.txt", "inner-link.html", "media/zero.jpg", "pipe.css", "leak-folder/"):
        code, _, body = get(preview.port, root + name)
        assert code == 403, name
        assert body == b"refused: the preview only serves regular files inside its folder\n"
    code, _, body = get(preview.port, root + "leak-folder/index.html")
    assert code == 403
    assert SECRET.encode() not in body


def test_files_larger_than_the_limit_are_refused(preview: Preview) -> None:
    with open(preview.folder / "media" / "huge.jpg", "wb") as huge:
        huge.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    code, _, body = get(preview.port, preview.hub.snapshot.prefix + "media/huge.jpg")
    assert (code, body) == (403, b"refused: the file is larger than 64 MiB\n")


def test_other_files_are_streamed_byte_for_byte(preview: Preview) -> None:
    data = os.urandom(3 * 65536 + 17)
    (preview.folder / "media" / "big.webp").write_bytes(data)
    code, headers, body = get(preview.port, preview.hub.snapshot.prefix + "media/big.webp")
    assert (code, headers["Content-Length"], body) == (200, str(len(data)), data)
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("LOCALHOST.:8000", True),
        ("[::1]:8000", True),
        ("127.0.0.2", True),  # loopback: an address cannot be rebound
        ("evil.example", False),
        ("evil.example:8000", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("192.168.1.20:8000", False),  # not a wildcard server
        ("", False),
        ("127.0.0.1:80:80", False),
        ("127.0.0.1:x", False),
        ("[::1", False),
        ("a b", False),
        (None, False),
    ],
)
def test_only_this_servers_hosts_are_answered(
    preview: Preview, host: str | None, allowed: bool
) -> None:
    prefix = preview.hub.snapshot.prefix
    preview.hub.publish([error("site.toml", 1, "bad-toml", "broken", "fix")], prefix, None)
    for target in (prefix, prefix + "media/a.jpg", SCRIPT_URL, "/missing/", "/%2Fetc%2Fpasswd"):
        code, _, body = get(preview.port, target, host)
        if allowed:
            assert code != 421, target
        else:
            assert code == 421, target
            assert body.startswith(b"brandsite preview: ")
            assert f"http://127.0.0.1:{preview.port}/".encode() in body
            assert b"--allow-host" in body


def test_the_event_stream_refuses_other_hosts(preview: Preview) -> None:
    code, headers, body = get(preview.port, EVENTS_URL, "evil.example")
    assert (code, headers["Content-Type"]) == (421, "text/plain; charset=utf-8")
    assert body.startswith(b"brandsite preview: the host 'evil.example' is not one this preview")
    code, _, _ = get(preview.port, EVENTS_URL, "127.0.0.1", method="HEAD")
    assert code == 200  # and returns instead of streaming (raw() would time out otherwise)


def test_two_host_headers_are_refused(preview: Preview) -> None:
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n"
    assert raw(preview.port, request)[0] == 421


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: " + b"b" * 40000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),
        (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc", 501),
    ],
)
def test_request_limits(preview: Preview, request_bytes: bytes, status: int) -> None:
    assert raw(preview.port, request_bytes)[0] == status


@pytest.fixture
def lan_preview(tmp_path: Path) -> Iterator[Preview]:
    """A server on every interface, as with ``--host 0.0.0.0`` for a phone, plus one --allow-host."""
    running = Preview(tmp_path, "/", "0.0.0.0", ("laptop.local",))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("192.168.1.20:8000", True),  # the machine's LAN address, typed on a phone
        ("10.0.0.7", True),
        ("[fe80::1]:8000", True),
        ("127.0.0.1:8000", True),
        ("localhost", True),
        ("laptop.local:8000", True),  # --allow-host
        ("LAPTOP.LOCAL", True),
        ("evil.example", False),  # a DNS name is never accepted unless allowed
        ("phone.laptop.local", False),
    ],
)
def test_a_wildcard_server_answers_addresses_and_allowed_names(
    lan_preview: Preview, host: str, allowed: bool
) -> None:
    code, _, body = get(lan_preview.port, "/", host)
    assert (code == 200, code == 421) == (allowed, not allowed)
    if allowed:
        assert b"home" in body


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Example.COM:80", "example.com"),
        ("[::1]:1", "::1"),
        ("[0:0::1]", "::1"),
        ("127.0.0.1", "127.0.0.1"),
        ("host.", "host"),
        ("host:", "host"),
        ("[::1]x", None),
        ("a_b", "a_b"),
        ("a/b", None),
        ("-a", None),
        ("", None),
    ],
)
def test_host_name(header: str, name: str | None) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize(
    ("bound", "allow", "host", "allowed"),
    [
        ("127.0.0.1", (), "192.168.1.5", False),
        ("192.168.1.5", (), "192.168.1.5:8000", True),
        ("192.168.1.5", (), "192.168.1.6:8000", False),
        ("::", (), "[2001:db8::1]:8000", True),
        ("::", (), "preview.test", False),
        ("127.0.0.1", ("preview.test",), "preview.test:8000", True),
        ("mybox.lan", (), "mybox.lan:8000", True),
    ],
)
def test_host_policy(bound: str, allow: tuple[str, ...], host: str, allowed: bool) -> None:
    assert HostPolicy.for_server(bound, allow).allows(host) is allowed
