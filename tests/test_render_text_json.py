"""The JSON and text reports of `check` and `report.json` follow their contracts
(docs/architecture.md, "Output contracts")."""

from __future__ import annotations

import json

import pytest
from report_helpers import scan_result, violation

from reports.render import OutputFormat, render_document
from reports.render.json import render_json
from reports.render.text import render_text
from reports.status import file_counts, repository_status
from scanner.kernel.errors import InputError
from scanner.kernel.models import Severity


def test_json_has_exactly_the_contract_keys() -> None:
    data = json.loads(render_json(scan_result()))
    assert set(data) == {"scan", "tool", "policy", "repositories", "violations"}
    assert data["tool"] == {"name": "os2scan", "version": "0.1.0"}
    assert data["policy"] == {"name": "os2", "source": "built-in"}
    assert [set(r) for r in data["repositories"]] == [
        {
            "product",
            "name",
            "path",
            "commit",
            "declared_license",
            "declared_sources",
            "copyright_holders",
            "files",
            "components",
            "status",
            "error",
            "content",
        }
    ] * 5
    assert {tuple(sorted(v)) for v in data["violations"]} == {
        tuple(
            sorted(
                [
                    "rule",
                    "severity",
                    "product",
                    "repository",
                    "path",
                    "line",
                    "license",
                    "message",
                    "how_to_fix",
                    "waived",
                    "files",
                ]
            )
        )
    }


def test_json_repository_values() -> None:
    data = json.loads(render_json(scan_result()))
    core, docs, _site, legacy, _gone = data["repositories"]
    assert core["product"] == "OS2mo"
    assert core["commit"] == "c" * 40
    assert core["declared_license"] == "MPL-2.0"
    assert core["declared_sources"] == [
        {"source": "LICENSE", "path": "LICENSE", "license": "MPL-2.0"}
    ]
    assert core["copyright_holders"] == ["OS2", "Vendor ApS"]
    assert core["files"] == {"total": 4, "scanned": 4, "with_license": 3, "with_copyright": 2}
    assert docs["files"] == {"total": 2, "scanned": 1, "with_license": 1, "with_copyright": 1}
    assert [r["status"] for r in data["repositories"]] == [
        "non-compliant",
        "warnings",
        "compliant",
        "failed",
        "failed",
    ]
    assert legacy["error"] == "git clone failed: repository not found"
    assert legacy["path"] is None
    assert legacy["commit"] is None
    assert core["error"] is None


def test_json_violation_values_and_waivers() -> None:
    data = json.loads(render_json(scan_result()))
    first = data["violations"][0]
    assert first == {
        "rule": "file-license-conflict",
        "severity": "error",
        "product": "OS2mo",
        "repository": "core",
        "path": "src/lib.py",
        "line": 1,
        "license": "GPL-3.0-only",
        "message": "file-license-conflict in core",
        "how_to_fix": "fix file-license-conflict",
        "waived": False,
        "files": [],
    }
    assert [v["waived"] for v in data["violations"]] == [False, True, False, False]


def test_report_json_adds_products() -> None:
    products = [{"product": "OS2mo", "status": "non-compliant"}]
    data = json.loads(render_json(scan_result(), products))
    assert data["products"] == products


def test_a_waived_error_does_not_make_a_repository_non_compliant() -> None:
    result = scan_result()
    core = result.repositories[0]
    from report_helpers import WAIVER

    waived = violation("license-file", Severity.ERROR, "OS2mo", "core", waiver=WAIVER)
    assert repository_status(core, [waived]) == "compliant"
    from dataclasses import replace

    expired = violation(
        "license-file", Severity.ERROR, "OS2mo", "core", waiver=replace(WAIVER, expired=True)
    )
    assert repository_status(core, [expired]) == "non-compliant"
    # a violation of a same-named repository in another product does not count
    other = violation("license-file", Severity.ERROR, "OS2web", "core")
    assert repository_status(core, [other]) == "compliant"
    assert file_counts(core)["with_license"] == 3


def test_text_lists_every_violation_then_a_summary() -> None:
    lines = render_text(scan_result()).splitlines()
    assert lines == [
        "src/lib.py:1: error file-license-conflict file-license-conflict in core",
        "core: warning copyright-holder-expected copyright-holder-expected in core"
        " [waived: vendor transfer agreed]",
        "src/util.py: info file-header file-header in core",
        "README.md:3: warning docs-license docs-license in docs",
        "legacy: failed: git clone failed: repository not found",
        "old: failed: git clone failed: timeout",
        "1 error, 1 warning, 1 info (1 waived) in 5 repositories, 2 could not be scanned",
    ]


def test_text_summary_plurals_and_expired_waivers() -> None:
    from dataclasses import replace

    from report_helpers import WAIVER

    result = scan_result(
        repositories=scan_result().repositories[:2],
        violations=(
            violation("license-file", Severity.ERROR, "OS2mo", "core"),
            violation("copyright-holder", Severity.ERROR, "OS2mo", "docs"),
            violation(
                "publiccode",
                Severity.WARNING,
                "OS2mo",
                "core",
                waiver=replace(WAIVER, expired=True, expires="2020-01-01"),
            ),
        ),
    )
    lines = render_text(result).splitlines()
    assert lines[2].endswith("[waiver expired 2020-01-01]")
    assert lines[-1] == "2 errors, 1 warning, 0 info (0 waived) in 2 repositories"


def test_document_formats_render_through_the_registry() -> None:
    result = scan_result()
    assert json.loads(render_document("json", result))["tool"]["name"] == "os2scan"
    assert render_document(OutputFormat.TEXT, result).endswith(
        "in 5 repositories, 2 could not be scanned\n"
    )


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        OutputFormat.parse("pdf")
    with pytest.raises(InputError, match="writes a folder"):
        render_document(OutputFormat.HTML, scan_result())
