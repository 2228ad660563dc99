"""Open VAA data and spreadsheets: import qual-o-mat, import csv, export-content."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import DATA_OPTION, load_draft_or_fail, load_or_fail, main


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


@import_group.command("csv")
@click.argument("directory", type=click.Path(path_type=Path))
@DATA_OPTION
def import_csv_command(directory: Path, data_dir: Path | None) -> None:
    """Read statements.csv and positions.csv back into the quiz's statements and stances.

    Nothing is written while a problem remains; each names its CSV row and column.

    Example: quiz import csv ./sheets --data ./my-quiz
    """
    from quiz.app import default_data_dir
    from quiz.authoring.spreadsheet import SpreadsheetError, import_csv
    from quiz.cli.content import report_problems

    load_draft_or_fail(data_dir)
    try:
        todos = import_csv(directory, data_dir or default_data_dir())
    except SpreadsheetError as error:
        report_problems(error.problems)
        raise click.ClickException("nothing imported: fix the cells above and import again") from error
    click.echo(f"Imported {directory} into {data_dir or default_data_dir()}.")
    report_problems(todos)


@main.command("export-content")
@DATA_OPTION
@click.option("--format", "fmt", type=click.Choice(["qual-o-mat", "csv"]), default="qual-o-mat", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Directory to write the files to.")
@click.option("--bom", is_flag=True, help="csv: start each file with a UTF-8 byte order mark (for Excel).")
def export_content(data_dir: Path | None, fmt: str, out: Path, bom: bool) -> None:
    """Write the quiz content in an open format, or as spreadsheets to edit and import again.

    qual-o-mat: positions collapse to agree / disagree / neutral. csv: statements.csv and
    positions.csv (one row per quote), read back by `quiz import csv`.

    Example: quiz export-content --format csv --bom --out ./sheets
    """
    from quiz.app import default_data_dir

    if fmt == "csv":
        from quiz.authoring.spreadsheet import export_csv

        load_draft_or_fail(data_dir)
        statements, positions = export_csv(data_dir or default_data_dir(), out, bom)
        click.echo(f"Wrote {out / 'statements.csv'} ({statements} rows) and {out / 'positions.csv'} "
                   f"({positions} rows).")
        return
    from quiz.interop.qualomat import export_qualomat

    content = load_or_fail(data_dir)
    export_qualomat(content, data_dir or default_data_dir(), out)
    click.echo(f"Wrote {len(content.actors)} parties and {len(content.statements)} statements to {out}.")
