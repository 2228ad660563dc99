"""Disclosure control: small-cell suppression, and optional differential privacy.

Suppression: every count from 1 to k−1 is withheld (published as null), and where a row or
column total is published, a lone withheld cell would be revealed by subtraction, so the
next-smallest cell of that row or column is withheld too (complementary suppression),
repeated until no row or column has exactly one withheld cell.

Differential privacy (``epsilon``): Laplace noise is added to every count before suppression.
``epsilon`` is the budget for the whole export, split evenly over its tables (sequential
composition); each table's noise scale is its sensitivity (how much one record can change it:
1 for a histogram, the number of actors where ties put one record in several cells, 100 per
actor for score sums) divided by its share. Smaller epsilon = more noise = more privacy.
"""

from __future__ import annotations

import numpy as np

from quiz.export.aggregate import Aggregates

# The budgets an export accepts. Below, the noise drowns every count (and epsilon split over the
# tables can underflow to 0); above, the noise is negligible, and "infinity" would claim noise that
# is not there.
EPSILON_RANGE = (0.001, 1000.0)

def check_epsilon(epsilon: float) -> None:
    """Raise ValueError, saying what is allowed, for an ``epsilon`` outside ``EPSILON_RANGE``."""
    if not EPSILON_RANGE[0] <= epsilon <= EPSILON_RANGE[1]:
        raise ValueError(f"'epsilon' must be a number from {EPSILON_RANGE[0]:g} to {EPSILON_RANGE[1]:g}")


def protect(agg: Aggregates, k: int = 10, epsilon: float | None = None, seed: int | None = None) -> dict:
    """The publishable tables of ``agg`` as a JSON-ready dict, with what was done to them.

    Raises ValueError for an ``epsilon`` outside ``EPSILON_RANGE``.
    """
    if epsilon is not None:
        check_epsilon(epsilon)
    n_statements, n_actors = len(agg.statements), len(agg.actors)
    noise = _Noise(epsilon, tables=3 * n_statements + 6, seed=seed)
    records = noise.counts(np.array([agg.records]), 1)[0]
    answers = noise.counts(agg.answers, 1)
    important = noise.counts(np.stack([agg.important, agg.records - agg.important], axis=1), 1)
    top = noise.counts(agg.top, n_actors)
    crosstab = noise.counts(agg.crosstab, n_actors)
    days = sorted(agg.days.items())
    partners = sorted(agg.partners.items())
    day_counts = noise.counts(np.array([c for _, c in days], dtype=np.int64), 1)
    partner_counts = noise.counts(np.array([c for _, c in partners], dtype=np.int64), 1)
    score_n = noise.counts(agg.score_n, n_actors)
    score_sum = noise.values(agg.score_sum, 100.0 * n_actors)

    suppressor = _Suppressor(k)
    too_few = records < k
    tables = {
        "answers": suppressor.rows(answers, all_hidden=too_few),
        "important": suppressor.rows(important, all_hidden=too_few),
        "top": suppressor.rows(top[None, :], all_hidden=too_few)[0],
        "crosstab": np.stack([suppressor.grid(t, all_hidden=too_few) for t in crosstab]) if n_statements else crosstab,
        "days": suppressor.rows(day_counts[None, :], all_hidden=too_few)[0],
        "partners": suppressor.rows(partner_counts[None, :], all_hidden=too_few)[0],
    }
    means = [None if too_few or n < k else round(float(total / n), 2) for total, n in zip(score_sum, score_n)]
    return {
        "version": agg.version,
        "filters": agg.filters,
        "records": None if too_few else int(records),
        "k": k,
        "epsilon": epsilon,
        "suppressed_cells": suppressor.hidden,
        "notes": _notes(k, epsilon, too_few),
        "statements": [
            {"id": sid,
             "answers": dict(zip(agg.categories, _plain(tables["answers"][i]))),
             "important": _plain(tables["important"][i])[0],
             "not_important": _plain(tables["important"][i])[1],
             "by_top_match": {category: dict(zip(agg.actors, _plain(tables["crosstab"][i][c])))
                              for c, category in enumerate(agg.categories)}}
            for i, sid in enumerate(agg.statements)
        ],
        "actors": [
            {"id": aid, "top_match": _plain(tables["top"])[j], "mean_score": means[j]}
            for j, aid in enumerate(agg.actors)
        ],
        "per_day": [{"day": d, "count": c} for (d, _), c in zip(days, _plain(tables["days"]))],
        "per_partner": [{"partner": p or None, "count": c} for (p, _), c in zip(partners, _plain(tables["partners"]))],
    }


def _plain(values) -> list:
    return [None if v is None else int(v) for v in values]


def _notes(k: int, epsilon: float | None, too_few: bool) -> list[str]:
    notes = [
        "Self-selected: only voters who chose to share their answers are counted; "
        "the figures describe them, not the electorate.",
        f"Counts from 1 to {k - 1} are suppressed (null), and where a total would reveal a suppressed "
        "count, the next-smallest count is suppressed too.",
        "A voter whose top matches tie is counted for each tied actor in top_match and by_top_match.",
    ]
    if epsilon is not None:
        notes.append(f"Differential privacy: Laplace noise with a total budget of epsilon = {epsilon} "
                     "was added to every count and sum; totals may not add up exactly.")
    if too_few:
        notes.append(f"Fewer than {k} records match: everything is suppressed.")
    return notes


class _Noise:
    def __init__(self, epsilon: float | None, tables: int, seed: int | None):
        self.share = None if epsilon is None else epsilon / tables
        self.rng = np.random.default_rng(seed)

    def values(self, array: np.ndarray, sensitivity: float) -> np.ndarray:
        if self.share is None:
            return np.asarray(array, dtype=float)
        return array + self.rng.laplace(0.0, sensitivity / self.share, size=np.shape(array))

    def counts(self, array: np.ndarray, sensitivity: float) -> np.ndarray:
        if self.share is None:
            return np.asarray(array, dtype=np.int64)
        return np.clip(np.rint(self.values(array, sensitivity)), 0, None).astype(np.int64)


class _Suppressor:
    """Withholds small counts, and the complementary cells that would reveal them."""

    def __init__(self, k: int):
        self.k = k
        self.hidden = 0

    def rows(self, table: np.ndarray, all_hidden: bool = False) -> list[list[int | None]]:
        hidden = self._primary(table, all_hidden)
        changed = True
        while changed:
            changed = any(self._complement(table[i], hidden[i]) for i in range(table.shape[0]))
        return self._apply(table, hidden)

    def grid(self, table: np.ndarray, all_hidden: bool = False) -> list[list[int | None]]:
        hidden = self._primary(table, all_hidden)
        changed = True
        while changed:
            changed = any(self._complement(table[i], hidden[i]) for i in range(table.shape[0]))
            changed |= any(self._complement(table[:, j], hidden[:, j]) for j in range(table.shape[1]))
        return self._apply(table, hidden)

    def _primary(self, table: np.ndarray, all_hidden: bool) -> np.ndarray:
        if all_hidden:
            return np.ones(table.shape, dtype=bool)
        return (table > 0) & (table < self.k)

    @staticmethod
    def _complement(values: np.ndarray, hidden: np.ndarray) -> bool:
        """Hide one more cell of a line with exactly one hidden cell; True if it did."""
        if hidden.sum() != 1:
            return False
        candidates = np.where(~hidden & (values > 0))[0]
        if len(candidates) == 0:
            return False
        hidden[candidates[np.argmin(values[candidates])]] = True
        return True

    def _apply(self, table: np.ndarray, hidden: np.ndarray) -> list:
        self.hidden += int(hidden.sum())
        return np.where(hidden, None, table).tolist()
