"""The only code that writes the site: a staging folder beside the output, swapped in atomically.

A build never writes into ``output/`` directly. It fills ``.output.staging-<pid>/`` and, only when
every page is there, exchanges the two folders in one ``renameat2(RENAME_EXCHANGE)`` call, so a
visitor or a killed process sees either the old site or the new one, never a mix. An incremental
update prepares its files in ``.output.update-<random>/`` and moves them in one by one only when
all are ready. Folders are only ever deleted when they carry brandsite's marker file.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

MARKER = ".brandsite-output"
"""Written into every folder brandsite builds; a folder without it is never emptied."""
_RENAME_EXCHANGE = 2
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_AT_FDCWD = -100


class OutputRefused(Exception):
    """The output folder is somewhere brandsite must not write (a usage error, exit code 2)."""


def check_output_folder(root: Path, output: Path) -> None:
    """Refuse output folders that would endanger the project or the machine.

    ``output`` must be given as the user named it (absolute, not resolved): links are looked
    for first, because resolving would follow them and put the swap and the lock file beside
    the link's target instead.
    """
    link = link_on_the_way(root, output)
    if link == output:
        raise OutputRefused(f"{output} is a symbolic link; give the real folder as --output")
    if link is not None:
        raise OutputRefused(
            f"{link} is a symbolic link, so {output} would not be where it seems; "
            "replace the link with a real folder or give another --output"
        )
    root, output = root.resolve(), output.resolve()
    if output == Path(output.anchor):
        raise OutputRefused(f"refusing to use the file system root {output} as the output folder")
    if output == root or output in root.parents:
        raise OutputRefused(f"refusing to build into {output}: it contains the project itself")
    if output == Path.home().resolve():
        raise OutputRefused(f"refusing to build into your home folder {output}")
    for protected in ("content", "themes", ".git"):
        folder = root / protected
        if output == folder or folder in output.parents:
            raise OutputRefused(f"refusing to build into {output}: it is inside {protected}/")
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise OutputRefused(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputRefused(
            f"{output} is not empty and was not made by brandsite; "
            "choose another --output or empty the folder yourself"
        )


def link_on_the_way(root: Path, output: Path) -> Path | None:
    """``output`` if it is a symbolic link, else the first link among its folders below ``root``.

    Compared by name, without resolving anything; folders above the project are the user's
    business (``/home`` may well be a link).
    """
    if output.is_symlink():
        return output
    try:
        parts = output.relative_to(root).parts
    except ValueError:
        return None
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None


def lock_path(output: Path) -> Path:
    """The lock file beside ``output`` that builds of it take turns holding."""
    return output.parent / f".{output.name}.lock"


@contextlib.contextmanager
def build_lock(output: Path, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder for the length of a build.

    The lock file holds the pid of the build that has it, so a second build can say whom it
    waits for (``on_wait(pid)``, pid None if unknown). The kernel drops the lock when the
    process dies, however it dies, so a killed build never leaves a stale lock behind.
    """
    path = lock_path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a planted link must not make us truncate someone else's file.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputRefused(f"cannot create the build lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(_lock_holder(fd))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    return int(text) if text.isdigit() else None


def staging_folders(output: Path) -> list[Path]:
    """Leftovers of earlier (killed) builds and updates beside ``output``."""
    prefixes = (f".{output.name}.staging-", f".{output.name}.update-")
    if not output.parent.is_dir():
        return []
    return sorted(
        p
        for p in output.parent.iterdir()
        if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink()
    )


def remove_leftovers(output: Path) -> int:
    """Clean up after builds and updates that were killed: restore or delete their folders.

    Only folders carrying the marker (or empty ones) are deleted. Where a build was killed
    between the two renames of the non-atomic fallback, the previous site is put back first.
    """
    leftovers = staging_folders(output)
    previous = [f for f in leftovers if f.name.startswith(f".{output.name}.staging-old-")]
    if not output.exists() and previous and (previous[-1] / MARKER).is_file():
        os.rename(previous[-1], output)
        leftovers.remove(previous[-1])
    removed = 0
    for folder in leftovers:
        if (folder / MARKER).is_file():
            if _being_deleted(folder):
                continue  # an earlier build's deleter is still at it: leave it to that process
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        elif not any(folder.iterdir()):  # killed before the marker was written
            folder.rmdir()
            removed += 1
    return removed


class Staging:
    """A fresh folder beside the output that a build fills and then swaps in."""

    def __init__(self, output: Path, discard_in_background: bool = False) -> None:
        self.output = output
        self.path = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.discard_in_background = discard_in_background
        """Delete the previous site in a detached process (big sites: it takes seconds)."""
        try:
            if self.path.is_symlink() or (
                self.path.exists() and not (self.path / MARKER).is_file()
            ):
                raise OutputRefused(f"{self.path} is in the way and was not made by brandsite")
            if self.path.exists():
                shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
            # The marker goes in first, so a half-written staging folder is recognisably ours.
            (self.path / MARKER).write_text(
                "built by brandsite; this folder is replaced on every build\n"
            )
        except OSError as exc:
            raise OutputRefused(f"cannot create {self.path}: {exc.strerror}") from None
        self._made: set[str] = set()
        self._root = str(self.path.resolve())

    def target(self, output_path: str) -> Path:
        """Absolute path for ``output_path``, guaranteed to stay inside the staging folder.

        Checked without resolving every file's path (that costs a system call per component,
        per file): the name is normalised, each new folder is resolved once, and files are
        created exclusively and never through a link (see ``write``).
        """
        joined = os.path.normpath(os.path.join(self._root, output_path))
        if not joined.startswith(self._root + os.sep):
            raise OutputRefused(f"refusing to write {output_path!r} outside the output folder")
        target = Path(joined)
        parent = str(target.parent)
        if parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            real = os.path.realpath(parent)
            if real != self._root and not real.startswith(self._root + os.sep):
                raise OutputRefused(f"refusing to write {output_path!r} outside the output folder")
            self._made.add(parent)
        return target

    def write(self, output_path: str, content: str | bytes) -> None:
        """Write one new file (never through a link, never over an existing file)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.target(output_path)
        try:
            handle = os.open(target, _NEW_FILE, 0o644)
        except FileExistsError:
            raise OutputRefused(
                f"refusing to write {output_path!r}: something is in the way"
            ) from None
        except OSError as exc:
            raise self._failed(output_path, exc) from None
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise self._failed(output_path, exc) from None

    def copy(self, output_path: str, source: Path) -> None:
        """Copy one file from the project (callers checked the source stays inside it)."""
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise self._failed(output_path, exc) from None
        self.write(output_path, data)

    def replace(self, output_path: str, content: bytes) -> None:
        """Replace a file this build already staged (``build --portable`` rewrites its links)."""
        target = self.target(output_path)
        if target.is_symlink() or not target.is_file():
            raise OutputRefused(f"refusing to replace {output_path!r}: it is not a staged file")
        temporary = f"{os.path.dirname(output_path)}/.{target.name}.portable".lstrip("/")
        self.write(temporary, content)
        os.replace(self.target(temporary), target)  # a rename never follows a link

    def _failed(self, output_path: str, exc: OSError) -> OutputRefused:
        return OutputRefused(
            f"cannot write {output_path}: {exc.strerror}; {self.output} was left as it was"
        )

    def commit(self) -> None:
        """Make the staged site the output, atomically where the OS allows."""
        # Checked again at the last moment: the build may have run long enough for someone
        # to put files of their own into the output folder, and those must not be deleted.
        if self.output.is_symlink() or (
            self.output.is_dir()
            and any(self.output.iterdir())
            and not (self.output / MARKER).is_file()
        ):
            raise OutputRefused(
                f"{self.output} changed during the build and is no longer brandsite's; "
                "nothing was replaced"
            )
        if self.output.exists():
            if not _exchange(self.path, self.output):
                old = self.output.parent / f".{self.output.name}.staging-old-{os.getpid()}"
                os.rename(self.output, old)
                os.rename(self.path, self.output)
                self.path = old
            _discard(self.path, self.discard_in_background)  # now holds the previous site
        else:
            os.rename(self.path, self.output)

    def abort(self) -> None:
        """Throw the staged files away; the output stays as it was."""
        shutil.rmtree(self.path, ignore_errors=True)


def _discard(folder: Path, in_background: bool) -> None:
    """Delete a previous site; in a detached grandchild when asked, so the build can finish.

    If that process is killed, the folder (marked, named like a staging folder) is removed by
    the next build's ``remove_leftovers``.
    """
    if not in_background or not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    # The deleter holds a lock on the folder's marker until it is done, so a build started
    # meanwhile leaves the folder to it (``remove_leftovers``) instead of deleting it again.
    marker = os.open(folder / MARKER, os.O_RDONLY)
    try:
        fcntl.flock(marker, fcntl.LOCK_EX)
        pid = os.fork()
        if pid == 0:  # the child forks the deleter and leaves at once: nobody waits on a zombie
            try:
                if os.fork() == 0:
                    os.setsid()
                    shutil.rmtree(folder, ignore_errors=True)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    finally:
        os.close(marker)  # the deleter's copy of the descriptor keeps the lock


def _being_deleted(folder: Path) -> bool:
    """True while another process's ``_discard`` holds the lock on the folder's marker."""
    try:
        marker = os.open(folder / MARKER, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(marker)
    return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


class InPlace:
    """Updates a site brandsite built before: every new file is prepared beside it, then moved in.

    Used for incremental builds, after every page has rendered without a problem. ``write`` and
    ``copy`` put each file into a fresh ``.output.update-<random>/`` beside the output folder,
    named by a sequence number (so no temporary name is longer than the file's own), and
    ``delete`` only notes the path. Nothing in ``output/`` changes until ``commit``, which moves
    the prepared files over their final names, each with one atomic rename, in the order they
    were written (callers write new files before the pages that link to them), and deletes last.
    A failure while preparing leaves ``output/`` exactly as it was and removes the update folder;
    so does dropping the writer without committing. An update folder left by a killed process is
    removed by the next build's ``remove_leftovers``.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder: Path | None = None
        """The update folder, made at the first write."""
        self._root = os.path.realpath(output)
        self._moves: list[tuple[Path, Path]] = []
        self._deletions: list[Path] = []
        self._staged: dict[str, Path] = {}
        self._cleanup: weakref.finalize[..., InPlace] | None = None

    def target(self, output_path: str) -> Path:
        """Final absolute path for ``output_path``, guaranteed to stay inside the output folder.

        Nothing is created: folders a new file needs are made by ``commit``.
        """
        joined = os.path.normpath(os.path.join(self._root, output_path))
        real_parent = os.path.realpath(os.path.dirname(joined))
        if not joined.startswith(self._root + os.sep) or not (
            real_parent == self._root or real_parent.startswith(self._root + os.sep)
        ):
            raise OutputRefused(f"refusing to write {output_path!r} outside the output folder")
        return Path(joined)

    def written(self, output_path: str) -> Path:
        """Where the file written for ``output_path`` waits until ``commit`` moves it.

        A rename keeps a file's size and modification time, so what the manifest records of
        this file stays true once it is in place.
        """
        return self._staged[output_path]

    def write(self, output_path: str, content: str | bytes) -> None:
        """Prepare one new file; it replaces the old one at ``commit``."""
        try:
            data = content.encode("utf-8") if isinstance(content, str) else content
            target = self.target(output_path)
            staged = self._folder() / str(len(self._moves))
            handle = os.open(staged, _NEW_FILE, 0o644)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise self._failed(output_path, exc) from None
            raise
        self._moves.append((staged, target))
        self._staged[output_path] = staged

    def copy(self, output_path: str, source: Path) -> None:
        """Prepare a copy of ``source`` (callers checked it stays inside the project)."""
        try:
            data = source.read_bytes()
        except OSError as exc:
            self.abort()
            raise self._failed(output_path, exc) from None
        self.write(output_path, data)

    def _failed(self, output_path: str, exc: OSError) -> OutputRefused:
        return OutputRefused(
            f"cannot write {output_path}: {exc.strerror}; {self.output} was left as it was"
        )

    def delete(self, output_path: str) -> None:
        """Note a file the new site no longer has; ``commit`` removes it (and emptied folders)."""
        try:
            self._deletions.append(self.target(output_path))
        except BaseException:
            self.abort()
            raise

    def commit(self) -> None:
        """Move every prepared file into place, then delete what the new site no longer has."""
        made: set[Path] = set()
        target = self.output
        try:
            for staged, target in self._moves:
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                os.replace(staged, target)
            for target in self._deletions:
                target.unlink(missing_ok=True)
                folder = target.parent
                while str(folder) != self._root and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        except OSError as exc:
            raise OutputRefused(
                f"cannot update {target}: {exc.strerror}; the files before it were already "
                "updated, and the next build completes the rest"
            ) from None
        finally:
            self.abort()

    def abort(self) -> None:
        """Throw the prepared files away; the output stays as it was."""
        self._moves.clear()
        self._deletions.clear()
        self._staged.clear()
        if self._cleanup is not None:
            self._cleanup()  # removes the folder, once
            self._cleanup = None
        self.folder = None

    def _folder(self) -> Path:
        """The update folder, made (with brandsite's marker) at the first call."""
        if self.folder is not None:
            return self.folder
        try:
            folder = Path(
                tempfile.mkdtemp(prefix=f".{self.output.name}.update-", dir=self.output.parent)
            )
        except OSError as exc:
            raise OutputRefused(
                f"cannot create a folder beside {self.output}: {exc.strerror}"
            ) from None
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        self.folder = folder
        try:
            # The marker goes in first, so a killed update's folder is recognisably ours.
            (folder / MARKER).write_text("an update of the site brandsite built beside it\n")
            same_disk = os.stat(folder).st_dev == os.stat(self._root).st_dev
        except OSError as exc:
            self.abort()
            raise OutputRefused(f"cannot create {folder}: {exc.strerror}") from None
        if not same_disk:
            self.abort()
            raise OutputRefused(
                f"{self.output} is on another file system than the folder it is in "
                "(a mount point?), so files cannot be moved into it atomically"
            )
        return folder
