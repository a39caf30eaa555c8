"""Fonts (TrueType, OpenType, collections, WOFF, WOFF2) read with fontTools: the name table.

Name ID 0 is the copyright statement (its holder is usually the foundry), 13 the licence
description and 14 the licence URL; together they give the licence (OFL-1.1, Apache-2.0,
Ubuntu-font-1.0, ...). ID 8 (manufacturer, the foundry) is shown as an organisation, ID 9
(designer) as a creator, ID 7 (trademark) as metadata.

Only the name table is decompressed. A WOFF table and a WOFF2 stream are checked against the
sizes the file declares, decompressing through bounded buffers, before fontTools reads them,
so a font that is a compression bomb is refused instead of filling memory.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from scanner.analysis.content import statements
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import ContentReading, Evidence, EvidenceKind

FORMATS = {b"wOFF": "woff", b"wOF2": "woff2", b"OTTO": "otf", b"ttcf": "ttc"}
TRUETYPE = (b"\x00\x01\x00\x00", b"true")

#: Name IDs read, how each is weighed, and the field name shown.
NAME_IDS: tuple[tuple[int, EvidenceKind, str], ...] = (
    (0, EvidenceKind.COPYRIGHT, "name ID 0 (copyright)"),
    (13, EvidenceKind.LICENSE, "name ID 13 (licence description)"),
    (14, EvidenceKind.LICENSE, "name ID 14 (licence URL)"),
    (8, EvidenceKind.ORGANISATION, "name ID 8 (manufacturer)"),
    (9, EvidenceKind.CREATOR, "name ID 9 (designer)"),
    (7, EvidenceKind.METADATA, "name ID 7 (trademark)"),
)


#: Decompressed bytes produced per step when a compressed font is checked.
_CHUNK = 1 << 20


class FontRefused(ValueError):
    """The font declares sizes it does not keep, or more than the limits allow."""


def font_format(data: bytes) -> str | None:
    """ "ttf", "otf", "ttc", "woff" or "woff2" from the file's signature; None otherwise."""
    head = data[:4]
    if head in TRUETYPE:
        return "ttf"
    return FORMATS.get(head)


def read_font(
    data: bytes, detect: TextDetector | None = None, limits: ContentLimits = DEFAULT_LIMITS
) -> ContentReading:
    """The licence and holders a font's name table states."""
    kind = font_format(data) or "font"
    try:
        _check_bounds(data, kind, limits)
        names = _names(data, kind)
    except FontRefused as error:
        return ContentReading(format=kind, incomplete=f"font refused: {error}")
    except Exception as error:  # noqa: BLE001 - fontTools raises many kinds on a malformed font
        return ContentReading(format=kind, incomplete=f"malformed font: {_reason(error)}")
    evidence: list[Evidence] = []
    licence_text = " ".join(names.get(i, "") for i in (13, 14)).strip()
    for name_id, weight, field in NAME_IDS:
        value = names.get(name_id)
        if not value:
            continue
        if weight is EvidenceKind.COPYRIGHT:
            evidence.append(statements.copyright_evidence(field, value))
        elif weight is EvidenceKind.LICENSE:
            found = statements.licence_evidence(field, value)
            if found.expression is None and name_id == 13 and detect is not None:
                # a licence description is often a paragraph: let the detector read it
                found = statements.licence_evidence(field, licence_text, detect)
                found = Evidence(found.kind, field, statements.clip(value), found.expression)
            evidence.append(found)
        else:
            evidence.append(Evidence(weight, field, statements.clip(value)))
    expression, holders = statements.conclude(evidence)
    return ContentReading(
        format=kind, license_expression=expression, holders=holders, evidence=tuple(evidence)
    )


def _names(data: bytes, kind: str) -> dict[int, str]:
    from fontTools.ttLib import TTFont

    font = TTFont(
        io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False, fontNumber=0
    )
    try:
        if kind == "woff":
            _check_woff_table(font, "name")
        if "name" not in font:  # every valid font has one
            raise FontRefused("no name table")
        table = font["name"]
        return {
            name_id: value
            for name_id, _weight, _field in NAME_IDS
            if (value := table.getDebugName(name_id))
        }
    finally:
        font.close()


def _check_bounds(data: bytes, kind: str, limits: ContentLimits) -> None:
    if kind == "woff2":
        _check_woff2(data, limits)
    elif kind == "woff":
        if len(data) < 44:
            raise FontRefused("truncated WOFF header")
        (total,) = struct.unpack(">I", data[16:20])
        if total > limits.max_font_bytes:
            raise FontRefused(f"declares {total} bytes of tables (limit {limits.max_font_bytes})")


def _check_woff_table(font: object, tag: str) -> None:
    """Decompress one WOFF table through a bounded buffer: never more than it declares."""
    reader: Any = getattr(font, "reader", None)
    entry = getattr(reader, "tables", {}).get(tag)
    if reader is None or entry is None or entry.length == entry.origLength:
        return
    reader.file.seek(entry.offset)
    compressed = reader.file.read(entry.length)
    out = zlib.decompressobj().decompress(compressed, entry.origLength + 1)
    if len(out) > entry.origLength:
        raise FontRefused(f"the {tag} table holds more than the {entry.origLength} bytes declared")


def _check_woff2(data: bytes, limits: ContentLimits) -> None:
    """WOFF2 is one brotli stream that fontTools decompresses at once: decompress it first
    through a bounded output buffer and stop past the limit."""
    import brotli
    from fontTools.misc import sstruct
    from fontTools.ttLib.woff2 import (
        WOFF2DirectoryEntry,
        woff2DirectoryFormat,
        woff2DirectorySize,
    )

    if len(data) < woff2DirectorySize:
        raise FontRefused("truncated WOFF2 header")
    header = sstruct.unpack(woff2DirectoryFormat, data[:woff2DirectorySize])
    bound = limits.max_font_bytes
    if header["totalSfntSize"] > bound:
        raise FontRefused(f"declares {header['totalSfntSize']} bytes of tables (limit {bound})")
    directory = io.BytesIO(data)
    directory.seek(woff2DirectorySize)
    for _ in range(header["numTables"]):
        WOFF2DirectoryEntry().fromFile(directory)
    start = directory.tell()
    stream = data[start : start + header["totalCompressedSize"]]
    decompressor = brotli.Decompressor()
    produced = len(decompressor.process(stream, output_buffer_limit=_CHUNK))
    while produced <= bound and not decompressor.can_accept_more_data():
        more = decompressor.process(b"", output_buffer_limit=_CHUNK)
        if not more:
            break
        produced += len(more)
    if produced > bound:
        raise FontRefused(f"its tables decompress to more than {bound} bytes")


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]
