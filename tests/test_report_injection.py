"""What a hostile repository puts in its names, holders and manifests stays data in every report:
no spreadsheet formula in a CSV cell, no HTML in report.md, and SARIF locations that point at
the files that really exist."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hostile_helpers import make_repo, mpl_files, run_cli
from openpyxl import load_workbook

pytestmark = [pytest.mark.scancode, pytest.mark.security]

GPL_HEADER = "# SPDX-License-Identifier: GPL-3.0-only\n# Copyright (c) 2024 {holder}\nx = 1\n"
FORMULA_NAMES = ("=HYPERLINK(1).py", "+SUM(1).py", "-2+3.py", "@SUM(1).py")
TAB_NAME = "tab\there.py"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory, scancode_index: object) -> Path:
    """One real scan of a repository built to inject into reports, written in every format."""
    root = tmp_path_factory.mktemp("reports")
    files = mpl_files("app")
    for name in FORMULA_NAMES:  # at the root, so the path starts like a formula
        files[name] = GPL_HEADER.format(holder="Someone Else")
    files[f"src/{TAB_NAME}"] = GPL_HEADER.format(holder="Someone Else")
    files["package.json"] = json.dumps({"name": "app", "license": IMG})
    repo = make_repo(root / "=repo", files)
    portfolio = root / "portfolio.yaml"
    portfolio.write_text(
        f"name: Hostile\nproducts:\n  - name: '@product'\n    repositories:\n"
        f"      - path: '{repo}'\n",
        encoding="utf-8",
    )
    out = root / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        from scanner.cli import main

        with pytest.raises(SystemExit) as done:
            main(["scan", str(portfolio), "--out", str(out), "--jobs", "1", "--quiet"])
        assert done.value.code == 0
    return out


def _cells(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("table", ["files", "violations", "repositories", "products"])
def test_no_csv_cell_starts_like_a_formula(hostile_reports: Path, table: str) -> None:
    cells = _cells(hostile_reports / f"{table}.csv")
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_formula_like_cells_keep_their_text_behind_an_apostrophe(hostile_reports: Path) -> None:
    files = _cells(hostile_reports / "files.csv")
    violations = _cells(hostile_reports / "violations.csv")
    for name in FORMULA_NAMES:
        assert f"'{name}" in files
        assert f"'{name}" in violations
    assert "'=repo" in violations
    assert "'@product" in violations
    assert "'@product" in _cells(hostile_reports / "products.csv")
    assert "'=repo" in _cells(hostile_reports / "repositories.csv")


def test_excel_keeps_every_string_a_string(hostile_reports: Path) -> None:
    book = load_workbook(hostile_reports / "report.xlsx")
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert "=repo" in values
    assert "@product" in values


def test_report_md_shows_manifest_html_as_text(hostile_reports: Path) -> None:
    text = (hostile_reports / "report.md").read_text(encoding="utf-8")
    assert "onerror" in text  # the finding is there...
    assert "<img" not in text  # ...but as text, never as markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_sarif_uris_name_the_files_that_exist(
    hostile_reports: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo = hostile_reports.parent / "=repo"
    sarif = tmp_path / "report.sarif"
    code, out, err = run_cli(
        capsys, "check", str(repo), "--format", "sarif", "--output", str(sarif), "--jobs", "1"
    )
    assert code == 1, out + err
    uris = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
        for location in result["locations"]
    ]
    assert "src/tab%09here.py" in uris
    for uri in uris:
        if uri in ("publiccode.yml", "LICENSE"):
            continue  # repository-level findings point at the file to add
        assert os.path.lexists(os.fsencode(repo) + b"/" + unquote_to_bytes(uri)), uri
