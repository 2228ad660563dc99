"""Error responses: JSON with an 'error' for the API, a friendly page for everyone else."""

from __future__ import annotations

from flask import Flask, Response, abort, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from quiz.i18n import N_, gettext
from quiz.views import api_request

# Our words for werkzeug's default descriptions (English only), so that error pages are translated.
DESCRIPTIONS = {
    404: N_("There is no page at this address. Check the link, or start from the front page."),
    405: N_("This address does not take that kind of request."),
    413: N_("The form or body sent is larger than this service accepts."),
}
TITLES = {
    400: N_("Something is wrong with the address or the form"),
    401: N_("Login required"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    410: N_("This link no longer works"),
    413: N_("The request is too large"),
    503: N_("The service is temporarily unavailable"),
}


try:  # gunicorn's own errors for a body it cannot parse (a bad chunk size) are no OSError
    from gunicorn.http.errors import ParseException as ServerBodyError
except ImportError:  # served by something else
    ServerBodyError = ()  # type: ignore[assignment,misc]


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view built the exact response (e.g. an auth challenge)
            return error.response
        status = error.code or 500
        # What the error says besides its body: Allow on a 405, WWW-Authenticate on a 401...
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        if api_request():
            return jsonify({"error": error.description or error.name}), status, headers
        if request_ctx.url_adapter is None:  # a Host header werkzeug refuses: a page could not link to anything
            return Response(f"{error.name}: {error.description}", status, headers, mimetype="text/plain")
        title = gettext(TITLES[status]) if status in TITLES else error.name
        message = error.description
        if status in DESCRIPTIONS and message == type(error).description:  # werkzeug's own English text
            message = gettext(DESCRIPTIONS[status])
        return render_template("error.html", title=title, message=message, status=status), status, headers

    @app.before_request
    def read_body() -> None:
        """Read a posted body whole first (it is at most MAX_CONTENT_LENGTH), so that a truncated,
        malformed or oversized one is a 4xx here, not an exception inside a form or JSON parser."""
        if request.method != "POST":
            return
        try:
            request.get_data(cache=True)  # the form parser reads the cached bytes
            request.stream.read(1)  # past the limit: a 413 (a chunked body has no length to check first)
        except ServerBodyError:
            abort(400, description="The request body is malformed.")
