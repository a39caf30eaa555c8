"""`os2scan report` renders a stored scan; `os2scan scans` lists the history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as run
from report_helpers import save_scan, scan_result

from scanner.kernel.models import ScanKind
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


def test_report_quiet_writes_the_reports_and_prints_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = run(
        capsys, "report", "--db", str(db), "--out", str(out), "--format", "json", "--quiet"
    )
    assert (code, stdout, stderr) == (0, "", "")
    assert len(json.loads((out / "report.json").read_text(encoding="utf-8"))["violations"]) == 4


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
        "kind",
        "started_at",
        "finished_at",
        "status",
        "portfolio",
        "policy",
        "tool_version",
    ]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]
    assert all("complete" in line and "portfolio.yaml" in line for line in lines[1:])
    code, stdout, _ = run(capsys, "scans", "--db", str(db), "--format", "json")
    assert [row["id"] for row in json.loads(stdout)] == [1, 2]


def test_scans_on_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.sqlite"
    Store.open(path).close()
    code, stdout, _ = run(capsys, "scans", "--db", str(path))
    assert (code, stdout.strip()) == (0, "No scans yet.")
    code, _, stderr = run(capsys, "report", "--db", str(path), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "no complete portfolio scan" in stderr


@pytest.fixture
def mixed_db(tmp_path: Path) -> Path:
    """Two portfolio scans with a CI check run after them (scans 1, 2 and 3)."""
    path = tmp_path / "mixed.sqlite"
    with Store.open(path) as store:
        save_scan(store, scan_result(violations=scan_result().violations[:1]))
        save_scan(store, scan_result())
        check = scan_result(repositories=scan_result().repositories[:1], violations=())
        save_scan(store, check, portfolio="check:core", kind=ScanKind.CHECK)
    return path


def test_report_after_a_check_renders_the_portfolio_scan(
    mixed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = run(
        capsys, "report", "--db", str(mixed_db), "--out", str(out), "--lang", "en"
    )
    assert code == 0, stderr
    assert "Scan 2:" in stdout
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["scan"]["id"] == 2
    assert data["scan"]["kind"] == "portfolio"
    assert data["scan"]["portfolio"] == "portfolio.yaml"
    assert "check:core" not in (out / "index.html").read_text(encoding="utf-8")
    code, stdout, _ = run(
        capsys, "report", "--db", str(mixed_db), "--out", str(tmp_path / "any"), "--any-kind",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert "Scan 3:" in stdout


def test_scans_lists_portfolio_scans_unless_asked_for_all(
    mixed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "scans", "--db", str(mixed_db), "--format", "json")
    assert code == 0
    assert [(r["id"], r["kind"]) for r in json.loads(stdout)] == [
        (1, "portfolio"), (2, "portfolio"),
    ]  # fmt: skip
    code, stdout, _ = run(capsys, "scans", "--db", str(mixed_db), "--all", "--format", "json")
    assert [(r["id"], r["kind"]) for r in json.loads(stdout)][-1] == (3, "check")
    code, stdout, _ = run(capsys, "scans", "--db", str(mixed_db), "--all")
    assert stdout.splitlines()[0].split()[:2] == ["id", "kind"]
    assert stdout.splitlines()[-1].split()[:2] == ["3", "check"]


def test_prune_keeps_the_newest_scans_of_each_portfolio_and_kind(
    mixed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(mixed_db) as store:
        detections_before = store.count_detections()
    code, stdout, stderr = run(capsys, "prune", "--db", str(mixed_db), "--keep", "1")
    assert code == 0, stderr
    assert stdout.strip() == "Pruned 1 scans: 1"
    with Store.open(mixed_db) as store:
        assert [(s.id, s.kind.value) for s in store.list_scans()] == [
            (2, "portfolio"), (3, "check"),
        ]  # fmt: skip
        assert store.load_result(2).repositories  # what is kept is whole
        assert store.count_detections() == detections_before
    code, _, stderr = run(capsys, "prune", "--db", str(mixed_db), "--keep", "0")
    assert code == 2
    assert "0" in stderr


def test_retention_setting_prunes_after_each_run(
    mixed_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OS2SCAN_KEEP_SCANS", "1")
    code, stdout, _ = run(capsys, "prune", "--db", str(mixed_db), "--format", "json")
    assert code == 0
    assert json.loads(stdout) == {"deleted": [1]}
