"""How close a voter is to each actor: pure NumPy, no Flask, vectorised over voters and actors.

The default rule, in percent, over the statements the voter answered and the actor took a
position on (u = voter's answer, p = actor's position, both on -2..2; w = 1 or 2)::

    score = 100 · Σ w · (1 − |u − p| / 4) / Σ w

With answers restricted to -2, 0 and 2 this is exactly the Wahl-O-Mat rule (2 points for the
same answer, 1 when one side is neutral, 0 for opposite answers, important statements
counted twice) and NRK's proximity rule. An actor with nothing to compare gets no score (NaN),
never 0 or 50: ``compared`` says how many statements a score rests on.

Internally the score is one matrix product, so that BLAS does the work for millions of voters:
a one-hot answer matrix (the weight as the "one", built by one table lookup from compact
answer codes) times a table holding, per actor, the agreement of every possible answer and,
beside it, whether the actor has a position at all (the denominator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCALE = np.array([-2, -1, 0, 1, 2])
MAX_DISTANCE = 4.0
DEFAULT_CHUNK = 2_048  # voters per block: the one-hot block (S·5 floats each) stays in cache


@dataclass(frozen=True)
class AgreementTables:
    """Per-actor lookup tables for one quiz: rows are (statement, answer value) pairs."""

    combined: np.ndarray  # (S·5, 2A) float32: agreement | has_position, side by side
    positioned: np.ndarray  # (S, A) float32: 1 where the actor has a position

    @property
    def agreement(self) -> np.ndarray:
        """(S·5, A): 1 − |value − p| / 4, 0 where the actor has no position."""
        return self.combined[:, : self.positioned.shape[1]]

    @property
    def has_position(self) -> np.ndarray:
        """(S·5, A): 1 where the actor has a position."""
        return self.combined[:, self.positioned.shape[1]:]


def agreement_tables(positions: np.ndarray) -> AgreementTables:
    """Build the lookup tables from an actor × statement matrix (NaN = no position).

    float32 is exact here: every entry and every sum is a multiple of 1/4 far below 2**20.
    """
    known = ~np.isnan(positions)  # (A, S)
    distance = np.abs(SCALE[None, None, :] - np.nan_to_num(positions)[:, :, None])  # (A, S, 5)
    agreement = np.where(known[:, :, None], 1.0 - distance / MAX_DISTANCE, 0.0)
    n_actors = positions.shape[0]
    has = np.repeat(known[:, :, None], len(SCALE), axis=2)
    combined = np.hstack([agreement.reshape(n_actors, -1).T, has.reshape(n_actors, -1).T])
    return AgreementTables(np.ascontiguousarray(combined, dtype=np.float32), known.T.astype(np.float32))


# Answer codes: value + 2 for weight 1, value + 7 for weight 2, SKIPPED_CODE for a skip. One
# lookup in ONE_HOT turns a code into its five one-hot columns carrying the weight.
SKIPPED_CODE = 10
ONE_HOT = np.vstack([np.eye(5), 2 * np.eye(5), np.zeros((1, 5))]).astype(np.float32)


def answer_codes(answers: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(V, S) answers (NaN = skipped) and weights (1 or 2) → (V, S) uint8 codes."""
    answers = np.atleast_2d(np.asarray(answers, dtype=float))
    codes = answers + 2.0
    if weights is not None:
        codes += 5.0 * (np.asarray(weights) == 2)
    np.copyto(codes, SKIPPED_CODE, where=np.isnan(answers))
    return codes.astype(np.uint8)


def one_hot_answers(answers: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(V, S) answers (NaN = skipped) → (V, S·5) float32 matrix holding each answer's weight."""
    codes = answer_codes(answers, weights)
    return ONE_HOT[codes].reshape(codes.shape[0], -1)


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
    weights = None if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), answers.shape)
    tables = agreement_tables(np.asarray(positions, dtype=float))
    if answers.shape[0] <= chunk:
        return match_codes(answer_codes(answers, weights), tables, chunk)
    scores = np.empty((answers.shape[0], tables.positioned.shape[1]))
    compared = np.empty(scores.shape, dtype=np.int64)
    block = 32 * chunk  # convert answers to codes block by block, while they are in the cache
    for start in range(0, answers.shape[0], block):
        part = slice(start, start + block)
        codes = answer_codes(answers[part], None if weights is None else weights[part])
        scores[part], compared[part] = match_codes(codes, tables, chunk)
    return scores, compared


def match_codes(codes: np.ndarray, tables: AgreementTables, chunk: int = DEFAULT_CHUNK,
                with_compared: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`match_scores` on answer codes and prepared tables: the fast path for millions of voters.

    Chunks are small enough for the one-hot block to stay in the CPU cache, and its buffer is
    reused, so the work is one table lookup and one matrix product per chunk.
    """
    n_voters, n_statements = codes.shape
    n_actors = tables.positioned.shape[1]
    scores = np.empty((n_voters, n_actors))
    compared = np.empty((n_voters, n_actors), dtype=np.int64) if with_compared else None
    onehot = np.empty((min(chunk, n_voters), n_statements, len(SCALE)), dtype=np.float32)
    totals = np.empty((min(chunk, n_voters), 2 * n_actors), dtype=np.float32)
    for start in range(0, n_voters, chunk):
        part = codes[start:start + chunk]
        size = part.shape[0]
        np.take(ONE_HOT, part, axis=0, out=onehot[:size])
        np.matmul(onehot[:size].reshape(size, -1), tables.combined, out=totals[:size])
        numerator, denominator = totals[:size, :n_actors], totals[:size, n_actors:]
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[start:start + size] = np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)
        if with_compared:
            answered = (part != SKIPPED_CODE).astype(np.float32)
            compared[start:start + size] = np.rint(answered @ tables.positioned)
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
