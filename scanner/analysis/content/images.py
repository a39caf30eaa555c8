"""Images: EXIF, IPTC and XMP rights metadata read with Pillow; SVG metadata with defusedxml.

EXIF Copyright and IPTC Copyright Notice (2:116) are copyright statements; EXIF Artist and
IPTC By-line (2:80) are creators; IPTC Credit (2:110) and Source (2:115) are metadata. XMP is
weighed as `xmp` says. Pixels are never decoded: only the header and metadata are read, and an
image whose declared dimensions exceed the limit (Pillow's decompression-bomb guard) is
recorded as incomplete.
"""

from __future__ import annotations

import gzip
import io
import warnings
from typing import Any

from scanner.analysis.content import statements, xmlsafe, xmp
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import ContentReading, Evidence, EvidenceKind

EXIF_COPYRIGHT = 0x8298
EXIF_ARTIST = 0x013B
TIFF_XMP = 700

#: IPTC (record, dataset) -> (how it is weighed, field shown).
IPTC_FIELDS: dict[tuple[int, int], tuple[EvidenceKind, str]] = {
    (2, 116): (EvidenceKind.COPYRIGHT, "IPTC Copyright Notice"),
    (2, 80): (EvidenceKind.CREATOR, "IPTC By-line"),
    (2, 110): (EvidenceKind.METADATA, "IPTC Credit"),
    (2, 115): (EvidenceKind.METADATA, "IPTC Source"),
}

RASTER_FORMATS = {"JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp", "GIF": "gif"}


def read_image(
    data: bytes, detect: TextDetector | None = None, limits: ContentLimits = DEFAULT_LIMITS
) -> ContentReading:
    """Rights metadata of a JPEG, PNG, TIFF, WebP or GIF image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = RASTER_FORMATS.get(image.format or "", (image.format or "image").lower())
            width, height = image.size
            if width * height > limits.max_pixels:
                return ContentReading(
                    format=kind,
                    incomplete=f"image too large: {width}x{height} pixels "
                    f"(limit {limits.max_pixels})",
                )
            evidence = _exif(image) + _iptc(image) + _xmp(image, limits, detect)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        return ContentReading(format="image", incomplete=f"image too large: {error}"[:300])
    except xmlsafe.UnsafeXml as error:
        return ContentReading(format="image", incomplete=str(error))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        return ContentReading(format="image", incomplete=f"malformed image: {_reason(error)}")
    except Exception as error:  # noqa: BLE001 - a decoder plugin may raise anything on a crafted file
        return ContentReading(format="image", incomplete=f"malformed image: {_reason(error)}")
    unique = tuple(dict.fromkeys(evidence))
    expression, holders = statements.conclude(unique)
    return ContentReading(
        format=kind, license_expression=expression, holders=holders, evidence=unique
    )


def read_svg(
    data: bytes, detect: TextDetector | None = None, limits: ContentLimits = DEFAULT_LIMITS
) -> ContentReading:
    """Rights metadata in an SVG's <metadata> (RDF with Dublin Core and Creative Commons)."""
    kind = "svg"
    if data[:2] == b"\x1f\x8b":
        kind = "svgz"
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(limits.max_xml_bytes + 1)
        except (OSError, EOFError) as error:
            return ContentReading(format=kind, incomplete=f"malformed svgz: {_reason(error)}")
    try:
        root = xmlsafe.parse(data, limit=limits.max_xml_bytes, what="SVG")
    except xmlsafe.UnsafeXml as error:
        return ContentReading(format=kind, incomplete=str(error))
    found = [
        Evidence(e.kind, e.field.replace("XMP ", "SVG "), e.value, e.expression, e.holder)
        for e in xmp.evidence_in(root, detect=detect)
    ]
    expression, holders = statements.conclude(found)
    return ContentReading(
        format=kind, license_expression=expression, holders=holders, evidence=tuple(found)
    )


def _exif(image: Any) -> list[Evidence]:
    exif = image.getexif()
    found = []
    copyright_value = _text(exif.get(EXIF_COPYRIGHT))
    if copyright_value:
        # EXIF keeps the photographer's and the editor's copyright apart, NUL-separated
        for part in copyright_value.split("\0"):
            if part.strip():
                found.append(statements.copyright_evidence("EXIF Copyright", part))
    artist = _text(exif.get(EXIF_ARTIST))
    if artist:
        found.append(Evidence(EvidenceKind.CREATOR, "EXIF Artist", statements.clip(artist)))
    return found


def _iptc(image: Any) -> list[Evidence]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001 - a broken IPTC block only loses the IPTC evidence
        return []
    found = []
    for key, (weight, field) in IPTC_FIELDS.items():
        raw = info.get(key)
        values = raw if isinstance(raw, list) else [raw]
        for value in values:
            text = _text(value)
            if not text:
                continue
            if weight is EvidenceKind.COPYRIGHT:
                found.append(statements.copyright_evidence(field, text))
            else:
                found.append(Evidence(weight, field, statements.clip(text)))
    return found


def _xmp(image: Any, limits: ContentLimits, detect: TextDetector | None) -> list[Evidence]:
    packets: list[bytes] = []
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = image.info.get(key)
        if value:
            packets.append(value.encode("utf-8") if isinstance(value, str) else bytes(value))
    tiff_tags = getattr(image, "tag_v2", None)
    if tiff_tags is not None and tiff_tags.get(TIFF_XMP):
        value = tiff_tags.get(TIFF_XMP)
        packets.append(value if isinstance(value, bytes) else str(value).encode("utf-8"))
    found: list[Evidence] = []
    for packet in dict.fromkeys(packets):
        found.extend(xmp.read_xmp(packet, limit=limits.max_xml_bytes, detect=detect))
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        for encoding in ("utf-8", "latin-1"):
            try:
                return value.decode(encoding).strip()
            except UnicodeDecodeError:
                continue
    return str(value).strip()


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]
