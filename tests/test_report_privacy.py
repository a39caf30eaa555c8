"""Published reports name a local repository as the portfolio does, never by the folder on
the machine that scanned it; Markdown shows values as text, HTML shows how-to-fix code as
code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from report_helpers import scan_result, violation

from reports.write import write_reports
from scanner.kernel.models import Message, Severity

SECRET_FOLDER = "/home/runner/private-work/os2/site"


def _local_result():  # type: ignore[no-untyped-def]
    base = scan_result()
    site = base.repositories[2]
    spec = replace(site.checkout.spec, locator=SECRET_FOLDER, entry="../site")
    site = replace(
        site, checkout=replace(site.checkout, spec=spec, path=Path(SECRET_FOLDER))
    )
    hostile = violation("file-header", Severity.WARNING, "OS2web", "site", "src/<b>x</b>|y.py")
    hostile = replace(
        hostile,
        message="src/<b>x</b>|y.py has *no* header",
        how_to_fix="Add `SPDX-License-Identifier: MPL-2.0` at the top",
        how_to_fix_text=Message("Add `SPDX-License-Identifier: MPL-2.0` at the top"),
    )
    return replace(
        base,
        repositories=(*base.repositories[:2], site, *base.repositories[3:]),
        violations=(*base.violations, hostile),
    )


def test_no_report_shows_the_scanning_machines_folder(tmp_path: Path) -> None:
    write_reports(_local_result(), None, tmp_path, None, "da")
    for file in tmp_path.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert SECRET_FOLDER.encode() not in data, file.name
            assert b"private-work" not in data, file.name
    site_page = tmp_path / "products" / "os2web" / "repositories" / "site" / "index.html"
    page = site_page.read_text(encoding="utf-8")
    assert "<code>../site</code>" in page
    import json

    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    site = next(r for r in data["repositories"] if r["name"] == "site")
    assert site["path"] == "../site"


def test_markdown_shows_values_as_text_and_html_shows_fix_code_as_code(tmp_path: Path) -> None:
    write_reports(_local_result(), None, tmp_path, ["markdown", "html"], "en")
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    outside_code = "".join(markdown.split("`")[::2])
    assert "<b>" not in outside_code
    assert "Add `SPDX-License-Identifier: MPL-2.0` at the top" in markdown
    assert "src/&lt;b&gt;x&lt;/b&gt;\\|y.py has \\*no\\* header" in markdown
    page = (tmp_path / "products" / "os2web" / "index.html").read_text(encoding="utf-8")
    assert "<code>SPDX-License-Identifier: MPL-2.0</code>" in page
    assert "`SPDX-License-Identifier" not in page
    assert "<b>x</b>" not in page
