"""Cutting the blobs a scan must detect into batches for the cluster's workers.

A batch is the unit Dask schedules, retries and loses with a worker: big enough that the
round trip is small against the detection (tens of files), small enough that a lost worker
costs seconds and that the payload (the blobs' contents travel with it) stays a few megabytes.
Largest files go first, so the long ones start early and no worker idles at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: (blob SHA, path of the file in the client's workspace, size in bytes), as the analysis
#: hands blobs to any detector.
Item = tuple[str, str, int]


@dataclass(frozen=True)
class BatchLimits:
    files: int = 40
    bytes: int = 8_000_000


def plan_batches(items: Iterable[Item], limits: BatchLimits = BatchLimits()) -> list[list[Item]]:
    """Unique blobs, largest first, in batches within `limits` (a file larger than the byte
    limit is a batch of its own)."""
    unique: dict[str, Item] = {}
    for item in items:
        unique.setdefault(item[0], item)
    batches: list[list[Item]] = []
    current: list[Item] = []
    size = 0
    for item in sorted(unique.values(), key=lambda i: (-i[2], i[0])):
        if current and (len(current) >= limits.files or size + item[2] > limits.bytes):
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item[2]
    if current:
        batches.append(current)
    return batches
