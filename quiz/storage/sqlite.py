"""SQLite: the embedded default. WAL mode, so several gunicorn workers can write safely."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

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

MIGRATIONS = migrations(Dialect(date_type="TEXT", key_type="INTEGER", random_key="(random() & 4294967295)",
                                 random_id="lower(hex(randomblob(16)))"))
# How long a write waits for another writer's lock before it fails and the record is spooled:
# a voter must not wait longer (another process holding a write transaction stalled pages 10 s).
BUSY_TIMEOUT_MS = 2000


# Connections opened before a fork, kept here so that the child never closes them: SQLite's
# documentation forbids using a connection across fork(), and closing it is a use (its locks
# and log belong to the parent).
_INHERITED: list[sqlite3.Connection] = []


def _identity(path: str) -> tuple[int, int] | None:
    """Which file ``path`` is now (device, inode); None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class SQLiteStore(ResponseStore):
    """One connection per thread (a gunicorn sync worker has one), as the PostgreSQL store keeps.

    A connection per record made SQLite checkpoint its write-ahead log on every close, which
    cost more than the insert. The kept connection is reopened after a failure, in a new
    process, and whenever the file at ``path`` is no longer the file it has open (deleted or
    replaced), so that no record goes to a file that nobody will read.
    """

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()

    def _connect(self, create: bool = False) -> sqlite3.Connection:
        """A connection to the file; only ``upgrade`` may create it (``create``): a missing file
        means a database that is not set up (or was moved away), never an empty one to fill."""
        target = self.path if create else Path(self.path).absolute().as_uri() + "?mode=rw"
        try:
            connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                         uri=not create)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return connection
        except sqlite3.Error as error:
            raise StorageError(f"cannot open SQLite database {self.path}: {error}") from error

    def _connection(self) -> sqlite3.Connection:
        kept = getattr(self._local, "kept", None)  # (process id, file identity, connection)
        identity = _identity(self.path)
        if kept is not None:
            pid, opened, connection = kept
            if pid == os.getpid() and identity is not None and opened == identity:
                return connection
            self.close()
        connection = self._connect()
        self._local.kept = (os.getpid(), _identity(self.path), connection)
        return connection

    def _run(self, work, write: bool = True):
        """Run ``work(connection)`` in one transaction (a write transaction unless ``write`` is
        False: readers never wait for a writer in WAL mode), mapping SQLite errors to StorageError."""
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            result = work(connection)
            connection.execute("COMMIT")
            return result
        except sqlite3.Error as error:
            self.close()  # rolls back what the transaction did; the next call opens afresh
            raise StorageError(f"SQLite: {error}") from error

    def close(self) -> None:
        kept = getattr(self._local, "kept", None)
        self._local.kept = None
        if kept is None:
            return
        pid, _opened, connection = kept
        if pid != os.getpid():
            _INHERITED.append(connection)
            return
        try:
            connection.close()
        except sqlite3.Error:  # closing a broken connection: nothing more to release
            return

    def upgrade(self) -> None:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = self._connect(create=True)
        try:
            _set_wal(connection)
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
                " token_id, record_key, quiz) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [r.as_row() for r in records])
            return connection.total_changes - before

        return self._run(insert)

    def count(self, version: str | None = None) -> int:
        sql, params = "SELECT count(*) FROM responses", []
        if version is not None:
            sql, params = sql + " WHERE quiz_version = ?", [version]
        return self._run(lambda c: c.execute(sql, params).fetchone()[0], write=False)

    def versions(self) -> list[str]:
        return self._run(lambda c: [r[0] for r in c.execute(
            "SELECT DISTINCT quiz_version FROM responses ORDER BY quiz_version")], write=False)

    def batches(self, version: str, n_statements: int, *, partner: str | None = None,
                first_day: date | None = None, last_day: date | None = None,
                chunk: int = 100_000, quiz: str | None = None) -> Iterator[RecordBatch]:
        where, params = filters(partner, first_day, last_day, "?", quiz)
        connection = self._connect()
        try:
            cursor = connection.execute(
                "SELECT answers, weights, top_actors, day, partner, record_key FROM responses WHERE quiz_version = ?"
                + where, [version, *params])
            while rows := cursor.fetchmany(chunk):
                yield self.batch(rows, n_statements)
        except sqlite3.Error as error:
            raise StorageError(f"SQLite: {error}") from error
        finally:
            connection.close()

    def add_coding_review(self, review: CodingReview) -> bool:
        def insert(connection: sqlite3.Connection) -> bool:
            connection.executemany(f"INSERT INTO coding_reviews ({CODING_REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                                   review.as_rows())
            return True

        try:
            return self._run(insert)
        except StorageError as error:
            if isinstance(error.__cause__, sqlite3.IntegrityError):  # already answered: the first answers stay
                return False
            raise

    def coding_reviews(self, version: str | None = None, actor: str | None = None) -> list[CodingReview]:
        # rowid: the order the answers were inserted in
        sql, params = coding_review_query(version, actor, "?", "rowid")
        return coding_reviews_from_rows(self._run(lambda c: c.execute(sql, params).fetchall(), write=False))

    def ping(self) -> bool:
        try:
            self._run(lambda c: c.execute("SELECT count(*) FROM schema_version").fetchone())  # can it write?
            return True
        except StorageError:
            return False


def _set_wal(connection: sqlite3.Connection, attempts: int = 10) -> None:
    """Switch the file to WAL mode. The switch needs the file to itself, and a worker's background
    delivery may be holding it for a moment when the database comes back (``quiz db upgrade`` run
    while the app is up), and SQLite's busy handler does not always wait for that: try again."""
    for attempt in range(attempts):
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
