"""Incomplete results: cached with their cause and budget, never paid for twice, shown as not
fully checked, detected again when the budget grows or when asked (`--retry-incomplete`).

Real git repositories, the real analysis, store and scancode. A file runs out of time for
real: a licence-dense text under a budget of a twentieth of a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, make_repo, run_cli
from perf_helpers import RecordingPool, checkout_of
from texts import MIT

from scanner.analysis.analyse import AnalysisOptions, analyse_checkout
from scanner.analysis.detect import DETECTOR_VERSION
from scanner.kernel.models import FileDetections
from scanner.store import Store

pytestmark = pytest.mark.scancode

TIGHT = 0.05  # seconds: the soup below never finishes in this

SOUP = "".join(
    f"Licensed under terms similar to {n}: redistribution and use of the software {n} is "
    f"permitted provided that the warranty {n} disclaimer is kept; see the GNU General Public "
    f"License version {n} and the Apache License {n} for more.\n"
    for n in range(400)
)


def test_a_timeout_is_cached_and_detected_again_only_for_a_larger_budget_or_when_asked(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {"NOTICE.txt": SOUP})
    sha = git(repo, "rev-parse", "HEAD:NOTICE.txt")
    checkout = checkout_of(repo, tmp_path)

    def scan(budget: float, *, retry: bool = False) -> tuple[RecordingPool, str | None]:
        pool = RecordingPool(timeout=budget)
        options = AnalysisOptions(budget=budget, retry_incomplete=retry)
        with Store.open(tmp_path / "db.sqlite") as store:
            (found,) = analyse_checkout(checkout, store, pool, DETECTOR_VERSION, options).files
        return pool, found.skipped

    first, skipped = scan(TIGHT)
    assert first.asked == [sha]
    assert skipped == f"not fully checked: timeout at {TIGHT:g} s"

    again, skipped_again = scan(TIGHT)
    assert again.started == 0  # the timeout is not paid twice
    assert skipped_again == skipped

    assert scan(TIGHT, retry=True)[0].asked == [sha]
    assert scan(TIGHT * 2)[0].asked == [sha]  # a larger budget may finish it


def test_check_shows_an_incomplete_file_and_retries_it_when_asked(
    scancode_index: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", {"LICENSE": MIT, "app.py": "VALUE = 1\n"})
    sha = git(repo, "rev-parse", "HEAD:LICENSE")
    db = tmp_path / "db.sqlite"
    check = ("check", str(repo), "--db", str(db), "--jobs", "1", "--fail-on", "never")

    def licence_file() -> tuple[str | None, str | None]:
        with Store.open(db) as store:
            latest = store.latest_scan_id()
            assert latest is not None
            (repository,) = store.load_result(latest).repositories
        (found,) = (f for f in repository.files if f.path == "LICENSE")
        return found.license_expression, found.skipped

    assert run_cli(capsys, *check)[0] == 0
    assert licence_file() == ("MIT", None)

    # What an earlier run left when the detector process was killed on this file.
    died = FileDetections(None, incomplete="error: detector process died", budget=120.0)
    with Store.open(db) as store:
        store.put_detections(DETECTOR_VERSION, {sha: died})

    assert run_cli(capsys, *check)[0] == 0
    assert licence_file()[1] == "not fully checked: error: detector process died"

    assert run_cli(capsys, *check, "--retry-incomplete")[0] == 0
    assert licence_file() == ("MIT", None)
