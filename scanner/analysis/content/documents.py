"""PDF (pypdf) and office documents (OOXML and OpenDocument, their XML read with defusedxml).

What a document's properties say is weighed carefully: an author, a last editor or a company
field is shown as metadata evidence (CREATOR, ORGANISATION) but never made a copyright holder,
because an office suite fills these in from whoever installed it and the author of a document
written at work is rarely its owner. Only explicit rights statements count: XMP dc:rights and
cc:license in the PDF, a `Copyright`/`Rights` or `License` entry in the document information
or the custom properties.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from scanner.analysis.content import statements, xmlsafe, xmp
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import ContentReading, Evidence, EvidenceKind

#: PDF document information keys -> (weight, field shown).
PDF_INFO: dict[str, tuple[EvidenceKind, str]] = {
    "/Author": (EvidenceKind.CREATOR, "PDF Author"),
    "/Creator": (EvidenceKind.METADATA, "PDF Creator (application)"),
    "/Company": (EvidenceKind.ORGANISATION, "PDF Company"),
    "/Copyright": (EvidenceKind.COPYRIGHT, "PDF Copyright"),
    "/Rights": (EvidenceKind.COPYRIGHT, "PDF Rights"),
    "/License": (EvidenceKind.LICENSE, "PDF License"),
}

#: Office property parts: (member, element local name) -> (weight, field shown).
OFFICE_PROPERTIES: dict[tuple[str, str], tuple[EvidenceKind, str]] = {
    ("docProps/core.xml", "creator"): (EvidenceKind.CREATOR, "core dc:creator"),
    ("docProps/core.xml", "lastModifiedBy"): (EvidenceKind.CREATOR, "core cp:lastModifiedBy"),
    ("docProps/core.xml", "rights"): (EvidenceKind.COPYRIGHT, "core dc:rights"),
    ("docProps/app.xml", "Company"): (EvidenceKind.ORGANISATION, "app Company"),
    ("docProps/app.xml", "Manager"): (EvidenceKind.CREATOR, "app Manager"),
    ("meta.xml", "initial-creator"): (EvidenceKind.CREATOR, "meta:initial-creator"),
    ("meta.xml", "creator"): (EvidenceKind.CREATOR, "meta dc:creator"),
    ("meta.xml", "rights"): (EvidenceKind.COPYRIGHT, "meta dc:rights"),
}

OFFICE_FORMATS = {
    "word/": "docx",
    "xl/": "xlsx",
    "ppt/": "pptx",
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def read_pdf(
    data: bytes, detect: TextDetector | None = None, limits: ContentLimits = DEFAULT_LIMITS
) -> ContentReading:
    """Document information and XMP rights of a PDF."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a sloppy PDF is not worth a warning
    evidence: list[Evidence] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypts(reader):
            return ContentReading(format="pdf", incomplete="encrypted PDF, metadata not read")
        info: dict[Any, Any] = dict(reader.metadata or {})
        for key, value in info.items():
            evidence.extend(_weigh_property(PDF_INFO.get(str(key)), str(value), detect))
        packet = _xmp_packet(reader, limits)
        if packet:
            evidence.extend(xmp.read_xmp(packet, limit=limits.max_xml_bytes, detect=detect))
    except xmlsafe.UnsafeXml as error:
        return ContentReading(format="pdf", evidence=tuple(evidence), incomplete=str(error))
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a malformed PDF
        return ContentReading(
            format="pdf", evidence=tuple(evidence), incomplete=f"malformed PDF: {_reason(error)}"
        )
    return _concluded("pdf", evidence)


def read_office(
    data: bytes, detect: TextDetector | None = None, limits: ContentLimits = DEFAULT_LIMITS
) -> ContentReading:
    """Core, app and custom properties of a docx/xlsx/pptx, meta.xml of an odt/ods/odp."""
    evidence: list[Evidence] = []
    kind = "office"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            kind = _office_kind(archive, names)
            for part in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                if part in names:
                    root = xmlsafe.parse(
                        _member(archive, part, limits), limit=limits.max_xml_bytes, what=part
                    )
                    for element in root.iter():
                        weight = OFFICE_PROPERTIES.get((part, xmlsafe.local(element.tag)))
                        evidence.extend(_weigh_property(weight, xmlsafe.text_of(element), detect))
                    if part == "meta.xml":
                        evidence.extend(_custom(root, "user-defined", detect))
            if "docProps/custom.xml" in names:
                data = _member(archive, "docProps/custom.xml", limits)
                root = xmlsafe.parse(data, limit=limits.max_xml_bytes, what="docProps/custom.xml")
                evidence.extend(_custom(root, "property", detect))
    except xmlsafe.UnsafeXml as error:
        return ContentReading(format=kind, evidence=tuple(evidence), incomplete=str(error))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        return ContentReading(
            format=kind,
            evidence=tuple(evidence),
            incomplete=f"malformed document: {_reason(error)}",
        )
    return _concluded(kind, evidence)


def _concluded(kind: str, evidence: list[Evidence]) -> ContentReading:
    unique = tuple(dict.fromkeys(evidence))
    expression, holders = statements.conclude(unique)
    return ContentReading(
        format=kind, license_expression=expression, holders=holders, evidence=unique
    )


def _weigh_property(
    weight: tuple[EvidenceKind, str] | None, value: str, detect: TextDetector | None
) -> list[Evidence]:
    if weight is None or not value.strip():
        return []
    kind, field = weight
    if kind is EvidenceKind.COPYRIGHT:
        return [statements.copyright_evidence(field, value)]
    if kind is EvidenceKind.LICENSE:
        return [statements.licence_evidence(field, value, detect)]
    return [Evidence(kind, field, statements.clip(value))]


def _custom(root: Any, tag: str, detect: TextDetector | None) -> list[Evidence]:
    """Custom properties: a name that says copyright/rights or licence is weighed as such."""
    found = []
    for element in root.iter():
        if xmlsafe.local(element.tag) != tag:
            continue
        name = next(
            (v for k, v in element.attrib.items() if xmlsafe.local(k) == "name"), ""
        ).strip()
        value = xmlsafe.text_of(element)
        if not name or not value:
            continue
        lowered = name.lower()
        if "licen" in lowered:
            weight = EvidenceKind.LICENSE
        elif "copyright" in lowered or "rights" in lowered or "ophavsret" in lowered:
            weight = EvidenceKind.COPYRIGHT
        elif lowered in ("owner", "company", "organisation", "organization", "ejer"):
            weight = EvidenceKind.ORGANISATION
        else:
            weight = EvidenceKind.METADATA
        found.extend(_weigh_property((weight, f"custom property {name[:60]}"), value, detect))
    return found


def _office_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 200:
            return ODF_TYPES.get(archive.read("mimetype").strip(), "odf")
    for prefix, kind in OFFICE_FORMATS.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    return "office"


def _member(archive: zipfile.ZipFile, name: str, limits: ContentLimits) -> bytes:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise ValueError(f"{name} is encrypted")
    if info.file_size > limits.max_xml_bytes:
        raise xmlsafe.UnsafeXml(f"{name}: XML larger than {limits.max_xml_bytes} bytes")
    with archive.open(info) as handle:
        return handle.read(limits.max_xml_bytes + 1)


def _xmp_packet(reader: Any, limits: ContentLimits) -> bytes | None:
    from pypdf.generic import IndirectObject

    root = reader.trailer.get("/Root")
    if isinstance(root, IndirectObject):
        root = root.get_object()
    metadata = root.get("/Metadata") if root is not None else None
    if metadata is None:
        return None
    stream = metadata.get_object()
    data = stream.get_data()
    return bytes(data[: limits.max_xml_bytes + 1])


def _decrypts(reader: Any) -> bool:
    """An encrypted PDF with an empty user password (common) still shows its metadata."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported crypto, a missing library: the reading stays incomplete
        return False


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]
