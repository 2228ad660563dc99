"""Aggregate, anonymous exports of stored responses for newsrooms. Never individual records."""

from quiz.export.aggregate import Aggregates, aggregate
from quiz.export.disclosure import MIN_K, check_k, protect
from quiz.export.formats import to_csv, to_json

__all__ = ["MIN_K", "Aggregates", "aggregate", "check_k", "protect", "to_csv", "to_json"]
