"""The GitLab Code Quality report: GitLab's shape, severities, waivers, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace

from ci_helpers import validate_codequality
from report_helpers import scan_result, violation

from reports.render import render_document
from reports.render.codequality import render_codequality
from scanner.kernel.models import Severity


def codequality(**changes: object) -> list[dict]:
    return json.loads(render_codequality(scan_result(**changes)))


def single_repository(*violations: object) -> list[dict]:
    return codequality(repositories=scan_result().repositories[:1], violations=violations)


def test_the_report_has_gitlabs_shape() -> None:
    report = codequality()
    validate_codequality(report)
    assert json.loads(render_document("codequality", scan_result())) == report
    conflict = report[0]
    assert conflict == {
        "description": "file-license-conflict in core",
        "check_name": "file-license-conflict",
        "fingerprint": conflict["fingerprint"],
        "severity": "critical",
        "location": {"path": "core/src/lib.py", "lines": {"begin": 1}},
    }


def test_severities_and_locations_of_a_single_repository() -> None:
    report = single_repository(
        violation("docs-license", Severity.WARNING, "OS2mo", "core", "docs/a.md", 12),
        violation("file-header", Severity.INFO, "OS2mo", "core", "src/util.py"),
        violation("copyright-holder", Severity.ERROR, "OS2mo", "core"),
    )
    validate_codequality(report)
    assert [(i["severity"], i["location"]) for i in report] == [
        ("minor", {"path": "docs/a.md", "lines": {"begin": 12}}),
        ("info", {"path": "src/util.py", "lines": {"begin": 1}}),
        ("critical", {"path": "LICENSE", "lines": {"begin": 1}}),
    ]


def test_waived_violations_stay_visible_as_info_with_the_reason() -> None:
    waived = next(i for i in codequality() if i["check_name"] == "copyright-holder-expected")
    assert waived["severity"] == "info"
    assert waived["description"].endswith("[waived: vendor transfer agreed]")


def test_fingerprints_are_stable_and_distinct_and_ignore_the_line() -> None:
    first = [i["fingerprint"] for i in codequality()]
    assert first == [i["fingerprint"] for i in codequality()]
    assert len(set(first)) == len(first)
    gpl = violation("file-license-conflict", Severity.ERROR, "OS2mo", "core", "a.py", 2, "MIT")
    moved = single_repository(replace(gpl, line=20, message="other words"))
    assert moved[0]["fingerprint"] == single_repository(gpl)[0]["fingerprint"]
    other_licence = single_repository(replace(gpl, license="GPL-3.0-only"))
    assert other_licence[0]["fingerprint"] != single_repository(gpl)[0]["fingerprint"]
