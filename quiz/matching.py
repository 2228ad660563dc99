"""How close a voter is to each actor: pure NumPy, no Flask, vectorised over voters and actors.

The default rule, in percent, over the statements the voter answered and the actor took a
position on (u = voter's answer, p = actor's position, both on -2..2; w = 1 or 2)::

    score = 100 · Σ w · (1 − |u − p| / 4) / Σ w

With answers restricted to -2, 0 and 2 this is exactly the Wahl-O-Mat rule (2 points for the
same answer, 1 when one side is neutral, 0 for opposite answers, important statements
counted twice) and NRK's proximity rule. An actor with nothing to compare gets no score (NaN),
never 0 or 50: ``compared`` says how many statements a score rests on.

Internally the score is two matrix products, so that BLAS does the work for millions of
voters: a one-hot answer matrix (weights as the "one") times a per-actor agreement table, and
the same matrix times a table saying where the actor has a position (the denominator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCALE = np.array([-2, -1, 0, 1, 2])
MAX_DISTANCE = 4.0
DEFAULT_CHUNK = 65_536


@dataclass(frozen=True)
class AgreementTables:
    """Per-actor lookup tables for one quiz: rows are (statement, answer value) pairs."""

    agreement: np.ndarray  # (S·5, A): 1 − |value − p| / 4, 0 where the actor has no position
    has_position: np.ndarray  # (S·5, A): 1 where the actor has a position
    positioned: np.ndarray  # (S, A): 1 where the actor has a position


def agreement_tables(positions: np.ndarray) -> AgreementTables:
    """Build the lookup tables from an actor × statement matrix (NaN = no position)."""
    known = ~np.isnan(positions)  # (A, S)
    distance = np.abs(SCALE[None, None, :] - np.nan_to_num(positions)[:, :, None])  # (A, S, 5)
    agreement = np.where(known[:, :, None], 1.0 - distance / MAX_DISTANCE, 0.0)
    n_actors, n_statements = positions.shape
    has = np.repeat(known[:, :, None], len(SCALE), axis=2).astype(float)
    return AgreementTables(
        agreement=agreement.reshape(n_actors, -1).T.copy(),
        has_position=has.reshape(n_actors, -1).T.copy(),
        positioned=known.T.astype(float),
    )


def one_hot_answers(answers: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(V, S) answers (NaN = skipped) → (V, S·5) matrix holding each answer's weight."""
    answers = np.atleast_2d(answers)
    n_voters, n_statements = answers.shape
    if weights is None:
        weights = np.ones_like(answers, dtype=float)
    answered = ~np.isnan(answers)
    rows, cols = np.nonzero(answered)
    values = answers[rows, cols].astype(int) + 2
    matrix = np.zeros((n_voters, n_statements * len(SCALE)))
    matrix[rows, cols * len(SCALE) + values] = np.atleast_2d(weights)[rows, cols]
    return matrix


def match_scores(
    answers: np.ndarray,
    weights: np.ndarray | None,
    positions: np.ndarray,
    chunk: int = DEFAULT_CHUNK,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (V, A) in percent, NaN where nothing was compared, and ``compared`` counts (V, A).

    ``answers`` is (V, S) or (S,) with values in -2..2 and NaN for skipped statements,
    ``weights`` the same shape with 1 or 2 (None: all 1), ``positions`` (A, S) with NaN where
    the actor has no position. Voters are processed in chunks to bound memory.
    """
    answers = np.atleast_2d(np.asarray(answers, dtype=float))
    if weights is not None:
        weights = np.broadcast_to(np.asarray(weights, dtype=float), answers.shape)
    tables = agreement_tables(np.asarray(positions, dtype=float))
    scores = np.empty((answers.shape[0], positions.shape[0]))
    compared = np.empty((answers.shape[0], positions.shape[0]), dtype=np.int64)
    for start in range(0, answers.shape[0], chunk):
        part = slice(start, start + chunk)
        scores[part], compared[part] = _score_chunk(
            answers[part], None if weights is None else weights[part], tables
        )
    return scores, compared


def _score_chunk(answers, weights, tables: AgreementTables) -> tuple[np.ndarray, np.ndarray]:
    onehot = one_hot_answers(answers, weights)
    numerator = onehot @ tables.agreement
    denominator = onehot @ tables.has_position
    compared = np.rint((~np.isnan(answers)).astype(float) @ tables.positioned).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)
    return scores, compared


def statement_agreement(answers: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Per-statement agreement (A, S) in 0..1 for one voter; NaN where either side is missing."""
    return 1.0 - np.abs(np.asarray(answers, dtype=float)[None, :] - positions) / MAX_DISTANCE


def ranking(scores: np.ndarray, names: list[str]) -> list[int]:
    """Actor indices by score descending, ties broken by name, actors without a score last."""
    def key(i: int) -> tuple:
        missing = bool(np.isnan(scores[i]))
        # Rounded so that float noise from the matrix products cannot split a true tie.
        return (missing, 0.0 if missing else -round(float(scores[i]), 9), names[i].casefold(), names[i])

    return sorted(range(len(names)), key=key)


def top_matches(scores: np.ndarray, names: list[str]) -> np.ndarray:
    """Index of each voter's top actor (ties broken by name, as on the result page); -1 if none."""
    by_name = np.argsort([n.casefold() for n in names], kind="stable")
    ordered = np.round(np.nan_to_num(scores[:, by_name], nan=-np.inf), 9)
    best = by_name[np.argmax(ordered, axis=1)]
    return np.where(np.isfinite(ordered.max(axis=1)), best, -1)


def euclidean_scores(answers: np.ndarray, weights: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Scores under the Euclidean rule: 100 · (1 − sqrt(Σ w (u − p)² / Σ w) / 4)."""
    scores = np.empty((answers.shape[0], positions.shape[0]))
    for a, row in enumerate(positions):
        mask = ~np.isnan(answers) & ~np.isnan(row)[None, :]
        w = np.where(mask, weights, 0.0)
        squared = np.where(mask, (answers - np.nan_to_num(row)[None, :]) ** 2, 0.0)
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[:, a] = np.where(total > 0, 100 * (1 - np.sqrt((w * squared).sum(axis=1) / total) / MAX_DISTANCE),
                                    np.nan)
    return scores
