"""A real HTTP server for a built site, on 127.0.0.1 and a free port, under a URL prefix.

Serving under a prefix such as /careers/ is what a sub-path base_url means in production: a link
that forgets the prefix (or is relative in the wrong way) gets a 404 here, as it would there.
Unknown paths get the site's 404.html with status 404, like a static host configured for it.
"""

from __future__ import annotations

import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


def normalise_base_path(base_path: str) -> str:
    """Return `base_path` with exactly one leading and one trailing slash ("/" for the root)."""
    inner = base_path.strip("/")
    return f"/{inner}/" if inner else "/"


class PrefixHandler(SimpleHTTPRequestHandler):
    """Serve `directory` under `base_path`; 404.html for anything missing; no directory listings."""

    def __init__(self, *args: Any, base_path: str, log: list[str], **kwargs: Any) -> None:
        self.base_path = base_path
        self.request_log = log
        super().__init__(*args, **kwargs)

    def _site_path(self) -> str | None:
        """Map the request path to a path inside the site, or None when outside the prefix."""
        path = urlsplit(self.path).path
        if path == self.base_path.rstrip("/"):
            return "/"  # "/careers" -> the site root; the parent class redirects to "/careers/"
        if not path.startswith(self.base_path):
            return None
        return "/" + path[len(self.base_path) :]

    def translate_path(self, path: str) -> str:
        """Resolve inside the site folder; the parent class guards against `..` escapes."""
        site_path = self._site_path()
        return super().translate_path(site_path if site_path is not None else "/")

    def send_head(self) -> Any:
        """Refuse paths outside the prefix before the parent class looks at the disk."""
        if self._site_path() is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def list_directory(self, path: str | Path) -> Any:
        """A static host has no directory listings: a folder without index.html is a 404."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer 404s with the site's own 404.html, keeping the 404 status."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the request log in memory instead of writing to stderr."""
        self.request_log.append(format % args)


class SiteServer:
    """A ThreadingHTTPServer for one site folder; use as a context manager or start()/stop().

    The port is bound in the constructor, so `url` is known before the folder exists: the site can
    be built with that URL as its base_url and then served.
    """

    def __init__(self, folder: Path, base_path: str = "/") -> None:
        self.folder = Path(folder)
        self.base_path = normalise_base_path(base_path)
        self.requests: list[str] = []
        handler = partial(
            PrefixHandler, directory=str(self.folder), base_path=self.base_path, log=self.requests
        )
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """Scheme, host and port, e.g. http://127.0.0.1:40123."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The site's base URL, e.g. http://127.0.0.1:40123/careers/."""
        return self.origin + self.base_path

    def url_for(self, site_path: str) -> str:
        """Return the absolute URL of a site-relative path such as "stories/"."""
        return self.url + site_path.lstrip("/")

    def start(self) -> SiteServer:
        """Serve requests in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"e2e-http-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
