"""The detection cache cannot vouch for a repository: it lives outside the checkout, a database
committed to the repository is a finding (and never read), and a tampered or damaged cached
row is detected again, neither trusted nor fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hostile_helpers import git, make_repo, mpl_files, run_cli

from scanner.kernel.codec import dumps
from scanner.kernel.models import FileDetections
from scanner.kernel.paths import default_database
from scanner.store import Store

pytestmark = [pytest.mark.scancode, pytest.mark.security]

GPL_FILE = (
    "# SPDX-FileCopyrightText: 2024 Someone Else\n"
    "# SPDX-License-Identifier: GPL-3.0-only\n"
    "print('copied from a GPL project')\n"
)
MIT_SAYS = FileDetections(license_expression="MIT", spdx_header="MIT", copyright_header=True)


def _gpl_project(root: Path) -> Path:
    return make_repo(root, mpl_files("app", **{"src/copied.py": GPL_FILE}))


def _blob(repo: Path, path: str) -> str:
    return git(repo, "rev-parse", f"HEAD:{path}")


def _rules(out: str) -> set[tuple[str, str]]:
    """(path, rule) of each finding line of the text report."""
    found = set()
    for line in out.splitlines():
        location, _, rest = line.partition(": ")
        words = rest.split()
        if len(words) >= 2 and words[0] in ("error", "warning", "info"):
            found.add((location.split(":")[0], words[1]))
    return found


def _forge_cache(db: Path, sha: str) -> None:
    """What an attacker commits: a real os2scan database whose row says MIT for the GPL blob,
    with a digest computed just as os2scan computes it."""
    from scanner.analysis.detect import DETECTOR_VERSION

    with Store.open(db) as store:
        store.put_detections(DETECTOR_VERSION, {sha: MIT_SAYS})


def test_the_default_database_lives_in_the_user_cache_folder(tmp_path: Path) -> None:
    assert default_database() == tmp_path / "_home" / ".cache" / "os2scan" / "os2scan.sqlite"


def test_a_committed_cache_neither_passes_the_check_nor_goes_unreported(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = _gpl_project(tmp_path / "app")
    committed = repo / ".os2scan" / "os2scan.sqlite"  # where os2scan kept its cache before
    _forge_cache(committed, _blob(repo, "src/copied.py"))
    git(repo, "add", "-f", ".os2scan/os2scan.sqlite")
    git(repo, "commit", "-q", "-m", "add a cache")
    monkeypatch.chdir(repo)  # as the pre-commit hook and the CI templates run it

    code, out, err = run_cli(capsys, "check", "--jobs", "1")

    assert code == 1, out + err
    found = _rules(out)
    assert ("src/copied.py", "file-license-conflict") in found
    assert (".os2scan/os2scan.sqlite", "scan-database-in-tree") in found
    assert default_database().is_file()  # the cache used is the user's own


def test_naming_the_committed_database_explicitly_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo = _gpl_project(tmp_path / "app")
    committed = repo / "cache.sqlite"
    _forge_cache(committed, _blob(repo, "src/copied.py"))
    git(repo, "add", "cache.sqlite")
    git(repo, "commit", "-q", "-m", "add a cache")
    before = committed.read_bytes()

    code, _out, err = run_cli(capsys, "check", str(repo), "--db", str(committed))

    assert code == 2
    assert err.count("\n") == 1
    assert "part of the repository being checked" in err
    assert committed.read_bytes() == before


def test_an_untracked_database_inside_the_checkout_is_used_and_left_out_of_the_scan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object
) -> None:
    folder = tmp_path / "plain"  # not a git checkout: every file is walked
    folder.mkdir()
    for rel, text in mpl_files("app").items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(str(text), encoding="utf-8")
    db = folder / ".os2scan" / "os2scan.sqlite"

    code, out, err = run_cli(capsys, "check", str(folder), "--db", str(db), "--jobs", "1")

    assert code == 0, out + err
    assert db.is_file()
    assert "scan-database-in-tree" not in out
    assert ".os2scan" not in out


def _cached_row(db: Path, sha: str) -> tuple[str, str | None]:
    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT result_json, digest FROM detections WHERE blob_sha = ?", (sha,)
        ).fetchone()
    return row[0], row[1]


@pytest.mark.parametrize(
    "tampering",
    [
        pytest.param(f"result_json = '{dumps(MIT_SAYS)}'", id="edited-to-say-MIT"),
        pytest.param("result_json = '{\"license_expression\": [1, 2'", id="damaged-json"),
        pytest.param("result_json = '{}', digest = NULL", id="no-digest"),
        pytest.param("digest = 'abc'", id="wrong-digest"),
    ],
)
def test_a_tampered_or_damaged_cached_row_is_detected_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object, tampering: str
) -> None:
    repo = _gpl_project(tmp_path / "app")
    db = tmp_path / "cache.sqlite"
    code, first, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
    assert code == 1, first + err
    sha = _blob(repo, "src/copied.py")
    honest = _cached_row(db, sha)
    with sqlite3.connect(db) as con:
        con.execute(f"UPDATE detections SET {tampering} WHERE blob_sha = ?", (sha,))
    assert _cached_row(db, sha) != honest

    code, again, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")

    assert code == 1, again + err
    assert again == first
    assert _cached_row(db, sha) == honest  # detected afresh and stored again


def test_a_damaged_stored_repository_is_analysed_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object
) -> None:
    from hostile_helpers import write_portfolio

    repo = _gpl_project(tmp_path / "app")
    portfolio = write_portfolio(tmp_path / "p.yaml", [("App", "git", f"file://{repo}")])
    db = tmp_path / "scan.sqlite"
    common = ("--db", str(db), "--workspace", str(tmp_path / "ws"), "--jobs", "1")
    code, first, err = run_cli(capsys, "scan", str(portfolio), *common)
    assert code == 0, first + err
    with sqlite3.connect(db) as con:
        con.execute("UPDATE files SET detections_json = '[{\"oops\"' WHERE path = 'src/copied.py'")

    code, again, err = run_cli(capsys, "scan", str(portfolio), *common)

    assert code == 0, again + err
    assert again == first
