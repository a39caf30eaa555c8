"""Names and texts from scanned repositories are data: they never become markup, formulas or
links elsewhere, and odd characters do not break a format."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from report_helpers import scan_result, violation

from reports.summary import summarise
from reports.write import write_reports
from scanner.kernel.models import ForgeMetadata, Severity

pytestmark = pytest.mark.security

FORMULA = '=HYPERLINK("https://evil.example","x")'
SCRIPT = "<script>alert(1)</script>.py"


def hostile_result():  # type: ignore[no-untyped-def]
    base = scan_result()
    core = base.repositories[0]
    files = (
        replace(core.files[1], path=FORMULA),
        replace(core.files[2], path=SCRIPT),
        replace(core.files[3], path="docs/a b#c?.md"),
    )
    evil = replace(
        base.repositories[1],
        checkout=replace(
            base.repositories[1].checkout,
            metadata=ForgeMetadata(platform="gitlab", web_url="javascript:alert(1)"),
        ),
    )
    violations = (
        violation("file-header", Severity.ERROR, "OS2mo", "core", FORMULA, 1),
        violation("file-header", Severity.ERROR, "OS2mo", "core", SCRIPT, 2),
        violation("file-header", Severity.WARNING, "OS2mo", "core", "docs/a b#c?.md", 3),
        replace(
            violation("license-file", Severity.ERROR, "OS2mo", "docs", "x.md", 1),
            message="bell \x07 and nul \x00 inside",
        ),
    )
    return scan_result(
        repositories=(replace(core, files=files), evil, *base.repositories[2:]),
        violations=violations,
    )


def test_links_are_quoted_and_only_http(tmp_path: Path) -> None:
    links = summarise(hostile_result()).violations["link"].tolist()
    assert links[2] == (
        "https://github.com/OS2mo/core/blob/" + "c" * 40 + "/docs/a%20b%23c%3F.md#L3"
    )
    assert pd.isna(links[3])  # a javascript: "web_url" gives no link


def test_html_escapes_names(tmp_path: Path) -> None:
    write_reports(hostile_result(), None, tmp_path, ["html"], "en")
    page = (tmp_path / "products" / "os2mo" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.py" in page
    assert "javascript:" not in page


def test_excel_keeps_formulas_as_text_and_drops_control_characters(tmp_path: Path) -> None:
    write_reports(hostile_result(), None, tmp_path, ["xlsx", "csv", "json"], "en")
    book = load_workbook(tmp_path / "report.xlsx")
    sheet = book["Violations"]
    paths = [c.value for c in sheet["E"][1:]]
    assert FORMULA in paths
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    messages = pd.read_excel(tmp_path / "report.xlsx", sheet_name="Violations")["Message"]
    assert "bell \ufffd and nul \ufffd inside" in messages.tolist()
    # CSV neutralises the formula with a leading apostrophe; JSON keeps the data exactly
    assert "'" + FORMULA in pd.read_csv(tmp_path / "violations.csv")["path"].tolist()
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["violations"][3]["message"] == "bell \x07 and nul \x00 inside"
