"""Aggregate, anonymous exports of stored responses for newsrooms. Never individual records."""

from quiz.export.aggregate import Aggregates, aggregate
from quiz.export.disclosure import EPSILON_RANGE, check_epsilon, protect
from quiz.export.formats import to_csv, to_json

__all__ = ["EPSILON_RANGE", "Aggregates", "aggregate", "check_epsilon", "protect", "to_csv", "to_json"]
