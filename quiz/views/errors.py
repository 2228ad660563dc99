"""Error responses: JSON with an 'error' for the API, a friendly page for everyone else."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from quiz.i18n import N_, gettext

TITLES = {
    400: N_("Something is wrong with the address or the form"),
    401: N_("Login required"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    413: N_("The request is too large"),
    503: N_("The service is temporarily unavailable"),
}


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view built the exact response (e.g. an auth challenge)
            return error.response
        status = error.code or 500
        if request.path.startswith("/api/"):
            return jsonify({"error": error.description or error.name}), status
        title = gettext(TITLES[status]) if status in TITLES else error.name
        return render_template("error.html", title=title, message=error.description,
                               status=status), status
