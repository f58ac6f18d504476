"""Run work on every core by forking: children inherit the loaded site, so nothing is pickled in.

Only results travel back (through a pipe, pickled), so they should be small: output paths, sizes,
problems. A child that fails reports its traceback instead of dying silently.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerFailed(RuntimeError):
    """A forked worker raised; the message carries its traceback."""


def worker_count() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def fork_map(work: Callable[[Sequence[T]], R], chunks: Sequence[Sequence[T]]) -> list[R]:
    """``[work(chunk) for chunk in chunks]``, the first chunk here and the others in forked children."""
    if len(chunks) <= 1 or not hasattr(os, "fork"):
        return [work(chunk) for chunk in chunks]
    children: list[tuple[int, int]] = []
    for chunk in chunks[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send the result, leave without cleanup handlers
            os.close(read_end)
            status = 0
            try:
                payload = pickle.dumps(("ok", work(chunk)))
            except BaseException:
                payload = pickle.dumps(("error", traceback.format_exc()))
                status = 1
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    results = [work(chunks[0])]
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


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """``parts`` interleaved slices, so each gets a fair mix of cheap and costly items."""
    return [list(items[index::parts]) for index in range(parts) if items[index::parts]]
