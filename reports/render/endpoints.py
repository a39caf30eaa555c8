"""A JSON document per product at `products/<product>.json`, for other tools.

It is part of the published site (written with the HTML pages, which link to it): the
product's status, score and counts, and its repositories with the paths of their pages,
badges and SPDX documents, all relative to the site's root and stable across scans.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from reports.render.json import scan_dict
from reports.summary import plain_record

if TYPE_CHECKING:
    from reports.report import Report

_ENDPOINT_REPOSITORY_KEYS = (
    "repository", "web_url", "commit", "declared_license", "files", "errors", "warnings",
    "score", "status", "error",
)  # fmt: skip


def product_endpoint(report: Report, product: dict[str, Any]) -> dict[str, Any]:
    """One product's status for other tools: the summary row, its repositories and the paths
    of its page, badge and SPDX documents (relative to the site's root, stable across scans)."""
    links, result, name = report.links, report.result, str(product["product"])
    repositories = report.summary.repositories
    rows = repositories[repositories["product"] == name]
    return {
        "product": name,
        "status": product["status"],
        "score": product["score"],
        "errors": product["errors"],
        "warnings": product["warnings"],
        "declared_licenses": product["declared_licenses"],
        "scan": scan_dict(result),
        "policy": result.policy_name,
        "page": links.product_page(name),
        "badge": links.product_badge(name),
        "repositories": [
            {
                **{key: row[key] for key in _ENDPOINT_REPOSITORY_KEYS},
                "page": links.repository_page(name, str(row["repository"])),
                "badge": links.repository_badge(name, str(row["repository"])),
                "spdx": links.repository_spdx(name, str(row["repository"]))
                if row["error"] is None
                else None,
                "cyclonedx": links.repository_cyclonedx(name, str(row["repository"]))
                if row["error"] is None
                else None,
            }
            for row in (plain_record(r) for r in rows.to_dict(orient="records"))
        ],
    }


def endpoint_files(report: Report) -> dict[str, str | bytes]:
    """`products/<product>.json` for every product of the report."""
    outputs: dict[str, str | bytes] = {}
    for product in report.product_records():
        document = product_endpoint(report, product)
        outputs[report.links.product_json(str(product["product"]))] = (
            json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        )
    return outputs
