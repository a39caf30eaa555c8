"""What the page renderers (HTML, Markdown) share: table rows from frames, numbers and shares
in the report's language, and the line that names the scan a report was made from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

import scanner

if TYPE_CHECKING:
    from reports.report import Report


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as None (what templates test with `is none`)."""
    if frame is None or frame.empty:
        return []
    clean = frame.astype(object).where(frame.notna(), None)
    rows: list[dict[str, Any]] = clean.to_dict(orient="records")
    return rows


def missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def scan_fields(report: Report) -> dict[str, str]:
    """The scan's identity in the report's language: id, when, portfolio, policy, version."""
    result, t = report.result, report.t
    return {
        "scan": str(result.scan_id) if result.scan_id is not None else "–",
        "date": t.datetime(result.started_at) if result.started_at else "–",
        "finished": t.datetime(result.finished_at) if result.finished_at else "–",
        "portfolio": result.portfolio or "–",
        "policy": result.policy_name,
        "version": result.tool_version or scanner.__version__,
    }


def generated_line(report: Report) -> str:
    """ "Scan 3 of 27 Nov 2026, 10:00 · portfolio OS2 · policy os2 · os2scan 0.1.0"."""
    fields = scan_fields(report)
    if not report.result.started_at:
        return report.t("generated.undated", **fields)
    return report.t("generated", **fields)


def evidence_rows(report: Report) -> list[dict[str, Any]]:
    """The governance frame's rows, each with its evidence in the report's language."""
    t = report.t
    rows = records(report.governance)
    for row in rows:
        row["evidence_text"] = t(
            f"gov.evidence.{row['criterion']}", n=row["n"], a=row["a"], b=row["b"],
            detail=row["detail"] or "–", standard=row.get("standard") or "–",
        )  # fmt: skip
    return rows


def status_counts(report: Report) -> dict[str, int]:
    """How many products have each status, under the names the "at a glance" text uses."""
    counts = report.summary.products["status"].value_counts()
    return {
        "products": len(report.summary.products),
        "non_compliant": int(counts.get("non-compliant", 0)),
        "warnings": int(counts.get("warnings", 0)),
        "compliant": int(counts.get("compliant", 0)),
        "not_scanned": int(counts.get("not-scanned", 0)),
    }


def code_spans(value: object) -> list[tuple[bool, str]]:
    """Split a text written with `code spans` into (is_code, part) pieces."""
    text = "" if value is None else str(value)
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code at all
        return [(False, text)] if text else []
    return [(index % 2 == 1, part) for index, part in enumerate(parts) if part]
