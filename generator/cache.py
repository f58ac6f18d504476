"""The persistent build cache in ``.brandsite-cache/``: parsed files, rendered Markdown, page records.

Nothing here is trusted blindly. Every file carries a format version and a checksum of its payload;
a file that is missing, from another version, truncated or tampered with is ignored (and the build
does the work again). Entries are keyed by what they were computed from: parsed files by the
source's (mtime, size, inode), Markdown by a hash of its text and the converter's settings, pages by
a fingerprint of everything their template receives.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".brandsite-cache"
FORMAT = 7
"""Bump when the shape of anything pickled here changes."""
_MAGIC = b"brandsite-cache\n"

Stamp = tuple[int, int, int]
"""(mtime in ns, size, inode) of a source file: cheap to read, changes on every save."""


def stamp_of(stat: os.stat_result) -> Stamp:
    """The cache key of a file's version."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of ``parts`` (separated, so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@dataclass(frozen=True)
class PageRecord:
    """What the last build wrote at one output path."""

    fingerprint: str
    """Digest of everything the file was made from."""
    size: int
    """Size of the written file (to notice edits in the output folder)."""
    mtime_ns: int
    """Modification time of the written file."""
    reads: tuple[str, ...] = ()
    """Stories and values whose body (or count) rendering the file read: their full content
    is part of ``fingerprint``; elsewhere only what listings show of them is."""


@dataclass
class Manifest:
    """The pages of one output folder as the last build left them."""

    output: str
    """Absolute path of the output folder."""
    marker: str
    """Content of the output's marker file, unique per full build."""
    pages: dict[str, PageRecord] = field(default_factory=dict)


def load_pickle(path: Path, expected_type: type) -> Any | None:
    """The object stored at ``path``, or None when it is missing, stale or corrupt."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header = _MAGIC + f"{FORMAT} {__version__}\n".encode()
    if not raw.startswith(header) or len(raw) < len(header) + 32:
        return None
    checksum, payload = raw[len(header) : len(header) + 32], raw[len(header) + 32 :]
    if hashlib.blake2b(payload, digest_size=16).hexdigest().encode() != checksum:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # a corrupt cache is a cache miss, whatever the unpickler says
        return None
    return value if isinstance(value, expected_type) else None


def save_pickle(path: Path, value: object) -> None:
    """Store ``value`` atomically (write a temporary file, then rename)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = _MAGIC + f"{FORMAT} {__version__}\n".encode()
    checksum = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(header + checksum + payload)
    os.replace(temporary, path)


class HtmlStore:
    """Rendered Markdown by content hash, in SQLite (safe for parallel worker processes).

    A process opens its own connection on first use, so forked workers never share one.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._pending: list[tuple[str, str]] = []

    def _db(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._connection is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._connection = sqlite3.connect(self.path, timeout=30)
                self._connection.execute("PRAGMA journal_mode=WAL")
                # A cache may lose its last writes in a power cut; it must not wait for the disk.
                self._connection.execute("PRAGMA synchronous=NORMAL")
                self._connection.execute(
                    "CREATE TABLE IF NOT EXISTS html (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
            except sqlite3.DatabaseError:
                # A corrupt database file: start over rather than trust it.
                self._connection = None
                self.path.unlink(missing_ok=True)
                self._connection = sqlite3.connect(self.path, timeout=30)
                self._connection.execute(
                    "CREATE TABLE IF NOT EXISTS html (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
            self._pid = os.getpid()
            self._pending = []
        return self._connection

    def get(self, key: str) -> str | None:
        """The stored HTML for ``key``, if any."""
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM html WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def put(self, key: str, html: str) -> None:
        """Remember ``html`` for ``key`` (written at ``flush``)."""
        if self.path is not None:
            self._pending.append((key, html))

    def flush(self) -> None:
        """Write what ``put`` collected, in one transaction."""
        db = self._db()
        if db is None or not self._pending:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", self._pending)
        except sqlite3.DatabaseError:
            pass  # the cache is an optimisation; losing a write only costs time
        self._pending = []
