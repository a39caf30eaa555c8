"""SARIF 2.1.0: the format GitHub code scanning (and other viewers) read.

One run, whose tool lists one reportingDescriptor per rule id of `rules.engine.RULES` (in the
registry's order, so `ruleIndex` is stable): `id`, a PascalCase `name`, the rule's title as
`shortDescription`, its description as `fullDescription`, its how-to-fix text as `help`, and
its default severity as `defaultConfiguration.level` (error -> error, warning -> warning,
info -> note), and `helpUri`, the rule's page under docs/rules/ in os2scan's repository.

One result per violation: `ruleId`, `ruleIndex`, `level` (the violation's own severity, which
a policy may have changed), `message.text`, one physical location whose URI is relative to the
repository root, with the uriBaseId `%SRCROOT%` (code scanning reads relative URIs as relative
to the repository root, so a check of a subfolder gives paths that start with the subfolder;
see `reports.render.findings`), with `region.startLine` when the line is known. A
repository-level violation is anchored at the checked folder itself (`./` at the root), never
at a file that may not exist. Each result also has
`partialFingerprints["os2scan/v1"]`, stable across runs. A waived violation carries a
suppression of kind `external` (the waiver lives in the policy or the baseline file) whose
justification is the waiver's reason; a violation whose waiver expired carries no suppression
and says so in its properties. Repositories that could not be scanned are
`toolExecutionNotifications` of the invocation, which is then not `executionSuccessful`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import scanner
from reports.render.findings import Locator, fingerprints
from rules.engine import RULES
from scanner.kernel.models import ScanResult, Severity, Violation
from scanner.kernel.redact import unescaped_bytes

if TYPE_CHECKING:
    from reports.report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://os2.eu/"
#: where each rule's page (docs/rules/<id>.md in os2scan's repository) is published
RULE_DOCS_URL = "https://github.com/OS2offdig/os2scan/blob/main/docs/rules/"
FINGERPRINT_KEY = "os2scan/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _pascal_case(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def rule_descriptors() -> list[dict[str, Any]]:
    """One reportingDescriptor per rule id, in the order of the rule registry."""
    return [
        {
            "id": spec.id,
            "name": _pascal_case(spec.id),
            "shortDescription": {"text": spec.title},
            "fullDescription": {"text": spec.description},
            "help": {"text": spec.how_to_fix, "markdown": spec.how_to_fix},
            "helpUri": f"{RULE_DOCS_URL}{spec.id}.md",
            "defaultConfiguration": {"level": LEVELS[spec.default_severity]},
            "properties": {"tags": ["licence-compliance"]},
        }
        for spec in RULES.values()
    ]


#: How many of a finding's files a SARIF result lists as related locations.
MAX_RELATED_LOCATIONS = 100


def _suppressions(v: Violation) -> list[dict[str, Any]] | None:
    if not v.waived or v.waiver is None:
        return None
    suppression: dict[str, Any] = {
        "kind": "external",
        "status": "accepted",
        "justification": v.waiver.reason or "waived by the policy",
    }
    extra = {
        "approvedBy": v.waiver.approved_by,
        "decision": v.waiver.decision,
        "expires": v.waiver.expires,
    }
    extra = {key: value for key, value in extra.items() if value}
    if extra:
        suppression["properties"] = extra
    return [suppression]


def _result(
    v: Violation, locator: Locator, fingerprint: str, rule_index: dict[str, int]
) -> dict[str, Any]:
    path = locator.path(v)
    uri = quote(unescaped_bytes(path)) if path is not None else quote(locator.folder(v.repository))
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
    if path is not None and v.line is not None and v.line >= 1:
        physical["region"] = {"startLine": v.line}
    result: dict[str, Any] = {"ruleId": v.rule}
    if v.rule in rule_index:
        result["ruleIndex"] = rule_index[v.rule]
    result.update(
        {
            "level": LEVELS[v.severity],
            "message": {"text": v.message},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
    )
    if v.files:  # one result per finding; its files as related locations (no line each)
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(locator.file(v, path)), "uriBaseId": SRCROOT}
                },
            }
            for index, path in enumerate(v.files[:MAX_RELATED_LOCATIONS])
        ]
    suppressions = _suppressions(v)
    if suppressions:
        result["suppressions"] = suppressions
    properties: dict[str, Any] = {
        "product": v.product,
        "repository": v.repository,
        "howToFix": v.how_to_fix,
    }
    if v.license:
        properties["license"] = v.license
    if v.waiver is not None and v.waiver.expired:
        properties["waiverExpired"] = v.waiver.expires
    result["properties"] = properties
    return result


def _utc(iso: str | None) -> str | None:
    """An ISO timestamp as SARIF's date-time in UTC ("2026-11-27T10:00:00Z")."""
    if not iso:
        return None
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat(timespec="seconds") + "Z"


def _invocation(result: ScanResult, notifications: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's one invocation: whether every repository was scanned, and when."""
    invocation: dict[str, Any] = {
        "executionSuccessful": not result.failed,
        "toolExecutionNotifications": notifications,
    }
    for key, value in (
        ("startTimeUtc", _utc(result.started_at)),
        ("endTimeUtc", _utc(result.finished_at)),
    ):
        if value:
            invocation[key] = value
    return invocation


def sarif_log(result: ScanResult) -> dict[str, Any]:
    """The SARIF log of a scan as plain data."""
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    locator = Locator(result)
    results = [
        _result(v, locator, fingerprint, rule_index)
        for v, fingerprint in zip(result.violations, fingerprints(result.violations), strict=True)
    ]
    notifications = [
        {
            "level": "error",
            "message": {
                "text": f"{repo.checkout.name}: could not be scanned: {repo.checkout.error}"
            },
        }
        for repo in result.failed
    ]
    version = result.tool_version or scanner.__version__
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "os2scan",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": rule_descriptors(),
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the scanned git repository."}}
        },
        "invocations": [_invocation(result, notifications)],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "policy": result.policy_name,
            "policySource": result.policy_source,
            "scan": result.scan_id,
            "scanKind": result.kind.value,
            "portfolio": result.portfolio,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: ScanResult) -> str:
    """The SARIF 2.1.0 log as text (UTF-8, indented, ending in a newline)."""
    return json.dumps(sarif_log(result), ensure_ascii=False, indent=2) + "\n"


def sarif_files(report: Report) -> dict[str, str | bytes]:
    return {"report.sarif": render_sarif(report.result)}
