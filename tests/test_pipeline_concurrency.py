"""Concurrent use: two scans against one database and one workspace at the same time both
complete, agree with each other, and leave every checkout intact."""

from __future__ import annotations

import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_helpers import (
    child_env,
    git,
    integrity,
    make_repo,
    mpl_files,
    os2scan_command,
    scan_rows,
    write_portfolio,
)

from scanner.collectors.git import sync_checkout

pytestmark = pytest.mark.reliability


def _repos(tmp_path: Path, count: int) -> list[Path]:
    return [
        make_repo(
            tmp_path / "sources" / f"repo{i}",
            mpl_files(
                f"repo{i}",
                **{f"src/extra{i}_{j}.py": f"# SPDX-License-Identifier: MPL-2.0\nv = {i * 10 + j}\n"
                   for j in range(3)},
            ),
        )
        for i in range(count)
    ]


def _assert_clean_checkouts(workspace: Path, sources: list[Path]) -> None:
    heads = {git(source, "rev-parse", "HEAD") for source in sources}
    checkouts = [p for p in workspace.iterdir() if p.is_dir()]
    assert len(checkouts) == len(sources)
    for checkout in checkouts:
        assert git(checkout, "status", "--porcelain", "--untracked-files=all") == ""
        assert git(checkout, "rev-parse", "HEAD") in heads
        assert not (checkout / ".git" / "index.lock").exists()
        git(checkout, "fsck", "--no-progress")


@pytest.mark.scancode
def test_two_scans_of_one_database_and_workspace_at_once_both_complete(tmp_path: Path) -> None:
    sources = _repos(tmp_path, 6)
    portfolio = write_portfolio(
        tmp_path / "portfolio.yaml", [("Shared", "git", str(source)) for source in sources]
    )
    db = tmp_path / "shared.sqlite"
    workspace = tmp_path / "workspace"
    command = os2scan_command("scan", str(portfolio), "--db", str(db), "--workspace",
                              str(workspace), "--jobs", "1", "--quiet")

    processes = [
        subprocess.Popen(command, env=child_env(), cwd=tmp_path, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]

    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert b"Traceback" not in err
        assert b"locked" not in err
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as con:
        scans = con.execute("SELECT id, status FROM scans ORDER BY id").fetchall()
        errors = con.execute("SELECT COUNT(*) FROM repositories WHERE error IS NOT NULL")
        assert errors.fetchone()[0] == 0
    assert [status for _id, status in scans] == ["complete", "complete"]
    first, second = (scan_rows(db, scan_id) for scan_id, _status in scans)
    assert len(first["repositories"]) == 6
    assert first == second
    _assert_clean_checkouts(workspace, sources)


def test_concurrent_updates_of_one_checkout_wait_for_each_other(tmp_path: Path) -> None:
    (source,) = _repos(tmp_path, 1)
    workspace = tmp_path / "workspace"
    head = git(source, "rev-parse", "HEAD")

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _i: sync_checkout(str(source), workspace), range(6)))

    assert {commit for _path, commit, _url in results} == {head}
    assert len({path for path, _commit, _url in results}) == 1
    _assert_clean_checkouts(workspace, [source])
