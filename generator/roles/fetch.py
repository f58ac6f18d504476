"""SOURCE → bytes: a file, or an https address fetched once, at import time (builds never fetch)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from ..errors import Diagnostic, error

MAX_FEED_BYTES = 16 * 1024 * 1024
"""Largest feed read; a hundred roles take well under one MiB."""
TIMEOUT_SECONDS = 30.0
USER_AGENT = "brandsite-jobs-import"


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to https addresses."""

    def redirect_request(
        self, req: Any, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith("https://"):
            raise urllib.error.URLError(f"the address redirects to {newurl!r}, which is not https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_address(source: str) -> bool:
    """Whether SOURCE names a web address rather than a file."""
    return "://" in source


def read_feed(source: str, max_bytes: int = MAX_FEED_BYTES) -> bytes | Diagnostic:
    """The feed's bytes, or a problem saying why there are none."""
    if not is_address(source):
        return _read_file(Path(source), source, max_bytes)
    if not source.lower().startswith("https://"):
        return error(
            source,
            0,
            "bad-feed-address",
            "the feed address must start with https://",
            "copy the feed's https:// address from the ATS, or download it and pass the file",
        )
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_HttpsOnly)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            data = bytes(response.read(max_bytes + 1))
    except urllib.error.HTTPError as exc:
        return error(
            source,
            0,
            "feed-unreachable",
            f"the ATS answered {exc.code} ({exc.reason})",
            "check the address; a board that is not public answers 404",
        )
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return error(
            source,
            0,
            "feed-unreachable",
            f"cannot fetch the feed: {reason}",
            "check the address and the network; or download the feed and pass the file",
        )
    return _too_large(source, max_bytes) if len(data) > max_bytes else data


def _read_file(path: Path, source: str, max_bytes: int) -> bytes | Diagnostic:
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        return error(source, 0, "feed-unreachable", "there is no such file", "check the path")
    except OSError as exc:
        return error(source, 0, "feed-unreachable", f"cannot read the file: {exc.strerror}", "")
    return _too_large(source, max_bytes) if len(data) > max_bytes else data


def _too_large(source: str, max_bytes: int) -> Diagnostic:
    return error(
        source,
        0,
        "feed-too-large",
        f"the feed is larger than {max_bytes // (1024 * 1024)} MiB, far more than a job feed",
        "check that SOURCE is the job feed and not something else",
    )
