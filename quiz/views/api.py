"""The JSON API, version 1: the contract other clients and our own tests rely on."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from quiz.ballot import Ballot, BallotError
from quiz.results import rank_actors
from quiz.views import get_content

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MATCH_FIELDS = {"answers", "weights"}


def _quote_json(quote) -> dict:
    return {"source": quote.source, "text": quote.text, "lines": list(quote.lines)}


def _translations(obj) -> dict[str, dict[str, str]]:
    """An object's texts in other languages than the content's: {"nn": {"text": …, "background": …}}."""
    found: dict[str, dict[str, str]] = {}
    for field, language, text in obj.translations:
        found.setdefault(language, {})[field] = text
    return found


@bp.get("/quiz")
def quiz():
    content = get_content()
    return jsonify({
        "version": content.version,
        "scale": list(content.scale),
        "languages": list(content.info.languages),
        "statements": [{"id": s.id, "text": s.text, "text_en": s.text_en, "topic": s.topic,
                        "background": s.background, "translations": _translations(s)}
                       for s in content.statements],
        "actors": [{"id": a.id, "name": a.name, "short_name": a.short_name, "kind": a.kind,
                    "colour": a.colour, "text_colour": a.text_colour, "parent": a.parent} for a in content.actors],
        "stances": [{"actor": s.actor, "statement": s.statement, "position": s.position,
                     "basis": s.basis, "rationale": s.rationale,
                     "quotes": [_quote_json(q) for q in s.quotes],
                     "notes": [{**_quote_json(q), "label": q.label} for q in s.notes]}
                    for s in content.stances],
        "sources": [{"id": s.id, "title": s.title, "actor": s.actor, "kind": s.kind}
                    for s in content.sources],
    })


@bp.get("/sources/<source_id>")
def source(source_id: str):
    found = get_content().source_by_id.get(source_id)
    if found is None:
        abort(404, description=f"no source with id {source_id!r}")
    return jsonify({"id": found.id, "title": found.title, "actor": found.actor, "text": found.text})


@bp.post("/match")
def match():
    content = get_content()
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes, within the size limit
        body = None
    if not isinstance(body, dict):
        abort(400, description="the body must be a JSON object with 'answers' (and optional 'weights')")
    unknown = sorted(set(body) - MATCH_FIELDS)
    if unknown:
        abort(400, description=f"unknown field {unknown[0]!r}")
    if "answers" not in body:
        abort(400, description="'answers' is missing")
    try:
        ballot = Ballot.parse(content, body["answers"], body.get("weights"))
    except BallotError as error:
        abort(400, description=str(error))
    return jsonify({
        "version": content.version,
        "results": [{"actor": actor.id, "score": score, "compared": compared}
                    for actor, score, compared in rank_actors(content, ballot)],
    })
