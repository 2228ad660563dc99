"""A voter advice quiz engine: quoted stances in, ranked and explained matches out."""

from quiz.app import create_app

__all__ = ["create_app"]
