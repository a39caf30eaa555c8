"""One repository never stops a portfolio: what fails is recorded and the rest is scanned."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import texts

from scanner.analysis.prefilter import header_facts
from scanner.collectors import forge
from scanner.kernel.detection import DetectionItem
from scanner.kernel.models import (
    FileDetections,
    RepoScan,
    RepositorySpec,
    ScanResult,
    SourceKind,
    Violation,
)
from scanner.pipeline import PolicyInfo, ScanOptions, run_scan
from scanner.store import Store


class HeaderDetectors:
    """A real, small detector: the licence a file states in its SPDX-License-Identifier line
    (os2scan's own header reader), so the pipeline runs without scancode's index."""

    version = "spdx-headers-1"

    def __init__(self) -> None:
        self.started = 0
        self.files_detected = 0

    def __call__(self) -> HeaderDetectors:
        """Called by the pipeline only when some blob is not cached."""
        self.started += 1
        return self

    def close(self) -> None:
        pass  # nothing to stop: it runs in this process

    def detect(self, items: Iterable[DetectionItem]) -> Iterator[tuple[str, FileDetections]]:
        for sha, path, _size in items:
            spdx, copyright_line = header_facts(Path(path).read_text(encoding="utf-8"))
            self.files_detected += 1
            yield sha, FileDetections(
                license_expression=spdx, spdx_header=spdx, copyright_header=copyright_line
            )


def scan(specs: list[RepositorySpec], store: Store, tmp_path: Path, **seams: object) -> ScanResult:
    return run_scan(
        specs, store, lambda repo: [], portfolio="p", policy=PolicyInfo("os2", "built-in"),
        options=ScanOptions(jobs=1, workspace=tmp_path / "ws"), **seams,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_pipeline_runs_with_the_detector_it_is_given_and_caches_under_its_version(
    repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory("app", {"app.py": "# SPDX-License-Identifier: MPL-2.0\nprint(1)\n"})
    specs = [RepositorySpec(product="P", kind=SourceKind.PATH, locator=str(repo))]
    detectors = HeaderDetectors()
    with Store.open(tmp_path / "db.sqlite") as store:
        first = scan(specs, store, tmp_path, detector=detectors)
        again = scan(specs, store, tmp_path, detector=detectors)
        cached = store.get_detections([first.repositories[0].files[0].blob_sha], "spdx-headers-1")

    (app,) = first.repositories[0].files
    assert (app.path, app.license_expression) == ("app.py", "MPL-2.0")
    assert detectors.started == 1  # the second scan found every blob in the cache
    assert again.repositories[0].files[0].license_expression == "MPL-2.0"
    assert next(iter(cached.values())).spdx_header == "MPL-2.0"


def test_the_forge_options_of_a_scan_stay_in_that_scan(repo_factory, tmp_path: Path) -> None:
    repo = repo_factory("app", {"app.py": "print(1)\n"})
    specs = [RepositorySpec(product="P", kind=SourceKind.PATH, locator=str(repo))]
    before = forge.current_options()
    with Store.open(tmp_path / "db.sqlite") as store:
        scan(
            specs, store, tmp_path, detector=HeaderDetectors(),
            forges=forge.ForgeOptions(no_wait=True, max_retries=0),
        )  # fmt: skip
    assert forge.current_options() == before


@pytest.mark.scancode
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
