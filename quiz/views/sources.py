"""Source documents: the clean text quotes are verified against, and the original extraction."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template, request

from quiz.i18n import _
from quiz.views import get_content

bp = Blueprint("sources", __name__, url_prefix="/sources")
HIGHLIGHT = re.compile(r"([0-9]{1,7})-([0-9]{1,7})")  # ASCII digits: \d would take any script's


def _source(source_id: str):
    source = get_content().source_by_id.get(source_id)
    if source is None:
        abort(404, description=_("No source with id “%(id)s”.", id=source_id))
    return source


def _highlight(text_length: int) -> tuple[int, int] | None:
    raw = request.args.get("hl")
    if raw is None:
        return None
    match = HIGHLIGHT.fullmatch(raw)
    if not match or not int(match[1]) < int(match[2]) <= text_length:
        abort(400, description=_("Invalid highlight (hl): use start-end within the document."))
    return int(match[1]), int(match[2])


@bp.get("/<source_id>")
def show(source_id: str):
    source = _source(source_id)
    highlight = _highlight(len(source.text))
    blocks = []
    for block in source.document.blocks:
        if highlight and highlight[0] < block.end and block.start < highlight[1]:
            a = max(highlight[0], block.start) - block.start
            b = min(highlight[1], block.end) - block.start
            parts = (block.text[:a], block.text[a:b], block.text[b:])
        else:
            parts = (block.text, "", "")
        blocks.append((block, parts))
    first_marked = next((b for b, parts in blocks if parts[1]), None)
    return render_template("source.html", content=get_content(), source=source, blocks=blocks,
                           first_marked=first_marked, language_keeps=("hl",))


@bp.get("/<source_id>/original")
def original(source_id: str):
    return Response(_source(source_id).raw, mimetype="text/plain")
