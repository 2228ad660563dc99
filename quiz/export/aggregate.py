"""Counting stored records into blocks, streamed in chunks and vectorised with NumPy.

A block is one partner group (a partner id, or none) × one whole week (Monday to Sunday,
UTC), or one day where the quiz says ``export_block_days = 1`` (a newsroom that wants election
night's figures the next morning). Blocks never overlap, and every export is a sum of whole
blocks, each protected on its own (quiz/export/disclosure.py), so no combination of exports
shows anything smaller than a block. Only blocks that are over are counted: a block never
changes once it is published. The block length is part of the content, so of its version, and
exports never mix versions: the same records are never cut into blocks two ways (two ways
would be two overlapping partitions, and their difference could isolate a voter).

One pass gives every block's tables: answer distributions and weight choices per statement,
top-match counts and score distributions per actor, the answer × top-match cross-tab, and
completions per day (each day of each partner group a cell of its own). Each block (and each
day) also gets its key: the sum of its records' random keys modulo 2**32.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from quiz.matching import ScoringTables, match_scores
from quiz.model import DEFAULT_SCALE, SCALES, Content
from quiz.storage.base import RECORD_KEY_BITS, RecordBatch, ResponseStore

# Answer categories in table order: the scale, then "skipped" (CATEGORIES: the five-point scale's).
SKIP = "skip"
CATEGORIES = ("-2", "-1", "0", "1", "2", SKIP)
KEY_MODULUS = 1 << RECORD_KEY_BITS
# Scores (0..100) are counted in bands of this width; published means are computed from the bands.
SCORE_BAND = 5
SCORE_BANDS = 100 // SCORE_BAND


def categories(scale: tuple[int, ...]) -> tuple[str, ...]:
    """The answer categories of a quiz on ``scale`` (its answers, low to high), then "skip"."""
    return (*map(str, scale), SKIP)


def column_of_answer(categories: tuple[str, ...]) -> np.ndarray:
    """Answer + 2 (the stored -2..2, 5 for a skip) → its column among ``categories``."""
    columns = np.zeros(len(SCALES[DEFAULT_SCALE]) + 1, dtype=np.int64)
    for column, answer in enumerate(categories[:-1]):
        columns[int(answer) + 2] = column
    columns[-1] = len(categories) - 1
    return columns


def block_start(day: date, block_days: int) -> date:
    """The first day of ``day``'s block: its Monday for weeks (7), the day itself for days (1)."""
    return day - timedelta(days=day.weekday()) if block_days == 7 else day


def covered_days(first_day: date | None, last_day: date | None, today: date,
                 block_days: int = 7) -> tuple[date | None, date]:
    """The days an export with these filters counts: whole blocks, and only blocks that are over.

    ``first_day`` moves back to its block's first day, ``last_day`` forward to its block's last,
    and then back to the last day of the last block before ``today``'s if that is earlier.
    """
    last_complete = block_start(today, block_days) - timedelta(days=1)
    last = last_complete if last_day is None else min(
        block_start(last_day, block_days) + timedelta(days=block_days - 1), last_complete)
    return (None if first_day is None else block_start(first_day, block_days)), last


def _key_sum(keys: np.ndarray) -> int:
    return int(keys.astype(np.uint64).sum() % np.uint64(KEY_MODULUS))  # < 2**32 · 2**32 per batch: exact


@dataclass
class Block:
    """The raw counts of one partner group × block of days, and its key."""

    n_statements: int
    n_actors: int
    n_categories: int = len(CATEGORIES)
    key: int = 0
    records: np.ndarray = None  # (1,)
    answers: np.ndarray = None  # (S, 6) per answer category
    important: np.ndarray = None  # (S, 2) marked important, not marked
    top: np.ndarray = None  # (A,) how often each actor was (one of) the top match(es)
    scores: np.ndarray = None  # (A, SCORE_BANDS) the records' scores for each actor, in bands
    crosstab: np.ndarray = None  # (S, 6, A) answer category × top match
    days: dict[str, list[int]] = field(default_factory=dict)  # day → [count, key]

    def __post_init__(self) -> None:
        s, a, c = self.n_statements, self.n_actors, self.n_categories
        self.records = np.zeros(1, dtype=np.int64)
        self.answers = np.zeros((s, c), dtype=np.int64)
        self.important = np.zeros((s, 2), dtype=np.int64)
        self.top = np.zeros(a, dtype=np.int64)
        self.scores = np.zeros((a, SCORE_BANDS), dtype=np.int64)
        self.crosstab = np.zeros((s, c, a), dtype=np.int64)

    def tables(self) -> dict[str, np.ndarray]:
        """The block's count tables by name (the names also seed their perturbation)."""
        return {"records": self.records, "answers": self.answers, "important": self.important, "top": self.top,
                "scores": self.scores, "crosstab": self.crosstab}


@dataclass
class Aggregates:
    """Raw counts per block (before any disclosure control) for one quiz version."""

    version: str
    statements: list[str]
    actors: list[str]
    filters: dict = field(default_factory=dict)
    covers: dict = field(default_factory=dict)  # the days counted: {"from": …, "to": …, "block_days": 7 or 1}
    blocks: dict[tuple[str, str], Block] = field(default_factory=dict)  # (partner or "", first day) → Block
    categories: tuple[str, ...] = CATEGORIES  # the quiz's answers, then "skip": the columns of answers

    @property
    def records(self) -> int:
        """How many records were counted (the true number, never published as such)."""
        return sum(int(block.records[0]) for block in self.blocks.values())

    def block(self, partner: str, first_day: str) -> Block:
        found = self.blocks.get((partner, first_day))
        if found is None:
            found = self.blocks[(partner, first_day)] = Block(len(self.statements), len(self.actors),
                                                           len(self.categories))
        return found


def aggregate(store: ResponseStore, content: Content, *, partner: str | None = None,
              first_day: date | None = None, last_day: date | None = None, today: date | None = None,
              chunk: int = 50_000, quiz: str | None = None) -> Aggregates:
    """Count the records of ``content.version`` (optionally one partner and a date range) into blocks;
    with ``quiz`` (a slug, when a deployment serves several), only that quiz's records.

    ``today`` (default: the current UTC date) decides which blocks are over.
    """
    block_days = content.info.export_block_days
    first, last = covered_days(first_day, last_day, today or datetime.now(UTC).date(), block_days)
    result = Aggregates(content.version, [s.id for s in content.statements], [a.id for a in content.actors],
                        filters={"partner": partner, "from": first_day and first_day.isoformat(),
                                 "to": last_day and last_day.isoformat()},
                        covers={"from": first and first.isoformat(), "to": last.isoformat(),
                                "block_days": block_days},
                        categories=categories(content.scale))
    if first is not None and first > last:
        return result
    actor_index = {a: i for i, a in enumerate(result.actors)}
    for batch in store.batches(content.version, len(content.statements), partner=partner,
                               first_day=first, last_day=last, chunk=chunk, quiz=quiz):
        _add_batch(result, batch, content.tables, actor_index, block_days)  # the tables, built once per content
    return result


def _add_batch(result: Aggregates, batch: RecordBatch, tables: ScoringTables, actor_index: dict[str, int],
               block_days: int) -> None:
    days, day_index = np.unique(np.array(batch.days), return_inverse=True)
    partners, partner_index = np.unique(np.array([p or "" for p in batch.partners], dtype=object),
                                        return_inverse=True)
    group = partner_index * len(days) + day_index  # one group per partner group × day
    top = _top_indicator(batch.top, actor_index)  # (n, A) booleans
    columns = column_of_answer(result.categories)
    scores, _ = match_scores(batch.answers, batch.weights, tables)  # (n, A), NaN = no score
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        partner, day = str(partners[g // len(days)]), str(days[g % len(days)])
        block = result.block(partner, block_start(date.fromisoformat(day), block_days).isoformat())
        _count(block, day, columns, batch.answers[rows], batch.weights[rows], top[rows], scores[rows],
               batch.keys[rows])


def _count(block: Block, day: str, columns: np.ndarray, answers: np.ndarray, weights: np.ndarray, top: np.ndarray,
           scores: np.ndarray, keys: np.ndarray) -> None:
    """Add records (all of this block, all of this day) to the block's tables and keys."""
    n, n_statements = answers.shape
    n_actors = top.shape[1]
    bincount = lambda cells, table: np.bincount(  # noqa: E731 - flat cell indices (−1: none) → counts
        cells[cells >= 0], minlength=table.size).reshape(table.shape)
    key = _key_sum(keys)
    block.key = (block.key + key) % KEY_MODULUS
    old = block.days.setdefault(day, [0, 0])
    old[0], old[1] = old[0] + n, (old[1] + key) % KEY_MODULUS
    block.records += n
    codes = columns[np.where(np.isnan(answers), 5, answers + 2).astype(np.int64)]  # (n, S) answer columns
    per_record = np.arange(n_statements)[None, :] * block.n_categories + codes  # (n, S) flat answer cells
    block.answers += bincount(per_record, block.answers)
    block.important += bincount(np.arange(n_statements)[None, :] * 2 + (weights != 2), block.important)
    block.top += top.sum(axis=0)
    for a in range(n_actors):
        block.crosstab += bincount(np.where(top[:, a, None], per_record * n_actors + a, -1), block.crosstab)
    bands = np.minimum(np.nan_to_num(scores, nan=0.0) // SCORE_BAND, SCORE_BANDS - 1).astype(np.int64)
    block.scores += bincount(np.where(np.isnan(scores), -1, np.arange(n_actors)[None, :] * SCORE_BANDS + bands),
                             block.scores)


def _top_indicator(tops: list[tuple[str, ...]], actor_index: dict[str, int]) -> np.ndarray:
    """(n, A), True where the actor was (one of) the record's top match(es).

    Records share few distinct top-match tuples, so each distinct tuple is resolved once.
    """
    combos: dict[tuple[str, ...], int] = {}
    ids = np.fromiter((combos.setdefault(t, len(combos)) for t in tops), dtype=np.int64, count=len(tops))
    lookup = np.zeros((max(len(combos), 1), len(actor_index)), dtype=bool)
    for combo, row in combos.items():
        for actor in combo:
            if actor in actor_index:  # an actor removed since is simply not counted
                lookup[row, actor_index[actor]] = True
    return lookup[ids]
