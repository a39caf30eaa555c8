"""Policy files: the built-in OS2 policy, `extends`, waivers, and every way a file can be wrong."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from rules.engine import RULES
from rules.policy import load_policy
from scanner.kernel.errors import InputError
from scanner.kernel.models import Severity

TODAY = date(2026, 6, 1)


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --- the built-in OS2 policy -------------------------------------------------------------------


def test_the_builtin_os2_policy_states_mpl_for_code_and_cc_by_sa_for_documentation() -> None:
    policy = load_policy("os2")
    assert policy.name == "os2"
    assert policy.source == "built-in"
    assert policy.licenses.declared_allowed == ("MPL-2.0",)
    assert policy.licenses.documentation_allowed == ("CC-BY-SA-4.0",)
    assert set(policy.licenses.documentation_accepted) == {"CC-BY-4.0", "CC0-1.0"}
    assert "CC-BY-NC-4.0" in policy.licenses.denied
    assert "Commercial" in policy.licenses.denied_categories


def test_no_name_means_the_os2_policy() -> None:
    assert load_policy(None) == load_policy("os2")


def test_the_builtin_policy_gives_every_rule_a_severity() -> None:
    policy = load_policy()
    assert set(policy.severity) == set(RULES)
    assert all(policy.severity[r] == spec.default_severity for r, spec in RULES.items())


@pytest.mark.parametrize(
    "holder",
    [
        "OS2 - Offentligt digitaliseringsfællesskab",
        "OS2",
        "Aarhus Kommune",
        "Københavns Kommune",
        "Bornholms Regionskommune",
        "Region Hovedstaden",
        "Digitaliseringsstyrelsen",
        "Styrelsen for Dataforsyning og Infrastruktur",
        "KL",
    ],
)
def test_os2_and_its_members_are_expected_owners(holder: str) -> None:
    assert load_policy().owners.matches(holder)


@pytest.mark.parametrize("holder", ["Magenta ApS", "Netcompany A/S", "OS2mo contributors", "KLX"])
def test_vendors_are_not_expected_owners(holder: str) -> None:
    assert not load_policy().owners.matches(holder)


# --- extends ----------------------------------------------------------------------------------


def test_a_policy_extending_os2_overrides_severities_rule_by_rule(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        extends: os2
        severity:
          file-header: off
          docs-license: error
        """,
    )
    policy = load_policy(str(path))
    assert policy.name == "policy"
    assert policy.source == str(path)
    assert policy.extends == ("os2",)
    assert policy.severity["file-header"] == "off"
    assert policy.severity["docs-license"] is Severity.ERROR
    assert policy.severity["license-file"] is Severity.ERROR  # from the base
    assert policy.licenses.declared_allowed == ("MPL-2.0",)  # from the base


def test_a_licence_list_the_file_sets_replaces_the_base_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        extends: os2
        licenses:
          declared_allowed: [MPL-2.0, eupl-1.2]
        owners:
          expected: ["Magenta*"]
        """,
    )
    policy = load_policy(path)
    assert policy.licenses.declared_allowed == ("MPL-2.0", "EUPL-1.2")  # scancode key normalised
    assert policy.licenses.documentation_allowed == ("CC-BY-SA-4.0",)
    assert policy.owners.expected == ("Magenta*",)
    assert policy.owners.matches("Magenta ApS")


def test_extends_takes_a_path_relative_to_the_file_and_waivers_add_up(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        extends: os2
        name: region
        waivers:
          - rule: file-header
            reason: Generated migrations
        """,
        name="shared/base.yaml",
    )
    path = write(
        tmp_path,
        """
        extends: ../shared/base.yaml
        waivers:
          - rule: docs-license
            repository: "os2mo*"
            path: "docs/*"
            reason: Documentation is being relicensed
            expires: 2027-01-31
            approved_by: OS2 steering group
            decision: "2026-03-05 item 4"
        """,
        name="team/policy.yaml",
    )
    policy = load_policy(path, today=TODAY, trusted_folders=[tmp_path / "shared"])
    assert policy.extends == ("region", "os2")
    assert [w.rule for w in policy.waivers] == ["file-header", "docs-license"]
    waiver = policy.waivers[1]
    assert (waiver.repository, waiver.path, waiver.expires) == ("os2mo*", "docs/*", "2027-01-31")
    assert (waiver.approved_by, waiver.decision) == ("OS2 steering group", "2026-03-05 item 4")
    assert policy.waivers[0].repository == "*"
    assert policy.waivers[0].path is None


def test_waivers_are_marked_expired_after_their_last_day(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        waivers:
          - {rule: file-header, reason: a, expires: 2026-05-31}
          - {rule: file-header, reason: b, expires: 2026-06-01}
          - {rule: file-header, reason: c}
        """,
    )
    waivers = load_policy(path, today=TODAY).waivers
    assert [w.expired for w in waivers] == [True, False, False]


def test_off_is_read_as_the_word_off_not_as_false(tmp_path: Path) -> None:
    path = write(tmp_path, "severity:\n  publiccode: off\n  file-header: OFF\n")
    policy = load_policy(path)
    assert policy.severity == {"publiccode": "off", "file-header": "off"}


# --- errors: file, line, one sentence ----------------------------------------------------------


ERRORS = [
    ("bad-yaml", "severity:\n  license-file: [error\n", 3, "not valid YAML"),
    (
        "unknown-top-key",
        "extends: os2\nsevirity:\n  license-file: off\n",
        2,
        "unknown key 'sevirity'",
    ),
    (
        "unknown-rule",
        "severity:\n  license-file: error\n  licence-file: off\n",
        3,
        "unknown key 'licence-file'",
    ),
    ("bad-severity", "severity:\n  file-header: fatal\n", 2, "'fatal' of rule file-header"),
    (
        "unknown-licence",
        "licenses:\n  declared_allowed:\n    - MPL-2.0\n    - MPL-9.9\n",
        4,
        "'MPL-9.9'",
    ),
    (
        "unknown-licence-key",
        "licenses:\n  documentation_allowed: [cc-by-sa-4.0, nonsense-licence]\n",
        2,
        "neither an SPDX licence id nor a scancode licence key",
    ),
    (
        "bad-category",
        "licenses:\n  denied_categories: [Proprietary]\n",
        2,
        "not a scancode licence category",
    ),
    (
        "unknown-licenses-key",
        "licenses:\n  allowed: [MIT]\n",
        2,
        "unknown key 'allowed' in licenses",
    ),
    (
        "waiver-unknown-rule",
        "waivers:\n  - rule: licence-file\n    reason: x\n",
        2,
        "unknown rule id 'licence-file'",
    ),
    (
        "waiver-bad-date",
        "waivers:\n  - rule: file-header\n    reason: x\n    expires: 2026-02-30\n",
        4,
        "not a date written YYYY-MM-DD",
    ),
    (
        "waiver-short-date",
        "waivers:\n  - rule: file-header\n    reason: x\n    expires: 20260230\n",
        4,
        "YYYY-MM-DD",
    ),
    ("waiver-no-reason", "waivers:\n  - rule: file-header\n    path: x\n", 2, "needs a 'reason'"),
    (
        "waiver-unknown-key",
        "waivers:\n  - rule: file-header\n    reason: x\n    until: 2026-01-01\n",
        4,
        "unknown key 'until' in a waiver",
    ),
    ("waivers-not-a-list", "waivers:\n  rule: file-header\n", 2, "'waivers' must be a list"),
    ("bad-regex", "owners:\n  expected:\n    - 're:OS2('\n", 3, "not a valid regular expression"),
    (
        "duplicate-key",
        "severity:\n  publiccode: off\nseverity:\n  publiccode: info\n",
        3,
        "appears twice",
    ),
    ("not-a-mapping", "- extends: os2\n", 1, "must be a mapping"),
    ("unknown-builtin", "\n\nextends: os3\n", 3, "unknown built-in policy 'os3'"),
    ("missing-base", "extends: ./nowhere.yaml\n", 1, "'./nowhere.yaml', does not exist"),
]


@pytest.mark.parametrize(("name", "text", "line", "fragment"), ERRORS, ids=[e[0] for e in ERRORS])
def test_policy_errors_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_policy(str(path))
    error = caught.value
    assert error.source == str(path)
    assert error.line == line
    assert fragment in error.message
    assert str(error).startswith(f"{path}:{line}: ")
    assert "\n" not in str(error)


def test_an_empty_policy_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing here\n")
    with pytest.raises(InputError, match="empty"):
        load_policy(path)


def test_a_missing_policy_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as caught:
        load_policy(str(missing))
    assert caught.value.source == str(missing)
    assert "not found" in caught.value.message


def test_an_unknown_builtin_name_is_an_error() -> None:
    with pytest.raises(InputError, match="unknown built-in policy 'strict'"):
        load_policy("strict")


def test_a_policy_extending_itself_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "extends: b.yaml\n", name="a.yaml")
    write(tmp_path, "extends: a.yaml\n", name="b.yaml")
    with pytest.raises(InputError, match="extends itself"):
        load_policy(tmp_path / "a.yaml")


def test_an_error_in_a_base_names_the_base_file(tmp_path: Path) -> None:
    base = write(tmp_path, "severity:\n  bogus-rule: off\n", name="base.yaml")
    path = write(tmp_path, "extends: base.yaml\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert (caught.value.source, caught.value.line) == (str(base), 2)


def test_a_policy_file_without_extension_is_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "name: plain\nseverity:\n  publiccode: off\n", name="compliance")
    monkeypatch.chdir(tmp_path)
    policy = load_policy("compliance")
    assert (policy.name, policy.source) == ("plain", "compliance")
    assert load_policy("os2").source == "built-in"  # a built-in name still wins


def test_the_policy_example_in_the_docs_is_valid(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "policy.md").read_text("utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "aarhus.yaml"
    path.write_text(example, encoding="utf-8")
    policy = load_policy(path, today=TODAY)
    assert policy.name == "aarhus"
    assert policy.severity["file-header"] == "off"
    assert policy.waivers[0].expired


def test_a_policy_nested_too_deeply_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "name: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(InputError, match="nested too deeply"):
        load_policy(path)


def test_a_policy_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"# Copenhagen\nname: K\xf8benhavn\n")
    with pytest.raises(InputError, match="not UTF-8 text") as raised:
        load_policy(path)
    assert raised.value.line == 2
