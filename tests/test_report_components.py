"""Components in every report: JSON, components.csv, the Excel sheet, HTML, Markdown and SPDX.

The scan is the report tests' sample with one component added to the first repository: a
vendored editor whose licence does not fit, reported as one finding listing its files.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from report_helpers import _file, scan_result

from reports.write import write_reports
from scanner.kernel.models import Component, ComponentKind, FileKind, Severity, Violation

EDITOR = Component(
    name="quillwork",
    path="web/vendor/quillwork",
    kind=ComponentKind.LICENSED_FOLDER,
    version="2.1.0",
    license="GPL-2.0-or-later",
    license_source="LICENSE.md",
    holders=("Quill Works Ltd.",),
    files=2,
    evidence="web/vendor/quillwork/LICENSE.md",
)
EDITOR_FILES = ("web/vendor/quillwork/LICENSE.md", "web/vendor/quillwork/core.js")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = scan_result()
    core = base.repositories[0]
    files = (
        *core.files,
        _file(EDITOR_FILES[0], FileKind.VENDORED, "GPL-2.0-or-later", ("Quill Works Ltd.",)),
        _file(EDITOR_FILES[1], FileKind.VENDORED, "GPL-2.0-or-later", ("Quill Works Ltd.",)),
        _file("tests/fixtures/gpl.c", FileKind.TEST),
    )
    core = replace(core, files=files, facts=replace(core.facts, components=(EDITOR,)))
    finding = Violation(
        rule="component-license",
        severity=Severity.ERROR,
        product="OS2mo",
        repository="core",
        path=EDITOR.path,
        line=None,
        license="GPL-2.0-or-later",
        message="Component quillwork 2.1.0 (web/vendor/quillwork, 2 files) is under "
        "GPL-2.0-or-later, which does not fit MPL-2.0.",
        how_to_fix="Replace the component.",
        files=EDITOR_FILES,
    )
    result = replace(
        base,
        repositories=(core, *base.repositories[1:]),
        violations=(*base.violations, finding),
    )
    target = tmp_path_factory.mktemp("components-report")
    write_reports(result, None, target, None, "en")
    write_reports(result, None, target / "da", ["html", "markdown", "xlsx"], "da")
    return target


def test_report_json_lists_the_component_and_the_files_of_its_finding(out: Path) -> None:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    core = next(r for r in report["repositories"] if r["name"] == "core")
    assert core["components"] == [
        {
            "name": "quillwork",
            "version": "2.1.0",
            "path": "web/vendor/quillwork",
            "kind": "licensed-folder",
            "license": "GPL-2.0-or-later",
            "license_source": "LICENSE.md",
            "holders": ["Quill Works Ltd."],
            "files": 2,
            "evidence": "web/vendor/quillwork/LICENSE.md",
        }
    ]
    (finding,) = [v for v in report["violations"] if v["rule"] == "component-license"]
    assert finding["files"] == list(EDITOR_FILES)


def test_components_csv_and_the_excel_sheet_have_one_row_per_component(out: Path) -> None:
    from openpyxl import load_workbook

    rows = list(csv.DictReader(io.StringIO((out / "components.csv").read_text("utf-8"))))
    assert rows == [
        {
            "product": "OS2mo",
            "repository": "core",
            "name": "quillwork",
            "version": "2.1.0",
            "path": "web/vendor/quillwork",
            "kind": "licensed-folder",
            "license": "GPL-2.0-or-later",
            "license_source": "LICENSE.md",
            "holders": "Quill Works Ltd.",
            "files": "2",
            "evidence": "web/vendor/quillwork/LICENSE.md",
        }
    ]
    sheet = load_workbook(out / "report.xlsx")["Components"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["Product", "Repository", "Name", "Version", "Path", "Kind"]
    assert values[1][:6] == [
        "OS2mo", "core", "quillwork", "2.1.0", "web/vendor/quillwork",
        "folder with its own licence",
    ]  # fmt: skip


def test_html_pages_list_components_and_the_files_of_a_finding(out: Path) -> None:
    page = (out / "products/os2mo/repositories/core/index.html").read_text(encoding="utf-8")
    assert 'id="components"' in page
    assert "<code>web/vendor/quillwork</code>" in page
    assert "<summary>2 files</summary>" in page
    assert "<code>web/vendor/quillwork/core.js</code>" in page
    product = (out / "products/os2mo/index.html").read_text(encoding="utf-8")
    assert "quillwork" in product
    other = (out / "products/os2mo/repositories/docs/index.html").read_text(encoding="utf-8")
    assert "No components found." in other


def test_report_md_has_a_components_table(out: Path) -> None:
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "## Components" in text
    assert (
        "| OS2mo | core | quillwork | 2.1.0 | `web/vendor/quillwork` | folder with its own licence "
        "| GPL-2.0-or-later | LICENSE.md | Quill Works Ltd. | 2 | web/vendor/quillwork/LICENSE.md |"
    ) in text


def test_spdx_has_a_package_per_component_that_the_repository_contains(out: Path) -> None:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    document = parse_file(str(out / "products/os2mo/repositories/core/sbom.spdx.json"))
    assert validate_full_spdx_document(document) == []
    repository, editor = document.packages
    assert (editor.name, editor.version, str(editor.license_declared)) == (
        "quillwork", "2.1.0", "GPL-2.0-or-later"
    )  # fmt: skip
    contains = {
        (r.spdx_element_id, r.related_spdx_element_id)
        for r in document.relationships
        if r.relationship_type.name == "CONTAINS"
    }
    assert (repository.spdx_id, editor.spdx_id) in contains
    by_name = {f.name: f.spdx_id for f in document.files}
    assert (editor.spdx_id, by_name["./web/vendor/quillwork/core.js"]) in contains
    assert (repository.spdx_id, by_name["./src/app.py"]) in contains
    assert (repository.spdx_id, by_name["./web/vendor/quillwork/core.js"]) not in contains


def test_cyclonedx_has_each_component_as_a_library_holding_its_files(out: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (out / "products/os2mo/repositories/core/sbom.cdx.json").read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    repository = json.loads(text)["metadata"]["component"]
    libraries = [c for c in repository["components"] if c["type"] == "library"]
    assert [(c["name"], c["version"]) for c in libraries] == [("quillwork", "2.1.0")]
    (editor,) = libraries
    assert editor["licenses"] == [{"expression": "GPL-2.0-or-later"}]
    assert editor["copyright"] == "Quill Works Ltd."
    properties = {p["name"]: p["value"] for p in editor["properties"]}
    assert properties["os2scan:component-kind"] == "licensed-folder"
    assert properties["os2scan:path"] == "web/vendor/quillwork"
    assert sorted(f["name"] for f in editor["components"]) == sorted(EDITOR_FILES)
    own = {c["name"] for c in repository["components"] if c["type"] == "file"}
    assert "src/app.py" in own
    assert not own & set(EDITOR_FILES)


def test_the_danish_report_names_components_in_danish(out: Path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(out / "da" / "report.xlsx")["Komponenter"]
    header, row = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert header[:6] == ["Produkt", "Repository", "Navn", "Version", "Sti", "Art"]
    assert row[5] == "mappe med egen licens"
    assert row[7] == "LICENSE.md"  # a file name stays as it is
    page = (out / "da/products/os2mo/repositories/core/index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"components\">Komponenter</h2>" in page
    assert "<summary>2 filer</summary>" in page
    markdown = (out / "da" / "report.md").read_text(encoding="utf-8")
    assert "## Komponenter" in markdown
    assert "mappe med egen licens" in markdown
