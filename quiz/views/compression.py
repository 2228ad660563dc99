"""gzip for text responses when the app is reached directly (``quiz serve``, a test client).

In production nginx compresses in front of the app and does not pass Accept-Encoding on
(deploy/nginx.conf.example), so this hook leaves those responses alone.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = ("text/html", "text/css", "text/plain", "text/csv", "application/javascript",
                "text/javascript", "application/json", "image/svg+xml")
MINIMUM_BYTES = 500


def accepts_gzip() -> bool:
    """Whether the client takes gzip, as RFC 9110 reads Accept-Encoding ("gzip;q=0" refuses it, "*" takes it)."""
    return request.accept_encodings["gzip"] > 0


def register(app: Flask) -> None:
    @app.after_request
    def compress(response: Response) -> Response:
        # Content-Encoding first: a response that already has one is left as it is.
        if ("Content-Encoding" in response.headers or response.status_code < 200 or response.status_code >= 300
                or response.mimetype not in COMPRESSIBLE or response.is_streamed and not response.direct_passthrough
                or not accepts_gzip()):
            return response
        response.direct_passthrough = False
        data = response.get_data()
        if len(data) < MINIMUM_BYTES:
            return response
        response.set_data(gzip.compress(data, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        return response
