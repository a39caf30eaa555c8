"""The scan's own detector, applied to a content file and to the text found inside it.

A content file (archive, font, image, document) is read by its reader; the text it holds that
needs licence detection (an archive's LICENSE, a font's licence paragraph) is handed to
`detect_file`, the same function every other file goes through, so an inner licence is
judged exactly as it would be in the checkout. scancode reads files, so each such text (at
most `ContentLimits.max_member_bytes`) is written to a private temporary folder under a fixed
name for the duration of the call; the archive itself is never unpacked.

The whole reading shares one time budget: each inner detection gets what is left of it.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path, PurePosixPath

from scanner.analysis.content import formats, read_content
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import ContentReading, FileDetections

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def text_detector(timeout: float, *, exact_first: bool = True) -> TextDetector:
    """A TextDetector that runs `detect_file` on bytes until `timeout` seconds have passed."""
    from scanner.analysis.detect import detect_file

    deadline = time.monotonic() + timeout

    def detect(name: str, data: bytes) -> FileDetections:
        left = deadline - time.monotonic()
        if left <= 0:
            return FileDetections(license_expression=None, incomplete="timeout")
        # a fixed, harmless name that keeps the extension (scancode reads by it)
        safe = _SAFE_NAME.sub("_", PurePosixPath(name).name)[-100:].lstrip(".") or "member"
        with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
            path = Path(folder) / safe
            path.write_bytes(data)
            return detect_file(str(path), left, exact_first=exact_first, read_content=False)

    return detect


def detect_content(
    path: str,
    timeout: float,
    *,
    exact_first: bool = True,
    limits: ContentLimits = DEFAULT_LIMITS,
) -> FileDetections | None:
    """What the detector and the content reader find in the file at `path` together; None
    when the file is not a content format."""
    from scanner.analysis.detect import detect_file

    kind = formats.content_format(path)
    if kind is None:
        return None
    reading = read_content(path, text_detector(timeout, exact_first=exact_first), limits)
    if reading is None:
        return None
    if kind in formats.ALSO_DETECTED:
        base = detect_file(path, timeout, exact_first=exact_first, read_content=False)
    else:
        base = FileDetections(license_expression=None)
    return merge(base, reading)


def merge(base: FileDetections, reading: ContentReading) -> FileDetections:
    """The detector's findings with the content reading's licence, holders and evidence."""
    from scanner.kernel import licenses

    expressions = [x for x in (base.license_expression, reading.license_expression) if x]
    expression = None
    if expressions:
        unique = list(dict.fromkeys(expressions))
        joined = " AND ".join(f"({x})" if " " in x else x for x in unique)
        expression = licenses.simplify(joined) or joined
    incomplete = "; ".join(x for x in (base.incomplete, reading.incomplete) if x) or None
    return FileDetections(
        license_expression=expression,
        detections=base.detections,
        copyrights=tuple(dict.fromkeys((*base.copyrights,))),
        holders=tuple(dict.fromkeys((*base.holders, *reading.holders))),
        spdx_header=base.spdx_header,
        copyright_header=base.copyright_header,
        notices=base.notices,
        incomplete=incomplete[:500] if incomplete else None,
        content=reading,
    )
