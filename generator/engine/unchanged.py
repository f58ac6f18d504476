"""The no-change shortcut of ``brandsite build`` (engine stage, before anything is loaded).

When every file the last build could have read and every file it wrote is as that build left
it, and the build is asked the same thing (same generator and libraries, output, options and
day), it would plan nothing: it is skipped, and the last build's warnings are repeated.

Two digests of every file's path, modification time, size and inode decide it: one of the
project folder (without the output, the cache and version-control folders, plus any theme
outside it), one of the files the last build left in the output folder (a file changed or
removed there by hand is repaired by a real build, as ``incremental.stale_records`` finds).
Nothing is parsed and no page is fingerprinted: this costs a directory walk and a ``stat`` per
output file, not a build.

The memo is a JSON file in ``.brandsite-cache/`` (the output's file names and the digests), signed with this machine's cache key like
everything there, so a memo planted in a pull request is never believed. It is deleted before a
build writes anything and written after a successful one, from the project listing taken
*before* that build read a file: a file saved while a build runs makes the next build do the work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import __version__
from ..errors import Diagnostic, Severity
from .cache_key import keyed_digest, machine_key

MEMO_FILE = ".brandsite-cache/unchanged.json"
FORMAT = 1
SKIPPED_NAMES = frozenset(
    {".brandsite-cache", ".git", ".hg", ".svn", ".venv", "__pycache__", "node_modules"}
)
"""Folders no build reads: the cache itself, version control, environments, byte code."""
_PURPOSE = b"bs-unchanged"
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Request:
    """What a build is asked, as far as its output depends on it."""

    root: Path
    output: Path
    now: dt.datetime
    today: dt.date | None
    include_drafts: bool
    base_url: str | None

    def key(self, timezone: str) -> str:
        """Digest of the generator, its libraries and everything asked, on the site's day."""
        try:
            today = self.today or self.now.astimezone(ZoneInfo(timezone)).date()
        except (KeyError, ValueError, OSError):
            return ""  # an unusable time zone: only a real build can say what is wrong
        return _digest(
            tool_digest(),
            str(self.root),
            str(self.output),
            self.base_url or "",
            str(self.include_drafts),
            today.isoformat(),
        )


@dataclass(frozen=True)
class Memo:
    """What the last successful build leaves for the shortcut."""

    key: str
    """``Request.key`` of that build."""
    project: str
    """Digest of the project listing taken before it read anything."""
    output: str
    """Digest of the output files after it wrote (``output_digest``)."""
    outputs: tuple[str, ...]
    """The files it left in the output folder (their number is what the summary says)."""
    timezone: str
    """The site's time zone (what "today" is)."""
    outside: tuple[str, ...]
    """Theme folders outside the project that it read."""
    diagnostics: tuple[Diagnostic, ...]
    """Its warnings, repeated by every skipped build."""


@dataclass(frozen=True)
class Look:
    """The result of looking before a build: the memo, if it still holds, and the listing."""

    memo: Memo | None
    """The last build's memo when nothing changed since; None: build."""
    project: str
    """Digest of the project listing now (what the next memo records)."""
    outside: tuple[str, ...]
    """The theme folders outside the project that ``project`` includes."""


def look(request: Request) -> Look:
    """Whether the last build's output still stands, and the project's listing as of now."""
    memo = read_memo(request.root)
    outside = memo.outside if memo is not None else ()
    project = project_digest(request.root, request.output, outside)
    if (
        memo is None
        or memo.project != project
        or memo.key != request.key(memo.timezone)
        or _leftovers(request.output)
        or memo.output != output_digest(request.output, memo.outputs)
    ):
        return Look(None, project, outside)
    return Look(memo, project, outside)


def forget(root: Path) -> None:
    """Delete the memo: a build is about to change the output."""
    with contextlib.suppress(OSError):
        os.unlink(root / MEMO_FILE)


def remember(
    request: Request,
    before: Look,
    timezone: str,
    outside: Sequence[Path],
    outputs: Sequence[str],
    diagnostics: Iterable[Diagnostic],
) -> None:
    """Write the memo of a successful build whose project listing was ``before``."""
    folders = tuple(sorted(str(folder) for folder in outside))
    if folders != before.outside:
        return  # the listing taken before lacks a theme folder: the next build looks again
    memo = Memo(
        request.key(timezone),
        before.project,
        output_digest(request.output, outputs),
        tuple(outputs),
        timezone,
        folders,
        tuple(diagnostics),
    )
    write_memo(request.root, memo)


def project_digest(root: Path, output: Path, outside: Sequence[str] = ()) -> str:
    """Digest of every file in the project a build could read, and of ``outside`` folders."""
    h = hashlib.blake2b(digest_size=16)
    _walk(h, str(root), str(output), f".{output.name}.")
    for folder in outside:
        h.update(b"\1" + folder.encode("utf-8", "surrogateescape"))
        _walk(h, folder, str(output), f".{output.name}.")
    return h.hexdigest()


def output_digest(output: Path, files: Iterable[str]) -> str:
    """Digest of the output folder's ``files`` (path, mtime, size, inode; "gone" when missing)."""
    h = hashlib.blake2b(digest_size=16)
    base = str(output)
    for name in files:
        try:
            stat = os.stat(os.path.join(base, name))
        except OSError:
            h.update(f"{name}\0gone\n".encode("utf-8", "surrogateescape"))
            continue
        h.update(
            f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\0{stat.st_ino}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
    return h.hexdigest()


def tool_digest() -> str:
    """Digest of the generator's own files, the Python and the installed libraries' versions."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}\0{sys.version}\0{sys.executable}\0{_PACKAGE}\0".encode())
    _walk(h, str(_PACKAGE), "", "")
    installed: set[str] = set()
    for folder in sys.path:
        with contextlib.suppress(OSError):
            installed.update(
                name
                for name in os.listdir(folder or ".")
                if name.endswith((".dist-info", ".egg-info"))
            )
    h.update("\0".join(sorted(installed)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def read_memo(root: Path) -> Memo | None:
    """The memo in ``root``'s cache, or None when missing, damaged, old or not this machine's."""
    try:
        raw = (root / MEMO_FILE).read_bytes()
    except OSError:
        return None
    mac, _, payload = raw.partition(b"\n")
    if not hmac.compare_digest(mac, keyed_digest(machine_key(), _PURPOSE, payload).encode()):
        return None
    try:
        data = json.loads(payload)
        if data.pop("format") != FORMAT:
            return None
        diagnostics = tuple(
            Diagnostic(**{**item, "severity": Severity(item["severity"])})
            for item in data.pop("diagnostics")
        )
        return Memo(
            **{
                **data,
                "outside": tuple(data["outside"]),
                "outputs": tuple(data["outputs"]),
                "diagnostics": diagnostics,
            }
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def write_memo(root: Path, memo: Memo) -> None:
    """Store ``memo`` atomically, signed with this machine's key."""
    data = {**asdict(memo), "format": FORMAT}
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    mac = keyed_digest(machine_key(), _PURPOSE, payload).encode()
    path = root / MEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".unchanged.")
    with os.fdopen(handle, "wb") as out:
        out.write(mac + b"\n" + payload)
    os.replace(temporary, path)


def _walk(h: hashlib.blake2b, top: str, output: str, build_prefix: str) -> None:
    """Add every file under ``top`` (path, mtime, size, inode), in name order, to ``h``.

    Links are followed (a build reads what they point to), each folder once. Skipped: the
    ``output`` folder, ``SKIPPED_NAMES`` and the build's own files beside the output (its lock
    and staging folders, named ``build_prefix…``).
    """
    start = len(top) + 1
    folders = [top]
    visited: set[tuple[int, int]] = set()
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            h.update(f"{folder[start:]}\0!{exc.errno}\n".encode("utf-8", "surrogateescape"))
            continue
        for entry in entries:
            name = entry.name
            if name in SKIPPED_NAMES or (build_prefix and name.startswith(build_prefix)):
                continue
            path = entry.path
            if path == output:
                continue
            try:
                stat = entry.stat()
            except OSError:
                h.update(f"{path[start:]}\0broken\n".encode("utf-8", "surrogateescape"))
                continue
            if entry.is_dir():
                if (stat.st_dev, stat.st_ino) not in visited:
                    visited.add((stat.st_dev, stat.st_ino))
                    folders.append(path)
                continue
            h.update(
                f"{path[start:]}\0{stat.st_mtime_ns}\0{stat.st_size}\0{stat.st_ino}\n".encode(
                    "utf-8", "surrogateescape"
                )
            )


def _leftovers(output: Path) -> bool:
    """True when a stopped build left staging folders beside the output (a build removes them)."""
    prefixes = (f".{output.name}.staging-", f".{output.name}.update-")
    try:
        return any(name.startswith(prefixes) for name in os.listdir(output.parent))
    except OSError:
        return True


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()
