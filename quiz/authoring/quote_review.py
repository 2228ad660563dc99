"""The strict quote check with an editor's word: quotes marked ``reviewed = true`` pass.

``quiz validate --strict`` flags stance quotes that are not among the actor's passages most
relevant to the statement. Word overlap cannot tell a real mis-quote from a passage that makes
the point in other words, so an editor who has read the passage in context marks it reviewed,
and the check lists only the quotes nobody has checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from quiz.authoring.suggest import misquote_warnings
from quiz.loading import Problem
from quiz.model import Content


@dataclass(frozen=True)
class StrictResult:
    """Flagged quotes nobody has reviewed, and how many stance quotes carry a review."""

    unreviewed: list[Problem]
    reviewed: int


def without_reviewed_quotes(content: Content) -> Content:
    """``content`` with every reviewed stance quote taken out (a copy; the original is unchanged)."""
    stances = tuple(replace(s, quotes=tuple(q for q in s.quotes if not q.reviewed)) for s in content.stances)
    return replace(content, stances=stances)


def strict_check(content: Content) -> StrictResult:
    """The strict check over the quotes no editor has marked reviewed."""
    reviewed = sum(q.reviewed for s in content.stances for q in s.quotes)
    return StrictResult(misquote_warnings(without_reviewed_quotes(content)), reviewed)
