"""The one schema of the os2scan database, as a list of numbered migrations run by both stores.

Why a hand-written list rather than SQLAlchemy Core with Alembic: the store is a few hundred
lines of plain SQL in the subset SQLite and PostgreSQL share, and the embedded SQLite default
must keep working with nothing but the standard library. A migration is the DDL of one schema
version, written once in SQLite's spelling; PostgreSQL needs only three of its words mapped
(`postgres_ddl`). Each database records the versions it has applied in `meta`, so opening an
older database brings it up to date in one transaction, and a database written by a newer
os2scan is refused rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One schema version: the statements that bring the previous version to this one."""

    version: int
    statements: tuple[str, ...]


def _statements(script: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in script.split(";") if s.strip())


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        _statements(
            """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    portfolio TEXT NOT NULL,
    policy TEXT NOT NULL,
    policy_source TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    tool_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS repositories (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    product TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    locator TEXT NOT NULL,
    path TEXT,
    commit_sha TEXT,
    remote_url TEXT,
    error TEXT,
    detector_version TEXT,
    spec_json TEXT NOT NULL,
    metadata_json TEXT,
    facts_json TEXT,
    scanned_files INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS repositories_by_scan ON repositories(scan_id);
CREATE INDEX IF NOT EXISTS repositories_by_commit ON repositories(locator, commit_sha);
CREATE TABLE IF NOT EXISTS files (
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    blob_sha TEXT NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL,
    license_expression TEXT,
    license_source TEXT,
    holders_json TEXT NOT NULL,
    copyrights_json TEXT NOT NULL,
    detections_json TEXT NOT NULL,
    notices_json TEXT NOT NULL,
    spdx_header INTEGER NOT NULL,
    copyright_header INTEGER NOT NULL,
    skipped TEXT,
    PRIMARY KEY (repository_id, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS detections (
    blob_sha TEXT NOT NULL,
    detector_version TEXT NOT NULL,
    result_json TEXT NOT NULL,
    PRIMARY KEY (blob_sha, detector_version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan_runners (
    scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS violations (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    product TEXT NOT NULL,
    repository TEXT NOT NULL,
    path TEXT,
    line INTEGER,
    license TEXT,
    message TEXT NOT NULL,
    how_to_fix TEXT NOT NULL,
    waiver_json TEXT
);
CREATE INDEX IF NOT EXISTS violations_by_scan ON violations(scan_id)
"""
        ),
    ),
    # Each cached detection carries a digest of its blob, the detector version and the result,
    # so a row that was edited, moved to another blob or damaged is detected again, never
    # trusted. Rows written before have none and are detected again as they are met.
    Migration(2, ("ALTER TABLE detections ADD COLUMN digest TEXT",)),
    # What an archive, font, image or document holds (its licence and ownership evidence and,
    # for an archive, the files read inside it); NULL for any other file.
    Migration(3, ("ALTER TABLE files ADD COLUMN content_json TEXT",)),
    # A finding that stands for many files (a component, the documentation without a
    # licence) lists them.
    Migration(4, ("ALTER TABLE violations ADD COLUMN files_json TEXT",)),
    # A scan says whether it was a portfolio scan or a CI check, and carries the policy's
    # terms; a violation keeps its texts as msgid and parameters, for translation.
    Migration(
        5,
        _statements(
            """
ALTER TABLE scans ADD COLUMN kind TEXT NOT NULL DEFAULT 'portfolio';
ALTER TABLE scans ADD COLUMN policy_terms_json TEXT;
ALTER TABLE violations ADD COLUMN message_json TEXT;
ALTER TABLE violations ADD COLUMN how_to_fix_json TEXT;
-- version 1 told a CI check from a portfolio scan only by its name, "check:<folder>"
UPDATE scans SET kind = 'check' WHERE portfolio LIKE 'check:%'
"""
        ),
    ),
)

#: The version a database has once every migration ran.
SCHEMA_VERSION = MIGRATIONS[-1].version

#: Where each database records its version; created before any migration runs.
META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

_POSTGRES_WORDS = (
    # SQLite's rowid alias becomes an identity column (a table's own id is the first column).
    (re.compile(r"\bid INTEGER PRIMARY KEY\b"), "id BIGINT GENERATED BY DEFAULT AS IDENTITY "
     "PRIMARY KEY"),
    # SQLite's INTEGER holds 64 bits; PostgreSQL's holds 32.
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\)\s*WITHOUT ROWID\s*$"), ")"),
)


def postgres_ddl(statement: str) -> str:
    """A migration statement in PostgreSQL's spelling."""
    for pattern, replacement in _POSTGRES_WORDS:
        statement = pattern.sub(replacement, statement)
    return statement


def pending(applied: int) -> tuple[Migration, ...]:
    """The migrations a database at version `applied` still needs, in order."""
    return tuple(m for m in MIGRATIONS if m.version > applied)
