"""Resource bounds: a file that takes too long is recorded as incomplete, and Ctrl-C stops a
scan promptly with its workers, leaving a consistent database that a rerun completes."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from hostile_helpers import (
    child_env,
    integrity,
    make_repo,
    mpl_files,
    os2scan_command,
    run_cli,
    write_portfolio,
)

pytestmark = [pytest.mark.scancode, pytest.mark.reliability]

WORDS = (
    "permission", "is", "hereby", "granted", "free", "of", "charge", "to", "any", "person",
    "obtaining", "copy", "software", "license", "gnu", "general", "public", "apache", "mozilla",
    "warranty", "merchantability", "fitness", "redistribution", "source", "binary", "forms",
    "conditions", "notice", "copyright", "holders", "contributors", "liable", "damages",
)  # fmt: skip


def _licence_soup(lines: int, seed: int = 1) -> str:
    """Text full of licence words in no licence's order: slow work for the approximate matcher."""
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(lines)) + "\n"


def test_a_file_that_runs_out_of_time_is_recorded_as_not_fully_checked_and_cached_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = make_repo(tmp_path / "slow", mpl_files(**{"data/soup.txt": _licence_soup(50_000)}))
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("P", "path", str(repo))])
    db = tmp_path / "db.sqlite"

    started = time.monotonic()
    code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--jobs", "1",
                              "--timeout", "3", "--quiet")
    elapsed = time.monotonic() - started

    assert code == 0, err
    assert elapsed < 60
    with sqlite3.connect(db) as con:
        skipped = dict(con.execute("SELECT path, skipped FROM files").fetchall())
        sha = con.execute("SELECT blob_sha FROM files WHERE path = 'data/soup.txt'").fetchone()[0]
        cached = con.execute("SELECT result_json FROM detections WHERE blob_sha = ?", (sha,))
        (result,) = (json.loads(row[0]) for row in cached.fetchall())
    # Cached with its cause and budget: a rescan at the same budget does not pay it again.
    assert (result["incomplete"], result["budget"]) == ("timeout", 3.0)
    assert skipped["data/soup.txt"] == "not fully checked: timeout at 3 s"
    assert skipped["src/app.py"] is None


def _workers(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_ctrl_c_during_detection_stops_the_workers_and_keeps_the_database_consistent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    files = mpl_files(**{f"data/soup{i}.txt": _licence_soup(20, seed=i) for i in range(24)})
    repo = make_repo(tmp_path / "busy", files)
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("P", "path", str(repo))])
    db = tmp_path / "db.sqlite"

    process = subprocess.Popen(
        os2scan_command("scan", str(portfolio), "--db", str(db), "--workspace",
                        str(tmp_path / "ws"), "--jobs", "2", "--quiet"),
        env=child_env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    while len(_workers(process.pid)) < 2 and process.poll() is None:
        assert time.monotonic() < deadline, "the detector workers never started"
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()[1].decode()
    time.sleep(0.5)  # let the workers get into their files
    workers = _workers(process.pid)
    assert workers

    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    stopped = time.monotonic() - interrupted

    assert process.returncode == 130, err.decode()
    assert stopped < 15
    assert b"Traceback" not in err
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("os2scan: interrupted"), lines
    deadline = time.monotonic() + 10
    while not all(_gone(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(w) for w in workers), "a detector worker outlived the scan"
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT status FROM scans").fetchall() == [("interrupted",)]

    code, _out, err_text = run_cli(capsys, "scan", str(portfolio), "--db", str(db),
                                   "--jobs", "2", "--quiet")
    assert code == 0, err_text
    with sqlite3.connect(db) as con:
        statuses = [s for (s,) in con.execute("SELECT status FROM scans ORDER BY id")]
        files = con.execute("SELECT COUNT(*) FROM files WHERE skipped IS NULL").fetchone()[0]
    assert statuses == ["interrupted", "complete"]
    assert files == len(files_in(repo))


def files_in(repo: Path) -> list[Path]:
    return [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts]


def test_a_reuse_glob_built_to_backtrack_matches_in_bounded_time(tmp_path: Path) -> None:
    from scanner.analysis.declared import read_facts
    from scanner.analysis.reuse import apply_reuse
    from scanner.kernel.models import FileFinding, FileKind

    hostile = "**a" * 12 + "**c"
    (tmp_path / "REUSE.toml").write_text(
        f'version = 1\n[[annotations]]\npath = ["{hostile}", "docs/**/*.md"]\n'
        'SPDX-License-Identifier = "CC-BY-SA-4.0"\n',
        encoding="utf-8",
    )
    long_name = "/".join(["a" * 60] * 4)  # a 243-character path of nothing but "a"
    files = tuple(
        FileFinding(path, "0" * 40, 1, FileKind.DOCS)
        for path in (long_name, long_name + "c", "docs/x/readme.md")
    )

    started = time.monotonic()
    facts = read_facts(tmp_path, files)
    licensed = {f.path: f.license_expression for f in apply_reuse(files, facts)}

    assert time.monotonic() - started < 2
    assert licensed == {
        long_name: None, long_name + "c": "CC-BY-SA-4.0", "docs/x/readme.md": "CC-BY-SA-4.0"
    }


def test_lines_built_to_make_patterns_backtrack_are_read_in_bounded_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Header and REUSE lines of 200 KB: whitespace, commas and colons where the
    # readers' patterns would otherwise try every split of the line.
    monkeypatch.chdir(tmp_path)
    spaces, commas, colons = " " * 200_000, ", " * 100_000, " :" * 100_000
    repo = make_repo(
        tmp_path / "patterns",
        mpl_files(
            **{
                "src/header.py": f"# SPDX-License-Identifier: MIT{spaces}x\nvalue = 1\n",
                "src/plain.py": "value = 2\n",
                "src/plain.py.license": f"SPDX-License-Identifier: MIT{spaces}x\n"
                f"SPDX-FileCopyrightText: 2020 A{commas}B\n",
                "REUSE.toml": 'version = 1\n[[annotations]]\npath = "docs/**"\n'
                f'SPDX-FileCopyrightText = "2020 Someone{colons}x"\n'
                'SPDX-License-Identifier = "CC-BY-SA-4.0"\n',
            }
        ),
    )

    started = time.monotonic()
    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                             "--jobs", "1", "--format", "json", "--fail-on", "never")

    assert code == 0, err
    assert time.monotonic() - started < 30
    assert json.loads(out)["repositories"][0]["declared_license"] == "MPL-2.0"
