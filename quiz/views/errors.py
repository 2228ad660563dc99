"""Error responses: JSON with an 'error' for the API, a friendly page for everyone else."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

TITLES = {
    400: "Noe er galt med adressen eller skjemaet",
    404: "Fant ikke siden",
    405: "Metoden er ikke tillatt",
    413: "Forespørselen er for stor",
    503: "Tjenesten er midlertidig utilgjengelig",
}


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view built the exact response (e.g. an auth challenge)
            return error.response
        status = error.code or 500
        if request.path.startswith("/api/"):
            return jsonify({"error": error.description or error.name}), status
        title = TITLES.get(status, error.name)
        return render_template("error.html", title=title, message=error.description,
                               status=status), status
