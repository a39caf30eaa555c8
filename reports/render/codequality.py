"""GitLab Code Quality: the JSON array GitLab shows in merge requests and pipelines.

One object per violation::

    {"description", "check_name", "fingerprint", "severity",
     "location": {"path", "lines": {"begin"}}}

`check_name` is the rule id. `fingerprint` is the stable MD5 of rule, repository, path and
licence (`reports.render.findings`), which is how GitLab tells new findings from old ones
between a merge request and its target branch. Severity: error -> critical (it fails the
check), warning -> minor, info -> info. Code Quality has no notion of a waiver, so a waived
violation (by the policy or a baseline file) is kept, rated info, with the waiver's reason in
its description; GitLab then neither hides it nor ranks it among the findings to fix. A
violation without a line points at line 1 of its file; repository-level violations point at
the file where the fix belongs (see `reports.render.findings`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from reports.render.findings import Locator, fingerprints
from scanner.kernel.models import ScanResult, Severity, Violation

if TYPE_CHECKING:
    from reports.report import Report

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(v: Violation, locator: Locator, fingerprint: str) -> dict[str, Any]:
    description = v.message
    severity = SEVERITIES[v.severity]
    if v.waived and v.waiver is not None:
        description += f" [waived: {v.waiver.reason or 'no reason given'}]"
        severity = "info"
    elif v.waiver is not None and v.waiver.expired:
        description += f" [waiver expired {v.waiver.expires}]"
    return {
        "description": description,
        "check_name": v.rule,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": locator.fix_file(v), "lines": {"begin": max(v.line or 1, 1)}},
    }


def codequality_issues(result: ScanResult) -> list[dict[str, Any]]:
    """The Code Quality report of a scan as plain data."""
    locator = Locator(result)
    return [
        _issue(v, locator, fingerprint)
        for v, fingerprint in zip(result.violations, fingerprints(result.violations), strict=True)
    ]


def render_codequality(result: ScanResult) -> str:
    """The Code Quality report as text (UTF-8, indented, ending in a newline)."""
    return json.dumps(codequality_issues(result), ensure_ascii=False, indent=2) + "\n"


def codequality_files(report: Report) -> dict[str, str | bytes]:
    return {"codequality.json": render_codequality(report.result)}
