"""The engine: the rule registry, severity overrides, `off`, and waivers."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rules_helpers import file, good_code, licence_file, scan

from rules.engine import RULES, evaluate, find_waiver, rule_severity
from rules.policy import Policy, load_policy
from scanner.kernel.models import FileKind, Severity, Violation, Waiver

TODAY = date(2026, 6, 1)

DESIGN_RULES = {
    "license-file": Severity.ERROR,
    "declared-license-open": Severity.ERROR,
    "declared-license-allowed": Severity.WARNING,
    "declared-license-consistent": Severity.WARNING,
    "file-license-conflict": Severity.ERROR,
    "component-license": Severity.ERROR,
    "test-data-license": Severity.WARNING,
    "copyright-holder": Severity.ERROR,
    "copyright-holder-expected": Severity.WARNING,
    "docs-license": Severity.WARNING,
    "file-header": Severity.INFO,
    "restrictive-notice": Severity.WARNING,
    "unchecked-file": Severity.WARNING,
    "scan-database-in-tree": Severity.ERROR,
    "content-owner": Severity.WARNING,
    "publiccode": Severity.INFO,
}


def policy_file(tmp_path: Path, text: str) -> Policy:
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_policy(path, today=TODAY)


def gpl_repo(name: str = "os2mo", product: str = "OS2mo"):  # type: ignore[no-untyped-def]
    """An MPL-2.0 repository with a GPL-3.0 chart library bundled in vendor/."""
    files = [
        licence_file(),
        good_code(),
        file("vendor/chart/chart.js", FileKind.VENDORED, "GPL-3.0-only"),
        file("src/unknown.py", license="LicenseRef-scancode-unknown-license-reference"),
    ]
    return scan(files, name=name, product=product, publiccode={"license": "MPL-2.0"})


def conflicts(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.rule == "file-license-conflict"]


# --- the registry ---------------------------------------------------------------------------------


def test_the_registry_has_every_rule_of_the_design_with_its_default() -> None:
    assert {r: spec.default_severity for r, spec in RULES.items()} == DESIGN_RULES


@pytest.mark.parametrize("rule_id", sorted(DESIGN_RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    spec = RULES[rule_id]
    assert spec.id == rule_id
    assert spec.title
    assert spec.how_to_fix
    assert len(spec.description) > 40  # the check's docstring
    assert spec.check.__doc__


# --- severities --------------------------------------------------------------------------------


def test_the_default_policy_keeps_the_mix_a_rule_reports(tmp_path: Path) -> None:
    found = conflicts(evaluate(gpl_repo(), load_policy(), TODAY))
    assert {v.path: v.severity for v in found} == {
        "vendor/chart/chart.js": Severity.ERROR,
        "src/unknown.py": Severity.WARNING,
    }


def test_a_severity_override_applies_and_never_raises_a_milder_finding(tmp_path: Path) -> None:
    lowered = policy_file(tmp_path, "extends: os2\nseverity:\n  file-license-conflict: info\n")
    found = conflicts(evaluate(gpl_repo(), lowered, TODAY))
    assert {v.severity for v in found} == {Severity.INFO}

    warned = policy_file(tmp_path, "extends: os2\nseverity:\n  file-license-conflict: warning\n")
    found = conflicts(evaluate(gpl_repo(), warned, TODAY))
    assert {v.path: v.severity for v in found} == {
        "vendor/chart/chart.js": Severity.WARNING,
        "src/unknown.py": Severity.WARNING,
    }


def test_a_severity_override_can_raise_a_rule(tmp_path: Path) -> None:
    policy = policy_file(tmp_path, "extends: os2\nseverity:\n  file-header: error\n")
    assert rule_severity("file-header", policy) is Severity.ERROR
    repo = scan([licence_file(), file("src/a.py")])
    headers = [v for v in evaluate(repo, policy, TODAY) if v.rule == "file-header"]
    assert [v.severity for v in headers] == [Severity.ERROR]


def test_off_turns_a_rule_off(tmp_path: Path) -> None:
    policy = policy_file(tmp_path, "extends: os2\nseverity:\n  file-license-conflict: off\n")
    assert rule_severity("file-license-conflict", policy) is None
    violations = evaluate(gpl_repo(), policy, TODAY)
    assert conflicts(violations) == []
    assert conflicts(evaluate(gpl_repo(), load_policy(), TODAY))  # on by default


# --- waivers ----------------------------------------------------------------------------------


WAIVER = """
extends: os2
waivers:
  - rule: file-license-conflict
    repository: "{repository}"
    path: "{path}"
    reason: Chart library is replaced in the next release
    expires: {expires}
    approved_by: OS2 steering group
    decision: "2026-03-05 item 4"
"""


def waived_policy(
    tmp_path: Path,
    repository: str = "os2mo",
    path: str = "vendor/chart/*",
    expires: str = "2026-12-31",
) -> Policy:
    return policy_file(tmp_path, WAIVER.format(repository=repository, path=path, expires=expires))


def test_an_active_waiver_marks_the_violation_waived(tmp_path: Path) -> None:
    found = {v.path: v for v in conflicts(evaluate(gpl_repo(), waived_policy(tmp_path), TODAY))}
    chart = found["vendor/chart/chart.js"]
    assert chart.waived
    assert chart.severity is Severity.ERROR  # still reported as what it is
    assert chart.waiver is not None
    assert chart.waiver.reason == "Chart library is replaced in the next release"
    assert chart.waiver.approved_by == "OS2 steering group"
    assert not found["src/unknown.py"].waived  # another path


def test_an_expired_waiver_is_attached_but_no_longer_applies(tmp_path: Path) -> None:
    policy = waived_policy(tmp_path, expires="2026-05-31")
    found = {v.path: v for v in conflicts(evaluate(gpl_repo(), policy, TODAY))}
    chart = found["vendor/chart/chart.js"]
    assert chart.waiver is not None
    assert chart.waiver.expired
    assert not chart.waived


def test_expiry_is_judged_on_the_day_evaluate_is_given(tmp_path: Path) -> None:
    policy = waived_policy(tmp_path, expires="2026-12-31")
    later = date(2027, 1, 1)
    [chart] = [
        v for v in conflicts(evaluate(gpl_repo(), policy, later)) if v.path.startswith("vendor")
    ]
    assert not chart.waived
    assert chart.waiver is not None
    assert chart.waiver.expired


def test_a_waiver_for_another_path_does_not_apply(tmp_path: Path) -> None:
    policy = waived_policy(tmp_path, path="vendor/maps/*")
    assert not any(v.waiver for v in conflicts(evaluate(gpl_repo(), policy, TODAY)))


@pytest.mark.parametrize(
    ("pattern", "applies"),
    [
        ("os2mo", True),
        ("os2*", True),
        ("OS2mo/*", True),
        ("*", True),
        ("os2mo-ui", False),
        ("OS2kitos/*", False),
    ],
)
def test_a_waiver_matches_the_repository_name_or_product_by_glob(
    tmp_path: Path, pattern: str, applies: bool
) -> None:
    policy = waived_policy(tmp_path, repository=pattern)
    [chart] = [
        v for v in conflicts(evaluate(gpl_repo(), policy, TODAY)) if v.path.startswith("vendor")
    ]
    assert chart.waived is applies


def test_a_waiver_for_another_rule_does_not_apply(tmp_path: Path) -> None:
    policy = policy_file(
        tmp_path,
        'extends: os2\nwaivers:\n  - {rule: file-header, path: "vendor/*", reason: x}\n',
    )
    assert not any(v.waiver for v in conflicts(evaluate(gpl_repo(), policy, TODAY)))


def test_a_repository_level_violation_is_covered_only_by_a_waiver_without_path() -> None:
    violation = Violation(
        rule="copyright-holder-expected",
        severity=Severity.WARNING,
        product="OS2mo",
        repository="os2mo",
        path=None,
        line=None,
        license=None,
        message="m",
        how_to_fix="f",
    )
    whole = Waiver(rule="copyright-holder-expected", repository="os2mo", reason="r")
    some_path = replace(whole, path="src/*")
    assert find_waiver(violation, [some_path], TODAY) is None
    assert find_waiver(violation, [whole], TODAY) == whole
    assert find_waiver(violation, [replace(whole, path="*")], TODAY) is not None


def test_an_active_waiver_wins_over_an_expired_one() -> None:
    violation = Violation("publiccode", Severity.INFO, "P", "r", None, None, None, "m", "f")
    old = Waiver(rule="publiccode", reason="old", expires="2025-01-01")
    new = Waiver(rule="publiccode", reason="new", expires="2027-01-01")
    chosen = find_waiver(violation, [old, new], TODAY)
    assert chosen is not None
    assert chosen.reason == "new"
    assert not chosen.expired
    only_old = find_waiver(violation, [old], TODAY)
    assert only_old is not None
    assert only_old.expired
