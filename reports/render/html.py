"""The static HTML site: index.html, a page per product and a page per repository.

Everything a page needs is inside it (styles, the sorting script, the charts as inline SVG),
and links are relative, so the folder works opened from disk or served by any web server,
with no network. Every visible string comes from the i18n catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from reports.components import component_rows, evidence_words
from reports.governance import standard_license
from reports.render.charts import licence_chart, score_chart, trend_chart
from reports.render.common import (
    code_spans,
    evidence_rows,
    generated_line,
    missing,
    records,
    status_counts,
)
from reports.render.endpoints import endpoint_files
from rules.catalogue import CATALOGUE
from rules.texts import unchecked_reason
from scanner.kernel.models import Message

if TYPE_CHECKING:
    from reports.i18n import Catalogue
    from reports.links import SiteLinks
    from reports.report import Report

#: a repository page lists at most this many files (the full list is in files.csv)
MAX_FILES_PER_PAGE = 2000


def _prose(value: object) -> Markup:
    """Text with `code spans` (how-to-fix texts) as HTML: the spans become <code>."""
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if is_code else escape(part)
        for is_code, part in code_spans(value)
    )


def _reason(t: Catalogue, reason: str) -> str:
    """Why a file was not read in full, in the report's language."""
    return t.text(unchecked_reason(reason))


def environment(t: Catalogue, links: SiteLinks) -> Environment:
    """The Jinja2 environment of the pages: number filters in the language of `t`, the
    paths of pages, badges and JSON documents from `links`."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["prose"] = _prose
    env.filters["evidence"] = lambda v: evidence_words(v, t)
    env.filters["reason"] = lambda v: "" if missing(v) or not v else _reason(t, str(v))
    env.filters["percent"] = lambda v: "–" if missing(v) else t.percent(float(v))
    env.filters["number"] = lambda v: "–" if missing(v) else t.number(int(v))
    env.globals.update(
        product_page=links.product_page,
        repository_page=links.repository_page,
        badge_path=links.badge,
        product_json=links.product_json,
    )
    return env


def _common(report: Report, depth: int) -> dict[str, Any]:
    result = report.result
    return {
        "t": report.t,
        "root": "../" * depth,
        "portfolio": result.portfolio or result.policy_name,
        "generated": generated_line(report),
        "standard": standard_license(report.policy_terms) or "–",
    }


def _governance(report: Report) -> dict[str, list[dict[str, Any]]]:
    by_product: dict[str, list[dict[str, Any]]] = {}
    for row in evidence_rows(report):
        by_product.setdefault(row["product"], []).append(row)
    return by_product


def _group(rows: list[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in key), []).append(row)
    return groups


def html_files(report: Report) -> dict[str, str | bytes]:
    """index.html, a page per product and per repository and a JSON document per product,
    where `reports.links` says."""
    t = report.t
    env = environment(t, report.links)
    summary = report.summary
    governance = _governance(report)
    violations = records(report.violations)
    repositories = records(summary.repositories)
    products = records(summary.products)
    charts = {
        "scores": score_chart(summary.products, t("chart.scores"), t("col.score")),
        "licenses": licence_chart(
            summary.licenses, t("chart.licenses"), t("chart.files"), t("chart.none")
        ),
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
        rule_titles={info.id: t.text(Message(info.title)) for info in CATALOGUE},
        governance=governance,
        charts=charts,
        glance=status_counts(report),
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
