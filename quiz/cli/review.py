"""Each actor checks its coding before publication: review invite, review status."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from quiz import config
from quiz.cli import DATA_OPTION, QUIZ_OPTION, chosen_quiz_dir, load_or_fail, main, open_configured_store
from quiz.coding_review import DEFAULT_DAYS, PATH, ReviewLinks, invitations, status_report


@main.group()
def review() -> None:
    """Let each actor confirm or dispute its coding, and see what they said."""


@review.command()
@DATA_OPTION
@QUIZ_OPTION
@click.option("--days", type=click.IntRange(min=1, max=365), default=DEFAULT_DAYS, show_default=True,
              help="Days until the links expire.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the quiz is served (the links start with it).")
def invite(data_dir: Path | None, slug: str | None, days: int, base_url: str) -> None:
    """Print one signed, expiring link per actor: its page shows the actor's coding to confirm or dispute.

    Signed with $SECRET_KEY, the app's: run it with the key the server has.
    Example: SECRET_KEY=… quiz review invite --days 14 --base-url https://valgomat.example.no
    """
    secret = config.from_environment().get("SECRET_KEY")
    if not secret:
        raise click.ClickException("SECRET_KEY must be set to the key the app is served with (it signs the links)")
    content = load_or_fail(chosen_quiz_dir(data_dir, slug))
    links = ReviewLinks(secret)
    prefix = base_url.rstrip("/") + (f"/{slug}" if slug else "")  # among several quizzes, each lives under its slug
    for invitation in invitations(content, days):
        actor = content.actor_by_id[invitation.actor]
        click.echo(f"{actor.id}\t{actor.name}\t{prefix}{PATH}{links.issue(invitation)}")
    until = datetime.now(UTC).timestamp() + days * 86400
    click.echo(f"The links expire on {datetime.fromtimestamp(until, UTC):%Y-%m-%d %H:%M} UTC and hold for content "
               f"version {content.version} only: a changed content needs new links.", err=True)


@review.command()
@DATA_OPTION
@QUIZ_OPTION
def status(data_dir: Path | None, slug: str | None) -> None:
    """Per actor, what it confirmed or disputed (with its comments), for the editor to record in the content.

    Example: quiz review status --data ./my-quiz
    """
    from quiz.storage import StorageError

    content = load_or_fail(chosen_quiz_dir(data_dir, slug))
    try:
        reviews = open_configured_store().coding_reviews()
    except StorageError as error:
        raise click.ClickException(f"{error} (has `quiz db upgrade` been run?)") from error
    click.echo(status_report(content, reviews), nl=False)
