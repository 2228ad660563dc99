"""Storing a consenting voter's record, or saying exactly why it was not counted.

The voter comes first: whatever happens here, the caller still shows the result, and it never
waits for the spool's backlog (a background thread delivers it). Each outcome is logged and
counted in counts shared by the machine's workers, never silently dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from quiz.ballot import Ballot
from quiz.model import Content
from quiz.ratelimit import RateLimitUnavailable, StoreRateLimit
from quiz.results import rank_actors
from quiz.storage import ResponseRecord, ResponseStore, StorageError, encode_answers
from quiz.storage.counters import SharedCounters
from quiz.storage.delivery import BackgroundDelivery
from quiz.storage.spool import Delivery, Spool, SpoolError
from quiz.tokens import FormTokens

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    """What the request tells us, already reduced to what the checks need."""

    token: str | None
    same_origin: bool
    client_address: str | None
    partner: str | None
    quiz: str | None = None  # the quiz's slug when the deployment serves several


class Recorder:
    """Checks a submission against ballot stuffing, then stores it (or spools it)."""

    def __init__(self, store: ResponseStore, spool: Spool, tokens: FormTokens, rate_limit: StoreRateLimit,
                 counts: SharedCounters, delivery_interval: float = 30.0):
        self.store = store
        self.spool = spool
        self.tokens = tokens
        self.rate_limit = rate_limit
        self.counts = counts
        self.delivery = BackgroundDelivery(spool, store, self.count_delivery, delivery_interval,
                                           housekeeping=rate_limit.purge_expired)

    def _count(self, outcome: str) -> str:
        self.counts.add(outcome)
        return outcome

    def count_delivery(self, done: Delivery) -> None:
        """Count what a spool delivery did: records delivered, and records lost to corrupt bytes."""
        self.counts.add("delivered", done.delivered)
        self.counts.add("lost", done.lost)

    def record(self, content: Content, ballot: Ballot, submission: Submission) -> str:
        """Try to count one consenting voter; returns the outcome ("stored", "spooled", or why not)."""
        if not submission.same_origin:
            return self._reject("cross-site")
        check = self.tokens.check(submission.token)
        if not check.ok:
            return self._reject(check.reason)
        try:
            allowed = self.rate_limit.allow(submission.client_address)
        except RateLimitUnavailable as error:
            # The limit's file fails when its disk does (full, read-only), and so do the database and
            # the spool: the record goes on, so that it is stored, spooled or counted lost, not refused.
            log.error("rate limit unavailable, record not limited: %s", error)
            self.counts.add("unlimited")
            allowed = True
        if not allowed:
            return self._reject("rate-limited")
        record = make_record(content, ballot, submission.partner, check.record_id, submission.quiz)
        try:
            stored = self.store.add([record])
        except StorageError as error:
            outcome = self._spool(record, error)
        else:
            outcome = self._count("stored") if stored else self._reject("replay")
        self.delivery.wake()  # this worker's delivery thread, never this request, delivers any backlog
        return outcome

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


def make_record(content: Content, ballot: Ballot, partner: str | None, record_id: str,
                quiz: str | None = None) -> ResponseRecord:
    """The anonymous record: version, answers, weights, top match(es), partner, day, the keyed
    record id (``FormTokens.record_id``) and a random record key for the export. Nothing else."""
    ids = [s.id for s in content.statements]
    answers, weights = encode_answers([ballot.answers.get(i) for i in ids], [ballot.weights.get(i, 1) for i in ids])
    ranked = rank_actors(content, ballot)
    best = ranked[0][1] if ranked else None
    top = tuple(actor.id for actor, score, _ in ranked if best is not None and score == best)
    return ResponseRecord(content.version, datetime.now(UTC).date(), partner, answers, weights, top, record_id,
                          quiz=quiz)
