"""Run work on every core, safely from any thread.

``run_chunks`` does the first chunk here and the others in worker processes. How the workers start
depends on the process: ``fork()`` copies only the calling thread, so a lock another thread held at
that moment (watchdog's, the HTTP server's, SQLite's) stays locked for ever in the child.

- From a process with one thread (``brandsite build`` and ``check``), workers are forked: they
  inherit the loaded site, so nothing is pickled in.
- With other threads running (``brandsite serve``), workers come from a forkserver: a fresh,
  single-threaded interpreter started with exec, which forks each worker from itself. The shared
  data then travels to the workers pickled, so ``work`` must be a module-level function.

Only results travel back (pickled), so they should be small: output paths, sizes, problems. A
worker that fails reports its traceback instead of dying silently.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")


class WorkerFailed(RuntimeError):
    """A worker process raised or died; the message carries its traceback."""


def worker_count() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def single_threaded() -> bool:
    """True when this process runs one thread, so ``fork()`` copies all of it."""
    try:
        return len(os.listdir("/proc/self/task")) == 1  # native threads count too
    except OSError:
        return threading.active_count() == 1


def start_method() -> str:
    """How ``run_chunks`` would start workers right now: ``fork`` or ``forkserver``."""
    if not hasattr(os, "fork"):
        return "spawn"
    return "fork" if single_threaded() else "forkserver"


def run_chunks(
    work: Callable[[C, Sequence[T]], R], shared: C, chunks: Sequence[Sequence[T]]
) -> list[R]:
    """``[work(shared, chunk) for chunk in chunks]``, the first chunk here, the others in workers."""
    if len(chunks) <= 1:
        return [work(shared, chunk) for chunk in chunks]
    method = start_method()
    if method == "fork":
        return _forked(work, shared, chunks)
    return _pooled(method, work, shared, chunks)


def _forked(
    work: Callable[[C, Sequence[T]], R], shared: C, chunks: Sequence[Sequence[T]]
) -> list[R]:
    children: list[tuple[int, int]] = []
    for chunk in chunks[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send the result, leave without cleanup handlers
            os.close(read_end)
            status = 0
            try:
                payload = pickle.dumps(("ok", work(shared, chunk)))
            except BaseException:
                payload = pickle.dumps(("error", traceback.format_exc()))
                status = 1
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    results = [work(shared, chunks[0])]
    failures = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as incoming:
            data = incoming.read()
        os.waitpid(pid, 0)
        try:
            kind, value = pickle.loads(data)
        except Exception:
            failures.append(f"worker {pid} died without a result")
            continue
        if kind == "ok":
            results.append(value)
        else:
            failures.append(value)
    if failures:
        raise WorkerFailed("\n".join(failures))
    return results


def _pooled(
    method: str,
    work: Callable[[C, Sequence[T]], R],
    shared: C,
    chunks: Sequence[Sequence[T]],
) -> list[R]:
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # Workers fork from a server that has imported the work's module once: they start fast.
        context.set_forkserver_preload([work.__module__])
    failures: list[str] = []
    results: list[R] = []
    with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=context) as pool:
        futures = [pool.submit(work, shared, chunk) for chunk in chunks[1:]]
        results.append(work(shared, chunks[0]))
        for future in futures:
            try:
                results.append(future.result())
            except Exception as exc:  # the worker's traceback rides along as the cause
                cause = exc.__cause__
                failures.append(str(cause) if cause is not None else traceback.format_exc())
    if failures:
        raise WorkerFailed("\n".join(failures))
    return results


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """``parts`` interleaved slices, so each gets a fair mix of cheap and costly items."""
    return [list(items[index::parts]) for index in range(parts) if items[index::parts]]
