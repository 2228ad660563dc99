"""Counting stored records, streamed in chunks and vectorised with NumPy.

One pass over the records of one quiz version gives every table the export publishes:
answer distributions and weight choices per statement, top-match counts and mean scores per
actor, completions per day and per partner, and the answer × top-match cross-tab.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from quiz.matching import ScoringTables, match_scores
from quiz.model import DEFAULT_SCALE, SCALES, Content
from quiz.storage.base import RecordBatch, ResponseStore

# Answer categories in table order: the scale, then "skipped" (CATEGORIES: the five-point scale's).
SKIP = "skip"
CATEGORIES = ("-2", "-1", "0", "1", "2", SKIP)


def categories(scale: tuple[int, ...]) -> tuple[str, ...]:
    """The answer categories of a quiz on ``scale`` (its answers, low to high), then "skip"."""
    return (*map(str, scale), SKIP)


@dataclass
class Aggregates:
    """Raw counts (before any disclosure control) for one quiz version."""

    version: str
    statements: list[str]
    actors: list[str]
    records: int = 0
    answers: np.ndarray = None  # (S, 6) counts per category
    important: np.ndarray = None  # (S,) how many marked the statement important
    top: np.ndarray = None  # (A,) how often each actor was (one of) the top match(es)
    score_sum: np.ndarray = None  # (A,) sum of scores where a score exists
    score_n: np.ndarray = None  # (A,) how many records had a score for the actor
    crosstab: np.ndarray = None  # (S, 6, A) answer category × top match
    days: Counter = field(default_factory=Counter)
    partners: Counter = field(default_factory=Counter)
    filters: dict = field(default_factory=dict)
    categories: tuple[str, ...] = CATEGORIES  # the quiz's answers, then "skip": the columns of answers

    def __post_init__(self) -> None:
        n_statements, n_actors = len(self.statements), len(self.actors)
        self.answers = np.zeros((n_statements, len(self.categories)), dtype=np.int64)
        self.important = np.zeros(n_statements, dtype=np.int64)
        self.top = np.zeros(n_actors, dtype=np.int64)
        self.score_sum = np.zeros(n_actors)
        self.score_n = np.zeros(n_actors, dtype=np.int64)
        self.crosstab = np.zeros((n_statements, len(self.categories), n_actors), dtype=np.int64)

    @property
    def column_of_answer(self) -> np.ndarray:
        """Answer + 2 (the stored -2..2) → its column in ``answers``; the last entry is "skip"."""
        columns = np.zeros(len(SCALES[DEFAULT_SCALE]) + 1, dtype=np.int64)
        for column, answer in enumerate(self.categories[:-1]):
            columns[int(answer) + 2] = column
        columns[-1] = len(self.categories) - 1
        return columns


def aggregate(store: ResponseStore, content: Content, *, partner: str | None = None,
              first_day: date | None = None, last_day: date | None = None, chunk: int = 50_000) -> Aggregates:
    """Count the records of ``content.version`` (optionally one partner and a date range)."""
    result = Aggregates(content.version, [s.id for s in content.statements], [a.id for a in content.actors],
                        filters={"partner": partner, "from": first_day and first_day.isoformat(),
                                 "to": last_day and last_day.isoformat()}, categories=categories(content.scale))
    actor_index = {a: i for i, a in enumerate(result.actors)}
    for batch in store.batches(content.version, len(content.statements), partner=partner,
                               first_day=first_day, last_day=last_day, chunk=chunk):
        _add_batch(result, batch, content.tables, actor_index)  # the tables, built once per content
    return result


def _add_batch(result: Aggregates, batch: RecordBatch, tables: ScoringTables, actor_index: dict[str, int]) -> None:
    n, n_statements = batch.answers.shape
    result.records += n
    stored = np.where(np.isnan(batch.answers), 5, batch.answers + 2).astype(np.int64)  # (n, S) in 0..5
    width = len(result.categories)
    flat = (np.arange(n_statements)[None, :] * width + result.column_of_answer[stored]).ravel()
    result.answers += np.bincount(flat, minlength=result.answers.size).reshape(result.answers.shape)
    result.important += (batch.weights == 2).sum(axis=0)

    top = _top_indicator(batch.top, actor_index)  # (n, A) booleans
    result.top += top.sum(axis=0)
    per_record = flat.reshape(n, n_statements)
    for a in range(top.shape[1]):
        counts = np.bincount(per_record[top[:, a]].ravel(), minlength=n_statements * width)
        result.crosstab[:, :, a] += counts.reshape(n_statements, width)

    scores, _ = match_scores(batch.answers, batch.weights, tables)
    has_score = ~np.isnan(scores)
    result.score_sum += np.where(has_score, scores, 0.0).sum(axis=0)
    result.score_n += has_score.sum(axis=0)

    result.days.update(batch.days)
    result.partners.update(p or "" for p in batch.partners)


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
