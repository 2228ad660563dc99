"""Record outcome counts shared by every worker on the machine and kept across restarts.

``/healthz`` must keep saying that records were lost after an outage, whichever worker answers
and after a reload, so the counts live in one small file (``QUIZ_COUNTS``), not in a worker's
memory. The file has a fixed size, made when the app starts: a count is rewritten in place
(``pwrite`` of 8 bytes under a file lock), which needs no new disk block, so even on a disk
that has since filled up the count of lost records still goes up.
"""

from __future__ import annotations

import fcntl
import logging
import os
import struct
import threading
from collections import Counter
from pathlib import Path

log = logging.getLogger(__name__)

SLOTS = 64
NAME_BYTES = 40
SLOT = struct.Struct(f"<{NAME_BYTES}sQ")  # a name (NUL-padded) and its count
MAGIC = b"quiz-counts-1\n\0\0"


class SharedCounters:
    """Named counts in a fixed-size file; in this process's memory only if the file cannot be made."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._memory: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.persistent = self._prepare()

    def _prepare(self) -> bool:
        size = len(MAGIC) + SLOTS * SLOT.size
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_size != size or os.pread(fd, len(MAGIC), 0) != MAGIC:
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, MAGIC + bytes(SLOTS * SLOT.size), 0)
                    os.fsync(fd)
            finally:
                os.close(fd)
            return True
        except OSError as error:
            log.error("record counts kept in this worker only: cannot prepare %s: %s", self.path, error)
            return False

    def _slots(self, fd: int) -> list[tuple[str, int]]:
        raw = os.pread(fd, SLOTS * SLOT.size, len(MAGIC))
        return [(name.rstrip(b"\0").decode(), count) for name, count in SLOT.iter_unpack(raw)]

    def add(self, name: str, amount: int = 1) -> None:
        """Add ``amount`` to the count called ``name`` (at most 40 bytes of ASCII)."""
        if amount <= 0:
            return
        if self.persistent:
            try:
                fd = os.open(self.path, os.O_RDWR)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    slots = self._slots(fd)
                    index = next((i for i, (n, _) in enumerate(slots) if n in (name, "")), None)
                    if index is not None:
                        count = slots[index][1] + amount
                        os.pwrite(fd, SLOT.pack(name.encode(), count), len(MAGIC) + index * SLOT.size)
                        return
                finally:
                    os.close(fd)
            except OSError as error:
                log.error("cannot update record counts in %s: %s", self.path, error)
        with self._lock:
            self._memory[name] += amount

    def snapshot(self) -> dict[str, int]:
        """Every count, from the shared file and this process's fallback memory."""
        counts: Counter[str] = Counter()
        if self.persistent:
            try:
                fd = os.open(self.path, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH)
                    counts.update({name: count for name, count in self._slots(fd) if name})
                finally:
                    os.close(fd)
            except OSError as error:
                log.error("cannot read record counts in %s: %s", self.path, error)
        with self._lock:
            counts.update(self._memory)
        return dict(counts)

    def __getitem__(self, name: str) -> int:
        return self.snapshot().get(name, 0)
