"""The rules engine: the registry of rule ids and `evaluate`, which runs them on one repository.

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

from rules.checks import files, owners, repository
from rules.checks.base import Finding, glob_match
from rules.policy import Policy, waiver_expired
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


def _rule(
    id: str, severity: Severity, title: str, how_to_fix: str, check: Check
) -> tuple[str, RuleSpec]:
    description = " ".join((check.__doc__ or title).split())
    return id, RuleSpec(id, severity, title, description, how_to_fix, check)


RULES: dict[str, RuleSpec] = dict(
    [
        _rule(
            "license-file",
            Severity.ERROR,
            "The repository has a licence file at its root",
            "Add the licence text as LICENSE at the repository root (for OS2: the MPL-2.0 text), "
            "or lay the licences out REUSE style in LICENSES/<ID>.txt.",
            repository.check_license_file,
        ),
        _rule(
            "declared-license-open",
            Severity.ERROR,
            "The declared licence is an open-source licence",
            "Declare an OSI-approved licence (OS2's standard is MPL-2.0) in a LICENSE file and "
            "in the package manifest.",
            repository.check_declared_license_open,
        ),
        _rule(
            "declared-license-allowed",
            Severity.WARNING,
            "The declared licence is one the policy lists for products",
            "Relicense to a licence the policy allows (OS2: MPL-2.0), or ask the steering group "
            "for an exception and record it as a waiver.",
            repository.check_declared_license_allowed,
        ),
        _rule(
            "declared-license-consistent",
            Severity.WARNING,
            "Licence file, manifests, publiccode.yml and REUSE.toml agree",
            "Make every place that declares the licence (LICENSE, package.json, pyproject.toml, "
            "composer.json, publiccode.yml, REUSE.toml) state the same SPDX expression.",
            repository.check_declared_license_consistent,
        ),
        _rule(
            "file-license-conflict",
            Severity.ERROR,
            "Every file's licence is allowed and fits the declared licence",
            "Replace or remove the file, or keep it as a separately licensed component; an "
            "approved exception belongs in the policy as a waiver.",
            files.check_file_license_conflict,
        ),
        _rule(
            "copyright-holder",
            Severity.ERROR,
            "The repository names a real copyright holder",
            "Name the copyright holder in the licence file and in the file headers, e.g. "
            "`SPDX-FileCopyrightText: 2024 OS2 - Offentligt digitaliseringsfællesskab`.",
            owners.check_copyright_holder,
        ),
        _rule(
            "copyright-holder-expected",
            Severity.WARNING,
            "The copyright holders include OS2 or a member organisation",
            "Transfer or share the copyright with OS2 or the commissioning member organisation "
            "as the OS2 contract says, and name it in the licence file and headers.",
            owners.check_copyright_holder_expected,
        ),
        _rule(
            "docs-license",
            Severity.WARNING,
            "Documentation and content are covered by a documentation licence",
            "Declare CC-BY-SA-4.0 for documentation and content: add LICENSES/CC-BY-SA-4.0.txt "
            "and a REUSE.toml annotation for docs/** and *.md (or SPDX headers in the files).",
            files.check_docs_license,
        ),
        _rule(
            "file-header",
            Severity.INFO,
            "Source files carry SPDX licence and copyright headers",
            "Add `SPDX-FileCopyrightText: <year> <holder>` and `SPDX-License-Identifier: <id>` "
            "comment lines at the top of the file (`reuse annotate` does this).",
            files.check_file_header,
        ),
        _rule(
            "restrictive-notice",
            Severity.WARNING,
            "Own files carry no restrictive notices",
            'Remove notices such as "all rights reserved", "proprietary" or "confidential" '
            "from files released under an open licence, or move the file out of the repository.",
            files.check_restrictive_notice,
        ),
        _rule(
            "publiccode",
            Severity.INFO,
            "publiccode.yml exists and its legal section matches",
            "Add or correct publiccode.yml: legal.license must be the declared licence.",
            repository.check_publiccode,
        ),
    ]
)


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
                message=finding.message,
                how_to_fix=finding.how_to_fix or spec.how_to_fix,
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
    return glob_match(waiver.path, violation.path)


def _severity(finding: Finding, spec: RuleSpec, chosen: Severity) -> Severity:
    if finding.severity is None or finding.severity.rank >= spec.default_severity.rank:
        return chosen
    return finding.severity if finding.severity.rank < chosen.rank else chosen
