"""What runs inside a Dask worker: the licence index, loaded once, and `detect_batch`.

`DetectorPlugin` is registered by the client; its `setup` loads and warms scancode's index in
the worker process once (seconds and ~1.4 GB), and every batch the worker runs afterwards
reuses it through one `DetectorPool`. With `jobs` above 1 the pool forks detector processes
that share the index, as on one machine, and the per-file alarm then works (it cannot in a Dask
thread, where only scancode's soft deadlines apply).

A batch carries its blobs' contents: the worker writes them under a temporary folder at their
client-side path (so a file's name and folders read as they do locally, and the results are the
ones a local scan gets), detects them and returns the results. Workers never touch a database:
the client stores what they return.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from distributed import WorkerPlugin, get_worker

from scanner.analysis.detect import detector_version
from scanner.analysis.index import warm_up
from scanner.analysis.pool import DetectorPool
from scanner.kernel.limits import DETECTION_BUDGET
from scanner.kernel.models import FileDetections

PLUGIN_NAME = "os2scan-detector"

#: (blob SHA, path in the client's workspace, contents)
Blob = tuple[str, str, bytes]


@dataclass(frozen=True)
class BatchResult:
    detector_version: str
    worker: str
    results: tuple[tuple[str, FileDetections], ...]


class DetectorPlugin(WorkerPlugin):
    """Loads the licence index once per worker process and holds the detector pool."""

    idempotent = True  # registering it again (every scan does) keeps the loaded index

    def __init__(self, jobs: int = 1, timeout: float = DETECTION_BUDGET) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.version = ""
        self.pool: DetectorPool | None = None
        self.lock: threading.Lock | None = None  # made on the worker: a lock cannot travel

    async def setup(self, worker: Any) -> None:
        # In a thread: the worker keeps answering the scheduler while the index loads.
        await asyncio.to_thread(warm_up)
        self.version = detector_version()
        self.pool = DetectorPool(jobs=self.jobs, timeout=self.timeout)
        self.lock = threading.Lock()

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()


def _workspace_path(folder: Path, client_path: str) -> Path:
    """Where a blob is written on the worker: its client-side path under `folder`."""
    parts = [p for p in PurePosixPath(client_path).parts if p not in ("/", "..", ".")]
    return folder.joinpath(*parts) if parts else folder / "blob"


def detect_batch(blobs: list[Blob]) -> BatchResult:
    """Detect one batch with the worker's loaded index (runs on a Dask worker)."""
    worker = get_worker()
    plugin = worker.plugins[PLUGIN_NAME]
    assert isinstance(plugin, DetectorPlugin)
    if plugin.pool is None or plugin.lock is None:
        raise RuntimeError("the os2scan detector plugin did not start on this worker")
    with plugin.lock, tempfile.TemporaryDirectory(prefix="os2scan-batch-") as folder:
        items = []
        for sha, client_path, data in blobs:
            target = _workspace_path(Path(folder), client_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            items.append((sha, str(target), len(data)))
        results = tuple(plugin.pool.detect(items))
    return BatchResult(plugin.version, f"{worker.address} pid {os.getpid()}", results)
