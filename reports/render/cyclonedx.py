"""A CycloneDX 1.6 SBOM (JSON) per repository, built with cyclonedx-python-lib.

The BOM's subject (`metadata.component`) is the repository, as an application whose version is
the commit, with its declared licence and its copyright holders. Each file with licence or
copyright information is a `file` component inside it, carrying the licence os2scan concluded
(as an SPDX expression) and its copyright statements; files with neither are left out, as the
SPDX document lists every file. The scan's identity (id, portfolio, policy, product) is in
the BOM's properties under the `os2scan:` namespace.

The serial number is derived from the scan and the repository, so rendering the same stored
scan twice gives the same document.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import LicenseExpression
from cyclonedx.output.json import JsonV1Dot6

import scanner
from reports.status import only_repository
from scanner.kernel.models import FileFinding, RepoScan, ScanResult
from scanner.kernel.names import slug

if TYPE_CHECKING:
    from reports.report import Report

SPEC_VERSION = "1.6"
_NAMESPACE = uuid.UUID("9b0d5f5e-6f2c-4d9e-9a8e-0a2b4e1c7d31")


def _licences(expression: str | None) -> list[LicenseExpression]:
    return [LicenseExpression(expression)] if expression else []


def _file_component(repo: RepoScan, finding: FileFinding) -> Component:
    return Component(
        type=ComponentType.FILE,
        name=finding.path,
        bom_ref=f"file:{slug(repo.checkout.name)}:{finding.path}",
        licenses=_licences(finding.license_expression),
        copyright="\n".join(finding.copyrights) or None,
        properties=[Property(name="os2scan:kind", value=finding.kind.value)],
    )


def _created(result: ScanResult) -> dt.datetime | None:
    if not result.started_at:
        return None
    try:
        when = dt.datetime.fromisoformat(result.started_at)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def repository_bom(result: ScanResult, repo: RepoScan) -> Bom:
    """The CycloneDX BOM of one scanned repository."""
    checkout, facts = repo.checkout, repo.facts
    files = [
        _file_component(repo, f) for f in repo.files if f.license_expression or f.copyrights
    ]
    references = []
    if checkout.metadata and checkout.metadata.web_url.startswith(("https://", "http://")):
        references.append(
            ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(checkout.metadata.web_url))
        )
    subject = Component(
        type=ComponentType.APPLICATION,
        name=checkout.name,
        group=checkout.spec.product,
        version=checkout.commit,
        bom_ref=f"repository:{slug(checkout.spec.product)}:{slug(checkout.name)}",
        licenses=_licences(facts.declared_license),
        copyright="\n".join(facts.copyright_holders) or None,
        external_references=references,
        components=files,
    )
    version = result.tool_version or scanner.__version__
    properties = [
        Property(name="os2scan:scan", value=str(result.scan_id) if result.scan_id else "-"),
        Property(name="os2scan:portfolio", value=result.portfolio or "-"),
        Property(name="os2scan:policy", value=result.policy_name),
        Property(name="os2scan:product", value=checkout.spec.product),
        Property(name="os2scan:version", value=version),
    ]
    serial = uuid.uuid5(
        _NAMESPACE,
        f"{result.portfolio}|{result.scan_id}|{checkout.spec.locator}|{checkout.commit}",
    )
    return Bom(
        serial_number=serial,
        metadata=BomMetaData(component=subject, timestamp=_created(result), properties=properties),
    )


def render_repository(result: ScanResult, repo: RepoScan) -> str:
    """One repository's CycloneDX 1.6 JSON document."""
    return JsonV1Dot6(repository_bom(result, repo)).output_as_string(indent=2) + "\n"


def render_cyclonedx(result: ScanResult) -> str:
    """The SBOM of a scan of one repository (what `check --format cyclonedx` prints)."""
    return render_repository(result, only_repository(result, "a CycloneDX SBOM"))


def cyclonedx_files(report: Report) -> dict[str, str | bytes]:
    """A CycloneDX SBOM in the folder of every repository that was scanned."""
    result, links = report.result, report.links
    return {
        links.repository_cyclonedx(r.checkout.spec.product, r.checkout.name): render_repository(
            result, r
        )
        for r in result.repositories
        if r.checkout.ok
    }
