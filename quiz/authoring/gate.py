"""The audit's verdicts: each check passes, warns or fails against thresholds from quiz.toml.

``quiz audit --gate`` exits non-zero when any check fails, so a quiz that stops splitting
the actors, or that favours one actor for voters who answer at random, cannot be published
unnoticed. A warning does not stop publication: it names something an editor should know and
explain (a salience item, a two-actor statement whose split both texts state).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from quiz.authoring.audit import Audit
from quiz.figures import splits
from quiz.model import Content

VERDICTS = ("pass", "warn", "fail")


@dataclass(frozen=True)
class Thresholds:
    """The limits the checks apply; the defaults are documented in docs/content-format.md."""

    min_split_share: float = 0.8  # statements with a positioned actor on each side of neutral
    max_salience: int = 2  # non-splitting statements kept on purpose (`salience = true`)
    min_positioned: int = 3  # actors with a position, per statement
    min_actor_coverage: float = 0.5  # share of statements each actor takes a position on
    max_one_sided: float = 0.8  # share of an actor's non-neutral positions on the agree (or disagree) side
    max_uniform_share: float = 0.4  # share of uniform random voters one actor may top
    neutral_share: float = 0.5  # an actor neutral or silent on this share of statements is "mostly neutral"
    max_euclidean_change: float = 0.1  # voters near an actor whose top match changes under the Euclidean rule
    max_single_statement_change: float = 0.35  # uniform voters whose top match one statement's removal changes


SHARES = {"min_split_share", "min_actor_coverage", "max_one_sided", "max_uniform_share", "neutral_share",
          "max_euclidean_change", "max_single_statement_change"}


def load_thresholds(data_dir: Path) -> Thresholds:
    """The ``[audit]`` table of ``data_dir/quiz.toml`` over the defaults; ValueError names a bad key."""
    try:
        with (data_dir / "quiz.toml").open("rb") as f:
            table = tomllib.load(f).get("audit", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"quiz.toml: cannot read the [audit] table: {error}") from error
    if not isinstance(table, dict):
        raise ValueError("quiz.toml: 'audit' must be a table")
    known = {f.name: f.type for f in fields(Thresholds)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ValueError(f"quiz.toml [audit]: unknown key {key!r}; known: {', '.join(known)}")
        if key in SHARES:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValueError(f"quiz.toml [audit]: {key!r} must be a share from 0 to 1")
            values[key] = float(value)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"quiz.toml [audit]: {key!r} must be a whole number, 0 or more")
        else:
            values[key] = value
    return Thresholds(**values)


@dataclass(frozen=True)
class Check:
    """One check's verdict, with a one-line reason and what to do about it."""

    name: str
    verdict: str
    reason: str
    suggestion: str = ""


def overall(checks: list[Check]) -> str:
    """The worst verdict of ``checks``."""
    return max((c.verdict for c in checks), key=VERDICTS.index, default="pass")


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _names(items: list[str], limit: int = 6) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def judge(content: Content, audit: Audit, limits: Thresholds) -> list[Check]:
    """Every check's verdict on ``content`` and its ``audit``."""
    return [_splitting(content, limits), _positioned(content, limits), _coverage(content, audit, limits),
            _one_sided(content, limits), _reachability(audit), _uniform_voters(content, audit, limits),
            _euclidean(audit, limits), _single_statement(audit, limits)]


def _splitting(content: Content, limits: Thresholds) -> Check:
    name = "Statements split the actors"
    columns = content.positions.T
    splitting = [s for s, col in zip(content.statements, columns, strict=True) if splits(col)]
    unmarked = [s.id for s, col in zip(content.statements, columns, strict=True)
                if not splits(col) and not s.salience]
    salience = [s.id for s in content.statements if s.salience]
    share = len(splitting) / max(len(content.statements), 1)
    figure = f"{len(splitting)} of {len(content.statements)} statements ({_pct(share)}) split the actors"
    if unmarked:
        return Check(name, "fail", f"{figure}; not splitting and not marked salience: {_names(unmarked)}",
                     "Reword or drop them, or mark at most "
                     f"{limits.max_salience} as salience = true with a salience_reason.")
    if len(salience) > limits.max_salience:
        return Check(name, "fail", f"{figure}; {len(salience)} salience items, more than {limits.max_salience}",
                     "Keep only the salience items a voter most needs; drop the rest.")
    if share < limits.min_split_share:
        return Check(name, "fail", f"{figure}, below {_pct(limits.min_split_share)}",
                     "Replace salience items by statements that put actors on both sides.")
    kept = f"; kept on purpose as salience items: {_names(salience)}" if salience else ""
    return Check(name, "pass", figure + kept)


def _positioned(content: Content, limits: Thresholds) -> Check:
    name = f"At least {limits.min_positioned} actors placed on each statement"
    failing, warned = [], []
    for j, statement in enumerate(content.statements):
        column = content.positions[:, j]
        known = ~np.isnan(column)
        if known.sum() >= limits.min_positioned:
            continue
        stances = [content.stance(a.id, statement.id) for a, k in zip(content.actors, known, strict=True) if k]
        all_explicit = all(not s.inferred for s in stances)
        if known.sum() == 2 and all_explicit and (splits(column[known]) or statement.salience):
            warned.append(statement.id)
        else:
            failing.append(statement.id)
    if failing:
        return Check(name, "fail", f"too few actors placed on {_names(failing)}",
                     "Place more actors from their texts, or drop the statement; two are enough only "
                     "when both texts state their side explicitly.")
    if warned:
        return Check(name, "warn", f"only two actors, both explicit, on {_names(warned)}",
                     "Fine when no other actor addresses the point; say so in the rationales.")
    return Check(name, "pass", f"every statement has {limits.min_positioned} or more positioned actors")


def _coverage(content: Content, audit: Audit, limits: Thresholds) -> Check:
    name = "Every actor placed on most statements"
    n = max(len(content.statements), 1)
    thin = [c["actor"] for c in audit.coverage if (n - c["none"]) / n < limits.min_actor_coverage]
    if thin:
        return Check(name, "warn", f"placed on fewer than {_pct(limits.min_actor_coverage)} of the statements: "
                     f"{_names(thin)}", "Look for more of their passages, or add a source of theirs.")
    fewest = min((n - c["none"] for c in audit.coverage), default=0)
    return Check(name, "pass", f"every actor has a position on at least {fewest} of {n} statements")


def _one_sided(content: Content, limits: Thresholds) -> Check:
    """Acquiescence: a voter who agrees (or disagrees) with everything should not land on one actor."""
    name = "Agreeing is not always one actor's side"
    lopsided = []
    for i, actor in enumerate(content.actors):
        row = content.positions[i]
        agree, disagree = int((row > 0).sum()), int((row < 0).sum())
        if agree + disagree and max(agree, disagree) / (agree + disagree) > limits.max_one_sided:
            side = "agree" if agree > disagree else "disagree"
            lopsided.append(f"{actor.short_name} ({max(agree, disagree)} of {agree + disagree} on {side})")
    if lopsided:
        return Check(name, "warn", f"a voter who answers the same way throughout moves toward {_names(lopsided)}",
                     "Reword a statement this actor agrees with so that agreeing is the other side.")
    return Check(name, "pass", f"no actor has more than {_pct(limits.max_one_sided)} of its positions on one side")


def _reachability(audit: Audit) -> Check:
    name = "Each actor answering as itself ranks first"
    beaten = [f"{r['actor']} (behind {', '.join(r['ahead'])})" for r in audit.reachability if not r["first"]]
    tied = [f"{r['actor']} (with {', '.join(r['tied_with'])})" for r in audit.reachability if r["tied_with"]]
    if beaten:
        return Check(name, "fail", f"ranked below another actor: {_names(beaten)}",
                     "Add statements on which these actors differ.")
    if tied:
        return Check(name, "warn", f"tied for first: {_names(tied)}", "Add statements on which these actors differ.")
    return Check(name, "pass", "every actor answering as itself is its own unique top match")


def mostly_neutral(content: Content, limits: Thresholds) -> list[str]:
    """Actors neutral (0) or silent (no position) on at least ``neutral_share`` of the statements."""
    quiet = (np.isnan(content.positions) | (content.positions == 0)).mean(axis=1)
    return [a.name for a, q in zip(content.actors, quiet, strict=True) if q >= limits.neutral_share]


def _uniform_voters(content: Content, audit: Audit, limits: Thresholds) -> Check:
    name = "No actor wins most random voters"
    shares = audit.simulations[0]["shares"] if audit.simulations else {}
    if not shares:
        return Check(name, "pass", "no simulation")
    winner, top = max(shares.items(), key=lambda item: item[1])
    neutral = mostly_neutral(content, limits)
    figure = f"{winner} is the top match for {_pct(top)} of voters who answer at random"
    artefact = (f"{winner} is neutral or silent on most statements, and a random voter's answers average out "
                "near the middle, so the actor in the middle wins: an artefact of random answers, "
                "not a bias toward that actor")
    if top > limits.max_uniform_share and winner in neutral:
        return Check(name, "warn", f"{figure}; {artefact}",
                     "Nothing to fix if real voters differ; place this actor on more statements if its texts allow.")
    if top > limits.max_uniform_share:
        return Check(name, "fail", f"{figure}, above {_pct(limits.max_uniform_share)}",
                     "Check the statements this actor agrees with for a shared bias in wording or direction.")
    note = f"; {artefact}" if winner in neutral else ""
    return Check(name, "pass", f"{figure} (at most {_pct(limits.max_uniform_share)} allowed; "
                 f"an even split is {_pct(audit.simulations[0]['even_share'])}){note}")


def _euclidean(audit: Audit, limits: Thresholds) -> Check:
    name = "Top match stable under the Euclidean rule"
    near = [s for s in audit.simulations if s["profiles"] != "uniform"]
    if not near:
        return Check(name, "pass", "no simulation")
    worst = max(near, key=lambda s: s["euclidean_changes"])
    uniform = audit.simulations[0]["euclidean_changes"]
    figure = (f"changes for at most {_pct(worst['euclidean_changes'])} of voters near an actor "
              f"({worst['profiles']}); {_pct(uniform)} of random voters, who are mostly near ties")
    if worst["euclidean_changes"] > limits.max_euclidean_change:
        return Check(name, "fail", f"{figure}, above {_pct(limits.max_euclidean_change)}",
                     "The advice depends on the rule: add statements that separate the actors more clearly.")
    return Check(name, "pass", figure)


def _single_statement(audit: Audit, limits: Thresholds) -> Check:
    name = "No single statement decides the top match"
    if not audit.sensitivity:
        return Check(name, "pass", "no statements")
    top = audit.sensitivity[0]
    figure = f"removing {top['statement']} changes the top match of {_pct(top['top_changes'])} of random voters"
    if top["top_changes"] > limits.max_single_statement_change:
        return Check(name, "warn", f"{figure}, above {_pct(limits.max_single_statement_change)}",
                     "Add statements on the same question so that one wording weighs less.")
    return Check(name, "pass", figure)
