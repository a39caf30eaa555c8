"""Licence and copyright detection with scancode's Python API, in-process, in a worker pool.

scancode's licence index takes seconds and over a gigabyte to load, so it is loaded once, in
the process that owns the `DetectorPool`, and only when a file actually needs detecting (a
rescan served from the cache never loads it). Workers are forked from that process after
`gc.freeze()`, so they share the index instead of each loading a copy.

`detect_file` is the fast path: exact matching runs on every file, scancode's slow approximate
(sequence) matcher only where a licence word or a legal file name appears (and in a long
plain-text file only on windows of lines around those words, the rest blanked out so line
numbers hold), and copyright detection only where a copyright hint appears. `exact_first=False`
runs the plain full detection instead, for comparison.

A file that runs out of time is never reported as "no licence": its `incomplete` is "timeout",
whether the per-file alarm fired or scancode's soft deadline cut its matching short.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import os
import re
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from multiprocessing import connection as mp_connection
from multiprocessing import get_context
from pathlib import Path, PurePath
from typing import Any

from scanner.kernel.models import Detection, FileDetections

#: Our own detection logic; bump it whenever detect_file can return something different.
LOGIC_VERSION = "3"

#: Files above this size are not scanned ("too large").
MAX_SIZE = 5 * 1024 * 1024

#: How many lines count as a file's header (SPDX tags, copyright line).
HEADER_LINES = 20

#: Share of the per-file timeout given to the licence matcher and to the copyright detector
#: as scancode's soft deadlines; the alarm at the full timeout is the hard stop.
LICENSE_DEADLINE_SHARE = 0.5
COPYRIGHT_DEADLINE_SHARE = 0.8

#: Approximate matching in a large file runs only on windows of this many lines around each
#: licence hint (the rest is blanked out, line numbers kept), when the windows cover at most
#: WINDOW_MAX_SHARE of a plain-text file of at least WINDOW_MIN_LINES lines.
WINDOW_LINES = 20
WINDOW_MIN_LINES = 60
WINDOW_MAX_SHARE = 0.5
WINDOW_MAX_LINE_CHARS = 1000

#: A worker is replaced after this many files, which bounds the memory it copies from the
#: shared index over a long run.
MAX_TASKS_PER_WORKER = 2000

# --- cheap text pre-filters ------------------------------------------------------------------

#: Words that say licence text may be present: the approximate matcher runs only where one is.
LICENSE_HINT = re.compile(
    r"licen[cs]|\bsublicen|\blizen[sz]|\bpatent"
    r"|\b(?:copyright|copyleft|l?gpl|agpl|gnu|fsf|mit|x11|bsd|0bsd|isc|zlib|apache|mozilla|mpl"
    r"|eupl|cddl|epl|eclipse\s+public|artistic|wtfpl|unlicen[cs]e|cc0|cc[-\s]by|ofl"
    r"|creative\s+commons|public\s+domain|unencumbered|free\s+software|open[\s-]source"
    r"|hereby\s+granted|permission\s+(?:is\s+)?(?:hereby\s+)?(?:granted|to\s+use)"
    r"|free\s+of\s+charge|without\s+fee|redistribut\w*|warrant(?:y|ies)|merchantab\w*"
    r"|distributed\s+under|released\s+under|governed\s+by|proprietary|confidential"
    r"|commercial|rights\s+reserved|eula|spdx|do\s+what\s+the|beer-?ware"
    r"|ophavsret|rettigheder)\b",
    re.IGNORECASE,
)

#: Markers a copyright statement needs; copyright detection runs only where one is.
COPYRIGHT_HINT = re.compile(
    r"opyr|opyl|\bcopr\b|(?<![\w.])\(\s*c\s*\)|[\u00a9\u24b8\u24d2\udca9]|&copy|&#169|&#xa9|u00a9"
    r"|\\xa9|\|copy\||rights\s+reserved|ophavsret",
    re.IGNORECASE,
)

#: File names whose content is legal text even when it names no licence.
LEGAL_NAME = re.compile(
    r"^(?:licen[cs]e|copying|copyright|copyleft|notice|patents?|legal|unlicen[cs]e|eula"
    r"|authors|credits|readme|metadata|pkg-info)|\.licen[cs]e$",
    re.IGNORECASE,
)

#: Restrictive phrases reported as notices, by the name they are reported under.
NOTICE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("all rights reserved", r"\ball\s+rights\s+reserved\b"),
        ("proprietary", r"\bproprietary\b"),
        ("confidential", r"\bconfidential\b"),
        ("strictly prohibited", r"\bstrictly\s+prohibited\b"),
        ("not for redistribution", r"\bnot\s+for\s+(?:re-?)?distribution\b"),
        ("alle rettigheder forbeholdes", r"\balle\s+rettigheder\s+(?:er\s+)?forbeholdt?e?s?\b"),
    )
)

SPDX_HEADER = re.compile(r"SPDX-License-Identifier\s*:\s*(.+)", re.IGNORECASE)
COPYRIGHT_HEADER = re.compile(
    r"^[\W_]*(?:SPDX-FileCopyrightText\s*:|copyright\b|\(c\)|\u00a9)", re.IGNORECASE
)
#: Comment closers and quotes left after an SPDX expression on its line.
_SPDX_TAIL = re.compile(r"\*/|-->|--%>|%>|#}|-}|\*\)|\"\"\"|'''|[\"';,]")


class DetectionTimeout(BaseException):
    """Raised by the per-file alarm when a file runs out of time.

    A BaseException, so scancode's own `except Exception` blocks cannot swallow it.
    """


# --- version ---------------------------------------------------------------------------------

_version_cache: str | None = None


def _index_fingerprint() -> str:
    """A short fingerprint of the licence index file: its size and its first and last MiB."""
    import scancode_config

    _forget_scancode_temp_dir()
    cache = Path(scancode_config.licensedcode_cache_dir) / "license_index" / "index_cache"
    try:
        size = cache.stat().st_size
        digest = hashlib.sha1(str(size).encode())
        with open(cache, "rb") as handle:
            digest.update(handle.read(1 << 20))
            handle.seek(max(0, size - (1 << 20)))
            digest.update(handle.read(1 << 20))
        return digest.hexdigest()[:12]
    except OSError:
        return "noindex"


def detector_version() -> str:
    """scancode's version, the licence index fingerprint and our own logic version."""
    global _version_cache
    if _version_cache is None:
        try:
            scancode_version = metadata.version("scancode-toolkit")
        except metadata.PackageNotFoundError:
            scancode_version = "unknown"
        _version_cache = (
            f"scancode-{scancode_version}+index-{_index_fingerprint()}+os2scan-{LOGIC_VERSION}"
        )
    return _version_cache


def __getattr__(name: str) -> Any:
    # DETECTOR_VERSION is computed on first use: it reads a little of the index file.
    if name == "DETECTOR_VERSION":
        return detector_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- scancode plumbing -----------------------------------------------------------------------

_temp_dirs_registered = False


def _forget_scancode_temp_dir() -> None:
    """Remove the empty `scancode-tk-*` folder that importing scancode leaves, at exit."""
    global _temp_dirs_registered
    if _temp_dirs_registered:
        return
    _temp_dirs_registered = True
    import scancode_config

    temp_dir = scancode_config.scancode_temp_dir
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            with contextlib.suppress(OSError):
                os.rmdir(temp_dir)  # only if empty

    atexit.register(remove)


def load_index() -> None:
    """Load scancode's licence index into this process (a no-op when it is loaded)."""
    from licensedcode import cache

    _forget_scancode_temp_dir()
    cache.get_index()


_WARM_UP_TEXT = (
    "# SPDX-License-Identifier: MIT\n# Copyright (c) 2020 Example ApS. All rights reserved.\n"
    "# Permission is hereby granted, free of charge, to any person obtaining a copy\n"
)
_warmed_up = False


def warm_up() -> None:
    """Load the index and build scancode's lazily made matchers (the copyright grammar takes
    most of a second) once, so forked workers inherit them and no file pays for them."""
    global _warmed_up
    if _warmed_up:
        return
    load_index()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        sample = Path(folder) / "warm-up.py"
        sample.write_text(_WARM_UP_TEXT, encoding="utf-8")
        _licenses(str(sample), time.time() + 60, approximate=True)
        _copyrights(str(sample), time.time() + 60)
    _warmed_up = True


def index_loaded() -> bool:
    from licensedcode import cache

    return cache._LICENSE_CACHE is not None


# --- one file --------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\0" in data[:8192] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("ascii", errors="ignore")  # a binary: only its ASCII strings
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    # Lone latin-1 bytes survive as surrogates (\udca9 is a latin-1 copyright sign).
    return data.decode("utf-8", errors="surrogateescape")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def find_notices(text: str, covered: Iterable[tuple[int, int]] = ()) -> tuple[str, ...]:
    """Restrictive phrases in `text`, ignoring those inside the `covered` (start, end) lines.

    Lines matched as the text of an open licence are passed as `covered`, so the GPL's own
    word "proprietary" is not a notice.
    """
    spans = list(covered)
    found = []
    for name, pattern in NOTICE_PATTERNS:
        for match in pattern.finditer(text):
            line = _line_of(text, match.start())
            if not any(start <= line <= end for start, end in spans):
                found.append(name)
                break
    return tuple(found)


def header_facts(text: str) -> tuple[str | None, bool]:
    """(raw SPDX-License-Identifier expression, copyright line present) in the header lines."""
    spdx = None
    copyright_line = False
    for line in text.split("\n", HEADER_LINES)[:HEADER_LINES]:
        if spdx is None and (match := SPDX_HEADER.search(line)):
            # Cut at the first closer (a search, not a substitution: a leading `\s*`
            # would backtrack quadratically on a header line of a million spaces).
            raw = match.group(1)
            closer = _SPDX_TAIL.search(raw)
            expression = (raw[: closer.start()] if closer else raw).strip()
            spdx = expression or None
        if not copyright_line and COPYRIGHT_HEADER.search(line.strip()):
            copyright_line = True
    return spdx, copyright_line


@dataclass
class _Alarm:
    """SIGALRM after `seconds` in the main thread; a no-op elsewhere (soft deadlines remain)."""

    seconds: float
    _previous: Any = None
    _armed: bool = False

    def __enter__(self) -> _Alarm:
        if self.seconds > 0 and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._armed = True
        return self

    @staticmethod
    def _fire(signum: int, frame: Any) -> None:
        raise DetectionTimeout()

    def __exit__(self, *exc: object) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous or signal.SIG_DFL)


def _licenses(path: str, deadline: float, approximate: bool) -> dict[str, Any]:
    from scancode.api import get_licenses

    return get_licenses(path, deadline=deadline, approximate=approximate)


def _hint_windows(path: str, data: bytes, text: str) -> list[tuple[int, int]] | None:
    """Merged 1-based line ranges around licence hints, or None when windowing does not pay
    off or could change how scancode reads the file (binaries, PDFs, long lines, odd breaks)."""
    if b"\0" in data[:8192] or data[:4] == b"%PDF" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    name = PurePath(path).name.lower()
    if name.endswith((".map", ".json")) or "locale" in path:
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    lines = text.split("\n")
    if len(lines) < WINDOW_MIN_LINES or max(map(len, lines)) > WINDOW_MAX_LINE_CHARS:
        return None
    windows: list[tuple[int, int]] = []
    offset, line = 0, 1
    for match in LICENSE_HINT.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        start, end = max(1, line - WINDOW_LINES), line + WINDOW_LINES
        if windows and start <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    covered = sum(min(end, len(lines)) - start + 1 for start, end in windows)
    if not windows or covered > WINDOW_MAX_SHARE * len(lines):
        return None
    return windows


def _in_windows(start: int, end: int, windows: list[tuple[int, int]]) -> bool:
    return any(start <= w_end and end >= w_start for w_start, w_end in windows)


def _windowed_licenses(
    path: str, data: bytes, windows: list[tuple[int, int]], deadline: float
) -> dict[str, Any]:
    """Exact matching on the whole file, approximate matching on the hint windows only."""
    import tempfile

    from licensedcode.cache import build_spdx_license_expression, get_cache
    from packagedcode.utils import combine_expressions

    exact = _licenses(path, deadline, approximate=False)
    keep = bytearray(data.count(b"\n") + 2)
    for start, end in windows:
        keep[start : end + 1] = b"\1" * len(keep[start : end + 1])
    lines = data.split(b"\n")
    blanked = b"\n".join(
        line if keep[number] else (b"\r" if line.endswith(b"\r") else b"")
        for number, line in enumerate(lines, 1)
    )
    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        copy = Path(folder) / PurePath(path).name  # same name: scancode reads it the same way
        copy.write_bytes(blanked)
        windowed = _licenses(str(copy), deadline, approximate=True)

    outside = [
        detection
        for detection in exact["license_detections"]
        if not any(
            _in_windows(m["start_line"], m["end_line"], windows) for m in detection["matches"]
        )
    ]
    detections = sorted(
        outside + windowed["license_detections"],
        key=lambda d: min((m["start_line"] for m in d["matches"]), default=0),
    )
    result = dict(windowed)
    result["license_detections"] = detections
    result["detected_license_expression"] = None
    result["detected_license_expression_spdx"] = None
    expressions = [d["license_expression"] for d in detections if d.get("license_expression")]
    if expressions:
        licensing = get_cache().licensing
        combined = combine_expressions(
            expressions=expressions, relation="AND", unique=True, licensing=licensing
        )
        result["detected_license_expression"] = str(combined)
        result["detected_license_expression_spdx"] = str(
            build_spdx_license_expression(str(combined), licensing=licensing)
        )
    return result


def _copyrights(path: str, deadline: float) -> dict[str, Any]:
    from scancode.api import get_copyrights

    return get_copyrights(path, deadline=deadline)


def _spdx_header_from(raw: str | None, detections: tuple[Detection, ...]) -> str | None:
    """The SPDX header as scancode normalised it (its "1-spdx-id" match), else as written."""
    if raw is None:
        return None
    for det in detections:
        if det.rule.startswith("spdx-license-identifier") and det.start_line <= HEADER_LINES:
            return det.expression
    return raw


def detect_file(
    path: str, timeout: float = 120.0, *, exact_first: bool = True, max_size: int = MAX_SIZE
) -> FileDetections:
    """Licences, copyrights, SPDX header and restrictive notices of the file at `path`.

    Never raises: a file above `max_size` is "too large" (not scanned), one that runs out of
    `timeout` seconds is "timeout" (what was found so far is kept), and an exception becomes
    "error: <message>".
    """
    started = time.monotonic()
    wall_start = time.time()
    try:
        if os.path.islink(path):  # a link may point out of the checkout: never followed
            return FileDetections(license_expression=None, incomplete="error: symlink not followed")
        size = os.path.getsize(path)
        if size > max_size:
            return FileDetections(license_expression=None, incomplete="too large")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return FileDetections(license_expression=None, incomplete=f"error: {error.strerror}")

    text = _decode(data)
    raw_spdx, copyright_header = header_facts(text)
    if exact_first:
        approximate = bool(LICENSE_HINT.search(text) or LEGAL_NAME.search(PurePath(path).name))
        want_copyrights = bool(COPYRIGHT_HINT.search(text))
    else:
        approximate = want_copyrights = True

    license_deadline = wall_start + timeout * LICENSE_DEADLINE_SHARE
    copyright_deadline = wall_start + timeout * COPYRIGHT_DEADLINE_SHARE
    incomplete = None
    licenses: dict[str, Any] = {}
    copyrights: dict[str, Any] = {}
    try:
        with _Alarm(timeout):
            windows = _hint_windows(path, data, text) if exact_first and approximate else None
            if windows:
                licenses = _windowed_licenses(path, data, windows, license_deadline)
            else:
                licenses = _licenses(path, license_deadline, approximate)
            if time.time() > license_deadline:
                incomplete = "timeout"  # scancode stopped matching at its soft deadline
            if want_copyrights:
                copyrights = _copyrights(path, copyright_deadline)
                if time.time() > copyright_deadline:
                    incomplete = "timeout"
    except DetectionTimeout:
        incomplete = "timeout"
    except MemoryError:
        incomplete = "error: out of memory"
    except Exception as error:  # scancode raises many kinds; one bad file must not stop a scan
        incomplete = f"error: {type(error).__name__}: {error}"[:300]
    if incomplete is None and time.monotonic() - started > timeout:
        incomplete = "timeout"

    detections = tuple(
        Detection(
            expression=match.get("license_expression_spdx") or match["license_expression"],
            score=float(match.get("score") or 0.0),
            start_line=int(match.get("start_line") or 0),
            end_line=int(match.get("end_line") or 0),
            rule=match.get("rule_identifier") or "",
        )
        for detection in licenses.get("license_detections", ())
        for match in detection.get("matches", ())
    )
    open_text = [
        (d.start_line, d.end_line)
        for d in detections
        if d.score >= 80
        and d.end_line > d.start_line
        and not any(word in d.expression.lower() for word in ("proprietary", "commercial"))
    ]
    return FileDetections(
        license_expression=licenses.get("detected_license_expression_spdx"),
        detections=detections,
        copyrights=_unique(c["copyright"] for c in copyrights.get("copyrights", ())),
        holders=_unique(h["holder"] for h in copyrights.get("holders", ())),
        spdx_header=_spdx_header_from(raw_spdx, detections),
        copyright_header=copyright_header,
        notices=find_notices(text, open_text),
        incomplete=incomplete,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


# --- the pool --------------------------------------------------------------------------------


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


class DetectorPool:
    """Detects files in `jobs` long-lived worker processes that share one licence index.

    Use as a context manager; `detect(items)` takes (blob SHA, absolute path, size) and yields
    (blob SHA, FileDetections) as files finish, largest files first. `files_detected` counts
    the files the detector actually ran on. With `jobs=1` files are detected in this process.
    """

    def __init__(self, jobs: int = 1, timeout: float = 120.0, *, exact_first: bool = True):
        self.jobs = max(1, int(jobs))
        self.timeout = float(timeout)
        self.exact_first = exact_first
        self.files_detected = 0
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
        worker = _Worker(process=process, conn=parent_conn)
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

    def _prepare(self) -> None:
        warm_up()
        if self.jobs > 1 and not self._workers:
            gc.collect()
            gc.freeze()  # forked workers then share the index pages instead of copying them

    def detect(self, items: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, FileDetections]]:
        """Yield (blob SHA, FileDetections) for each (blob SHA, path, size), largest first."""
        todo = sorted(items, key=lambda item: item[2], reverse=True)
        if not todo:
            return
        self._closed = False
        self._prepare()
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
                            license_expression=None, incomplete="error: detector process died"
                        )
                        died = True
                    yield self._finish(worker, result, replace=died, pending=pending)
                now = time.monotonic()
                for worker in list(self._workers):
                    if worker.task is not None and now - worker.started > hard_limit:
                        result = FileDetections(license_expression=None, incomplete="timeout")
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
        if replace or worker.done >= MAX_TASKS_PER_WORKER:
            self._stop_worker(worker, kill=replace)
            item = next(pending, None)
            if item is not None:
                self._send(self._start_worker(), item)
        else:
            item = next(pending, None)
            if item is not None:
                self._send(worker, item)
        return sha, result
