"""The Flask application factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from quiz import config
from quiz.export.disclosure import check_k
from quiz.partners import load_partners
from quiz.quizzes import load_quizzes
from quiz.ratelimit import StoreRateLimit
from quiz.recording import Recorder
from quiz.richtext import render_markdown
from quiz.storage import open_store
from quiz.storage.counters import SharedCounters
from quiz.storage.spool import Spool
from quiz.tokens import FormTokens
from quiz.views.rendering import KeptHtml

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_BODY_BYTES = 64 * 1024


class NoSessions(SessionInterface):
    """The quiz keeps no session: no cookie on any path. Flask's default would still build a
    signing serializer for every request (we have a SECRET_KEY, for the form tokens); this
    skips that, and any attempt to write to ``session`` fails loudly (a NullSession)."""

    def open_session(self, app: Flask, request) -> None:
        return None  # Flask then uses make_null_session

    def save_session(self, app: Flask, session, response) -> None:
        return None


def default_data_dir() -> Path:
    """``QUIZ_DATA_DIR`` if set, else the repository root (the bundled quiz)."""
    return Path(os.environ.get("QUIZ_DATA_DIR") or REPO_ROOT)


def create_app(data_dir: str | Path | None = None, settings: dict[str, Any] | None = None) -> Flask:
    """Build the app for the quiz in ``data_dir``, or for each quiz in it (see :mod:`quiz.quizzes`);
    invalid content raises ContentError (naming the quiz), a bad quiz directory name QuizDirectoryError.

    ``settings`` override the environment (see :mod:`quiz.config`); ``SECRET_KEY`` is required.
    """
    app = Flask(__name__, static_folder=str(REPO_ROOT / "static"), static_url_path="/static")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.config.update(config.from_environment())
    app.config.update(settings or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (it signs the quiz form tokens); see the README")
    check_k(app.config["QUIZ_SUPPRESS_BELOW"])  # refused at start, not at the first export
    app.json.sort_keys = False  # keep the documented field order
    app.session_interface = NoSessions()
    app.extensions["quiz_contents"] = load_quizzes(data_dir or default_data_dir())  # see quiz.views.get_content
    if None in app.extensions["quiz_contents"]:  # one quiz: its content, for scripts and tests that read it
        app.extensions["quiz_content"] = app.extensions["quiz_contents"][None]
    app.extensions["quiz_partners"] = load_partners(app.config.get("QUIZ_PARTNERS"),
                                                    [slug for slug in app.extensions["quiz_contents"] if slug])
    app.extensions["quiz_recorder"] = Recorder(
        store=open_store(app.config["DATABASE_URL"]),
        spool=Spool(app.config["QUIZ_SPOOL"]),
        tokens=FormTokens(app.config["SECRET_KEY"], app.config["QUIZ_MIN_SECONDS"], app.config["QUIZ_TOKEN_MAX_AGE"]),
        rate_limit=StoreRateLimit(app.config["QUIZ_STORE_LIMIT"], app.config["QUIZ_RATELIMIT_STORAGE"],
                                  app.config["SECRET_KEY"]),
        counts=SharedCounters(app.config["QUIZ_COUNTS"]),
        delivery_interval=app.config["QUIZ_DELIVERY_INTERVAL"],
    )
    app.extensions["quiz_kept_html"] = KeptHtml(int(app.config["QUIZ_KEPT_HTML_MB"] * 2**20))
    if app.config["QUIZ_TRUSTED_PROXIES"]:
        hops = app.config["QUIZ_TRUSTED_PROXIES"]
        # Not X-Forwarded-Host: the proxy passes Host (deploy/nginx.conf.example), and a forwarded host
        # a client could set would choose the share link's host on pages an edge cache shares.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    logging.getLogger("quiz").setLevel(logging.INFO)

    from quiz import explanations, i18n
    from quiz.views import (
        api,
        assets,
        coding_review,
        compression,
        embedding,
        errors,
        headers,
        health,
        language,
        openapi,
        pages,
        quizzes,
        rendering,
        sources,
        stats,
    )

    # Each quiz's pages and API: under /<slug> with several quizzes.
    quizzes.register(app, [pages.bp, sources.bp, api.bp, embedding.bp, stats.bp, openapi.bp, coding_review.bp])
    app.register_blueprint(assets.bp)
    app.register_blueprint(health.bp)
    errors.register(app)  # first (but the language's): its before_request reads a posted body before any hook parses it
    i18n.register(app)
    language.register(app)
    assets.register(app)
    embedding.register(app)
    headers.register(app)
    compression.register(app)
    app.jinja_env.globals.update(rendering.template_globals())
    app.jinja_env.globals["explanations"] = explanations  # texts generated from the quiz: its scale, its bases
    app.jinja_env.filters["markdown"] = render_markdown
    return app
