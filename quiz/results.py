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
    euclidean_scores,
    ranking,
    score_terms,
    terms_scores,
    top_matches,
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
    answers, weights = ballot.vectors(content)
    _, _, scores, compared, order = _score(answers, weights, content.positions, content.actors)
    return [(content.actors[i], None if math.isnan(scores[i]) else float(scores[i]), compared[i]) for i in order]


def _score(answers: np.ndarray, weights: np.ndarray, positions: np.ndarray, actors: list[Actor] | tuple[Actor, ...]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int], list[int]]:
    """One voter's score terms (earned, counted), scores, compared counts and the ranking order.

    One voter is scored from its terms (:func:`quiz.matching.score_terms`); the kernel
    (:func:`quiz.matching.match_ballots`) is for many voters at once.
    """
    earned, counted = score_terms(answers, weights, positions)
    scores = terms_scores(earned, counted)
    compared = np.count_nonzero(counted, axis=1).tolist()
    return earned, counted, scores, compared, ranking(scores, [a.name for a in actors])


def compute_result(content: Content, ballot: Ballot, selected: tuple[str, ...] | None = None) -> Result:
    """Score the (selected) actors for ``ballot`` and collect the evidence behind each score.

    One voter's score terms per statement (:func:`quiz.matching.score_terms`) give the scores,
    the explanations, the radar and the leave-one-out check, with no further matching.
    """
    answers, weights = ballot.vectors(content)
    actors = [a for a in content.actors if selected is None or a.id in selected]
    positions = content.positions if selected is None else content.positions[[content.actors.index(a) for a in actors]]
    earned, counted, scores, compared, order = _score(answers, weights, positions, actors)
    agreements, disagreements = _explanations(content, actors, answers, weights, positions)
    ranked = tuple(ActorResult(actors[i], rank, None if math.isnan(scores[i]) else float(scores[i]), compared[i],
                               agreements[i], disagreements[i]) for rank, i in enumerate(order, start=1))
    rows = tuple(StatementRow(statement, ballot.answers.get(statement.id), weight)
                 for statement, weight in zip(content.statements, weights.astype(int).tolist()))
    top = ranked[0].actor if ranked and ranked[0].score is not None else None
    scored = [i for i in order if not math.isnan(scores[i])][:RADAR_ACTORS]
    return Result(ranked, rows, len(ballot.answered()), len(content.statements), content.version, selected,
                  robustness=robustness(content, answers, weights, actors, positions, earned, counted, top),
                  landscape=landscape(content, answers, actors),
                  radar=radar(content, earned[scored], counted[scored], [actors[i] for i in scored]))


def robustness(content: Content, answers: np.ndarray, weights: np.ndarray, actors: list[Actor],
               positions: np.ndarray, earned: np.ndarray, counted: np.ndarray, top: Actor | None) -> Robustness:
    """``top`` (the top match under the default rule) against the Euclidean rule and leaving out each statement.

    Leaving out statement j subtracts its column from both sums of every actor's score.
    """
    answered = np.flatnonzero(~np.isnan(answers))
    with np.errstate(invalid="ignore", divide="ignore"):
        dropped = ((earned.sum(axis=1)[:, None] - earned[:, answered])
                   / (counted.sum(axis=1)[:, None] - counted[:, answered]))
    # One call for both: the Euclidean scores' top match, then each statement's left out.
    euclid, *tops = top_matches(np.vstack([euclidean_scores(answers, weights, positions), dropped.T]),
                                [a.name for a in actors]).tolist()
    changed = tuple((content.statements[j], None if t < 0 else actors[t])
                    for j, t in zip(answered.tolist(), tops) if (None if t < 0 else actors[t]) is not top)
    return Robustness(top, None if euclid < 0 else actors[euclid], changed)


def _explanations(content: Content, actors: list[Actor], answers: np.ndarray, weights: np.ndarray,
                  positions: np.ndarray) -> tuple[list[tuple[Comparison, ...]], list[tuple[Comparison, ...]]]:
    """Per actor, the statements where the voter agrees most (closest first) and disagrees most.

    Ties go to the statement that matters more to the voter, then to the earlier statement: one
    sort key per statement, (agreement, weight, position) in that order of precedence.
    """
    steps = np.abs(answers[None, :] - positions)  # 0..4 steps apart, NaN where either side is missing
    n = len(content.statements)
    tie_break = (2 - weights) * n + np.arange(n)  # heavier first, then earlier
    with np.errstate(invalid="ignore"):
        closest = np.where(steps <= 4 * (1 - AGREE_FROM), steps * 2 * n + tie_break, np.inf)
        furthest = np.where(steps >= 4 * (1 - DISAGREE_TO), (4 - steps) * 2 * n + tie_break, np.inf)
    statements, stance = content.statements, content.stance
    answer_list, weight_list, step_list = answers.tolist(), weights.astype(int).tolist(), steps.tolist()

    def pick(keys: np.ndarray) -> list[tuple[Comparison, ...]]:
        picked = []
        for actor, smallest, actor_steps in zip(actors, np.sort(keys, axis=1)[:, :EXPLANATIONS_PER_SIDE].tolist(),
                                                step_list):
            columns = [int(key) % n for key in smallest if key != math.inf]  # a key ends in its statement's index
            picked.append(tuple(Comparison(statements[j], int(answer_list[j]), stance(actor.id, statements[j].id),
                                           1 - actor_steps[j] / 4, weight_list[j]) for j in columns))
        return picked

    return pick(closest), pick(furthest)
