"""The static HTML site: index.html, a page per product and a page per repository.

Everything a page needs is inside it (styles, the sorting script, the charts as inline SVG),
and links are relative, so the folder works opened from disk or served by any web server,
with no network. Every visible string comes from the i18n catalogue.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

import scanner
from reports.components import component_rows
from reports.links import SiteLinks
from reports.render.charts import licence_chart, score_chart, trend_chart
from reports.render.endpoints import endpoint_files

#: a repository page lists at most this many files (the full list is in files.csv)
MAX_FILES_PER_PAGE = 2000


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as None (what templates test with `is none`)."""
    if frame is None or frame.empty:
        return []
    clean = frame.astype(object).where(frame.notna(), None)
    records: list[dict[str, Any]] = clean.to_dict(orient="records")
    return records


def _percent(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{round(float(value) * 100)} %"  # type: ignore[arg-type]


def _number(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return str(int(value))  # type: ignore[call-overload]


def environment(links: SiteLinks) -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = _percent
    env.filters["number"] = _number
    env.globals.update(
        product_page=links.product_page,
        repository_page=links.repository_page,
        badge_path=links.badge,
        product_json=links.product_json,
    )
    return env


def generated_line(report: Any) -> str:
    """ "Scan 3 of 2026-11-27 10:00 · policy os2 · os2scan 0.1.0" in the report's language."""
    result, t = report.result, report.t
    fields = {
        "scan": result.scan_id if result.scan_id is not None else "–",
        "policy": result.policy_name,
        "version": result.tool_version or scanner.__version__,
    }
    if not result.started_at:
        return str(t("generated.undated", **fields))
    return str(t("generated", date=result.started_at[:16].replace("T", " "), **fields))


def _common(report: Any, depth: int) -> dict[str, Any]:
    result = report.result
    return {
        "t": report.t,
        "root": "../" * depth,
        "portfolio": result.portfolio or result.policy_name,
        "generated": generated_line(report),
    }


def _governance(report: Any) -> dict[str, list[dict[str, Any]]]:
    t = report.t
    rows = records(report.governance)
    by_product: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["evidence_text"] = t(
            f"gov.evidence.{row['criterion']}", n=row["n"], a=row["a"], b=row["b"],
            detail=row["detail"] or "–",
        )  # fmt: skip
        by_product.setdefault(row["product"], []).append(row)
    return by_product


def _group(rows: list[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in key), []).append(row)
    return groups


def html_files(report: Any) -> dict[str, str | bytes]:
    """index.html, a page per product and per repository and a JSON document per product,
    where `reports.links` says."""
    env = environment(report.links)
    summary = report.summary
    t = report.t
    governance = _governance(report)
    violations = records(summary.violations)
    repositories = records(summary.repositories)
    products = records(summary.products)
    status_counts = summary.products["status"].value_counts()
    charts = {
        "scores": score_chart(summary.products, t("chart.scores"), t("col.score")),
        "licenses": licence_chart(summary.licenses, t("chart.licenses"), t("chart.files")),
    }
    if summary.trend["scan"].nunique() > 1:
        charts["trend"] = trend_chart(
            summary.trend, t("chart.trend"), t("chart.scan"), t("col.score")
        )
    changes = records(summary.changes) if summary.changes is not None else None
    change_counts = (
        summary.changes["change"].astype(str).value_counts() if summary.changes is not None else {}
    )
    index = env.get_template("html/index.html.j2").render(
        **_common(report, 0),
        products=products,
        repositories=repositories,
        licenses=records(summary.licenses),
        categories=records(summary.categories),
        rules=records(summary.rules),
        governance=governance,
        charts=charts,
        glance={
            "products": len(products),
            "non_compliant": int(status_counts.get("non-compliant", 0)),
            "warnings": int(status_counts.get("warnings", 0)),
            "compliant": int(status_counts.get("compliant", 0)),
            "not_scanned": int(status_counts.get("not-scanned", 0)),
        },
        worst=[p for p in products if p["status"] == "non-compliant"],
        changes=changes,
        change_counts={
            "new": int(change_counts.get("new", 0)),
            "fixed": int(change_counts.get("fixed", 0)),
            "scan": report.previous.scan_id if report.previous is not None else "–",
        },
        failed=[r for r in repositories if r["status"] == "failed"],
        deltas={
            row["product"]: row["score_delta"]
            for row in records(summary.score_changes)
            if row["score_delta"] is not None
        },
    )
    outputs: dict[str, str | bytes] = {"index.html": index, **endpoint_files(report)}
    product_template = env.get_template("html/product.html.j2")
    components = component_rows(report.result)
    components_by_product = _group(components, "product")
    components_by_repository = _group(components, "product", "repository")
    by_product = _group(violations, "product")
    repos_by_product = _group(repositories, "product")
    for product in products:
        name = product["product"]
        outputs[report.links.product_page(name)] = product_template.render(
            **_common(report, 2),
            product=product,
            repositories=repos_by_product.get((name,), []),
            violations=by_product.get((name,), []),
            governance=governance.get(name, []),
            components=components_by_product.get((name,), []),
        )
    repository_template = env.get_template("html/repository.html.j2")
    by_repository = _group(violations, "product", "repository")
    files = {
        key: group for key, group in summary.files.groupby(["product", "repository"], sort=False)
    }
    content = {
        key: group
        for key, group in summary.content.groupby(["product", "repository"], sort=False)
    }
    for repo in repositories:
        key = (repo["product"], repo["repository"])
        repo_files = files.get(key, summary.files.head(0))
        outputs[report.links.repository_page(*key)] = repository_template.render(
            **_common(report, 4),
            repo=repo,
            violations=by_repository.get(key, []),
            components=components_by_repository.get(key, []),
            files=records(repo_files.head(MAX_FILES_PER_PAGE)),
            total_files=len(repo_files),
            content=records(content[key].head(MAX_FILES_PER_PAGE)) if key in content else [],
        )
    return outputs
