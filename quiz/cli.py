"""The ``quiz`` command: serve, validate, manage the database, export aggregates.

Each subcommand is a thin shell over the library functions it names, so that everything
the CLI does can be done from Python too.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click

from quiz import config
from quiz.app import default_data_dir
from quiz.loading import ContentError, load_content

DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=None,
    help="Quiz data directory (default: $QUIZ_DATA_DIR, else the bundled quiz).",
)


def _content(data_dir: Path | None):
    try:
        return load_content(data_dir or default_data_dir())
    except ContentError as error:
        raise click.ClickException(str(error)) from error


def _store():
    from quiz.storage import open_store

    try:
        return open_store(config.from_environment()["DATABASE_URL"])
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def main() -> None:
    """A voter advice quiz engine."""


@main.command()
@DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Load the content and report every problem (file, id, what is wrong).

    Example: quiz validate --data ./my-quiz
    """
    try:
        content = load_content(data_dir or default_data_dir())
    except ContentError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(
        f"OK: {len(content.statements)} statements, {len(content.actors)} actors, "
        f"{len(content.stances)} stances, {len(content.sources)} sources, version {content.version}"
    )


@main.command()
@DATA_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(data_dir: Path | None, host: str, port: int) -> None:
    """Run the app (a development server; see the README for production).

    Example: quiz serve --port 8000
    """
    from quiz.app import create_app

    settings = {}
    if not os.environ.get("SECRET_KEY"):
        click.echo("SECRET_KEY is not set: using a throwaway key for this process (fine for trying it out).",
                   err=True)
        settings["SECRET_KEY"] = secrets.token_urlsafe(32)
    try:
        app = create_app(data_dir, settings)
    except ContentError as error:
        click.echo(f"Refusing to start: {error}", err=True)
        sys.exit(1)
    app.run(host=host, port=port, threaded=True)


@main.group()
def db() -> None:
    """The response database ($DATABASE_URL; default: SQLite in instance/)."""


@db.command()
def upgrade() -> None:
    """Create or migrate the schema. Example: DATABASE_URL=postgresql://… quiz db upgrade"""
    from quiz.storage import StorageError

    store = _store()
    try:
        store.upgrade()
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Database schema is up to date.")


@db.command()
def deliver() -> None:
    """Deliver records spooled while the database was down. Example: quiz db deliver"""
    from quiz.storage import StorageError
    from quiz.storage.spool import Spool, SpoolError

    try:
        delivered = Spool(config.from_environment()["QUIZ_SPOOL"]).deliver(_store())
    except (StorageError, SpoolError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Delivered {delivered} spooled record(s).")


@main.command("export")
@DATA_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--partner", default=None, help="Only records that came through this partner.")
@click.option("--from", "first_day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "last_day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (YYYY-MM-DD).")
@click.option("--version", "version", default=None,
              help="Quiz version to export; must be the version of the content in --data (the default).")
@click.option("--k", "k", type=click.IntRange(min=1), default=None, help="Suppress counts below k (default 10).")
@click.option("--epsilon", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Add differential-privacy noise with this total budget.")
def export(data_dir, fmt, partner, first_day, last_day, version, k, epsilon) -> None:
    """Aggregate, anonymous results: never individual records.

    Example: quiz export --format csv --partner avisa --from 2026-09-01 --to 2026-09-08
    """
    from quiz.export import aggregate, protect, to_csv, to_json
    from quiz.storage import StorageError

    content = _content(data_dir)
    store = _store()
    try:
        if version is not None and version != content.version:
            stored = ", ".join(store.versions()) or "none"
            raise click.ClickException(
                f"version {version} is not the content in --data (version {content.version}); versions are "
                f"never mixed, so export each with its own content. Stored versions: {stored}")
        counts = aggregate(store, content, partner=partner,
                           first_day=first_day and first_day.date(), last_day=last_day and last_day.date())
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    release = protect(counts, k=k or config.from_environment()["QUIZ_SUPPRESS_BELOW"], epsilon=epsilon)
    click.echo(to_json(release) if fmt == "json" else to_csv(release), nl=False)
