"""SQLite: the embedded default. WAL mode, so several gunicorn workers can write safely."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from quiz.storage.base import RecordBatch, ResponseRecord, ResponseStore, StorageError, filters, migrations

MIGRATIONS = migrations("TEXT")


class SQLiteStore(ResponseStore):
    def __init__(self, path: str):
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA busy_timeout = 10000")
            return connection
        except sqlite3.Error as error:
            raise StorageError(f"cannot open SQLite database {self.path}: {error}") from error

    def _run(self, work):
        """Run ``work(connection)`` in one transaction, mapping SQLite errors to StorageError."""
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            result = work(connection)
            connection.execute("COMMIT")
            return result
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StorageError(f"SQLite: {error}") from error
        finally:
            connection.close()

    def upgrade(self) -> None:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = self._connect()
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                connection.executescript(f"BEGIN; {script}; INSERT INTO schema_version VALUES ({number}); COMMIT;")
        except sqlite3.Error as error:
            raise StorageError(f"SQLite upgrade failed: {error}") from error
        finally:
            connection.close()

    def add(self, records: Sequence[ResponseRecord]) -> int:
        def insert(connection: sqlite3.Connection) -> int:
            before = connection.total_changes
            connection.executemany(
                "INSERT OR IGNORE INTO responses (quiz_version, day, partner, answers, weights, top_actors,"
                " token_id) VALUES (?, ?, ?, ?, ?, ?, ?)", [r.as_row() for r in records])
            return connection.total_changes - before

        return self._run(insert)

    def count(self, version: str | None = None) -> int:
        sql, params = "SELECT count(*) FROM responses", []
        if version is not None:
            sql, params = sql + " WHERE quiz_version = ?", [version]
        return self._run(lambda c: c.execute(sql, params).fetchone()[0])

    def versions(self) -> list[str]:
        return self._run(lambda c: [r[0] for r in c.execute(
            "SELECT DISTINCT quiz_version FROM responses ORDER BY quiz_version")])

    def batches(self, version: str, n_statements: int, *, partner: str | None = None,
                first_day: date | None = None, last_day: date | None = None,
                chunk: int = 100_000) -> Iterator[RecordBatch]:
        where, params = filters(partner, first_day, last_day, "?")
        connection = self._connect()
        try:
            cursor = connection.execute(
                "SELECT answers, weights, top_actors, day, partner FROM responses WHERE quiz_version = ?"
                + where, [version, *params])
            while rows := cursor.fetchmany(chunk):
                yield self.batch(rows, n_statements)
        except sqlite3.Error as error:
            raise StorageError(f"SQLite: {error}") from error
        finally:
            connection.close()

    def ping(self) -> bool:
        try:
            self._run(lambda c: c.execute("SELECT count(*) FROM schema_version").fetchone())
            return True
        except StorageError:
            return False
