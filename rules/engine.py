"""The rules engine: each rule of the catalogue paired with its check, and `evaluate`.

Each rule is a `RuleSpec` with a stable id, a default severity, the texts `os2scan rules
explain` shows, and one small check function (in rules/checks/) that yields Findings. The
engine turns Findings into Violations: it stamps the rule id, product and repository, sets the
severity the policy asks for, and attaches the waiver that covers the violation, if any.

Severity: a policy's `severity` override replaces the rule's default. A check may rate a
finding milder than its rule's default (file-license-conflict rates an unknown licence
reference a warning); such a finding keeps its milder severity but never rises above the
override. `off` disables the rule.

Waivers: a waiver covers a violation when its rule is the violation's rule, its `repository`
glob matches the repository name (or `product/name`) and its `path` glob matches the path (a
waiver without `path` covers the whole repository; a repository-level violation is only covered
by a waiver without `path` or with `path: "*"`). An active waiver wins over an expired one; an
expired waiver is still attached, marked expired, so the violation counts and the report says so.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from rules.catalogue import CATALOGUE, RuleInfo
from rules.checks import components, content, files, owners, repository
from rules.checks.base import Finding
from rules.policy import Policy, waiver_expired
from rules.texts import msg
from scanner.kernel.models import RepoScan, Severity, Violation, Waiver

Check = Callable[[RepoScan, Policy], Iterable[Finding]]


@dataclass(frozen=True)
class RuleSpec:
    """One rule: its id, default severity, texts for people, and its check."""

    id: str
    default_severity: Severity
    title: str
    description: str
    how_to_fix: str
    check: Check


#: The check each rule runs, by rule id.
CHECKS: dict[str, Check] = {
    "license-file": repository.check_license_file,
    "declared-license-open": repository.check_declared_license_open,
    "declared-license-allowed": repository.check_declared_license_allowed,
    "declared-license-consistent": repository.check_declared_license_consistent,
    "file-license-conflict": files.check_file_license_conflict,
    "component-license": components.check_component_license,
    "test-data-license": files.check_test_data_license,
    "copyright-holder": owners.check_copyright_holder,
    "copyright-holder-expected": owners.check_copyright_holder_expected,
    "docs-license": files.check_docs_license,
    "file-header": files.check_file_header,
    "restrictive-notice": files.check_restrictive_notice,
    "unchecked-file": files.check_unchecked_file,
    "scan-database-in-tree": files.check_scan_database,
    "content-owner": content.check_content_owner,
    "publiccode": repository.check_publiccode,
}


def _spec(info: RuleInfo) -> RuleSpec:
    check = CHECKS[info.id]
    description = " ".join((check.__doc__ or info.title).split())
    return RuleSpec(info.id, info.default_severity, info.title, description, info.how_to_fix, check)


RULES: dict[str, RuleSpec] = {info.id: _spec(info) for info in CATALOGUE}


def rule_severity(rule_id: str, policy: Policy) -> Severity | None:
    """The severity a policy gives a rule; None when the rule is off."""
    chosen = policy.severity.get(rule_id, RULES[rule_id].default_severity)
    return None if chosen == "off" else Severity(chosen)


def evaluate(scan: RepoScan, policy: Policy, today: date | None = None) -> list[Violation]:
    """Run every rule the policy does not turn off on one repository.

    A checkout that failed yields nothing (it is reported as failed elsewhere). Waivers are
    judged as of `today` (default: the current date).
    """
    if scan.checkout.error:
        return []
    today = today or date.today()
    product = scan.checkout.spec.product
    name = scan.checkout.name
    violations: list[Violation] = []
    for spec in RULES.values():
        severity = rule_severity(spec.id, policy)
        if severity is None:
            continue
        for finding in spec.check(scan, policy):
            violation = Violation(
                rule=spec.id,
                severity=_severity(finding, spec, severity),
                product=product,
                repository=name,
                path=finding.path,
                line=finding.line,
                license=finding.license,
                message=finding.message.english(),
                how_to_fix=finding.how_to_fix.english() if finding.how_to_fix else spec.how_to_fix,
                message_text=finding.message,
                how_to_fix_text=finding.how_to_fix or msg(spec.how_to_fix),
                files=finding.files,
            )
            waiver = find_waiver(violation, policy.waivers, today)
            violations.append(replace(violation, waiver=waiver) if waiver else violation)
    return violations


def find_waiver(violation: Violation, waivers: Iterable[Waiver], today: date) -> Waiver | None:
    """The waiver covering a violation: an active one if any, else an expired one, else None."""
    expired: Waiver | None = None
    for waiver in waivers:
        if not _covers(waiver, violation):
            continue
        if waiver_expired(waiver, today):
            expired = expired or replace(waiver, expired=True)
        else:
            return replace(waiver, expired=False)
    return expired


def _covers(waiver: Waiver, violation: Violation) -> bool:
    if waiver.rule != violation.rule:
        return False
    names = (violation.repository, f"{violation.product}/{violation.repository}")
    if not any(fnmatch.fnmatchcase(n, waiver.repository) for n in names):
        return False
    if waiver.path is None:
        return True
    if violation.path is None:
        return waiver.path in ("*", "**")
    return waiver_path_match(waiver.path, violation.path)


def waiver_path_match(pattern: str, path: str) -> bool:
    """A waiver's `path` glob, as docs/policy.md defines it: `*` and `**` both cross folders.

    This is the policy's own syntax, kept for the waivers already written; REUSE.toml globs,
    where `*` stays within a folder, are matched by scanner.kernel.globs.
    """
    return fnmatch.fnmatchcase(path, pattern.replace("**", "*"))


def _severity(finding: Finding, spec: RuleSpec, chosen: Severity) -> Severity:
    if finding.severity is None or finding.severity.rank >= spec.default_severity.rank:
        return chosen
    return finding.severity if finding.severity.rank < chosen.rank else chosen
