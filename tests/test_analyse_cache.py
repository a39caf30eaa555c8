"""The detection cache and incremental scans: which blobs reach the detector, and which do not.

Real git repositories, the real analysis and store, real scancode (in-process, jobs 1) on tiny
files. Nothing here is timed: these are the correctness halves of what bench/ measures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, make_repo
from perf_helpers import RecordingPool, analyse, scan_paths
from texts import MIT, MPL_NOTICE

from scanner.kernel.models import LicenseSource
from scanner.store import Store

pytestmark = [pytest.mark.scancode, pytest.mark.perf]

MPL_HEADER = "".join(f"# {line}\n" for line in MPL_NOTICE.splitlines())
VENDORED = "/*! tinylib v1.0 | (c) 2016 Tiny Authors | MIT licensed */\nvar tiny = 1;\n"


def blob(repo: Path, path: str) -> str:
    return git(repo, "rev-parse", f"HEAD:{path}")


def test_identical_blobs_in_two_repositories_of_one_scan_are_detected_once(
    scancode_index: object, tmp_path: Path
) -> None:
    first = make_repo(tmp_path / "first", {
        "LICENSE": MIT,
        "src/first.py": MPL_HEADER + "FIRST = 1\n",
        "static/tinylib.js": VENDORED,
    })
    second = make_repo(tmp_path / "second", {
        "LICENSE": MIT,  # the same LICENSE text, as in hundreds of OS2 repositories
        "src/second.py": MPL_HEADER + "SECOND = 2\n",
        "static/tinylib.js": VENDORED,  # the same vendored copy
    })

    one, two = scan_paths([first, second], tmp_path / "db.sqlite", tmp_path)

    assert one.scanned_files == 3
    assert two.scanned_files == 1  # only src/second.py is new
    by_path = {f.path: f for f in two.files}
    assert by_path["LICENSE"].license_expression == "MIT"
    assert by_path["LICENSE"].license_source is LicenseSource.DETECTED
    assert by_path["static/tinylib.js"].license_expression == "MIT"
    assert by_path["src/second.py"].license_expression == "MPL-2.0"
    # A cached result is the same result: the shared files read the same in both repositories.
    first_files = {f.path: f for f in one.files}
    for path in ("LICENSE", "static/tinylib.js"):
        assert first_files[path].detections == by_path[path].detections
        assert first_files[path].holders == by_path[path].holders


def test_copies_of_one_blob_inside_a_repository_are_detected_once(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {
        "LICENSE": MIT,
        "docs/LICENSE.txt": MIT,
        "vendor/a/LICENSE": MIT,
        "app.py": MPL_HEADER + "APP = 1\n",
    })
    pool = RecordingPool()
    with Store.open(tmp_path / "db.sqlite") as store:
        scan = analyse(repo, store, pool, tmp_path)

    assert sorted(pool.asked) == sorted({blob(repo, "LICENSE"), blob(repo, "app.py")})
    assert scan.scanned_files == 2
    assert {f.path: f.license_expression for f in scan.files if f.path.endswith("LICENSE")} == {
        "LICENSE": "MIT",
        "vendor/a/LICENSE": "MIT",
    }


def test_a_repository_of_known_blobs_never_starts_the_detector(
    scancode_index: object, tmp_path: Path
) -> None:
    files = {"LICENSE": MIT, "src/app.py": MPL_HEADER + "APP = 1\n"}
    known = make_repo(tmp_path / "known", files)
    fork = make_repo(tmp_path / "fork", {"COPYING": MIT, "lib/app.py": files["src/app.py"]})
    with Store.open(tmp_path / "db.sqlite") as store:
        analyse(known, store, RecordingPool(), tmp_path)
        pool = RecordingPool()
        scan = analyse(fork, store, pool, tmp_path)

    assert pool.started == 0
    assert pool.asked == []
    assert scan.scanned_files == 0
    assert {f.path: f.license_expression for f in scan.files} == {
        "COPYING": "MIT",
        "lib/app.py": "MPL-2.0",
    }


def test_an_incremental_scan_detects_exactly_the_changed_blobs(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {
        "LICENSE": MIT,
        "src/kept.py": MPL_HEADER + "KEPT = 1\n",
        "src/edited.py": MPL_HEADER + "EDITED = 1\n",
        "src/moved.py": MPL_HEADER + "MOVED = 1\n",
        "src/deleted.py": MPL_HEADER + "DELETED = 1\n",
        "README.md": "# Repo\n\nCopyright 2024 Aarhus Kommune\n",
    })
    db = tmp_path / "db.sqlite"
    first = RecordingPool()
    with Store.open(db) as store:
        analyse(repo, store, first, tmp_path)
    assert len(first.asked) == 6

    (repo / "src/edited.py").write_text(MPL_HEADER + "EDITED = 2\n", encoding="utf-8")
    (repo / "src/new.py").write_text("# SPDX-License-Identifier: MIT\nNEW = 1\n", encoding="utf-8")
    (repo / "src/deleted.py").unlink()
    # Same content as an earlier blob under a new name: a copy, not a change.
    (repo / "src/restored.py").write_text(MPL_HEADER + "DELETED = 1\n", encoding="utf-8")
    git(repo, "mv", "src/moved.py", "src/renamed.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change a few files")

    second = RecordingPool()
    with Store.open(db) as store:
        scan = analyse(repo, store, second, tmp_path)

    assert sorted(second.asked) == sorted([blob(repo, "src/edited.py"), blob(repo, "src/new.py")])
    assert scan.scanned_files == 2
    found = {f.path: f.license_expression for f in scan.files}
    assert found["src/new.py"] == "MIT"
    assert found["src/edited.py"] == found["src/renamed.py"] == found["src/restored.py"]
    assert found["src/edited.py"] == "MPL-2.0"
    assert "src/deleted.py" not in found
    assert "src/moved.py" not in found


def test_a_rescan_through_the_pipeline_counts_only_the_changed_files(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {
        "LICENSE": MIT,
        **{f"src/m{i}.py": MPL_HEADER + f"VALUE = {i}\n" for i in range(5)},
    })
    db = tmp_path / "db.sqlite"
    (cold,) = scan_paths([repo], db, tmp_path)
    (warm,) = scan_paths([repo], db, tmp_path)
    (repo / "src/m3.py").write_text(MPL_HEADER + "VALUE = 33\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit one file")
    (incremental,) = scan_paths([repo], db, tmp_path)

    assert (cold.scanned_files, warm.scanned_files, incremental.scanned_files) == (6, 0, 1)
    assert [f.license_expression for f in incremental.files] == [
        f.license_expression for f in cold.files
    ]
    with Store.open(db) as store:
        stored = [store.load_result(s.id).repositories[0].scanned_files for s in store.list_scans()]
    assert sorted(stored) == [0, 1, 6]
