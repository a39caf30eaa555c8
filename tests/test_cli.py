"""The command line end to end: real git repositories, real scancode, a real database.

These tests run `os2scan` in-process through the same error boundary as the console script,
with `--jobs 1` so the licence index is loaded once for the whole test session.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli as run

from scanner.store import Store

ROOT = Path(__file__).resolve().parents[1]
MPL_TEXT = (ROOT / "scanner" / "demo" / "kalender" / "LICENSE").read_text(encoding="utf-8")

pytestmark = pytest.mark.scancode




def mpl_project(**extra: str) -> dict[str, str]:
    files = {
        "LICENSE": MPL_TEXT,
        "src/app.py": (
            "# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab\n"
            "# SPDX-License-Identifier: MPL-2.0\n"
            "print('hej')\n"
        ),
    }
    files.update(extra)
    return files


GPL_FILE = (
    "# SPDX-FileCopyrightText: 2021 Some Contributor\n"
    "# SPDX-License-Identifier: GPL-3.0-only\n"
    "def helper():\n    return 1\n"
)


def test_check_fails_on_a_gpl_file_in_an_mpl_project_and_names_it(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project(**{"src/gpl_helper.py": GPL_FILE}))

    code, out, err = run(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                         "--jobs", "1")

    assert code == 1, err
    assert "src/gpl_helper.py" in out
    assert "file-license-conflict" in out
    assert "GPL-3.0" in out


def test_check_passes_a_clean_mpl_project(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project())

    code, out, err = run(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                         "--jobs", "1", "--format", "json")

    assert code == 0, out + err
    report = json.loads(out)
    assert report["repositories"][0]["declared_license"] == "MPL-2.0"
    assert report["repositories"][0]["copyright_holders"]
    assert not [v for v in report["violations"] if v["severity"] == "error"]


def test_check_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project(**{"src/gpl_helper.py": GPL_FILE}))

    _code, out, _ = run(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                       "--jobs", "1", "--format", "json")

    report = json.loads(out)
    assert set(report) >= {"tool", "policy", "repositories", "violations"}
    assert set(report["tool"]) == {"name", "version"}
    repo_entry = report["repositories"][0]
    assert set(repo_entry) >= {
        "product", "name", "path", "commit", "declared_license", "declared_sources",
        "copyright_holders", "files", "components", "status", "error",
    }
    assert set(repo_entry["files"]) == {"total", "scanned", "with_license", "with_copyright"}
    assert repo_entry["files"]["total"] == 3
    violation = next(v for v in report["violations"] if v["rule"] == "file-license-conflict")
    assert set(violation) == {
        "rule", "severity", "product", "repository", "path", "line", "license", "message",
        "how_to_fix", "waived", "files",
    }
    assert violation["path"] == "src/gpl_helper.py"


def test_a_rescan_of_unchanged_content_runs_the_detector_on_no_file(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("product", mpl_project())
    copy = repo_factory("copy", mpl_project())  # the same blobs in another repository
    db = tmp_path / "db.sqlite"

    run(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
    run(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
    run(capsys, "check", str(copy), "--db", str(db), "--jobs", "1")

    with Store.open(db) as store:
        scans = [store.load_result(s.id) for s in store.list_scans()]
    assert [s.repositories[0].scanned_files for s in scans] == [2, 0, 0]


def portfolio_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "portfolio.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_scan_collects_paths_and_git_urls_and_reports_each_product(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo_factory("local", mpl_project())
    remote = repo_factory("remote", mpl_project(**{"src/gpl_helper.py": GPL_FILE}))
    portfolio = portfolio_file(tmp_path, f"""
name: Test
products:
  - name: OS2good
    repositories:
      - path: local
  - name: OS2bad
    repositories:
      - git: file://{remote}
""")

    code, out, err = run(capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"),
                         "--workspace", str(tmp_path / "ws"), "--jobs", "1", "--quiet")

    assert code == 0, err  # --fail-on never is the default for scan
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("OS2")}
    assert "non-compliant" in lines["OS2bad"]
    assert lines["OS2good"].split()[-1] in ("compliant", "warnings")

    code, _, _ = run(capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"),
                     "--workspace", str(tmp_path / "ws"), "--jobs", "1", "--quiet",
                     "--fail-on", "error")
    assert code == 1


def test_a_repository_that_cannot_be_collected_gives_exit_3_and_the_rest_is_scanned(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo_factory("local", mpl_project())
    portfolio = portfolio_file(tmp_path, f"""
name: Test
products:
  - name: OS2good
    repositories:
      - path: local
      - git: file://{tmp_path}/does-not-exist
""")
    db = tmp_path / "db.sqlite"

    code, _out, err = run(capsys, "scan", str(portfolio), "--db", str(db),
                         "--workspace", str(tmp_path / "ws"), "--jobs", "1", "--quiet")

    assert code == 3
    assert "does-not-exist" in err
    with Store.open(db) as store:
        result = store.load_result(store.list_scans()[-1].id)
    assert [r.checkout.ok for r in result.repositories] == [True, False]
    assert result.repositories[0].files


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("name: [unclosed", "portfolio.yaml:1"),
        ("name: T\nproducts:\n  - name: P\n    repositories:\n      - path: nowhere\n",
         "portfolio.yaml:5"),
        ("name: T\nproducts:\n  - name: P\n    colour: blue\n    repositories: []\n",
         "portfolio.yaml:4"),
    ],
    ids=["bad-yaml", "missing-path", "unknown-key"],
)
def test_bad_portfolio_files_exit_2_with_one_line_naming_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, expected: str
) -> None:
    portfolio = portfolio_file(tmp_path, body)

    code, _out, err = run(capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"))

    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "missing"))
    assert code == 2
    assert "Traceback" not in err
    code, _, err = run(capsys, "check", "--fail-on", "sometimes")
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_the_demo_portfolio_shows_each_planted_fault(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(ROOT / "scanner" / "demo", demo)

    code, _out, err = run(capsys, "scan", str(demo / "portfolio.yaml"), "--jobs", "1",
                         "--db", str(tmp_path / "db.sqlite"), "--quiet")

    assert code == 0, err
    with Store.open(tmp_path / "db.sqlite") as store:
        result = store.load_result(store.list_scans()[-1].id)
    found = {(v.repository, v.rule, v.path) for v in result.violations}
    assert ("borger-api", "file-license-conflict", "src/borger/gpl_helper.py") in found
    assert ("borger-web", "license-file", None) in found
    assert ("borger-web", "declared-license-open", None) in found
    assert ("borger-web", "copyright-holder", None) in found
    assert ("data-tools", "copyright-holder", None) in found
    assert not [v for v in result.violations
                if v.repository == "kalender" and v.severity.value == "error"]


def test_an_unreachable_forge_is_one_line_on_stderr_not_a_log_of_retries(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    portfolio = portfolio_file(tmp_path, """
name: Test
products:
  - name: OS2mo
    repositories:
      - github_org: OS2mo
""")
    # A real process, so stderr is what a user sees; the retry backoff is shortened first.
    program = (
        "import sys; from scanner.collectors import forge; forge.configure(backoff=0.01); "
        "from scanner.cli import main; main(sys.argv[1:])"
    )
    process = subprocess.run(
        [sys.executable, "-c", program, "scan", str(portfolio), "--db", str(tmp_path / "db"),
         "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "GITHUB_API_URL": "http://127.0.0.1:9"},  # nothing listens there
    )

    assert process.returncode == 3
    assert process.stderr.strip().splitlines() == [
        "os2scan: OS2mo: cannot reach GitHub for organisation OS2mo: ConnectionError"
    ]


def test_check_prints_a_valid_cyclonedx_sbom_and_an_spdx_document(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    repo = repo_factory("sbom", mpl_project(**{"src/gpl_helper.py": GPL_FILE}))
    db = str(tmp_path / "db.sqlite")
    code, out, err = run(capsys, "check", str(repo), "--db", db, "--jobs", "1",
                         "--format", "cyclonedx")  # fmt: skip
    assert code == 1, err  # the GPL file is an error; the SBOM is printed all the same
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out) is None
    bom = json.loads(out)
    assert bom["specVersion"] == "1.6"
    subject = bom["metadata"]["component"]
    assert subject["name"] == "sbom"
    assert subject["licenses"] == [{"expression": "MPL-2.0"}]
    files = {c["name"]: c for c in subject["components"]}
    assert files["src/gpl_helper.py"]["licenses"] == [{"expression": "GPL-3.0-only"}]
    code, out, _ = run(capsys, "check", str(repo), "--db", db, "--jobs", "1", "--format", "spdx")
    document = json.loads(out)
    assert document["spdxVersion"] == "SPDX-2.3"
    assert document["packages"][0]["name"] == "sbom"
