"""The preview server: the built site over HTTP, reload events for browsers, and an error page.

Files are served from the preview folder under the site's sub-path, read fresh on every request. Only
HTML responses get the reload script, and only here: nothing the server adds is ever written to disk.
Browsers learn about finished builds from a Server-Sent Events stream (``/__brandsite/events``).
"""

from __future__ import annotations

import contextlib
import errno
import html
import json
import mimetypes
import secrets
import socket
import socketserver
import sys
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic, format_text, summary_line

SCRIPT_URL = "/__brandsite/livereload.js"
EVENTS_URL = "/__brandsite/events"
"""Outside any site path: slugs never contain underscores, so a site cannot collide with them."""
HEARTBEAT = 15.0
"""Seconds between keep-alive comments on the event stream (they also notice closed tabs)."""
TEXT_TYPES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "image/svg+xml",
    "application/json",
)


class PortTaken(Exception):
    """Nothing could be bound; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """What the server serves right now; replaced as a whole after every build."""

    folder: Path
    """The preview folder."""
    prefix: str
    """The site's sub-path, with slashes on both ends (``/`` or ``/careers/``)."""
    problems: tuple[Diagnostic, ...] = ()
    """The failed build's problems; empty while the site builds."""
    generation: str = ""
    """Names the last reload event; pages carry it, so a browser that missed an event notices."""


class ReloadHub:
    """The current Snapshot, and the reload events that browsers wait for."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self._condition = threading.Condition()
        self._session = secrets.token_hex(4)  # a restarted server never repeats a generation
        self._count = 0
        self._messages: dict[int, dict[str, Any]] = {}
        self._closed = False
        self.snapshot = Snapshot(folder, prefix, (), self._generation(0))

    def _generation(self, count: int) -> str:
        return f"{self._session}-{count}"

    def publish(
        self, problems: Sequence[Diagnostic], prefix: str, message: dict[str, Any] | None
    ) -> None:
        """Serve the new state; with a message, also tell every browser to reload."""
        with self._condition:
            snapshot = replace(self.snapshot, problems=tuple(problems), prefix=prefix)
            if message is not None:
                self._count += 1
                generation = self._generation(self._count)
                self._messages = {self._count: {**message, "generation": generation}}
                snapshot = replace(snapshot, generation=generation)
                self._condition.notify_all()
            self.snapshot = snapshot

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """The newest event after ``seen``, or None after ``timeout`` or once closed.

        A browser that missed an event in between gets a full reload rather than a partial one.
        """
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._count != seen, timeout)
            if self._closed or self._count == seen:
                return None
            message = self._messages[self._count]
            if self._count != seen + 1:
                message = {**message, "kind": "full"}
            return self._count, message

    @property
    def count(self) -> int:
        """How many reload events were sent."""
        return self._count

    @property
    def closed(self) -> bool:
        """True once the server is shutting down."""
        return self._closed

    def close(self) -> None:
        """End every event stream."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()


def reload_message(
    sources: Sequence[str],
    written: Sequence[str],
    deleted: Sequence[str],
    prefix: str,
    broke: bool,
    fixed: bool,
) -> dict[str, Any] | None:
    """What browsers must do after a build; None when no output file changed.

    When only theme stylesheets changed, pages differ from before only in the hashed ``.css`` names
    they link to (templates, content and settings are as they were), so the client swaps its
    ``<link rel=stylesheet>`` hrefs instead of reloading. This is decided from the sources, as a
    build may rewrite more files than changed.
    """
    if broke or fixed:
        return {"kind": "full", "root": prefix}
    if not written and not deleted:
        return None
    stylesheets = [prefix + path for path in written if path.endswith(".css")]
    if (
        stylesheets
        and sources
        and all(s.startswith("themes/") and s.endswith(".css") for s in sources)
    ):
        return {"kind": "css", "root": prefix, "stylesheets": stylesheets}
    return {"kind": "full", "root": prefix}


def inject_script(page: bytes, generation: str) -> bytes:
    """The page with the reload script added before ``</body>`` (or at the end)."""
    tag = (
        f'<script src="{SCRIPT_URL}" data-generation="{html.escape(generation)}"></script>\n'
    ).encode()
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def error_page(problems: Sequence[Diagnostic], generation: str) -> bytes:
    """The page every HTML request gets while the build is broken."""
    report = html.escape(format_text(problems))
    summary = html.escape(summary_line(problems))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {summary} | brandsite preview</title>
<link rel="icon" href="data:,">
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1c2430; background: #fff; }}
h1 {{ color: #a4161a; font-size: 1.5rem; }}
pre {{ background: #fff4f4; border-left: 4px solid #a4161a; padding: 1rem; overflow-x: auto;
      white-space: pre-wrap; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }}
</style>
</head>
<body>
<main>
<h1>The site cannot be built: {summary}</h1>
<p>Nothing was published. Fix the problems below and save; this page reloads by itself.</p>
<pre>{report}</pre>
<p><small>brandsite preview &middot; the same list is in the terminal</small></p>
</main>
</body>
</html>
"""
    return inject_script(page.encode(), generation)


def livereload_js() -> bytes:
    """The reload client (package data, served by the preview server only)."""
    return resources.files("generator").joinpath("static/livereload.js").read_bytes()


class PreviewServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows the preview and can stop with all its threads."""

    daemon_threads = False
    block_on_close = True  # server_close() joins every request thread

    def __init__(self, address: tuple[str, int], hub: ReloadHub) -> None:
        self.hub = hub
        self.script = livereload_js()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, PreviewHandler)

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        """Serve until ``stop()``; a short poll makes stopping quick."""
        super().serve_forever(poll_interval)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for a host name (getfqdn), which can hang offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a tab mid-response is normal; anything else would be our bug, but one
        # failed request must not take the preview down, so it is reported and the server goes on.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            traceback.print_exc()

    def stop(self) -> None:
        """End event streams, stop serving, cut idle connections and join every thread."""
        self.hub.close()
        self.shutdown()
        with self._open_lock:
            for request in self._open:
                with contextlib.suppress(OSError):
                    request.shutdown(socket.SHUT_RDWR)
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD: the site, the reload script, the event stream."""

    server: PreviewServer
    server_version = "brandsite-preview"
    timeout = 30  # an idle or stuck connection cannot hold a thread forever

    def do_GET(self) -> None:
        """Serve a request."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """Serve a request without the body."""
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows one line per rebuild, not one per request."""

    def _respond(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == SCRIPT_URL:
            return self._send(HTTPStatus.OK, self.server.script, "text/javascript", head)
        if path == EVENTS_URL:
            return self._events()
        snapshot = self.server.hub.snapshot  # once: one response comes from one state
        prefix = snapshot.prefix
        if not path.startswith(prefix):
            if path in ("/", prefix.rstrip("/")):
                return self._redirect(prefix)
            return self._outside(prefix, head)
        relative = path[len(prefix) :]
        if any(part in ("..", ".") for part in relative.split("/")) or "\0" in relative:
            return self._send(HTTPStatus.BAD_REQUEST, b"bad path\n", "text/plain", head)
        target = snapshot.folder / relative
        if relative and not relative.endswith("/") and _is_dir(target):
            return self._redirect(path + "/")
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        body = _read(target)
        is_html = target.suffix == ".html" or (not target.suffix and body is None)
        if snapshot.problems and is_html:
            page = error_page(snapshot.problems, snapshot.generation)
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, page, "text/html", head)
        if body is not None:
            if target.suffix == ".html":
                body = inject_script(body, snapshot.generation)
            return self._send(HTTPStatus.OK, body, _content_type(target), head)
        missing = _read(snapshot.folder / "404.html")
        if missing is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        page = inject_script(missing, snapshot.generation)
        return self._send(HTTPStatus.NOT_FOUND, page, "text/html", head)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool) -> None:
        if content_type.startswith(TEXT_TYPES) or content_type == "text/javascript":
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        # 302, never 301: a browser must not remember a redirect for a port the next project uses.
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _outside(self, prefix: str, head: bool) -> None:
        link = html.escape(prefix)
        page = (
            f'<!DOCTYPE html><html lang="en"><title>Not found</title><p>The site lives at '
            f'<a href="{link}">{link}</a> (the path of base_url in site.toml).</p></html>\n'
        )
        self._send(HTTPStatus.NOT_FOUND, page.encode(), "text/html", head)

    def _events(self) -> None:
        hub = self.server.hub
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = hub.count
        hello = {"generation": hub.snapshot.generation}
        try:
            self._event("hello", hello, "retry: 1000\n")
            while not hub.closed:
                news = hub.wait(seen, HEARTBEAT)
                if news is None:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                seen, message = news
                self._event("reload", message)
        except (ConnectionError, TimeoutError):
            return  # the tab was closed

    def _event(self, name: str, data: dict[str, Any], prologue: str = "") -> None:
        text = f"{prologue}event: {name}\ndata: {json.dumps(data)}\n\n"
        self.wfile.write(text.encode())
        self.wfile.flush()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # missing, a folder, a name too long: all "not found" to a browser
        return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _content_type(path: Path) -> str:
    if path.suffix == ".xml":
        return "application/xml"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def bind_server(host: str, port: int, hub: ReloadHub, fallback: bool) -> PreviewServer:
    """A server bound to ``host:port``; with ``fallback``, the next free port if that one is taken."""
    candidates = [port, *range(port + 1, port + 11), 0] if fallback and port else [port]
    server_class = _IPv6Server if ":" in host else PreviewServer
    for candidate in candidates:
        try:
            return server_class((host, candidate), hub)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and candidate != candidates[-1]:
                continue
            raise PortTaken(_bind_problem(host, port, exc)) from exc
    raise AssertionError("unreachable")


class _IPv6Server(PreviewServer):
    address_family = socket.AF_INET6


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another `brandsite serve`?). "
            "Stop that server, pick another port with --port N, or use --port 0 for any free port."
        )
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights; use a port above 1023, e.g. --port 8000"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host!r}: not an address of this machine; try --host 127.0.0.1"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def url_host(host: str) -> str:
    """How a browser on this machine reaches a server bound to ``host``."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def preview_base_url(configured: str, host: str, port: int) -> str:
    """The configured base_url moved to the preview server, keeping its sub-path."""
    path = urlsplit(configured).path or "/"
    if not path.endswith("/"):
        path += "/"
    return f"http://{url_host(host)}:{port}{path}"
