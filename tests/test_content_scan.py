"""A product repository holding a commercial JAR, an OFL font, agency photos, documents and a
zip bomb, scanned end to end: the findings show in the rules, files.csv, report.json, content.csv
and the HTML repository page (in real Chromium)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from ci_helpers import MPL_TEXT
from conftest import make_repo, run_cli
from content_helpers import (
    commercial_jar,
    docx_with_properties,
    jpeg_with_exif,
    pdf_with_info,
    png_with_xmp,
    ttf_font,
    xmp_packet,
    zeros_zip,
)

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.scancode

JAR = "lib/nordlys-theme.jar"
FONT = "fonts/FjordSans-Regular.ttf"
PHOTO = "img/borgerservice.jpg"
HARBOUR = "img/havn.png"
PDF = "docs/vejledning.pdf"
DOCX = "docs/manual.docx"
BOMB = "data/zeros.zip"
#: A photo whose name and copyright are full of Markdown and HTML: shown as text everywhere.
MARKED = "img/foto_[1].jpg"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, scancode_index: object) -> Path:
    base = tmp_path_factory.mktemp("content-scan")
    zeros = zeros_zip(base / "zeros.zip")
    make_repo(
        base / "borgerportal",
        {
            "LICENSE": MPL_TEXT,
            "src/app.py": "# SPDX-FileCopyrightText: 2024 OS2\n# SPDX-License-Identifier: "
            "MPL-2.0\nprint('hej')\n",
            JAR: commercial_jar(),
            FONT: ttf_font(),
            PHOTO: jpeg_with_exif("Copyright 2022 Ritzau Scanpix", "Jens Hansen"),
            HARBOUR: png_with_xmp(
                xmp_packet(
                    "Copyright 2021 Nordisk Billedbureau",
                    "https://creativecommons.org/licenses/by/4.0/",
                )
            ),
            PDF: pdf_with_info({"/Author": "Jens Jensen", "/Company": "Konsulenthuset ApS"}),
            DOCX: docx_with_properties(creator="Anne Berg", company="Konsulenthuset ApS"),
            BOMB: zeros.read_bytes(),
            MARKED: jpeg_with_exif("Foto*Nord* | <b>Nordlys Billeder ApS</b> 2021"),
        },
    )
    (base / "portfolio.yaml").write_text(
        "name: OS2\nproducts:\n  - name: OS2borgerportal\n    repositories:\n"
        "      - path: borgerportal\n",
        encoding="utf-8",
    )
    return base


@pytest.fixture(scope="module")
def reports(scanned: Path) -> Path:
    out = scanned / "out"
    capsys = _NoCapture()
    code, _out, err = run_cli(
        capsys,  # type: ignore[arg-type]
        "scan", str(scanned / "portfolio.yaml"), "--db", str(scanned / "db.sqlite"),
        "--out", str(out), "--jobs", "1", "--quiet", "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    return out


class _NoCapture:
    """run_cli's capsys for a module fixture: the reports are what is checked, not stdout."""

    def readouterr(self) -> tuple[str, str]:
        return "", ""


def _repository(out: Path) -> dict:  # type: ignore[type-arg]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report["repositories"][0] | {"violations": report["violations"]}


def _content(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {c["path"]: c for c in _repository(out)["content"]}


def test_a_commercial_licence_inside_a_jar_is_an_error_at_the_jar_with_its_inner_path(
    reports: Path,
) -> None:
    errors = [v for v in _repository(reports)["violations"] if v["severity"] == "error"]
    assert [(v["rule"], v["path"]) for v in errors] == [("component-license", JAR)]
    (error,) = errors
    assert "commercial" in error["license"]
    assert f"(stated in {JAR}!/META-INF/LICENSE.txt)" in error["message"]
    assert f"{JAR}!/META-INF/LICENSE.txt" in error["files"]


def test_the_jar_the_font_and_the_cc_by_photo_are_components(reports: Path) -> None:
    components = {c["path"]: c for c in _repository(reports)["components"]}
    jar = components[JAR]
    assert (jar["kind"], jar["name"], jar["version"]) == ("archive", "nordlys-theme", "4.2.0")
    assert "commercial" in jar["license"]
    assert jar["holders"] == ["Nordlys Design A/S"]  # its LICENSE.txt
    assert (components["fonts"]["kind"], components["fonts"]["license"]) == ("fonts", "OFL-1.1")
    harbour = components[HARBOUR]
    assert (harbour["kind"], harbour["license"]) == ("content", "CC-BY-4.0")
    assert harbour["holders"] == ["Nordisk Billedbureau"]
    assert PHOTO not in components  # no licence: the content-owner warning below
    table = pd.read_csv(reports / "components.csv", keep_default_na=False).set_index("path")
    assert table.loc[JAR, "kind"] == "archive"
    assert table.loc[JAR, "license_source"] == "META-INF/LICENSE.txt"  # inside the JAR
    assert table.loc[JAR, "holders"].startswith("Nordlys Design A/S")
    assert table.loc[HARBOUR, "license"] == "CC-BY-4.0"


def test_the_font_shows_its_licence_and_foundry_in_files_csv_and_json(reports: Path) -> None:
    files = pd.read_csv(reports / "files.csv", keep_default_na=False).set_index("path")
    assert files.loc[FONT, "license"] == "OFL-1.1"
    assert files.loc[FONT, "holders"] == "The Fjord Type Foundry"

    font = _content(reports)[FONT]
    assert font["format"] == "ttf"
    assert font["license"] == "OFL-1.1"
    assert font["holders"] == ["The Fjord Type Foundry"]
    foundry = {"kind": "organisation", "field": "name ID 8 (manufacturer)",
               "value": "The Fjord Type Foundry", "license": None, "holder": None}  # fmt: skip
    assert foundry in font["evidence"]


def test_photos_show_their_holders_and_licence(reports: Path) -> None:
    content = _content(reports)
    assert content[PHOTO]["holders"] == ["Ritzau Scanpix"]
    assert content[PHOTO]["license"] is None
    assert content[HARBOUR]["holders"] == ["Nordisk Billedbureau"]
    assert content[HARBOUR]["license"] == "CC-BY-4.0"

    warned = {
        v["path"]: v["message"]
        for v in _repository(reports)["violations"]
        if v["rule"] == "content-owner"
    }
    assert set(warned) == {PHOTO, MARKED}  # the CC-BY photo is a component, openly licensed
    assert "Ritzau Scanpix" in warned[PHOTO]
    assert "EXIF Copyright" in warned[PHOTO]
    assert "FotoNord | Nordlys Billeder ApS (EXIF Copyright)" in warned[MARKED]  # no markup
    assert content[MARKED]["holders"] == ["FotoNord | Nordlys Billeder ApS"]


def test_document_authors_and_companies_are_evidence_not_holders(reports: Path) -> None:
    content = _content(reports)
    pdf = {e["field"]: e["value"] for e in content[PDF]["evidence"]}
    docx = {e["field"]: e["value"] for e in content[DOCX]["evidence"]}
    assert pdf["PDF Author"] == "Jens Jensen"
    assert pdf["PDF Company"] == "Konsulenthuset ApS"
    assert docx["core dc:creator"] == "Anne Berg"
    assert docx["app Company"] == "Konsulenthuset ApS"
    assert "Konsulenthuset ApS" not in _repository(reports)["copyright_holders"]


def test_a_gibibyte_of_zeros_is_recorded_incomplete(reports: Path) -> None:
    bomb = _content(reports)[BOMB]
    assert "compression ratio" in bomb["incomplete"]
    files = pd.read_csv(reports / "files.csv", keep_default_na=False).set_index("path")
    assert "compression ratio" in files.loc[BOMB, "skipped"]


def test_content_csv_lists_the_files_inside_archives(reports: Path) -> None:
    content = pd.read_csv(reports / "content.csv", keep_default_na=False).set_index("path")
    assert "commercial" in content.loc[f"{JAR}!/META-INF/LICENSE.txt", "license"]
    # the holder its LICENSE.txt names, cleaned as the archive's own: no closing full stop
    assert content.loc[f"{JAR}!/META-INF/LICENSE.txt", "holders"] == "Nordlys Design A/S"
    assert content.loc[JAR, "holders"] == "Nordlys Design A/S"
    assert "Implementation-Vendor" in content.loc[JAR, "evidence"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_the_repository_page_shows_the_content_table(reports: Path) -> None:
    from playwright.sync_api import sync_playwright

    from reports.links import SiteLinks

    links = SiteLinks.of([("OS2borgerportal", "borgerportal")])
    page_file = reports / links.repository_page("OS2borgerportal", "borgerportal")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(page_file.as_uri())
        rows = page.locator("section[aria-labelledby=content] tbody tr").all_inner_texts()
        violations = page.locator("section[aria-labelledby=violations]").inner_text()
        component_rows = page.locator(
            "section[aria-labelledby=components] tbody tr"
        ).all_inner_texts()
        browser.close()
    by_path = {row.split("\t")[0]: row for row in rows}
    assert "OFL-1.1" in by_path[FONT]
    assert "The Fjord Type Foundry" in by_path[FONT]
    assert "Ritzau Scanpix" in by_path[PHOTO]
    assert "CC-BY-4.0" in by_path[HARBOUR]
    assert "Konsulenthuset ApS" in by_path[PDF]
    assert "compression ratio" in by_path[BOMB]
    assert "commercial" in by_path[f"{JAR}!/META-INF/LICENSE.txt"]
    assert f"{JAR}!/META-INF/LICENSE.txt" in violations
    components = {row.split("\t")[2]: row for row in component_rows}
    assert "archive" in components[JAR]
    assert "META-INF/LICENSE.txt" in components[JAR]
    assert "nordlys-theme" in components[JAR]
    assert "Nordlys Design A/S" in components[JAR]
    assert "OFL-1.1" in components["fonts"]
    assert "The Fjord Type Foundry" in components["fonts"]
    assert "third-party content" in components[HARBOUR]
    assert "Nordisk Billedbureau" in components[HARBOUR]
    assert "not read in full: " in components[BOMB]
    assert "compression ratio" in components[BOMB]


def test_the_excel_report_has_a_content_sheet_and_the_archives_as_components(
    reports: Path,
) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(reports / "report.xlsx", read_only=False)
    sheet = workbook["Content"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Product", "Repository", "Path", "Format", "Licence", "Copyright holders", "Evidence",
        "Incomplete",
    )  # fmt: skip
    by_path = {row[2]: row for row in rows[1:]}
    assert "commercial" in by_path[f"{JAR}!/META-INF/LICENSE.txt"][4]
    assert by_path[FONT][4] == "OFL-1.1"
    assert by_path[FONT][5] == "The Fjord Type Foundry"
    assert "compression ratio" in by_path[BOMB][7]
    assert "Konsulenthuset ApS" in by_path[DOCX][6]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions

    components = list(workbook["Components"].iter_rows(values_only=True))
    header = components[0]
    kinds = {row[header.index("Path")]: row[header.index("Kind")] for row in components[1:]}
    assert kinds[JAR] == "archive"
    assert kinds[BOMB] == "archive"
    assert kinds[HARBOUR] == "third-party content"


def test_report_md_has_the_content_table_with_every_value_escaped(reports: Path) -> None:
    markdown = (reports / "report.md").read_text(encoding="utf-8")
    section = markdown[markdown.index("## Content") :]
    rows = [line for line in section.splitlines() if line.startswith("| OS2borgerportal")]
    by_path = {re.sub(r"`+ ?| ?`+", "", row.split(" | ")[2]): row for row in rows}
    assert "OFL-1.1" in by_path[FONT]
    assert "The Fjord Type Foundry" in by_path[FONT]
    assert "compression ratio" in by_path[BOMB]
    assert "commercial" in by_path[f"{JAR}!/META-INF/LICENSE.txt"]
    marked = by_path[MARKED]
    assert "<b>" not in markdown  # no HTML from a file's metadata reaches the page
    assert "&lt;b&gt;Nordlys Billeder ApS&lt;/b&gt;" in marked  # the statement as written
    assert "Foto\\*Nord\\*" in marked
    assert "\\|" in marked  # a | in a holder does not split the table cell
    components = markdown[markdown.index("## Components") : markdown.index("## Content")]
    assert f"`{JAR}` | archive |" in components


def test_the_spdx_and_cyclonedx_documents_have_a_package_per_archive(reports: Path) -> None:
    from reports.links import SiteLinks

    links = SiteLinks.of([("OS2borgerportal", "borgerportal")])
    spdx = json.loads(
        (reports / links.repository_spdx("OS2borgerportal", "borgerportal")).read_text("utf-8")
    )
    packages = {p["name"]: p for p in spdx["packages"]}
    assert "commercial" in packages["nordlys-theme"]["licenseDeclared"]
    assert packages["nordlys-theme"]["versionInfo"] == "4.2.0"
    assert "Nordisk Billedbureau" in packages["havn.png"]["copyrightText"]

    bom = json.loads(
        (reports / links.repository_cyclonedx("OS2borgerportal", "borgerportal")).read_text(
            "utf-8"
        )
    )
    parts = {c["name"]: c for c in bom["metadata"]["component"]["components"]}
    theme = parts["nordlys-theme"]
    kind = {p["name"]: p["value"] for p in theme["properties"]}["os2scan:component-kind"]
    assert (kind, theme["version"]) == ("archive", "4.2.0")
    assert "Nordlys Design A/S" in theme["copyright"]
