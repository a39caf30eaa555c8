"""Every report format, written by write_reports and read back with its own reader."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from report_helpers import scan_result

from reports.i18n import Catalogue, default_language, keys
from reports.render import OutputFormat
from reports.render.markdown import render_markdown_result
from reports.write import write_reports
from scanner.kernel.errors import InputError

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    previous = scan_result(scan_id=1, violations=scan_result().violations[:1])
    write_reports(scan_result(), previous, folder, lang="en", history=(previous,))
    return folder


def test_the_default_formats_write_the_design_files(out: Path) -> None:
    for name in (
        "index.html", "report.md", "report.json", "report.xlsx", "products.csv",
        "repositories.csv", "violations.csv", "files.csv",
    ):  # fmt: skip
        assert (out / name).is_file(), name
    assert (out / "products/os2mo/index.html").is_file()
    assert (out / "products/os2mo/repositories/core/index.html").is_file()


def test_write_reports_returns_what_it_wrote(tmp_path: Path) -> None:
    written = write_reports(scan_result(), None, tmp_path / "x", ["csv", "json"], "da")
    assert sorted(p.relative_to(tmp_path / "x").as_posix() for p in written) == [
        "components.csv",
        "content.csv",
        "files.csv",
        "products.csv",
        "report.json",
        "repositories.csv",
        "violations.csv",
    ]
    assert all(p.is_file() for p in written)


def test_products_csv(out: Path) -> None:
    products = pd.read_csv(out / "products.csv", keep_default_na=False)
    assert products["product"].tolist() == ["OS2mo", "OS2web", "OS2gone"]
    assert products["status"].tolist() == ["non-compliant", "compliant", "not-scanned"]
    assert products["score"].tolist() == ["75", "100", ""]
    assert products.loc[0, "declared_licenses"] == "CC-BY-4.0; MPL-2.0"
    assert list(products.columns[:2]) == ["product", "repositories"]


def test_repositories_and_violations_csv(out: Path) -> None:
    repos = pd.read_csv(out / "repositories.csv")
    assert repos.set_index("repository").loc["core", "score"] == 70
    assert repos.set_index("repository").loc["legacy", "status"] == "failed"
    violations = pd.read_csv(out / "violations.csv")
    assert violations["rule"].tolist() == [
        "file-license-conflict",
        "copyright-holder-expected",
        "file-header",
        "docs-license",
    ]
    assert violations["waived"].tolist() == [False, True, False, False]
    assert violations.loc[0, "link"].endswith("/src/lib.py#L1")


def test_files_csv_has_the_design_columns(out: Path) -> None:
    files = pd.read_csv(out / "files.csv")
    assert list(files.columns) == [
        "product",
        "repository",
        "path",
        "kind",
        "license",
        "holders",
        "license_source",
        "skipped",
    ]
    assert len(files) == 8
    logo = files.set_index("path").loc["logo.png"]
    assert (logo["kind"], logo["skipped"]) == ("binary", "binary")


def test_report_json_has_products(out: Path) -> None:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(data) == {"scan", "tool", "policy", "repositories", "violations", "products"}
    first = data["products"][0]
    assert {
        k: first[k]
        for k in (
            "product",
            "repositories",
            "status",
            "errors",
            "warnings",
            "score",
            "declared_licenses",
        )
    } == {
        "product": "OS2mo",
        "repositories": 2,
        "status": "non-compliant",
        "errors": 1,
        "warnings": 1,
        "score": 75,
        "declared_licenses": ["CC-BY-4.0", "MPL-2.0"],
    }


def test_excel_has_a_sheet_per_table_with_a_frozen_header_and_a_filter(out: Path) -> None:
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["Scan", "Products", "Repositories", "Violations", "Files", "Content",
                               "Components", "Licences", "Categories", "Rules", "Governance",
                               "Changes", "Score"]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        for column in range(1, sheet.max_column + 1):
            letter = sheet.cell(1, column).column_letter
            header = str(sheet.cell(1, column).value)
            assert sheet.column_dimensions[letter].width >= len(header), (sheet.title, header)
    products = pd.read_excel(out / "report.xlsx", sheet_name="Products")
    assert products["Score"].tolist()[:2] == [75, 100]
    governance = pd.read_excel(out / "report.xlsx", sheet_name="Governance")
    assert governance.set_index(["Product", "Criterion"]).loc[("OS2mo", "F2"), "Light"] == "red"


def test_excel_shows_shares_as_percentages(out: Path) -> None:
    sheet = load_workbook(out / "report.xlsx")["Products"]
    headers = [c.value for c in sheet[1]]
    share = sheet.cell(2, headers.index("With licence") + 1)
    assert share.number_format == "0%"
    assert 0 <= share.value <= 1


def test_excel_speaks_danish_but_csv_keeps_machine_columns(tmp_path: Path) -> None:
    write_reports(scan_result(), None, tmp_path, ["xlsx", "csv"], "da")
    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames[:4] == ["Scanning", "Produkter", "Repositories", "Overtrædelser"]
    products = pd.read_excel(tmp_path / "report.xlsx", sheet_name="Produkter")
    assert list(products.columns[:2]) == ["Produkt", "Repositories"]
    assert set(products["Status"]) <= {"overholder ikke", "advarsler", "overholder",
                                       "ikke scannet"}  # fmt: skip
    assert "product,repositories," in (tmp_path / "products.csv").read_text(encoding="utf-8")


def test_markdown_report(out: Path) -> None:
    text = (out / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Licence compliance: portfolio.yaml\n")
    assert "| OS2mo | non-compliant | 75 | 1 | 1 | 1 | 2/2 |" in text
    assert "[`src/lib.py:1`](https://github.com/OS2mo/core/blob/" in text
    assert "Scan 2 of 27 Nov 2026, 10:00:00 UTC" in text
    assert "score = 100 − 25" in text
    # waived and info findings are not in the list of things to fix
    assert "`copyright-holder-expected`" not in text.split("## Violations")[1].split("##")[0]


def test_markdown_alone_uses_the_policy_language() -> None:
    assert render_markdown_result(scan_result()).startswith("# Licensoverholdelse")
    assert render_markdown_result(scan_result(policy_name="custom")).startswith("# Licence")


def test_badges_are_svg(out: Path) -> None:
    root = ET.parse(out / "products/os2mo/badge.svg").getroot()
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["licence", "non-compliant · 75"]
    rects = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert rects[1] == "#b3261e"
    failed = ET.parse(out / "products/os2web/repositories/legacy/badge.svg").getroot()
    assert [t.text for t in failed.iter(f"{SVG}text")] == ["licence", "failed"]


def test_spdx_documents_parse_and_validate(out: Path) -> None:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    documents = sorted(out.glob("products/*/repositories/*/sbom.spdx.json"))
    assert [d.relative_to(out).as_posix() for d in documents] == [
        "products/os2mo/repositories/core/sbom.spdx.json",
        "products/os2mo/repositories/docs/sbom.spdx.json",
        "products/os2web/repositories/site/sbom.spdx.json",
    ]
    document = parse_file(str(documents[0]))
    assert validate_full_spdx_document(document) == []
    assert document.creation_info.spdx_version == "SPDX-2.3"
    package = document.packages[0]
    assert package.name == "core"
    assert str(package.license_declared) == "MPL-2.0"
    files = {f.name: f for f in document.files}
    assert set(files) == {"./LICENSE", "./src/app.py", "./src/lib.py", "./src/util.py"}
    assert str(files["./src/lib.py"].license_concluded) == "GPL-3.0-only"
    assert files["./src/lib.py"].copyright_text == "Copyright (c) Vendor ApS"


def test_spdx_declares_scancode_licence_refs(tmp_path: Path) -> None:
    from dataclasses import replace

    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    base = scan_result()
    core = base.repositories[0]
    ref = "LicenseRef-scancode-proprietary-license"
    odd = replace(core.files[3], license_expression=f"MIT AND {ref}")
    repo_dir = tmp_path / "core"
    (repo_dir / "src").mkdir(parents=True)
    (repo_dir / "src" / "util.py").write_text("print('hi')\n")
    checkout = replace(core.checkout, path=repo_dir)
    result = scan_result(
        repositories=(replace(core, checkout=checkout, files=(*core.files[:3], odd)),)
    )
    write_reports(result, None, tmp_path / "out", ["spdx"], "en")
    document = parse_file(str(tmp_path / "out/products/os2mo/repositories/core/sbom.spdx.json"))
    assert validate_full_spdx_document(document) == []
    assert [e.license_id for e in document.extracted_licensing_info] == [ref]
    import hashlib

    util = next(f for f in document.files if f.name == "./src/util.py")
    assert util.checksums[0].value == hashlib.sha1(b"print('hi')\n").hexdigest()


def test_every_catalogue_entry_has_both_languages() -> None:
    for key in keys():
        assert Catalogue("da")(key) or key == "html.lang"
        assert Catalogue("en")(key)
    assert default_language("os2") == "da"
    assert default_language("company") == "en"


def test_bad_format_or_language_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown format"):
        write_reports(scan_result(), None, tmp_path, ["pdf"], "en")
    with pytest.raises(InputError, match="unknown language"):
        write_reports(scan_result(), None, tmp_path, [OutputFormat.CSV], "fr")


def test_an_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the reports"):
        write_reports(scan_result(), None, blocker / "out", ["csv"], "en")


def test_an_empty_scan_still_renders(tmp_path: Path) -> None:
    empty = scan_result(repositories=(), violations=())
    written = write_reports(empty, None, tmp_path, None, "en")
    assert (tmp_path / "index.html").is_file()
    assert json.loads((tmp_path / "report.json").read_text())["products"] == []
    assert len(written) >= 8


def test_every_licence_category_kind_and_source_is_translated() -> None:
    from scanner.kernel import licenses
    from scanner.kernel.models import FileKind, LicenseSource

    categories = [
        licenses.PERMISSIVE, licenses.COPYLEFT, licenses.COPYLEFT_LIMITED,
        licenses.PUBLIC_DOMAIN, licenses.PROPRIETARY_FREE, licenses.COMMERCIAL,
        licenses.SOURCE_AVAILABLE, licenses.FREE_RESTRICTED, licenses.UNSTATED,
        licenses.UNKNOWN_CATEGORY, "None",
    ]  # fmt: skip
    wanted = [f"category.{c}" for c in categories]
    wanted += [f"kind.{k.value}" for k in FileKind]
    wanted += [f"source.{s.value}" for s in LicenseSource]
    assert [k for k in wanted if k not in keys()] == []


def test_the_text_report_keeps_control_characters_from_driving_the_terminal() -> None:
    from dataclasses import replace

    from reports.render.text import render_text

    result = scan_result()
    hostile = replace(result.violations[0], path="evil\x1b]0;owned\x07\nfake: error x")
    text = render_text(replace(result, violations=(hostile,)))

    assert "\x1b" not in text
    assert "\x07" not in text
    assert "evil\\x1b]0;owned\\x07\\x0afake: error x" in text
    assert len(text.splitlines()) == 2 + len(result.failed)


def test_cyclonedx_sboms_validate_with_the_librarys_validator(out: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    documents = sorted(out.glob("products/*/repositories/*/sbom.cdx.json"))
    assert [d.relative_to(out).as_posix() for d in documents] == [
        "products/os2mo/repositories/core/sbom.cdx.json",
        "products/os2mo/repositories/docs/sbom.cdx.json",
        "products/os2web/repositories/site/sbom.cdx.json",
    ]
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    for document in documents:
        assert validator.validate_str(document.read_text(encoding="utf-8")) is None, document
    bom = json.loads(documents[0].read_text(encoding="utf-8"))
    subject = bom["metadata"]["component"]
    assert (subject["group"], subject["name"], subject["version"]) == ("OS2mo", "core", "c" * 40)
    assert subject["copyright"] == "OS2\nVendor ApS"
    files = {c["name"]: c for c in subject["components"]}
    assert files["src/lib.py"]["licenses"] == [{"expression": "GPL-3.0-only"}]
    assert files["src/lib.py"]["copyright"] == "Copyright (c) Vendor ApS"
    properties = {p["name"]: p["value"] for p in bom["metadata"]["properties"]}
    assert properties["os2scan:scan"] == "2"
    assert properties["os2scan:policy"] == "os2"
    from reports.render.cyclonedx import render_repository

    result = scan_result()
    assert render_repository(result, result.repositories[0]) == documents[0].read_text("utf-8")
