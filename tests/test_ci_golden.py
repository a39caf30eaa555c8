"""Golden files of the CI formats for the test portfolio (same switch as test_report_golden:
`OS2SCAN_UPDATE_GOLDEN=1` records a deliberate change, refused when CI is set)."""

from __future__ import annotations

import pytest
from report_helpers import check_golden, scan_result

from reports.render import OutputFormat, render_document


@pytest.mark.parametrize(
    ("fmt", "name"),
    [(OutputFormat.SARIF, "report.sarif"), (OutputFormat.CODEQUALITY, "codequality.json")],
)
def test_ci_formats_match_their_golden_file(fmt: OutputFormat, name: str) -> None:
    check_golden(name, render_document(fmt, scan_result()))
