"""A CycloneDX 1.6 SBOM (JSON) per repository, built with cyclonedx-python-lib.

The BOM's subject (`metadata.component`) is the repository, as an application whose version is
the commit, with its declared licence and its copyright holders. Each file with licence or
copyright information is a `file` component inside it, carrying the licence os2scan concluded
(as an SPDX expression) and its copyright statements; files with neither are left out, as the
SPDX document lists every file. Each of the repository's components (a vendored library, a
copied-in package, a submodule: see docs/components.md) is a `library` component inside the
repository, with its version, licence, holders and where it was found, and the files that
belong to it are inside it rather than directly in the repository. The scan's identity (id,
portfolio, policy, product) is in the BOM's properties under the `os2scan:` namespace.

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
from scanner.kernel.models import Component as Part
from scanner.kernel.models import ComponentIndex, FileFinding, RepoScan, ScanResult
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


def _part_component(repo: RepoScan, part: Part, files: list[Component]) -> Component:
    """A component of the repository (`scanner.kernel.models.Component`) as a library."""
    properties = [
        Property(name="os2scan:component-kind", value=part.kind.value),
        Property(name="os2scan:path", value=part.path),
        Property(name="os2scan:files", value=str(part.files)),
    ]
    if part.evidence:
        properties.append(Property(name="os2scan:evidence", value=part.evidence))
    if part.curation:
        properties.append(Property(name="os2scan:curation", value=part.curation))
    return Component(
        type=ComponentType.LIBRARY,
        name=part.name,
        version=part.version,
        bom_ref=f"component:{slug(repo.checkout.name)}:{part.path}",
        licenses=_licences(part.license),
        copyright="\n".join(part.holders) or None,
        properties=properties,
        components=files,
    )


def _contents(repo: RepoScan) -> list[Component]:
    """The repository's own files with licence or copyright information, and its components,
    each holding such files of its own."""
    index = ComponentIndex(repo.facts.components)
    own: list[Component] = []
    by_part: dict[str, list[Component]] = {p.path: [] for p in repo.facts.components}
    for finding in repo.files:
        if not (finding.license_expression or finding.copyrights):
            continue
        part = index.owner(finding.path)
        (by_part[part.path] if part is not None else own).append(_file_component(repo, finding))
    parts = [_part_component(repo, p, by_part[p.path]) for p in repo.facts.components]
    return [*own, *parts]


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
        components=_contents(repo),
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
