"""``brandsite serve``: build into a preview folder, serve it, rebuild on every save, reload browsers.

Threads, and what each one may touch: watchdog's threads only note changed paths in the batcher; the
server's threads only read the preview folder and the hub's snapshot; the main thread builds, then
publishes each outcome to the hub, until Ctrl-C. Builds run on the main thread because only there
does a slow story's time limit (a SIGALRM timer, ``markdown.MAX_CONVERT_SECONDS``) apply, as in
``brandsite build``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import signal
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Protocol, TextIO
from urllib.parse import urlsplit

from ..content.config import CONFIG_FILE, load_config
from ..engine.cache import BUILD_CACHE_DIR
from ..engine.records import BuildOptions, BuildResult
from ..engine.session import IncrementalBuilder
from ..engine.writer import OutputRefused, check_output_folder
from ..errors import Diagnostic, Severity, error, format_text, summary_line
from ..preview.server import (
    CARDS_URL,
    PortTaken,
    ReloadHub,
    bind_server,
    is_loopback,
    lan_address,
    normal_host,
    preview_base_url,
    reload_message,
)
from ..preview.watch import ChangeBatcher, ProjectWatcher
from .common import EXIT_OK, EXIT_USAGE, add_site_options, build_options

PREVIEW_DIR = f"{BUILD_CACHE_DIR}/preview"
"""Previews (perhaps with drafts) never go to output/, so they cannot be deployed by accident."""
DEFAULT_PORT = 8000


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``serve``."""
    parser = subcommands.add_parser(
        "serve",
        help="preview the site in a browser, rebuilt and reloaded on every save",
        description=(
            "Build the site into .brandsite-cache/preview/, serve it, watch site.toml, content/ "
            "and themes/, rebuild what changed and reload open browser tabs."
        ),
    )
    add_site_options(parser)
    parser.add_argument(
        "--port",
        type=int,
        help=f"port to listen on (default {DEFAULT_PORT}, or the next free one); 0 = any free port",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (0.0.0.0: every interface, e.g. for a phone on your network)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (repeatable; IP addresses need no option)",
    )
    parser.add_argument("--open", action="store_true", help="open the site in your browser")
    parser.set_defaults(run=run)


class Builder(Protocol):
    """What the preview needs from the incremental engine."""

    def build(self, changed: Iterable[Path] | None = None) -> BuildResult: ...


class PreviewSession:
    """Builds the preview; tells the server and the terminal what happened."""

    def __init__(
        self,
        options: BuildOptions,
        host: str,
        port: int,
        hub: ReloadHub,
        make_builder: Callable[[BuildOptions], Builder] = IncrementalBuilder,
        out: TextIO | None = None,
        err: TextIO | None = None,
        debug: bool = False,
    ) -> None:
        self.root, self.host, self.port, self.hub = options.root, host, port, hub
        self.base_url_override = options.base_url
        self.options = options
        self.make_builder = make_builder
        self.builder: Builder | None = None
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.debug = debug
        self.problems: list[Diagnostic] = []
        """The failed build's problems; empty when the site builds."""
        self._printed: list[Diagnostic] = []
        self._unbuilt: set[Path] = set()

    @property
    def broken(self) -> bool:
        """True while the last build failed."""
        return bool(self.problems)

    def preview_options(self) -> BuildOptions:
        """The options with base_url pointing at this server, under the configured sub-path."""
        configured = self.base_url_override
        if configured is None:
            config, _ = load_config(self.root)
            if config is None and self.builder is not None:
                return self.options  # the build reports the problem; the site stays where it was
            configured = config.base_url if config is not None else "/"
        return replace(self.options, base_url=preview_base_url(configured, self.host, self.port))

    @property
    def prefix(self) -> str:
        """The URL path the site is served under."""
        return urlsplit(self.options.base_url or "/").path or "/"

    def rebuild(self, changed: Sequence[Path] | None) -> BuildResult:
        """Build (everything when ``changed`` is None), publish the outcome, print one line."""
        started, reported = time.perf_counter(), changed
        if changed is None or self.root / CONFIG_FILE in changed or self.builder is None:
            options = self.preview_options()
            if self.builder is None or options != self.options:
                self.options, self.builder, changed = options, self.make_builder(options), None
        assert self.builder is not None
        # Paths of a failed build are passed again until a build succeeds: they are still unbuilt.
        self._unbuilt.update(changed or ())
        try:
            result = self.builder.build(None if changed is None else sorted(self._unbuilt))
        except Exception as exc:  # a bug in brandsite: say so, keep serving, start afresh next time
            result = BuildResult(diagnostics=[_internal_error(exc)])
            self.builder = None
            if self.debug:
                traceback.print_exc(file=self.err)
        if result.ok:
            self._unbuilt.clear()
        was_broken = self.broken
        problems = [] if result.ok else sorted(result.diagnostics)
        broke = bool(problems) and problems != self.problems
        written, deleted = (result.written, result.deleted) if result.ok else ([], [])
        sources = [self._source(path) for path in changed or ()]
        fixed = was_broken and result.ok
        message = reload_message(sources, written, deleted, self.prefix, broke, fixed)
        self.problems = problems
        self.hub.publish(problems, self.prefix, message)
        elapsed = time.perf_counter() - started
        self._report(reported, result, elapsed, message, was_broken)
        return result

    def _source(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _report(
        self,
        changed: Sequence[Path] | None,
        result: BuildResult,
        seconds: float,
        message: dict[str, object] | None,
        was_broken: bool,
    ) -> None:
        what = "full build" if changed is None else self._describe(changed)
        when = time.strftime("%H:%M:%S")
        if not result.ok:
            errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
            again = "still " if was_broken else ""
            print(
                f"{when} {what}: {again}failed, {summary_line(errors)}; "
                "the browser shows the problems until the next good save",
                file=self.out,
                flush=True,
            )
        else:
            if message is None:
                outcome = "nothing in the site changed"
            elif was_broken and not (result.written or result.deleted):
                outcome = "the site is back as it was"
            else:
                files = _count(len(result.written), "file") + " written"
                if result.deleted:
                    files += f", {len(result.deleted)} removed"
                if message.get("kind") == "css":
                    outcome = f"styles updated ({files})"
                else:
                    verb = "built" if changed is None else "rebuilt"
                    outcome = f"{_count(result.pages, 'page')} {verb} ({files})"
            fixed = "fixed; " if was_broken else ""
            print(
                f"{when} {what}: {fixed}{outcome} in {seconds * 1000:.0f} ms",
                file=self.out,
                flush=True,
            )
        diagnostics = sorted(result.diagnostics)
        if diagnostics and diagnostics != self._printed:
            print(format_text(diagnostics), file=self.err, flush=True)
        self._printed = diagnostics

    def _describe(self, changed: Sequence[Path]) -> str:
        def one(path: Path) -> str:
            return f"{self._source(path)}{'' if path.exists() else ' (deleted)'}"

        if len(changed) == 1:
            return one(changed[0])
        if len(changed) <= 3:
            return ", ".join(one(path) for path in changed)
        return f"{one(changed[0])} and {len(changed) - 1} more files"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _internal_error(exc: Exception) -> Diagnostic:
    return error(
        "",
        0,
        "internal-error",
        f"brandsite failed while building: {exc.__class__.__name__}: {exc}",
        "this is a bug in brandsite, not in your content; run `brandsite serve --debug` and report "
        "the traceback. The next save builds everything afresh.",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    options = build_options(args)
    root = options.root
    if not (root / CONFIG_FILE).is_file():
        _, problems = load_config(root)
        print(format_text(problems), file=sys.stderr)
        return EXIT_USAGE
    output = root / PREVIEW_DIR
    check_output_folder(root, output)
    options = replace(options, output=output)
    with _session_lock(root) as locked:
        if not locked:
            print(
                f"brandsite: another `brandsite serve` is already previewing {root}; "
                "stop it first (Ctrl-C in its terminal)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _serve(args, options)


def _serve(args: argparse.Namespace, options: BuildOptions) -> int:
    hub = ReloadHub(options.output, "/")
    wanted = DEFAULT_PORT if args.port is None else args.port
    bad = [name for name in args.allow_host if normal_host(name.strip("[]")) is None]
    if bad:
        print(
            f"brandsite: --allow-host {bad[0]!r} is not a host name; give a name such as "
            "laptop.local (no scheme, port or path)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        server = bind_server(
            args.host, wanted, hub, fallback=args.port is None, allow_hosts=args.allow_host
        )
    except PortTaken as exc:
        print(f"brandsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    port = server.server_address[1]
    if wanted and port != wanted:
        print(f"Port {wanted} is in use; serving on port {port} instead.", flush=True)
    session = PreviewSession(options, args.host, port, hub, debug=args.debug)
    batcher = ChangeBatcher()
    watcher = ProjectWatcher(options.root, batcher)
    threads: list[threading.Thread] = []
    # Watch before the first build, so a save during it is not lost.
    try:
        watcher.start()
    except OSError as exc:
        watcher.stop()
        server.server_close()
        print(
            f"brandsite: cannot watch {options.root} for changes: {exc.strerror or exc}. "
            "On Linux, raise fs.inotify.max_user_watches or max_user_instances (sysctl).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Ctrl-C and `kill` both stop the server cleanly (SIGINT too when a shell started us ignoring it).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        session.rebuild(None)
        threads = [threading.Thread(target=server.serve_forever, name="preview-http", daemon=True)]
        for thread in threads:
            thread.start()
        url = session.options.base_url
        drafts = " (drafts included)" if options.include_drafts else ""
        print(f"Serving the preview{drafts} at {url}  (Ctrl-C to stop)", flush=True)
        origin = urlsplit(url or "")
        print(f"Share images: {origin.scheme}://{origin.netloc}{CARDS_URL}", flush=True)
        if not is_loopback(args.host):
            print(_network_warning(args.host, port, session.prefix), file=sys.stderr, flush=True)
        if args.open:
            webbrowser.open(url or "")
        _rebuild_loop(session, batcher)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        watcher.stop()
        batcher.close()
        if threads:
            server.stop()
        else:
            server.server_close()
        for thread in threads:
            thread.join()
    print("Stopped.", flush=True)
    return EXIT_OK


def _network_warning(host: str, port: int, prefix: str) -> str:
    """Said whenever the preview listens beyond this machine: it has no password."""
    lan = lan_address() if host in ("", "0.0.0.0", "::") else None
    where = f"; on a phone on the same network open http://{lan}:{port}{prefix}" if lan else ""
    return (
        f"Warning: listening on {host or 'every interface'}, so the preview is reachable from "
        f"the network{where}. Anyone who can reach this machine can see it, drafts included, and "
        "there is no password: use this only on networks you trust (--host 127.0.0.1 keeps the "
        "preview on this machine)."
    )


def _rebuild_loop(session: PreviewSession, batcher: ChangeBatcher) -> None:
    """Rebuild after each settled batch of changes, until Ctrl-C (or the batcher closes)."""
    while (changed := batcher.wait()) is not None:
        session.rebuild(changed)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _session_lock(root: Path) -> Iterator[bool]:
    """One preview per project: a second server would overwrite the first one's folder."""
    folder = root / BUILD_CACHE_DIR
    # The caller refused a linked cache folder; O_NOFOLLOW refuses a planted serve.lock link, so
    # the lock is never created (or truncated) outside the project.
    folder.mkdir(exist_ok=True)
    path = folder / "serve.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputRefused(f"cannot create the preview lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
