"""Special files and odd values as input: refused with one line and exit code 2, quickly,
without blocking, eating memory, leaving files behind or printing a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hostile_helpers import (
    SmallDisk,
    child_env,
    make_repo,
    mpl_files,
    run_cli,
    run_subprocess,
    write_portfolio,
)

from scanner.store import Store

pytestmark = pytest.mark.security


def _refused(done: subprocess.CompletedProcess[bytes], *words: str) -> str:
    """The run ended with exit 2 and exactly one line on stderr naming `words`."""
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.count("\n") == 1, err
    assert err.startswith("os2scan: "), err
    assert "Traceback" not in err
    assert "internal error" not in err
    for word in words:
        assert word in err
    return err


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


# --- special files: pipes, devices, /proc and /sys ----------------------------------------------


def test_a_named_pipe_as_portfolio_is_refused_without_opening_it(fifo: Path) -> None:
    _refused(run_subprocess("scan", str(fifo), timeout=30), "named pipe")


def test_a_named_pipe_as_baseline_or_policy_is_refused(tmp_path: Path, fifo: Path) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    _refused(run_subprocess("check", str(repo), "--baseline", str(fifo), timeout=30), "baseline")
    _refused(run_subprocess("check", str(repo), "--policy", str(fifo), timeout=30), "policy")


def test_a_device_as_portfolio_is_refused(tmp_path: Path) -> None:
    _refused(run_subprocess("scan", "/dev/zero", timeout=30), "character device")


@pytest.mark.parametrize("folder", ["/proc/self", "/sys", "/dev", "/"])
def test_system_folders_are_not_checked(folder: str) -> None:
    _refused(run_subprocess("check", folder, timeout=30), "folder")


@pytest.mark.parametrize("entry", ["/", "/proc", "/sys/kernel"])
def test_a_portfolio_path_into_system_folders_is_refused(tmp_path: Path, entry: str) -> None:
    portfolio = write_portfolio(tmp_path / "p.yaml", [("Root", "path", entry)])
    err = _refused(run_subprocess("scan", str(portfolio), "--db", str(tmp_path / "db"), timeout=30))
    assert "p.yaml:" in err


def test_dev_null_as_database_is_refused_and_leaves_no_journal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    journal = Path("/dev/null-journal")
    existed = journal.exists()
    for args in (("check", str(repo)), ("scans",), ("report", "--out", str(tmp_path / "o"))):
        _refused(run_subprocess(*args, "--db", "/dev/null", timeout=30), "/dev/null")
    assert journal.exists() == existed


def test_dev_full_as_output_is_one_line(tmp_path: Path, scancode_index: object,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    db = str(tmp_path / "db.sqlite")
    code, _out, err = run_cli(capsys, "check", str(repo), "--db", db, "--output", "/dev/full")
    assert code == 2
    assert err == "os2scan: /dev/full: cannot write the output: No space left on device\n"
    code, _out, err = run_cli(capsys, "check", str(repo), "--db", db,
                              "--write-baseline", "/dev/full")
    assert code == 2
    assert err.count("\n") == 1
    assert "No space left" in err


# --- values built to break parsing -----------------------------------------------------------


def test_a_baseline_number_of_100000_digits_is_one_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"os2scan_baseline": ' + "9" * 100_000 + ', "violations": []}')
    _refused(
        run_subprocess("check", str(repo), "--baseline", str(baseline), timeout=30),
        "100000 digits",
    )


@pytest.mark.parametrize("version", ["abc", "0", "-1", "9" * 5000, ""])
def test_a_database_with_an_odd_schema_version_is_refused_and_kept(
    tmp_path: Path, version: str
) -> None:
    db = tmp_path / "db.sqlite"
    Store.open(db).close()
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (version,))
    before = _dump(db)
    for args in (("scans",), ("check", str(tmp_path))):
        _refused(run_subprocess(*args, "--db", str(db), timeout=30), "not an os2scan database")
    assert _dump(db) == before


def test_another_programs_database_is_refused_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE notes (text TEXT)")
    before = _dump(db)
    _refused(run_subprocess("check", str(tmp_path), "--db", str(db), timeout=30), "not an os2scan")
    assert _dump(db) == before


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return list(con.iterdump())


def test_scans_and_report_read_a_read_only_database(
    tmp_path: Path, scancode_index: object, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    portfolio = write_portfolio(tmp_path / "p.yaml", [("App", "path", str(repo))])
    disk = SmallDisk(tmp_path / "ro", 4096)
    try:
        db = disk.path / "scans.sqlite"
        code, out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--jobs", "1")
        assert code == 0, out + err
        disk.read_only()
        code, out, err = run_cli(capsys, "scans", "--db", str(db))
        assert code == 0, err
        assert "complete" in out
        code, out, err = run_cli(
            capsys, "report", "--db", str(db), "--out", str(tmp_path / "out"), "--format", "json"
        )
        assert code == 0, err
        assert (tmp_path / "out" / "report.json").is_file()
    finally:
        disk.close()


# --- terminal output -------------------------------------------------------------------------


def test_control_characters_in_product_names_never_reach_the_terminal(
    tmp_path: Path, scancode_index: object
) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    portfolio = tmp_path / "p.yaml"
    portfolio.write_text(
        'name: Hostile\nproducts:\n  - name: "Evil\\e[2J\\rOK\\u0007"\n'
        f"    repositories:\n      - path: '{repo}'\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [*_command(), "scan", str(portfolio), "--db", str(tmp_path / "db"), "--jobs", "1"],
        env=child_env(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert b"\x1b" not in stream
        assert b"\r" not in stream
        assert b"\x07" not in stream
    assert b"Evil\\x1b[2J\\x0dOK\\x07" in done.stdout


def _command() -> list[str]:
    from hostile_helpers import os2scan_command

    return os2scan_command()


# --- policies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["/etc/passwd", "../outside.yaml", "sub/../../outside.yaml"])
def test_extends_stays_in_the_policys_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    (tmp_path / "outside.yaml").write_text("secret-key-line: 1\n", encoding="utf-8")
    policy = tmp_path / "team" / "policy.yaml"
    policy.parent.mkdir()
    policy.write_text(f"extends: '{ref}'\n", encoding="utf-8")
    code, _out, err = run_cli(capsys, "rules", "validate", str(policy))
    assert code == 2
    assert err.count("\n") == 1
    assert "outside the policy's folder" in err
    assert "root:" not in err
    assert "secret-key-line" not in err


def test_extends_reads_a_folder_the_user_allows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.yaml").write_text("extends: os2\nname: region\n", encoding="utf-8")
    policy = tmp_path / "team" / "policy.yaml"
    policy.parent.mkdir()
    policy.write_text(f"extends: '{shared / 'base.yaml'}'\n", encoding="utf-8")
    monkeypatch.setenv("OS2SCAN_POLICY_PATH", str(shared))
    code, _out, err = run_cli(capsys, "rules", "validate", str(policy))
    assert code == 0, err


def test_a_backtracking_owner_pattern_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scancode_index: object
) -> None:
    import time

    repo = make_repo(tmp_path / "app", mpl_files())  # holder: OS2 - Offentligt Digitali...
    policy = tmp_path / "policy.yaml"
    pattern = r"re:^([\w\s-]|[\w\s-])*\d$"  # 2^42 ways to fail on the holder
    policy.write_text(f"extends: os2\nowners:\n  expected: ['{pattern}']\n", encoding="utf-8")
    started = time.monotonic()
    code, _out, err = run_cli(
        capsys, "check", str(repo), "--policy", str(policy), "--db", str(tmp_path / "db")
    )
    assert time.monotonic() - started < 60
    assert code == 2
    assert err.count("\n") == 1
    assert "took over 1 s" in err
    assert pattern in err


# --- names -----------------------------------------------------------------------------------


def test_a_file_url_of_a_git_folder_names_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scancode_index: object
) -> None:
    repo = make_repo(tmp_path / "kalender", mpl_files())
    portfolio = write_portfolio(tmp_path / "p.yaml", [("Kalender", "git", f"file://{repo}/.git")])
    code, _out, err = run_cli(
        capsys, "scan", str(portfolio), "--db", str(tmp_path / "db"),
        "--workspace", str(tmp_path / "ws"), "--jobs", "1", "--out", str(tmp_path / "out"),
    )
    assert code == 0, err
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in data["repositories"]] == ["kalender"]
