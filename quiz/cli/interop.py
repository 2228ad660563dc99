"""Open VAA data: import qual-o-mat, export-content."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import DATA_OPTION, load_or_fail, main


@main.group("import")
def import_group() -> None:
    """Turn open voter-advice data into a quiz data directory."""


@import_group.command("qual-o-mat")
@click.argument("election", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The quiz data directory to write.")
@click.option("--force", is_flag=True, help="Replace --out if it is not empty.")
def import_qualomat_command(election: Path, out: Path, force: bool) -> None:
    """Import one election of the open Wahl-O-Mat data (qual-o-mat-data JSON).

    Example: quiz import qual-o-mat qual-o-mat-data/data/2021/deutschland --out ./btw21 && quiz serve --data ./btw21
    """
    from quiz.interop.qualomat import InteropError, import_qualomat
    from quiz.loading import ContentError, load_content

    try:
        report = import_qualomat(election, out, force)
        content = load_content(out)
    except (InteropError, ContentError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Imported {report.parties} parties, {report.statements} statements, {report.stances} positions "
               f"({report.empty_comments} without a justification) into {out}; version {content.version}.")
    if report.dropped:
        click.echo(f"Dropped (fewer than two parties answered, or all alike): {', '.join(report.dropped)}", err=True)


@main.command("export-content")
@DATA_OPTION
@click.option("--format", "fmt", type=click.Choice(["qual-o-mat"]), default="qual-o-mat", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Directory to write the JSON files to.")
def export_content(data_dir: Path | None, fmt: str, out: Path) -> None:
    """Write the quiz content in an open format (positions collapse to agree / disagree / neutral).

    Example: quiz export-content --format qual-o-mat --out ./rusreform-qualomat
    """
    from quiz.app import default_data_dir
    from quiz.interop.qualomat import export_qualomat

    content = load_or_fail(data_dir)
    export_qualomat(content, data_dir or default_data_dir(), out)
    click.echo(f"Wrote {len(content.actors)} parties and {len(content.statements)} statements to {out}.")
