"""Watching the project: which changes matter, and when a burst of events from one save is over.

Editors save in many ways: writing the file in place; writing a temporary file and renaming it over
the original; vim's ``4913`` probe and ``story.md~`` backup; JetBrains' ``___jb_tmp___`` files. One
save is a burst of events. The watcher keeps only the paths a build reads (site.toml, content/,
themes/), drops editor temporaries and hidden files (the build skips them too) and never sees what
brandsite writes (output, staging folders and .brandsite-cache/ are not watched). The batcher turns a
burst into one batch: it waits for a quiet period, shorter once every file in the burst has been
completely written (closed after writing, or renamed into place).
"""

from __future__ import annotations

import contextlib
import enum
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog import events
from watchdog.observers import Observer

from ..content.config import CONFIG_FILE

WATCHED_FOLDERS = ("content", "themes")
QUIET = 0.050
"""Seconds without events after which a burst is over (a write that never said it was done)."""
SETTLE = 0.005
"""Seconds without events after which a burst of completed writes is over."""
LONGEST = 1.0
"""A batch is built after this many seconds even while events keep coming."""

_TEMPORARY = re.compile(
    r"""~$                          # backups: vim, emacs, gedit, nano
      | \.sw[a-px]$ | \.kate-swp$   # swap files (vim, kate)
      | ^\#.*\#$                    # emacs auto-save
      | ___jb_(?:tmp|old|bak)___$   # JetBrains "safe write"
      | \.(?:tmp|temp|crswap|part|crdownload)$
      | ^~\$                        # office lock files
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Only what a build can read; opening and reading files (as every build does) is not a change.
_EVENT_FILTER: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileAttribEvent,
    events.FileClosedEvent,
    events.FileDeletedEvent,
    events.FileMovedEvent,
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]


def is_temporary(name: str) -> bool:
    """True for editor swap, backup and probe files, which never change the site."""
    if name.isdigit() and int(name) >= 4913 and (int(name) - 4913) % 123 == 0:
        return True  # vim checks it may write a folder with 4913, then 5036, 5159, …
    return bool(_TEMPORARY.search(name))


def watched_source(path: Path, root: Path) -> str | None:
    """The project-relative source of ``path`` when a change to it can change the site, else None."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if not parts:
        return None
    if len(parts) == 1 and parts[0] == CONFIG_FILE:
        return CONFIG_FILE
    if parts[0] not in WATCHED_FOLDERS:
        return None
    if any(part.startswith(".") for part in parts) or is_temporary(parts[-1]):
        return None
    return "/".join(parts)


class Change(enum.Enum):
    """What one event says about a path."""

    CREATED = "created"
    """It appeared; its content may still be on the way."""
    WRITING = "writing"
    """It is being written."""
    WRITTEN = "written"
    """It is complete: closed after writing, renamed into place, or its metadata changed."""
    GONE = "gone"
    """Deleted or renamed away; editors often put a new file there a moment later."""


@dataclass
class _Pending:
    created_here: bool
    """The first event in this batch created the path, so it did not exist at the last build."""
    last: Change


class ChangeBatcher:
    """Collects changes from the watcher thread; the rebuild loop takes them one settled batch at a time."""

    def __init__(
        self,
        quiet: float = QUIET,
        settle: float = SETTLE,
        longest: float = LONGEST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet, self.settle, self.longest, self._clock = quiet, settle, longest, clock
        self._condition = threading.Condition()
        self._pending: dict[Path, _Pending] = {}
        self._first = self._last = 0.0
        self._closed = False

    def note(self, path: Path, change: Change) -> None:
        """Record one event (called from the watcher thread)."""
        with self._condition:
            now = self._clock()
            if not self._pending:
                self._first = now
            self._last = now
            pending = self._pending.get(path)
            if pending is None:
                self._pending[path] = _Pending(change is Change.CREATED, change)
            else:
                pending.last = change
            self._condition.notify_all()

    def close(self) -> None:
        """Wake the rebuild loop for good."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def wait(self) -> list[Path] | None:
        """Block until a batch has settled and return its paths, sorted; None once closed."""
        with self._condition:
            while not self._closed:
                delay = self.ready_in(self._clock()) if self._pending else None
                if delay is not None and delay <= 0:
                    paths = self._take()
                    if paths:
                        return paths
                    continue
                self._condition.wait(delay)
            return None

    def ready_in(self, now: float) -> float:
        """Seconds until the pending batch is settled (0 or less: now)."""
        live = [p for p in self._pending.values() if not _came_and_went(p)]
        quiet = self.settle if all(p.last is Change.WRITTEN for p in live) else self.quiet
        return min(self._last + quiet, self._first + self.longest) - now

    def _take(self) -> list[Path]:
        # A file created and removed within one batch (an editor's temporary file) changed nothing.
        paths = sorted(path for path, p in self._pending.items() if not _came_and_went(p))
        self._pending.clear()
        return paths


def _came_and_went(pending: _Pending) -> bool:
    return pending.created_here and pending.last is Change.GONE


class ProjectWatcher:
    """Watches site.toml, content/ and themes/ of a project and feeds a ChangeBatcher."""

    def __init__(self, root: Path, batcher: ChangeBatcher) -> None:
        self.root = root
        self.batcher = batcher
        self._observer = Observer()
        self._handler = _Handler(self)
        self._folders: dict[str, object] = {}
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Start watching (in watchdog's threads); OSError when the system allows no more watches."""
        # The root itself is watched without recursion: for site.toml (saved by rename, too) and for
        # content/ or themes/ appearing later. Its other entries (output/, .brandsite-cache/) are
        # dropped by the filter, and nothing below them is watched at all.
        self._observer.schedule(self._handler, str(self.root), event_filter=_EVENT_FILTER)
        for name in WATCHED_FOLDERS:
            self.watch_folder(name)
        self._observer.start()
        self._started = True

    def stop(self) -> None:
        """Stop watching and wait for watchdog's threads to end (also after a failed start)."""
        self._observer.stop()
        if self._started:
            self._observer.join()

    def watch_folder(self, name: str) -> None:
        """(Re)start the recursive watch of a top-level folder, e.g. after it was created."""
        folder = self.root / name
        with self._lock:
            old = self._folders.pop(name, None)
            if old is not None:
                with contextlib.suppress(KeyError):
                    self._observer.unschedule(old)  # type: ignore[arg-type]
            if folder.is_dir():
                self._folders[name] = self._observer.schedule(
                    self._handler, str(folder), recursive=True, event_filter=_EVENT_FILTER
                )

    def note(self, path: Path, change: Change) -> None:
        """Pass a change on when it concerns the site."""
        if watched_source(path, self.root) is not None:
            self.batcher.note(path, change)

    def note_folder(self, folder: Path) -> None:
        """A folder appeared (created, or moved in): everything inside it is new."""
        if folder.parent == self.root and folder.name in WATCHED_FOLDERS:
            self.watch_folder(folder.name)
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                self.note(path, Change.CREATED)


class _Handler(events.FileSystemEventHandler):
    """Translates watchdog events into Changes."""

    def __init__(self, watcher: ProjectWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: events.FileSystemEvent) -> None:
        for path, change in _changes(event):
            if change is Change.CREATED and event.is_directory:
                self.watcher.note_folder(path)
            else:
                self.watcher.note(path, change)


def _changes(event: events.FileSystemEvent) -> Iterable[tuple[Path, Change]]:
    src = Path(_text(event.src_path))
    if isinstance(event, (events.FileMovedEvent, events.DirMovedEvent)):
        yield src, Change.GONE
        yield Path(_text(event.dest_path)), Change.CREATED if event.is_directory else Change.WRITTEN
    elif isinstance(event, (events.FileDeletedEvent, events.DirDeletedEvent)):
        yield src, Change.GONE
    elif isinstance(event, (events.FileCreatedEvent, events.DirCreatedEvent)):
        yield src, Change.CREATED
    elif isinstance(event, events.FileModifiedEvent):
        yield src, Change.WRITING
    elif isinstance(event, (events.FileClosedEvent, events.FileAttribEvent)):
        yield src, Change.WRITTEN


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
