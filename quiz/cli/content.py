"""Content commands: init, validate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli import DATA_OPTION, QUIZ_OPTION, chosen_quiz_dirs, main
from quiz.loading import ContentError, Problem, load_content


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The quiz's title (default: the directory's name).")
@click.option("--language", default="nb", show_default=True, help="Language of the quiz's texts.")
def init(directory: Path, title: str | None, language: str) -> None:
    """Start a new quiz: write the smallest quiz directory every command accepts, and say what next.

    Example: quiz init ./my-quiz --title "Valgomat 2027"
    """
    from quiz.authoring.skeleton import NEXT_STEPS, SkeletonError, init_quiz

    try:
        written = init_quiz(directory, title, language)
    except SkeletonError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {', '.join(p.relative_to(directory).as_posix() for p in written)} in {directory}.")
    click.echo(NEXT_STEPS.format(dir=directory), nl=False)


def report_problems(problems: list[Problem]) -> None:
    """Errors first (what is wrong), then the to-do list (what is not written yet)."""
    errors, todos = [p for p in problems if not p.todo], [p for p in problems if p.todo]
    if errors:
        click.echo(f"{len(errors)} error(s):", err=True)
        click.echo("".join(f"  - {p}\n" for p in errors), err=True, nl=False)
    if todos:
        click.echo(f"To do ({len(todos)}):", err=True)
        click.echo("".join(f"  [ ] {p}\n" for p in todos), err=True, nl=False)


@main.command()
@DATA_OPTION
@click.option("--strict", is_flag=True,
              help="Also flag stance quotes that are not among the actor's passages most relevant to the statement "
                   "(quotes marked reviewed = true pass).")
@QUIZ_OPTION
def validate(data_dir: Path | None, strict: bool, slug: str | None) -> None:
    """Load the content and report every problem (file, id, what is wrong); with a directory of
    quizzes, of each quiz (or the one --quiz names).

    Example: quiz validate --data ./my-quiz --strict
    """
    chosen = chosen_quiz_dirs(data_dir, slug)
    failed = []
    for name, directory in chosen.items():
        if name is not None:
            click.echo(f"quiz {name!r}:")
        if not validate_quiz(directory, strict):
            failed.append(name)
    if failed:
        if len(chosen) > 1:
            click.echo(f"{len(failed)} of {len(chosen)} quizzes have problems: {', '.join(map(str, failed))}", err=True)
        sys.exit(1)


def validate_quiz(directory: Path, strict: bool) -> bool:
    """``quiz validate`` for one quiz: its problems (or OK and its size) printed; whether it passed."""
    try:
        content = load_content(directory)
    except ContentError as error:
        report_problems(error.problems)
        return False
    if strict:
        from quiz.authoring.quote_review import strict_check

        result = strict_check(content)
        for warning in result.unreviewed:
            click.echo(f"  - {warning}", err=True)
        if result.unreviewed:
            click.echo(f"{len(result.unreviewed)} possible mis-quote(s) not yet reviewed: check each with "
                       "`quiz suggest STATEMENT_ID`, then replace it by the direct passage or mark it "
                       "`reviewed = true`.", err=True)
            return False
        click.echo(f"Strict: every flagged quote is reviewed ({result.reviewed} quote(s) marked reviewed).")
    click.echo(
        f"OK: {len(content.statements)} statements, {len(content.actors)} actors, "
        f"{len(content.stances)} stances, {len(content.sources)} sources, version {content.version}"
    )
    return True
