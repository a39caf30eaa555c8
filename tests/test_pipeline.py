"""One repository never stops a portfolio: what fails is recorded and the rest is scanned."""

from __future__ import annotations

from pathlib import Path

import pytest
import texts

from scanner.kernel.models import RepoScan, RepositorySpec, SourceKind, Violation
from scanner.pipeline import PolicyInfo, ScanOptions, run_scan
from scanner.store import Store

pytestmark = pytest.mark.scancode


def test_a_repository_the_rules_fail_on_is_recorded_as_failed_and_the_rest_is_scanned(
    repo_factory, tmp_path: Path
) -> None:
    good = repo_factory("good", {"LICENSE": texts.MIT})
    odd = repo_factory("odd", {"LICENSE": texts.MIT, "odd.py": "print(1)\n"})
    specs = [
        RepositorySpec(product="P", kind=SourceKind.PATH, locator=str(odd)),
        RepositorySpec(product="P", kind=SourceKind.PATH, locator=str(good)),
    ]

    def evaluate(repo: RepoScan) -> list[Violation]:
        if any(f.path == "odd.py" for f in repo.files):
            raise ValueError("a rule could not read odd.py")
        return []

    with Store.open(tmp_path / "db.sqlite") as store:
        result = run_scan(
            specs, store, evaluate, portfolio="p", policy=PolicyInfo("os2", "built-in"),
            options=ScanOptions(jobs=1, workspace=tmp_path / "ws"),
        )
        stored = store.load_result(result.scan_id or 0)

    assert [r.checkout.name for r in result.failed] == ["odd"]
    assert result.failed[0].checkout.error == (
        "evaluation failed: ValueError: a rule could not read odd.py"
    )
    assert [r.checkout.ok for r in stored.repositories] == [False, True]
    assert stored.repositories[1].facts.declared_license == "MIT"
    assert store_status(tmp_path / "db.sqlite") == "complete"


def store_status(db: Path) -> str:
    with Store.open(db) as store:
        return store.list_scans()[-1].status


def test_jobs_zero_means_every_core() -> None:
    import os

    assert ScanOptions(jobs=0).workers == (os.cpu_count() or 1)
    assert ScanOptions(jobs=3).workers == 3
