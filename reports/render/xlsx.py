"""report.xlsx: one sheet per table, the header row frozen, column widths set to fit."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.render.csv import _join_lists, tables

MAX_WIDTH = 60
MAX_ROWS = 1_048_575  # Excel's limit, less the header row
MAX_CELL = 32_767


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


def _sheets(report: Any) -> dict[str, pd.DataFrame]:
    s = report.summary
    t = report.t
    sheets = {
        "Products": tables(report)["products"],
        "Repositories": tables(report)["repositories"],
        "Violations": tables(report)["violations"],
        "Files": tables(report)["files"],
        "Components": tables(report)["components"],
        "Licences": s.licenses,
        "Categories": s.categories,
        "Rules": s.rules,
        "Governance": report.governance[["product", "criterion", "light", "evidence"]],
    }
    if s.changes is not None:
        sheets["Changes"] = s.changes
    sheets["Score"] = pd.DataFrame({"score": [t("text.score_formula")]})
    return {name: _join_lists(frame) for name, frame in sheets.items()}


def render_xlsx(report: Any) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, full in _sheets(report).items():
            frame = full.head(MAX_ROWS).astype(object).map(_clean)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            _as_text(sheet)
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for index, column in enumerate(frame.columns, start=1):
                values = frame[column].astype(str).str.len()
                longest = max([len(str(column)), *values.tolist()]) if len(values) else len(column)
                width = min(MAX_WIDTH, longest + 2)
                sheet.column_dimensions[get_column_letter(index)].width = width
    return buffer.getvalue()


def xlsx_files(report: Any) -> dict[str, str | bytes]:
    return {"report.xlsx": render_xlsx(report)}
