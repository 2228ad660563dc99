"""The response database and its aggregate export: db upgrade, db deliver, export."""

from __future__ import annotations

import click

from quiz import config
from quiz.cli import DATA_OPTION, QUIZ_OPTION, chosen_quiz_dir, load_or_fail, main, open_configured_store
from quiz.export.disclosure import MIN_K


@main.group()
def db() -> None:
    """The response database ($DATABASE_URL; default: SQLite in instance/)."""


@db.command()
def upgrade() -> None:
    """Create or migrate the schema. Example: DATABASE_URL=postgresql://… quiz db upgrade"""
    from quiz.storage import StorageError

    store = open_configured_store()
    try:
        store.upgrade()
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Database schema is up to date.")


@db.command()
def deliver() -> None:
    """Deliver records spooled while the database was down. Example: quiz db deliver

    Corrupt spool lines (a torn write) are moved to the spool's .corrupt file and counted as lost."""
    from quiz.storage import StorageError
    from quiz.storage.counters import SharedCounters
    from quiz.storage.spool import Spool, SpoolError

    settings = config.from_environment()
    spool = Spool(settings["QUIZ_SPOOL"])
    try:
        done = spool.deliver(open_configured_store())
    except (StorageError, SpoolError) as error:
        raise click.ClickException(str(error)) from error
    if done.busy:
        click.echo("Another process (an app worker) is delivering the spool now: nothing to do.")
        return
    counts = SharedCounters(settings["QUIZ_COUNTS"])
    counts.add("delivered", done.delivered)
    counts.add("lost", done.lost)
    click.echo(f"Delivered {done.delivered} spooled record(s).")
    if done.lost:
        click.echo(f"Lost {done.lost} record(s) to corrupt spool bytes, kept in {spool.quarantine_path}.", err=True)


@main.command("export")
@DATA_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--partner", default=None, help="Only records that came through this partner.")
@click.option("--from", "first_day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "last_day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (YYYY-MM-DD).")
@click.option("--version", "version", default=None,
              help="Quiz version to export; must be the version of the content in --data (the default).")
@click.option("--k", "k", type=click.IntRange(min=MIN_K), default=None,
              help=f"Publish counts below k as 0 (default: QUIZ_SUPPRESS_BELOW, 10; at least {MIN_K}).")
@QUIZ_OPTION
def export(data_dir, fmt, partner, first_day, last_day, version, k, slug) -> None:
    """Aggregate, anonymous results: never individual records (of one quiz: --quiz with several).

    Example: quiz export --format csv --partner avisa --from 2026-09-01 --to 2026-09-08
    """
    from quiz.export import aggregate, protect, to_csv, to_json
    from quiz.storage import StorageError

    content = load_or_fail(chosen_quiz_dir(data_dir, slug))
    store = open_configured_store()
    try:
        if version is not None and version != content.version:
            stored = ", ".join(store.versions()) or "none"
            raise click.ClickException(
                f"version {version} is not the content in --data (version {content.version}); versions are "
                f"never mixed, so export each with its own content. Stored versions: {stored}")
        counts = aggregate(store, content, partner=partner, quiz=slug,
                           first_day=first_day and first_day.date(), last_day=last_day and last_day.date())
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    try:
        release = protect(counts, k=k or config.from_environment()["QUIZ_SUPPRESS_BELOW"])
    except ValueError as error:  # a QUIZ_SUPPRESS_BELOW below the minimum
        raise click.ClickException(str(error)) from error
    click.echo(to_json(release) if fmt == "json" else to_csv(release), nl=False)
