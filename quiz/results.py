"""A voter's result: ranked actors with the statements and quotes that explain the ranking.

Pure functions of the content and a ballot; the views only render what this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from quiz.ballot import Ballot
from quiz.landscape import RADAR_ACTORS, Landscape, Radar, landscape, radar
from quiz.matching import (
    CODE_ANSWERS,
    CODE_WEIGHTS,
    COUNTED,
    EARNED,
    STEPS,
    ranking,
    terms_euclidean,
    terms_scores,
    top_matches,
    voter_terms,
)
from quiz.model import Actor, Content, Stance, Statement

EXPLANATIONS_PER_SIDE = 3
AGREE_FROM, DISAGREE_TO = 0.75, 0.5  # agreement (0..1) on a statement that counts as agreeing, as disagreeing


class Comparison(NamedTuple):
    """One statement both the voter and the actor answered, and how close they are on it."""

    statement: Statement
    answer: int
    stance: Stance
    agreement: float  # 0..1
    weight: int


class ActorResult(NamedTuple):
    actor: Actor
    rank: int
    score: float | None  # percent, None when nothing could be compared
    compared: int
    agreements: tuple[Comparison, ...]  # closest first
    disagreements: tuple[Comparison, ...]  # furthest first

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else int(math.floor(self.score + 0.5))


class StatementRow(NamedTuple):
    """One statement with the voter's answer (the actors' positions are the same for everyone)."""

    statement: Statement
    answer: int | None
    weight: int


@dataclass(frozen=True)
class Robustness:
    """Would the advice change under another rule, or without one statement?"""

    top: Actor | None
    euclidean_top: Actor | None
    changed_by: tuple[tuple[Statement, Actor | None], ...]  # statement left out → the new top match


@dataclass(frozen=True)
class Result:
    ranked: tuple[ActorResult, ...]
    rows: tuple[StatementRow, ...]
    answered: int
    total: int
    version: str
    selected: tuple[str, ...] | None = None  # actor ids the voter compared with; None = all
    robustness: Robustness | None = None
    landscape: Landscape | None = None
    radar: Radar | None = None


def rank_actors(content: Content, ballot: Ballot) -> list[tuple[Actor, float | None, int]]:
    """(actor, score, compared) for every actor, ranked: just the numbers, for the API."""
    terms = voter_terms(content.term_table, ballot.codes(content))
    scores, compared, order = _score(terms, content.actors)
    return [(content.actors[i], None if math.isnan(scores[i]) else float(scores[i]), compared[i]) for i in order]


def _score(terms: np.ndarray, actors: list[Actor] | tuple[Actor, ...]) -> tuple[np.ndarray, list[int], list[int]]:
    """Scores, compared counts and the ranking order from one voter's terms.

    One voter is scored from its terms (:func:`quiz.matching.voter_terms`); the kernel
    (:func:`quiz.matching.match_ballots`) is for many voters at once.
    """
    scores = terms_scores(terms)
    compared = np.count_nonzero(terms[:, COUNTED], axis=0).tolist()
    return scores, compared, ranking(scores, [a.name for a in actors])


def compute_result(content: Content, ballot: Ballot, selected: tuple[str, ...] | None = None) -> Result:
    """Score the (selected) actors for ``ballot`` and collect the evidence behind each score.

    One voter's terms per statement (:func:`quiz.matching.voter_terms`) give the scores, the
    explanations, the radar and the leave-one-out check, with no further matching.
    """
    codes = ballot.codes(content)
    terms = voter_terms(content.term_table, codes)
    columns = range(len(content.actors)) if selected is None else [
        i for i, a in enumerate(content.actors) if a.id in selected]
    actors = tuple(content.actors[i] for i in columns)
    if selected is not None:
        terms = terms[:, :, columns]
    scores, compared, order = _score(terms, actors)
    answers, weights = ballot.answers, ballot.weights
    rows = tuple(StatementRow(s, answers.get(s.id), weights.get(s.id, 1)) for s in content.statements)
    agreements, disagreements = _explanations(rows, [content.stance_rows[i] for i in columns], codes, terms)
    ranked = tuple(ActorResult(actors[i], rank, None if math.isnan(scores[i]) else float(scores[i]), compared[i],
                               agreements[i], disagreements[i]) for rank, i in enumerate(order, start=1))
    top = ranked[0].actor if ranked and ranked[0].score is not None else None
    scored = [i for i in order if not math.isnan(scores[i])][:RADAR_ACTORS]
    return Result(ranked, rows, len(ballot.answered()), len(content.statements), content.version, selected,
                  robustness=robustness(content, codes, actors, terms, top),
                  landscape=landscape(content, CODE_ANSWERS[codes], actors),
                  radar=radar(content, terms[:, :, scored], [actors[i] for i in scored]))


def robustness(content: Content, codes: list[int], actors: tuple[Actor, ...], terms: np.ndarray,
               top: Actor | None) -> Robustness:
    """``top`` (the top match under the default rule) against the Euclidean rule and leaving out each statement.

    Leaving out statement j subtracts its row of terms from both sums of every actor's score.
    """
    answered = np.flatnonzero(codes)
    earned, counted = terms[:, EARNED], terms[:, COUNTED]
    with np.errstate(invalid="ignore", divide="ignore"):
        dropped = (earned.sum(axis=0) - earned[answered]) / (counted.sum(axis=0) - counted[answered])
    # One call for both: the Euclidean scores' top match, then each statement's left out.
    euclid, *tops = top_matches(np.vstack([terms_euclidean(terms), dropped]), [a.name for a in actors]).tolist()
    changed = tuple((content.statements[j], None if t < 0 else actors[t])
                    for j, t in zip(answered.tolist(), tops) if (None if t < 0 else actors[t]) is not top)
    return Robustness(top, None if euclid < 0 else actors[euclid], changed)


def _explanations(rows: tuple[StatementRow, ...], stances: list[tuple[Stance | None, ...]], codes: list[int],
                  terms: np.ndarray) -> tuple[list[tuple[Comparison, ...]], list[tuple[Comparison, ...]]]:
    """Per actor (``stances``: its row of stances), the statements where the voter agrees most
    (closest first) and disagrees most.

    Ties go to the statement that matters more to the voter, then to the earlier statement: one
    sort key per statement, (agreement, weight, position) in that order of precedence.
    """
    steps = terms[:, STEPS]  # (S, A): 0..4 steps apart, NaN where either side is missing
    n = len(codes)
    tie_break = ((2 - CODE_WEIGHTS[codes]) * n + np.arange(n))[:, None]  # heavier first, then earlier
    with np.errstate(invalid="ignore"):
        closest = np.where(steps <= 4 * (1 - AGREE_FROM), steps * 2 * n + tie_break, np.inf)
        furthest = np.where(steps >= 4 * (1 - DISAGREE_TO), (4 - steps) * 2 * n + tie_break, np.inf)

    def pick(keys: np.ndarray) -> list[tuple[Comparison, ...]]:
        picked = []
        for held, smallest in zip(stances, np.sort(keys, axis=0)[:EXPLANATIONS_PER_SIDE].T.tolist()):
            comparisons = []
            for key in smallest:
                if key == math.inf:
                    break
                j = int(key) % n  # a key ends in its statement's index
                statement, answer, weight = rows[j]
                stance = held[j]
                comparisons.append(Comparison(statement, answer, stance, 1 - abs(answer - stance.position) / 4, weight))
            picked.append(tuple(comparisons))
        return picked

    return pick(closest), pick(furthest)
