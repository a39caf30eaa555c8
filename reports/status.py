"""Plain facts about a scan that every renderer agrees on: statuses and file counts.

No pandas here on purpose: `os2scan check` renders JSON and text for one checkout and should
not pay for importing pandas. `reports.summary` computes the same statuses for whole
portfolios with pandas and is tested to agree with these functions.

Statuses
--------
A repository's status is one of:

- ``failed``: it could not be collected or analysed (its checkout carries the error);
- ``non-compliant``: at least one unwaived ``error`` violation remains;
- ``warnings``: unwaived ``warning`` violations remain, but no errors;
- ``compliant``: neither remains (``info`` findings and waived violations do not count).

A product's status uses the same words, with ``not-scanned`` in place of ``failed`` when none of
its repositories could be scanned (docs/architecture.md, "Output contracts"). A product with
some failed repositories is judged on the ones that were scanned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scanner.kernel.errors import InputError
from scanner.kernel.models import RepoScan, ScanResult, Severity, Violation

FAILED = "failed"
NOT_SCANNED = "not-scanned"
NON_COMPLIANT = "non-compliant"
WARNINGS = "warnings"
COMPLIANT = "compliant"

#: Worst first: the order tables are sorted in and the order statuses combine in.
STATUS_ORDER = (NON_COMPLIANT, WARNINGS, COMPLIANT, FAILED, NOT_SCANNED)


def status_from_violations(violations: Iterable[Violation]) -> str:
    """compliant, warnings or non-compliant, from the violations that are not waived."""
    severities = {v.severity for v in violations if not v.waived}
    if Severity.ERROR in severities:
        return NON_COMPLIANT
    if Severity.WARNING in severities:
        return WARNINGS
    return COMPLIANT


def repository_status(repo: RepoScan, violations: Iterable[Violation]) -> str:
    """The status of one repository; `violations` may hold other repositories' too."""
    if not repo.checkout.ok:
        return FAILED
    name, product = repo.checkout.name, repo.checkout.spec.product
    return status_from_violations(
        v for v in violations if v.repository == name and v.product == product
    )


def file_counts(repo: RepoScan) -> dict[str, int]:
    """total, scanned (not skipped), with_license and with_copyright for one repository."""
    files = repo.files
    return {
        "total": len(files),
        "scanned": sum(1 for f in files if f.skipped is None),
        "with_license": sum(1 for f in files if f.license_expression),
        "with_copyright": sum(1 for f in files if f.holders or f.copyrights),
    }


def violation_dict(v: Violation) -> dict[str, Any]:
    """A violation as the JSON reports and the violation tables show it (the contract's keys)."""
    return {
        "rule": v.rule,
        "severity": v.severity.value,
        "product": v.product,
        "repository": v.repository,
        "path": v.path,
        "line": v.line,
        "license": v.license,
        "message": v.message,
        "how_to_fix": v.how_to_fix,
        "waived": v.waived,
        "files": list(v.files),  # the files one finding stands for; empty for one file
    }


def only_repository(result: ScanResult, document: str) -> RepoScan:
    """The one scanned repository a per-repository document (an SBOM) describes."""
    scanned = [r for r in result.repositories if r.checkout.ok]
    if len(scanned) != 1:
        raise InputError(
            f"{document} describes one repository; this scan has {len(scanned)} scanned"
            " (write a report folder instead)"
        )
    return scanned[0]
