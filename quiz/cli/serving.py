"""Running the app: serve."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click

from quiz.cli import DATA_OPTION, main
from quiz.loading import ContentError
from quiz.quizzes import QuizDirectoryError


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
    except (ContentError, QuizDirectoryError) as error:
        click.echo(f"Refusing to start: {error}", err=True)
        sys.exit(1)
    app.run(host=host, port=port, threaded=True)
