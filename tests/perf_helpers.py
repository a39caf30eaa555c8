"""Helpers for the performance correctness tests: run the real analysis and see what it detects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from scanner.analysis.analyse import analyse_checkout
from scanner.analysis.detect import detector_version
from scanner.analysis.pool import DetectorPool
from scanner.collectors import collect
from scanner.kernel.models import (
    Checkout,
    FileDetections,
    FileFinding,
    RepoScan,
    RepositorySpec,
    SourceKind,
)
from scanner.pipeline import PolicyInfo, ScanOptions, run_scan
from scanner.store import Store

Found = TypeVar("Found", FileDetections, FileFinding)


def rule_kinds(found: Found) -> Found:
    """The result with SPDX-identifier rule ids cut to their kind: an SPDX tag read without
    scancode has no scancode rule id behind it, only the same expression on the same line."""
    return replace(
        found,
        detections=tuple(
            replace(d, rule="spdx-license-identifier")
            if d.rule.startswith("spdx-license-identifier")
            else d
            for d in found.detections
        ),
    )


class RecordingPool:
    """A real in-process DetectorPool that also remembers which blobs it was asked to detect."""

    def __init__(self, *, exact_first: bool = True, timeout: float = 60) -> None:
        self.pool = DetectorPool(jobs=1, timeout=timeout, exact_first=exact_first)
        self.asked: list[str] = []
        self.started = 0

    @property
    def files_detected(self) -> int:
        return self.pool.files_detected

    def __call__(self) -> RecordingPool:
        """The analysis calls its detector factory only when some blob is not cached."""
        self.started += 1
        return self

    def detect(self, items: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, FileDetections]]:
        items = list(items)
        self.asked.extend(sha for sha, _path, _size in items)
        yield from self.pool.detect(items)


def checkout_of(path: Path, tmp_path: Path, product: str = "P") -> Checkout:
    spec = RepositorySpec(product=product, kind=SourceKind.PATH, locator=str(path))
    (checkout,) = collect(spec, tmp_path / "workspace")
    assert checkout.ok, checkout.error
    return checkout


def analyse(path: Path, store: Store, pool: RecordingPool, tmp_path: Path) -> RepoScan:
    return analyse_checkout(checkout_of(path, tmp_path), store, pool, detector_version())


def scan_paths(paths: list[Path], db: Path, tmp_path: Path) -> list[RepoScan]:
    """`os2scan scan` on these local repositories, one product each, jobs 1, no rules."""
    specs = [
        RepositorySpec(product=p.name, kind=SourceKind.PATH, locator=str(p)) for p in paths
    ]
    with Store.open(db) as store:
        result = run_scan(
            specs,
            store,
            lambda repo: (),
            portfolio="perf",
            policy=PolicyInfo("os2", "built-in"),
            options=ScanOptions(workspace=tmp_path / "workspace", jobs=1, timeout=60),
        )
    return list(result.repositories)
