"""Builders for the rules' input: RepoScan objects made directly, without scancode or git."""

from __future__ import annotations

import hashlib
from pathlib import Path

from scanner.kernel.models import (
    Checkout,
    DeclaredSource,
    Detection,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    SourceKind,
)

MIT_DETECTED = (Detection("MIT", 100.0, 1, 21, "mit.LICENSE"),)
MPL_DETECTED = (Detection("MPL-2.0", 100.0, 1, 373, "mpl-2.0.LICENSE"),)


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def file(
    path: str,
    kind: FileKind = FileKind.CODE,
    license: str | None = None,
    source: LicenseSource | None = None,
    *,
    detections: tuple[Detection, ...] = (),
    spdx_header: bool = False,
    copyright_header: bool = False,
    notices: tuple[str, ...] = (),
    skipped: str | None = None,
) -> FileFinding:
    """A file finding; a licence without a source counts as detected in the file."""
    if license and source is None:
        source = LicenseSource.DETECTED
    if license and not detections and source in (LicenseSource.DETECTED, LicenseSource.HEADER):
        detections = (Detection(license, 100.0, 3, 3),)
    return FileFinding(
        path=path,
        blob_sha=sha(path),
        size=100,
        kind=kind,
        license_expression=license,
        license_source=source,
        detections=detections,
        spdx_header=spdx_header,
        copyright_header=copyright_header,
        notices=notices,
        skipped=skipped,
    )


def licence_file(path: str = "LICENSE", detected: str = "MPL-2.0") -> FileFinding:
    return file(path, FileKind.DOCS, detected, detections=(Detection(detected, 100.0, 1, 30),))


def good_code(path: str = "src/app.py", license: str = "MPL-2.0") -> FileFinding:
    return file(
        path,
        license=license,
        source=LicenseSource.HEADER,
        spdx_header=True,
        copyright_header=True,
    )


def scan(
    files: list[FileFinding] | None = None,
    *,
    declared: str | None = "MPL-2.0",
    sources: list[DeclaredSource] | None = None,
    holders: tuple[str, ...] = ("OS2 - Offentligt digitaliseringsfællesskab",),
    publiccode: dict[str, object] | None = None,
    documentation_license: str | None = None,
    reuse_annotations: tuple[tuple[str, str], ...] = (),
    name: str = "os2mo",
    product: str = "OS2mo",
    error: str | None = None,
) -> RepoScan:
    """A repository scan; by default a compliant MPL-2.0 repository owned by OS2."""
    if files is None:
        files = [licence_file(), good_code()]
    if sources is None:
        sources = [DeclaredSource("LICENSE", "LICENSE", declared)] if declared else []
    spec = RepositorySpec(product=product, kind=SourceKind.PATH, locator=f"checkouts/{name}")
    checkout = Checkout(
        spec=spec,
        name=name,
        path=None if error else Path("checkouts") / name,
        commit=None if error else "0" * 40,
        error=error,
    )
    facts = RepoFacts(
        declared_license=declared,
        declared_sources=tuple(sources),
        license_files=tuple(
            f.path for f in files if f.path.upper().startswith(("LICENSE", "COPYING"))
        ),
        copyright_holders=holders,
        publiccode=publiccode,
        reuse_annotations=reuse_annotations,
        documentation_license=documentation_license,
    )
    return RepoScan(checkout=checkout, facts=facts, files=tuple(files))


def rules_hit(violations) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted({v.rule for v in violations})
