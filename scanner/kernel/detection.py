"""What the analysis needs from a licence detector and from a cache of its results.

The analysis depends on these interfaces, never on scancode or SQLite: production passes
scancode's worker pool (started lazily by the pipeline), or a Dask cluster, and a store
(`scanner.store`); tests can pass small detectors and caches of their own and run the
whole pipeline without loading scancode's licence index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from scanner.kernel.models import FileDetections

#: A file to detect: (git blob SHA, absolute path, size in bytes).
DetectionItem = tuple[str, str, int]


class DetectionCache(Protocol):
    """Detector results by git blob SHA and detector version, shared by every repository."""

    def get_detections(self, shas: Iterable[str], version: str) -> dict[str, FileDetections]:
        """The cached results of these blobs (those not cached are left out)."""
        ...

    def put_detections(self, version: str, results: Mapping[str, FileDetections]) -> None:
        """Keep these results; incomplete ones (timeouts, errors) are not kept."""
        ...


class DetectionBackend(Protocol):
    """A running detector: yields (blob SHA, FileDetections) for each item, in any order."""

    files_detected: int

    def detect(self, items: Iterable[DetectionItem]) -> Iterator[tuple[str, FileDetections]]: ...


class DetectorFactory(Protocol):
    """Where a scan gets its detector: called only when some blob is not cached (so a fully
    cached scan loads no licence index), and closed when the scan ends.

    A factory whose optional `plans_globally` attribute is true (a cluster) is handed the
    missing blobs of many repositories at once, before they are analysed one by one.
    """

    @property
    def version(self) -> str:
        """Names what the detector finds: results are cached under it, so it must change
        whenever the detector could return something different. Cheap: it starts nothing."""
        ...

    @property
    def files_detected(self) -> int: ...

    def __call__(self) -> DetectionBackend: ...

    def close(self) -> None: ...
