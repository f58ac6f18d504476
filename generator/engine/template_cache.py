"""Compiled templates kept between builds (engine stage): Jinja's bytecode, signed like the cache.

Compiling the default theme's page templates takes about a third of a second, in every build
and every render worker. Jinja can keep the compiled code, but loading it runs it (``marshal``
and ``pickle``), and ``.brandsite-cache/`` is in the project, where a pull request can put files.
So each entry is signed with this machine's cache key (``cache_key``) and read only when the
signature holds; it is named by the template and by ``unchanged.tool_digest`` (brandsite's own
files and the installed libraries), since brandsite's template tags and settings shape the
compiled code. Writing a template's entry removes its older ones, so there is one per template.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from .cache import BUILD_CACHE_DIR, digest
from .cache_key import keyed_digest, machine_key
from .unchanged import tool_digest

TEMPLATE_CACHE_DIR = f"{BUILD_CACHE_DIR}/templates"
_PURPOSE = b"bs-templates"
_MAC_SIZE = 64


class SignedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode in ``folder``, one signed file per template and brandsite version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = tool_digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from its file when the file is ours and whole; else leave it empty."""
        try:
            raw = self._path(bucket).read_bytes()
        except OSError:
            return
        mac, payload = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
        if mac == self._mac(bucket, payload).encode():
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store ``bucket`` atomically, signed, and remove the template's older entries."""
        payload = bucket.bytecode_to_string()
        path = self._path(bucket)
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".template.")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(self._mac(bucket, payload).encode() + payload)
                os.replace(temporary, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
            prefix = path.name.split("-")[0] + "-"
            for old in os.listdir(self.folder):
                if old.startswith(prefix) and old != path.name:
                    with contextlib.suppress(OSError):
                        os.unlink(self.folder / old)

    def clear(self) -> None:
        """Remove every entry."""
        with contextlib.suppress(OSError):
            for name in os.listdir(self.folder):
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / name)

    def _path(self, bucket: Bucket) -> Path:
        # The template's key and the source's checksum: an edited template is a new entry.
        return self.folder / f"{bucket.key[:20]}-{digest(self.version, bucket.checksum)[:20]}.bin"

    def _mac(self, bucket: Bucket, payload: bytes) -> str:
        return keyed_digest(machine_key(), _PURPOSE, self.version, bucket.key, payload)
