"""A local spool for records the database could not take, delivered later in bounded batches.

Each record is one framed line, ``<crc32 hex> <json>\\n``, written with one ``write`` under an
exclusive file lock (several worker processes share the file) and fsynced. A write that fails
(a full disk) is cut back off the file, and a tail torn by a crash is closed with a newline
before the next record, so one failure never takes the next record with it. On delivery every
line whose checksum and fields hold is delivered; any other bytes are moved to a side file
(``<spool>.corrupt``) and counted as lost, so one bad line never blocks the intact ones.

Delivery advances a durable offset (``<spool>.offset``, which is also the lock one deliverer
holds) batch by batch, and empties the spool once everything is delivered. Each record carries
its unique token id, so a batch delivered again after a crash inserts nothing twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from quiz.storage.base import ResponseRecord, ResponseStore

log = logging.getLogger(__name__)

BATCH = 1000  # records per delivery transaction
OFFSET_WIDTH = 20  # the offset file holds one zero-padded number, rewritten in place


class SpoolError(Exception):
    """The spool itself cannot be written or read (disk full, read-only)."""


@dataclass(frozen=True)
class Delivery:
    """What one delivery did: records delivered, and records lost to corrupt bytes (quarantined)."""

    delivered: int = 0
    lost: int = 0
    busy: bool = False  # another process is delivering

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(self.delivered + other.delivered, self.lost + other.lost, self.busy or other.busy)


def frame(record: ResponseRecord) -> bytes:
    """One record as a spool line: its CRC-32, a space, its JSON, a newline."""
    payload = json.dumps({"version": record.version, "day": record.day.isoformat(), "partner": record.partner,
                          "answers": record.answers, "weights": record.weights, "top": list(record.top),
                          "token_id": record.token_id, **({"quiz": record.quiz} if record.quiz else {})},
                         separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def unframe(line: bytes) -> ResponseRecord | None:
    """The record in one spool line (without its newline), or None if the line is not intact.

    A plain JSON line (the spool's earlier format) is accepted when it parses whole: a torn JSON
    object never does."""
    payload = line
    if not line.startswith(b"{"):
        crc, _, payload = line.partition(b" ")
        if len(crc) != 8 or crc != b"%08x" % zlib.crc32(payload):
            return None
    try:
        data = json.loads(payload)
        record = ResponseRecord(data["version"], date.fromisoformat(data["day"]), data["partner"],
                                data["answers"], data["weights"], tuple(data["top"]), data["token_id"],
                                quiz=data.get("quiz"))
    except (ValueError, KeyError, TypeError):
        return None
    texts = (record.version, record.answers, record.weights, record.token_id, *record.top)
    if not all(isinstance(t, str) for t in texts) or not all(isinstance(t, str | None) for t in (record.partner,
                                                                                             record.quiz)):
        return None
    return record


class Spool:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.offset_path = self.path.with_name(self.path.name + ".offset")
        self.quarantine_path = self.path.with_name(self.path.name + ".corrupt")

    def _check_regular(self) -> None:
        if self.path.exists() and not self.path.is_file():
            raise SpoolError(f"spool {self.path} is not a regular file")

    def append(self, record: ResponseRecord) -> None:
        """Write one record durably, or raise SpoolError and leave the file as it was."""
        line = frame(record)
        self._check_regular()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as error:
            raise SpoolError(f"cannot write spool {self.path}: {error}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # close a torn tail: it stays one corrupt line, this record its own
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(f"short write: {written} of {len(line)} bytes")
                os.fsync(fd)
            except OSError:
                os.ftruncate(fd, size)  # cut off what was half written: the next record starts clean
                raise
        except OSError as error:
            raise SpoolError(f"cannot write spool {self.path}: {error}") from error
        finally:
            os.close(fd)

    def backlog(self) -> int:
        """How many records (lines) wait for delivery."""
        self._check_regular()
        try:
            with self.path.open("rb") as f:
                f.seek(min(self._read_offset(), os.fstat(f.fileno()).st_size))
                return sum(1 for line in f if line.strip())
        except FileNotFoundError:
            return 0
        except OSError as error:
            raise SpoolError(f"cannot read spool {self.path}: {error}") from error

    def has_backlog(self) -> bool:
        try:
            return self.path.stat().st_size > self._read_offset()
        except OSError:
            return False

    def _read_offset(self) -> int:
        try:
            return int(self.offset_path.read_bytes().strip() or 0)
        except (OSError, ValueError):
            return 0

    @contextmanager
    def _delivery_lock(self) -> Iterator[BinaryIO | None]:
        """The offset file, locked for this deliverer; None while another process delivers."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.offset_path, "a+b") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield None
                return
            yield f

    def deliver(self, store: ResponseStore, *, max_batches: int | None = None) -> Delivery:
        """Move spooled records into ``store``, ``BATCH`` at a time (at most ``max_batches``).

        Raises StorageError when the database refuses (the records stay spooled) and SpoolError
        when the spool cannot be read or written; corrupt bytes never raise: they are quarantined."""
        if not self.has_backlog():
            return Delivery()
        try:
            with self._delivery_lock() as offset_file:
                if offset_file is None:
                    return Delivery(busy=True)
                total, batches = Delivery(), 0
                while max_batches is None or batches < max_batches:
                    done = self._deliver_batch(store, offset_file)
                    total, batches = total + done, batches + 1
                    if done == Delivery():
                        break
        except FileNotFoundError:
            return Delivery()
        except OSError as error:
            raise SpoolError(f"cannot deliver spool {self.path}: {error}") from error
        if total.delivered or total.lost:
            log.info("delivered %d spooled record(s), %d lost to corrupt bytes", total.delivered, total.lost)
        return total

    def _deliver_batch(self, store: ResponseStore, offset_file: BinaryIO) -> Delivery:
        """Read up to BATCH lines after the offset, deliver the intact ones, quarantine the rest."""
        offset_file.seek(0)
        start = int(offset_file.read().strip() or 0)
        with self.path.open("rb") as f:
            fcntl.flock(f, fcntl.LOCK_SH)  # appenders hold LOCK_EX: never read half an append
            size = os.fstat(f.fileno()).st_size
            if start > size:  # the spool was replaced or emptied by hand: start over
                start = 0
            f.seek(start)
            lines = [line for _, line in zip(range(BATCH), f, strict=False)]
        records, corrupt = [], []
        for line in lines:
            if not line.strip():
                continue
            record = unframe(line.rstrip(b"\n")) if line.endswith(b"\n") else None
            (corrupt.append(line) if record is None else records.append(record))
        end = start + sum(len(line) for line in lines)
        if records:
            store.add(records)  # raises StorageError: the offset stays, the batch is retried later
        lost = self._quarantine(corrupt)
        self._advance(offset_file, end)
        return Delivery(len(records), lost)

    def _quarantine(self, lines: list[bytes]) -> int:
        """Move corrupt lines to the side file; returns how many records they held (at least one a line)."""
        if not lines:
            return 0
        with self.quarantine_path.open("ab") as side:
            for line in lines:
                side.write(line if line.endswith(b"\n") else line + b"\n")
            side.flush()
            os.fsync(side.fileno())
        lost = sum(max(1, line.count(b'{"version"')) for line in lines)
        log.error("RECORD LOST: %d corrupt spool line(s) (%d record(s)) moved to %s",
                  len(lines), lost, self.quarantine_path)
        return lost

    def _advance(self, offset_file: BinaryIO, end: int) -> None:
        """Record that everything before ``end`` is delivered; empty the spool when that is all of it."""
        with self.path.open("r+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            if os.fstat(f.fileno()).st_size <= end:
                f.truncate(0)
                os.fsync(f.fileno())
                end = 0
            offset_file.seek(0)
            offset_file.truncate()
            offset_file.write(b"%0*d\n" % (OFFSET_WIDTH, end))
            offset_file.flush()
            os.fsync(offset_file.fileno())
