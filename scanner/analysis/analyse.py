"""Analyse one checkout: inventory, cached or fresh detection, and the repository's facts.

This is the only place that ties the detection cache to the detector: blobs already in the
store are never handed to scancode again, whatever repository or commit they were seen in,
and fresh results are committed in small batches as they arrive so an interrupted scan keeps
everything but the files in flight.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from scanner.analysis import declared
from scanner.analysis.components import detect_components, first_party
from scanner.analysis.content import DEFAULT_LIMITS as CONTENT_LIMITS
from scanner.analysis.content import content_format
from scanner.analysis.inventory import (
    HEAD_BYTES,
    LFS_POINTER_MAX,
    LFS_POINTER_START,
    SQLITE_MAGIC,
    InventoryEntry,
    classify,
    is_own_file,
    is_scan_database,
    list_files,
)
from scanner.analysis.platform import platform_declaration
from scanner.analysis.references import followed_references
from scanner.analysis.repo_config import read_repository_curations
from scanner.analysis.reuse import apply_reuse
from scanner.kernel.detection import DetectionBackend, DetectionCache, DetectionItem
from scanner.kernel.limits import DETECTION_BUDGET, MAX_FILE_SIZE
from scanner.kernel.models import (
    DOCUMENT_KINDS,
    Checkout,
    ComponentCuration,
    ComponentIndex,
    FileDetections,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
    RepoScan,
    Unchecked,
)
from scanner.kernel.timing import timed

#: Kinds that are recorded but never handed to the detector.
NOT_DETECTED = {FileKind.BINARY: Unchecked.BINARY}

#: Files without licence information of their own inherit the declared licence, except these:
#: third-party and generated files are not the repository's own work, and documentation
#: inherits only a declared documentation licence.
NO_INHERITANCE = {FileKind.VENDORED, FileKind.GENERATED, FileKind.BINARY}

FileProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class AnalysisOptions:
    max_file_size: int = MAX_FILE_SIZE
    #: Absolute paths of os2scan's own files (the database in use) inside a checkout: left out.
    own_files: frozenset[str] = frozenset()
    cache_batch: int = 50  # detection results per cache commit
    cache_interval: float = 2.0  # seconds between cache commits at most
    budget: float = DETECTION_BUDGET  # seconds of detection per file
    retry_incomplete: bool = False  # detect again the files a cached result left incomplete
    curations: tuple[ComponentCuration, ...] = ()  # the policy's component curations



#: Incomplete causes a larger time budget can change; an error or a size limit is retried
#: only when asked.
BUDGET_BOUND = ("timeout", "partial")


def needs_detection_again(found: FileDetections, options: AnalysisOptions) -> bool:
    """Whether a cached result must be detected again: it is incomplete and either the user
    asked for incomplete files to be retried, or it ran out of a smaller budget than now."""
    if found.incomplete is None or found.incomplete == "too large":
        return False
    if options.retry_incomplete:
        return True
    return found.incomplete.startswith(BUDGET_BOUND) and (found.budget or 0.0) < options.budget


#: How a file with an incomplete result is shown: its findings may be partial.
NOT_FULLY_CHECKED = "not fully checked"


def not_fully_checked(found: FileDetections) -> str:
    """The skip reason of an incomplete result: "not fully checked: timeout at 120 s"."""
    cause = found.incomplete or ""
    if cause == "timeout" and found.budget:
        cause = f"timeout at {found.budget:g} s"
    return f"{NOT_FULLY_CHECKED}: {cause}"


def analyse_checkout(
    checkout: Checkout,
    cache: DetectionCache,
    detector: Callable[[], DetectionBackend],
    version: str,
    options: AnalysisOptions = AnalysisOptions(),
    on_files: FileProgress | None = None,
) -> RepoScan:
    """Analyse a collected checkout. `detector` is called only if some blob is not in the
    `cache` under the detector's `version`, so a rescan of known content never loads
    scancode's licence index."""
    assert checkout.path is not None
    root = checkout.path
    curations = (*options.curations, *read_repository_curations(root))
    with timed("inventory", checkout.name):
        entries, kinds, unchecked = _inventory(root, options)
        wanted = [e for e in entries if _should_detect(e, kinds[e.path], options, unchecked)]
        results = _usable_cached(cache, version, wanted, options)
    missing = _unique_by_blob(e for e in wanted if e.blob_sha not in results)
    copies = Counter(e.blob_sha for e in wanted)
    done = len(wanted) - len(missing)
    if on_files:
        on_files(done, len(wanted))

    scanned = 0
    if missing:
        backend = detector()
        before = backend.files_detected

        def count(sha: str) -> None:
            nonlocal done
            done += copies[sha]
            if on_files:
                on_files(min(done, len(wanted)), len(wanted))

        items = [(e.blob_sha, str(root / e.path), e.size) for e in missing]
        with timed("detect", f"{checkout.name} ({len(items)} blobs)"):
            found = detect_into_cache(backend, items, cache, version, options, on_result=count)
        results.update(found)
        scanned = backend.files_detected - before

    by_path = {e.path: results[e.blob_sha] for e in entries if e.blob_sha in results}
    followed = followed_references({e.path for e in entries}, by_path)
    files = tuple(
        _finding(
            e,
            kinds[e.path],
            _following(by_path.get(e.path), followed, e.path),
            options,
            unchecked.get(e.path),
        )
        for e in entries
    )
    # A first view of the facts tells components from first-party work; the facts are then
    # read again from first-party files only, so third-party holders are not the repository's.
    components = detect_components(root, files, declared.read_facts(root, files), curations)
    facts = replace(
        declared.read_facts(root, first_party(files, components)), components=components
    )
    platform = platform_declaration(checkout.metadata)  # GitHub's or GitLab's own detection
    if platform is not None:
        facts = replace(facts, declared_sources=(*facts.declared_sources, platform))
    files = apply_reuse(files, facts, root)
    index = ComponentIndex(components)
    files = tuple(f if index.owner(f.path) else _inherit(f, facts) for f in files)
    return RepoScan(checkout=checkout, facts=facts, files=files, scanned_files=scanned)


def blobs_to_detect(
    checkout: Checkout,
    cache: DetectionCache,
    version: str,
    options: AnalysisOptions = AnalysisOptions(),
) -> list[DetectionItem]:
    """(blob SHA, path, size) of each blob of the checkout that the cache does not hold yet,
    as `analyse_checkout` would hand them to the detector: lets a scan detect the missing
    blobs of many repositories at once, each blob once, before analysing them one by one."""
    assert checkout.path is not None
    entries, kinds, unchecked = _inventory(checkout.path, options)
    wanted = [e for e in entries if _should_detect(e, kinds[e.path], options, unchecked)]
    cached = _usable_cached(cache, version, wanted, options)
    return [
        (e.blob_sha, str(checkout.path / e.path), e.size)
        for e in _unique_by_blob(e for e in wanted if e.blob_sha not in cached)
    ]


def detect_into_cache(
    backend: DetectionBackend,
    items: Iterable[DetectionItem],
    cache: DetectionCache,
    version: str,
    options: AnalysisOptions = AnalysisOptions(),
    on_result: Callable[[str], None] | None = None,
) -> dict[str, FileDetections]:
    """Detect `items` and commit the results to the cache in small batches as they arrive,
    so an interrupted scan keeps all but the files in flight; returns every result."""
    results: dict[str, FileDetections] = {}
    pending: dict[str, FileDetections] = {}
    last_flush = time.monotonic()
    try:
        for sha, found in backend.detect(items):
            results[sha] = found
            pending[sha] = found
            if on_result:
                on_result(sha)
            now = time.monotonic()
            if len(pending) >= options.cache_batch or now - last_flush > options.cache_interval:
                cache.put_detections(version, pending)
                pending, last_flush = {}, now
    finally:
        cache.put_detections(version, pending)
    return results


def _usable_cached(
    cache: DetectionCache, version: str, wanted: list[InventoryEntry], options: AnalysisOptions
) -> dict[str, FileDetections]:
    """The cached results of these blobs, but those to detect again (`needs_detection_again`)."""
    cached = cache.get_detections((e.blob_sha for e in wanted), version)
    return {sha: r for sha, r in cached.items() if not needs_detection_again(r, options)}


def _inventory(
    root: Path, options: AnalysisOptions
) -> tuple[list[InventoryEntry], dict[str, FileKind], dict[str, str]]:
    """Every file of the checkout but os2scan's own (its database, `.os2scan/`, `.os2scan.yml`,
    a baseline file: see `is_own_file`), its kind, and for the files whose bytes cannot be
    judged although they can be read, why (see `_classify`)."""
    entries: list[InventoryEntry] = []
    kinds: dict[str, FileKind] = {}
    unchecked: dict[str, str] = {}
    for entry in list_files(root):
        if str(root / entry.path) in options.own_files:
            continue
        head = _head(root, entry)
        if is_own_file(entry.path, head):
            continue
        entries.append(entry)
        kinds[entry.path], reason = _classify(root, entry, head)
        if reason is not None:
            unchecked[entry.path] = reason
    return entries, kinds, unchecked


def _head(root: Path, entry: InventoryEntry) -> bytes:
    """The first bytes of a file (nothing for a symlink, never followed, or an unreadable one)."""
    if entry.is_symlink or entry.unreadable:
        return b""
    try:
        with open(root / entry.path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""


def _classify(root: Path, entry: InventoryEntry, head: bytes) -> tuple[FileKind, str | None]:
    """The file's kind, and why its bytes cannot be judged even though they can be read: a
    git-lfs pointer (the content is on an LFS server, never fetched) or a committed os2scan
    database (a detection cache that could vouch for other files)."""
    if entry.is_symlink or entry.unreadable:
        return classify(entry.path, b""), None
    kind = classify(entry.path, head)
    if entry.size <= LFS_POINTER_MAX and head.startswith(LFS_POINTER_START):
        return kind, Unchecked.LFS_POINTER
    if head.startswith(SQLITE_MAGIC) and is_scan_database(root / entry.path):
        return kind, Unchecked.SCAN_DATABASE
    return kind, None


def _should_detect(
    entry: InventoryEntry, kind: FileKind, options: AnalysisOptions, unchecked: dict[str, str]
) -> bool:
    if entry.is_symlink or entry.unreadable is not None or entry.path in unchecked:
        return False
    if entry.size <= 0:
        return False
    if content_format(entry.path) is not None:  # read by its content reader, binary or not
        return entry.size <= CONTENT_LIMITS.max_blob_bytes
    return kind not in NOT_DETECTED and entry.size <= options.max_file_size


def _unique_by_blob(entries: Iterable[InventoryEntry]) -> list[InventoryEntry]:
    seen: dict[str, InventoryEntry] = {}
    for e in entries:
        seen.setdefault(e.blob_sha, e)
    return list(seen.values())


def _skip_reason(
    entry: InventoryEntry, kind: FileKind, found: FileDetections | None, options: AnalysisOptions
) -> str | None:
    if entry.is_symlink:
        return Unchecked.SYMLINK
    if entry.unreadable:
        return f"{Unchecked.UNREADABLE}: {entry.unreadable}"
    if content_format(entry.path) is not None:
        if entry.size > CONTENT_LIMITS.max_blob_bytes:
            return Unchecked.TOO_LARGE
    elif kind in NOT_DETECTED:
        return NOT_DETECTED[kind]
    elif entry.size > options.max_file_size:
        return Unchecked.TOO_LARGE
    if found is not None and found.incomplete == Unchecked.TOO_LARGE:
        return found.incomplete
    if found is not None and found.incomplete:
        return not_fully_checked(found)
    return None


def _following(
    found: FileDetections | None, followed: dict[str, str | None], path: str
) -> FileDetections | None:
    """The file's detections with its licence once its references to other files are followed."""
    if found is None or path not in followed:
        return found
    return replace(found, license_expression=followed[path])


def _finding(
    entry: InventoryEntry,
    kind: FileKind,
    found: FileDetections | None,
    options: AnalysisOptions,
    unchecked: str | None = None,
) -> FileFinding:
    skipped = unchecked or _skip_reason(entry, kind, found, options)
    if found is None:
        return FileFinding(_shown(entry.path), entry.blob_sha, entry.size, kind, skipped=skipped)
    source = None
    if found.spdx_header:
        source = LicenseSource.HEADER
    elif found.license_expression:
        source = LicenseSource.DETECTED
    return FileFinding(
        path=_shown(entry.path),
        blob_sha=entry.blob_sha,
        size=entry.size,
        kind=kind,
        license_expression=found.license_expression or found.spdx_header,
        license_source=source,
        detections=found.detections,
        copyrights=found.copyrights,
        holders=found.holders,
        spdx_header=found.spdx_header is not None,
        copyright_header=found.copyright_header,
        notices=found.notices,
        skipped=skipped,
        content=found.content,
    )


#: Control characters in a file name (newlines, terminal escape sequences): shown escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _shown(path: str) -> str:
    """The path as text that can be stored and printed: a name that is not UTF-8 (held as
    surrogates by os.fsdecode) shows its odd bytes as \\xNN escapes, and control characters
    (a newline, a terminal escape sequence) are escaped the same way, so a file name can
    neither forge a line of output nor drive the terminal that shows it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        path = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


def _inherit(finding: FileFinding, facts: RepoFacts) -> FileFinding:
    """A file with no licence of its own is under the licence its repository declares; one
    nobody read in full (too large, binary, an LFS pointer, unreadable) is under no known
    licence, so it inherits nothing."""
    if finding.license_expression or finding.kind in NO_INHERITANCE or finding.skipped:
        return finding
    inherited = (
        facts.documentation_license if finding.kind in DOCUMENT_KINDS else facts.declared_license
    )
    if not inherited:
        return finding
    return replace(finding, license_expression=inherited, license_source=LicenseSource.DECLARED)
