"""A minimal HTTP client for the local test server: one GET, no redirects followed, no network."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Response:
    """What the server answered for one URL."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("text/html")."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_html(self) -> bool:
        """Tell whether the body is an HTML document."""
        return self.content_type in ("text/html", "application/xhtml+xml")

    def text(self) -> str:
        """The body decoded as UTF-8 (the generator writes UTF-8 only)."""
        return self.body.decode("utf-8", errors="replace")


def fetch(url: str, *, method: str = "GET", timeout: float = 10) -> Response:
    """GET `url` (http on 127.0.0.1 only) and return the answer without following redirects."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"refusing to fetch {url!r}: the e2e tests only talk to 127.0.0.1")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request(method, target)
        answer = conn.getresponse()
        headers = {k.lower(): v for k, v in answer.getheaders()}
        return Response(url, answer.status, headers, answer.read())
    finally:
        conn.close()
