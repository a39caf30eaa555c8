"""An SPDX 2.3 document (JSON) per repository, written with spdx-tools.

The repository is one package, and each of its components (a vendored library, a copied-in
package, a submodule) another, which the repository's package CONTAINS; a file belongs to the
package of its component, or to the repository's. Each file is an SPDX file with the licence
os2scan concluded
(`licenseConcluded`), the licences found in it (`licenseInfoInFiles`) and its copyright
statements (`copyrightText`). scancode's own ids (`LicenseRef-scancode-...`) are declared as
extracted licensing info so the document validates.

Checksums: SPDX wants each file's SHA-1. When the checkout is still on disk the file is read
and hashed; otherwise the git blob id is used (also a SHA-1, of git's blob header plus the
content) and the file's comment says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from license_expression import ExpressionError
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExtractedLicensingInfo,
    File,
    FileType,
    Package,
    PackageVerificationCode,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
    SpdxNone,
)
from spdx_tools.spdx.validation.uri_validators import validate_download_location, validate_url
from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

import scanner
from reports.status import only_repository
from scanner.kernel.models import ComponentIndex, FileFinding, FileKind, RepoScan, ScanResult
from scanner.kernel.names import slug

if TYPE_CHECKING:
    from reports.report import Report

NAMESPACE_BASE = "https://os2scan.example/spdx"

_FILE_TYPES = {
    FileKind.CODE: FileType.SOURCE,
    FileKind.DOCS: FileType.DOCUMENTATION,
    FileKind.CONTENT: FileType.TEXT,
    FileKind.CONFIG: FileType.TEXT,
    FileKind.BINARY: FileType.BINARY,
    FileKind.VENDORED: FileType.SOURCE,
    FileKind.GENERATED: FileType.OTHER,
    FileKind.TEST: FileType.SOURCE,
}


class _Licences:
    """Parses expressions for one document and remembers the LicenseRef- ids it used."""

    def __init__(self) -> None:
        self.refs: set[str] = set()
        self._parsed: dict[str, Any] = {}

    def parse(self, expression: str | None) -> Any:
        if not expression:
            return SpdxNone()
        if expression not in self._parsed:
            self._parsed[expression] = self._parse(expression)
        return self._parsed[expression]

    def _parse(self, expression: str) -> Any:
        try:
            invalid = spdx_licensing.validate(expression).invalid_symbols
            if any(not s.startswith("LicenseRef-") for s in invalid):
                return SpdxNoAssertion()
            parsed = spdx_licensing.parse(expression)
        except ExpressionError:
            return SpdxNoAssertion()
        self.refs.update(
            key
            for key in (str(sym) for sym in spdx_licensing.license_symbols(parsed))
            if key.startswith("LicenseRef-")
        )
        return parsed

    def extracted(self) -> list[ExtractedLicensingInfo]:
        return [
            ExtractedLicensingInfo(
                license_id=ref,
                extracted_text=(
                    f"The licence scancode-toolkit identifies as "
                    f"{ref.removeprefix('LicenseRef-scancode-')}; its text is in scancode's"
                    f" licence database."
                ),
                license_name=ref.removeprefix("LicenseRef-"),
            )
            for ref in sorted(self.refs)
        ]


def _sha1(repo: RepoScan, finding: FileFinding) -> tuple[str, bool]:
    """The file's SHA-1, and whether it is real (False: the git blob id stands in)."""
    root = repo.checkout.path
    if root is not None:
        path = Path(root) / finding.path
        try:
            return hashlib.sha1(path.read_bytes()).hexdigest(), True
        except OSError:
            pass
    return finding.blob_sha.lower(), False


def _created(result: ScanResult) -> dt.datetime:
    if result.started_at:
        try:
            return dt.datetime.fromisoformat(result.started_at).replace(microsecond=0)
        except ValueError:
            pass
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def repository_document(result: ScanResult, repo: RepoScan) -> Document:
    """The SPDX document of one scanned repository."""
    checkout = repo.checkout
    product, name = checkout.spec.product, checkout.name
    licences = _Licences()
    package_id = f"SPDXRef-Package-{slug(name)}"
    files: list[File] = []
    hashes: list[str] = []
    file_hashes: dict[str, str] = {}  # SPDX id -> SHA-1
    for index, finding in enumerate(repo.files, start=1):
        sha1, real = _sha1(repo, finding)
        hashes.append(sha1)
        file_hashes[f"SPDXRef-File-{index}"] = sha1
        found = [licences.parse(d.expression) for d in finding.detections] or [
            licences.parse(finding.license_expression) if finding.spdx_header else SpdxNone()
        ]
        unique: list[Any] = list({str(f): f for f in found}.values())
        copyright_text: Any = "\n".join(finding.copyrights) if finding.copyrights else SpdxNone()
        concluded: Any = (
            licences.parse(finding.license_expression)
            if finding.license_expression
            else SpdxNoAssertion()
        )
        if finding.skipped:  # nobody read the file (in full): nothing is asserted about it
            concluded = copyright_text = SpdxNoAssertion()
            unique = [SpdxNoAssertion()]
        files.append(
            File(
                name=f"./{finding.path}",
                spdx_id=f"SPDXRef-File-{index}",
                checksums=[Checksum(ChecksumAlgorithm.SHA1, sha1)],
                file_types=[_FILE_TYPES[finding.kind]],
                license_concluded=concluded,
                license_info_in_file=unique,
                copyright_text=copyright_text,
                comment=None if real else "checksum: the git blob id of the file",  # type: ignore[arg-type]
                license_comment=(
                    f"licence information from: {finding.license_source.value}"
                    if finding.license_source
                    else None
                ),
            )
        )
    code = hashlib.sha1("".join(sorted(hashes)).encode()).hexdigest()
    location = checkout.remote_url or (checkout.metadata.web_url if checkout.metadata else None)
    homepage = checkout.metadata.web_url if checkout.metadata else None
    # SPDX only accepts URLs with a public-looking host name: a self-hosted forge at
    # http://10.0.0.5:8080 or a loopback one would make the document invalid.
    if location and validate_download_location(location):
        location = None
    if homepage and validate_url(homepage):
        homepage = None
    package = Package(
        spdx_id=package_id,
        name=name,
        download_location=location or SpdxNoAssertion(),
        version=checkout.commit,
        files_analyzed=bool(files),
        verification_code=PackageVerificationCode(code) if files else None,
        homepage=homepage,
        license_declared=licences.parse(repo.facts.declared_license)
        if repo.facts.declared_license
        else SpdxNoAssertion(),
        license_concluded=SpdxNoAssertion(),
        license_info_from_files=[],
        copyright_text="\n".join(repo.facts.copyright_holders) or SpdxNoAssertion(),
        comment=f"Part of the product {product}.",
    )
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, package_id)]
    parts = _component_packages(repo, package_id, files, file_hashes, licences)
    owner = {f: pid for pid, _, members in parts for f in members}
    relationships += [
        Relationship(package_id, RelationshipType.CONTAINS, pid) for pid, _, _ in parts
    ]
    relationships += [
        Relationship(owner.get(f.spdx_id, package_id), RelationshipType.CONTAINS, f.spdx_id)
        for f in files
    ]
    unique_tail = hashlib.sha1(
        f"{result.portfolio}|{result.scan_id}|{checkout.spec.locator}|{checkout.commit}".encode()
    ).hexdigest()[:16]
    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{product}/{name}",
        document_namespace=f"{NAMESPACE_BASE}/{slug(product)}/{slug(name)}-{unique_tail}",
        creators=[Actor(ActorType.TOOL, f"os2scan-{result.tool_version or scanner.__version__}")],
        created=_created(result),
    )
    return Document(
        creation_info=creation,
        packages=[package, *(p for _, p, _ in parts)],
        files=files,
        relationships=relationships,
        extracted_licensing_info=licences.extracted(),
    )


def _component_packages(
    repo: RepoScan,
    package_id: str,
    files: list[File],
    file_hashes: dict[str, str],
    licences: _Licences,
) -> list[tuple[str, Package, list[str]]]:
    """A package per component: (its SPDX id, the package, the SPDX ids of its files)."""
    components = repo.facts.components
    index = ComponentIndex(components)
    members: dict[str, list[str]] = {c.path: [] for c in components}
    for spdx_file, finding in zip(files, repo.files, strict=True):
        component = index.owner(finding.path)
        if component is not None:
            members[component.path].append(spdx_file.spdx_id)
    parts = []
    for number, component in enumerate(components, start=1):
        ids = members[component.path]
        code = hashlib.sha1("".join(sorted(file_hashes[i] for i in ids)).encode()).hexdigest()
        package = Package(
            spdx_id=f"{package_id}-Component-{number}",
            name=component.name,
            download_location=SpdxNoAssertion(),
            version=component.version,
            files_analyzed=bool(ids),
            verification_code=PackageVerificationCode(code) if ids else None,
            license_declared=licences.parse(component.license)
            if component.license
            else SpdxNoAssertion(),
            license_concluded=SpdxNoAssertion(),
            license_info_from_files=[],
            copyright_text="\n".join(component.holders) or SpdxNoAssertion(),
            comment=f"{component.kind.value} at {component.path} ({component.evidence})",
        )
        parts.append((package.spdx_id, package, ids))
    return parts


def render_spdx(result: ScanResult, repo: RepoScan, validate: bool = False) -> str:
    """One repository's SPDX 2.3 document as JSON.

    spdx-tools' validation takes longer than writing (minutes for 100,000 files), so it is left
    to the tests, which validate documents with the same validator; pass `validate=True` to
    validate while writing."""
    import io

    stream = io.StringIO()
    write_document_to_stream(
        repository_document(result, repo), stream, validate=validate, drop_duplicates=False
    )
    return stream.getvalue() + "\n"


def render_spdx_document(result: ScanResult) -> str:
    """The SPDX document of a scan of one repository (what `check --format spdx` prints)."""
    return render_spdx(result, only_repository(result, "an SPDX document"))


def spdx_files(report: Report) -> dict[str, str | bytes]:
    """An SPDX document in the folder of every repository that was scanned."""
    result = report.result
    links = report.links
    return {
        links.repository_spdx(r.checkout.spec.product, r.checkout.name): render_spdx(result, r)
        for r in result.repositories
        if r.checkout.ok
    }
