"""Licence and copyright detection of one file with scancode's Python API.

`detect_file` is the fast path: a file whose only licence words are SPDX tags is read without
a matcher (`spdx_tags`); otherwise exact matching runs on every file, scancode's slow
approximate (sequence) matcher only where a licence word or a legal file name appears (and in
a long plain-text file only on windows of lines around those words, the rest blanked out so
line numbers hold; in a large file only around words exact matching did not explain, up to a
cap), and copyright detection only where a copyright hint appears (the pre-filters are in
`prefilter`); a file whose copyright words are all on `SPDX-FileCopyrightText` lines is read
without scancode's copyright detector (`spdx_tags.tagged_copyrights`). `exact_first=False`
runs the plain full detection instead, for comparison.

A file that runs out of time is never reported as "no licence": its `incomplete` is "timeout",
whether the per-file alarm fired or scancode's soft deadline cut its matching short.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from scanner.analysis.holder_text import holders_as_written
from scanner.analysis.index import copyrights_near, copyrights_of, index_fingerprint, licenses_of
from scanner.analysis.mentions import without_mentions
from scanner.analysis.prefilter import (
    COPYRIGHT_HINT,
    COPYRIGHT_SIGN,
    HEADER_LINES,
    LEGAL_NAME,
    decode,
    find_notices,
    header_facts,
    hint_windows,
    in_windows,
    licence_hints,
    line_numbers,
    line_windows_usable,
    merge_windows,
)
from scanner.analysis.readable import Readable, readable
from scanner.analysis.references import statements_of
from scanner.analysis.spdx_tags import SpdxTags, spdx_only, tagged_copyrights
from scanner.kernel.licenses import scancode_version
from scanner.kernel.limits import DETECTION_BUDGET, MAX_FILE_SIZE
from scanner.kernel.models import Detection, FileDetections

#: Our own detection logic; bump it whenever detect_file can return something different.
LOGIC_VERSION = "10"

#: Share of the per-file timeout given to the licence matcher and to the copyright detector
#: as scancode's soft deadlines; the alarm at the full timeout is the hard stop.
LICENSE_DEADLINE_SHARE = 0.5
COPYRIGHT_DEADLINE_SHARE = 0.8

#: A file above this size is read in bounded time: exact matching over all of it, approximate
#: matching only on windows around the licence words exact matching did not explain, and
#: copyright detection only on lines near a copyright sign.
LARGE_FILE = 64 * 1024
#: The most text (bytes of window lines) approximate matching reads in a large file, at the
#: default budget; it grows with the budget. On licence-dense data the approximate matcher
#: reads only a few kilobytes a second. Beyond it approximate matching is skipped and the
#: file recorded as partly checked.
APPROXIMATE_MAX_BYTES = 16 * 1024


#: Seconds after which a per-file alarm whose exception was swallowed rings again.
REPEAT_ALARM = 0.5


class DetectionTimeout(BaseException):
    """Raised by the per-file alarm when a file runs out of time.

    A BaseException, so scancode's own `except Exception` blocks cannot swallow it.
    """


_version_cache: str | None = None


def detector_version() -> str:
    """scancode's version, the licence index fingerprint and our own logic version."""
    global _version_cache
    if _version_cache is None:
        scancode = scancode_version() or "unknown"
        _version_cache = (
            f"scancode-{scancode}+index-{index_fingerprint()}+os2scan-{LOGIC_VERSION}"
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
        # The exception is lost when the signal lands in code that cannot raise (a garbage
        # collector callback, a __del__): the alarm rings again until one gets through, and
        # __exit__ silences it.
        signal.setitimer(signal.ITIMER_REAL, REPEAT_ALARM)
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
    path: str,
    data: bytes,
    windows: list[tuple[int, int]],
    deadline: float,
    exact: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Exact matching on the whole file (unless `exact` is its result already), approximate
    matching on the hint windows only."""
    import tempfile

    from license_expression import combine_expressions
    from licensedcode.cache import build_spdx_license_expression, get_cache

    if exact is None:
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
            expressions, relation="AND", unique=True, licensing=licensing
        )
        result["detected_license_expression"] = str(combined)
        result["detected_license_expression_spdx"] = str(
            build_spdx_license_expression(str(combined), licensing=licensing)
        )
    return result


def _tag_licenses(tags: SpdxTags) -> dict[str, Any]:
    """The licence result of a file whose only licence words are SPDX tags, in the shape of
    scancode's `get_licenses`: one detection per tag, as its SPDX-identifier matcher gives."""
    detections = [
        {
            "license_expression": expression,
            "matches": [
                {
                    "license_expression_spdx": expression,
                    "score": 100.0,
                    "start_line": line,
                    "end_line": line,
                    "rule_identifier": "spdx-license-identifier",
                }
            ],
        }
        for line, expression in tags.expressions
    ]
    return {
        "license_detections": detections,
        "detected_license_expression_spdx": tags.license_expression,
    }


def _bounded_licenses(
    path: str, data: bytes, hint_lines: list[int], budget: float, deadline: float
) -> tuple[dict[str, Any], str | None]:
    """A large file's licences in bounded time, and why the result is partial (or None).

    Exact matching reads the whole file (it is fast and linear). Approximate matching, which
    is what costs minutes on a licence-dense data file, reads only windows around the licence
    words no exact or SPDX-identifier match explained, and only while those windows hold at
    most APPROXIMATE_MAX_BYTES (scaled by the budget); beyond that it is skipped and the file
    is recorded as partly checked.
    """
    exact = licenses_of(path, deadline, approximate=False)
    explained = [
        (m["start_line"], m["end_line"])
        for detection in exact["license_detections"]
        for m in detection["matches"]
    ]
    unexplained = [
        line
        for line in dict.fromkeys(hint_lines)
        if not any(start <= line <= end for start, end in explained)
    ]
    windows = merge_windows(unexplained)
    if not windows:
        return exact, None
    line_sizes = [len(line) + 1 for line in data.split(b"\n")]
    window_bytes = sum(sum(line_sizes[start - 1 : end]) for start, end in windows)
    cap = int(APPROXIMATE_MAX_BYTES * budget / DETECTION_BUDGET)
    if window_bytes > cap or not line_windows_usable(data):
        reason = (
            f"partial: licence words on {len(unexplained)} lines no exact match explains; "
            f"approximate matching skipped ({window_bytes} bytes around them, at most {cap})"
        )
        return exact, reason
    return _windowed_licenses(path, data, windows, deadline, exact=exact), None


def licence_words(path: str, text: str) -> tuple[list[re.Match[str]], bool, SpdxTags | None]:
    """The licence words of a file, whether its name says it is legal text, and its SPDX tags
    when those are its only licence words (then no matcher needs to read it)."""
    hints = licence_hints(text)
    legal_name = bool(LEGAL_NAME.search(PurePath(path).name))
    return hints, legal_name, None if legal_name else spdx_only(text, hints)


def needs_index(path: str, max_size: int = MAX_FILE_SIZE) -> bool:
    """Whether detecting the file at `path` needs scancode's licence index: every file does
    but one whose only licence words are SPDX tags (and one that is not read at all)."""
    data = read_blob(path, max_size)
    if isinstance(data, FileDetections):
        return False
    with readable(path, data) as copy:  # what detect_file reads
        _hints, _legal, tags = licence_words(copy.path, decode(copy.data))
    return tags is None


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
    timeout: float = DETECTION_BUDGET,
    *,
    exact_first: bool = True,
    max_size: int = MAX_FILE_SIZE,
    read_content: bool = True,
    copyrights: bool = True,
) -> FileDetections:
    """Licences, copyrights, SPDX header and restrictive notices of the file at `path`.

    Never raises: a file above `max_size` is "too large" (not scanned), one that runs out of
    `timeout` seconds is "timeout" (what was found so far is kept), and an exception becomes
    "error: <message>". An archive, font, image or document is read by its content reader
    as well (`scanner.analysis.content`), unless `read_content` is False. With `copyrights`
    False the copyright detector is not run on a text file: its copyrights were detected apart
    (`detect_without_index`) and are joined to this result with `with_copyrights`.
    """
    if read_content and not os.path.islink(path):
        content = _detect_content(path, timeout, exact_first)
        if content is not None:
            return content
    data = read_blob(path, max_size)
    if isinstance(data, FileDetections):
        return data
    with readable(path, data) as copy:
        return _detect_readable(copy, PurePath(path).name, timeout, exact_first, copyrights)


@dataclass(frozen=True)
class CopyrightFindings:
    """The copyright part of a text file's detection, made apart from its licences."""

    copyrights: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    incomplete: str | None = None  # "timeout" or "error: ..." when the detector did not finish


def detect_without_index(
    path: str,
    timeout: float = DETECTION_BUDGET,
    *,
    exact_first: bool = True,
    max_size: int = MAX_FILE_SIZE,
) -> FileDetections | CopyrightFindings | None:
    """What `detect_file` would find in the file at `path` that needs no licence index, read
    once: the whole detection of a file whose only licence words are SPDX tags (see
    `needs_index`), else its copyrights and holders. None for a file `detect_file` reads
    otherwise (a link, content such as an archive, font or image, a file too large or
    unreadable)."""
    from scanner.analysis.content.formats import content_format

    if os.path.islink(path) or content_format(path) is not None:
        return None
    data = read_blob(path, max_size)
    if isinstance(data, FileDetections):
        return None
    with readable(path, data) as copy:
        text = decode(copy.data)
        if exact_first and licence_words(copy.path, text)[2] is not None:
            return _detect_readable(copy, PurePath(path).name, timeout, exact_first)
        if exact_first and not COPYRIGHT_HINT.search(text):
            return CopyrightFindings()
        large = exact_first and len(copy.data) > LARGE_FILE and copy.line_map is None
        deadline = time.time() + timeout * COPYRIGHT_DEADLINE_SHARE
        found = CopyrightFindings()
        try:
            with _Alarm(timeout):
                found = _copyrights_in(copy.path, text, large, deadline, tags_first=exact_first)
                if time.time() > deadline:
                    found = replace(found, incomplete="timeout")
        except (DetectionTimeout, Exception) as error:  # noqa: BLE001 - see failure_reason
            found = replace(found, incomplete=failure_reason(error))
        return found


def with_copyrights(
    result: FileDetections, found: CopyrightFindings, timeout: float
) -> FileDetections:
    """`result` (detected with `copyrights=False`) with the copyrights detected apart; the
    file is incomplete when either part is."""
    incomplete = result.incomplete or found.incomplete
    return replace(
        result,
        copyrights=found.copyrights,
        holders=found.holders,
        incomplete=incomplete,
        budget=result.budget or (timeout if incomplete else None),
    )


def failure_reason(error: BaseException) -> str:
    """How a file whose detection raised `error` is recorded ("timeout", "error: ...").

    scancode and the content readers' libraries raise many kinds of exception; one file must
    never stop a scan, so every one of them ends that file's detection, recorded as not fully
    checked with its reason."""
    if isinstance(error, DetectionTimeout):
        return "timeout"
    if isinstance(error, MemoryError):
        return "error: out of memory"
    return f"error: {type(error).__name__}: {error}"[:300]


def _copyrights_in(
    path: str, text: str, large: bool, deadline: float, *, tags_first: bool
) -> CopyrightFindings:
    """A file's copyright statements and holders (as written): read from its SPDX copyright
    tags when those hold every copyright word in it (`tags_first`), else found by scancode's
    copyright detector (in a large file only on the lines near a copyright sign)."""
    if tags_first:
        tagged = tagged_copyrights(text)
        if tagged is not None:
            return CopyrightFindings(copyrights=tagged.statements, holders=tagged.holders)
    if large:
        found = copyrights_near(path, deadline, COPYRIGHT_SIGN)
    else:
        found = copyrights_of(path, deadline)
    return CopyrightFindings(
        copyrights=_unique(c["copyright"] for c in found.get("copyrights", ())),
        holders=_unique(holders_as_written(text, found.get("holders", ()))),
    )


def _detect_readable(
    copy: Readable, name: str, timeout: float, exact_first: bool, run_copyrights: bool = True
) -> FileDetections:
    """detect_file on what the detector reads (the file, or its UTF-8 copy or excerpt)."""
    started = time.monotonic()
    wall_start = time.time()
    path, data = copy.path, copy.data
    text = decode(data)
    raw_spdx, copyright_header = header_facts(text)
    tags = None
    hints: list[re.Match[str]] = []
    if exact_first:
        hints, legal_name, tags = licence_words(name, text)
        approximate = bool(hints) or legal_name
        want_copyrights = run_copyrights and bool(COPYRIGHT_HINT.search(text))
    else:
        approximate = True
        want_copyrights = run_copyrights
    # An excerpt of giant lines is bounded already: it is read like any file of its size.
    large = exact_first and len(data) > LARGE_FILE and copy.line_map is None

    license_deadline = wall_start + timeout * LICENSE_DEADLINE_SHARE
    copyright_deadline = wall_start + timeout * COPYRIGHT_DEADLINE_SHARE
    incomplete = None
    licenses: dict[str, Any] = {}
    copyrights = CopyrightFindings()
    try:
        with _Alarm(timeout):
            if tags is not None:
                licenses = _tag_licenses(tags)  # REUSE-style tags only: no matcher needed
            elif large and approximate:
                hint_lines = line_numbers(text, (m.start() for m in hints))
                licenses, incomplete = _bounded_licenses(
                    path, data, hint_lines, timeout, license_deadline
                )
            else:
                windows = hint_windows(path, data, text) if exact_first and approximate else None
                if windows:
                    licenses = _windowed_licenses(path, data, windows, license_deadline)
                else:
                    licenses = licenses_of(path, license_deadline, approximate)
            if time.time() > license_deadline:
                incomplete = "timeout"  # scancode stopped matching at its soft deadline
            if want_copyrights:
                copyrights = _copyrights_in(
                    path, text, large, copyright_deadline, tags_first=exact_first
                )
                if time.time() > copyright_deadline:
                    incomplete = "timeout"
    except (DetectionTimeout, Exception) as error:  # noqa: BLE001 - see failure_reason
        incomplete = failure_reason(error)
    if incomplete is None and time.monotonic() - started > timeout:
        incomplete = "timeout"

    mentions, expression = without_mentions(path, text, licenses)
    detections = tuple(
        Detection(
            expression=match.get("license_expression_spdx") or match["license_expression"],
            score=float(match.get("score") or 0.0),
            start_line=copy.line(int(match.get("start_line") or 0)),
            end_line=copy.line(int(match.get("end_line") or 0)),
            rule=match.get("rule_identifier") or "",
            mention=mention,
        )
        for match, mention in zip(_matches(licenses), mentions, strict=True)
    )
    open_text = [
        (d.start_line, d.end_line)
        for d in detections
        if d.score >= 80
        and d.end_line > d.start_line
        and not any(word in d.expression.lower() for word in ("proprietary", "commercial"))
    ]
    return FileDetections(
        license_expression=expression,
        detections=detections,
        copyrights=copyrights.copyrights,
        holders=copyrights.holders,
        spdx_header=_spdx_header_from(raw_spdx, detections),
        copyright_header=copyright_header,
        notices=find_notices(text, open_text),
        incomplete=incomplete,
        budget=timeout if incomplete else None,
        statements=() if tags is not None else statements_of(licenses, mentions),
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
    except (DetectionTimeout, Exception) as error:  # noqa: BLE001 - see failure_reason
        return FileDetections(license_expression=None, incomplete=failure_reason(error))


def _matches(licenses: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for d in licenses.get("license_detections", ()) for m in d.get("matches", ())]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
