"""The ``quiz`` command: one Click group; each module of this package adds its commands.

Each subcommand is a thin shell over the library functions it names, so that everything
the CLI does can be done from Python too.
"""

from __future__ import annotations

from pathlib import Path

import click

from quiz import config
from quiz.app import default_data_dir
from quiz.loading import ContentError, load_content, read_content

DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=None,
    help="Quiz data directory (default: $QUIZ_DATA_DIR, else the bundled quiz).",
)


def load_or_fail(data_dir: Path | None):
    """The content of ``data_dir`` (or the default), or a CLI error listing every problem."""
    try:
        return load_content(data_dir or default_data_dir())
    except ContentError as error:
        raise click.ClickException(str(error)) from error


QUIZ_OPTION = click.option(
    "--quiz", "slug", default=None, metavar="SLUG",
    help="With a directory of quizzes in --data: the quiz (its subdirectory's name).")


def chosen_quiz_dirs(data_dir: Path | None, slug: str | None) -> dict[str | None, Path]:
    """The directories of the quizzes a command works on, by slug: the one quiz in ``--data``
    (slug None), the one ``--quiz`` names, or else every quiz in the directory of quizzes. A CLI
    error for an unknown slug, a slug given for a single quiz, or a quiz directory name that is no slug."""
    from quiz.quizzes import QuizDirectoryError, is_single_quiz, quiz_directories

    data_dir = data_dir or default_data_dir()
    if is_single_quiz(data_dir):
        if slug is not None:
            raise click.ClickException(f"--quiz {slug}: {data_dir} is one quiz, not a directory of quizzes")
        return {None: data_dir}
    try:
        found: dict[str | None, Path] = dict(quiz_directories(data_dir))
    except QuizDirectoryError as error:
        raise click.ClickException(str(error)) from error
    if slug is not None and slug not in found:
        raise click.ClickException(f"{data_dir} holds no quiz {slug!r} (it holds: {', '.join(map(str, found))})")
    return found if slug is None else {slug: found[slug]}


def chosen_quiz_dir(data_dir: Path | None, slug: str | None) -> Path:
    """The directory of the one quiz a command works on (see :func:`chosen_quiz_dirs`); with several
    quizzes ``--quiz`` must name it."""
    chosen = chosen_quiz_dirs(data_dir, slug)
    if len(chosen) > 1:
        raise click.ClickException(f"{data_dir or default_data_dir()} holds several quizzes: name one with --quiz "
                                   f"(one of: {', '.join(map(str, chosen))})")
    return next(iter(chosen.values()))


def load_draft_or_fail(data_dir: Path | None):
    """The content of an unfinished quiz (to-dos allowed), or a CLI error when it cannot be read at all."""
    draft, problems = read_content(data_dir or default_data_dir())
    errors = [p for p in problems if not p.todo]
    if draft is None or any(p.message.startswith(("not valid TOML", "data directory")) for p in errors):
        raise click.ClickException(str(ContentError(problems)))
    return draft


def open_configured_store():
    """The response store named by $DATABASE_URL (default: SQLite in instance/)."""
    from quiz.storage import open_store

    try:
        return open_store(config.from_environment()["DATABASE_URL"])
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def main() -> None:
    """A voter advice quiz engine."""


# Each module registers its commands on ``main`` when imported.
from quiz.cli import authoring, content, database, interop, review, serving, sources  # noqa: E402, F401
