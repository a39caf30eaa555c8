"""Licence and ownership evidence inside binary content: archives, fonts, images, documents.

`read_content` picks the reader for a file by its name (`formats`), reads it within
`ContentLimits`, and returns a `ContentReading`, or None when the file is not content we
read. It never raises: a malformed or hostile file is a reading whose `incomplete` says why.
Text that needs licence detection (an archive's LICENSE, a font's licence paragraph) goes to
the scan's own detector, passed in as a `TextDetector`.

The readers are imported when a file needs one: a scan served from the cache reads none, and
importing them (tarfile, the email parser for package metadata, ...) costs a warm run 25 ms.
"""

from __future__ import annotations

import os
from typing import IO

from scanner.analysis.content.formats import ALSO_DETECTED, content_format
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import (
    ContentReading,
    Evidence,
    EvidenceKind,
    MemberFinding,
)

__all__ = [
    "ALSO_DETECTED",
    "DEFAULT_LIMITS",
    "ContentLimits",
    "ContentReading",
    "Evidence",
    "EvidenceKind",
    "MemberFinding",
    "TextDetector",
    "content_format",
    "read_bytes",
    "read_content",
]


def read_content(
    path: str,
    detect: TextDetector | None = None,
    limits: ContentLimits = DEFAULT_LIMITS,
) -> ContentReading | None:
    """The reading of the file at `path`, None when its name is not a content format."""
    kind = content_format(path)
    if kind is None:
        return None
    try:
        size = os.path.getsize(path)
        if size > limits.max_blob_bytes:
            return ContentReading(format=kind, incomplete="too large")
        with open(path, "rb") as handle:
            if kind == "archive":
                return _archive(os.path.basename(path), handle, detect, limits)
            data = handle.read(limits.max_blob_bytes + 1)
    except OSError as error:
        return ContentReading(format=kind, incomplete=f"error: {error.strerror}")
    return read_bytes(os.path.basename(path), data, detect, limits)


def read_bytes(
    name: str,
    data: bytes,
    detect: TextDetector | None = None,
    limits: ContentLimits = DEFAULT_LIMITS,
) -> ContentReading | None:
    """The reading of a blob named `name` held in memory (a file inside an archive, a test)."""
    kind = content_format(name)
    if kind is None:
        return None
    if len(data) > limits.max_blob_bytes:
        return ContentReading(format=kind, incomplete="too large")
    from scanner.analysis.content import documents, fonts, images

    try:
        if kind == "archive":
            import io

            return _archive(name, io.BytesIO(data), detect, limits)
        if kind == "font":
            return fonts.read_font(data, detect, limits)
        if kind == "image":
            return images.read_image(data, detect, limits)
        if kind == "svg":
            return images.read_svg(data, detect, limits)
        if kind == "pdf":
            return documents.read_pdf(data, detect, limits)
        return documents.read_office(data, detect, limits)
    except RecursionError:
        return ContentReading(format=kind, incomplete="nested too deeply to read")
    except MemoryError:
        return ContentReading(format=kind, incomplete="error: out of memory")


def _archive(
    name: str, stream: IO[bytes], detect: TextDetector | None, limits: ContentLimits
) -> ContentReading:
    from scanner.analysis.content import archives

    def inner(member: str, data: bytes) -> ContentReading | None:
        return read_bytes(member, data, detect, limits)

    return archives.read_archive(name, stream, detect, inner, limits)
