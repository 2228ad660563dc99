"""Is the quiz fair to every actor? Coverage, discrimination, balance, reachability, and how
simulated voters' advice depends on the rule and on single statements. Vectorised NumPy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from quiz.explanations import position_counts
from quiz.figures import top_shares
from quiz.matching import euclidean_scores, match_scores, top_matches
from quiz.model import SCALE, Content, Stance


@dataclass
class Audit:
    """Every finding of one audit, ready for the text or HTML report."""

    actors: list[str]
    names: list[str]
    statements: list[str]
    coverage: list[dict] = field(default_factory=list)
    statement_coverage: list[dict] = field(default_factory=list)
    useless: list[dict] = field(default_factory=list)
    balance: list[dict] = field(default_factory=list)
    reachability: list[dict] = field(default_factory=list)
    simulations: list[dict] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)
    salience: list[dict] = field(default_factory=list)


def random_profiles(positions: np.ndarray, n: int, rng: np.random.Generator, near: int | None = None,
                    scale: tuple[int, ...] = SCALE) -> np.ndarray:
    """Uniform answers on ``scale`` (the quiz's answers), or (``near`` = an actor) its positions
    with noise: one answer up or down the scale on a fifth of the statements each way."""
    values = np.array(scale, dtype=float)
    n_statements = positions.shape[1]
    uniform = rng.integers(len(values), size=(n, n_statements))
    if near is None:
        return values[uniform]
    base = positions[near]
    steps = np.searchsorted(values, np.nan_to_num(base))  # each position's place on the scale
    moved = np.clip(steps[None, :] + rng.choice([-1, 0, 0, 0, 1], size=(n, n_statements)), 0, len(values) - 1)
    return values[np.where(np.isnan(base)[None, :], uniform, moved)]


def with_missing_not_addressed(draft: Content) -> tuple[Content, int]:
    """An unfinished quiz with every stance not written yet taken as "not addressed", and how many
    those are: what ``quiz audit --draft`` looks at, so an editor sees the balance while coding."""
    missing = tuple(Stance(actor.id, statement.id, None, "")
                    for actor in draft.actors for statement in draft.statements
                    if draft.stance(actor.id, statement.id) is None)
    return replace(draft, stances=draft.stances + missing), len(missing)


def run_audit(content: Content, voters: int = 100_000, seed: int = 2026) -> Audit:
    """All checks of ``quiz audit`` on ``content``."""
    audit = Audit([a.id for a in content.actors], [a.name for a in content.actors], [s.id for s in content.statements])
    audit.salience = [{"statement": s.id, "reason": s.salience_reason_en or s.salience_reason}
                      for s in content.statements if s.salience]
    _coverage(content, audit)
    _discrimination(content, audit)
    _balance(content, audit)
    _reachability(content, audit)
    _simulate(content, audit, voters, np.random.default_rng(seed))
    return audit


def _coverage(content: Content, audit: Audit) -> None:
    for actor in content.actors:  # how each actor's positions were obtained: answered itself, or read by us
        audit.coverage.append({"actor": actor.name, **position_counts(content, actor)})
    for j, statement in enumerate(content.statements):
        column = content.positions[:, j]
        audit.statement_coverage.append({"statement": statement.id, "positions": int((~np.isnan(column)).sum()),
                                         "inferred": sum(content.stance(a, statement.id).inferred
                                                         for a in audit.actors)})


def _discrimination(content: Content, audit: Audit) -> None:
    """Statements on which everyone agrees, or that separate no pair of actors by 2+ steps."""
    for j, statement in enumerate(content.statements):
        known = content.positions[:, j][~np.isnan(content.positions[:, j])]
        if len(known) and (np.all(known > 0) or np.all(known < 0) or np.all(known == 0)):
            why = "every actor with a position is on the same side"
            audit.useless.append({"statement": statement.id,
                                  "why": why + (" (kept as a salience item)" if statement.salience else "")})
        elif len(known) < 2 or np.ptp(known) < 2:
            audit.useless.append({"statement": statement.id, "why": "separates no pair of actors by two steps or more"})


def _balance(content: Content, audit: Audit) -> None:
    """For each actor, on how many statements pressing "agree" moves a voter toward it."""
    for i, actor in enumerate(content.actors):
        row = content.positions[i]
        audit.balance.append({"actor": actor.name, "agree_toward": int((row > 0).sum()),
                              "disagree_toward": int((row < 0).sum()), "neutral": int((row == 0).sum())})


def _reachability(content: Content, audit: Audit) -> None:
    """Each actor answering as itself: does it rank itself first (ties counted as first)?"""
    scores, _ = match_scores(content.positions, None, content.positions)
    for i, actor in enumerate(content.actors):
        own = scores[i, i]
        tied = [audit.names[j] for j in range(len(audit.actors)) if j != i and np.isclose(scores[i, j], own)]
        ahead = [audit.names[j] for j in range(len(audit.actors)) if scores[i, j] > own + 1e-9]
        audit.reachability.append({"actor": actor.name, "self_score": float(own), "first": not ahead,
                                   "tied_with": tied, "ahead": ahead})


def _simulate(content: Content, audit: Audit, voters: int, rng: np.random.Generator) -> None:
    positions, names = content.positions, audit.names
    groups = [("uniform", None)] + [(f"near {n}", i) for i, n in enumerate(names)]
    per_group = max(voters // len(names), 1)  # as many again near the actors as uniform, split evenly
    removal_changes = np.zeros(len(audit.statements))
    for label, near in groups:
        answers = random_profiles(positions, voters if near is None else per_group, rng, near, content.scale)
        weights = np.ones_like(answers)
        scores, _ = match_scores(answers, weights, positions)
        top = top_matches(scores, names)
        euclid = top_matches(euclidean_scores(answers, weights, positions), names)
        any_removal = np.zeros(len(answers), dtype=bool)
        for j in range(len(audit.statements)):
            dropped = answers.copy()
            dropped[:, j] = np.nan
            changed = top_matches(match_scores(dropped, weights, positions)[0], names) != top
            removal_changes[j] += changed.sum() if near is None else 0
            any_removal |= changed
        shares = top_shares(top, len(names))
        audit.simulations.append({
            "profiles": label, "voters": len(answers), "shares": dict(zip(names, shares.round(4).tolist())),
            "even_share": round(1 / len(names), 4), "euclidean_changes": float((euclid != top).mean()),
            "leave_one_out_changes": float(any_removal.mean())})
    uniform = audit.simulations[0]["voters"]
    order = np.argsort(-removal_changes, kind="stable")
    audit.sensitivity = [{"statement": audit.statements[j], "top_changes": float(removal_changes[j] / uniform)}
                         for j in order]
