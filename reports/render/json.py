"""The JSON report: the contract of `check --format json` and `report.json` (see
docs/architecture.md, "Output contracts").

Shape::

    {"scan": {"id", "kind", "started_at", "finished_at", "portfolio", "policy",
              "tool_version"},
     "tool": {"name", "version"},
     "policy": {"name", "source"},
     "repositories": [{"product", "name", "path", "commit", "declared_license",
                       "declared_sources", "copyright_holders",
                       "files": {"total", "scanned", "with_license", "with_copyright"},
                       "components": [{"name", "version", "path", "kind", "license",
                                       "license_source", "holders", "files", "evidence"}],
                       "status", "error", "content"}],
     "violations": [{"rule", "severity", "product", "repository", "path", "line", "license",
                     "message", "how_to_fix", "waived", "files"}],
     "products": [...]}          # report.json only

``declared_sources`` lists each place that declares a licence as
``{"source", "path", "license"}``. ``status`` is explained in `reports.status`
(failed | non-compliant | warnings | compliant); ``error`` is why a failed repository could
not be scanned, else null. ``path`` is where the repository was read, as the portfolio (or
`check`) names it: the entry as written for a ``path:`` entry, the URL or ``owner/name`` for
the others, never the folder on the scanning machine (null when it could not be read).
``scan`` names the scan the report was made from (``id`` is null for a scan not stored).
``content`` lists each archive, font, image and document that was read: its format, licence,
holders, the metadata evidence behind them and the files read inside it (see docs/content.md).
``components`` are the repository's third-party and separately licensed parts (see
docs/components.md); a violation's ``files`` lists the files one finding stands for (a
component's files, the documentation files no licence covers), empty for a single file.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import scanner
from reports.components import component_dict
from reports.content import content_records
from reports.status import file_counts, repository_status, violation_dict
from scanner.kernel.models import RepoScan, ScanResult, Violation

if TYPE_CHECKING:
    from reports.report import Report


def repository_dict(repo: RepoScan, violations: tuple[Violation, ...]) -> dict[str, Any]:
    checkout, facts = repo.checkout, repo.facts
    return {
        "product": checkout.spec.product,
        "name": checkout.name,
        "path": checkout.spec.shown if checkout.path else None,
        "commit": checkout.commit,
        "declared_license": facts.declared_license,
        "declared_sources": [
            {"source": s.source, "path": s.path, "license": s.expression}
            for s in facts.declared_sources
        ],
        "copyright_holders": list(facts.copyright_holders),
        "files": file_counts(repo),
        "components": [component_dict(c) for c in facts.components],
        "status": repository_status(repo, violations),
        "error": checkout.error,
        "content": content_records(repo),
    }


def scan_dict(result: ScanResult) -> dict[str, Any]:
    """The identity of the scan a report was made from."""
    return {
        "id": result.scan_id,
        "kind": result.kind.value,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "portfolio": result.portfolio,
        "policy": {"name": result.policy_name, "source": result.policy_source},
        "tool_version": result.tool_version or scanner.__version__,
    }


def report_dict(result: ScanResult, products: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The report as plain data; `products` (from reports.summary) is added when given."""
    version = result.tool_version or scanner.__version__
    data: dict[str, Any] = {
        "scan": scan_dict(result),
        "tool": {"name": "os2scan", "version": version},
        "policy": {"name": result.policy_name, "source": result.policy_source},
        "repositories": [repository_dict(r, result.violations) for r in result.repositories],
        "violations": [violation_dict(v) for v in result.violations],
    }
    if products is not None:
        data["products"] = products
    return data


def render_json(result: ScanResult, products: list[dict[str, Any]] | None = None) -> str:
    """The JSON report as text (UTF-8, indented, ending in a newline)."""
    return json.dumps(report_dict(result, products), ensure_ascii=False, indent=2) + "\n"


def json_files(report: Report) -> dict[str, str | bytes]:
    """report.json: the JSON report with the per-product summary added."""
    return {"report.json": render_json(report.result, report.product_records())}
