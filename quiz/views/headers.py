"""Headers on every response: framing per page kind, no referrer leaks, a strict CSP, Vary.

Pages outside embed mode may not be framed at all (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``). Embed pages may be framed by their partner's origins only;
X-Frame-Options cannot list several origins, so it is left out there and CSP decides.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from quiz.i18n import current_language

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}")
# Every page may differ by compression (gzip) and by the reader's languages (when the URL has no
# ?lang=): caches must keep them apart.
VARY = ("Accept-Encoding", "Accept-Language")
NOT_FRAMED = CSP.format(ancestors="'none'")
COMMON_HEADERS = {
    # Result URLs carry the voter's answers: they must never leak through a Referer header.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def register(app: Flask) -> None:
    @app.after_request
    def secure(response: Response) -> Response:
        partner = getattr(g, "partner", None)
        if partner is not None:
            response.headers["Content-Security-Policy"] = CSP.format(ancestors=" ".join(partner.origins))
        else:
            response.headers["Content-Security-Policy"] = NOT_FRAMED
            response.headers["X-Frame-Options"] = "DENY"
        for name, value in COMMON_HEADERS.items():
            response.headers.setdefault(name, value)
        if "Vary" in response.headers:
            response.vary.update(VARY)
        else:  # the common case, without parsing a header set
            response.headers["Vary"] = ", ".join(VARY)
        response.headers["Content-Language"] = current_language()
        if request.is_secure:  # behind TLS (directly, or via a trusted proxy's X-Forwarded-Proto)
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
