"""The newsroom's aggregate export (JSON/CSV) and stats page, behind a bearer token.

No token configured (``QUIZ_EXPORT_TOKEN``) means both are off (404). The token is compared
in constant time. Browsers can open the stats page with HTTP Basic auth (any user name, the
token as password), so no cookie or session is needed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import re
from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from quiz import charts
from quiz.export import aggregate, protect, to_csv, to_json
from quiz.export.aggregate import SKIP
from quiz.i18n import _
from quiz.labels import ANSWER_LABELS, scale_labels
from quiz.storage import StorageError
from quiz.views import api_request, get_content, quiz_slug, with_query

bp = Blueprint("stats", __name__)
FILTERS = ("partner", "from", "to", "version")  # what the stats page and its export links share
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _presented_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value, validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return None
    return None


def _require_token() -> None:
    expected = current_app.config.get("QUIZ_EXPORT_TOKEN")
    if not expected:
        abort(404)
    presented = _presented_token()
    if presented is not None and hmac.compare_digest(presented.encode(), expected.encode()):
        return
    if api_request():
        raise Unauthorized("a valid export token is required: Authorization: Bearer TOKEN",
                           www_authenticate=WWWAuthenticate("bearer", {"realm": "Valgomat export"}))
    abort(Response(_("Login required: use the export token as the password."), 401,
                   {"WWW-Authenticate": 'Basic realm="Valgomat-statistikk", charset="UTF-8"'}))


def _day(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    with contextlib.suppress(ValueError):
        if DAY.fullmatch(raw):  # fromisoformat alone would also take 20260914 and 2026-W38-1
            return date.fromisoformat(raw)
    abort(400, description=f"'{name}' must be a date like 2026-09-14")


def _release() -> dict:
    content = get_content()
    if "epsilon" in request.args:  # the noise is the server's to choose, never the caller's
        abort(400, description="'epsilon' is no longer accepted: the export's disclosure control is fixed "
                               "(the cell key method), see the README")
    version = request.args.get("version")
    if version is not None and version != content.version:
        abort(400, description=f"'version' {version} is not the served content ({content.version}); "
                               "versions are never mixed")
    first_day, last_day = _day("from"), _day("to")
    if first_day and last_day and first_day > last_day:
        abort(400, description="'from' must not be after 'to'")
    try:
        counts = aggregate(current_app.extensions["quiz_recorder"].store, content,
                           partner=request.args.get("partner"), first_day=first_day, last_day=last_day,
                           quiz=quiz_slug())
    except StorageError:
        abort(503, description="the response database is not reachable")
    return protect(counts, k=current_app.config["QUIZ_SUPPRESS_BELOW"])


@bp.get("/api/v1/export")
def export():
    _require_token()
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        abort(400, description="'format' must be json or csv")
    release = _release()
    if fmt == "csv":
        return Response(to_csv(release), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="valgomat-{release["version"]}.csv"'})
    return Response(to_json(release), mimetype="application/json")


@bp.get("/stats")
def page():
    _require_token()
    content = get_content()
    release = _release()
    labels = {SKIP if k is None else str(k): _(v)
              for k, v in scale_labels(content.info.scale, ANSWER_LABELS[None]).items()}
    answer_bars = [charts.stacked(content.statement_by_id[s["id"]].text, s["answers"], labels)
                   for s in release["statements"]]
    top_bars = charts.simple([(content.actor_by_id[a["id"]].name, a["top_match"], content.actor_by_id[a["id"]].colour)
                              for a in release["actors"]])
    day_bars = charts.simple([(d["day"], d["count"], "#1d4ed8") for d in release["per_day"]])
    shown = [(name, value) for name, value in request.args.items(multi=True) if name in FILTERS]
    links = {fmt: with_query(url_for("stats.export"), urlencode([*shown, ("format", fmt)])) for fmt in ("csv", "json")}
    return render_template("stats.html", content=content, release=release, answer_bars=answer_bars,
                           top_bars=top_bars, day_bars=day_bars, colours=charts.ANSWER_COLOURS, labels=labels,
                           links=links, language_keeps=FILTERS)
