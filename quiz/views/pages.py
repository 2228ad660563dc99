"""The voter's pages: start, quiz, result and methodology."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from quiz import labels
from quiz.ballot import BallotError
from quiz.forms import (
    ballot_from_form,
    ballot_query,
    quiz_form_class,
    repeated_answers,
    unexpected_params,
)
from quiz.model import Quote
from quiz.results import compute_result
from quiz.views import get_content

bp = Blueprint("pages", __name__)


def template_globals() -> dict:
    """Names every template may use: labels and the citation helpers."""
    return {"labels": labels, "cite": cite, "quote_url": quote_url, "get_content": get_content}


def cite(quote: Quote) -> str:
    """'Title, linje a–b' for a quote."""
    source = get_content().source_by_id[quote.source]
    first, last = quote.lines
    lines = f"linje {first}" if first == last else f"linje {first}–{last}"
    return f"{source.title}, {lines}"


def quote_url(quote: Quote) -> str:
    """Link to the source with the quoted passage highlighted."""
    return url_for("sources.show", source_id=quote.source, hl=f"{quote.span.start}-{quote.span.end}",
                   _anchor="q")


@bp.get("/")
def index():
    return render_template("index.html", content=get_content())


def _form():
    content = get_content()
    return quiz_form_class(content)(request.args), content


@bp.get("/quiz")
def quiz():
    form, content = _form()
    if request.args:
        form.validate()  # coming back from a result: show the answers, mark tampered values
    return render_template("quiz.html", content=content, form=form)


@bp.get("/result")
def result():
    form, content = _form()
    unknown = unexpected_params(content, request.args)
    if unknown:
        abort(400, description=f"Ukjente felt i adressen: {', '.join(unknown)}")
    repeated = repeated_answers(content, request.args)
    if repeated:
        abort(400, description=f"Påstanden {repeated[0]} er besvart flere ganger i adressen.")
    if not form.validate():
        return render_template("quiz.html", content=content, form=form,
                               problem="Noen svar er ugyldige. Se markeringene nedenfor."), 400
    try:
        ballot = ballot_from_form(content, form)
    except BallotError:
        return render_template("quiz.html", content=content, form=form,
                               problem="Svar på minst én påstand for å få et resultat."), 400
    outcome = compute_result(content, ballot)
    return render_template("result.html", content=content, result=outcome, ballot=ballot,
                           query=ballot_query(content, ballot))


@bp.get("/methodology")
def methodology():
    content = get_content()
    coverage = []
    for actor in content.actors:
        mine = [content.stance(actor.id, s.id) for s in content.statements]
        coverage.append({
            "actor": actor,
            "explicit": sum(1 for s in mine if s.position is not None and not s.inferred),
            "inferred": sum(1 for s in mine if s.position is not None and s.inferred),
            "none": sum(1 for s in mine if s.position is None),
        })
    return render_template("methodology.html", content=content, coverage=coverage)
