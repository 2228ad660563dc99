"""A local spool for records the database could not take, delivered later: nothing is lost.

Records are appended as JSON lines under an exclusive file lock (several worker processes
share the file) and fsynced. Each carries its unique token id, so a delivery interrupted
after the database committed but before the spool was emptied inserts nothing twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from datetime import date
from pathlib import Path

from quiz.storage.base import ResponseRecord, ResponseStore, StorageError

log = logging.getLogger(__name__)


class SpoolError(Exception):
    """The spool itself cannot be written (disk full, read-only)."""


class Spool:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def append(self, record: ResponseRecord) -> None:
        """Write one record durably."""
        line = json.dumps({"version": record.version, "day": record.day.isoformat(), "partner": record.partner,
                           "answers": record.answers, "weights": record.weights, "top": list(record.top),
                           "token_id": record.token_id}) + "\n"
        if self.path.exists() and not self.path.is_file():
            raise SpoolError(f"spool {self.path} is not a regular file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
        except OSError as error:
            raise SpoolError(f"cannot write spool {self.path}: {error}") from error

    def backlog(self) -> int:
        """How many records wait for delivery."""
        if self.path.exists() and not self.path.is_file():
            raise SpoolError(f"spool {self.path} is not a regular file")
        try:
            with self.path.open("rb") as f:
                return sum(1 for line in f if line.strip())
        except FileNotFoundError:
            return 0
        except OSError as error:
            raise SpoolError(f"cannot read spool {self.path}: {error}") from error

    def has_backlog(self) -> bool:
        try:
            return self.path.stat().st_size > 0
        except OSError:
            return False

    def deliver(self, store: ResponseStore) -> int:
        """Move spooled records into ``store``; returns how many were delivered."""
        if not self.has_backlog():
            return 0
        try:
            with self.path.open("r+", encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                records = [_record(json.loads(line)) for line in f if line.strip()]
                if not records:
                    return 0
                store.add(records)  # raises StorageError: the spool stays as it is
                f.seek(0)
                f.truncate()
                f.flush()
                os.fsync(f.fileno())
        except FileNotFoundError:
            return 0
        except OSError as error:
            raise SpoolError(f"cannot empty spool {self.path}: {error}") from error
        except StorageError:
            raise
        log.info("delivered %d spooled record(s)", len(records))
        return len(records)


def _record(data: dict) -> ResponseRecord:
    return ResponseRecord(data["version"], date.fromisoformat(data["day"]), data["partner"], data["answers"],
                          data["weights"], tuple(data["top"]), data["token_id"])
