"""A PostgreSQL connection that speaks the subset of sqlite3's interface the store uses.

The store's SQL is written once, in the subset SQLite and PostgreSQL share, with `?`
placeholders; this adapter turns those into psycopg's `%s` and `BEGIN IMMEDIATE` into `BEGIN`,
so every query of the store runs unchanged on both. psycopg (3) runs in autocommit mode and the
store opens its transactions itself, exactly as it does on SQLite.

Every psycopg error becomes a `StoreError` with one line naming the server (never its password):
a lost connection in the middle of a scan ends the scan clearly, and what was committed stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scanner.kernel.errors import StoreError
from scanner.kernel.redact import one_line

#: How a database is named on the command line or in OS2SCAN_DB to mean PostgreSQL.
URL_SCHEMES = ("postgresql://", "postgres://")

#: Seconds to wait for the server before giving up with one line.
CONNECT_TIMEOUT = 10


def is_database_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def shown_url(url: str) -> str:
    """The URL without its password (and without query parameters, which may hold one)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


_PLACEHOLDER = re.compile(r"\?")


def _translate(sql: str) -> str:
    """The store's sqlite-flavoured SQL in psycopg's spelling."""
    if sql.strip().upper() == "BEGIN IMMEDIATE":
        return "BEGIN"
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


class PostgresConnection:
    """What the store needs of a connection: execute, executemany, in_transaction, close."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.shown = shown_url(url)
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "a PostgreSQL database needs the cluster extra: pip install 'os2scan[cluster]'",
                source=self.shown,
            ) from exc
        self._psycopg = psycopg
        try:
            self._connection = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="os2scan"
            )
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the database: {_reason(exc)}",
                             source=self.shown) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._connection.execute(_translate(sql), tuple(params))
        except self._psycopg.Error as exc:
            raise self._failure(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        try:
            cursor = self._connection.cursor()
            cursor.executemany(_translate(sql), [tuple(row) for row in rows])
            return cursor
        except self._psycopg.Error as exc:
            raise self._failure(exc) from exc

    @property
    def in_transaction(self) -> bool:
        status = self._connection.info.transaction_status
        idle = self._psycopg.pq.TransactionStatus
        return status in (idle.ACTIVE, idle.INTRANS, idle.INERROR)

    def close(self) -> None:
        self._connection.close()

    def _failure(self, exc: Exception) -> StoreError:
        if self._connection.closed or self._connection.broken:
            return StoreError(f"lost the connection to the database: {_reason(exc)}",
                              source=self.shown)
        return StoreError(f"the database refused a statement: {_reason(exc)}",
                          source=self.shown)


def _reason(exc: Exception) -> str:
    return one_line(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
