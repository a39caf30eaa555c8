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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from scanner import __version__
from scanner.analysis.analyse import (
    NOT_FULLY_CHECKED,
    AnalysisOptions,
    analyse_checkout,
    blobs_to_detect,
    detect_into_cache,
)
from scanner.analysis.detect import detector_version
from scanner.analysis.pool import DetectorPool
from scanner.collectors import collect
from scanner.collectors.forge import ForgeOptions
from scanner.collectors.forge import current_options as current_forge_options
from scanner.collectors.forge import using as using_forge_options
from scanner.kernel.detection import DetectionBackend, DetectorFactory
from scanner.kernel.errors import InputError, Os2scanError, StoreError
from scanner.kernel.limits import DETECTION_BUDGET
from scanner.kernel.models import (
    Checkout,
    PolicyTerms,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    ScanKind,
    ScanResult,
    SourceKind,
    Violation,
)
from scanner.kernel.names import qualified_name
from scanner.kernel.paths import DEFAULT_WORKSPACE
from scanner.kernel.redact import one_line
from scanner.kernel.timing import counting, summary, timed
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
    timeout: float = DETECTION_BUDGET  # seconds per file
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    no_wait: bool = False
    plan_window: int = 200  # repositories whose missing blobs are detected together
    retry_incomplete: bool = False  # detect again files a cached result left incomplete

    @property
    def analysis_options(self) -> AnalysisOptions:
        """The analysis options, with the per-file budget and the retry choice of this scan."""
        return replace(self.analysis, budget=self.timeout, retry_incomplete=self.retry_incomplete)

    @property
    def workers(self) -> int:
        """Detection worker processes: `jobs`, or every core when it is 0."""
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class PolicyInfo:
    """The policy a scan is judged by, as the scan records it."""

    name: str
    source: str
    terms: PolicyTerms = field(default_factory=PolicyTerms)


class _LazyDetector:
    """The default DetectorFactory: scancode's worker pool, started (and so its licence index
    loaded) only when a blob needs it."""

    @property
    def version(self) -> str:
        return detector_version()

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
    detector: DetectorFactory | None = None,
    forges: ForgeOptions | None = None,
    kind: ScanKind = ScanKind.PORTFOLIO,
) -> ScanResult:
    """Scan every repository of `specs` and store the scan; returns what was found.

    `detector` defaults to the local pool, started only if a blob needs it; run_scan closes
    whichever detector it uses. `forges` is how the GitHub and GitLab collectors behave
    (default: the process defaults, with `options.no_wait`, waits announced through
    `progress`); it applies to this scan's collection only."""
    progress = progress or Progress()
    chosen: DetectorFactory = detector or _LazyDetector(options)
    if forges is None:
        defaults = current_forge_options()
        forges = replace(
            defaults, no_wait=defaults.no_wait or options.no_wait, notify=progress.notice
        )
    try:
        scan_id = store.begin_scan(
            portfolio, policy.name, policy.source, __version__, kind=kind, terms=policy.terms
        )
    except BaseException:
        chosen.close()
        raise
    repositories: list[RepoScan] = []
    violations: list[Violation] = []
    status = "interrupted"
    with counting() as seconds:
        try:
            for checkout in _planned(_collect_all(specs, options, forges, progress), store, chosen,
                                     options, progress):
                repo = _analyse(checkout, store, chosen, options, progress)
                repo, found = _evaluate(repo, evaluate)
                store.save_repository(scan_id, repo, detector_version=chosen.version)
                store.save_violations(scan_id, found)
                repositories.append(repo)
                violations.extend(found)
                progress.repository_done(repo)
            status = "complete"
        finally:
            chosen.close()
            with contextlib.suppress(Os2scanError):
                store.finish_scan(scan_id, status)
            log.info("scan %s %s: %s", scan_id, status, summary(seconds) or "nothing to do")
    record = store.scan_record(scan_id)
    return ScanResult(
        repositories=tuple(repositories),
        violations=tuple(violations),
        policy_name=policy.name,
        policy_source=policy.source,
        portfolio=portfolio,
        scan_id=scan_id,
        started_at=record.started_at if record else None,
        tool_version=__version__,
        finished_at=record.finished_at if record else None,
        kind=kind,
        policy_terms=policy.terms,
    )


def _evaluate(repo: RepoScan, evaluate: Evaluate) -> tuple[RepoScan, tuple[Violation, ...]]:
    """The repository's violations; a rule that fails on it fails the repository, not the scan."""
    if not repo.checkout.ok:
        return repo, ()
    try:
        with timed("rules", repo.checkout.name):
            return repo, tuple(evaluate(repo))
    except InputError:
        raise  # the policy cannot be used (a pattern out of time): one line, exit 2
    except Exception as exc:  # noqa: BLE001 - one repository never stops the portfolio
        return _failed(repo.checkout, "evaluation failed", exc), ()


def _failed(checkout: Checkout, stage: str, exc: Exception) -> RepoScan:
    """A repository recorded as failed with a one-line, redacted reason (exit code 3)."""
    log.debug("%s: %s", checkout.name, stage, exc_info=True)
    reason = str(exc) if isinstance(exc, Os2scanError) else f"{stage}: {type(exc).__name__}: {exc}"
    failed = replace(checkout, error=one_line(reason))
    return RepoScan(checkout=failed, facts=RepoFacts(declared_license=None), files=())


def _collect_all(
    specs: Sequence[RepositorySpec], options: ScanOptions, forges: ForgeOptions, progress: Progress
) -> Iterator[Checkout]:
    progress.repositories_found(len(specs))
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        progress.message(f"collecting {spec.locator}")
        with timed("collect", spec.name), using_forge_options(forges):
            checkouts = collect(spec, options.workspace)
        for checkout in checkouts:
            yield _distinct(checkout, seen)


def _distinct(checkout: Checkout, seen: set[tuple[str, str]]) -> Checkout:
    """The checkout, renamed with a hash of where it comes from if its product already has a
    repository of that name (two `path` entries both ending in `ok`, or the same repository
    name in two organisations): findings, pages and waivers are keyed by product and name."""
    key = (checkout.spec.product, checkout.name)
    if key in seen:
        spec = checkout.spec
        identity = f"{spec.kind.value}:{spec.api_url or ''}:{spec.locator}:{checkout.name}"
        checkout = replace(checkout, name=qualified_name(checkout.name, f"{identity}@{spec.ref}"))
    seen.add((checkout.spec.product, checkout.name))
    return checkout


def _planned(
    checkouts: Iterable[Checkout],
    store: Store,
    detector: DetectorFactory,
    options: ScanOptions,
    progress: Progress,
) -> Iterator[Checkout]:
    """The checkouts, unchanged; for a detector that plans globally, the blobs missing from
    the cache in each window of repositories are first detected together, each blob once."""
    if not getattr(detector, "plans_globally", False):
        yield from checkouts
        return
    pending = iter(checkouts)
    while window := list(islice(pending, max(1, options.plan_window))):
        _detect_ahead(window, store, detector, options, progress)
        yield from window


def _detect_ahead(
    checkouts: Sequence[Checkout],
    store: Store,
    detector: DetectorFactory,
    options: ScanOptions,
    progress: Progress,
) -> None:
    items: dict[str, tuple[str, str, int]] = {}
    for checkout in checkouts:
        if not checkout.ok or _unchanged(checkout, store, detector.version, options) is not None:
            continue
        try:
            for item in blobs_to_detect(
                checkout, store, detector.version, options.analysis_options
            ):
                items.setdefault(item[0], item)
        except (StoreError, sqlite3.Error):
            raise
        except Exception:
            log.debug("%s: inventory failed", checkout.name, exc_info=True)
    if not items:
        return
    progress.message(f"detecting {len(items)} blobs of {len(checkouts)} repositories")
    done = 0

    def count(_sha: str) -> None:
        nonlocal done
        done += 1
        progress.files(done, len(items))

    with timed("detect", f"{len(items)} blobs of {len(checkouts)} repositories"):
        detect_into_cache(
            detector(),
            items.values(),
            store,
            detector.version,
            options.analysis_options,
            on_result=count,
        )


def _unchanged(
    checkout: Checkout, store: Store, version: str, options: ScanOptions
) -> RepoScan | None:
    """The stored analysis of this very commit; a local path can hold uncommitted edits at
    the same commit (clones are reset to it), so it is always analysed again, and so is one
    with files not fully checked (they are judged one by one against this scan's budget), and
    any repository when the policy curates components (the stored components did not see it)."""
    if checkout.spec.kind is SourceKind.PATH or options.analysis.curations:
        return None
    unchanged = store.find_unchanged(checkout, version)
    if unchanged is not None and any(
        (f.skipped or "").startswith(NOT_FULLY_CHECKED) for f in unchanged.files
    ):
        return None
    return unchanged


def _analyse(
    checkout: Checkout,
    store: Store,
    detector: DetectorFactory,
    options: ScanOptions,
    progress: Progress,
) -> RepoScan:
    if not checkout.ok:
        return RepoScan(checkout=checkout, facts=RepoFacts(declared_license=None), files=())
    progress.repository_started(checkout.name)
    unchanged = _unchanged(checkout, store, detector.version, options)
    if unchanged is not None:
        log.debug("%s: unchanged since commit %s, analysis reused", checkout.name, checkout.commit)
        return unchanged
    started = time.monotonic()
    try:
        repo = analyse_checkout(
            checkout,
            store,
            detector,
            detector.version,
            options.analysis_options,
            on_files=progress.files,
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
