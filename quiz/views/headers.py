"""Headers on every response: framing per page kind, no referrer leaks, a strict CSP, Vary.

Pages outside embed mode may not be framed at all (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``). Embed pages may be framed by their partner's origins only;
X-Frame-Options cannot list several origins, so it is left out there and CSP decides.
"""

from __future__ import annotations

from functools import lru_cache

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
        ours = response_headers(partner.origins if partner is not None else None, current_language(),
                                request.is_secure)  # behind TLS (directly, or via a trusted proxy's X-Forwarded-Proto)
        headers = response.headers
        present = {name.lower() for name, _ in headers}  # one pass, instead of a scan per header
        for name, value in ours:
            lowered = name.lower()
            if lowered not in present:
                headers.add(name, value)
            elif lowered == "vary":
                response.vary.update(VARY)
            elif name not in COMMON_HEADERS:  # a view's own Referrer-Policy or nosniff stays
                headers[name] = value
        return response


@lru_cache(maxsize=256)
def response_headers(ancestors: tuple[str, ...] | None, language: str, tls: bool) -> tuple[tuple[str, str], ...]:
    """The headers every response gets, for a page framed by ``ancestors`` (None: not framable), in
    ``language``, over TLS or not: the same few combinations again and again, so made once each."""
    if ancestors is None:
        framing = [("Content-Security-Policy", NOT_FRAMED), ("X-Frame-Options", "DENY")]
    else:
        framing = [("Content-Security-Policy", CSP.format(ancestors=" ".join(ancestors)))]
    transport = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")] if tls else []
    return (*framing, *COMMON_HEADERS.items(), ("Vary", ", ".join(VARY)), ("Content-Language", language), *transport)
