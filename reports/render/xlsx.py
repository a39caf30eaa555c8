"""report.xlsx: one sheet per table, the header row frozen, column widths set to fit."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.render.csv import _join_lists, tables

MAX_WIDTH = 60


def _sheets(report: Any) -> dict[str, pd.DataFrame]:
    s = report.summary
    t = report.t
    sheets = {
        "Products": tables(report)["products"],
        "Repositories": tables(report)["repositories"],
        "Violations": tables(report)["violations"],
        "Files": tables(report)["files"],
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
        for name, frame in _sheets(report).items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
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
