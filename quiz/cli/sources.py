"""Source documents: sources add."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli import DATA_OPTION, main
from quiz.model import SOURCE_KINDS


@main.group()
def sources() -> None:
    """The quiz's source documents."""


@sources.command("add")
@DATA_OPTION
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--actor", required=True, help="Id of the actor that wrote it (stances/<actor>.toml).")
@click.option("--title", default=None, help="Default: the PDF/HTML title, else the first line.")
@click.option("--id", "source_id", default=None, help="Source id (default: <actor>-<file name>).")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default=None)
@click.option("--language", default="nb", show_default=True)
@click.option("--url", default=None, help="Where the original was published.")
def add(data_dir, file, actor, title, source_id, kind, language, url) -> None:
    """Add a text, PDF or HTML document as a source; re-adding a changed one reports broken quotes.

    Example: quiz sources add program.pdf --actor ap --title "Arbeiderpartiets program 2025-2029"
    """
    from quiz.app import default_data_dir
    from quiz.documents import DocumentError, add_source

    try:
        report = add_source(data_dir or default_data_dir(), file, actor, source_id=source_id, title=title,
                            kind=kind, language=language, url=url)
    except DocumentError as error:
        raise click.ClickException(str(error)) from error
    numbering = " (with the document's own line numbers)" if report.line_numbers else ""
    click.echo(f"{report.source_id}: {report.status}{numbering}.")
    if report.created_actor:
        click.echo(f"stances/{actor}.toml: created for the new actor; give it a name, kind, colour and its stances.")
    if report.todos:
        click.echo(f"To do for this source ({len(report.todos)}):")
        click.echo("".join(f"  [ ] {todo}\n" for todo in report.todos), nl=False)
    if report.other_problems:
        click.echo(f"({report.other_problems} other to-do(s) or problem(s) in the quiz: `quiz validate` lists them.)")
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) with this source: fix them, then run quiz validate:", err=True)
        for problem in report.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
