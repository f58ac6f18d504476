"""The preview server: what it serves, where, with which status, and the reload events."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import error, warning
from generator.preview.server import (
    EVENTS_URL,
    SCRIPT_URL,
    PortTaken,
    PreviewServer,
    ReloadHub,
    bind_server,
    error_page,
    inject_script,
    preview_base_url,
    reload_message,
    url_host,
)

TAG = f'<script src="{SCRIPT_URL}" data-generation="g-1"></script>\n'


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<html><body><p>x</p></body></html>", f"<html><body><p>x</p>{TAG}</body></html>"),
        ("<BODY>x</BODY>", f"<BODY>x{TAG}</BODY>"),
        # the last </body> counts: the text of a story may mention the tag
        (
            "<body><pre>&lt;/body&gt; </body></pre></body>",
            f"<body><pre>&lt;/body&gt; </body></pre>{TAG}</body>",
        ),
        ("<p>no body tag", f"<p>no body tag{TAG}"),
        ("", TAG),
    ],
)
def test_inject_script(page: str, expected: str) -> None:
    assert inject_script(page.encode(), "g-1").decode() == expected


@pytest.mark.parametrize(
    ("configured", "host", "port", "expected"),
    [
        ("https://careers.example.com/", "127.0.0.1", 8000, "http://127.0.0.1:8000/"),
        ("https://example.com/careers/", "127.0.0.1", 8001, "http://127.0.0.1:8001/careers/"),
        ("https://example.com/careers", "localhost", 9000, "http://localhost:9000/careers/"),
        ("https://example.com/a/b/", "0.0.0.0", 8000, "http://127.0.0.1:8000/a/b/"),
        ("https://example.com/", "::1", 8000, "http://[::1]:8000/"),
        ("/", "127.0.0.1", 8000, "http://127.0.0.1:8000/"),
    ],
)
def test_preview_base_url_keeps_the_sub_path(
    configured: str, host: str, port: int, expected: str
) -> None:
    assert preview_base_url(configured, host, port) == expected


@pytest.mark.parametrize(
    ("host", "expected"), [("", "127.0.0.1"), ("::", "[::1]"), ("example.test", "example.test")]
)
def test_url_host(host: str, expected: str) -> None:
    assert url_host(host) == expected


FULL = {"kind": "full", "root": "/c/"}
STORY_MD, STYLE = ["content/stories/a.md"], ["themes/default/static/style.css"]


@pytest.mark.parametrize(
    ("sources", "written", "deleted", "broke", "fixed", "expected"),
    [
        (STORY_MD, ["stories/a/index.html", "feed.xml"], [], False, False, FULL),
        (STORY_MD, [], [], False, False, None),  # no output file changed
        (STORY_MD, [], ["stories/a/index.html"], False, False, FULL),  # a page went away
        (STORY_MD, [], [], True, False, FULL),  # show the error page
        (STORY_MD, [], [], False, True, FULL),  # back from the error page
        (
            STYLE,
            ["assets/style.12345678.css", "index.html", "stories/index.html"],
            ["assets/style.87654321.css"],
            False,
            False,
            {"kind": "css", "root": "/c/", "stylesheets": ["/c/assets/style.12345678.css"]},
        ),
        (
            [*STYLE, "themes/default/templates/base.html"],
            ["assets/style.12345678.css", "index.html"],
            [],
            False,
            False,
            FULL,
        ),
        (["site.toml"], ["assets/brand.12345678.css", "index.html"], [], False, False, FULL),
        (["themes/default/static/logo.svg"], ["assets/logo.12345678.svg"], [], False, False, FULL),
        (STYLE, ["assets/style.12345678.css"], [], False, True, FULL),
        (  # a full build rewrites every file, but only stylesheets changed
            STYLE,
            ["assets/brand.1.css", "assets/style.2.css", "feed.xml", "media/a.jpg", "index.html"],
            [],
            False,
            False,
            {
                "kind": "css",
                "root": "/c/",
                "stylesheets": ["/c/assets/brand.1.css", "/c/assets/style.2.css"],
            },
        ),
        (["content/stories/x.css"], ["index.html"], [], False, False, FULL),  # not a theme's
    ],
)
def test_reload_message(
    sources: list[str],
    written: list[str],
    deleted: list[str],
    broke: bool,
    fixed: bool,
    expected: object,
) -> None:
    assert reload_message(sources, written, deleted, "/c/", broke, fixed) == expected


def test_error_page_lists_problems_with_location_and_hint() -> None:
    problems = [
        error("content/stories/a.md", 7, "unknown-value", "tagged `<x>`", "did you mean `y`?"),
        warning("site.toml", 3, "low-contrast", "too light", "darker"),
    ]
    page = error_page(problems, "g-4").decode()
    assert "content/stories/a.md:7: error: tagged `&lt;x&gt;` [unknown-value]" in page
    assert "hint: did you mean `y`?" in page
    assert "site.toml:3: warning: too light" in page
    assert "1 error, 1 warning in 2 files" in page
    assert page.rstrip().endswith(f"{TAG.replace('g-1', 'g-4')}</body>\n</html>")


def test_hub_events_and_missed_events() -> None:
    hub = ReloadHub(Path("/x"), "/")
    assert hub.wait(0, 0.01) is None
    hub.publish([], "/", {"kind": "css", "stylesheets": []})
    count, message = hub.wait(0, 1) or (0, {})
    assert (count, message["kind"]) == (1, "css")
    assert message["generation"] == hub.snapshot.generation
    hub.publish([], "/", {"kind": "css", "stylesheets": []})
    hub.publish([], "/", {"kind": "css", "stylesheets": []})
    # a browser that missed one reloads fully
    assert (hub.wait(1, 1) or (0, {}))[1]["kind"] == "full"
    hub.publish([], "/", None)  # a new state without a reload
    assert hub.count == 3
    hub.close()
    assert hub.wait(3, 5) is None


# A real server on 127.0.0.1.


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, ReloadHub, Path]]:
    """A running PreviewServer over a tiny built site under /careers/; stopped and joined after."""
    folder = tmp_path / "preview"
    for path, text in {
        "index.html": "<html><body>home</body></html>",
        "stories/index.html": "<html><body>stories</body></html>",
        "stories/anna/index.html": "<html><body>anna</body></html>",
        "404.html": "<html><body>not here</body></html>",
        "feed.xml": "<rss/>",
        "assets/style.12345678.css": "body {}",
        "media/a.jpg": "jpeg",
    }.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    hub = ReloadHub(folder, "/careers/")
    before = threading.active_count()
    server = PreviewServer(("127.0.0.1", 0), hub)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", hub, folder
    finally:
        server.stop()
        thread.join(5)
        assert not thread.is_alive()
        assert threading.active_count() == before  # no request thread left behind


def get(address: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(address, timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/", 302, "/careers/"),
        ("/careers", 302, "/careers/"),
        ("/careers/stories", 302, "/careers/stories/"),
        ("/careers/stories/anna", 302, "/careers/stories/anna/"),
    ],
)
def test_redirects(preview: tuple[str, ReloadHub, Path], path: str, status: int, location: str):
    address, _, _ = preview
    code, headers, _ = get(address, path)
    assert (code, headers["Location"]) == (status, location)


@pytest.mark.parametrize(
    ("path", "status", "content_type", "text", "injected"),
    [
        ("/careers/", 200, "text/html; charset=utf-8", "home", True),
        ("/careers/index.html", 200, "text/html; charset=utf-8", "home", True),
        ("/careers/stories/anna/", 200, "text/html; charset=utf-8", "anna", True),
        ("/careers/stories/anna/?utm=x", 200, "text/html; charset=utf-8", "anna", True),
        ("/careers/feed.xml", 200, "application/xml; charset=utf-8", "<rss/>", False),
        ("/careers/assets/style.12345678.css", 200, "text/css; charset=utf-8", "body", False),
        ("/careers/media/a.jpg", 200, "image/jpeg", "jpeg", False),
        ("/careers/stories/nobody/", 404, "text/html; charset=utf-8", "not here", True),
        ("/careers/missing.css", 404, "text/html; charset=utf-8", "not here", True),
        ("/careers/" + "x" * 5000, 404, "text/html; charset=utf-8", "not here", True),
        ("/elsewhere/", 404, "text/html; charset=utf-8", 'href="/careers/"', False),
        ("/careers/../secret", 400, "text/plain; charset=utf-8", "bad path", False),
        ("/careers/%2e%2e/secret", 400, "text/plain; charset=utf-8", "bad path", False),
        (SCRIPT_URL, 200, "text/javascript; charset=utf-8", "EventSource", False),
    ],
)
def test_responses(
    preview: tuple[str, ReloadHub, Path],
    path: str,
    status: int,
    content_type: str,
    text: str,
    injected: bool,
) -> None:
    address, _, _ = preview
    code, headers, body = get(address, path)
    assert (code, headers["Content-Type"]) == (status, content_type)
    assert text in body.decode()
    assert (SCRIPT_URL in body.decode() and path != SCRIPT_URL) is injected
    assert headers["Cache-Control"] == "no-store"


def test_head_has_no_body(preview: tuple[str, ReloadHub, Path]) -> None:
    address, _, _ = preview
    code, headers, body = get(address, "/careers/", "HEAD")
    assert (code, body) == (200, b"")
    assert int(headers["Content-Length"]) > 0


def test_error_page_for_html_while_broken(preview: tuple[str, ReloadHub, Path]) -> None:
    address, hub, _ = preview
    problem = error("content/stories/a.md", 4, "bad-yaml", "broken YAML", "check the colon")
    hub.publish([problem], "/careers/", {"kind": "full"})
    for path in ("/careers/", "/careers/stories/anna/", "/careers/stories/new-one/"):
        code, _, body = get(address, path)
        assert code == 500
        assert "content/stories/a.md:4: error: broken YAML [bad-yaml]" in body.decode()
        assert f'data-generation="{hub.snapshot.generation}"' in body.decode()
    # what is not a page still comes from the last good build
    assert get(address, "/careers/assets/style.12345678.css")[0] == 200
    hub.publish([], "/careers/", {"kind": "full"})
    assert get(address, "/careers/")[0] == 200


def test_prefix_change_moves_the_site(preview: tuple[str, ReloadHub, Path]) -> None:
    address, hub, _ = preview
    hub.publish([], "/jobs/", {"kind": "full", "root": "/jobs/"})
    assert get(address, "/")[1]["Location"] == "/jobs/"
    assert get(address, "/jobs/stories/anna/")[0] == 200
    assert get(address, "/careers/")[0] == 404


def read_event(stream: http.client.HTTPResponse) -> tuple[str, dict[str, object]]:
    """The next event (name, data) on an SSE stream, skipping comments and fields we ignore."""
    name, data = "message", ""
    while True:
        line = stream.readline().decode()
        if line in ("\n", ""):
            if data:
                return name, json.loads(data)
            if line == "":
                raise EOFError
            continue
        field, _, value = line.rstrip("\n").partition(": ")
        if field == "event":
            name = value
        elif field == "data":
            data = value


def test_event_stream(preview: tuple[str, ReloadHub, Path]) -> None:
    address, hub, _ = preview
    connection = http.client.HTTPConnection(address, timeout=5)
    connection.request("GET", EVENTS_URL)
    stream = connection.getresponse()
    assert stream.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert read_event(stream) == ("hello", {"generation": hub.snapshot.generation})
    hub.publish([], "/careers/", {"kind": "css", "root": "/careers/", "stylesheets": ["/x.css"]})
    name, data = read_event(stream)
    assert (name, data["kind"], data["stylesheets"]) == ("reload", "css", ["/x.css"])
    assert data["generation"] == hub.snapshot.generation
    hub.close()  # the server stopping ends the stream
    with pytest.raises(EOFError):
        read_event(stream)
    connection.close()


def test_idle_connection_does_not_block_shutdown(tmp_path: Path) -> None:
    hub = ReloadHub(tmp_path, "/")
    server = PreviewServer(("127.0.0.1", 0), hub)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    idle = socket.create_connection(server.server_address[:2])  # a browser's preconnect
    try:
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        stopper.join(3)
        assert not stopper.is_alive()
    finally:
        idle.close()
        thread.join(5)


def test_port_taken_message_and_fallback(tmp_path: Path) -> None:
    hub = ReloadHub(tmp_path, "/")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            PortTaken, match=rf"port {port} on 127.0.0.1 is already in use.*--port 0"
        ):
            bind_server("127.0.0.1", port, hub, fallback=False)
        server = bind_server("127.0.0.1", port, hub, fallback=True)
        try:
            assert server.server_address[1] != port
        finally:
            server.server_close()


def test_any_free_port(tmp_path: Path) -> None:
    server = bind_server("127.0.0.1", 0, ReloadHub(tmp_path, "/"), fallback=False)
    try:
        assert server.server_address[1] > 0
    finally:
        server.server_close()


def test_unknown_host(tmp_path: Path) -> None:
    with pytest.raises(PortTaken, match="not an address of this machine"):
        bind_server("192.0.2.1", 0, ReloadHub(tmp_path, "/"), fallback=False)
