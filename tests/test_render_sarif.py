"""The SARIF report: valid against the official SARIF 2.1.0 schema, one rule per rule id,
results with locations, stable fingerprints and waivers as suppressions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ci_helpers import ROOT, validate_sarif
from conftest import make_repo
from report_helpers import WAIVER, scan_result, violation

from reports.render import render_document
from reports.render.sarif import render_sarif
from rules.engine import RULES
from scanner.collectors.local import LocalCollector
from scanner.kernel.models import RepositorySpec, Severity, SourceKind, Waiver


def sarif(**changes: object) -> dict:
    return json.loads(render_sarif(scan_result(**changes)))


def single_repository(*violations: object) -> dict:
    core = scan_result().repositories[0]
    return sarif(repositories=(core,), violations=tuple(violations))


def test_the_report_is_valid_sarif_2_1_0() -> None:
    log = sarif()
    validate_sarif(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_the_registry_renders_sarif() -> None:
    assert json.loads(render_document("sarif", scan_result())) == sarif()


def test_the_tool_describes_every_rule_once_with_help_and_default_level() -> None:
    driver = sarif()["runs"][0]["tool"]["driver"]
    assert driver["name"] == "os2scan"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    by_id = {r["id"]: r for r in rules}
    conflict = by_id["file-license-conflict"]
    assert conflict["name"] == "FileLicenseConflict"
    assert conflict["shortDescription"]["text"] == RULES["file-license-conflict"].title
    assert conflict["fullDescription"]["text"] == RULES["file-license-conflict"].description
    assert conflict["help"]["text"] == RULES["file-license-conflict"].how_to_fix
    assert conflict["defaultConfiguration"]["level"] == "error"
    assert by_id["docs-license"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["file-header"]["defaultConfiguration"]["level"] == "note"


def test_results_point_at_the_rule_the_file_and_the_line() -> None:
    log = single_repository(
        violation(
            "file-license-conflict",
            Severity.ERROR,
            "OS2mo",
            "core",
            "src/lib.py",
            7,
            "GPL-3.0-only",
        ),
        violation("file-header", Severity.INFO, "OS2mo", "core", "src/my util.py"),
    )
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    conflict, header = log["runs"][0]["results"]
    assert conflict["ruleId"] == "file-license-conflict"
    assert rules[conflict["ruleIndex"]]["id"] == "file-license-conflict"
    assert conflict["level"] == "error"
    assert conflict["message"]["text"] == "file-license-conflict in core"
    location = conflict["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/lib.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7}
    assert header["level"] == "note"
    header_location = header["locations"][0]["physicalLocation"]
    assert header_location["artifactLocation"]["uri"] == "src/my%20util.py"
    assert "region" not in header_location
    validate_sarif(log)


def test_repository_level_violations_are_anchored_at_the_repository_root() -> None:
    """No file is invented for a finding about the whole repository (a missing LICENSE)."""
    without_licence = replace(
        scan_result().repositories[0],
        facts=replace(scan_result().repositories[0].facts, license_files=()),
    )
    log = sarif(
        repositories=(without_licence,),
        violations=(
            violation("license-file", Severity.ERROR, "OS2mo", "core"),
            violation("publiccode", Severity.INFO, "OS2mo", "core"),
        ),
    )
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location == {"artifactLocation": {"uri": "./", "uriBaseId": "%SRCROOT%"}}
    validate_sarif(log)


def test_a_scan_of_several_repositories_keeps_their_paths_apart() -> None:
    results = sarif()["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["core/src/lib.py", "core/", "core/src/util.py", "docs/README.md"]


def test_every_rule_links_to_its_page_in_the_repository() -> None:
    docs = ROOT / "docs" / "rules"
    for rule in sarif()["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert rule["helpUri"].startswith("https://")
        page = (docs / f"{rule['id']}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# `{rule['id']}`")
        assert RULES[rule["id"]].how_to_fix in page


def test_a_checked_subfolder_gives_paths_from_the_repository_root(tmp_path: Path) -> None:
    """The action's `path:` may name a subfolder; code scanning resolves URIs from the root."""
    repo = make_repo(tmp_path / "mono", {"services/api/src/app.py": "x = 1\n", "README": "r\n"})
    spec = RepositorySpec(product="P", kind=SourceKind.PATH, locator=str(repo / "services/api"))
    (checkout,) = LocalCollector().collect(spec, tmp_path)
    assert checkout.subfolder == "services/api"
    core = scan_result().repositories[0]
    core = replace(core, checkout=replace(core.checkout, subfolder=checkout.subfolder))
    log = sarif(
        repositories=(core,),
        violations=(
            violation("file-header", Severity.INFO, "OS2mo", "core", "src/app.py"),
            violation("license-file", Severity.ERROR, "OS2mo", "core"),
        ),
    )
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in
            log["runs"][0]["results"]]  # fmt: skip
    assert uris == [
        {"uri": "services/api/src/app.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "services/api/", "uriBaseId": "%SRCROOT%"},
    ]
    assert "%SRCROOT%" in log["runs"][0]["originalUriBaseIds"]
    validate_sarif(log)
    (top,) = LocalCollector().collect(replace(spec, locator=str(repo)), tmp_path)
    assert top.subfolder == ""


def test_waived_violations_are_suppressed_with_the_reason_and_expired_ones_are_not() -> None:
    expired = Waiver(
        rule="file-header", repository="core", reason="old", expires="2020-01-01", expired=True
    )
    log = single_repository(
        violation("copyright-holder-expected", Severity.WARNING, "OS2mo", "core", waiver=WAIVER),
        violation("file-header", Severity.INFO, "OS2mo", "core", "src/util.py", waiver=expired),
    )
    waived, lapsed = log["runs"][0]["results"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "vendor transfer agreed",
            "properties": {"approvedBy": "OS2 board", "expires": "2099-01-01"},
        }
    ]
    assert "suppressions" not in lapsed
    assert lapsed["properties"]["waiverExpired"] == "2020-01-01"
    validate_sarif(log)


def test_fingerprints_are_stable_distinct_and_ignore_lines_and_messages() -> None:
    def fingerprints(*violations: object) -> list[str]:
        return [
            r["partialFingerprints"]["os2scan/v1"]
            for r in single_repository(*violations)["runs"][0]["results"]
        ]

    gpl = violation(
        "file-license-conflict", Severity.ERROR, "OS2mo", "core", "src/lib.py", 2, "GPL-3.0-only"
    )
    moved = replace(gpl, line=40, message="reworded")
    other = replace(gpl, license="AGPL-3.0-only")
    first = fingerprints(gpl, other)
    assert first == fingerprints(gpl, other)
    assert fingerprints(moved) == first[:1]
    assert len(set(first)) == 2
    twice = fingerprints(gpl, moved)  # two findings with one key in one report
    assert len(set(twice)) == 2
    assert twice[0] == first[0]


def test_repositories_that_could_not_be_scanned_are_notifications() -> None:
    invocation = sarif()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts == [
        "legacy: could not be scanned: git clone failed: repository not found",
        "old: could not be scanned: git clone failed: timeout",
    ]
    assert single_repository()["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_the_schema_check_would_catch_a_wrong_level() -> None:
    log = single_repository(violation("file-header", Severity.INFO, "OS2mo", "core", "a.py"))
    log["runs"][0]["results"][0]["level"] = "info"  # SARIF says "note"
    try:
        validate_sarif(log)
    except AssertionError as exc:
        assert "level" in str(exc)  # noqa: PT017 - the error is the expected outcome here
    else:
        raise AssertionError("an invalid level passed the schema")


def test_the_run_names_its_scan_and_when_it_ran() -> None:
    log = sarif(finished_at="2026-11-27T10:05:00+00:00")
    run = log["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["startTimeUtc"] == "2026-11-27T10:00:00Z"
    assert invocation["endTimeUtc"] == "2026-11-27T10:05:00Z"
    assert run["properties"]["scan"] == 2
    assert run["properties"]["scanKind"] == "portfolio"
    validate_sarif(log)


def test_the_rules_index_lists_every_rule() -> None:
    index = (ROOT / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    assert all(f"[`{rule}`]({rule}.md)" in index for rule in RULES)


def test_a_finding_for_many_files_is_one_result_listing_them_as_related_locations() -> None:
    files = ("web/vendor/quillwork/core.js", "web/vendor/quillwork/toolbar.js")
    component = replace(
        violation("component-license", Severity.ERROR, "OS2mo", "core", "web/vendor/quillwork"),
        files=files,
    )
    log = single_repository(component)
    validate_sarif(log)
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "web/vendor/quillwork"
    )
    related = [
        r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]
    ]
    assert related == list(files)
