"""The os2scan side of a Dask cluster: connect, submit batches, yield results as they finish.

`ClusterDetector` is a detector like the local pool (`detect(items)` yields (blob SHA,
FileDetections) as files finish), so the analysis and the pipeline use it unchanged; it also
asks the pipeline to plan globally (`plans_globally`): every blob the collected repositories
still miss is gathered and deduplicated first, then detected in one stream of batches.

How blob contents reach the workers: the client reads each blob from its own workspace and
sends it inside the batch. Workers then need no shared file system and no copy of any
repository, only what they must detect, once per unique blob across the whole portfolio. A
lost worker loses nothing the scheduler cannot send again, because the batch (and its bytes)
stays with the task until it finishes. The client keeps few batches in flight (two per
worker), so its memory, and the scheduler's, stay bounded by a few batches of contents.

The client never loads scancode's licence index; the workers do, once each, in
`scanner.cluster.worker.DetectorPlugin`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.analysis.detect import detector_version, read_blob
from scanner.cluster.batches import BatchLimits, Item, plan_batches
from scanner.kernel.errors import ClusterError
from scanner.kernel.limits import DETECTION_BUDGET, MAX_FILE_SIZE
from scanner.kernel.models import FileDetections
from scanner.kernel.redact import one_line

log = logging.getLogger(__name__)

#: Schemes of a scheduler address; anything else names a scheduler file.
ADDRESS_SCHEMES = ("tcp://", "tls://", "ws://", "wss://", "ucx://", "inproc://")


@dataclass(frozen=True)
class ClusterOptions:
    scheduler: str  # tcp://HOST:PORT, or the path of a scheduler file
    limits: BatchLimits = field(default_factory=BatchLimits)
    jobs_per_worker: int = 1  # detector processes each worker forks; 1 detects in its thread
    timeout: float = DETECTION_BUDGET  # seconds per file
    connect_timeout: float = 10.0
    max_file_size: int = MAX_FILE_SIZE
    in_flight_per_worker: int = 2


def _client_for(options: ClusterOptions) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            "a Dask cluster needs the cluster extra: pip install 'os2scan[cluster]'"
        ) from exc
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # distributed logs every connection attempt; os2scan reports the outcome in one line
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
    target = options.scheduler
    timeout = f"{options.connect_timeout}s"
    try:
        if target.startswith(ADDRESS_SCHEMES):
            return Client(target, timeout=timeout, set_as_default=False)
        if not Path(target).is_file():
            raise ClusterError("no such Dask scheduler file", source=target)
        return Client(scheduler_file=target, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler: {one_line(str(exc))}",
                           source=target) from exc


class ClusterDetector:
    """Detects blobs on a Dask cluster; use `ClusterDetector.connect(options)`."""

    plans_globally = True

    def __init__(self, client: Any, options: ClusterOptions) -> None:
        self._client = client
        self.options = options
        self.files_detected = 0
        self.version = detector_version()
        self._uncacheable: dict[str, FileDetections] = {}

    @classmethod
    def connect(cls, options: ClusterOptions) -> ClusterDetector:
        """Connect to the scheduler and start the detector on every worker (each loads the
        licence index once; workers that join later start it too)."""
        from scanner.cluster.worker import PLUGIN_NAME, DetectorPlugin

        client = _client_for(options)
        try:
            client.wait_for_workers(1, timeout=options.connect_timeout)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise ClusterError("the Dask scheduler has no workers",
                               source=options.scheduler) from exc
        client.register_plugin(
            DetectorPlugin(jobs=options.jobs_per_worker, timeout=options.timeout),
            name=PLUGIN_NAME,
        )
        return cls(client, options)

    # -- the factory interface run_scan takes

    def __call__(self) -> ClusterDetector:
        return self

    def close(self) -> None:
        self._client.close()

    # -- the detector interface the analysis takes

    def detect(self, items: Iterable[Item]) -> Iterator[tuple[str, FileDetections]]:
        """Yield (blob SHA, FileDetections) for each (blob SHA, path, size) as batches finish.

        Results the cache does not keep (a timeout, an error) are remembered for this scan,
        so the analysis that asks for them again gets them without a second detection."""
        todo: list[Item] = []
        for item in items:
            if item[0] in self._uncacheable:
                yield item[0], self._uncacheable[item[0]]
            else:
                todo.append(item)
        batches = deque(plan_batches(todo, self.options.limits))
        if not batches:
            return
        from distributed import as_completed

        workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        in_flight = as_completed(loop=self._client.loop)
        total = len(batches)
        try:
            while batches and in_flight.count() < workers * self.options.in_flight_per_worker:
                yield from self._submit(batches, total, in_flight)
            for future in in_flight:
                outcome = self._outcome(future)
                for sha, found in outcome.results:
                    self.files_detected += 1
                    if found.incomplete is not None:
                        self._uncacheable[sha] = found
                    yield sha, found
                if batches:
                    yield from self._submit(batches, total, in_flight)
        finally:
            for future in in_flight.futures:
                future.cancel()

    def _submit(
        self, batches: deque[list[Item]], total: int, in_flight: Any
    ) -> Iterator[tuple[str, FileDetections]]:
        """Send the next batch (largest first); yields at once the blobs the client could not
        read (a symlink, a vanished or oversized file), as the local detector reports them."""
        from scanner.cluster.worker import detect_batch

        batch = batches.popleft()
        payload = []
        for sha, path, _size in batch:
            data = read_blob(path, self.options.max_file_size)
            if isinstance(data, FileDetections):
                self.files_detected += 1
                self._uncacheable[sha] = data
                yield sha, data
            else:
                payload.append((sha, path, data))
        if not payload:
            return
        digest = hashlib.sha1("".join(sha for sha, _p, _d in payload).encode()).hexdigest()
        in_flight.add(
            self._client.submit(
                detect_batch,
                payload,
                key=f"os2scan-detect-{self.version[-12:]}-{digest}",
                priority=len(batches) - total,  # earlier (larger) batches run first
                retries=2,
                pure=False,
            )
        )

    def _outcome(self, future: Any) -> Any:
        try:
            outcome = future.result()
        except Exception as exc:
            raise ClusterError(
                f"a detection batch failed on the cluster: {type(exc).__name__}: "
                f"{one_line(str(exc))}"
            ) from exc
        finally:
            future.release()
        if outcome.detector_version != self.version:
            raise ClusterError(
                f"the worker {outcome.worker} runs detector {outcome.detector_version}, "
                f"this client {self.version}: install the same os2scan and scancode on both"
            )
        return outcome
