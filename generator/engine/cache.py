"""The persistent build cache in ``.brandsite-cache/``: parsed files, rendered Markdown, page records.

Nothing here is trusted blindly: the folder is in the project, where a pull request can put files.
Every file carries a format version and a MAC of its content keyed with this machine's secret
(``cache_key``); a file that is missing, from another version or another machine, truncated or
tampered with is ignored (and the build does the work again). Entries are keyed by what they were
computed from: parsed files by the source's (mtime, size, inode), Markdown by a keyed hash of its
text and the converter's settings, pages by a fingerprint of everything their template receives.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Diagnostic, warning
from .cache_key import keyed_digest, keyed_file_digest, machine_key
from .pickling import fast_pickle

BUILD_CACHE_DIR = ".brandsite-cache"
FORMAT = 13
"""Bump when the shape of anything pickled here changes (9: keyed MACs; 10: summaries, links;
11: share titles and planned posts; 13: slotted entries, bodies read again at their offset)."""
_MAGIC = b"brandsite-cache\n"
FLUSH_EVERY = 256
"""Converted bodies the Markdown cache collects before it writes them in one transaction."""

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


@fast_pickle
@dataclass(frozen=True, slots=True)
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
    cards: tuple[str, ...] = ()
    """Stories the file shows as cards (listings, related stories, its own page): a rebuild
    re-plans the file when one of them changes what listings show."""


@dataclass(frozen=True)
class PlanMemory:
    """What the last build's plan was made from, to re-plan only what a change touches."""

    shape: str
    """Digest of the site's shape: settings, theme, values, routes and the published stories
    with everything that orders or groups them. While it holds, every file's plan is the same
    except where a story it shows or reads changed."""
    cards: dict[str, str]
    """Story read key → digest of what listings show of it."""
    full: dict[str, str]
    """Story or value read key → digest of its whole file."""


@dataclass
class Manifest:
    """The pages of one output folder as the last build left them."""

    output: str
    """Absolute path of the output folder."""
    marker: str
    """Content of the output's marker file, unique per full build."""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    memory: PlanMemory | None = None
    """What the plan was made from (None: the next build plans every file)."""


def load_pickle(path: Path, expected_type: type, key: bytes | None = None) -> Any | None:
    """The object stored at ``path``, or None when it is missing, stale, corrupt or not ours.

    Unpickling runs code, so nothing is unpickled before its MAC, keyed with this machine's
    ``key``, is checked: a file made anywhere else (planted in a pull request) is never loaded.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header = _MAGIC + f"{FORMAT} {__version__}\n".encode()
    if not raw.startswith(header) or len(raw) < len(header) + _MAC_SIZE:
        return None
    mac = raw[len(header) : len(header) + _MAC_SIZE]
    payload = memoryview(raw)[len(header) + _MAC_SIZE :]  # (not a second copy of a big file)
    if not hmac.compare_digest(mac, _pickle_mac(key or machine_key(), header, payload)):
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # a corrupt cache is a cache miss, whatever the unpickler says
        return None
    return value if isinstance(value, expected_type) else None


def save_pickle(path: Path, value: object, key: bytes | None = None) -> None:
    """Store ``value`` atomically (write a temporary file, then rename), signed with ``key``."""
    header = _MAGIC + f"{FORMAT} {__version__}\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w+b") as out:
            # The pickle streams into the file (a site's state is tens of MiB: no copy in
            # memory), then is read back to sign it, and the MAC fills the gap left for it.
            out.write(header + b"0" * _MAC_SIZE)
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            length = out.tell() - len(header) - _MAC_SIZE
            out.seek(len(header) + _MAC_SIZE)
            mac = keyed_file_digest(key or machine_key(), _PICKLE_PURPOSE, [header], out, length)
            out.seek(len(header))
            out.write(mac.encode())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_MAC_SIZE = 64
"""Hex digits of a pickle's MAC."""


_PICKLE_PURPOSE = b"brandsite-pickle"


def _pickle_mac(key: bytes, header: bytes, payload: bytes | memoryview) -> bytes:
    return keyed_digest(key, _PICKLE_PURPOSE, header, payload).encode()


BUSY_SECONDS = 30.0
"""How long a process waits for another one's write to the Markdown cache."""


class HtmlStore:
    """Rendered Markdown by content hash, in SQLite, shared by a build's worker processes.

    Rows are found by a keyed hash of the content hash (``cache_key``), so only this machine can
    name a row it will read: a database made elsewhere, or rows planted in it, are never found.
    The key travels with the store to the workers (pickled for a forkserver's, inherited when
    forked), so every process of a build reads and writes the same rows.

    Each process opens its own connection on first use (a connection never crosses a fork: the
    one a parent opened is left alone in its children). The store is an optimisation: when the
    database cannot be used (locked, damaged, a disk error), the process stops using it for the
    rest of the build and ``report`` says so, and every body is converted afresh.
    """

    def __init__(self, path: Path | None, shown: str = "", key: bytes | None = None) -> None:
        self.path = path
        self.shown = shown or (path.as_posix() if path is not None else "")
        """The database's path as problems show it (relative to the project)."""
        self._owner = os.getpid()
        """The process that made the store: the only one that may replace a damaged file."""
        self._connection: sqlite3.Connection | None = None
        self._inherited: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._pending: list[tuple[str, str]] = []
        self._failure = ""
        self._key = key
        """This machine's cache key (read on first use when not given)."""

    def __getstate__(self) -> dict[str, Any]:
        """Pickled for a worker: the path and key, never the connection or pending writes."""
        key = self._secret() if self.path is not None else None
        return {"path": self.path, "shown": self.shown, "_owner": self._owner, "_key": key}

    def __setstate__(self, state: dict[str, Any]) -> None:
        HtmlStore.__init__(self, state["path"], state["shown"], state["_key"])
        self._owner = state["_owner"]

    def _secret(self) -> bytes:
        if self._key is None:
            self._key = machine_key()
        return self._key

    def _row(self, key: str) -> str:
        """The row's name for the content hash ``key``: keyed, so a planted row is never found."""
        return keyed_digest(self._secret(), b"brandsite-html", key)

    def _db(self) -> sqlite3.Connection | None:
        if self.path is None or self._failure:
            return None
        if self._pid != os.getpid():
            # Forked: the parent's connection shares its file locks and memory map with the
            # parent. Closing it here could checkpoint or remove the parent's journal, so it is
            # kept, unused, until this process exits.
            if self._connection is not None:
                self._inherited.append(self._connection)
            self._connection, self._pid, self._pending = None, os.getpid(), []
        if self._connection is None:
            try:
                self._connection = self._connect()
            except (sqlite3.Error, OSError) as exc:
                self._fail(exc)
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _open_html_db(self.path)
        except sqlite3.DatabaseError:
            if os.getpid() != self._owner:
                raise  # a worker never replaces the file others may be reading
            # Not a database (a damaged or foreign file): start over rather than trust it.
            self.path.unlink(missing_ok=True)
            return _open_html_db(self.path)

    def _fail(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self._failure = reason or exc.__class__.__name__
        self._pending = []
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.close()

    def prepare(self) -> None:
        """Open (and if need be replace) the database here, then close it, before workers start."""
        self._secret()  # read here, so forked workers inherit one key, never make their own
        self._db()
        self.close()

    def close(self) -> None:
        """Write what is pending and close this process's connection (reopened on next use)."""
        self.flush()
        connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                connection.close()

    def report(self) -> list[Diagnostic]:
        """A warning if the store failed in this process (then it is tried again next build)."""
        if not self._failure:
            return []
        reason, self._failure = self._failure, ""
        return [
            warning(
                self.shown,
                0,
                "cache-unavailable",
                f"the Markdown cache could not be used ({reason}); the build went on without it, "
                "converting the stories afresh, so the pages are complete",
                "nothing to fix in your content. If this repeats, check the disk and that no "
                f"other program holds {self.shown}, or delete the file (brandsite makes a new one)",
            )
        ]

    def get(self, key: str) -> str | None:
        """The stored HTML for ``key``, if any."""
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM html WHERE key = ?", (self._row(key),)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return row[0] if row else None

    def put(self, key: str, html: str) -> None:
        """Remember ``html`` for ``key`` (written at ``flush``)."""
        if self.path is not None and not self._failure:
            self._pending.append((self._row(key), html))
            if len(self._pending) >= FLUSH_EVERY:  # a cold build's HTML would fill memory
                self.flush()

    def flush(self) -> None:
        """Write what ``put`` collected, in one transaction."""
        if not self._pending:
            return
        db = self._db()
        if db is None:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", self._pending)
        except sqlite3.Error as exc:
            self._fail(exc)
        self._pending = []


def _open_html_db(path: Path) -> sqlite3.Connection:
    # check_same_thread=False: a serve session builds on one thread at a time, not always the same.
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        # A cache may lose its last writes in a power cut; it must not wait for the disk.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS html (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
    except BaseException:
        connection.close()
        raise
    return connection
