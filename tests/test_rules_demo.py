"""The rules on the demo portfolio's repositories, through `os2scan check` and real scancode.

Each planted fault is reported under its rule, and a waiver until a future date makes the
faulty repository pass while the same waiver with a past date does not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.cli import main

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.scancode


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("rules-demo") / "demo"
    shutil.copytree(ROOT / "scanner" / "demo", target)
    return target


def check(capsys: pytest.CaptureFixture[str], demo: Path, repo: str, *extra: str):  # type: ignore[no-untyped-def]
    args = ["check", str(demo / repo), "--db", str(demo / "db.sqlite"), "--jobs", "1"]
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--format", "json", "--quiet", *extra])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), json.loads(out) if out.strip() else None, err


PLANTED = {
    "borger-api": {
        ("file-license-conflict", "src/borger/gpl_helper.py", "error"),
        ("file-license-conflict", "src/borger/billing.py", "error"),
        ("restrictive-notice", "src/borger/billing.py", "warning"),
        ("declared-license-consistent", "package.json", "warning"),
    },
    "borger-web": {
        ("license-file", None, "error"),
        ("declared-license-open", None, "error"),
        ("copyright-holder", None, "error"),
        ("docs-license", "README.md", "warning"),
    },
    "data-tools": {
        ("copyright-holder", None, "error"),
        ("declared-license-allowed", None, "warning"),
    },
}


@pytest.mark.parametrize("repo", sorted(PLANTED))
def test_each_planted_fault_is_reported_under_its_rule(
    capsys: pytest.CaptureFixture[str], demo: Path, repo: str
) -> None:
    code, report, err = check(capsys, demo, repo)
    assert code == 1, err
    found = {(v["rule"], v["path"], v["severity"]) for v in report["violations"]}
    assert PLANTED[repo] <= found


def test_the_compliant_demo_repository_has_no_errors_or_warnings(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, report, err = check(capsys, demo, "kalender", "--fail-on", "warning")
    assert code == 0, err
    assert [v for v in report["violations"] if v["severity"] != "info"] == []


def waiver_policy(demo: Path, expires: str) -> Path:
    path = demo / f"policy-{expires}.yaml"
    path.write_text(
        "extends: os2\n"
        "waivers:\n"
        "  - rule: file-license-conflict\n"
        "    repository: borger-api\n"
        "    path: src/borger/*\n"
        "    reason: The helper and the billing module are rewritten before release\n"
        f"    expires: {expires}\n"
        "    approved_by: OS2 steering group\n",
        encoding="utf-8",
    )
    return path


def test_a_waiver_until_a_future_date_makes_the_repository_pass(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    policy = waiver_policy(demo, "2999-12-31")
    code, report, err = check(capsys, demo, "borger-api", "--policy", str(policy))
    assert code == 0, err
    conflicts = [v for v in report["violations"] if v["rule"] == "file-license-conflict"]
    assert len(conflicts) == 2
    assert all(v["waived"] for v in conflicts)
    assert report["policy"]["name"] == "policy-2999-12-31"


def test_the_same_waiver_with_a_past_date_does_not(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    policy = waiver_policy(demo, "2001-01-01")
    code, report, err = check(capsys, demo, "borger-api", "--policy", str(policy))
    assert code == 1, err
    conflicts = [v for v in report["violations"] if v["rule"] == "file-license-conflict"]
    assert len(conflicts) == 2
    assert not any(v["waived"] for v in conflicts)
