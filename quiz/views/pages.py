"""The voter's pages: start, quiz, answers (POST), result and methodology."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from wtforms import Form

from quiz import labels
from quiz.ballot import Ballot, BallotError
from quiz.forms import (
    SHARE,
    TOKEN,
    ballot_from_form,
    ballot_params,
    quiz_form_class,
    repeated_answers,
    unexpected_params,
)
from quiz.model import Quote
from quiz.recording import Submission
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


def _quiz_page(form, status: int = 200, problem: str | None = None):
    content = get_content()
    form[TOKEN].data = current_app.extensions["quiz_recorder"].tokens.issue()
    return render_template("quiz.html", content=content, form=form, problem=problem), status


def _ballot(args, allowed: tuple[str, ...] = ()) -> tuple[Ballot, Form]:
    """The voter's ballot from a submitted form or a result URL; otherwise a 400 page, never a 500."""
    content = get_content()
    unknown = unexpected_params(content, args, allowed)
    if unknown:
        abort(400, description=f"Ukjente felt: {', '.join(unknown)}")
    repeated = repeated_answers(content, args)
    if repeated:
        abort(400, description=f"Påstanden {repeated[0]} er besvart flere ganger.")
    form = quiz_form_class(content)(args)
    if not form.validate():
        abort(make_response(_quiz_page(form, 400, "Noen svar er ugyldige. Se markeringene nedenfor.")))
    try:
        return ballot_from_form(content, form), form
    except BallotError:
        abort(make_response(_quiz_page(form, 400, "Svar på minst én påstand for å få et resultat.")))


@bp.get("/quiz")
def quiz():
    form = quiz_form_class(get_content())(request.args)
    if request.args:
        form.validate()  # coming back from a result: show the answers, mark tampered values
    return _quiz_page(form)


@bp.post("/answers")
def answers():
    """Take the submitted form, count it if the voter consented, and show the result."""
    content = get_content()
    ballot, form = _ballot(request.form, allowed=(SHARE, TOKEN))
    if form[SHARE].data:
        submission = Submission(
            token=form[TOKEN].data, same_origin=_same_origin(), client_address=request.remote_addr,
            partner=g.partner.id if g.partner else None)
        current_app.extensions["quiz_recorder"].record(content, ballot, compute_result(content, ballot), submission)
    return redirect(url_for("pages.result", **ballot_params(content, ballot)), code=303)


def _same_origin() -> bool:
    """Whether the browser says the form was sent from one of our own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")


@bp.get("/result")
def result():
    content = get_content()
    ballot, _ = _ballot(request.args)
    outcome = compute_result(content, ballot)
    return render_template("result.html", content=content, result=outcome, ballot=ballot,
                           change_url=url_for("pages.quiz", **ballot_params(content, ballot)))


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html", content=get_content())


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
