"""Detection of many files in long-lived worker processes that share one licence index.

Workers are forked from the process that owns the `DetectorPool` after the index is loaded and
`gc.freeze()` is called, so they share the index pages instead of each loading a copy. A worker
that dies or hangs is replaced; its file is reported incomplete, never as "no licence".

Loading the index keeps one core busy for a second and a half while the others wait. A helper
forked just before it uses one of them for the work that needs no index: files whose only
licence words are SPDX tags are detected whole, and the copyrights of the others are found.
What it finished when the index is loaded is kept; the rest goes to the workers as usual.
"""

from __future__ import annotations

import gc
import logging
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import connection as mp_connection
from multiprocessing import get_context
from typing import Any

from scanner.analysis.detect import (
    CopyrightFindings,
    detect_file,
    detect_without_index,
    needs_index,
    with_copyrights,
)
from scanner.analysis.index import index_loaded, warm_up
from scanner.kernel.limits import DETECTION_BUDGET
from scanner.kernel.models import FileDetections

log = logging.getLogger(__name__)

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
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        sha, path, copyrights = task
        result = detect_file(path, timeout, exact_first=exact_first, copyrights=copyrights)
        try:
            conn.send((sha, result))
        except (BrokenPipeError, OSError):
            return


def _fork(
    target: Callable[..., None], *args: Any, name: str
) -> tuple[Any, mp_connection.Connection]:
    """A daemon process forked from this one running `target(conn, *args)`, and this side's
    end of `conn`. Ctrl-C is this process's to handle: the child ignores it."""
    ctx = get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=True)
    process = ctx.Process(
        target=_in_child, args=(target, child_conn, *args), name=name, daemon=True
    )
    process.start()
    child_conn.close()
    return process, parent_conn


def _in_child(target: Callable[..., None], conn: mp_connection.Connection, *args: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    target(conn, *args)


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


def _helper_main(
    conn: mp_connection.Connection,
    items: list[tuple[str, str]],
    timeout: float,
    exact_first: bool,
) -> None:
    """The helper: for each (blob SHA, path), in the order given, the whole detection of a
    text file that needs no index, else its copyrights; sent as they finish. Content
    (archives, fonts, images, documents) is left to the workers: its inner texts may need
    the index."""
    for sha, path in items:
        found = detect_without_index(path, timeout, exact_first=exact_first)
        if found is None:
            continue
        try:
            conn.send((sha, found))
        except (BrokenPipeError, OSError):
            return


class _IndexFreeHelper:
    """A process forked before the licence index loads that does the work needing no index
    (see the module's docstring). `harvest()` takes what it finished and stops it."""

    def __init__(self, items: list[tuple[str, str]], timeout: float, exact_first: bool):
        self.process, self.conn = _fork(
            _helper_main, items, timeout, exact_first, name="os2scan-index-free"
        )

    def harvest(self) -> tuple[dict[str, FileDetections], dict[str, CopyrightFindings]]:
        """The files the helper detected whole, and the copyrights it found, by blob SHA;
        the helper is stopped, whatever it had not finished is left to the workers."""
        whole: dict[str, FileDetections] = {}
        copyrights: dict[str, CopyrightFindings] = {}
        try:
            while self.conn.poll():
                sha, found = self.conn.recv()
                if isinstance(found, CopyrightFindings):
                    copyrights[sha] = found
                else:
                    whole[sha] = found
        except (EOFError, OSError):
            pass  # it finished (or died): what arrived is complete per file
        finally:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.conn.close()
        return whole, copyrights


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
        self.helped = 0  # files the index-free helper detected whole or found copyrights in
        self._workers: list[_Worker] = []
        self._copyrights: dict[str, CopyrightFindings] = {}
        self._closed = False

    def __enter__(self) -> DetectorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lifecycle

    def _start_worker(self) -> _Worker:
        process, parent_conn = _fork(
            _worker_main, self.timeout, self.exact_first, name="os2scan-detector"
        )
        worker = _Worker(process=process, conn=parent_conn, memory_checked=time.monotonic())
        self._workers.append(worker)
        return worker

    def _stop_worker(self, worker: _Worker, *, kill: bool = False) -> None:
        """Stop `worker` and wait for it: `kill` terminates it, else it is told to stop."""
        self._end(worker, kill=kill or not self._tell_to_stop(worker))

    @staticmethod
    def _tell_to_stop(worker: _Worker) -> bool:
        """Send `worker` the stop; False when it cannot be reached."""
        try:
            worker.conn.send(None)
        except OSError:
            return False
        return True

    def _end(self, worker: _Worker, *, kill: bool) -> None:
        """Wait for `worker` to end (five seconds, then it is killed), terminating it first
        when `kill`."""
        if worker in self._workers:
            self._workers.remove(worker)
        if kill and worker.process.is_alive():
            worker.process.terminate()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        """Stop every worker (terminating those still busy) and wait for them.

        Every worker is told to stop before any is waited for: a worker's exit takes the
        kernel 30-50 ms (its copy of the index pages it wrote to is freed), and they then end
        side by side instead of one after the other."""
        workers = list(self._workers)
        told = [worker.task is None and self._tell_to_stop(worker) for worker in workers]
        for worker, stopping in zip(workers, told, strict=True):
            self._end(worker, kill=not stopping)
        self._closed = True

    # -- detection

    def _prepare(self, todo: list[tuple[str, str, int]]) -> dict[str, FileDetections]:
        """Load what detecting `todo` needs; returns the files the helper detected whole."""
        # Files that carry only SPDX tags are read without the licence index.
        index_needed = not self.exact_first or any(needs_index(path) for _, path, _ in todo)
        forking = self.jobs > 1 and len(todo) > 1
        helper = None
        if forking and index_needed and not index_loaded():
            # Smallest first: the file it is busy with when the index is loaded is lost, and
            # the more files it finishes, the less the workers have to do.
            helper = _IndexFreeHelper(
                [(sha, path) for sha, path, _ in reversed(todo)], self.timeout, self.exact_first
            )
        started = time.monotonic()
        try:
            # The copyright grammar is built here only for workers to inherit, and only when
            # files needing the index (so, most likely, scancode's copyright detector) are many;
            # a file whose copyrights are SPDX tags needs neither.
            warm_up(index=index_needed, copyrights=forking and index_needed and helper is None)
        except BaseException:
            if helper is not None:  # interrupted while the index loaded: stop the helper too
                helper.harvest()
            raise
        if index_needed:
            log.debug("licence index ready in %.2f s", time.monotonic() - started)
        whole: dict[str, FileDetections] = {}
        if helper is not None:
            whole, self._copyrights = helper.harvest()
            self.helped = len(whole) + len(self._copyrights)
            log.debug(
                "the index-free helper detected %d files whole and found the copyrights of %d",
                len(whole), len(self._copyrights),
            )
            left = [item for item in todo if item[0] not in whole]
            if len(left) > 1 and any(sha not in self._copyrights for sha, _, _ in left):
                warm_up(index=False)  # the copyright grammar, for the workers to inherit
        if self.jobs > 1 and not self._workers:
            gc.collect()
            gc.freeze()  # forked workers then share the index pages instead of copying them
        return whole

    def detect(self, items: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, FileDetections]]:
        """Yield (blob SHA, FileDetections) for each (blob SHA, path, size), largest first."""
        todo = sorted(items, key=lambda item: item[2], reverse=True)
        if not todo:
            return
        self._closed = False
        self._copyrights = {}
        whole = self._prepare(todo)
        for sha, result in whole.items():
            self.files_detected += 1
            yield sha, result
        todo = [item for item in todo if item[0] not in whole]
        if not todo:
            return
        if self.jobs == 1 or len(todo) == 1:
            for sha, path, _size in todo:
                found = self._copyrights.get(sha)
                result = detect_file(
                    path, self.timeout, exact_first=self.exact_first, copyrights=found is None
                )
                self.files_detected += 1
                yield sha, self._joined(sha, result)
            return
        for sha, result in self._detect_parallel(todo):
            yield sha, self._joined(sha, result)

    def _joined(self, sha: str, result: FileDetections) -> FileDetections:
        """A worker's result with the copyrights the helper found for it, if it found them."""
        found = self._copyrights.get(sha)
        return result if found is None else with_copyrights(result, found, self.timeout)

    def _send(self, worker: _Worker, item: tuple[str, str, int]) -> None:
        worker.task = item
        worker.started = time.monotonic()
        worker.conn.send((item[0], item[1], item[0] not in self._copyrights))

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
