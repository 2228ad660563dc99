"""A voter's result: ranked actors with the statements and quotes that explain the ranking.

Pure functions of the content and a ballot; the views only render what this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from quiz.ballot import Ballot
from quiz.matching import match_scores, ranking, statement_agreement
from quiz.model import Actor, Content, Stance, Statement

EXPLANATIONS_PER_SIDE = 3


@dataclass(frozen=True)
class Comparison:
    """One statement both the voter and the actor answered, and how close they are on it."""

    statement: Statement
    answer: int
    stance: Stance
    agreement: float  # 0..1
    weight: int


@dataclass(frozen=True)
class ActorResult:
    actor: Actor
    rank: int
    score: float | None  # percent, None when nothing could be compared
    compared: int
    agreements: tuple[Comparison, ...]  # closest first
    disagreements: tuple[Comparison, ...]  # furthest first

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else int(math.floor(self.score + 0.5))


@dataclass(frozen=True)
class StatementRow:
    """One statement with the voter's answer and every actor's stance."""

    statement: Statement
    answer: int | None
    weight: int
    stances: tuple[Stance, ...]  # in the order of the ranked actors


@dataclass(frozen=True)
class Result:
    ranked: tuple[ActorResult, ...]
    rows: tuple[StatementRow, ...]
    answered: int
    total: int
    version: str


def compute_result(content: Content, ballot: Ballot) -> Result:
    """Score every actor for ``ballot`` and collect the evidence behind each score."""
    answers, weights = ballot.vectors(content)
    scores, compared = match_scores(answers, weights, content.positions)
    order = ranking(scores[0], [a.name for a in content.actors])
    closeness = statement_agreement(answers, content.positions)
    ranked = []
    for rank, i in enumerate(order, start=1):
        actor = content.actors[i]
        comparisons = _comparisons(content, actor, answers, weights, closeness[i])
        score = None if np.isnan(scores[0, i]) else float(scores[0, i])
        ranked.append(ActorResult(
            actor, rank, score, int(compared[0, i]),
            agreements=tuple(c for c in comparisons if c.agreement >= 0.75)[:EXPLANATIONS_PER_SIDE],
            disagreements=tuple(sorted((c for c in comparisons if c.agreement <= 0.5),
                                       key=lambda c: (c.agreement, -c.weight)))[:EXPLANATIONS_PER_SIDE],
        ))
    actors_in_order = [content.actors[i] for i in order]
    rows = tuple(
        StatementRow(statement, ballot.answers.get(statement.id), int(weights[j]),
                     tuple(content.stance(a.id, statement.id) for a in actors_in_order))
        for j, statement in enumerate(content.statements)
    )
    return Result(tuple(ranked), rows, len(ballot.answered()), len(content.statements), content.version)


def _comparisons(content: Content, actor: Actor, answers: np.ndarray, weights: np.ndarray,
                 closeness: np.ndarray) -> list[Comparison]:
    """The statements compared for ``actor``, closest first (heavier weight first on ties)."""
    found = []
    for j, statement in enumerate(content.statements):
        if np.isnan(closeness[j]):
            continue
        found.append(Comparison(statement, int(answers[j]), content.stance(actor.id, statement.id),
                                float(closeness[j]), int(weights[j])))
    found.sort(key=lambda c: (-c.agreement, -c.weight))
    return found
