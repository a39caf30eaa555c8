"""report.xlsx: one sheet per table for governance staff to filter and sort in Excel.

Every sheet has its header row frozen, an autofilter over all its columns, widths set to fit
and shares (licence and copyright coverage) formatted as percentages. Headers, sheet names and
the words in the cells (statuses, severities, lights, file kinds, messages) are in the report's
language; the CSV files keep the machine column names. The first sheet names the scan.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.components import evidence_text
from reports.render.common import scan_fields
from reports.render.csv import join_lists, tables
from rules.texts import unchecked_reason

if TYPE_CHECKING:
    from reports.i18n import Catalogue
    from reports.report import Report

MAX_WIDTH = 60
MAX_ROWS = 1_048_575  # Excel's limit, less the header row
MAX_CELL = 32_767
PERCENT_FORMAT = "0%"
SHARE_COLUMNS = frozenset({"license_share", "copyright_share"})
#: columns whose values are words of the catalogue: column -> key prefix
_WORDS = {
    "status": "status.",
    "severity": "severity.",
    "light": "light.",
    "change": "change.",
    "kind": "kind.",
    "license_source": "source.",
}
#: columns holding a skip reason (`FileFinding.skipped`)
_REASONS = ("skipped", "incomplete")


def _clean(value: object) -> object:
    """Text Excel accepts: no control characters, not too long."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:MAX_CELL]
    return value


def _as_text(sheet: Any) -> None:
    """openpyxl turns any text starting with "=" into a formula; a file named "=cmd|..." in a
    scanned repository must stay text in the workbook."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _localise(frame: pd.DataFrame, t: Catalogue) -> pd.DataFrame:
    out = frame.copy()
    for column, prefix in _WORDS.items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, p=prefix: t.get(f"{p}{v}", str(v)) if isinstance(v, str) else v
            )
    for column in _REASONS:
        if column in out.columns:
            out[column] = out[column].map(
                lambda v: t.text(unchecked_reason(v)) if isinstance(v, str) and v else v
            )
    return out


def _scan_sheet(report: Report) -> pd.DataFrame:
    t, fields = report.t, scan_fields(report)
    rows = [
        (t("col.scan"), fields["scan"]),
        (t("col.kind_of_scan"), t(f"scan.{report.result.kind.value}")),
        (t("col.started_at"), fields["date"]),
        (t("col.finished_at"), fields["finished"]),
        (t("col.portfolio"), fields["portfolio"]),
        (t("col.policy"), fields["policy"]),
        (t("col.tool_version"), fields["version"]),
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def _sheets(report: Report) -> dict[str, pd.DataFrame]:
    """sheet key -> frame with machine column names (translated when written)."""
    s = report.summary
    table = tables(report)
    violations = table["violations"].copy()
    violations["message"] = report.violations["message_local"].to_numpy()
    violations["how_to_fix"] = report.violations["how_to_fix_local"].to_numpy()
    governance = pd.DataFrame(
        [
            {k: row[k] for k in ("product", "criterion", "light")}
            | {"evidence": row["evidence_text"]}
            for row in _evidence(report)
        ],
        columns=["product", "criterion", "light", "evidence"],
    )
    sheets = {
        "scan": _scan_sheet(report),
        "products": table["products"],
        "repositories": table["repositories"],
        "violations": violations,
        "files": table["files"],
        "content": table["content"],
        "components": _component_kinds(table["components"], report.t),
        "licenses": s.licenses,
        "categories": s.categories,
        "rules": s.rules,
        "governance": governance,
    }
    if s.changes is not None:
        sheets["changes"] = s.changes
    sheets["score"] = pd.DataFrame({"formula": [report.t("text.score_formula")]})
    return {name: _localise(join_lists(frame), report.t) for name, frame in sheets.items()}


def _component_kinds(frame: pd.DataFrame, t: Catalogue) -> pd.DataFrame:
    """The components with their kind and evidence in words (a component kind is not a file
    kind)."""
    out = frame.copy()
    out["kind"] = out["kind"].map(lambda v: t.get(f"component.{v}", str(v)))
    out["evidence"] = out["evidence"].map(lambda v: t.text(evidence_text(v)) if v else v)
    return out


def _evidence(report: Report) -> list[dict[str, Any]]:
    from reports.render.common import evidence_rows

    return evidence_rows(report)


def render_xlsx(report: Report) -> bytes:
    t = report.t
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, full in _sheets(report).items():
            frame = full.head(MAX_ROWS).astype(object).map(_clean)
            headers = [t(f"col.{c}") for c in frame.columns]
            name = t(f"sheet.{key}")[:31]
            frame.set_axis(headers, axis=1).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            _as_text(sheet)
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = sheet.dimensions
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for index, column in enumerate(frame.columns, start=1):
                letter = get_column_letter(index)
                if column in SHARE_COLUMNS:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                        cell.number_format = PERCENT_FORMAT
                    values = pd.Series(["100%"] * min(len(frame), 1))
                else:
                    values = frame[column].astype(str)
                longest = max([len(headers[index - 1]), *values.str.len().tolist()])
                sheet.column_dimensions[letter].width = min(MAX_WIDTH, longest + 2)
    return buffer.getvalue()


def xlsx_files(report: Report) -> dict[str, str | bytes]:
    return {"report.xlsx": render_xlsx(report)}
