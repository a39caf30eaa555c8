"""Detection of many files in long-lived worker processes that share one licence index.

Workers are forked from the process that owns the `DetectorPool` after the index is loaded and
`gc.freeze()` is called, so they share the index pages instead of each loading a copy. A worker
that dies or hangs is replaced; its file is reported incomplete, never as "no licence".
"""

from __future__ import annotations

import gc
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import connection as mp_connection
from multiprocessing import get_context
from typing import Any

from scanner.analysis.detect import detect_file, needs_index
from scanner.analysis.index import warm_up
from scanner.kernel.limits import DETECTION_BUDGET
from scanner.kernel.models import FileDetections

#: A worker is replaced after this many files, which bounds the memory it copies from the
#: shared index over a long run.
MAX_TASKS_PER_WORKER = 2000

#: A worker whose private memory grew past this is replaced after its file. A forked worker
#: starts sharing every page of the index, but each page it writes to (a reference count, a
#: small allocation in a half-free block of the index's memory) becomes its own copy, and a
#: page both workers wrote to is then the owning process's alone too: without replacement a
#: two-worker pool grew by about 40 MB a second of detection. A new worker shares everything
#: again, and forking one costs a few milliseconds.
MAX_WORKER_PRIVATE_BYTES = 96 * 1024 * 1024

#: How often a worker's private memory is read, in seconds (reading it costs about 20 ms).
MEMORY_CHECK_INTERVAL = 1.0


def _worker_main(conn: mp_connection.Connection, timeout: float, exact_first: bool) -> None:
    """A forked worker: detect the files it is sent until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        sha, path = task
        result = detect_file(path, timeout, exact_first=exact_first)
        try:
            conn.send((sha, result))
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Worker:
    process: Any
    conn: mp_connection.Connection
    task: tuple[str, str, int] | None = None
    started: float = 0.0
    done: int = 0
    memory_checked: float = 0.0

    def grown_past(self, limit: int, interval: float) -> bool:
        """Whether the worker's private memory is past `limit` bytes, read at most once every
        `interval` seconds (False in between)."""
        now = time.monotonic()
        if now - self.memory_checked < interval:
            return False
        self.memory_checked = now
        private = private_bytes(self.process.pid)
        return private is not None and private > limit


def private_bytes(pid: int) -> int | None:
    """The memory process `pid` holds alone (its unique set), or None where it cannot be read."""
    import psutil  # only a pool that detects needs it; a warm scan does not

    try:
        return int(psutil.Process(pid).memory_full_info().uss)
    except (psutil.Error, OSError, AttributeError):
        return None


class DetectorPool:
    """Detects files in `jobs` long-lived worker processes that share one licence index.

    Use as a context manager; `detect(items)` takes (blob SHA, absolute path, size) and yields
    (blob SHA, FileDetections) as files finish, largest files first. `files_detected` counts
    the files the detector actually ran on. With `jobs=1` files are detected in this process.
    A worker whose private memory grew past `max_worker_memory` bytes is replaced by a fresh
    fork after its file (`workers_renewed` counts them).
    """

    def __init__(
        self,
        jobs: int = 1,
        timeout: float = DETECTION_BUDGET,
        *,
        exact_first: bool = True,
        max_worker_memory: int = MAX_WORKER_PRIVATE_BYTES,
        memory_check_interval: float = MEMORY_CHECK_INTERVAL,
    ):
        self.jobs = max(1, int(jobs))
        self.timeout = float(timeout)
        self.exact_first = exact_first
        self.max_worker_memory = max_worker_memory
        self.memory_check_interval = memory_check_interval
        self.files_detected = 0
        self.workers_renewed = 0  # workers replaced because their private memory grew
        self._workers: list[_Worker] = []
        self._closed = False

    def __enter__(self) -> DetectorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lifecycle

    def _start_worker(self) -> _Worker:
        ctx = get_context("fork")
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_worker_main,
            args=(child_conn, self.timeout, self.exact_first),
            name="os2scan-detector",
            daemon=True,
        )
        process.start()
        child_conn.close()
        worker = _Worker(process=process, conn=parent_conn, memory_checked=time.monotonic())
        self._workers.append(worker)
        return worker

    def _stop_worker(self, worker: _Worker, *, kill: bool = False) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        if not kill:
            try:
                worker.conn.send(None)
            except OSError:
                kill = True
        if kill and worker.process.is_alive():
            worker.process.terminate()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        """Stop every worker (terminating those still busy) and wait for them."""
        for worker in list(self._workers):
            self._stop_worker(worker, kill=worker.task is not None)
        self._closed = True

    # -- detection

    def _prepare(self, todo: list[tuple[str, str, int]]) -> None:
        # Files that carry only SPDX tags are read without the licence index.
        warm_up(index=not self.exact_first or any(needs_index(path) for _, path, _ in todo))
        if self.jobs > 1 and not self._workers:
            gc.collect()
            gc.freeze()  # forked workers then share the index pages instead of copying them

    def detect(self, items: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, FileDetections]]:
        """Yield (blob SHA, FileDetections) for each (blob SHA, path, size), largest first."""
        todo = sorted(items, key=lambda item: item[2], reverse=True)
        if not todo:
            return
        self._closed = False
        self._prepare(todo)
        if self.jobs == 1 or len(todo) == 1:
            for sha, path, _size in todo:
                result = detect_file(path, self.timeout, exact_first=self.exact_first)
                self.files_detected += 1
                yield sha, result
            return
        yield from self._detect_parallel(todo)

    def _send(self, worker: _Worker, item: tuple[str, str, int]) -> None:
        worker.task = item
        worker.started = time.monotonic()
        worker.conn.send((item[0], item[1]))

    def _detect_parallel(
        self, todo: list[tuple[str, str, int]]
    ) -> Iterator[tuple[str, FileDetections]]:
        pending = iter(todo)
        # A worker stuck where the alarm cannot reach it is killed after this long.
        hard_limit = self.timeout * 2 + 30
        try:
            while len(self._workers) < min(self.jobs, len(todo)):
                self._start_worker()
            for worker in list(self._workers):
                item = next(pending, None)
                if item is None:
                    break
                self._send(worker, item)
            while any(w.task is not None for w in self._workers):
                waiting = {w.conn: w for w in self._workers if w.task is not None}
                for conn in mp_connection.wait(list(waiting), timeout=5.0):
                    worker = waiting[conn]  # type: ignore[index]
                    try:
                        _sha, result = worker.conn.recv()
                        died = False
                    except (EOFError, OSError):
                        result = FileDetections(
                            license_expression=None,
                            incomplete="error: detector process died",
                            budget=self.timeout,
                        )
                        died = True
                    yield self._finish(worker, result, replace=died, pending=pending)
                now = time.monotonic()
                for worker in list(self._workers):
                    if worker.task is not None and now - worker.started > hard_limit:
                        result = FileDetections(
                            license_expression=None, incomplete="timeout", budget=self.timeout
                        )
                        yield self._finish(worker, result, replace=True, pending=pending)
        finally:
            for worker in list(self._workers):
                if worker.task is not None:  # interrupted: do not wait for files in flight
                    self._stop_worker(worker, kill=True)

    def _finish(
        self,
        worker: _Worker,
        result: FileDetections,
        *,
        replace: bool,
        pending: Iterator[tuple[str, str, int]],
    ) -> tuple[str, FileDetections]:
        """Record a finished file, give the worker (or its replacement) the next one."""
        assert worker.task is not None
        sha = worker.task[0]
        worker.task = None
        worker.done += 1
        self.files_detected += 1
        renew = not replace and worker.grown_past(
            self.max_worker_memory, self.memory_check_interval
        )
        self.workers_renewed += renew
        if replace or renew or worker.done >= MAX_TASKS_PER_WORKER:
            self._stop_worker(worker, kill=replace)
            item = next(pending, None)
            if item is not None:
                self._send(self._start_worker(), item)
        else:
            item = next(pending, None)
            if item is not None:
                self._send(worker, item)
        return sha, result
