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
    CLOSEST,
    CODE_ANSWERS,
    COMPARED,
    COUNTED,
    EARNED,
    FURTHEST,
    group_sums,
    ranking,
    sums_euclidean,
    sums_scores,
    top_matches,
    voter_terms,
)
from quiz.model import Actor, Content, Stance, Statement

EXPLANATIONS_PER_SIDE = 3


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
    sums = group_sums(terms, content.score_groups[:, :1])[0]
    scores, compared = sums_scores(sums), sums[COMPARED].astype(int).tolist()
    order = ranking(scores, [a.name for a in content.actors])
    return [(content.actors[i], None if math.isnan(scores[i]) else float(scores[i]), compared[i]) for i in order]


def compute_result(content: Content, ballot: Ballot, selected: tuple[str, ...] | None = None) -> Result:
    """Score the (selected) actors for ``ballot`` and collect the evidence behind each score.

    One voter's terms per statement (:func:`quiz.matching.voter_terms`) give the scores, the
    explanations, the radar and the leave-one-out check, with no further matching: one matrix
    product sums them over all statements and over each topic.
    """
    codes = ballot.codes(content)
    terms = voter_terms(content.term_table, codes)
    columns = range(len(content.actors)) if selected is None else [
        i for i, a in enumerate(content.actors) if a.id in selected]
    actors = tuple(content.actors[i] for i in columns)
    if selected is not None:
        terms = terms[:, :, columns]
    names = [a.name for a in actors]
    sums = group_sums(terms, content.score_groups)  # all statements, then each topic
    per_group = sums_scores(sums)
    scores, compared = per_group[0], sums[0, COMPARED].astype(int).tolist()
    order = ranking(scores, names)
    answers, weights = ballot.answers, ballot.weights
    rows = tuple(StatementRow(s, answers.get(s.id), weights.get(s.id, 1)) for s in content.statements)
    stances = [content.stance_rows[i] for i in columns]
    agreements = _explanations(rows, stances, terms[:, CLOSEST])
    disagreements = _explanations(rows, stances, terms[:, FURTHEST])
    ranked = tuple(ActorResult(actors[i], rank, None if math.isnan(scores[i]) else float(scores[i]), compared[i],
                               agreements[i], disagreements[i]) for rank, i in enumerate(order, start=1))
    top = ranked[0].actor if ranked and ranked[0].score is not None else None
    scored = [i for i in order if not math.isnan(scores[i])][:RADAR_ACTORS]
    return Result(ranked, rows, len(ballot.answered()), len(content.statements), content.version, selected,
                  robustness=robustness(content, codes, actors, names, terms, sums[0], top),
                  landscape=landscape(content, CODE_ANSWERS[codes], actors),
                  radar=radar(content, per_group[1:, scored], [actors[i] for i in scored]))


def robustness(content: Content, codes: list[int], actors: tuple[Actor, ...], names: list[str],
               terms: np.ndarray, totals: np.ndarray, top: Actor | None) -> Robustness:
    """``top`` (the top match under the default rule) against the Euclidean rule and leaving out each statement.

    Leaving out statement j subtracts its row of ``terms`` from the ``totals`` (summed terms);
    ``names`` are the ``actors``' names, which break ties.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        dropped = (totals[EARNED] - terms[:, EARNED]) / (totals[COUNTED] - terms[:, COUNTED])
    # One call for both: the Euclidean scores' top match, then each statement's left out.
    euclid, *tops = top_matches(np.vstack([sums_euclidean(totals), dropped]), names).tolist()
    statements = content.statements
    changed = tuple((statements[j], None if t < 0 else actors[t]) for j, t in enumerate(tops)
                    if codes[j] and (None if t < 0 else actors[t]) is not top)
    return Robustness(top, None if euclid < 0 else actors[euclid], changed)


def _explanations(rows: tuple[StatementRow, ...], stances: list[tuple[Stance | None, ...]], keys: np.ndarray
                  ) -> list[tuple[Comparison, ...]]:
    """Per actor (``stances``: its row of stances), the statements that explain its score, in the
    order of ``keys`` (S, A): the term table's ``CLOSEST`` or ``FURTHEST`` (see
    :func:`quiz.matching.term_table`), infinite for statements that do not explain it."""
    n = len(rows)
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
