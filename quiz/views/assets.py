"""Static files under content-hashed names, cached for a year; a change gives a new name.

``asset_url("style.css")`` is ``/assets/style.<hash>.css``. Files partners link to by a fixed
name (``embed.js``) stay reachable under ``/static/`` with a short cache lifetime.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory, url_for

bp = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _digest(path: Path, mtime: float | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _hash(filename: str) -> str:
    """The first 12 hex digits of the file's SHA-256; OSError if there is no such file (or the name is too long).

    Outside debug mode the files do not change while the app runs (a deploy restarts it), so the
    digest is worked out once, not checked against the file's time on every page."""
    path = Path(current_app.static_folder) / filename  # read_bytes raises OSError for a folder too
    return _digest(path, path.stat().st_mtime if current_app.debug else None)


def asset_url(filename: str) -> str:
    stem, dot, suffix = filename.rpartition(".")
    return url_for("assets.serve", name=f"{stem}.{_hash(filename)}{dot}{suffix}")


@bp.get("/assets/<name>")
def serve(name: str):
    stem, _, rest = name.partition(".")
    digest, _, suffix = rest.partition(".")
    filename = f"{stem}.{suffix}"
    try:
        if "/" in filename or _hash(filename) != digest:
            abort(404)
    except OSError:
        abort(404)
    response = send_from_directory(current_app.static_folder, filename, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    if app.config["SEND_FILE_MAX_AGE_DEFAULT"] is None:  # Flask's default: no max-age, revalidate every time
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 300  # plain /static/ (embed.js): five minutes
