"""The JSON API described as OpenAPI 3, built from the content so statement ids are listed."""

from __future__ import annotations

from flask import Blueprint, jsonify

from quiz.model import BASES
from quiz.views import get_content, origin, quiz_slug

bp = Blueprint("openapi", __name__)

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
QUOTE = {"type": "object", "required": ["source", "text", "lines"], "properties": {
    "source": {"type": "string"}, "text": {"type": "string"},
    "lines": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}}}

NULLABLE_TEXT = {"type": "string", "nullable": True}
STATEMENT = {"id": {"type": "string"}, "text": {"type": "string"}, "topic": {"type": "string"},
             "text_en": NULLABLE_TEXT,
             "background": {**NULLABLE_TEXT, "description": "a short explanation of the statement, if any"},
             "translations": {"type": "object", "description": "texts in other languages, by language and field",
                              "additionalProperties": {"type": "object",
                                                       "additionalProperties": {"type": "string"}}}}
QUIZZES = {"type": "object", "required": ["several", "quizzes"], "properties": {
    "several": {"type": "boolean", "description": "whether each quiz lives under /<slug>/"},
    "quizzes": {"type": "array", "items": {"type": "object", "required": [
        "slug", "url", "api", "title", "languages", "statements", "actors", "version"], "properties": {
        "slug": {**NULLABLE_TEXT, "description": "null: the only quiz, at the site's root"},
        "url": {"type": "string"}, "api": {"type": "string"}, "title": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string"}},
        "statements": {"type": "integer"}, "actors": {"type": "integer"}, "version": {"type": "string"}}}}}}


def _errors(*codes: int) -> dict:
    return {str(code): {"description": "the problem, naming the field",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for code in codes}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document() -> dict:
    content = get_content()
    statement_ids = [s.id for s in content.statements]
    scale = list(content.scale)
    answers = {"type": "object", "additionalProperties": False, "minProperties": 1,
               "properties": {sid: {"type": "integer", "enum": [*scale, None], "nullable": True}
                              for sid in statement_ids},
               # at least one statement answered (not null)
               "anyOf": [{"required": [sid], "properties": {sid: {"type": "integer"}}} for sid in statement_ids]}
    weights = {"type": "object", "additionalProperties": False,
               "properties": {sid: {"type": "integer", "enum": [1, 2]} for sid in statement_ids}}
    match_request = {"type": "object", "required": ["answers"], "additionalProperties": False,
                     "properties": {"answers": answers, "weights": weights}}
    match_result = {"type": "object", "required": ["version", "results"], "properties": {
        "version": {"type": "string"},
        "results": {"type": "array", "items": {"type": "object", "required": ["actor", "score", "compared"],
                                                "properties": {"actor": {"type": "string"},
                                                               "score": {"type": "number", "nullable": True,
                                                                         "minimum": 0, "maximum": 100},
                                                               "compared": {"type": "integer", "minimum": 0}}}}}}
    quiz = {"type": "object", "required": ["version", "scale", "languages", "statements", "actors", "stances",
                                          "sources"],
            "properties": {
                "version": {"type": "string"},
                "scale": {"type": "array", "items": {"type": "integer", "enum": scale}},
                "languages": {"type": "array", "items": {"type": "string"}},
                "statements": {"type": "array", "items": {"type": "object", "required": ["id", "text", "topic"],
                                                           "properties": STATEMENT}},
                "actors": {"type": "array", "items": {"type": "object", "required": ["id", "name", "kind"]}},
                "stances": {"type": "array", "items": {"type": "object", "required": [
                    "actor", "statement", "position", "quotes"], "properties": {
                    "position": {"type": "integer", "nullable": True, "enum": [*scale, None]},
                    "basis": {"type": "string", "nullable": True, "enum": [*BASES, None]},
                    "quotes": {"type": "array", "items": QUOTE}}}},
                "sources": {"type": "array", "items": {"type": "object", "required": ["id", "title", "actor"]}}}}
    export = {"type": "object", "required": ["version", "filters", "covers", "records", "k", "method", "notes",
                                             "statements", "actors", "per_day", "per_partner"],
              "properties": {"version": {"type": "string"}, "records": {"type": "integer", "nullable": True},
                             "k": {"type": "integer"}, "method": {"type": "string", "enum": ["cell key"]},
                             "covers": {"type": "object", "description": (
                                 "the days counted ('from', 'to'): whole blocks that are over, of 'block_days' "
                                 "days (7: weeks, Monday to Sunday; 1: days)")},
                             "notes": {"type": "array", "items": {"type": "string"}}}}
    filters = [
        {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
        {"name": "partner", "in": "query", "schema": {"type": "string"}},
        *({"name": day, "in": "query", "schema": {"type": "string", "format": "date"},
           "description": "YYYY-MM-DD; 'from' must not be after 'to'. Whole weeks (Monday to Sunday, UTC), or "
                          "days where the quiz says so, that are over are counted: see 'covers' in the response"}
          for day in ("from", "to")),
        {"name": "version", "in": "query", "schema": {"type": "string", "enum": [content.version]},
         "description": "the served content's version: versions are never mixed"},
    ]
    source = {"type": "object", "required": ["id", "title", "actor", "text"],
              "properties": {k: {"type": "string"} for k in ("id", "title", "actor", "text")}}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{content.info.title}: JSON API", "version": "1",
                 "description": "Content, sources and matching of the quiz. No cookies; no data about callers is "
                                "stored. `version` in responses is a hash of the content."},
        # With several quizzes each has its API under /<slug>: its document's server says so.
        "servers": [{"url": origin() + (f"/{quiz_slug()}" if quiz_slug() else "")}],
        "paths": {
            "/api/v1/quizzes": {
                **({"servers": [{"url": origin()}]} if quiz_slug() else {}),  # the site's, not the quiz's
                "get": {"summary": "Every quiz this site serves, with the address of its API (several quizzes: "
                                   "each under /<slug>/, this document describes one of them)",
                        "responses": {"200": _json(QUIZZES, "the quizzes")}}},
            "/api/v1/quiz": {"get": {"summary": "Statements, actors, stances with quotes, sources",
                                     "responses": {"200": _json(quiz, "the whole quiz")}}},
            "/api/v1/sources/{source_id}": {"get": {
                "summary": "The clean text of one source (what quotes are verified against)",
                "parameters": [{"name": "source_id", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": [s.id for s in content.sources]}}],
                "responses": {"200": _json(source, "the source"), **_errors(404)}}},
            "/api/v1/match": {"post": {
                "summary": "Rank the actors for a voter's answers",
                "requestBody": {"required": True, "content": {"application/json": {"schema": match_request}}},
                "responses": {"200": _json(match_result, "actors ranked by score, then name"),
                              **_errors(400, 413)}}},
            "/api/v1/export": {"get": {
                "summary": "Aggregate, anonymous counts of the answers voters chose to share (never records)",
                "description": "Off (404) unless the server has an export token. Small counts are suppressed.",
                "security": [{"exportToken": []}],
                "parameters": filters,
                "responses": {"200": {"description": "the tables, with what was done to protect them",
                                      "content": {"application/json": {"schema": export},
                                                  "text/csv": {"schema": {"type": "string"}}}},
                              **_errors(400, 401, 404, 503)}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document",
                                             "responses": {"200": _json({"type": "object"}, "OpenAPI 3")}}},
        },
        "components": {"schemas": {"Error": ERROR},
                       "securitySchemes": {"exportToken": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(document())
