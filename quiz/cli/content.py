"""Content commands: validate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.app import default_data_dir
from quiz.cli import DATA_OPTION, main
from quiz.loading import ContentError, load_content


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
        click.echo(str(error), err=True)
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
