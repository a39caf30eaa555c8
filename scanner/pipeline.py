"""Run a scan: collect -> analyse -> evaluate -> store, one repository at a time.

Each repository is stored as soon as it is analysed and evaluated, so a long portfolio scan
that is interrupted keeps every finished repository, and the detection cache keeps every
finished file. The rules are passed in as a callable: the scanner core does not know them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scanner import __version__
from scanner.analysis.analyse import AnalysisOptions, DetectionBackend, analyse_checkout
from scanner.analysis.detect import DETECTOR_VERSION
from scanner.analysis.pool import DetectorPool
from scanner.collectors import collect
from scanner.collectors.forge import configure as configure_forges
from scanner.kernel.errors import Os2scanError, StoreError
from scanner.kernel.models import (
    Checkout,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    ScanResult,
    SourceKind,
    Violation,
)
from scanner.kernel.paths import DEFAULT_WORKSPACE
from scanner.kernel.redact import one_line
from scanner.store import Store

log = logging.getLogger(__name__)

Evaluate = Callable[[RepoScan], Sequence[Violation]]


class Progress:
    """What a scan reports as it goes. The default reports nothing; the CLI draws a bar."""

    def repositories_found(self, total: int) -> None: ...

    def repository_started(self, name: str) -> None: ...

    def files(self, done: int, total: int) -> None: ...

    def repository_done(self, repo: RepoScan) -> None: ...

    def message(self, text: str) -> None: ...

    def notice(self, text: str) -> None:
        """Something the user must see even without a terminal (a rate-limit wait)."""
        log.warning("%s", text)


@dataclass(frozen=True)
class ScanOptions:
    workspace: Path = DEFAULT_WORKSPACE
    jobs: int = 0  # 0: all cores
    timeout: float = 120.0  # seconds per file
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    no_wait: bool = False

    @property
    def workers(self) -> int:
        """Detection worker processes: `jobs`, or every core when it is 0."""
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    source: str


class _LazyDetector:
    """Starts the worker pool (and so loads scancode's index) only when a blob needs it."""

    def __init__(self, options: ScanOptions) -> None:
        self._options = options
        self._pool: DetectorPool | None = None
        self._stack = contextlib.ExitStack()

    def __call__(self) -> DetectionBackend:
        if self._pool is None:
            pool = DetectorPool(jobs=self._options.workers, timeout=self._options.timeout)
            self._pool = self._stack.enter_context(pool)
        return self._pool

    @property
    def files_detected(self) -> int:
        return self._pool.files_detected if self._pool else 0

    def close(self) -> None:
        self._stack.close()


def run_scan(
    specs: Sequence[RepositorySpec],
    store: Store,
    evaluate: Evaluate,
    *,
    portfolio: str,
    policy: PolicyInfo,
    options: ScanOptions = ScanOptions(),
    progress: Progress | None = None,
) -> ScanResult:
    """Scan every repository of `specs` and store the scan; returns what was found."""
    progress = progress or Progress()
    scan_id = store.begin_scan(portfolio, policy.name, policy.source, __version__)
    detector = _LazyDetector(options)
    repositories: list[RepoScan] = []
    violations: list[Violation] = []
    status = "interrupted"
    try:
        for checkout in _collect_all(specs, options, progress):
            repo = _analyse(checkout, store, detector, options, progress)
            repo, found = _evaluate(repo, evaluate)
            store.save_repository(scan_id, repo, detector_version=DETECTOR_VERSION)
            store.save_violations(scan_id, found)
            repositories.append(repo)
            violations.extend(found)
            progress.repository_done(repo)
        status = "complete"
    finally:
        detector.close()
        with contextlib.suppress(Os2scanError):
            store.finish_scan(scan_id, status)
    return ScanResult(
        repositories=tuple(repositories),
        violations=tuple(violations),
        policy_name=policy.name,
        policy_source=policy.source,
        portfolio=portfolio,
        scan_id=scan_id,
        tool_version=__version__,
    )


def _evaluate(repo: RepoScan, evaluate: Evaluate) -> tuple[RepoScan, tuple[Violation, ...]]:
    """The repository's violations; a rule that fails on it fails the repository, not the scan."""
    if not repo.checkout.ok:
        return repo, ()
    try:
        return repo, tuple(evaluate(repo))
    except Exception as exc:  # noqa: BLE001 - one repository never stops the portfolio
        return _failed(repo.checkout, "evaluation failed", exc), ()


def _failed(checkout: Checkout, stage: str, exc: Exception) -> RepoScan:
    """A repository recorded as failed with a one-line, redacted reason (exit code 3)."""
    log.debug("%s: %s", checkout.name, stage, exc_info=True)
    reason = str(exc) if isinstance(exc, Os2scanError) else f"{stage}: {type(exc).__name__}: {exc}"
    failed = replace(checkout, error=one_line(reason))
    return RepoScan(checkout=failed, facts=RepoFacts(declared_license=None), files=())


def _collect_all(
    specs: Sequence[RepositorySpec], options: ScanOptions, progress: Progress
) -> Iterator[Checkout]:
    progress.repositories_found(len(specs))
    configure_forges(no_wait=options.no_wait, notify=progress.notice)
    for spec in specs:
        progress.message(f"collecting {spec.locator}")
        yield from collect(spec, options.workspace)


def _analyse(
    checkout: Checkout,
    store: Store,
    detector: _LazyDetector,
    options: ScanOptions,
    progress: Progress,
) -> RepoScan:
    if not checkout.ok:
        return RepoScan(checkout=checkout, facts=RepoFacts(declared_license=None), files=())
    progress.repository_started(checkout.name)
    # A local path can hold uncommitted edits at the same commit; clones are reset to it.
    unchanged = (
        store.find_unchanged(checkout, DETECTOR_VERSION)
        if checkout.spec.kind is not SourceKind.PATH
        else None
    )
    if unchanged is not None:
        log.debug("%s: unchanged since commit %s, analysis reused", checkout.name, checkout.commit)
        return unchanged
    started = time.monotonic()
    try:
        repo = analyse_checkout(
            checkout, store, detector, options.analysis, on_files=progress.files
        )
    except (StoreError, sqlite3.Error):
        raise  # the database failed, not this repository: the scan cannot go on
    except Exception as exc:  # noqa: BLE001 - one repository never stops the portfolio
        return _failed(checkout, "analysis failed", exc)
    log.debug(
        "%s: %d files, %d detected, %.1f s",
        checkout.name,
        len(repo.files),
        repo.scanned_files,
        time.monotonic() - started,
    )
    return repo
