"""Storing a consenting voter's record, or saying exactly why it was not counted.

The voter comes first: whatever happens here, the caller still shows the result. Each
outcome is logged and counted (per process), never silently dropped.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from quiz.ballot import Ballot
from quiz.model import Content
from quiz.ratelimit import StoreRateLimit
from quiz.results import rank_actors
from quiz.storage import ResponseRecord, ResponseStore, StorageError, encode_answers
from quiz.storage.spool import Spool, SpoolError
from quiz.tokens import FormTokens

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    """What the request tells us, already reduced to what the checks need."""

    token: str | None
    same_origin: bool
    client_address: str | None
    partner: str | None


class Recorder:
    """Checks a submission against ballot stuffing, then stores it (or spools it)."""

    def __init__(self, store: ResponseStore, spool: Spool, tokens: FormTokens, rate_limit: StoreRateLimit):
        self.store = store
        self.spool = spool
        self.tokens = tokens
        self.rate_limit = rate_limit
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _count(self, outcome: str) -> str:
        with self._lock:
            self.counts[outcome] += 1
        return outcome

    def record(self, content: Content, ballot: Ballot, submission: Submission) -> str:
        """Try to count one consenting voter; returns the outcome ("stored", "spooled", or why not)."""
        if not submission.same_origin:
            return self._reject("cross-site")
        check = self.tokens.check(submission.token)
        if not check.ok:
            return self._reject(check.reason)
        if not self.rate_limit.allow(submission.client_address):
            return self._reject("rate-limited")
        record = make_record(content, ballot, submission.partner, check.record_id)
        try:
            if not self.store.add([record]):
                return self._reject("replay")
        except StorageError as error:
            return self._spool(record, error)
        self._deliver_backlog()
        return self._count("stored")

    def _reject(self, reason: str) -> str:
        log.info("record not counted: %s", reason)
        return self._count(f"rejected-{reason}")

    def _spool(self, record: ResponseRecord, error: StorageError) -> str:
        # A replay spooled now collapses into one record on delivery: token_id is unique.
        log.warning("database unavailable, spooling the record: %s", error)
        try:
            self.spool.append(record)
        except SpoolError as spool_error:
            log.error("RECORD LOST: database and spool both failed: %s; %s", error, spool_error)
            return self._count("lost")
        return self._count("spooled")

    def _deliver_backlog(self) -> None:
        if not self.spool.has_backlog():
            return
        try:
            delivered = self.spool.deliver(self.store)
            with self._lock:
                self.counts["delivered"] += delivered
        except (StorageError, SpoolError) as error:
            log.warning("spool delivery postponed: %s", error)


def make_record(content: Content, ballot: Ballot, partner: str | None, record_id: str) -> ResponseRecord:
    """The anonymous record: version, answers, weights, top match(es), partner, day, the keyed
    record id (``FormTokens.record_id``) and a random record key for the export. Nothing else."""
    ids = [s.id for s in content.statements]
    answers, weights = encode_answers([ballot.answers.get(i) for i in ids], [ballot.weights.get(i, 1) for i in ids])
    ranked = rank_actors(content, ballot)
    best = ranked[0][1] if ranked else None
    top = tuple(actor.id for actor, score, _ in ranked if best is not None and score == best)
    return ResponseRecord(content.version, datetime.now(UTC).date(), partner, answers, weights, top, record_id)
