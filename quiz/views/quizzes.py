"""Several quizzes in one app: each quiz's pages and API under ``/<slug>/``, and the list of them.

With a directory of quizzes the quiz's blueprints are registered once, under a ``/<slug>``
prefix that only the served slugs match; the slug is taken out of the URL values into
``g.quiz`` before any other hook (so :func:`quiz.views.get_content` answers for that quiz), and
put back into every ``url_for`` of an endpoint that needs it. Storage, partners and settings
stay one for all quizzes. With one quiz nothing here changes an address.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, render_template, url_for

from quiz.i18n import localized
from quiz.views import served_quizzes, several_quizzes

QUIZ = "quiz"  # the URL value naming the quiz
bp = Blueprint("quizzes", __name__)  # in both layouts: the API's list of quizzes
listing = Blueprint("listing", __name__)  # several quizzes only: the site's front page


def quiz_prefix(app: Flask) -> str:
    """The URL prefix of a quiz's pages: empty with one quiz, ``/<any(a,b):quiz>`` with several."""
    slugs = [slug for slug in app.extensions["quiz_contents"] if slug is not None]
    return f"/<any({','.join(slugs)}):{QUIZ}>" if slugs else ""


def register(app: Flask, quiz_blueprints: list[Blueprint]) -> None:
    """Register ``quiz_blueprints`` per quiz (under the quiz prefix), the list of quizzes, and the slug's hooks."""
    prefix = quiz_prefix(app)
    for blueprint in quiz_blueprints:
        app.register_blueprint(blueprint, url_prefix=prefix + (blueprint.url_prefix or "") or None)
    app.register_blueprint(bp)
    if not prefix:
        return
    app.register_blueprint(listing)

    @app.url_value_preprocessor
    def choose_quiz(endpoint: str | None, values: dict | None) -> None:
        if values and QUIZ in values:
            g.quiz = values.pop(QUIZ)

    @app.url_defaults
    def keep_quiz(endpoint: str, values: dict) -> None:
        if QUIZ not in values and g.get("quiz") and app.url_map.is_endpoint_expecting(endpoint, QUIZ):
            values[QUIZ] = g.quiz


def _entries() -> list[dict]:
    """Each quiz as the list shows it: its address, title in the UI language, languages and size."""
    return [{"slug": slug, "url": url_for("pages.index", **({QUIZ: slug} if slug else {})),
             "api": url_for("api.quiz", **({QUIZ: slug} if slug else {})),
             "title": localized(content.info, "title", content.info.language), "languages": content.info.languages,
             "statements": len(content.statements), "actors": len(content.actors), "version": content.version}
            for slug, content in served_quizzes().items()]


@listing.get("/")
def index():
    """The front page of a site with several quizzes: each one, linked."""
    return render_template("quizzes.html", quizzes=_entries())


@bp.get("/api/v1/quizzes")
def api_list():
    """Every quiz served: its slug (null for one quiz at the root), title, languages, size and addresses."""
    return jsonify({"several": several_quizzes(), "quizzes": [
        {**entry, "title": entry["title"].text, "languages": list(entry["languages"])} for entry in _entries()]})
