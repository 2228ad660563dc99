"""PostgreSQL: for deployments where several app servers share one database.

A database that stops answering must not hold a voter: every connection has a 2 s connect
timeout, server-side statement and lock timeouts, and TCP keepalives (a dead peer or network),
and each voter-path call has a client-side deadline that cuts the socket when the server itself
has stopped (SIGSTOP, a frozen VM), where no server-side timeout can fire. The caller then
spools the record. Exports and schema upgrades run without these short limits.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator, Sequence
from datetime import date

import psycopg

from quiz.storage.base import (
    CODING_REVIEW_COLUMNS,
    CodingReview,
    Dialect,
    RecordBatch,
    ResponseRecord,
    ResponseStore,
    StorageError,
    coding_review_query,
    coding_reviews_from_rows,
    filters,
    migrations,
)

# gen_random_uuid() (PostgreSQL 13+) draws from the server's strong random source; random() does not.
MIGRATIONS = migrations(Dialect(date_type="DATE", key_type="BIGINT",
                                random_key="('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint",
                                random_id="md5(gen_random_uuid()::text)"))
CONNECT_TIMEOUT = 2  # seconds (libpq's minimum)
STATEMENT_TIMEOUT_MS = 2000
LOCK_TIMEOUT_MS = 1000
ANSWER_DEADLINE = 2.5  # seconds a voter-path call may take before the client cuts the connection
EXPORT_STATEMENT_TIMEOUT_MS = 10 * 60 * 1000
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 1, "keepalives_count": 2,
              "tcp_user_timeout": 2000}


def connect(url: str, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> psycopg.Connection:
    """A connection with the timeouts above (``statement_timeout_ms`` longer for exports)."""
    options = f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={LOCK_TIMEOUT_MS}"
    return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, options=options, **KEEPALIVES)


class Deadline:
    """Cuts ``connection``'s socket if the block has not finished after ``seconds``: the blocked
    call then fails at once (psycopg raises) instead of waiting for a server that never answers."""

    def __init__(self, connection: psycopg.Connection, seconds: float | None):
        self.connection = connection
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._done = False
        self._timer: threading.Timer | None = None

    def _cut(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            try:
                duplicate = socket.socket(fileno=os.dup(self.connection.pgconn.socket))
                with duplicate:
                    duplicate.shutdown(socket.SHUT_RDWR)
            except (OSError, psycopg.Error):  # already closed: the call is failing anyway
                pass

    def __enter__(self) -> Deadline:
        if self.seconds is not None:
            self._timer = threading.Timer(self.seconds, self._cut)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._done = True
        if self._timer is not None:
            self._timer.cancel()


class PostgresStore(ResponseStore):
    """One connection per thread (gunicorn sync workers have one), reopened after a failure."""

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()

    def _connection(self) -> psycopg.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed or connection.broken:
            try:
                connection = connect(self.url)
            except psycopg.Error as error:
                raise StorageError(f"cannot connect to PostgreSQL: {error}") from error
            self._local.connection = connection
        return connection

    def _run(self, work, deadline: float | None = ANSWER_DEADLINE):
        """Run ``work(cursor)`` in one transaction; StorageError when the database fails or does not
        answer within ``deadline`` seconds (None: no client-side deadline)."""
        try:
            connection = self._connection()
            with Deadline(connection, deadline) as watch:
                try:
                    with connection.transaction(), connection.cursor() as cursor:
                        result = work(cursor)
                except psycopg.Error as error:
                    if watch.fired:
                        raise StorageError(f"PostgreSQL did not answer within {deadline} s") from error
                    raise
            if watch.fired:  # cut just as the work finished: the connection cannot be used again
                self.close()
            return result
        except psycopg.Error as error:
            self.close()
            raise StorageError(f"PostgreSQL: {error}") from error
        except StorageError:
            self.close()
            raise

    def upgrade(self) -> None:
        def migrate(cursor: psycopg.Cursor) -> None:
            cursor.execute("SET LOCAL statement_timeout = 0")  # a migration may take long: not a voter's wait
            cursor.execute("SET LOCAL lock_timeout = 0")
            cursor.execute("SELECT pg_advisory_xact_lock(724001)")  # one upgrader at a time
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = cursor.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                cursor.execute(script)
                cursor.execute("INSERT INTO schema_version VALUES (%s)", (number,))

        self._run(migrate, deadline=None)

    def add(self, records: Sequence[ResponseRecord]) -> int:
        def insert(cursor: psycopg.Cursor) -> int:
            cursor.executemany(  # pipelined: a delivery batch is one round trip, not one per record
                "INSERT INTO responses (quiz_version, day, partner, answers, weights, top_actors, token_id,"
                " record_key, quiz) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (token_id) DO NOTHING",
                [record.as_row() for record in records])
            return cursor.rowcount  # the rows all the statements inserted

        return self._run(insert)

    def _run_long(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """A query that reads the whole table (operators' commands, not a voter's request): the
        export's statement timeout, no client-side deadline."""
        def query(cursor: psycopg.Cursor) -> list[tuple]:
            cursor.execute(f"SET LOCAL statement_timeout = {EXPORT_STATEMENT_TIMEOUT_MS}")
            return cursor.execute(sql, params).fetchall()

        return self._run(query, deadline=None)

    def count(self, version: str | None = None) -> int:
        if version is None:
            return self._run_long("SELECT count(*) FROM responses")[0][0]
        return self._run_long("SELECT count(*) FROM responses WHERE quiz_version = %s", (version,))[0][0]

    def versions(self) -> list[str]:
        return [r[0] for r in self._run_long("SELECT DISTINCT quiz_version FROM responses ORDER BY quiz_version")]

    def batches(self, version: str, n_statements: int, *, partner: str | None = None,
                first_day: date | None = None, last_day: date | None = None,
                chunk: int = 100_000, quiz: str | None = None) -> Iterator[RecordBatch]:
        where, params = filters(partner, first_day, last_day, "%s", quiz)
        try:
            with connect(self.url, EXPORT_STATEMENT_TIMEOUT_MS) as connection, connection.cursor(
                    name="quiz_export") as cursor:  # server-side cursor: streams, never loads all rows
                cursor.itersize = chunk
                cursor.execute("SELECT answers, weights, top_actors, day, partner, record_key FROM responses"
                               " WHERE quiz_version = %s" + where, [version, *params])
                while rows := cursor.fetchmany(chunk):
                    yield self.batch(rows, n_statements)
        except psycopg.Error as error:
            raise StorageError(f"PostgreSQL: {error}") from error

    def add_coding_review(self, review: CodingReview) -> bool:
        def insert(cursor: psycopg.Cursor) -> bool:
            cursor.executemany(f"INSERT INTO coding_reviews ({CODING_REVIEW_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)",
                               review.as_rows())
            return True

        try:
            return self._run(insert)
        except StorageError as error:
            if isinstance(error.__cause__, psycopg.errors.UniqueViolation):  # already answered: the first stay
                return False
            raise

    def coding_reviews(self, version: str | None = None, actor: str | None = None) -> list[CodingReview]:
        # ctid: the order the answers were inserted in (one transaction, never updated)
        sql, params = coding_review_query(version, actor, "%s", "ctid")
        return coding_reviews_from_rows(self._run(lambda c: c.execute(sql, params).fetchall()))

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
