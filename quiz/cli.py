"""The ``quiz`` command: serve the app and validate content."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click

from quiz.app import default_data_dir
from quiz.loading import ContentError, load_content

DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=None,
    help="Quiz data directory (default: $QUIZ_DATA_DIR, else the bundled quiz).",
)


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
