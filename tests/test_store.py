"""The SQLite store keeps scans, repositories, files, the detection cache and violations."""

from __future__ import annotations

from pathlib import Path

from scanner.kernel.models import (
    Checkout,
    DeclaredSource,
    Detection,
    FileDetections,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    Severity,
    SourceKind,
    Violation,
    Waiver,
)
from scanner.store import Store


def _repo_scan(commit: str = "a" * 40) -> RepoScan:
    spec = RepositorySpec(product="OS2demo", kind=SourceKind.PATH, locator="/x/demo")
    checkout = Checkout(spec=spec, name="demo", path=Path("/x/demo"), commit=commit)
    facts = RepoFacts(
        declared_license="MPL-2.0",
        declared_sources=(DeclaredSource("LICENSE", "LICENSE", "MPL-2.0"),),
        license_files=("LICENSE",),
        copyright_holders=("Aarhus Kommune",),
    )
    files = (
        FileFinding(
            path="src/app.py",
            blob_sha="b" * 40,
            size=120,
            kind=FileKind.CODE,
            license_expression="GPL-3.0-only",
            license_source=LicenseSource.HEADER,
            detections=(Detection("GPL-3.0-only", 100.0, 1, 1, "gpl-3.0_1.RULE"),),
            holders=("Someone",),
            spdx_header=True,
        ),
    )
    return RepoScan(checkout=checkout, facts=facts, files=files, scanned_files=1)


def test_a_saved_scan_loads_back_unchanged(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    scan_id = store.begin_scan("demo.yaml", "os2", "built-in", "0.1.0")
    repo = _repo_scan()
    store.save_repository(scan_id, repo, detector_version="v1")
    violation = Violation(
        rule="file-license-conflict",
        severity=Severity.ERROR,
        product="OS2demo",
        repository="demo",
        path="src/app.py",
        line=1,
        license="GPL-3.0-only",
        message="GPL-3.0-only does not fit MPL-2.0",
        how_to_fix="Remove the file",
        waiver=Waiver(rule="file-license-conflict", expires="2030-01-01", reason="r"),
    )
    store.save_violations(scan_id, [violation])
    store.finish_scan(scan_id)

    result = Store.open(tmp_path / "db.sqlite").load_result(scan_id)

    assert result.repositories == (repo,)
    assert result.violations == (violation,)
    assert result.policy_name == "os2"
    assert store.list_scans()[0].status == "complete"


def test_the_detection_cache_is_keyed_by_blob_and_detector_version(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    found = FileDetections(license_expression="MIT", holders=("Aarhus Kommune",))
    store.put_detections("v1", {"c" * 40: found})

    assert store.get_detections(["c" * 40, "d" * 40], "v1") == {"c" * 40: found}
    assert store.get_detections(["c" * 40], "v2") == {}


def test_incomplete_detections_are_cached_with_their_cause_and_budget(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    timed_out = FileDetections(None, incomplete="timeout", budget=120.0)
    store.put_detections("v1", {"e" * 40: timed_out})
    assert store.get_detections(["e" * 40], "v1") == {"e" * 40: timed_out}


def test_an_unchanged_commit_is_found_again(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    scan_id = store.begin_scan("demo.yaml", "os2", "built-in", "0.1.0")
    store.save_repository(scan_id, _repo_scan(), detector_version="v1")

    again = store.find_unchanged(_repo_scan().checkout, "v1")
    assert again is not None
    assert again.files == _repo_scan().files
    assert store.find_unchanged(_repo_scan(commit="f" * 40).checkout, "v1") is None
    assert store.find_unchanged(_repo_scan().checkout, "v2") is None


def test_an_interrupted_write_leaves_earlier_scans_intact(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    first = store.begin_scan("demo.yaml", "os2", "built-in", "0.1.0")
    store.save_repository(first, _repo_scan(), detector_version="v1")
    store.finish_scan(first)

    try:
        with store.transaction() as db:
            db.execute("DELETE FROM files")
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass

    assert store.load_result(first).repositories[0].files == _repo_scan().files
    assert store.integrity_ok()


def test_a_scan_whose_process_was_killed_is_listed_as_interrupted(tmp_path: Path) -> None:
    import subprocess

    store = Store.open(tmp_path / "db.sqlite")
    alive = store.begin_scan("demo.yaml", "os2", "built-in", "0.1.0")
    killed = store.begin_scan("demo.yaml", "os2", "built-in", "0.1.0")
    gone = subprocess.Popen(["true"])
    gone.wait()
    with store.transaction() as db:
        db.execute("UPDATE scan_runners SET pid = ? WHERE scan_id = ?", (gone.pid, killed))

    statuses = {s.id: s.status for s in store.list_scans()}

    assert statuses == {alive: "running", killed: "interrupted"}
    record = store.scan_record(killed)
    assert record is not None
    assert record.status == "interrupted"


def test_a_schema_1_database_gains_scan_kinds_and_message_texts(tmp_path: Path) -> None:
    """Databases written before scans had kinds open as before; old check runs (named
    "check:<folder>") become check runs."""
    import sqlite3

    from scanner import schema
    from scanner.kernel.models import ScanKind

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(schema.META_TABLE)
    for statement in schema.MIGRATIONS[0].statements:
        db.execute(statement)
    assert "kind" not in {r[1] for r in db.execute("PRAGMA table_info(scans)")}
    db.execute("INSERT INTO meta VALUES ('schema', '1')")
    for portfolio in ("portfolio.yaml", "check:core"):
        db.execute(
            "INSERT INTO scans(portfolio, policy, started_at, finished_at, status, tool_version)"
            " VALUES (?, 'os2', '2026-01-01T00:00:00+00:00', '2026-01-01T00:01:00+00:00',"
            " 'complete', '0.1.0')",
            (portfolio,),
        )
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert [(s.portfolio, s.kind) for s in store.list_scans()] == [
            ("portfolio.yaml", ScanKind.PORTFOLIO), ("check:core", ScanKind.CHECK),
        ]  # fmt: skip
        assert store.latest_scan_id(kind=ScanKind.PORTFOLIO) == 1
        result = store.load_result(1)
        assert result.finished_at == "2026-01-01T00:01:00+00:00"
        assert result.policy_terms.empty


def test_a_schema_4_database_keeps_the_files_of_its_findings_and_gains_scan_kinds(
    tmp_path: Path,
) -> None:
    """Migration 5 (scan kinds, policy terms, message texts) runs after migration 4 (the
    files a finding stands for) and loses nothing migration 4 stored."""
    import json
    import sqlite3

    from scanner import schema
    from scanner.kernel.models import ScanKind

    assert [m.version for m in schema.MIGRATIONS] == list(range(1, schema.SCHEMA_VERSION + 1))
    assert schema.SCHEMA_VERSION == 5
    path = tmp_path / "v4.sqlite"
    db = sqlite3.connect(path)
    db.execute(schema.META_TABLE)
    for migration in schema.MIGRATIONS[:4]:
        for statement in migration.statements:
            db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('schema', '4')")
    db.execute(
        "INSERT INTO scans(portfolio, policy, started_at, finished_at, status, tool_version)"
        " VALUES ('check:core', 'os2', '2026-01-01T00:00:00+00:00',"
        " '2026-01-01T00:01:00+00:00', 'complete', '0.1.0')"
    )
    files = ["web/vendor/quill/a.js", "web/vendor/quill/b.js"]
    db.execute(
        "INSERT INTO violations(scan_id, rule, severity, product, repository, path, line,"
        " license, message, how_to_fix, files_json) VALUES (1, 'component-license', 'error',"
        " 'OS2demo', 'core', 'web/vendor/quill', NULL, 'GPL-3.0-only', 'm', 'f', ?)",
        (json.dumps(files),),
    )
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert [s.kind for s in store.list_scans()] == [ScanKind.CHECK]
        (violation,) = store.load_result(1).violations
    assert violation.files == tuple(files)
    assert violation.message == "m"
    assert violation.message_text is None
