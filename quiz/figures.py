"""Figures about a quiz's content that the methodology page, the audit and the README give.

Computed from the content, never typed in by hand, so that they stay true when it changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from quiz.matching import match_scores, top_matches
from quiz.model import SCALE, Actor, Content, Statement

UNIFORM_VOTERS = 20_000
SEED = 2026


def splits(column: np.ndarray) -> bool:
    """A statement splits the actors when one placed actor agrees and another disagrees."""
    return bool((column > 0).any() and (column < 0).any())


def top_shares(top: np.ndarray, n_actors: int) -> np.ndarray:
    """Share of voters whose top match is each actor (``top`` as from :func:`top_matches`; -1 counts for none)."""
    return np.bincount(top[top >= 0], minlength=n_actors) / max(len(top), 1)


def uniform_answers(n_statements: int, voters: int, rng: np.random.Generator,
                    scale: tuple[int, ...] = SCALE) -> np.ndarray:
    """``voters`` random voters who pick each answer of ``scale`` with equal chance on every statement."""
    return rng.choice(np.array(scale, dtype=float), size=(voters, n_statements))


@dataclass(frozen=True)
class ContentFigures:
    """How many statements split the actors, how positions rest on the text, whom random voters get."""

    statements: int
    splitting: int
    salience: tuple[Statement, ...]
    explicit: int
    inferred: int
    answered: int  # positions the actors gave themselves (basis "self")
    none: int
    uniform_voters: int
    uniform_shares: tuple[tuple[Actor, float], ...]  # actors in the content's order

    @property
    def splitting_share(self) -> float:
        return self.splitting / max(self.statements, 1)


def content_figures(content: Content, voters: int = UNIFORM_VOTERS, seed: int = SEED) -> ContentFigures:
    """The figures of ``content``; the random voters are seeded, so the figures are the same every time."""
    positions = content.positions
    answers = uniform_answers(len(content.statements), voters, np.random.default_rng(seed), content.scale)
    scores, _ = match_scores(answers, np.ones_like(answers), positions)
    shares = top_shares(top_matches(scores, [a.name for a in content.actors]), len(content.actors))
    placed = [s for s in content.stances if s.position is not None]
    return ContentFigures(
        statements=len(content.statements),
        splitting=sum(splits(column) for column in positions.T),
        salience=tuple(s for s in content.statements if s.salience),
        explicit=sum(s.basis == "explicit" for s in placed),
        inferred=sum(s.basis == "inferred" for s in placed),
        answered=sum(s.basis == "self" for s in placed),
        none=len(content.stances) - len(placed),
        uniform_voters=voters,
        uniform_shares=tuple(zip(content.actors, shares.tolist(), strict=True)),
    )
