"""The voter's pages: start, quiz, review, answers (POST), result, methodology, privacy."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms import Form

from quiz import explanations
from quiz.ballot import Ballot, BallotError
from quiz.figures import content_figures
from quiz.forms import (
    ACTORS,
    CONSENT_VALUES,
    IMPORTANT,
    LANG,
    PARTNER,
    SHARE,
    TOKEN,
    answer_choices,
    ballot_from_form,
    ballot_params,
    ballot_query,
    quiz_form_class,
    repeated_answers,
    selected_actors,
    unexpected_params,
)
from quiz.i18n import _, current_language
from quiz.recording import Submission
from quiz.results import compute_result
from quiz.views import get_content, origin, quiz_slug, with_query
from quiz.views.rendering import kept_html

bp = Blueprint("pages", __name__)
RESULT_CACHE_SECONDS = 3600  # a result page is a pure function of its URL


@bp.get("/")
def index():
    return kept_html("index.html", (), content=get_content())  # the same for every reader: see kept_html


def _quiz_page(form: Form, status: int = 200, problem: str | None = None):
    content = get_content()
    if not form[TOKEN].data:
        form[TOKEN].data = current_app.extensions["quiz_recorder"].tokens.issue()
    return render_template("quiz.html", content=content, form=form, problem=problem,
                           selected=selected_actors(content, form),
                           choices=[(choice.value, _(choice.label)) for choice in answer_choices(content)],
                           language_keeps=ballot_params(content) | {TOKEN}), status


def _ballot(args: MultiDict, allowed: tuple[str, ...] = ()) -> tuple[Ballot, tuple[str, ...] | None]:
    """The voter's ballot and chosen actors from a submitted form or a result URL; otherwise a
    400 page, never a 500."""
    content = get_content()
    unknown = unexpected_params(content, args, allowed)
    if unknown:
        abort(400, description=_("Unknown fields: %(names)s", names=_quoted(unknown)))
    repeated = repeated_answers(content, args)
    if repeated:
        abort(400, description=_("Statement %(id)s is answered more than once.", id=repeated[0]))
    form = quiz_form_class(content)(args)
    if not form.validate():
        abort(make_response(_quiz_page(form, 400, _form_problem(content, form, args))))
    try:
        return ballot_from_form(content, form), selected_actors(content, form)
    except BallotError:
        abort(make_response(_quiz_page(form, 400, _("Answer at least one statement to get a result."))))


def _form_problem(content, form: Form, args) -> str:
    """What is wrong with a form that did not validate, naming what the page cannot mark itself."""
    problems = []
    if any(statement.id in form.errors for statement in content.statements):  # each is marked at its statement
        problems.append(_("Some answers are not valid. See the marks below."))
    if IMPORTANT in form.errors:
        ids = [v for v in args.getlist(IMPORTANT) if v not in content.statement_by_id]
        problems.append(_("Marked as important, but not a statement: %(ids)s.", ids=_quoted(ids)))
    if ACTORS in form.errors:
        ids = [v for v in args.getlist(ACTORS) if v not in content.actor_by_id]
        problems.append(_("Chosen for comparison, but not a party or organisation in this quiz: %(ids)s.",
                          ids=_quoted(ids)))
    return " ".join(problems) or _("Some answers are not valid. See the marks below.")


def _quoted(names: list[str]) -> str:
    """Names as a reader sees them in a message: each in quotes, so that an empty one shows too."""
    return ", ".join(f"“{name}”" for name in names)


@bp.get("/quiz")
def quiz():
    """All statements in one form (JavaScript turns it into one statement per screen)."""
    content = get_content()
    if set(request.args) - {PARTNER, LANG}:
        form = quiz_form_class(content)(request.args)
        form.validate()  # coming back to change answers: show them, mark tampered values
        form[TOKEN].data = request.args.get(TOKEN)  # keep the first visit's token: it times the quiz
        return _quiz_page(form)
    return _quiz_page(quiz_form_class(content)())


@bp.get("/review")
def review():
    """After the last statement: the answers with their weights, the actors, and the consent."""
    content = get_content()
    ballot, selected = _ballot(request.args, allowed=(TOKEN,))
    token = request.args.get(TOKEN, "")
    query = f"{ballot_query(content, ballot, selected)}&{urlencode({TOKEN: token})}"
    change_url = with_query(url_for("pages.quiz"), query)
    return render_template("review.html", content=content, ballot=ballot, selected=selected, token=token,
                           change_url=change_url, language_keeps=ballot_params(content) | {TOKEN})


@bp.post("/answers")
def answers():
    """Take the reviewed answers, count them if the voter consented, and show the result."""
    content = get_content()
    ballot, selected = _ballot(request.form, allowed=(SHARE, TOKEN))
    if request.form.get(SHARE) in CONSENT_VALUES:
        submission = Submission(
            token=request.form.get(TOKEN), same_origin=_same_origin(), client_address=request.remote_addr,
            partner=g.partner.id if g.partner else None, quiz=quiz_slug())
        current_app.extensions["quiz_recorder"].record(content, ballot, submission)
    return redirect(with_query(url_for("pages.result"), ballot_query(content, ballot, selected)), code=303)


def _same_origin() -> bool:
    """Whether the browser says the form was sent from one of our own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    sent = request.headers.get("Origin")
    return sent is not None and sent == origin()


@bp.get("/result")
def result():
    """The voter's result: a pure function of its URL, so caches in front may keep it."""
    content = get_content()
    ballot, selected = _ballot(request.args)
    query = ballot_query(content, ballot, selected)
    # The share link is absolute: this request's scheme and host.
    share_url = with_query(origin() + url_for("pages.result", lang=current_language()), query)
    response = make_response(render_template(
        "result.html", content=content, result=compute_result(content, ballot, selected),
        compared=[a for a in content.actors if selected is None or a.id in selected],
        share_url=share_url, change_url=with_query(url_for("pages.quiz"), query),
        all_actors_url=with_query(url_for("pages.result"), ballot_query(content, ballot)),
        language_keeps=ballot_params(content)))
    response.headers["Cache-Control"] = f"public, max-age={RESULT_CACHE_SECONDS}"
    return response


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html", content=get_content())


@bp.get("/methodology")
def methodology():
    content = get_content()
    coverage = explanations.coverage(content)
    axis_counts = {a.id: sum(1 for s in content.statements if a.id in dict(s.axes)) for a in content.axes}
    return render_template("methodology.html", content=content, coverage=coverage, axis_counts=axis_counts,
                           figures=_figures(content))


def _figures(content):
    """The content's figures (:func:`content_figures` simulates 20,000 voters), worked out once per content."""
    kept = current_app.extensions.setdefault("quiz_figures", {})
    if content.version not in kept:
        kept[content.version] = content_figures(content)
    return kept[content.version]
