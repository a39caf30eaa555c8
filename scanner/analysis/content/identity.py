"""What an archive says about itself as a package: its name, its version and where it states
its licence.

An archive in a repository is a component of its own (`scanner.analysis.components`). Its
name and version come from its own manifests, in the order a person would trust them: Maven's
coordinates (pom.properties, pom.xml), the JAR manifest's Implementation-Title and -Version (or
Bundle-SymbolicName and Bundle-Version), npm's package.json, a wheel's METADATA or an egg's
PKG-INFO (Name, Version), a nupkg's nuspec <id> and <version>; and last the file name, which
by convention carries both (`commons-lang3-3.12.0.jar`, `requests-2.31.0-py3-none-any.whl`,
`left-pad-1.3.0.tgz`, `Newtonsoft.Json.13.0.1.nupkg`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from scanner.kernel.models import ARCHIVE_SEPARATOR, ContentReading, Evidence, EvidenceKind

#: "name-1.2.3" and "Name.1.2.3" after the archive suffix is taken off; what follows the
#: version (a wheel's "-py3-none-any", a classifier) is not part of it.
_VERSIONED = re.compile(
    r"^(?P<name>[A-Za-z0-9][\w.+-]*?)[-_.]v?(?P<version>\d+(?:\.[0-9A-Za-z]+)+)(?:[-.+_].*)?$"
)


@dataclass(frozen=True)
class ArchiveIdentity:
    """An archive as a package: name, version (None when unknown) and the archive's files or
    manifests its licence was read from, by their path inside the archive."""

    name: str
    version: str | None
    license_sources: tuple[str, ...] = ()


def archive_identity(path: str, reading: ContentReading) -> ArchiveIdentity:
    """The name, version and licence sources of the archive at `path` with this reading."""
    from_file = _from_file_name(PurePosixPath(path).name)
    name, version = _from_manifests(reading.evidence)
    return ArchiveIdentity(
        name=name or from_file[0],
        version=version or from_file[1],
        license_sources=licence_sources(reading),
    )


def licence_sources(reading: ContentReading) -> tuple[str, ...]:
    """The archive's own licence and notice files that name a licence, else the manifests
    whose licence fields do: where the archive's licence is stated."""
    from scanner.analysis.content.archives import is_legal_name  # only for a read archive

    legal = tuple(
        m.path
        for m in reading.members
        if m.license_expression
        and ARCHIVE_SEPARATOR not in m.path
        and is_legal_name(m.path)
    )
    if legal:
        return legal
    stated = (
        _member_of(e) for e in reading.evidence if e.kind is EvidenceKind.LICENSE and e.expression
    )
    return tuple(dict.fromkeys(s for s in stated if s))


def _member_of(evidence: Evidence) -> str:
    """The manifest a piece of evidence was read from: its field is "<member> <key>"."""
    return evidence.field.rsplit(" ", 1)[0] if " " in evidence.field else ""


def _from_manifests(evidence: tuple[Evidence, ...]) -> tuple[str | None, str | None]:
    fields: dict[str, str] = {}
    for e in evidence:
        if e.kind is EvidenceKind.METADATA and " " in e.field:
            member, key = e.field.rsplit(" ", 1)
            fields.setdefault(f"{PurePosixPath(member).name.lower()} {key.lower()}", e.value)
    for source in ("pom.properties coordinates", "pom.xml coordinates"):
        if source in fields:
            parts = fields[source].split(":")
            if len(parts) >= 2:
                return parts[1], parts[2] if len(parts) > 2 else None
    title = (
        fields.get("manifest.mf implementation-title")
        or fields.get("manifest.mf bundle-symbolicname", "").split(";", 1)[0]
    )
    if title:
        return title, (
            fields.get("manifest.mf implementation-version")
            or fields.get("manifest.mf bundle-version")
        )
    if "package.json name" in fields:  # "name@1.0.0", "@scope/name@1.0.0"
        label = fields["package.json name"]
        at = label.rfind("@")
        return (label[:at], label[at + 1 :] or None) if at > 0 else (label, None)
    for source in ("metadata", "pkg-info"):
        if f"{source} name" in fields:
            return fields[f"{source} name"], fields.get(f"{source} version")
    for key, value in fields.items():
        if key.endswith(".nuspec id"):
            return value, fields.get(key.replace(".nuspec id", ".nuspec version"))
    return None, None


def _from_file_name(name: str) -> tuple[str, str | None]:
    from scanner.analysis.content.archives import ARCHIVE_SUFFIXES  # only for a read archive

    stem = name
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    match = _VERSIONED.match(stem)
    if match:
        return match.group("name"), match.group("version")
    return stem or name, None
