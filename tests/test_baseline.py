"""Baselines: record today's violations, then fail only on new ones (matched by rule, path
and licence, never by line)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from ci_helpers import gpl_file, mpl_project
from conftest import git
from conftest import run_cli as run
from hypothesis import given, settings
from hypothesis import strategies as st
from report_helpers import WAIVER, violation

from rules.baseline import (
    apply_baseline,
    load_baseline,
    parse_baseline,
    render_baseline,
    write_baseline,
)
from scanner.kernel.errors import InputError
from scanner.kernel.models import Severity, Waiver

GPL = violation(
    "file-license-conflict", Severity.ERROR, "P", "repo", "src/gpl.py", 2, "GPL-3.0-only"
)
NO_PUBLICCODE = violation("publiccode", Severity.INFO, "P", "repo")


def test_a_violation_keeps_its_key_when_its_line_or_message_changes() -> None:
    moved = replace(GPL, line=40, message="reworded")
    assert moved.key == GPL.key == ("file-license-conflict", "src/gpl.py", "GPL-3.0-only")
    assert replace(GPL, repository="clone").key == GPL.key  # the folder name is not identity
    assert replace(GPL, repository="clone").scoped_key != GPL.scoped_key
    assert replace(GPL, license="GPL-2.0-only").key != GPL.key




# --- the file -------------------------------------------------------------------------------


def test_a_written_baseline_holds_sorted_distinct_keys_without_lines(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    moved = replace(GPL, line=30, repository="elsewhere")
    count = write_baseline(path, [GPL, NO_PUBLICCODE, moved])
    assert count == 2
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "os2scan_baseline": 1,
        "violations": [
            {"rule": "publiccode", "path": None, "license": None},
            {"rule": "file-license-conflict", "path": "src/gpl.py", "license": "GPL-3.0-only"},
        ],
    }
    baseline = load_baseline(path)
    assert GPL in baseline
    assert moved in baseline
    assert NO_PUBLICCODE in baseline
    assert replace(GPL, license="AGPL-3.0-only") not in baseline
    assert replace(GPL, path="src/other.py") not in baseline
    assert replace(GPL, rule="restrictive-notice") not in baseline


def test_violations_a_policy_waiver_covers_are_not_recorded() -> None:
    waived = violation("copyright-holder-expected", Severity.WARNING, "P", "repo", waiver=WAIVER)
    assert json.loads(render_baseline([waived]))["violations"] == []


def test_applying_a_baseline_marks_old_violations_waived_and_leaves_new_ones() -> None:
    baseline = parse_baseline(render_baseline([GPL]), "ci/.os2scan-baseline.json")
    new = replace(GPL, path="src/new.py")
    expired = Waiver(rule=GPL.rule, reason="old", expires="2020-01-01", expired=True)
    marked = apply_baseline([replace(GPL, line=99), new, replace(GPL, waiver=expired)], baseline)
    assert marked[0].waived
    assert marked[0].waiver is not None
    assert marked[0].waiver.reason == "in the baseline .os2scan-baseline.json"
    assert not marked[1].waived
    assert marked[2].waived
    assert "expired 2020-01-01" in marked[2].waiver.reason


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "os2scan_baseline": 1,\n  "violations": [\n', 4, "not valid JSON"),
        ('{\n  "os2scan_baseline": 1,\n  "violations": [],\n}\n', 4, "not valid JSON"),
        ('[\n  {"rule": "publiccode"}\n]\n', 1, "not an os2scan baseline"),
        ('{"os2scan_baseline": 2, "violations": []}', 1, "not an os2scan baseline"),
        ('{"os2scan_baseline": true, "violations": []}', 1, "not an os2scan baseline"),
        ('{\n  "os2scan_baseline": 1,\n  "violation": []\n}\n', 1, "unknown key 'violation'"),
        ('{"os2scan_baseline": 1,\n "violations": {}}', 1, '"violations" must be a list'),
        (
            '{"os2scan_baseline": 1, "violations": [\n {"rule": "publiccode"},\n'
            ' {"rule": "x", "line": 3}\n]}',
            3,
            "unknown key 'line'",
        ),
        ('{"os2scan_baseline": 1, "violations": [\n\n {"path": "a.py"}]}', 3, '"rule"'),
        ('{"os2scan_baseline": 1, "violations": [\n {"rule": "x", "path": 1}]}', 2, '"path"'),
    ],
)
def test_a_broken_baseline_names_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_baseline(text, "base.json")
    assert info.value.source == "base.json"
    assert info.value.line == line
    assert message in info.value.message


def test_a_missing_or_unreadable_baseline_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_baseline(tmp_path / "nope.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        load_baseline(binary)


# --- os2scan check --baseline / --write-baseline --------------------------------------------


@pytest.mark.scancode
def test_check_fails_only_on_violations_the_baseline_does_not_hold(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project(**{"src/gpl_helper.py": gpl_file()}))
    db = str(tmp_path / "db.sqlite")
    baseline = repo / ".os2scan-baseline.json"

    code, _, err = run(capsys, "check", str(repo), "--db", db, "--jobs", "1")
    assert code == 1, err

    code, out, err = run(
        capsys, "check", str(repo), "--db", db, "--jobs", "1", "--write-baseline", str(baseline)
    )
    assert code == 0, out + err
    assert "wrote" in err
    assert baseline.is_file()
    recorded = json.loads(baseline.read_text(encoding="utf-8"))["violations"]
    assert {
        "rule": "file-license-conflict",
        "path": "src/gpl_helper.py",
        "license": "GPL-3.0-only",
    } in recorded

    # the baseline is committed: its licence names are not findings about the project
    git(repo, "add", ".os2scan-baseline.json")
    git(repo, "commit", "-q", "-m", "Add the os2scan baseline")
    code, out, err = run(
        capsys, "check", str(repo), "--db", db, "--jobs", "1", "--baseline", str(baseline)
    )
    assert code == 0, out + err
    assert "src/gpl_helper.py:2: error file-license-conflict" in out
    assert "[waived: in the baseline .os2scan-baseline.json]" in out
    assert ".os2scan-baseline.json:" not in out.replace("[waived: in the baseline ", "")

    # lines move: still the same violation
    (repo / "src/gpl_helper.py").write_text("\n\n\n" + gpl_file(), encoding="utf-8")
    # a second conflicting file: new, so it fails, and only it is unwaived
    (repo / "src/vendored.py").write_text(gpl_file("other"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Move lines, add a file")
    code, out, err = run(
        capsys,
        "check",
        str(repo),
        "--db",
        db,
        "--jobs",
        "1",
        "--baseline",
        str(baseline),
        "--format",
        "json",
    )
    assert code == 1, out + err
    violations = json.loads(out)["violations"]
    failing = [v for v in violations if v["severity"] == "error" and not v["waived"]]
    assert [(v["rule"], v["path"]) for v in failing] == [
        ("file-license-conflict", "src/vendored.py")
    ]
    moved = next(
        v
        for v in violations
        if v["path"] == "src/gpl_helper.py" and v["rule"] == "file-license-conflict"
    )
    assert moved["waived"]
    assert moved["line"] == 5


@pytest.mark.scancode
def test_a_broken_baseline_stops_check_before_scanning(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project())
    broken = tmp_path / "baseline.json"
    broken.write_text('{"os2scan_baseline": 1,\n "violations": [\n {"rule": 3}]}', "utf-8")

    code, out, err = run(
        capsys,
        "check",
        str(repo),
        "--db",
        str(tmp_path / "db.sqlite"),
        "--jobs",
        "1",
        "--baseline",
        str(broken),
    )

    assert code == 2
    assert out == ""
    assert err.strip() == f'os2scan: {broken}:3: a baseline violation needs a "rule" (a rule id)'
    assert not (tmp_path / "db.sqlite").exists()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["os2scan_baseline", "violations", "rule", "path", "license"]),
                    inner,
                    max_size=4,
                )
            ),
        ).map(json.dumps),
    )
)
def test_any_text_is_a_baseline_or_one_input_error(text: str) -> None:
    try:
        parse_baseline(text, "fuzz.json")
    except InputError as exc:
        assert str(exc).startswith("fuzz.json")  # noqa: PT017 - either outcome is allowed, only its form is checked
        assert "\n" not in str(exc)  # noqa: PT017 - either outcome is allowed, only its form is checked


def test_a_baseline_nested_too_deeply_is_an_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        parse_baseline("[" * 100_000 + "]" * 100_000, "deep.json")


@pytest.mark.scancode
def test_check_says_when_baseline_entries_are_fixed(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project(**{"src/gpl_helper.py": gpl_file()}))
    db = str(tmp_path / "db.sqlite")
    baseline = tmp_path / "baseline.json"
    code, _, err = run(
        capsys, "check", str(repo), "--db", db, "--jobs", "1", "--write-baseline", str(baseline)
    )
    assert code == 0, err

    git(repo, "rm", "-q", "src/gpl_helper.py")
    git(repo, "commit", "-q", "-m", "Remove the GPL helper")
    code, out, err = run(
        capsys, "check", str(repo), "--db", db, "--jobs", "1", "--baseline", str(baseline)
    )

    assert code == 0, out + err
    assert "gpl_helper" not in out
    assert re.search(
        rf"^os2scan: \d+ baseline entr(y no longer occurs|ies no longer occur); "
        rf"`--write-baseline {re.escape(str(baseline))}` shrinks the baseline$",
        err,
        re.MULTILINE,
    ), err
