"""Package manifests inside archives: what a package says about its own licence and vendor.

META-INF/MANIFEST.MF (OSGi Bundle-License, Bundle-Vendor, Bundle-Copyright, Implementation-
Vendor), Maven's META-INF/maven/**/pom.xml and pom.properties, npm's package.json, NuGet's
*.nuspec, and Python's METADATA / PKG-INFO. Licence fields become LICENSE evidence, copyright
fields COPYRIGHT evidence, vendors and organisations ORGANISATION evidence, authors CREATOR
evidence, and coordinates (name, version: Implementation-Version or Bundle-Version, the
nuspec's <version>, Python's Version) METADATA evidence.
"""

from __future__ import annotations

import json
import re
from email.parser import HeaderParser
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

from scanner.analysis.content import statements, xmlsafe
from scanner.analysis.content.limits import ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel.models import Evidence, EvidenceKind

_MAVEN = re.compile(r"(?i)^META-INF/maven/.+/(pom\.xml|pom\.properties)$")


def is_manifest(name: str) -> bool:
    """True for the manifest files this module reads."""
    lower = name.lower()
    base = PurePosixPath(lower).name
    if lower == "meta-inf/manifest.mf" or _MAVEN.match(name):
        return True
    if base == "package.json":
        return lower.count("/") <= 1  # the package's own, not a bundled dependency's
    if base.endswith(".nuspec"):
        return "/" not in lower
    if base == "metadata":
        return lower.count("/") == 1 and lower.split("/")[0].endswith(".dist-info")
    if base == "pkg-info":
        return lower.count("/") <= 1
    return False


def read_manifest(
    name: str, data: bytes, limits: ContentLimits, detect: TextDetector | None = None
) -> list[Evidence]:
    """Evidence from one manifest; a manifest that does not parse gives a METADATA note."""
    base = PurePosixPath(name.lower()).name
    try:
        if base == "manifest.mf":
            found = _jar_manifest(data, detect)
        elif base == "pom.xml":
            found = _pom(data, limits, detect)
        elif base == "pom.properties":
            found = _properties(data)
        elif base == "package.json":
            found = _package_json(data, detect)
        elif base.endswith(".nuspec"):
            found = _nuspec(data, limits, detect)
        else:
            found = _python_metadata(data, detect)
    except xmlsafe.UnsafeXml as error:
        return [Evidence(EvidenceKind.METADATA, name, f"not read: {error}")]
    except (ValueError, UnicodeDecodeError) as error:
        return [Evidence(EvidenceKind.METADATA, name, f"not read: {type(error).__name__}")]
    return [Evidence(e.kind, f"{name} {e.field}", e.value, e.expression, e.holder) for e in found]


def _weigh(kind: EvidenceKind, key: str, value: str, detect: TextDetector | None) -> Evidence:
    if kind is EvidenceKind.LICENSE:
        return statements.licence_evidence(key, value, detect)
    if kind is EvidenceKind.COPYRIGHT:
        return statements.copyright_evidence(key, value)
    return Evidence(kind, key, statements.clip(value))


_JAR_FIELDS = {
    "bundle-license": EvidenceKind.LICENSE,
    "bundle-copyright": EvidenceKind.COPYRIGHT,
    "bundle-vendor": EvidenceKind.ORGANISATION,
    "implementation-vendor": EvidenceKind.ORGANISATION,
    "specification-vendor": EvidenceKind.ORGANISATION,
    "bundle-symbolicname": EvidenceKind.METADATA,
    "implementation-title": EvidenceKind.METADATA,
    "implementation-version": EvidenceKind.METADATA,
    "bundle-version": EvidenceKind.METADATA,
}


def _jar_manifest(data: bytes, detect: TextDetector | None) -> list[Evidence]:
    """The main section of a JAR manifest: `Name: value` lines, continued by lines that start
    with one space (the JAR specification's line wrapping at 72 bytes)."""
    fields: dict[str, str] = {}
    current = None
    for line in data.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            break  # the main section ends at the first empty line
        if line.startswith(" ") and current:
            fields[current] += line[1:]
        elif ":" in line:
            key, value = line.split(":", 1)
            current = key.strip()
            fields[current] = value.strip()
    found = []
    for key, value in fields.items():
        kind = _JAR_FIELDS.get(key.lower())
        if kind is None or not value:
            continue
        if kind is EvidenceKind.LICENSE:
            # "Apache-2.0;link=https://...,MIT" : one clause per licence, attributes after ";"
            for clause in value.split(","):
                licence = clause.split(";", 1)[0].strip()
                if licence:
                    found.append(_weigh(kind, key, licence, detect))
        else:
            found.append(_weigh(kind, key, value, detect))
    return found


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if xmlsafe.local(c.tag) == name]


def _text(element: Element, name: str) -> str:
    for child in _children(element, name):
        return xmlsafe.text_of(child)
    return ""


def _pom(data: bytes, limits: ContentLimits, detect: TextDetector | None) -> list[Evidence]:
    root = xmlsafe.parse(data, limit=limits.max_xml_bytes, what="pom.xml")
    found = []
    for licences in _children(root, "licenses"):
        for licence in _children(licences, "license"):
            value = _text(licence, "name") or _text(licence, "url")
            if value:
                found.append(_weigh(EvidenceKind.LICENSE, "license", value, detect))
    for organisation in _children(root, "organization"):
        if name := _text(organisation, "name"):
            found.append(_weigh(EvidenceKind.ORGANISATION, "organization", name, detect))
    coordinates = ":".join(
        x for x in (_text(root, "groupId"), _text(root, "artifactId"), _text(root, "version")) if x
    )
    if coordinates:
        found.append(Evidence(EvidenceKind.METADATA, "coordinates", statements.clip(coordinates)))
    return found


def _properties(data: bytes) -> list[Evidence]:
    values = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    coordinates = ":".join(values[k] for k in ("groupId", "artifactId", "version") if values.get(k))
    return (
        [Evidence(EvidenceKind.METADATA, "coordinates", statements.clip(coordinates))]
        if coordinates
        else []
    )


def _package_json(data: bytes, detect: TextDetector | None) -> list[Evidence]:
    package = json.loads(data.decode("utf-8"))
    if not isinstance(package, dict):
        return []
    found = []
    licences = package.get("licenses")
    values = [package.get("license")] + (licences if isinstance(licences, list) else [])
    for value in values:
        if isinstance(value, dict):
            value = value.get("type")
        if isinstance(value, str) and value.strip():
            found.append(_weigh(EvidenceKind.LICENSE, "license", value, detect))
    author = package.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str) and author.strip():
        found.append(_weigh(EvidenceKind.CREATOR, "author", author, detect))
    name, version = package.get("name"), package.get("version")
    if isinstance(name, str) and name:
        label = f"{name}@{version}" if isinstance(version, str) and version else name
        found.append(Evidence(EvidenceKind.METADATA, "name", statements.clip(label)))
    return found


_NUSPEC_FIELDS = (
    ("license", EvidenceKind.LICENSE),
    ("licenseUrl", EvidenceKind.LICENSE),
    ("copyright", EvidenceKind.COPYRIGHT),
    ("owners", EvidenceKind.ORGANISATION),
    ("authors", EvidenceKind.CREATOR),
    ("id", EvidenceKind.METADATA),
    ("version", EvidenceKind.METADATA),
)


def _nuspec(data: bytes, limits: ContentLimits, detect: TextDetector | None) -> list[Evidence]:
    root = xmlsafe.parse(data, limit=limits.max_xml_bytes, what="nuspec")
    found = []
    for metadata in _children(root, "metadata"):
        have_licence = False
        for key, kind in _NUSPEC_FIELDS:
            value = _text(metadata, key)
            if not value or (key == "licenseUrl" and have_licence):
                continue  # licenseUrl is NuGet's deprecated fallback for <license>
            have_licence = have_licence or key == "license"
            found.append(_weigh(kind, key, value, detect))
    return found


def _python_metadata(data: bytes, detect: TextDetector | None) -> list[Evidence]:
    headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"), headersonly=True)
    found = []
    expression = headers.get("License-Expression")
    licence = headers.get("License")
    if expression:
        found.append(_weigh(EvidenceKind.LICENSE, "License-Expression", expression, detect))
    elif licence and len(licence) < 200 and licence.strip().upper() != "UNKNOWN":
        found.append(_weigh(EvidenceKind.LICENSE, "License", licence, detect))
    else:
        for classifier in headers.get_all("Classifier") or []:
            if classifier.startswith("License ::"):
                found.append(_weigh(EvidenceKind.LICENSE, "Classifier", classifier, None))
    for key, kind in (
        ("Author", EvidenceKind.CREATOR),
        ("Name", EvidenceKind.METADATA),
        ("Version", EvidenceKind.METADATA),
    ):
        if value := headers.get(key):
            found.append(_weigh(kind, key, value, detect))
    return found
