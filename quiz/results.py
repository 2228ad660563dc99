"""A voter's result: ranked actors with the statements and quotes that explain the ranking.

Pure functions of the content and a ballot; the views only render what this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from quiz.ballot import Ballot
from quiz.landscape import Landscape, Radar, landscape, radar
from quiz.matching import (
    ScoringTables,
    euclidean_scores,
    match_ballots,
    match_scores,
    ranking,
    statement_agreement,
    top_matches,
)
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
    scores, compared = match_ballots(ballot.encoded(content), content.tables)
    order = ranking(scores[0], [a.name for a in content.actors])
    return [(content.actors[i], None if np.isnan(scores[0, i]) else float(scores[0, i]), int(compared[0, i]))
            for i in order]


def compute_result(content: Content, ballot: Ballot, selected: tuple[str, ...] | None = None) -> Result:
    """Score the (selected) actors for ``ballot`` and collect the evidence behind each score."""
    answers, weights = ballot.vectors(content)
    indices = [i for i, a in enumerate(content.actors) if selected is None or a.id in selected]
    actors = [content.actors[i] for i in indices]
    positions = content.positions[indices]
    tables = content.tables if selected is None else content.tables.for_actors(indices)
    scores, compared = match_ballots(ballot.encoded(content), tables)
    order = ranking(scores[0], [a.name for a in actors])
    closeness = statement_agreement(answers, positions)
    ranked = []
    for rank, i in enumerate(order, start=1):
        score = None if np.isnan(scores[0, i]) else float(scores[0, i])
        ranked.append(ActorResult(actors[i], rank, score, int(compared[0, i]),
                                  *_explanations(content, actors[i], answers, weights, closeness[i])))
    rows = tuple(StatementRow(statement, ballot.answers.get(statement.id), int(weights[j]))
                 for j, statement in enumerate(content.statements))
    top = ranked[0].actor if ranked and ranked[0].score is not None else None
    return Result(tuple(ranked), rows, len(ballot.answered()), len(content.statements), content.version, selected,
                  robustness=robustness(content, answers, weights, actors, positions, tables, top),
                  landscape=landscape(content, answers, [actors[i] for i in order]),
                  radar=radar(content, answers, weights, [r.actor for r in ranked if r.score is not None]))


def robustness(content: Content, answers: np.ndarray, weights: np.ndarray, actors: list[Actor],
               positions: np.ndarray, tables: ScoringTables, top: Actor | None) -> Robustness:
    """``top`` (the top match under the default rule) against the Euclidean rule and leaving out each statement."""
    names = [a.name for a in actors]
    euclid = int(top_matches(euclidean_scores(answers, weights, positions), names)[0])
    answered = np.flatnonzero(~np.isnan(answers))
    dropped = np.repeat(answers[None, :], len(answered), axis=0)
    dropped[np.arange(len(answered)), answered] = np.nan
    tops = top_matches(match_scores(dropped, weights, tables)[0], names)
    changed = tuple((content.statements[j], None if t < 0 else actors[t])
                    for j, t in zip(answered, tops) if (None if t < 0 else actors[t]) is not top)
    return Robustness(top, None if euclid < 0 else actors[euclid], changed)


def _explanations(content: Content, actor: Actor, answers: np.ndarray, weights: np.ndarray,
                  closeness: np.ndarray) -> tuple[tuple[Comparison, ...], tuple[Comparison, ...]]:
    """The statements where the voter agrees most with ``actor`` (closest first) and disagrees most.

    Ties go to the statement that matters more to the voter, then to the earlier statement.
    """
    def pick(mask: np.ndarray, key: np.ndarray) -> tuple[Comparison, ...]:
        chosen = np.flatnonzero(mask)
        order = np.lexsort((chosen, -weights[chosen], key[chosen]))[:EXPLANATIONS_PER_SIDE]
        return tuple(Comparison(content.statements[j], int(answers[j]),
                                content.stance(actor.id, content.statements[j].id), float(closeness[j]),
                                int(weights[j])) for j in chosen[order])

    return pick(closeness >= 0.75, -closeness), pick(closeness <= 0.5, closeness)
