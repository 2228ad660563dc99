"""Content commands: init, validate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.app import default_data_dir
from quiz.cli import DATA_OPTION, main
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
def validate(data_dir: Path | None, strict: bool) -> None:
    """Load the content and report every problem (file, id, what is wrong).

    Example: quiz validate --data ./my-quiz --strict
    """
    try:
        content = load_content(data_dir or default_data_dir())
    except ContentError as error:
        report_problems(error.problems)
        sys.exit(1)
    if strict:
        from quiz.authoring.quote_review import strict_check

        result = strict_check(content)
        for warning in result.unreviewed:
            click.echo(f"  - {warning}", err=True)
        if result.unreviewed:
            click.echo(f"{len(result.unreviewed)} possible mis-quote(s) not yet reviewed: check each with "
                       "`quiz suggest STATEMENT_ID`, then replace it by the direct passage or mark it "
                       "`reviewed = true`.", err=True)
            sys.exit(1)
        click.echo(f"Strict: every flagged quote is reviewed ({result.reviewed} quote(s) marked reviewed).")
    click.echo(
        f"OK: {len(content.statements)} statements, {len(content.actors)} actors, "
        f"{len(content.stances)} stances, {len(content.sources)} sources, version {content.version}"
    )
