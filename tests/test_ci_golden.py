"""Golden files of the CI formats for the test portfolio (same switch as test_report_golden:
`OS2SCAN_UPDATE_GOLDEN=1` records a deliberate change, refused when CI is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_helpers import scan_result

from reports.render import OutputFormat, render_document

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [(OutputFormat.SARIF, "report.sarif"), (OutputFormat.CODEQUALITY, "codequality.json")],
)
def test_ci_formats_match_their_golden_file(fmt: OutputFormat, name: str) -> None:
    actual = render_document(fmt, scan_result())
    path = GOLDEN / name
    if os.environ.get("OS2SCAN_UPDATE_GOLDEN"):
        if os.environ.get("CI"):
            pytest.fail("golden files are not regenerated in CI")
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {name}: run with OS2SCAN_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")
