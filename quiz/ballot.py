"""A voter's answers and weights, checked against the quiz; shared by the HTML form and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from quiz.matching import answer_code
from quiz.model import Content

WEIGHTS = (1, 2)


class BallotError(ValueError):
    """Bad voter input; ``field`` names what is wrong so the client can point at it."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def _scale_text(content: Content) -> str:
    """The quiz's answers as a list for messages: "-2, 0, 2"."""
    return ", ".join(map(str, content.scale))


@dataclass(frozen=True)
class Ballot:
    """Answers (statement id → a value of the quiz's scale, or None for skipped) and weights (statement id → 1 or 2)."""

    answers: Mapping[str, int | None]
    weights: Mapping[str, int]

    @classmethod
    def parse(cls, content: Content, answers: Any, weights: Any = None) -> Ballot:
        """Check raw answers and weights (as decoded from JSON or a form) against ``content``."""
        if not isinstance(answers, Mapping):
            raise BallotError("answers", f"must be an object mapping statement ids to {_scale_text(content)} or null")
        if weights is None:
            weights = {}
        if not isinstance(weights, Mapping):
            raise BallotError("weights", "must be an object mapping statement ids to 1 or 2")
        checked: dict[str, int | None] = {}
        for key, value in answers.items():
            if key not in content.statement_by_id:
                raise BallotError(f"answers.{key}", "unknown statement id")
            if value is not None and (isinstance(value, bool) or value not in content.scale
                                      or not isinstance(value, int)):
                raise BallotError(f"answers.{key}", f"{value!r} is off the scale: use {_scale_text(content)} or null")
            checked[key] = value
        for key, value in weights.items():
            if key not in content.statement_by_id:
                raise BallotError(f"weights.{key}", "unknown statement id")
            if isinstance(value, bool) or not isinstance(value, int) or value not in WEIGHTS:
                raise BallotError(f"weights.{key}", f"{value!r} is not a weight: use 1 or 2")
        if all(v is None for v in checked.values()):
            raise BallotError("answers", "answer at least one statement")
        return cls(checked, dict(weights))

    def vectors(self, content: Content) -> tuple[np.ndarray, np.ndarray]:
        """Answers (NaN = skipped) and weights as arrays in the content's statement order."""
        ids = [s.id for s in content.statements]
        answers = np.array([np.nan if self.answers.get(i) is None else self.answers[i] for i in ids], dtype=float)
        weights = np.array([self.weights.get(i, 1) for i in ids], dtype=float)
        return answers, weights

    def codes(self, content: Content) -> list[int]:
        """Each statement's answer and weight as one code (see :func:`quiz.matching.answer_code`), in order."""
        answers, weights = self.answers, self.weights
        return [answer_code(answers.get(i), weights.get(i, 1)) for i in content.statement_by_id]

    def answered(self) -> list[str]:
        return [k for k, v in self.answers.items() if v is not None]

    def important(self) -> list[str]:
        return [k for k, v in self.weights.items() if v == 2]
