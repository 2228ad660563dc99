"""How close a voter is to each actor: pure NumPy, no Flask, vectorised over voters and actors.

The default rule, in percent, over the statements the voter answered and the actor took a
position on (u = voter's answer, p = actor's position, both on -2..2; w = 1 or 2)::

    score = 100 · Σ w · (1 − |u − p| / 4) / Σ w

With answers restricted to -2, 0 and 2 this is exactly the Wahl-O-Mat rule (2 points for the
same answer, 1 when one side is neutral, 0 for opposite answers, important statements
counted twice) and NRK's proximity rule. An actor with nothing to compare gets no score (NaN),
never 0 or 50: ``compared`` says how many statements a score rests on.

Internally the score is matrix products, so that BLAS does the work for millions of voters.
The textbook form is a one-hot answer matrix (per statement five columns w·[u = v], v = -2..2)
times per-actor agreement tables, with a second product for the denominators. We compute the
same product in another basis of those five columns: the powers w·u^k, k = 0..4. For a fixed
position p, 4 − |u − p| on the five answers is a polynomial of degree 4 in u, so each table
holds its coefficients instead of its values. Powers come from the answers by four vectorised
multiplications, where one-hot columns need a table lookup per answer that costs more than
the product itself (``bench/matching.py`` measures both against a plain matmul). Coefficients
are kept times 24, which makes every entry and every sum a small integer: float32 is exact,
and scores equal the formula above to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SCALE = np.array([-2, -1, 0, 1, 2])
MAX_DISTANCE = 4.0
POWERS = 5  # u**0 .. u**4: a basis of the functions on the five answers
# The tables count in units that make every entry a whole number and the score one division:
# numerators in 1/2400 of an agreement (24 makes the coefficients whole, 100 makes percent),
# denominators in 1/24 of a weight.
NUMERATOR_UNITS, DENOMINATOR_UNITS = 2400, 24
DEFAULT_CHUNK = 4_096  # voters per block: a block's power features stay in the CPU cache
EXACT_FLOAT32 = 2 ** 24  # whole numbers below this are exact in float32


@dataclass(frozen=True)
class ScoringTables:
    """Per-actor tables of one quiz, built once and shared by every voter's score.

    Row k·S + s of ``numerators`` multiplies w·u**k of statement s; ``denominators`` and
    ``positioned`` multiply w and "answered" of each statement. Columns are actors.
    """

    numerators: np.ndarray  # (POWERS·S, A): coefficients of 2400 · agreement in powers of u, 0 without position
    denominators: np.ndarray  # (S, A): 24 where the actor has a position
    positioned: np.ndarray  # (S, A): 1 where the actor has a position, for the ``compared`` counts


def scoring_tables(positions: np.ndarray) -> ScoringTables:
    """Build the tables from an actor × statement matrix of positions (-2..2, NaN = no position)."""
    positions = np.asarray(positions, dtype=float)
    n_actors, n_statements = positions.shape
    known = ~np.isnan(positions)
    if not np.isin(positions[known], SCALE).all():
        raise ValueError(f"positions must be whole numbers from {SCALE[0]} to {SCALE[-1]} or NaN")
    agreement = 1 - np.abs(SCALE[None, None, :] - np.nan_to_num(positions)[:, :, None]) / MAX_DISTANCE  # (A, S, 5)
    vandermonde = np.vander(SCALE, POWERS, increasing=True).astype(float)  # rows: answers, columns: powers
    coefficients = np.linalg.solve(vandermonde, NUMERATOR_UNITS * agreement.reshape(-1, len(SCALE)).T).T
    coefficients = np.rint(coefficients).reshape(n_actors, n_statements, POWERS) * known[:, :, None]
    # The largest sum a product can reach in any order: |w · u**k| ≤ 2 · 2**k, summed over the columns.
    largest = 2.0 * 2.0 ** np.arange(POWERS)
    bound = max((np.abs(coefficients) @ largest).sum(axis=1).max(initial=0), DENOMINATOR_UNITS * 2 * n_statements)
    dtype = np.float32 if bound < EXACT_FLOAT32 else np.float64
    numerators = coefficients.transpose(2, 1, 0).reshape(POWERS * n_statements, n_actors)
    return ScoringTables(np.ascontiguousarray(numerators, dtype=dtype),
                         np.ascontiguousarray(DENOMINATOR_UNITS * known.T, dtype=dtype),
                         np.ascontiguousarray(known.T, dtype=dtype))


@dataclass(frozen=True)
class Ballots:
    """Many voters' answers, compact and statement-major, as a column store keeps them.

    ``values`` (S, V) int8 holds the answers (0 where skipped), ``weights`` (S, V) int8 holds 1 or
    2 (0 where skipped): a skip is a weight of zero, which takes the statement out of both sums.
    """

    values: np.ndarray
    weights: np.ndarray

    def __len__(self) -> int:
        return self.values.shape[1]


def encode_ballots(answers: np.ndarray, weights: np.ndarray | None = None) -> Ballots:
    """(V, S) answers (NaN = skipped) and weights (1 or 2; None = all 1) → :class:`Ballots`."""
    answers = np.atleast_2d(np.asarray(answers, dtype=float))
    skipped = np.isnan(answers)
    given = np.where(skipped, 0.0, answers)
    values = given.astype(np.int8)
    if not ((values == given) & (np.abs(given) <= SCALE[-1])).all():
        raise ValueError(f"answers must be whole numbers from {SCALE[0]} to {SCALE[-1]} or NaN")
    if weights is None:
        counted = ~skipped
    else:
        weights = np.broadcast_to(np.asarray(weights, dtype=float), answers.shape)
        if not ((weights == 1) | (weights == 2)).all():
            raise ValueError("weights must be 1 or 2")
        counted = np.where(skipped, 0.0, weights)
    return Ballots(np.ascontiguousarray(values.T), np.ascontiguousarray(counted.T, dtype=np.int8))


def match_scores(
    answers: np.ndarray,
    weights: np.ndarray | None,
    positions: np.ndarray | ScoringTables,
    chunk: int = DEFAULT_CHUNK,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (V, A) in percent, NaN where nothing was compared, and ``compared`` counts (V, A).

    ``answers`` is (V, S) or (S,) with values in -2..2 and NaN for skipped statements,
    ``weights`` the same shape with 1 or 2 (None: all 1), ``positions`` (A, S) with NaN where
    the actor has no position, or the :class:`ScoringTables` built from them.
    """
    answers = np.atleast_2d(np.asarray(answers, dtype=float))
    weights = None if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), answers.shape)
    tables = positions if isinstance(positions, ScoringTables) else scoring_tables(positions)
    scores = np.empty((answers.shape[0], tables.positioned.shape[1]))
    compared = np.empty(scores.shape, dtype=np.int64)
    block = 16 * chunk  # encode block by block, so that temporaries stay small
    for start in range(0, answers.shape[0], block):
        part = slice(start, start + block)
        ballots = encode_ballots(answers[part], None if weights is None else weights[part])
        scores[part], compared[part] = match_ballots(ballots, tables, chunk)
    return scores, compared


def match_ballots(ballots: Ballots, tables: ScoringTables, chunk: int = DEFAULT_CHUNK,
                  with_compared: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`match_scores` on :class:`Ballots`: the fast path for millions of voters.

    Per block of voters: the powers w·u**k (four multiplications), one matrix product for the
    numerators and one for the denominators, one division.
    """
    n_statements, n_voters = ballots.values.shape
    n_actors = tables.positioned.shape[1]
    dtype = tables.numerators.dtype
    size = min(chunk, n_voters)
    scores = np.empty((n_voters, n_actors))
    compared = np.empty((n_voters, n_actors), dtype=np.int64) if with_compared else None
    powers = np.empty((POWERS, n_statements, size), dtype=dtype)
    answer = np.empty((n_statements, size), dtype=dtype)
    numerator, denominator = np.empty((size, n_actors), dtype=dtype), np.empty((size, n_actors), dtype=dtype)
    for start in range(0, n_voters, chunk):
        voters = slice(start, start + chunk)
        n = min(chunk, n_voters - start)
        block, u, num, den = powers[:, :, :n], answer[:, :n], numerator[:n], denominator[:n]
        np.copyto(block[0], ballots.weights[:, voters])
        np.copyto(u, ballots.values[:, voters])
        for k in range(1, POWERS):
            np.multiply(block[k - 1], u, out=block[k])
        np.matmul(block.reshape(POWERS * n_statements, n).T, tables.numerators, out=num)
        np.matmul(block[0].T, tables.denominators, out=den)
        # Both are exact whole numbers, so one rounding, as in the formula; 0 / 0 = NaN: nothing compared.
        with np.errstate(invalid="ignore"):
            np.divide(num, den, out=scores[voters], dtype=np.float64)
        if with_compared:
            np.minimum(block[0], 1, out=u)
            compared[voters] = np.matmul(u.T, tables.positioned)
    return scores, compared


def zero_nan(values: np.ndarray) -> np.ndarray:
    """``values`` with NaN (no answer, no position) as 0: numpy's nan_to_num also checks infinities, slowly."""
    return np.where(np.isnan(values), 0.0, values)


@lru_cache(maxsize=64)
def _name_ranks(names: tuple[str, ...]) -> np.ndarray:
    """Each name's place in alphabetical order (case-insensitive, then exact): the tie-break between equal scores."""
    by_name = sorted(range(len(names)), key=lambda i: (names[i].casefold(), names[i]))
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[by_name] = np.arange(len(names))
    ranks.setflags(write=False)
    return ranks


@lru_cache(maxsize=64)
def _name_order(names: tuple[str, ...]) -> np.ndarray:
    """Actor indices in alphabetical order (as :func:`_name_ranks` ranks them)."""
    order = np.argsort(_name_ranks(names))
    order.setflags(write=False)
    return order


def ranking(scores: np.ndarray, names: list[str] | tuple[str, ...]) -> list[int]:
    """Actor indices by score descending, ties broken by name, actors without a score last."""
    missing = np.isnan(scores)
    # Rounded so that float noise from the matrix products cannot split a true tie.
    return np.lexsort((_name_ranks(tuple(names)), np.where(missing, 0.0, -np.round(scores, 9)), missing)).tolist()


def top_matches(scores: np.ndarray, names: list[str] | tuple[str, ...]) -> np.ndarray:
    """Index of each voter's top actor (ties broken by name, as on the result page); -1 if none."""
    by_name = _name_order(tuple(names))
    picked = scores[:, by_name]
    ordered = np.round(np.where(np.isnan(picked), -np.inf, picked), 9)
    best = by_name[np.argmax(ordered, axis=1)]
    return np.where(np.isfinite(ordered.max(axis=1)), best, -1)


def euclidean_scores(answers: np.ndarray, weights: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Scores under the Euclidean rule: 100 · (1 − sqrt(Σ w (u − p)² / Σ w) / 4), NaN where nothing is compared.

    Σ w (u − p)² over the statements both answered expands into three matrix products; with
    whole-number answers and positions every sum is exact in float64.
    """
    answers = np.atleast_2d(np.asarray(answers, dtype=float))
    w = np.where(np.isnan(answers), 0.0, np.broadcast_to(weights, answers.shape))
    u = zero_nan(answers)
    known = (~np.isnan(positions)).astype(float).T
    p = zero_nan(positions).T
    total = w @ known
    squared = (w * u * u) @ known - 2 * ((w * u) @ p) + w @ (p * p)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 100 * (1 - np.sqrt(squared / total) / MAX_DISTANCE), np.nan)


# One voter, one statement: the answer and weight as one code, 0 when skipped (see answer_code).
ANSWER_CODES = 1 + 2 * len(SCALE)
CODE_ANSWERS = np.array([np.nan, *np.repeat(SCALE, 2)], dtype=float)  # code → answer
CODE_WEIGHTS = np.array([0.0, *np.tile([1.0, 2.0], len(SCALE))])  # code → weight, 0 when skipped
# The terms of a term table, along its second-to-last axis: the first SUMMED add up to scores,
# the last two order the statements that explain a score.
EARNED, COUNTED, SQUARED, COMPARED, CLOSEST, FURTHEST = range(6)
SUMMED = 4
# Agreement (1 − |u − p| / 4) on a statement from which it explains a score as agreement, and
# up to which it explains one as disagreement: within one step, and two steps or more apart.
AGREE_FROM, DISAGREE_TO = 0.75, 0.5


def answer_code(answer: int | None, weight: int) -> int:
    """One statement's answer (-2..2, None = skipped) and weight (1 or 2) as one code, 0 when skipped."""
    return 0 if answer is None else 1 + 2 * (answer - int(SCALE[0])) + weight - 1


def term_table(positions: np.ndarray) -> np.ndarray:
    """Every term one voter's answer to a statement can add to each actor's sums: (S, ANSWER_CODES, 6, A).

    Entry [s, code, t, a] for the answer u and weight w of ``code`` against actor a's position p
    on statement s, where both sides answered (else 0): ``EARNED`` 25 · w · (4 − |u − p|),
    ``COUNTED`` w, ``SQUARED`` w · (u − p)², ``COMPARED`` 1. Every one is a whole number, so
    every sum is exact and every score one division that equals :func:`match_ballots` to the
    last bit.

    ``CLOSEST`` and ``FURTHEST`` are sort keys for the statements that explain a score: where
    agreement is at least ``AGREE_FROM`` (at most ``DISAGREE_TO``), the closest (furthest)
    first, then the heavier weight, then the earlier statement; a key modulo S is the
    statement's index. Infinite elsewhere.

    A voter's terms are then one lookup per statement (:func:`voter_terms`), with no arithmetic per voter.
    """
    positions = np.asarray(positions, dtype=float)
    n = positions.shape[1]
    steps = np.abs(CODE_ANSWERS[None, :, None] - positions.T[:, None, :])  # (S, codes, A), NaN where either is missing
    both = ~np.isnan(steps)
    counted = np.where(both, CODE_WEIGHTS[None, :, None], 0.0)
    tie_break = (2 - CODE_WEIGHTS)[None, :, None] * n + np.arange(n)[:, None, None]  # heavier first, then earlier
    with np.errstate(invalid="ignore"):
        earned = np.where(both, (100.0 / MAX_DISTANCE) * (MAX_DISTANCE - steps), 0.0) * counted
        squared = np.where(both, steps * steps, 0.0) * counted
        closest = np.where(steps <= MAX_DISTANCE * (1 - AGREE_FROM), steps * 2 * n + tie_break, np.inf)
        furthest = np.where(steps >= MAX_DISTANCE * (1 - DISAGREE_TO), (MAX_DISTANCE - steps) * 2 * n + tie_break,
                            np.inf)
    table = np.ascontiguousarray(np.stack([earned, counted, squared, both.astype(float), closest, furthest], axis=2))
    table.setflags(write=False)
    return table


def voter_terms(table: np.ndarray, codes: list[int]) -> np.ndarray:
    """One voter's terms, (S, 6, A): row s is what its answer to statement s adds to each actor's sums.

    Summed over statements they give the scores (:func:`group_sums`); leaving a statement out
    subtracts its row. The result page needs the rows anyway (for its explanations, radar and
    robustness); the kernel (:func:`match_ballots`) is for many voters at once.
    """
    return table[np.arange(len(codes)), codes]


def group_sums(terms: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The summed terms of one voter over each group of statements: (G, SUMMED, A).

    ``groups`` is (S, G) with 1 for a member statement (all statements, a topic); one matrix product.
    """
    n, _, actors = terms.shape
    return (groups.T @ terms[:, :SUMMED].reshape(n, SUMMED * actors)).reshape(groups.shape[1], SUMMED, actors)


def sums_scores(sums: np.ndarray) -> np.ndarray:
    """Scores in percent from summed terms (``sums[..., t, a]``); NaN where nothing is compared."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums[..., EARNED, :] / sums[..., COUNTED, :]


def sums_euclidean(sums: np.ndarray) -> np.ndarray:
    """:func:`euclidean_scores` from summed terms: 100 · (1 − sqrt(Σ w (u − p)² / Σ w) / 4); NaN where
    nothing is compared."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100 * (1 - np.sqrt(sums[..., SQUARED, :] / sums[..., COUNTED, :]) / MAX_DISTANCE)
