"""Delivering the spool in the background: never in a voter's request.

Each worker process has one daemon thread, started when gunicorn has made the worker
(``deploy/gunicorn.conf.py``) and otherwise the first time the worker records or answers
``/healthz`` (a thread does not survive gunicorn's fork, so it is started in the worker, not in
the master). It wakes when a record was stored (the database is back) and every ``interval``
seconds, and delivers the spool in bounded batches; the spool's own lock lets one worker deliver
at a time. ``quiz db deliver`` does the same from the command line. Each time it wakes it also
runs ``housekeeping`` (deleting expired rate-limit keys), so that what the privacy page promises
to delete after an hour is deleted then, not at the next record.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from quiz.storage.base import ResponseStore, StorageError
from quiz.storage.spool import Delivery, Spool, SpoolError

log = logging.getLogger(__name__)

BATCHES_PER_ROUND = 10  # then the thread yields the database to voters for a moment
PAUSE_BETWEEN_ROUNDS = 0.05


class BackgroundDelivery:
    """One delivery thread per process, woken by ``wake()``; ``on_delivery`` receives what each round did."""

    def __init__(self, spool: Spool, store: ResponseStore, on_delivery: Callable[[Delivery], None],
                 interval: float = 30.0, housekeeping: Callable[[], None] = lambda: None):
        self.housekeeping = housekeeping
        self.spool = spool
        self.store = store
        self.on_delivery = on_delivery
        self.interval = interval
        self._wanted = threading.Event()
        self._started_in: int | None = None
        self._start_lock = threading.Lock()

    def wake(self) -> None:
        """Ask for a delivery soon (returns at once); starts this process's thread if needed."""
        self.start()
        if self.spool.has_backlog():
            self._wanted.set()

    def start(self) -> None:
        """Start this process's thread if it has none: it then tries every ``interval`` seconds."""
        with self._start_lock:
            if self._started_in == os.getpid():
                return
            self._started_in = os.getpid()
            self._wanted = threading.Event()  # an Event inherited through fork may hold a dead lock
            threading.Thread(target=self._run, name="spool-delivery", daemon=True).start()

    def _run(self) -> None:
        wanted = self._wanted
        while True:
            wanted.wait(self.interval)
            wanted.clear()
            for work in (self.housekeeping, self.deliver_backlog):  # one's surprise never skips the other
                try:
                    work()
                except Exception:  # the thread must outlive any surprise, or the spool would wait forever
                    log.exception("%s failed (tried again in %s s)", work.__name__, self.interval)

    def deliver_backlog(self) -> None:
        """Deliver in rounds while there is a backlog and each round gets on, pausing between them."""
        while self.spool.has_backlog() and self.deliver_round():
            self._wanted.wait(PAUSE_BETWEEN_ROUNDS)

    def deliver_round(self) -> bool:
        """Deliver up to BATCHES_PER_ROUND batches; whether to go on at once (more waits, no failure)."""
        try:
            done = self.spool.deliver(self.store, max_batches=BATCHES_PER_ROUND)
        except (StorageError, SpoolError) as error:
            log.warning("spool delivery postponed: %s", error)
            return False
        finally:
            self.store.close()  # this thread's connection: nothing held open between rounds
        self.on_delivery(done)
        return not done.busy and (done.delivered > 0 or done.lost > 0)
