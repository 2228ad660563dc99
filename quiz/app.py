"""The Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from quiz.loading import load_content

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_BODY_BYTES = 64 * 1024


def default_data_dir() -> Path:
    """``QUIZ_DATA_DIR`` if set, else the repository root (the bundled quiz)."""
    return Path(os.environ.get("QUIZ_DATA_DIR") or REPO_ROOT)


def create_app(data_dir: str | Path | None = None, config: dict[str, Any] | None = None) -> Flask:
    """Build the app for the quiz in ``data_dir``; invalid content raises ContentError."""
    app = Flask(__name__, static_folder=str(REPO_ROOT / "static"), static_url_path="/static")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.json.sort_keys = False  # keep the documented field order
    app.config.update(config or {})
    app.extensions["quiz_content"] = load_content(data_dir or default_data_dir())

    from quiz.views import api, errors, headers, pages, sources

    app.register_blueprint(pages.bp)
    app.register_blueprint(sources.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    headers.register(app)
    app.jinja_env.globals.update(pages.template_globals())
    return app
