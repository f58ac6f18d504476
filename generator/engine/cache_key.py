"""The secret that makes a build cache this machine's own.

``.brandsite-cache/`` sits in the project, where anyone who can send a pull request or a tarball
can put files (``git add -f``). So nothing in it is trusted unless this machine made it: every
cached thing is named or signed with a keyed hash whose 32-byte key lives outside the project, in
``$XDG_CACHE_HOME/brandsite/cache.key`` (``~/.cache/brandsite/cache.key``; the environment
variable ``BRANDSITE_CACHE_KEY_FILE`` names another file). A cache made with another key is never
found, so it is a clean build, not an error.

When the key file can be neither read nor made (a read-only home), the process uses a random key
of its own: its cache then helps only within that process, and the build goes on.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

KEY_FILE_ENV = "BRANDSITE_CACHE_KEY_FILE"
KEY_BYTES = 32


def key_file() -> Path:
    """Where this machine's cache key is kept (or will be)."""
    named = os.environ.get(KEY_FILE_ENV)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative path is invalid and is to be ignored.
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return folder / "brandsite" / "cache.key"


def machine_key() -> bytes:
    """This machine's cache key (read or made once per process and key file)."""
    path = str(key_file())
    with _LOCK:  # picture threads ask at once: they must not make two per-process keys
        return _key_at(path)


_LOCK = threading.Lock()


@functools.cache
def _key_at(path: str) -> bytes:
    # Memoised: every process keeps one key per file, and forked workers inherit it.
    try:
        return load_key(Path(path))
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home
        return secrets.token_bytes(KEY_BYTES)


def load_key(path: Path) -> bytes:
    """The key in ``path``, made first (atomically, mode 0600) if missing or damaged."""
    with contextlib.suppress(FileNotFoundError):
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
        _write_key(path, replace=True)
        return _read_key(path)
    _write_key(path, replace=False)
    return _read_key(path)


def _write_key(path: Path, replace: bool) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache.key.")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
        if replace:
            os.replace(temporary, path)
            return
        # link() never overwrites: when two builds start at once, the first key made wins
        # and both use it.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _read_key(path: Path) -> bytes:
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise OSError(f"{path} does not hold a key")
    return key


def keyed_digest(key: bytes, purpose: bytes, *parts: str | bytes | memoryview) -> str:
    """A keyed hash of ``parts`` for one ``purpose`` (up to 16 bytes), as 64 hex digits.

    Without ``key`` nobody can compute it, so nobody can name or sign a cache entry that this
    machine will accept. Parts are length-prefixed, so ("ab", "c") != ("a", "bc").
    """
    return _keyed(key, purpose, parts).hexdigest()


def keyed_file_digest(
    key: bytes, purpose: bytes, head: Sequence[str | bytes], file: BinaryIO, length: int
) -> str:
    """``keyed_digest(key, purpose, *head, <the next length bytes of file>)``, read in chunks,
    so a big file is signed without holding it in memory twice."""
    h = _keyed(key, purpose, head)
    h.update(length.to_bytes(8, "little"))
    left = length
    while left:
        chunk = file.read(min(left, 1 << 20))
        if not chunk:
            raise OSError("the file is shorter than it was written")
        h.update(chunk)
        left -= len(chunk)
    return h.hexdigest()


def _keyed(
    key: bytes, purpose: bytes, parts: Iterable[str | bytes | memoryview]
) -> hashlib.blake2b:
    """The keyed hasher, fed with ``parts``, each after its length."""
    h = hashlib.blake2b(key=key, digest_size=32, person=purpose)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h
