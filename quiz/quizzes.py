"""One quiz or a directory of quizzes: what ``QUIZ_DATA_DIR`` (``--data``) names.

A directory with a ``quiz.toml`` is one quiz, served at the site's root as always. A directory
without one holds several: each subdirectory with a ``quiz.toml`` is a quiz, served under
``/<slug>/`` where the slug is the subdirectory's name. Every quiz is loaded and validated once
(before a server forks its workers); one invalid quiz stops the start, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from quiz.loading import ContentError, load_content
from quiz.model import Content

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
# First path segments the site itself uses in the several-quiz layout: no quiz may take them.
RESERVED_SLUGS = frozenset({"api", "assets", "static", "healthz", "embed", "stats", "favicon.ico", "robots.txt"})

# The quizzes served, by slug; one quiz served at the root has the slug None.
Quizzes = dict[str | None, Content]


class QuizDirectoryError(ValueError):
    """The data directory is neither one quiz nor a directory of quizzes, or a slug is not allowed."""


class QuizContentError(ContentError):
    """One quiz of several is invalid: the message is ``quiz validate``'s, naming the quiz."""

    def __init__(self, slug: str, error: ContentError):
        self.slug = slug
        super().__init__(error.problems)
        self.args = (f"quiz {slug!r}: {error}",)


def is_single_quiz(data_dir: Path) -> bool:
    """Whether ``data_dir`` is one quiz: it has a quiz.toml, or no subdirectory has one (so that a
    directory missing its quiz.toml gets the content's own complaint)."""
    return (data_dir / "quiz.toml").is_file() or not any(data_dir.glob("*/quiz.toml"))


def quiz_directories(data_dir: str | Path) -> dict[str, Path]:
    """Each quiz's directory in a directory of quizzes, by slug (sorted); QuizDirectoryError if a
    quiz's directory name is no valid slug. Hidden directories are skipped."""
    found = sorted(p.parent for p in Path(data_dir).glob("*/quiz.toml") if not p.parent.name.startswith("."))
    for directory in found:
        if not SLUG.fullmatch(directory.name) or directory.name in RESERVED_SLUGS:
            raise QuizDirectoryError(
                f"quiz directory {directory.name!r} in {data_dir}: its name is the quiz's address, so it must be "
                f"1-40 lowercase letters a-z, digits or inner hyphens, and none of {', '.join(sorted(RESERVED_SLUGS))}")
    return {directory.name: directory for directory in found}


def load_quizzes(data_dir: str | Path, load: Callable[[Path], Content] = load_content) -> Quizzes:
    """Every quiz in ``data_dir``, loaded and validated: ``{None: content}`` for one quiz, else by slug.

    Raises ContentError (QuizContentError naming the quiz) or QuizDirectoryError.
    """
    data_dir = Path(data_dir)
    if is_single_quiz(data_dir):
        return {None: load(data_dir)}
    quizzes: Quizzes = {}
    for slug, directory in quiz_directories(data_dir).items():
        try:
            quizzes[slug] = load(directory)
        except ContentError as error:
            raise QuizContentError(slug, error) from error
    return quizzes
