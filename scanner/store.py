"""The store: scan history, every repository and file, the detection cache, violations.

Why SQLite by default: one file that governance staff can copy, keep for years and query by
hand. WAL mode and a busy timeout let a CI check and a portfolio scan share a database. A
`postgresql://` URL opens the same schema (`scanner.schema`) on a PostgreSQL server instead,
for many machines and many concurrent scans sharing one detection cache; the queries are the
same (`scanner.postgres` adapts the connection). Each repository is
written in one transaction as it finishes, and detection results are committed in batches as
they arrive, so an interrupted scan loses at most the files in flight and a rerun resumes from
the cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scanner import schema
from scanner.kernel import codec
from scanner.kernel.errors import StoreError
from scanner.kernel.inputs import refuse_special
from scanner.kernel.models import (
    Checkout,
    ContentReading,
    Detection,
    FileDetections,
    FileFinding,
    FileKind,
    ForgeMetadata,
    LicenseSource,
    Message,
    PolicyTerms,
    RepoFacts,
    RepoScan,
    RepositorySpec,
    ScanKind,
    ScanRecord,
    ScanResult,
    Severity,
    Violation,
    Waiver,
)
from scanner.kernel.redact import printable
from scanner.postgres import PostgresConnection, is_database_url

log = logging.getLogger(__name__)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Store:
    """One open os2scan database."""

    def __init__(self, connection: Any, path: Path | str) -> None:
        self._db = connection
        self.path = path
        self.dialect = getattr(connection, "dialect", "sqlite")

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the database at `path`, or on the PostgreSQL server a
        `postgresql://` URL names. `read_only` only reads an existing SQLite database (one on
        a read-only disk, or shared read-only), never creating or upgrading it; on PostgreSQL
        it reads a database of the current schema without a statement that needs more than
        SELECT (a publishing job's read-only role), and upgrades only an older one.

        Only a regular file (or a new one in a real folder) is accepted: a device such as
        /dev/null would make SQLite write its journal beside it."""
        if is_database_url(path):
            server = PostgresConnection(str(path))
            store = cls(server, server.shown)
            try:
                if not (read_only and store._is_current()):
                    store._migrate()
            except BaseException:
                store.close()
                raise
            return store
        path = Path(path)
        try:
            refuse_special(path, "database")
            if read_only:
                store = cls(_connect_read_only(path), path)
                version = store._check_schema(store._schema_version())
                if version == schema.SCHEMA_VERSION or not os.access(path, os.W_OK):
                    if version < schema.SCHEMA_VERSION:
                        store.close()
                        raise StoreError(
                            f"the database has schema {version} of an older os2scan and is "
                            "read-only here: open it once where it can be written to upgrade it",
                            source=str(path),
                        )
                    return store
                store.close()  # an older, writable database: upgrade it first
                return cls.open(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            connection.execute("PRAGMA busy_timeout = 30000")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(connection, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", source=str(path)) from exc
        except OSError as exc:
            raise StoreError(
                f"cannot create the database: {exc.strerror}", source=str(path)
            ) from exc
        return store

    @staticmethod
    def exists(target: Path | str) -> bool:
        """Whether there is a database to read: a SQLite file, or any PostgreSQL URL (the
        server answers for itself when it is opened)."""
        return is_database_url(target) or Path(target).is_file()

    def _schema_version(self) -> str | None:
        """The schema version `meta` records, as stored; None in a new database."""
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError as exc:  # no meta table: not an os2scan database
            raise StoreError(f"not an os2scan database ({exc})", source=str(self.path)) from None
        return None if row is None else str(row[0])

    def _is_current(self) -> bool:
        """Whether the database already has this os2scan's schema; False for a new one. A
        newer schema is refused here, as `_migrate` would."""
        try:
            stored = self._schema_version()
        except StoreError:  # no meta table (PostgreSQL says so by refusing the query)
            return False
        return stored is not None and self._check_schema(stored) == schema.SCHEMA_VERSION

    def _check_schema(self, version: str | None) -> int:
        """The stored schema version as a number; refuses one this os2scan cannot read
        (`abc`, `0`, a thousand digits: not an os2scan database; a higher one: a newer os2scan)."""
        if version is None or not version.isdecimal() or len(version) > 6 or int(version) < 1:
            shown = printable(str(version)[:40])
            raise StoreError(
                f"not an os2scan database (schema version {shown!r})", source=str(self.path)
            )
        if int(version) > schema.SCHEMA_VERSION:
            raise StoreError(
                f"the database was written by a newer os2scan (schema {version})",
                source=str(self.path),
            )
        return int(version)

    def _migrate(self) -> None:
        """Bring the database to the current schema version. A newer one, another program's
        SQLite file or an unknown schema version is refused, untouched."""
        with self.transaction() as db:
            if self.dialect == "postgresql":
                # Two processes opening a new database at once: one migrates, the other waits.
                db.execute("SELECT pg_advisory_xact_lock(2026111601)")
            else:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
                if tables and "meta" not in tables:
                    raise StoreError("not an os2scan database", source=str(self.path))
            db.execute(schema.META_TABLE)
            stored = self._schema_version()
            applied = self._check_schema(stored) if stored is not None else 0
            for migration in schema.pending(applied):
                for statement in migration.statements:
                    if self.dialect == "postgresql":
                        statement = schema.postgres_ddl(statement)
                    db.execute(statement)
            if applied < schema.SCHEMA_VERSION:
                db.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(schema.SCHEMA_VERSION),),
                )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (Ctrl-C included)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the database: {exc}", source=str(self.path)) from exc
        try:
            yield self._db
        except sqlite3.Error as exc:  # a full disk, an I/O error: SQLite may have rolled back
            self._rollback()
            raise StoreError(f"cannot write to the database: {exc}", source=str(self.path)) from exc
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._rollback()
                raise StoreError(
                    f"cannot write to the database: {exc}", source=str(self.path)
                ) from exc

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already done so itself."""
        if self._db.in_transaction:
            # the original error is the one worth reporting
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    # -- detection cache -------------------------------------------------------------------

    def get_detections(self, shas: Iterable[str], version: str) -> dict[str, FileDetections]:
        """Cached detector results for these blobs, keyed by blob SHA.

        A row whose digest does not match its content (edited by hand, copied from another
        blob, damaged, or written before rows had digests) is left out: its blob is detected
        again and the row replaced. A bad row is never trusted and never stops a scan."""
        found: dict[str, FileDetections] = {}
        wanted = list(dict.fromkeys(shas))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT blob_sha, result_json, digest FROM detections "
                f"WHERE detector_version = ? AND blob_sha IN ({marks})",
                (version, *chunk),
            )
            for sha, text, digest in rows:
                result = _verified_detections(sha, version, text, digest)
                if result is not None:
                    found[sha] = result
        return found

    def put_detections(self, version: str, results: Mapping[str, FileDetections]) -> None:
        """Store detector results in one transaction, incomplete ones too (with their cause
        and budget), so a rescan does not pay for a file that ran out of time again."""
        rows = []
        for sha, result in results.items():
            text = codec.dumps(result)
            rows.append((sha, version, text, detection_digest(sha, version, text)))
        if not rows:
            return
        # One order for every writer: two scans writing overlapping blobs at once then wait
        # for each other instead of deadlocking. The key is content-addressed, so a row
        # another scan wrote first is the same result; it is rewritten only if it differs.
        rows.sort()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO detections(blob_sha, detector_version, result_json, digest) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (blob_sha, detector_version) DO UPDATE "
                "SET result_json = excluded.result_json, digest = excluded.digest "
                "WHERE detections.result_json <> excluded.result_json "
                "OR detections.digest IS NULL OR detections.digest <> excluded.digest",
                rows,
            )

    def count_detections(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM detections").fetchone()[0])

    # -- scans -----------------------------------------------------------------------------

    def begin_scan(
        self,
        portfolio: str,
        policy: str,
        policy_source: str,
        tool_version: str,
        *,
        kind: ScanKind = ScanKind.PORTFOLIO,
        terms: PolicyTerms | None = None,
    ) -> int:
        with self.transaction() as db:
            scan_id = int(
                db.execute(
                    "INSERT INTO scans(portfolio, policy, policy_source, started_at, status, "
                    "tool_version, kind, policy_terms_json)"
                    " VALUES (?, ?, ?, ?, 'running', ?, ?, ?) RETURNING id",
                    (
                        portfolio,
                        policy,
                        policy_source,
                        _now(),
                        tool_version,
                        kind.value,
                        codec.dumps(terms) if terms is not None else None,
                    ),
                ).fetchone()[0]
            )
            db.execute(
                "INSERT INTO scan_runners(scan_id, host, pid) VALUES (?, ?, ?)",
                (scan_id, socket.gethostname(), os.getpid()),
            )
            return scan_id

    def finish_scan(self, scan_id: int, status: str = "complete") -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE scans SET status = ?, finished_at = ? WHERE id = ?",
                (status, _now(), scan_id),
            )

    def list_scans(self, kind: ScanKind | None = None) -> list[ScanRecord]:
        """The stored scans, oldest first; only those of `kind` when given."""
        if kind is None:
            rows = self._db.execute(f"{_SCAN_COLUMNS} ORDER BY s.id")
        else:
            rows = self._db.execute(
                f"{_SCAN_COLUMNS} WHERE s.kind = ? ORDER BY s.id", (kind.value,)
            )
        return [_scan_record(row) for row in rows]

    def prune(self, keep: int, kind: ScanKind | None = None) -> list[int]:
        """Delete all but the `keep` newest finished scans of each portfolio (of `kind`, or of
        every kind), with their repositories, files and violations; the detection cache and
        running scans stay. Returns the ids deleted."""
        if keep < 1:
            raise StoreError("keep at least one scan of each portfolio", source=str(self.path))
        where = "WHERE status != 'running'" + (" AND kind = ?" if kind is not None else "")
        params = (kind.value,) if kind is not None else ()
        rows = self._db.execute(
            f"SELECT id, portfolio, kind FROM scans {where} ORDER BY id DESC", params
        ).fetchall()
        seen: dict[tuple[str, str], int] = {}
        doomed: list[int] = []
        for scan_id, portfolio, scan_kind in rows:
            count = seen.get((portfolio, scan_kind), 0) + 1
            seen[(portfolio, scan_kind)] = count
            if count > keep:
                doomed.append(int(scan_id))
        if doomed:
            with self.transaction() as db:
                db.executemany("DELETE FROM scans WHERE id = ?", [(i,) for i in doomed])
        return sorted(doomed)

    def scan_record(self, scan_id: int) -> ScanRecord | None:
        row = self._db.execute(f"{_SCAN_COLUMNS} WHERE s.id = ?", (scan_id,)).fetchone()
        return _scan_record(row) if row else None

    def latest_scan_id(
        self, *, complete_only: bool = True, kind: ScanKind | None = None
    ) -> int | None:
        """The newest (complete) scan, of `kind` when given."""
        conditions = ["status = 'complete'"] if complete_only else []
        params: tuple[str, ...] = ()
        if kind is not None:
            conditions.append("kind = ?")
            params = (kind.value,)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        row = self._db.execute(f"SELECT MAX(id) FROM scans {where}", params).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def previous_scan_id(self, scan_id: int) -> int | None:
        """The last complete scan of the same portfolio and kind before this one."""
        row = self._db.execute(
            "SELECT MAX(s.id) FROM scans s JOIN scans t ON t.id = ? "
            "WHERE s.portfolio = t.portfolio AND s.kind = t.kind AND s.id < t.id"
            " AND s.status = 'complete'",
            (scan_id,),
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    # -- repositories and files ------------------------------------------------------------

    def save_repository(
        self, scan_id: int, repo: RepoScan, detector_version: str | None = None
    ) -> int:
        """Store one analysed (or failed) repository with all its files, atomically."""
        checkout = repo.checkout
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO repositories(scan_id, product, name, kind, locator, path, commit_sha,"
                " remote_url, error, detector_version, spec_json, metadata_json, facts_json,"
                " scanned_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    scan_id,
                    checkout.spec.product,
                    checkout.name,
                    checkout.spec.kind.value,
                    _locator_key(checkout),
                    str(checkout.path) if checkout.path else None,
                    checkout.commit,
                    checkout.remote_url,
                    checkout.error,
                    detector_version,
                    codec.dumps(checkout.spec),
                    codec.dumps(checkout.metadata) if checkout.metadata else None,
                    codec.dumps(repo.facts),
                    repo.scanned_files,
                ),
            )
            repository_id = int(cursor.fetchone()[0])
            db.executemany(
                "INSERT INTO files(repository_id, path, blob_sha, size, kind, license_expression,"
                " license_source, holders_json, copyrights_json, detections_json, notices_json,"
                " spdx_header, copyright_header, skipped, content_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_file_row(repository_id, f) for f in repo.files],
            )
        return repository_id

    def save_violations(self, scan_id: int, violations: Iterable[Violation]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO violations(scan_id, rule, severity, product, repository, path, line,"
                " license, message, how_to_fix, waiver_json, files_json, message_json,"
                " how_to_fix_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        scan_id,
                        v.rule,
                        v.severity.value,
                        v.product,
                        v.repository,
                        v.path,
                        v.line,
                        v.license,
                        v.message,
                        v.how_to_fix,
                        codec.dumps(v.waiver) if v.waiver else None,
                        json.dumps(list(v.files), ensure_ascii=False) if v.files else None,
                        codec.dumps(v.message_text) if v.message_text else None,
                        codec.dumps(v.how_to_fix_text) if v.how_to_fix_text else None,
                    )
                    for v in violations
                ],
            )

    def find_unchanged(
        self, checkout: Checkout, detector_version: str
    ) -> RepoScan | None:
        """A stored analysis of the very same commit by the same detector, if there is one.

        Only checkouts at a known commit qualify: a plain directory can change without a commit.
        """
        if not checkout.commit:
            return None
        row = self._db.execute(
            "SELECT r.id FROM repositories r JOIN scans s ON s.id = r.scan_id "
            "WHERE r.locator = ? AND r.commit_sha = ? AND r.detector_version = ? "
            "AND r.error IS NULL ORDER BY r.id DESC LIMIT 1",
            (_locator_key(checkout), checkout.commit, detector_version),
        ).fetchone()
        if row is None:
            return None
        try:
            stored = self._load_repository(int(row[0]))
        except (ValueError, TypeError, KeyError) as exc:  # a damaged row: analyse afresh
            log.warning("%s: stored analysis unreadable (%s); analysing again", checkout.name, exc)
            return None
        return RepoScan(checkout=checkout, facts=stored.facts, files=stored.files, scanned_files=0)

    def load_result(self, scan_id: int) -> ScanResult:
        """Everything stored for one scan, as the renderers need it."""
        record = self.scan_record(scan_id)
        if record is None:
            raise StoreError(f"there is no scan {scan_id}", source=str(self.path))
        policy_source, terms_json = self._db.execute(
            "SELECT policy_source, policy_terms_json FROM scans WHERE id = ?", (scan_id,)
        ).fetchone()
        ids = [
            int(r[0])
            for r in self._db.execute(
                "SELECT id FROM repositories WHERE scan_id = ? ORDER BY id", (scan_id,)
            )
        ]
        repositories = tuple(self._load_repository(i) for i in ids)
        violations = tuple(
            Violation(
                rule=row[0],
                severity=Severity(row[1]),
                product=row[2],
                repository=row[3],
                path=row[4],
                line=row[5],
                license=row[6],
                message=row[7],
                how_to_fix=row[8],
                waiver=codec.loads(Waiver, row[9]),
                files=tuple(json.loads(row[10])) if row[10] else (),
                message_text=codec.loads(Message, row[11]),
                how_to_fix_text=codec.loads(Message, row[12]),
            )
            for row in self._db.execute(
                "SELECT rule, severity, product, repository, path, line, license, message,"
                " how_to_fix, waiver_json, files_json, message_json, how_to_fix_json"
                " FROM violations WHERE scan_id = ? ORDER BY id",
                (scan_id,),
            )
        )
        return ScanResult(
            repositories=repositories,
            violations=violations,
            policy_name=record.policy,
            policy_source=policy_source,
            portfolio=record.portfolio,
            scan_id=scan_id,
            started_at=record.started_at,
            tool_version=record.tool_version,
            finished_at=record.finished_at,
            kind=record.kind,
            policy_terms=codec.loads(PolicyTerms, terms_json) or PolicyTerms(),
        )

    def _load_repository(self, repository_id: int) -> RepoScan:
        row = self._db.execute(
            "SELECT name, path, commit_sha, remote_url, error, spec_json, metadata_json,"
            " facts_json, scanned_files FROM repositories WHERE id = ?",
            (repository_id,),
        ).fetchone()
        name, path, commit, remote_url, error, spec_json, metadata_json, facts_json, scanned = row
        checkout = Checkout(
            spec=codec.from_data(RepositorySpec, json.loads(spec_json)),
            name=name,
            path=Path(path) if path else None,
            commit=commit,
            remote_url=remote_url,
            metadata=codec.loads(ForgeMetadata, metadata_json),
            error=error,
        )
        facts = codec.loads(RepoFacts, facts_json) or RepoFacts(declared_license=None)
        files = tuple(
            FileFinding(
                path=r[0],
                blob_sha=r[1],
                size=r[2],
                kind=FileKind(r[3]),
                license_expression=r[4],
                license_source=LicenseSource(r[5]) if r[5] else None,
                holders=tuple(json.loads(r[6])),
                copyrights=tuple(json.loads(r[7])),
                detections=codec.from_data(tuple[Detection, ...], json.loads(r[8])),
                notices=tuple(json.loads(r[9])),
                spdx_header=bool(r[10]),
                copyright_header=bool(r[11]),
                skipped=r[12],
                content=codec.loads(ContentReading, r[13]),
            )
            for r in self._db.execute(
                "SELECT path, blob_sha, size, kind, license_expression, license_source,"
                " holders_json, copyrights_json, detections_json, notices_json, spdx_header,"
                " copyright_header, skipped, content_json FROM files WHERE repository_id = ?"
                " ORDER BY path",
                (repository_id,),
            )
        )
        return RepoScan(checkout=checkout, facts=facts, files=files, scanned_files=scanned)

    def integrity_ok(self) -> bool:
        if self.dialect == "postgresql":
            return True  # the server checks its own pages (and checksums, when enabled)
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


_SCAN_COLUMNS = (
    "SELECT s.id, s.portfolio, s.policy, s.started_at, s.finished_at, s.status, s.tool_version,"
    " s.kind, r.host, r.pid FROM scans s LEFT JOIN scan_runners r ON r.scan_id = s.id"
)


def _scan_record(row: tuple[Any, ...]) -> ScanRecord:
    """A stored scan; one still 'running' whose process on this host is gone was killed
    (SIGKILL, power loss) and is shown as interrupted."""
    *fields, host, pid = row
    if fields[5] == "running" and host == socket.gethostname() and not _alive(pid):
        fields[5] = "interrupted"
    scan_id, portfolio, policy, started_at, finished_at, status, version, kind = fields
    return ScanRecord(
        scan_id, portfolio, policy, started_at, finished_at, status, version, ScanKind(kind)
    )


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def detection_digest(blob_sha: str, detector_version: str, result_json: str) -> str:
    """The integrity digest of a cached detection: SHA-256 over the blob, the detector version
    and the stored result, so a row cannot be edited or moved to another blob unnoticed."""
    material = f"{blob_sha}\0{detector_version}\0{result_json}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(material).hexdigest()


def _verified_detections(
    sha: str, version: str, text: object, digest: object
) -> FileDetections | None:
    if not isinstance(text, str) or digest != detection_digest(sha, version, text):
        return None
    try:
        return codec.from_data(FileDetections, json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. On a read-only folder SQLite cannot make the WAL index, so the
    file is then opened as immutable (nobody can be writing it there)."""
    if not path.is_file():
        raise StoreError("no such database (run `os2scan scan` first)", source=str(path))
    uri = f"file:{quote(str(path.resolve()))}"
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        connection = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
    connection.execute("PRAGMA query_only = ON")
    return connection


def _locator_key(checkout: Checkout) -> str:
    """What identifies a repository across scans: its kind and locator (an org entry expands
    to one checkout per repository, so the checkout's remote or name is added)."""
    spec = checkout.spec
    if spec.kind.value in ("github_org", "gitlab_group"):
        return f"{spec.kind.value}:{spec.locator}/{checkout.name}"
    return f"{spec.kind.value}:{spec.locator}"


def _file_row(repository_id: int, f: FileFinding) -> tuple[object, ...]:
    return (
        repository_id,
        f.path,
        f.blob_sha,
        f.size,
        f.kind.value,
        f.license_expression,
        f.license_source.value if f.license_source else None,
        json.dumps(list(f.holders), ensure_ascii=False),
        json.dumps(list(f.copyrights), ensure_ascii=False),
        codec.dumps(f.detections),
        json.dumps(list(f.notices), ensure_ascii=False),
        int(f.spdx_header),
        int(f.copyright_header),
        f.skipped,
        codec.dumps(f.content) if f.content else None,
    )
