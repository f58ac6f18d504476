"""The preview server: the built site over HTTP, reload events for browsers, and an error page.

Files are served from the preview folder under the site's sub-path, read fresh on every request. Only
HTML responses get the reload script, and only here: nothing the server adds is ever written to disk.
Browsers learn about finished builds from a Server-Sent Events stream (``/__brandsite/events``).

Every request passes the same gate before anything is read: its ``Host`` must be one this server
answers to (DNS rebinding), its path is decoded once and refused if it is absolute, climbs, holds a
NUL, a control character, a backslash or an empty segment; the file is then opened one folder at a
time below the preview folder, never through a link, and only if it is a regular file of bounded
size. Redirects are built from the checked segments, so their ``Location`` is always a path on this
origin.
"""

from __future__ import annotations

import contextlib
import errno
import html
import ipaddress
import json
import mimetypes
import os
import re
import secrets
import socket
import socketserver
import stat
import sys
import threading
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote_to_bytes, urlsplit

from ..errors import Diagnostic, format_text, summary_line

SCRIPT_URL = "/__brandsite/livereload.js"
EVENTS_URL = "/__brandsite/events"
CARDS_URL = "/__brandsite/cards/"
"""The share card gallery: every story's share image on one page (the preview's, never built)."""
CARD_NAME = "share.png"
"""What a story's share image is called in its folder (``site.routes.share_card_path``)."""
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
MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file the preview sends (pictures are refused above 50 MiB at build time)."""
MAX_REQUEST_LINE = 8 * 1024
"""Longer request lines are answered 414; http.server alone reads up to 64 KiB."""
MAX_HEADER_BYTES = 32 * 1024
"""All header names and values together; http.server alone allows 100 lines of 64 KiB."""
CHUNK = 64 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class PortTaken(Exception):
    """Nothing could be bound; the message says why and what to do."""


@dataclass(frozen=True)
class ServedSite:
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
    """The current ServedSite, and the reload events that browsers wait for."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self._condition = threading.Condition()
        self._session = secrets.token_hex(4)  # a restarted server never repeats a generation
        self._count = 0
        self._messages: dict[int, dict[str, Any]] = {}
        self._closed = False
        self.snapshot = ServedSite(folder, prefix, (), self._generation(0))

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


def story_cards(folder: Path) -> list[str]:
    """Slugs of the stories whose share image the preview folder has, in order."""
    try:
        entries = sorted(os.scandir(folder / "stories"), key=lambda e: e.name)
    except OSError:
        return []
    return [
        e.name
        for e in entries
        if e.is_dir(follow_symlinks=False) and os.path.isfile(os.path.join(e.path, CARD_NAME))
    ]


def cards_page(slugs: Sequence[str], prefix: str, generation: str) -> bytes:
    """The gallery: every card at its real size, each linked to its story's page."""
    figures = "\n".join(
        f'<figure><a href="{html.escape(prefix)}stories/{html.escape(slug)}/">'
        f'<img src="{html.escape(prefix)}stories/{html.escape(slug)}/{CARD_NAME}" width="1200" '
        f'height="630" alt="Share image of {html.escape(slug)}" loading="lazy"></a>'
        f"<figcaption>{html.escape(slug)}</figcaption></figure>"
        for slug in slugs
    )
    count = f"{len(slugs)} share image{'' if len(slugs) == 1 else 's'}"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Share images: {count} | brandsite preview</title>
<link rel="icon" href="data:,">
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem;
       color: #1c2430; background: #f4f5f7; }}
main {{ display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); }}
h1 {{ font-size: 1.5rem; }}
figure {{ margin: 0; }}
img {{ width: 100%; height: auto; display: block; box-shadow: 0 1px 4px #0003; }}
figcaption {{ font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; margin-top: .35rem; }}
</style>
</head>
<body>
<h1>Share images: {count}</h1>
<p>What link previews show for each story (1200 &times; 630). This page is the preview's
own: it is not part of the built site. Stories with a picture show the picture instead, unless
the theme sets <code>[share_card] prefer = true</code>.</p>
<main>
{figures or "<p>No share images yet: the site has no published stories.</p>"}
</main>
</body>
</html>
"""
    return inject_script(page.encode(), generation)


def livereload_js() -> bytes:
    """The reload client (package data, served by the preview server only)."""
    return resources.files("generator.preview").joinpath("static/livereload.js").read_bytes()


# The gate every request passes: which Host it names, which file its path means.


def host_name(header: str) -> str | None:
    """The name in a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), normalised; None if malformed."""
    header = header.strip()
    if header.startswith("["):
        name, bracket, port = header[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return None
        port = port[1:]
    else:
        name, _, port = header.partition(":")
    if not name or (port and not port.isdigit()) or ":" in port:
        return None
    return normal_host(name)


def normal_host(name: str) -> str | None:
    """``name`` lower-cased without a final dot, IP addresses in their short form; None if not a host."""
    name = name.lower().removesuffix(".")
    address = ip_literal(name)
    if address is not None:
        return address
    labels = name.split(".")
    if not all(re.fullmatch(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?", label) for label in labels):
        return None
    return name


def ip_literal(name: str) -> str | None:
    """``name`` as a normalised IP address, or None when it is a DNS name."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True when a server bound to ``host`` can only be reached from this machine."""
    if host == "localhost":
        return True
    address = ip_literal(host)
    return address is not None and ipaddress.ip_address(address).is_loopback


@dataclass(frozen=True)
class HostPolicy:
    """The ``Host`` values a preview server answers to; any other may be a DNS rebinding attack.

    A page on another site can make a browser send requests to the preview by pointing its own
    DNS name at 127.0.0.1, but the browser still sends that name as ``Host``. An IP address as
    ``Host`` cannot be rebound, so a server listening on every interface accepts any literal
    address (a phone on the LAN uses the machine's LAN IP) and only the names it was given.
    """

    names: frozenset[str] = LOOPBACK_NAMES
    """Names and addresses always accepted."""
    any_address: bool = False
    """Accept every literal IP address (the server listens on all interfaces)."""

    @classmethod
    def for_server(cls, host: str, allow: Iterable[str] = ()) -> HostPolicy:
        """The policy of a server bound to ``host`` with extra ``--allow-host`` names."""
        names = set(LOOPBACK_NAMES)
        for name in (host, *allow):
            normal = normal_host(name.strip("[]"))
            if normal is not None:
                names.add(normal)
        return cls(frozenset(names), host in WILDCARDS)

    def allows(self, header: str | None) -> bool:
        """True when the request's ``Host`` header names this server."""
        name = host_name(header) if header is not None else None
        if name is None:
            return False
        if name in self.names:
            return True
        address = ip_literal(name)
        return address is not None and (
            self.any_address or ipaddress.ip_address(address).is_loopback
        )


@dataclass(frozen=True)
class Route:
    """What a request path means, decided before anything on disk is touched."""

    kind: Literal["file", "redirect", "outside", "bad", "script", "events", "cards"]
    segments: tuple[str, ...] = ()
    """For ``file``: the names below the preview folder, each checked (never ``..``, empty or a drive)."""
    folder: bool = False
    """For ``file``: the path ended in a slash (or named the site's root), so it means ``index.html``."""
    location: str = ""
    """For ``redirect``: a path on this origin, always one leading slash."""


def route_request(target: str, prefix: str) -> Route:
    """Map a request target (``/careers/a%20b/?x``) to a Route under the site's sub-path ``prefix``."""
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") or "\\" in raw:
        return Route("bad")  # absolute-form, "*", backslashes
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return Route("bad")
    if any(ord(c) < 0x20 or c in "\x7f\\" for c in path):
        return Route("bad")  # NUL, CR/LF (header injection) and decoded backslashes
    if path == SCRIPT_URL:
        return Route("script")
    if path == EVENTS_URL:
        return Route("events")
    if path in (CARDS_URL, CARDS_URL.rstrip("/")):
        return Route("cards")
    names = path[1:].split("/")
    trailing = path.endswith("/")
    if trailing:
        names.pop()
    if any(name in ("", ".", "..") or _DRIVE.match(name) for name in names):
        return Route("bad")  # "//etc", "/%2Fetc", "/a/../b", "/C:/x"
    base = tuple(name for name in prefix.split("/") if name)
    if tuple(names[: len(base)]) != base or (len(names) == len(base) and not trailing and base):
        if not names or tuple(names) == base:
            return Route("redirect", location=site_location(base, folder=True))
        return Route("outside")
    relative = tuple(names[len(base) :])
    return Route("file", relative, folder=trailing or not relative)


def site_location(segments: Sequence[str], folder: bool) -> str:
    """A redirect target on this origin: one leading slash, every segment percent-encoded."""
    path = "/" + "/".join(quote(name, safe="") for name in segments if name)
    return path + "/" if folder and path != "/" else path


def contained_path(folder: str, segments: Sequence[str]) -> str:
    """The file ``segments`` name below ``folder``, refusing anything that would leave it."""
    joined = os.path.normpath(os.path.join(folder, *segments))
    if os.path.commonpath([folder, joined]) != folder or (joined == folder and segments):
        raise ValueError(f"{segments!r} leaves {folder}")
    return joined


@dataclass(frozen=True)
class Opened:
    """The outcome of opening a path below the preview folder."""

    kind: Literal["file", "folder", "missing", "refused", "too-large"]
    fd: int = -1
    """For ``file``: an open descriptor the caller closes."""
    size: int = 0
    reason: str = field(default="", compare=False)


def open_inside(folder: Path, segments: Sequence[str]) -> Opened:
    """Open ``segments`` below ``folder`` one name at a time, never through a link.

    Nothing is resolved first: each folder is opened relative to the one before with
    ``O_NOFOLLOW``, and the last name is looked at (``lstat``) before it is opened, so a link, a
    FIFO or a device in the preview folder is refused without being opened.
    """
    try:
        contained_path(os.path.abspath(folder), segments)  # a second, independent check
    except ValueError:
        return Opened("refused", reason="outside the preview folder")
    try:
        current = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return Opened("missing")
    try:
        for name in segments[:-1]:
            try:
                inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | _OPEN_FLAGS, dir_fd=current)
            except OSError as exc:
                return _refused_or_missing(exc, name, current)
            os.close(current)
            current = inner
        if not segments:
            return Opened("folder")
        name = segments[-1]
        try:
            info = os.stat(name, dir_fd=current, follow_symlinks=False)
        except OSError as exc:
            return _refused_or_missing(exc, name)
        if stat.S_ISDIR(info.st_mode):
            return Opened("folder")
        if not stat.S_ISREG(info.st_mode):
            return Opened("refused", reason=f"{name} is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            return Opened("too-large", size=info.st_size)
        try:
            fd = os.open(name, _OPEN_FLAGS, dir_fd=current)
        except OSError as exc:
            return _refused_or_missing(exc, name)
        info = os.fstat(fd)  # what was opened, should it have been swapped since the lstat
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            os.close(fd)
            return Opened("refused", reason=f"{name} changed while it was opened")
        return Opened("file", fd, info.st_size)
    finally:
        os.close(current)


def _refused_or_missing(exc: OSError, name: str, folder: int | None = None) -> Opened:
    link = exc.errno == errno.ELOOP  # O_NOFOLLOW met a link
    if exc.errno == errno.ENOTDIR and folder is not None:  # O_DIRECTORY met a link, or a file
        with contextlib.suppress(OSError):
            link = stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    if link:
        return Opened("refused", reason=f"{name} is a link")
    return Opened("missing")  # missing, a file used as a folder, a name too long, no permission


def read_fd(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd`` (the file may have shrunk)."""
    parts, left = [], size
    while left > 0:
        part = os.read(fd, min(CHUNK * 16, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class PreviewServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows the preview and can stop with all its threads."""

    daemon_threads = False
    block_on_close = True  # server_close() joins every request thread

    def __init__(
        self, address: tuple[str, int], hub: ReloadHub, allow_hosts: Sequence[str] = ()
    ) -> None:
        self.hub = hub
        self.hosts = HostPolicy.for_server(address[0], allow_hosts)
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
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"
    timeout = 30  # an idle or stuck connection cannot hold a thread forever

    def do_GET(self) -> None:
        """Serve a request."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """Serve a request without the body."""
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows one line per rebuild, not one per request."""

    def parse_request(self) -> bool:
        """Parse as http.server does, then refuse request lines and headers over our limits."""
        if not super().parse_request():
            return False
        if len(getattr(self, "raw_requestline", b"")) > MAX_REQUEST_LINE:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG, "request line too long")
            return False
        if sum(len(k) + len(v) for k, v in self.headers.items()) > MAX_HEADER_BYTES:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large")
            return False
        return True

    def _respond(self, head: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self.server.hosts.allows(hosts[0]):
            return self._refuse_host(hosts[0] if len(hosts) == 1 else None, head)
        snapshot = self.server.hub.snapshot  # once: one response comes from one state
        # The target as sent: http.server collapses a leading "//" in self.path on some versions.
        words = self.requestline.split()
        route = route_request(words[1] if len(words) > 1 else "", snapshot.prefix)
        if route.kind == "script":
            return self._send(HTTPStatus.OK, self.server.script, "text/javascript", head)
        if route.kind == "events":
            return self._events(head)
        if route.kind == "cards":
            page = cards_page(story_cards(snapshot.folder), snapshot.prefix, snapshot.generation)
            return self._send(HTTPStatus.OK, page, "text/html", head)
        if route.kind == "redirect":
            return self._redirect(route.location)
        if route.kind == "outside":
            return self._outside(snapshot.prefix, head)
        if route.kind == "bad":
            return self._send(HTTPStatus.BAD_REQUEST, b"bad path\n", "text/plain", head)
        names = (*route.segments, "index.html") if route.folder else route.segments
        opened = open_inside(snapshot.folder, names)
        # While the build is broken, every page (and every address that would be a new page)
        # shows the problems; pictures and stylesheets still come from the last good build.
        page_like = "." not in names[-1] and opened.kind != "file"
        if snapshot.problems and (names[-1].endswith(".html") or page_like):
            if opened.kind == "file":
                os.close(opened.fd)
            page = error_page(snapshot.problems, snapshot.generation)
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, page, "text/html", head)
        if opened.kind == "folder" and not route.folder:
            base = [name for name in snapshot.prefix.split("/") if name]
            return self._redirect(site_location([*base, *route.segments], folder=True))
        if opened.kind == "file":
            return self._send_file(opened, names[-1], snapshot.generation, head)
        if opened.kind == "refused":
            message = "refused: the preview only serves regular files inside its folder\n"
            return self._send(HTTPStatus.FORBIDDEN, message.encode(), "text/plain", head)
        if opened.kind == "too-large":
            message = f"refused: the file is larger than {MAX_FILE_BYTES // 2**20} MiB\n"
            return self._send(HTTPStatus.FORBIDDEN, message.encode(), "text/plain", head)
        missing = open_inside(snapshot.folder, ("404.html",))
        if missing.kind != "file":
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        page = _read_and_close(missing)
        page = inject_script(page, snapshot.generation)
        return self._send(HTTPStatus.NOT_FOUND, page, "text/html", head)

    def _send_file(self, opened: Opened, name: str, generation: str, head: bool) -> None:
        content_type = _content_type(name)
        if name.endswith(".html"):
            body = inject_script(_read_and_close(opened), generation)
            return self._send(HTTPStatus.OK, body, content_type, head)
        # Anything else is streamed: at most CHUNK bytes of it are in memory at a time.
        with os.fdopen(opened.fd, "rb") as source:
            self._headers(HTTPStatus.OK, content_type, opened.size)
            left = 0 if head else opened.size
            while left > 0:
                chunk = source.read(min(CHUNK, left))
                if not chunk:  # the file shrank: the length we sent is wrong, so hang up
                    self.close_connection = True
                    return
                self.wfile.write(chunk)
                left -= len(chunk)

    def _refuse_host(self, host: str | None, head: bool) -> None:
        # Answered before the path is looked at: a page on another site must learn nothing.
        shown = "no Host header" if host is None else f"the host {host!r}"
        message = (
            f"brandsite preview: {shown} is not one this preview answers to. Open it at "
            f"http://{url_host(self.server.server_name)}:{self.server.server_port}/ , or restart "
            "`brandsite serve` with --allow-host NAME to use another name for this machine.\n"
        )
        self._send(HTTPStatus.MISDIRECTED_REQUEST, message.encode(), "text/plain", head)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool) -> None:
        self._headers(status, content_type, len(body))
        if not head:
            self.wfile.write(body)

    def _headers(self, status: HTTPStatus, content_type: str, length: int) -> None:
        if content_type.startswith(TEXT_TYPES) or content_type == "text/javascript":
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

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

    def _events(self, head: bool) -> None:
        hub = self.server.hub
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
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


def _read_and_close(opened: Opened) -> bytes:
    try:
        return read_fd(opened.fd, opened.size)
    finally:
        os.close(opened.fd)


def _content_type(name: str) -> str:
    if name.endswith(".xml"):
        return "application/xml"
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def bind_server(
    host: str, port: int, hub: ReloadHub, fallback: bool, allow_hosts: Sequence[str] = ()
) -> PreviewServer:
    """A server bound to ``host:port``; with ``fallback``, the next free port if that one is taken."""
    candidates = [port, *range(port + 1, port + 11), 0] if fallback and port else [port]
    server_class = _IPv6Server if ":" in host else PreviewServer
    for candidate in candidates:
        try:
            return server_class((host, candidate), hub, allow_hosts)
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


def lan_address() -> str | None:
    """This machine's address on its local network (the one a phone would type), if it has one.

    Connecting a UDP socket sends nothing; it only asks the kernel which address it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed to anyone
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith(("127.", "0.")) else address


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
