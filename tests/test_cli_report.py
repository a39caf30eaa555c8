"""`os2scan report` renders a stored scan; `os2scan scans` lists the history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as run
from report_helpers import save_scan, scan_result

from scanner.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scans.sqlite"
    with Store.open(path) as store:
        save_scan(store, scan_result(violations=scan_result().violations[:1]))
        save_scan(store, scan_result())
    return path


def test_report_renders_the_latest_scan(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = run(capsys, "report", "--db", str(db), "--out", str(out))
    assert code == 0, stderr
    assert "Scan 2:" in stdout
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(data["violations"]) == 4
    # Danish by default for the OS2 policy; the previous scan gives the changes
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in index
    assert "2 nye og 0 rettede overtrædelser siden scanning 1." in index
    assert 'id="chart-trend"' in index


def test_report_a_chosen_scan_format_and_language(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "one"
    code, _, stderr = run(
        capsys, "report", "--db", str(db), "--scan", "1", "--out", str(out),
        "--format", "json", "--format", "markdown", "--lang", "en",
    )  # fmt: skip
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.md"]
    assert len(json.loads((out / "report.json").read_text())["violations"]) == 1
    assert (out / "report.md").read_text().startswith("# Licence compliance")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scan", "9"], "there is no scan 9"),
        (["--format", "pdf"], "pdf"),
        (["--lang", "fr"], "fr"),
    ],
)
def test_report_bad_input_is_one_line_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, stderr = run(capsys, "report", "--db", str(db), "--out", str(tmp_path / "o"), *args)
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr


def test_report_without_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite"
    code, _, stderr = run(capsys, "report", "--db", str(missing), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "no such database" in stderr
    assert not missing.exists()


def test_report_needs_out(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "report", "--db", str(db))
    assert code == 2
    assert "--out" in stderr


def test_scans_lists_the_history(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "scans", "--db", str(db))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "started_at",
        "finished_at",
        "status",
        "portfolio",
        "policy",
        "tool_version",
    ]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]
    assert all("complete" in line and "portfolio.yaml" in line for line in lines[1:])
    code, stdout, _ = run(capsys, "scans", "--db", str(db), "--json")
    assert [row["id"] for row in json.loads(stdout)] == [1, 2]


def test_scans_on_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.sqlite"
    Store.open(path).close()
    code, stdout, _ = run(capsys, "scans", "--db", str(path))
    assert (code, stdout.strip()) == (0, "No scans yet.")
    code, _, stderr = run(capsys, "report", "--db", str(path), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "no complete scan" in stderr
