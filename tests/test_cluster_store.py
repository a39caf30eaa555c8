"""The PostgreSQL store: the same schema and queries as SQLite, one cache for many writers."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli

from scanner import schema
from scanner.kernel.errors import StoreError
from scanner.kernel.models import FileDetections
from scanner.store import Store

pytestmark = pytest.mark.cluster

VERSION = "scancode-test+os2scan-test"


def _result(n: int) -> FileDetections:
    return FileDetections(license_expression="MIT" if n % 2 else "Apache-2.0",
                          holders=(f"Holder {n}",))


def test_a_new_postgresql_database_gets_the_current_schema(postgres_url: str) -> None:
    with Store.open(postgres_url) as store:
        assert store.dialect == "postgresql"
        assert store.count_detections() == 0
    with Store.open(postgres_url) as store:  # opening again migrates nothing
        assert store.list_scans() == []
    import psycopg

    with psycopg.connect(postgres_url) as connection:
        version = connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    assert version == (str(schema.SCHEMA_VERSION),)


def test_both_backends_run_every_migration_statement(tmp_path: Path, postgres_url: str) -> None:
    with Store.open(tmp_path / "scans.sqlite"), Store.open(postgres_url):
        pass
    sqlite_tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "scans.sqlite").execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        )
    }
    import psycopg

    with psycopg.connect(postgres_url) as connection:
        pg_tables = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='public'"
            )
        }
    assert sqlite_tables == pg_tables
    assert {"scans", "repositories", "files", "detections", "violations", "meta"} <= pg_tables


def test_a_database_from_a_newer_os2scan_is_refused(postgres_url: str) -> None:
    Store.open(postgres_url).close()
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="newer os2scan"):
        Store.open(postgres_url)


def _reader_url(postgres_url: str) -> str:
    """The same database as a role that may only connect and SELECT, as a publishing job's."""
    import psycopg

    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') "
            "THEN CREATE ROLE reader LOGIN; END IF; END $$"
        )
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        connection.execute(f'GRANT CONNECT ON DATABASE "{database}" TO reader')
        connection.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    return postgres_url.replace("postgresql://os2scan@", "postgresql://reader@")


def test_a_read_only_role_reads_a_current_database_without_migrating_it(
    postgres_url: str,
) -> None:
    with Store.open(postgres_url) as store:
        store.finish_scan(store.begin_scan("OS2 demo", "os2", "", "0.1.0"))
    reader = _reader_url(postgres_url)
    with Store.open(reader, read_only=True) as store:
        assert [scan.portfolio for scan in store.list_scans()] == ["OS2 demo"]
    with pytest.raises(StoreError, match="permission denied"):
        Store.open(reader).close()  # writing needs more than SELECT: refused, one line


def test_detections_round_trip_and_are_keyed_by_blob_and_detector_version(
    postgres_url: str,
) -> None:
    with Store.open(postgres_url) as store:
        store.put_detections(VERSION, {"a" * 40: _result(1)})
        store.put_detections("another-detector", {"a" * 40: _result(2)})
        store.put_detections(VERSION, {"a" * 40: _result(1)})  # a second writer: no error
        assert store.get_detections(["a" * 40, "b" * 40], VERSION) == {"a" * 40: _result(1)}
        assert store.get_detections(["a" * 40], "another-detector") == {"a" * 40: _result(2)}
        assert store.count_detections() == 2


def _writer(url: str, seed: int, shas: list[str], failures: multiprocessing.Queue) -> None:
    """One scan process: writes the shared blobs in its own order, in overlapping batches."""
    order = list(shas)
    random.Random(seed).shuffle(order)
    try:
        with Store.open(url) as store:
            for start in range(0, len(order), 25):
                chunk = order[start : start + 25]
                store.put_detections(VERSION, {sha: _result(int(sha, 16)) for sha in chunk})
                scan = store.begin_scan(f"writer {seed}", "os2", "", "test")
                store.finish_scan(scan)
    except Exception as exc:  # noqa: BLE001 - reported to the test
        failures.put(f"{type(exc).__name__}: {exc}")


def test_concurrent_writers_share_one_cache_without_losing_or_refusing_a_row(
    postgres_url: str,
) -> None:
    """Six processes write 300 overlapping blobs in different orders at once: no unique-key
    error, no deadlock, every blob stored once, every scan numbered apart."""
    shas = [f"{n:040x}" for n in range(300)]
    Store.open(postgres_url).close()
    failures: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    writers = [
        multiprocessing.get_context("fork").Process(
            target=_writer, args=(postgres_url, seed, shas, failures)
        )
        for seed in range(6)
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    errors = []
    while not failures.empty():
        errors.append(failures.get())
    assert errors == []
    assert all(p.exitcode == 0 for p in writers)
    with Store.open(postgres_url) as store:
        assert store.count_detections() == 300
        stored = store.get_detections(shas, VERSION)
        assert stored == {sha: _result(int(sha, 16)) for sha in shas}
        scans = store.list_scans()
    assert len(scans) == 6 * 12
    assert len({s.id for s in scans}) == len(scans)
    assert {s.status for s in scans} == {"complete"}


def test_an_unreachable_database_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cluster_helpers import free_port

    url = f"postgresql://os2scan:s3cret-password@127.0.0.1:{free_port()}/scans"
    code, _out, err = run_cli(capsys, "scans", "--db", url)
    assert code == 2
    assert err.count("\n") == 1
    assert "cannot connect to the database" in err
    assert "s3cret-password" not in err
    assert f"127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}" in err


def test_the_scans_command_reads_a_postgresql_database(
    capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    with Store.open(postgres_url) as store:
        store.finish_scan(store.begin_scan("OS2 demo", "os2", "", "0.1.0"))
    code, out, err = run_cli(capsys, "scans", "--db", postgres_url, "--json")
    assert code == 0, err
    assert '"portfolio": "OS2 demo"' in out
    assert '"status": "complete"' in out
