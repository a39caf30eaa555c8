"""Licence and copyright detection of one file with scancode's Python API.

`detect_file` is the fast path: exact matching runs on every file, scancode's slow approximate
(sequence) matcher only where a licence word or a legal file name appears (and in a long
plain-text file only on windows of lines around those words, the rest blanked out so line
numbers hold), and copyright detection only where a copyright hint appears (the pre-filters
are in `prefilter`). `exact_first=False` runs the plain full detection instead, for comparison.

A file that runs out of time is never reported as "no licence": its `incomplete` is "timeout",
whether the per-file alarm fired or scancode's soft deadline cut its matching short.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

from scanner.analysis.index import copyrights_of, index_fingerprint, licenses_of
from scanner.analysis.prefilter import (
    COPYRIGHT_HINT,
    HEADER_LINES,
    LEGAL_NAME,
    LICENSE_HINT,
    decode,
    find_notices,
    header_facts,
    hint_windows,
    in_windows,
)
from scanner.analysis.readable import Readable, readable
from scanner.kernel.limits import MAX_FILE_SIZE
from scanner.kernel.models import Detection, FileDetections

#: Our own detection logic; bump it whenever detect_file can return something different.
LOGIC_VERSION = "4"

#: Share of the per-file timeout given to the licence matcher and to the copyright detector
#: as scancode's soft deadlines; the alarm at the full timeout is the hard stop.
LICENSE_DEADLINE_SHARE = 0.5
COPYRIGHT_DEADLINE_SHARE = 0.8


class DetectionTimeout(BaseException):
    """Raised by the per-file alarm when a file runs out of time.

    A BaseException, so scancode's own `except Exception` blocks cannot swallow it.
    """


_version_cache: str | None = None


def detector_version() -> str:
    """scancode's version, the licence index fingerprint and our own logic version."""
    global _version_cache
    if _version_cache is None:
        try:
            scancode_version = metadata.version("scancode-toolkit")
        except metadata.PackageNotFoundError:
            scancode_version = "unknown"
        _version_cache = (
            f"scancode-{scancode_version}+index-{index_fingerprint()}+os2scan-{LOGIC_VERSION}"
        )
    return _version_cache


def __getattr__(name: str) -> Any:
    # DETECTOR_VERSION is computed on first use: it reads a little of the index file.
    if name == "DETECTOR_VERSION":
        return detector_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class _Alarm:
    """SIGALRM after `seconds` in the main thread; a no-op elsewhere (soft deadlines remain)."""

    seconds: float
    _previous: Any = None
    _armed: bool = False

    _outer_deadline: float | None = None

    def __enter__(self) -> _Alarm:
        if self.seconds > 0 and threading.current_thread() is threading.main_thread():
            # Inside another alarm (a file read inside an archive), never outlast it.
            outer = signal.getitimer(signal.ITIMER_REAL)[0]
            seconds = min(self.seconds, outer) if outer > 0 else self.seconds
            self._outer_deadline = time.monotonic() + outer if outer > 0 else None
            self._previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            self._armed = True
        return self

    @staticmethod
    def _fire(signum: int, frame: Any) -> None:
        raise DetectionTimeout()

    def __exit__(self, *exc: object) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous or signal.SIG_DFL)
            if self._outer_deadline is not None:  # the outer alarm goes on with what it had
                signal.setitimer(
                    signal.ITIMER_REAL, max(0.001, self._outer_deadline - time.monotonic())
                )


def _windowed_licenses(
    path: str, data: bytes, windows: list[tuple[int, int]], deadline: float
) -> dict[str, Any]:
    """Exact matching on the whole file, approximate matching on the hint windows only."""
    import tempfile

    from licensedcode.cache import build_spdx_license_expression, get_cache
    from packagedcode.utils import combine_expressions

    exact = licenses_of(path, deadline, approximate=False)
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
        windowed = licenses_of(str(copy), deadline, approximate=True)

    outside = [
        detection
        for detection in exact["license_detections"]
        if not any(
            in_windows(m["start_line"], m["end_line"], windows) for m in detection["matches"]
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


def _spdx_header_from(raw: str | None, detections: tuple[Detection, ...]) -> str | None:
    """The SPDX header as scancode normalised it (its "1-spdx-id" match), else as written."""
    if raw is None:
        return None
    for det in detections:
        if det.rule.startswith("spdx-license-identifier") and det.start_line <= HEADER_LINES:
            return det.expression
    return raw


def read_blob(path: str, max_size: int = MAX_FILE_SIZE) -> bytes | FileDetections:
    """The contents of the file at `path`, or the incomplete result that stands for them: a
    symlink is never followed (it may point out of the checkout), a file above `max_size` is
    "too large", one that cannot be read is an error."""
    try:
        if os.path.islink(path):
            return FileDetections(license_expression=None, incomplete="error: symlink not followed")
        if os.path.getsize(path) > max_size:
            return FileDetections(license_expression=None, incomplete="too large")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        return FileDetections(license_expression=None, incomplete=f"error: {error.strerror}")


def detect_file(
    path: str,
    timeout: float = 120.0,
    *,
    exact_first: bool = True,
    max_size: int = MAX_FILE_SIZE,
    read_content: bool = True,
) -> FileDetections:
    """Licences, copyrights, SPDX header and restrictive notices of the file at `path`.

    Never raises: a file above `max_size` is "too large" (not scanned), one that runs out of
    `timeout` seconds is "timeout" (what was found so far is kept), and an exception becomes
    "error: <message>". An archive, font, image or document is read by its content reader
    as well (`scanner.analysis.content`), unless `read_content` is False.
    """
    if read_content and not os.path.islink(path):
        content = _detect_content(path, timeout, exact_first)
        if content is not None:
            return content
    data = read_blob(path, max_size)
    if isinstance(data, FileDetections):
        return data
    with readable(path, data) as copy:
        return _detect_readable(copy, PurePath(path).name, timeout, exact_first)


def _detect_readable(
    copy: Readable, name: str, timeout: float, exact_first: bool
) -> FileDetections:
    """detect_file on what the detector reads (the file, or its UTF-8 copy or excerpt)."""
    started = time.monotonic()
    wall_start = time.time()
    path, data = copy.path, copy.data
    text = decode(data)
    raw_spdx, copyright_header = header_facts(text)
    if exact_first:
        approximate = bool(LICENSE_HINT.search(text) or LEGAL_NAME.search(name))
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
            windows = hint_windows(path, data, text) if exact_first and approximate else None
            if windows:
                licenses = _windowed_licenses(path, data, windows, license_deadline)
            else:
                licenses = licenses_of(path, license_deadline, approximate)
            if time.time() > license_deadline:
                incomplete = "timeout"  # scancode stopped matching at its soft deadline
            if want_copyrights:
                copyrights = copyrights_of(path, copyright_deadline)
                if time.time() > copyright_deadline:
                    incomplete = "timeout"
    except DetectionTimeout:
        incomplete = "timeout"
    except MemoryError:
        incomplete = "error: out of memory"
    except Exception as error:  # noqa: BLE001 - scancode raises many kinds; one file must not stop a scan
        incomplete = f"error: {type(error).__name__}: {error}"[:300]
    if incomplete is None and time.monotonic() - started > timeout:
        incomplete = "timeout"

    detections = tuple(
        Detection(
            expression=match.get("license_expression_spdx") or match["license_expression"],
            score=float(match.get("score") or 0.0),
            start_line=copy.line(int(match.get("start_line") or 0)),
            end_line=copy.line(int(match.get("end_line") or 0)),
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


def _detect_content(path: str, timeout: float, exact_first: bool) -> FileDetections | None:
    """The content reading of `path` under one alarm for the whole file, None if not content."""
    from scanner.analysis.content.detector import detect_content
    from scanner.analysis.content.formats import content_format

    if content_format(path) is None:
        return None
    try:
        with _Alarm(timeout):
            return detect_content(path, timeout, exact_first=exact_first)
    except DetectionTimeout:
        return FileDetections(license_expression=None, incomplete="timeout")
    except MemoryError:
        return FileDetections(license_expression=None, incomplete="error: out of memory")
    except Exception as error:  # noqa: BLE001 - a reader's library failed in a way it does not catch
        return FileDetections(
            license_expression=None, incomplete=f"error: {type(error).__name__}: {error}"[:300]
        )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
