"""PostgreSQL: for deployments where several app servers share one database."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import date

import psycopg

from quiz.storage.base import Dialect, RecordBatch, ResponseRecord, ResponseStore, StorageError, filters, migrations

# gen_random_uuid() (PostgreSQL 13+) draws from the server's strong random source; random() does not.
MIGRATIONS = migrations(Dialect(date_type="DATE", key_type="BIGINT",
                                random_key="('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint",
                                random_id="md5(gen_random_uuid()::text)"))


class PostgresStore(ResponseStore):
    """One connection per thread (gunicorn sync workers have one), reopened after a failure."""

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()

    def _connection(self) -> psycopg.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed or connection.broken:
            try:
                connection = psycopg.connect(self.url, connect_timeout=3)
            except psycopg.Error as error:
                raise StorageError(f"cannot connect to PostgreSQL: {error}") from error
            self._local.connection = connection
        return connection

    def _run(self, work):
        try:
            connection = self._connection()
            with connection.transaction(), connection.cursor() as cursor:
                return work(cursor)
        except psycopg.Error as error:
            self.close()
            raise StorageError(f"PostgreSQL: {error}") from error

    def upgrade(self) -> None:
        def migrate(cursor: psycopg.Cursor) -> None:
            cursor.execute("SELECT pg_advisory_xact_lock(724001)")  # one upgrader at a time
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = cursor.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                cursor.execute(script)
                cursor.execute("INSERT INTO schema_version VALUES (%s)", (number,))

        self._run(migrate)

    def add(self, records: Sequence[ResponseRecord]) -> int:
        def insert(cursor: psycopg.Cursor) -> int:
            inserted = 0
            for record in records:
                cursor.execute(
                    "INSERT INTO responses (quiz_version, day, partner, answers, weights, top_actors, token_id,"
                    " record_key) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (token_id) DO NOTHING",
                    record.as_row())
                inserted += cursor.rowcount
            return inserted

        return self._run(insert)

    def count(self, version: str | None = None) -> int:
        if version is None:
            return self._run(lambda c: c.execute("SELECT count(*) FROM responses").fetchone()[0])
        return self._run(lambda c: c.execute(
            "SELECT count(*) FROM responses WHERE quiz_version = %s", (version,)).fetchone()[0])

    def versions(self) -> list[str]:
        return self._run(lambda c: [r[0] for r in c.execute(
            "SELECT DISTINCT quiz_version FROM responses ORDER BY quiz_version").fetchall()])

    def batches(self, version: str, n_statements: int, *, partner: str | None = None,
                first_day: date | None = None, last_day: date | None = None,
                chunk: int = 100_000) -> Iterator[RecordBatch]:
        where, params = filters(partner, first_day, last_day, "%s")
        try:
            with psycopg.connect(self.url, connect_timeout=3) as connection, connection.cursor(
                    name="quiz_export") as cursor:  # server-side cursor: streams, never loads all rows
                cursor.itersize = chunk
                cursor.execute("SELECT answers, weights, top_actors, day, partner, record_key FROM responses"
                               " WHERE quiz_version = %s" + where, [version, *params])
                while rows := cursor.fetchmany(chunk):
                    yield self.batch(rows, n_statements)
        except psycopg.Error as error:
            raise StorageError(f"PostgreSQL: {error}") from error

    def ping(self) -> bool:
        try:
            self._run(lambda c: c.execute("SELECT 1").fetchone())
            return True
        except StorageError:
            return False

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
