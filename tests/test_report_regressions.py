"""`os2scan regressions`: the products that turned non-compliant since the previous scan, as
the text of an issue, and nothing when none did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_cli as run
from report_helpers import save_scan, scan_result, violation

from reports.regressions import find_regressions, issue_body
from scanner.kernel.models import Severity
from scanner.store import Store

HOSTILE = "<img src=x onerror=alert(1)>|[x](javascript:1)"


def test_only_products_that_were_not_non_compliant_before_are_news() -> None:
    now = scan_result()  # OS2mo has an error, OS2web none
    before = scan_result(scan_id=1, violations=())

    [regression] = find_regressions(now, before)

    assert regression.product == "OS2mo"
    assert regression.status_before == "compliant"
    assert [(e.repository, e.path, e.rule) for e in regression.errors] == [
        ("core", "src/lib.py", "file-license-conflict")
    ]
    assert find_regressions(now, replace(now, scan_id=1)) == []  # non-compliant both times


def test_the_issue_names_the_scans_links_the_page_and_escapes_what_repositories_say() -> None:
    hostile = violation("file-license-conflict", Severity.ERROR, "OS2mo", "core", HOSTILE, 1)
    now = scan_result(violations=(*scan_result().violations, hostile))
    before = scan_result(scan_id=1, violations=())

    body = issue_body(find_regressions(now, before), now, before, "https://os2.example/r/")

    assert body.startswith("# Licence compliance: OS2mo turned non-compliant (scan 2)\n")
    assert "compared with scan 1" in body
    assert "Details: https://os2.example/r/products/os2mo/index.html" in body
    assert "<img" not in body
    assert "](javascript" not in body
    assert r"&lt;img src=x onerror=alert\(1\)&gt;\|\[x\]\(javascript:1\)" in body
    rows = [line for line in body.splitlines() if line.startswith("| core")]
    assert len(rows) == 2
    assert all(row.count(" | ") == 3 for row in rows)


def test_the_command_writes_the_issue_only_when_a_product_turned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, issue = tmp_path / "db.sqlite", tmp_path / "issue.md"
    with Store.open(db) as store:
        save_scan(store, scan_result(violations=()))
    code, out, err = run(capsys, "regressions", "--db", str(db), "--output", str(issue))
    assert (code, issue.exists()) == (0, False), err
    assert "first of its portfolio" in out

    with Store.open(db) as store:
        save_scan(store, scan_result(violations=()))
    code, out, _ = run(capsys, "regressions", "--db", str(db), "--output", str(issue))
    assert (code, issue.exists()) == (0, False)
    assert "No product turned non-compliant between scan 1 and scan 2" in out

    with Store.open(db) as store:
        save_scan(store, scan_result())
    code, out, err = run(capsys, "regressions", "--db", str(db), "--output", str(issue))
    assert code == 0, err
    assert "OS2mo" in out
    assert issue.read_text(encoding="utf-8").startswith("# Licence compliance: OS2mo turned")

    code, _, err = run(capsys, "regressions", "--db", str(tmp_path / "none.sqlite"), "-o", "x")
    assert code == 2
    assert "no such database" in err
    assert len(err.strip().splitlines()) == 1
