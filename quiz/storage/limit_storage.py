"""A SQLite storage for ``limits``: one rate-limit counter per machine, kept across restarts.

``limits`` ships memory, Redis, Memcached and MongoDB storages; the in-memory one counts per
worker process and forgets on every reload, and the others need a server. This one keeps the
moving window's entries in a small SQLite file (WAL mode, one short write transaction per hit),
so every worker on the machine shares one count. Registered as the ``sqlite://`` scheme, so
``storage_from_string("sqlite:///path")`` builds it like any other ``limits`` storage.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import MovingWindowSupport, Storage

BUSY_TIMEOUT_MS = 2000  # as the response store: a hit is one short transaction
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (key TEXT NOT NULL, at REAL NOT NULL, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS entries_key_at ON entries (key, at);
CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL);
"""


class SQLiteLimitStorage(Storage, MovingWindowSupport):
    """Moving-window (and fixed-window) counters in a SQLite file; one connection per thread and process."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool):
        self.path = uri.removeprefix("sqlite:///")
        self._local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return sqlite3.Error, OSError

    def _connection(self) -> sqlite3.Connection:
        kept = getattr(self._local, "kept", None)
        if kept is not None and kept[0] == os.getpid():
            return kept[1]
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")  # survives a crashed process; a power cut may lose a hit
        connection.executescript(SCHEMA)
        self._local.kept = (os.getpid(), connection)
        return connection

    def _write(self, work):
        """Run ``work(connection, now)`` in one write transaction, expired entries purged first."""
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
            now = time.time()
            connection.execute("DELETE FROM entries WHERE expires <= ?", (now,))
            result = work(connection, now)
            connection.execute("COMMIT")
            return result
        except sqlite3.Error:
            self._local.kept = None
            connection.close()
            raise

    def purge_expired(self) -> None:
        """Delete every expired entry and counter now: a hit purges the entries it passes, but after
        a quiet hour the last clients' keys would wait for the next hit."""
        self._write(lambda connection, now: connection.execute("DELETE FROM counters WHERE expires <= ?", (now,)))

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        def acquire(connection: sqlite3.Connection, now: float) -> bool:
            taken = connection.execute("SELECT count(*) FROM entries WHERE key = ? AND at > ?",
                                       (key, now - expiry)).fetchone()[0]
            if taken + amount > limit:
                return False
            connection.executemany("INSERT INTO entries VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount)
            return True

        return amount <= limit and self._write(acquire)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        first, taken = self._connection().execute(
            "SELECT min(at), count(*) FROM entries WHERE key = ? AND at > ?", (key, now - expiry)).fetchone()
        return (first if first is not None else now), taken

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def increment(connection: sqlite3.Connection, now: float) -> int:
            connection.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            connection.execute("INSERT INTO counters VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
                               " SET value = value + excluded.value", (key, amount, now + expiry))
            return connection.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0]

        return self._write(increment)

    def get(self, key: str) -> int:
        row = self._connection().execute("SELECT value FROM counters WHERE key = ? AND expires > ?",
                                         (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        def clear_all(connection: sqlite3.Connection, now: float) -> int:
            keys = connection.execute("SELECT count(DISTINCT key) FROM entries").fetchone()[0]
            keys += connection.execute("SELECT count(*) FROM counters").fetchone()[0]
            connection.execute("DELETE FROM entries")
            connection.execute("DELETE FROM counters")
            return keys

        return self._write(clear_all)

    def clear(self, key: str) -> None:
        def clear_key(connection: sqlite3.Connection, now: float) -> None:
            connection.execute("DELETE FROM entries WHERE key = ?", (key,))
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))

        self._write(clear_key)
