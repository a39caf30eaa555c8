"""`os2scan rules list | explain | validate` through the same boundary as the console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as run

from rules.engine import RULES


def test_rules_list_shows_every_rule_with_its_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "list")
    assert code == 0, err
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert rows == {r: spec.default_severity.value for r, spec in RULES.items()}


def test_rules_list_follows_the_policy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("extends: os2\nseverity:\n  file-header: off\n  publiccode: error\n")
    code, out, _ = run(capsys, "rules", "list", "--policy", str(policy))
    assert code == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert (rows["file-header"], rows["publiccode"], rows["license-file"]) == (
        "off",
        "error",
        "error",
    )


def test_rules_explain_gives_the_description_and_the_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "rules", "explain", "copyright-holder-expected")
    assert code == 0, err
    assert out.startswith("copyright-holder-expected: ")
    assert "Severity: warning under policy os2" in out
    assert "How to fix:" in out


def test_rules_explain_lists_the_waivers_for_the_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "extends: os2\nwaivers:\n"
        "  - {rule: file-header, repository: os2mo, path: 'migrations/*', reason: Generated,"
        " expires: 2000-01-01}\n"
    )
    code, out, _ = run(capsys, "rules", "explain", "file-header", "--policy", str(policy))
    assert code == 0
    assert "file-header os2mo:migrations/* until 2000-01-01 (expired): Generated" in out


def test_rules_explain_of_an_unknown_rule_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "explain", "licence-file")
    assert code == 2
    assert err.strip() == "os2scan: unknown rule id 'licence-file' (see `os2scan rules list`)"
    assert out == ""


def test_rules_validate_accepts_a_good_policy_and_reports_expired_waivers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "extends: os2\nname: aarhus\nwaivers:\n"
        "  - {rule: publiccode, reason: Old app, expires: 2001-02-03}\n"
        "  - {rule: file-header, reason: Generated}\n"
    )
    code, out, err = run(capsys, "rules", "validate", str(policy))
    assert code == 0, err
    assert f"{policy}: valid policy 'aarhus', extends os2; 2 waiver(s), 1 expired" in out
    assert "expired: publiccode * until 2001-02-03 (expired): Old app" in out


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("severity:\n  license-file: fatal\n", 2, "'fatal'"),
        ("licenses:\n  declared_allowed: [MPL-2.0, NotALicence-1.0]\n", 2, "NotALicence-1.0"),
        (
            "waivers:\n  - rule: publiccode\n    reason: x\n    expires: 31-12-2026\n",
            4,
            "YYYY-MM-DD",
        ),
        ("extends: os2\nowners: [OS2]\n", 2, "must be a mapping"),
        ("severity: {\n", 2, "not valid YAML"),
    ],
)
def test_rules_validate_rejects_a_bad_policy_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text(text)
    code, out, err = run(capsys, "rules", "validate", str(policy))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"os2scan: {policy}:{line}: ")
    assert fragment in err
    assert "Traceback" not in err


def test_rules_validate_of_a_missing_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "rules", "validate", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "policy file not found" in err


def test_rules_validate_reports_every_error_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "many.yaml"
    policy.write_text(
        "extends: os2\n"
        "colour: blue\n"  # 2: unknown key
        "severity:\n"
        "  file-header: loud\n"  # 4: bad severity
        "  publiccode: off\n"
        "licenses:\n"
        "  denied: [MIT, Not-A-Licence]\n"  # 7: unknown licence
        "waivers:\n"
        "  - rule: no-such-rule\n"  # 9: unknown rule
        "    reason: x\n"
        "  - rule: file-header\n"
        "    reason: fine\n"
        "  - rule: publiccode\n"
        "    reason: y\n"
        "    expires: tomorrow\n",  # 15: bad date
        encoding="utf-8",
    )
    code, out, err = run(capsys, "rules", "validate", str(policy))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert [line.split(":")[2] for line in lines] == ["2", "4", "7", "9", "15"], lines
    assert all(line.startswith(f"os2scan: {policy}:") for line in lines)
    code, out, _ = run(capsys, "rules", "validate", str(policy), "--format", "json")
    assert code == 2
    assert len(json.loads(out)["errors"]) == 5
    # anywhere else the policy is used, the first error is the one line, with a pointer
    code, _, err = run(capsys, "rules", "list", "--policy", str(policy))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "unknown key 'colour'" in err
    assert "4 more" in err


def test_rules_list_and_explain_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "list", "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == list(RULES)
    code, out, _ = run(capsys, "rules", "explain", "file-header", "--format", "json")
    assert code == 0
    assert json.loads(out)["default_severity"] == "info"
