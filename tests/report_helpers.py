"""A small portfolio built directly from the model records, for the report tests.

Two products:
- OS2mo: repositories "core" (MPL-2.0, GitHub under OS2mo, one error, one waived warning, one
  info) and "docs" (CC-BY-4.0 docs, one warning);
- OS2web: "site" (GPL-3.0-only, scanned, no violations) and "legacy" (could not be cloned).
A third product, OS2gone, has only a failed repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.kernel.models import (
    Checkout,
    DeclaredSource,
    Detection,
    FileFinding,
    FileKind,
    ForgeMetadata,
    LicenseSource,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    ScanKind,
    ScanResult,
    Severity,
    SourceKind,
    Violation,
    Waiver,
)


def _file(
    path: str,
    kind: FileKind = FileKind.CODE,
    license: str | None = None,
    holders: tuple[str, ...] = (),
    skipped: str | None = None,
    source: LicenseSource | None = None,
) -> FileFinding:
    return FileFinding(
        path=path,
        blob_sha=(path.encode().hex() + "0" * 40)[:40],
        size=100,
        kind=kind,
        license_expression=license,
        license_source=source or (LicenseSource.HEADER if license else None),
        detections=(Detection(license, 100.0, 1, 1, "r.RULE"),) if license else (),
        holders=holders,
        copyrights=tuple(f"Copyright (c) {h}" for h in holders),
        spdx_header=bool(license),
        copyright_header=bool(holders),
        skipped=skipped,
    )


def _repo(
    product: str,
    name: str,
    kind: SourceKind,
    locator: str,
    declared: str | None,
    files: tuple[FileFinding, ...],
    holders: tuple[str, ...] = (),
    metadata: ForgeMetadata | None = None,
    error: str | None = None,
    commit: str = "c" * 40,
) -> RepoScan:
    spec = RepositorySpec(product=product, kind=kind, locator=locator)
    checkout = Checkout(
        spec=spec,
        name=name,
        path=None if error else Path("checkouts") / name,
        commit=None if error else commit,
        metadata=metadata,
        error=error,
    )
    sources = (DeclaredSource("LICENSE", "LICENSE", declared),) if declared else ()
    facts = RepoFacts(
        declared_license=declared,
        declared_sources=sources,
        license_files=("LICENSE",) if declared else (),
        copyright_holders=holders,
    )
    return RepoScan(checkout=checkout, facts=facts, files=files, scanned_files=len(files))


def violation(
    rule: str,
    severity: Severity,
    product: str,
    repository: str,
    path: str | None = None,
    line: int | None = None,
    license: str | None = None,
    waiver: Waiver | None = None,
) -> Violation:
    return Violation(
        rule=rule,
        severity=severity,
        product=product,
        repository=repository,
        path=path,
        line=line,
        license=license,
        message=f"{rule} in {repository}",
        how_to_fix=f"fix {rule}",
        waiver=waiver,
    )


def repositories() -> tuple[RepoScan, ...]:
    core = _repo(
        "OS2mo",
        "core",
        SourceKind.GITHUB,
        "OS2mo/core",
        "MPL-2.0",
        (
            _file("LICENSE", FileKind.DOCS, "MPL-2.0", source=LicenseSource.DETECTED),
            _file("src/app.py", license="MPL-2.0", holders=("OS2",)),
            _file("src/lib.py", license="GPL-3.0-only", holders=("Vendor ApS",)),
            _file("src/util.py"),
        ),
        holders=("OS2", "Vendor ApS"),
        metadata=ForgeMetadata(
            platform="github",
            web_url="https://github.com/OS2mo/core",
            platform_license="MPL-2.0",
            default_branch="main",
            has_issues=True,
        ),
    )
    docs = _repo(
        "OS2mo",
        "docs",
        SourceKind.GITLAB,
        "magenta/os2mo-docs",
        "CC-BY-4.0",
        (
            _file("README.md", FileKind.DOCS, "CC-BY-4.0", holders=("Magenta ApS",)),
            _file("logo.png", FileKind.BINARY, skipped="binary"),
        ),
        holders=("Magenta ApS",),
        metadata=ForgeMetadata(
            platform="gitlab",
            web_url="https://gitlab.example.org/magenta/os2mo-docs",
            default_branch="master",
            has_issues=False,
        ),
    )
    site = _repo(
        "OS2web",
        "site",
        SourceKind.PATH,
        "../site",
        "GPL-3.0-only",
        (
            _file("index.php", license="GPL-3.0-only", holders=("OS2",)),
            _file("style.css", FileKind.CONTENT, "GPL-3.0-only", holders=("OS2",)),
        ),
        holders=("OS2",),
    )
    legacy = _repo(
        "OS2web",
        "legacy",
        SourceKind.GIT,
        "https://example.org/legacy.git",
        None,
        (),
        error="git clone failed: repository not found",
    )
    gone = _repo(
        "OS2gone",
        "old",
        SourceKind.GIT,
        "https://example.org/old.git",
        None,
        (),
        error="git clone failed: timeout",
    )
    return (core, docs, site, legacy, gone)


WAIVER = Waiver(
    rule="copyright-holder-expected",
    repository="core",
    reason="vendor transfer agreed",
    expires="2099-01-01",
    approved_by="OS2 board",
)


def violations() -> tuple[Violation, ...]:
    return (
        violation(
            "file-license-conflict",
            Severity.ERROR,
            "OS2mo",
            "core",
            "src/lib.py",
            1,
            "GPL-3.0-only",
        ),
        violation("copyright-holder-expected", Severity.WARNING, "OS2mo", "core", waiver=WAIVER),
        violation("file-header", Severity.INFO, "OS2mo", "core", "src/util.py"),
        violation("docs-license", Severity.WARNING, "OS2mo", "docs", "README.md", 3),
    )


def scan_result(**changes: object) -> ScanResult:
    values: dict[str, object] = {
        "repositories": repositories(),
        "violations": violations(),
        "policy_name": "os2",
        "policy_source": "built-in",
        "portfolio": "portfolio.yaml",
        "scan_id": 2,
        "started_at": "2026-11-27T10:00:00+00:00",
        "tool_version": "0.1.0",
    }
    values.update(changes)
    return ScanResult(**values)  # type: ignore[arg-type]


def save_scan(
    store: object,
    result: ScanResult,
    portfolio: str = "portfolio.yaml",
    kind: ScanKind = ScanKind.PORTFOLIO,
) -> int:
    """Store a ScanResult as a complete scan through the real Store; returns its id."""
    from scanner.store import Store

    assert isinstance(store, Store)
    scan_id = store.begin_scan(
        portfolio, result.policy_name, result.policy_source, "0.1.0", kind=kind,
        terms=result.policy_terms,
    )  # fmt: skip
    for repo in result.repositories:
        store.save_repository(scan_id, repo, detector_version="v1")
    store.save_violations(scan_id, result.violations)
    store.finish_scan(scan_id)
    return scan_id


GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; OS2SCAN_UPDATE_GOLDEN=1 records a deliberate change
    (refused when CI is set, so a golden file only changes in a reviewed commit)."""
    path = GOLDEN / name
    if os.environ.get("OS2SCAN_UPDATE_GOLDEN"):
        if os.environ.get("CI"):
            pytest.fail("golden files are not regenerated in CI")
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {name}: run with OS2SCAN_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")
