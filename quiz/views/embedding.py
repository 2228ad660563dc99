"""Embedding on partner news sites: partner ids in URLs, framing rights, the embed help page.

A page is in embed mode when its URL names a configured partner (``?partner=avisa``). Every
link and form of the quiz then carries the partner id (no cookie needed), the page drops the
site chrome, and its Content-Security-Policy lets only that partner's origins frame it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, g, render_template, request, url_for

from quiz.forms import PARTNER
from quiz.i18n import _
from quiz.partners import Partner
from quiz.views import get_content, origin, quiz_slug

bp = Blueprint("embedding", __name__)
# Pages of the quiz flow that stay inside the frame; source documents open in a new tab.
FRAMED_ENDPOINTS = {"pages.index", "pages.quiz", "pages.review", "pages.answers", "pages.result",
                    "pages.methodology"}


def partners() -> dict[str, Partner]:
    return current_app.extensions["quiz_partners"]


def register(app: Flask) -> None:
    @app.before_request
    def find_partner() -> None:
        g.partner = None
        if request.endpoint not in FRAMED_ENDPOINTS:  # e.g. the JSON API: its body is no form to parse
            return
        raw = request.args.get(PARTNER) or (request.form.get(PARTNER) if request.method == "POST" else None)
        if raw:
            g.partner = partners().get(raw)
            if g.partner is None:
                abort(400, description=_("Unknown partner “%(id)s”.", id=raw))
            if not g.partner.may_embed(quiz_slug()):  # so no page of this quiz says the partner may frame it
                partner, g.partner = g.partner, None
                abort(403, description=_("%(partner)s may not embed this quiz.", partner=partner.name))

    @app.url_defaults
    def keep_partner(endpoint: str, values: dict) -> None:
        if getattr(g, "partner", None) is not None and endpoint in FRAMED_ENDPOINTS:
            values.setdefault(PARTNER, g.partner.id)

    @app.context_processor
    def embed_context() -> dict:
        partner = getattr(g, "partner", None)
        return {"partner": partner, "embedded": partner is not None}


@bp.get("/embed")
def help_page():
    """How a news site embeds the quiz: the script snippet and a plain iframe fallback."""
    base = origin()
    return render_template("embed.html", content=get_content(), base=base, quiz=quiz_slug(),
                           script_url=base + url_for("static", filename="embed.js"),
                           configured=sorted((p for p in partners().values() if p.may_embed(quiz_slug())),
                                             key=lambda p: p.id))
