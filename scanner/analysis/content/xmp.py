"""Rights metadata in XMP and RDF: the packets inside JPEG, PNG, TIFF, WebP, GIF and PDF files,
and an SVG's <metadata>.

Which field is weighed how: dc:rights and photoshop:Copyright are copyright statements (a
holder); cc:license, xmpRights:UsageTerms and xmpRights:WebStatement are licence statements
when they name or link a licence (a Creative Commons URL becomes its SPDX id), otherwise they
are shown as metadata; dc:creator is a creator and dc:publisher an organisation, neither of
which is made a holder.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from scanner.analysis.content import statements, xmlsafe
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import Evidence, EvidenceKind

DC = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
CC = "http://creativecommons.org/ns#"
CC_OLD = "http://web.resource.org/cc/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: (namespace, local name) -> (how it is weighed, the field name shown).
FIELDS: dict[tuple[str, str], tuple[EvidenceKind, str]] = {
    (DC, "rights"): (EvidenceKind.COPYRIGHT, "XMP dc:rights"),
    (PHOTOSHOP, "Copyright"): (EvidenceKind.COPYRIGHT, "XMP photoshop:Copyright"),
    (DC, "creator"): (EvidenceKind.CREATOR, "XMP dc:creator"),
    (DC, "publisher"): (EvidenceKind.ORGANISATION, "XMP dc:publisher"),
    (PHOTOSHOP, "Credit"): (EvidenceKind.METADATA, "XMP photoshop:Credit"),
    (XMP_RIGHTS, "WebStatement"): (EvidenceKind.LICENSE, "XMP xmpRights:WebStatement"),
    (XMP_RIGHTS, "UsageTerms"): (EvidenceKind.LICENSE, "XMP xmpRights:UsageTerms"),
    (CC, "license"): (EvidenceKind.LICENSE, "XMP cc:license"),
    (CC_OLD, "license"): (EvidenceKind.LICENSE, "XMP cc:license"),
    (CC, "attributionName"): (EvidenceKind.METADATA, "XMP cc:attributionName"),
}


def read_xmp(
    packet: bytes, *, limit: int, where: str = "XMP", detect: TextDetector | None = None
) -> list[Evidence]:
    """Evidence from an XMP packet or RDF document; raises xmlsafe.UnsafeXml."""
    root = xmlsafe.parse(packet.strip(b"\0 \t\r\n"), limit=limit, what=where)
    return evidence_in(root, detect=detect)


def evidence_in(root: Element, *, detect: TextDetector | None = None) -> list[Evidence]:
    """Evidence from every rights field under `root`, as elements or as attributes."""
    found: list[Evidence] = []
    for element in root.iter():
        for name, value in element.attrib.items():
            key = (xmlsafe.namespace(name), xmlsafe.local(name))
            if key in FIELDS and value.strip():
                found.extend(_weigh(*FIELDS[key], value, detect))
        key = (xmlsafe.namespace(element.tag), xmlsafe.local(element.tag))
        if key in FIELDS:
            value = xmlsafe.text_of(element) or _resource(element)
            if value:
                found.extend(_weigh(*FIELDS[key], value, detect))
    return list(dict.fromkeys(found))


def _resource(element: Element) -> str:
    """The rdf:resource a field points to (cc:license rdf:resource="https://...")."""
    for sub in element.iter():
        resource = sub.attrib.get(f"{{{RDF}}}resource") or sub.attrib.get(f"{{{RDF}}}about")
        if resource:
            return resource
    return ""


def _weigh(
    kind: EvidenceKind, field: str, value: str, detect: TextDetector | None
) -> list[Evidence]:
    if kind is EvidenceKind.COPYRIGHT:
        # dc:rights often names the licence too: "CC BY 4.0, (c) 2024 Jane Doe"
        found = [statements.copyright_evidence(field, value)]
        licence = statements.licence_from_statement(value)
        if licence:
            found.append(statements.licence_evidence(field, value))
        return found
    if kind is EvidenceKind.LICENSE:
        evidence = statements.licence_evidence(field, value, detect)
        if evidence.expression is None:  # a web statement that is no licence: just metadata
            return [Evidence(EvidenceKind.METADATA, field, evidence.value)]
        return [evidence]
    return [Evidence(kind, field, statements.clip(value))]
