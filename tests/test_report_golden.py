"""Golden files: the exact output of the document renderers for the test portfolio.

A deliberate change of output is recorded with `OS2SCAN_UPDATE_GOLDEN=1 pytest
tests/test_report_golden.py`, and the diff reviewed; CI (the CI variable set) refuses to
regenerate, so a golden file can only change in a reviewed commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import check_golden, scan_result

from reports.render import OutputFormat, render_document
from reports.write import write_reports


@pytest.mark.parametrize(
    ("fmt", "name"), [(OutputFormat.TEXT, "report.txt"), (OutputFormat.JSON, "check.json")]
)
def test_document_formats_match_their_golden_file(fmt: OutputFormat, name: str) -> None:
    check_golden(name, render_document(fmt, scan_result()))


@pytest.mark.parametrize("name", ["report.md", "report.json", "products.csv", "violations.csv"])
def test_report_files_match_their_golden_file(name: str, tmp_path: Path) -> None:
    previous = scan_result(scan_id=1, violations=scan_result().violations[:1])
    write_reports(scan_result(), previous, tmp_path, ["markdown", "json", "csv"], "en")
    check_golden(name, (tmp_path / name).read_text(encoding="utf-8"))


def test_the_html_site_is_the_same_for_the_same_scan(tmp_path: Path) -> None:
    write_reports(scan_result(), None, tmp_path / "a", ["html"], "en")
    write_reports(scan_result(), None, tmp_path / "b", ["html"], "en")
    for page in (tmp_path / "a").rglob("*.html"):
        twin = tmp_path / "b" / page.relative_to(tmp_path / "a")
        assert page.read_text() == twin.read_text(), page.name
