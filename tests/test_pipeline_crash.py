"""Crashes lose nothing: a scan killed at random points and rerun ends with the same results as
an uninterrupted one; a full disk or a read-only database is one clear error (exit 2) and the
scans already stored stay intact."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hostile_helpers import (
    SmallDisk,
    child_env,
    integrity,
    make_repo,
    mpl_files,
    os2scan_command,
    run_cli,
    scan_rows,
    write_portfolio,
)

from scanner.store import Store

pytestmark = [pytest.mark.scancode, pytest.mark.reliability]

LICENCES = ("MIT", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause", "MPL-2.0")


def _project(name: str, count: int) -> dict[str, str | bytes]:
    """An MPL-2.0 project whose files each have distinct content with licence words in it."""
    files = mpl_files(name)
    for i in range(count):
        licence = LICENCES[i % len(LICENCES)]
        body = "\n".join(f"def f{j}_{i}():\n    return {i * j + len(name)}" for j in range(25))
        files[f"src/{name}_{i}.py"] = (
            f"# Copyright (c) 20{i % 25:02d} {name.title()} Contributor {i}\n"
            f"# This file is distributed under the terms of the {licence} license.\n"
            f"# SPDX-License-Identifier: {licence}\n{body}\n"
        )
    return files


def _portfolio(tmp_path: Path) -> Path:
    alpha = make_repo(tmp_path / "alpha", _project("alpha", 15))
    beta = make_repo(tmp_path / "beta", _project("beta", 15))
    gamma = make_repo(tmp_path / "gamma", _project("gamma", 10))
    return write_portfolio(
        tmp_path / "portfolio.yaml",
        [("One", "path", str(alpha)), ("One", "git", str(beta)), ("Two", "path", str(gamma))],
    )


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return int(con.execute(sql).fetchone()[0] or 0)
    except sqlite3.Error:
        return 0


def _latest_complete(db: Path) -> int:
    return _count(db, "SELECT MAX(id) FROM scans WHERE status = 'complete'")


def test_a_scan_killed_at_random_points_and_rerun_matches_an_uninterrupted_scan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    portfolio = _portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)

    # The uninterrupted reference, in a fresh database.
    reference = tmp_path / "reference.sqlite"
    code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(reference),
                              "--workspace", str(tmp_path / "ws-reference"), "--jobs", "1",
                              "--quiet")
    assert code == 0, err
    expected = scan_rows(reference, _latest_complete(reference))
    assert len(expected["repositories"]) == 3
    assert expected["violations"]

    db = tmp_path / "killed.sqlite"
    detections = "SELECT COUNT(*) FROM detections"
    saved = "SELECT COUNT(*) FROM repositories WHERE scan_id = (SELECT MAX(id) FROM scans)"
    early = rng.uniform(0.3, 2.5)
    cached = rng.randint(1, 20)
    kill_points = [
        ("at a random moment of start-up", lambda elapsed: elapsed > early),
        ("in the middle of detection", lambda _elapsed: _count(db, detections) >= cached),
        ("after a repository was stored", lambda _elapsed: _count(db, saved) >= 1),
    ]
    killed_at = []
    for what, condition in kill_points:
        process = subprocess.Popen(
            os2scan_command("scan", str(portfolio), "--db", str(db), "--workspace",
                            str(tmp_path / "ws"), "--jobs", "1", "--quiet"),
            env=child_env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        while process.poll() is None and not condition(time.monotonic() - started):
            assert time.monotonic() - started < 180, f"seed {seed}: {what} never came"
            time.sleep(0.05)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed_at.append((what, _count(db, detections), _count(db, saved)))
        process.wait(timeout=30)
        if db.exists():
            assert integrity(db) == "ok", f"seed {seed}: after a kill {what}"
    assert killed_at, f"seed {seed}: every run finished before it could be killed"

    # The rerun completes and finds exactly what the uninterrupted scan found.
    code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--workspace",
                              str(tmp_path / "ws"), "--jobs", "1", "--quiet")
    assert code == 0, err
    assert integrity(db) == "ok"
    assert scan_rows(db, _latest_complete(db)) == expected, f"seed {seed}, kills {killed_at}"
    with Store.open(db) as store:
        statuses = [s.status for s in store.list_scans()]
    assert statuses[-1] == "complete", statuses
    assert "complete" not in statuses[:-1], statuses


def _stored(db: Path) -> tuple[list[tuple[int, str]], str]:
    with Store.open(db) as store:
        scans = [(s.id, s.status) for s in store.list_scans()]
        result = store.load_result(scans[0][0])
    summary = json.dumps(
        [
            [r.checkout.name, r.facts.declared_license, [f.path for f in r.files]]
            for r in result.repositories
        ]
        + [[v.rule, v.path] for v in result.violations]
    )
    return scans, summary


def _assert_one_store_error(code: int, err: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "database" in lines[0]
    assert "Traceback" not in err
    assert "internal error" not in err


@pytest.mark.parametrize("leave_kib", [0, 16, 40])
def test_a_full_disk_is_one_clear_error_and_stored_scans_stay_intact(
    leave_kib: int, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    scancode_index: object, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    first = make_repo(tmp_path / "first", mpl_files("first"))
    second = make_repo(tmp_path / "second", _project("second", 20))
    disk = SmallDisk(tmp_path / "disk", size_kib=2048)
    try:
        db = disk.path / "os2scan.sqlite"
        code, _out, err = run_cli(capsys, "check", str(first), "--db", str(db), "--jobs", "1")
        assert code == 0, err
        before = _stored(db)
        filler = disk.fill(leave_kib)

        code, _out, err = run_cli(capsys, "check", str(second), "--db", str(db), "--jobs", "1")

        _assert_one_store_error(code, err)
        filler.unlink()
        assert integrity(db) == "ok"
        scans, summary = _stored(db)
        assert scans[0] == before[0][0]
        assert summary == before[1]
    finally:
        disk.close()


def test_a_read_only_database_is_one_clear_error_and_stays_intact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = make_repo(tmp_path / "repo", mpl_files())
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("P", "path", str(repo))])
    disk = SmallDisk(tmp_path / "disk", size_kib=4096)
    try:
        db = disk.path / "os2scan.sqlite"
        code, _out, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
        assert code == 0, err
        before = _stored(db)
        disk.read_only()

        for args in (["check", str(repo)], ["scan", str(portfolio), "--quiet"]):
            code, _out, err = run_cli(capsys, *args, "--db", str(db), "--jobs", "1")
            _assert_one_store_error(code, err)

        disk.read_only(False)
        assert integrity(db) == "ok"
        assert _stored(db) == before
    finally:
        disk.close()


def test_a_database_that_is_not_one_is_refused_with_one_line_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = make_repo(tmp_path / "repo", mpl_files())
    text = tmp_path / "notes.txt"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n" * 200, encoding="utf-8")
    real = tmp_path / "real.sqlite"
    with Store.open(real):
        pass
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(real.read_bytes()[:100] + b"\xff" * 5000)
    newer = tmp_path / "newer.sqlite"
    with Store.open(newer):
        pass
    with sqlite3.connect(newer) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")

    for db in (text, truncated, newer):
        before = db.read_bytes()
        code, _out, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
        _assert_one_store_error(code, err)
        assert db.read_bytes() == before, db.name


@pytest.mark.parametrize("leave_kib", [8, 160])
def test_a_full_workspace_disk_fails_the_clone_not_the_scan(
    leave_kib: int,
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = make_repo(tmp_path / "source", _project("source", 30))
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("P", "git", str(source))])
    disk = SmallDisk(tmp_path / "disk", size_kib=256)
    try:
        disk.fill(leave_kib)
        db = tmp_path / "db.sqlite"

        code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--workspace",
                                  str(disk.path / "workspace"), "--jobs", "1", "--quiet")

        assert code == 3, err  # the repository could not be collected; the scan itself ran
        assert "Traceback" not in err
        assert "internal error" not in err
        with Store.open(db) as store:
            (record,) = store.list_scans()
            (repo,) = store.load_result(record.id).repositories
        assert record.status == "complete"
        assert repo.checkout.error
        assert "\n" not in repo.checkout.error
        assert not [p for p in (disk.path / "workspace").iterdir() if p.is_dir()]  # cleaned up
    finally:
        disk.close()
