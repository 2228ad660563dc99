"""The voter's pages: start, quiz, review, answers (POST), result, methodology, privacy."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request
from markupsafe import escape
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
    ballot_from_form,
    ballot_params,
    ballot_query,
    canonical_ballot,
    is_foreign_param,
    quiz_form_class,
    repeated_answers,
    selected_actors,
    unexpected_params,
)
from quiz.i18n import _, current_language
from quiz.recording import Submission
from quiz.results import compute_result
from quiz.views import get_content, origin, result_page, with_query
from quiz.views.assembly import Frame, Part, fill, frame_parts, slot
from quiz.views.fragments import PageAssembly
from quiz.views.page_cache import page_cache, parts_response

bp = Blueprint("pages", __name__)
RESULT_CACHE_SECONDS = 3600  # a result page is a pure function of its URL
LANGUAGE_QUERY = "language_query"  # the slot of a frame's language switch links: each page links to itself


def page_key(name: str, *extra) -> tuple:
    """What a page that depends only on its URL varies by: language, partner, host, and ``extra``."""
    # The scheme and host, because a result page's share link is absolute.
    return (name, current_language(), g.lang_in_url, g.partner.id if g.partner else None, request.scheme,
            request.host, *extra)


@bp.get("/")
def index():
    return page_cache().response(page_key("index"), lambda: render_template("index.html", content=get_content()))


def _quiz_page(form: Form, status: int = 200, problem: str | None = None):
    content = get_content()
    if not form[TOKEN].data:
        form[TOKEN].data = current_app.extensions["quiz_recorder"].tokens.issue()
    return render_template("quiz.html", content=content, form=form, problem=problem,
                           selected=selected_actors(content, form),
                           language_keeps=ballot_params(content) | {TOKEN}), status


def _ballot(args, allowed: tuple[str, ...] = ()) -> tuple[Ballot, Form]:
    """The voter's ballot from a submitted form or a result URL; otherwise a 400 page, never a 500."""
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
        return ballot_from_form(content, form), form
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
    # The empty quiz is the same page for everyone but its token: a frame with the token as its slot.
    def render() -> Frame:
        form = quiz_form_class(content)()
        form[TOKEN].data = slot(TOKEN)
        return frame_parts(_quiz_page(form)[0])

    frame = PageAssembly().kept(("frame", "quiz.html"), render)
    return parts_response(fill(frame, {TOKEN: current_app.extensions["quiz_recorder"].tokens.issue()}))


@bp.get("/review")
def review():
    """After the last statement: the answers with their weights, the actors, and the consent."""
    content = get_content()
    ballot, selected = _read_ballot(request.args, allowed=(TOKEN,))
    token = request.args.get(TOKEN, "")
    query = f"{ballot_query(content, ballot, selected)}&{urlencode({TOKEN: token})}"
    pieces = PageAssembly()
    return parts_response(fill(_frame(pieces, "review.html"), {
        LANGUAGE_QUERY: _language_query(query),
        TOKEN: str(escape(token)),
        "rows": pieces.review_rows(ballot, with_query(pieces.url("pages.quiz"), query)),
        "actors": pieces.actor_choice(selected),
    }))


@bp.post("/answers")
def answers():
    """Take the reviewed answers, count them if the voter consented, and show the result."""
    content = get_content()
    ballot, selected = _read_ballot(request.form, allowed=(SHARE, TOKEN))
    if request.form.get(SHARE) in CONSENT_VALUES:
        submission = Submission(
            token=request.form.get(TOKEN), same_origin=_same_origin(), client_address=request.remote_addr,
            partner=g.partner.id if g.partner else None)
        current_app.extensions["quiz_recorder"].record(content, ballot, submission)
    return redirect(with_query(PageAssembly().url("pages.result"), ballot_query(content, ballot, selected)), code=303)


def _same_origin() -> bool:
    """Whether the browser says the form was sent from one of our own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    sent = request.headers.get("Origin")
    return sent is not None and sent == origin()


@bp.get("/result")
def result():
    # A hit needs no parsing: the key is the query as sent (less tracking parameters); a miss
    # validates it first, and a URL that fails validation never reaches the cache.
    args = tuple(sorted((k, v) for k, v in request.args.items(multi=True) if not is_foreign_param(k)))
    response = page_cache().response(page_key("result", args), _result_page)
    response.headers["Cache-Control"] = f"public, max-age={RESULT_CACHE_SECONDS}"
    return response


def _result_page() -> list[Part]:
    """The result page: a frame shared by all voters, filled with this voter's parts."""
    content = get_content()
    ballot, selected = _read_ballot(request.args)
    result = compute_result(content, ballot, selected)
    query = ballot_query(content, ballot, selected)
    pieces = PageAssembly()
    # The share link is absolute: this request's scheme and host (not kept: any client can send any Host).
    share = origin() + pieces.url("pages.result", lang=current_language())
    links = {"change_url": with_query(pieces.url("pages.quiz"), query), "share_url": with_query(share, query)}
    if selected is not None:
        links["all_actors_url"] = with_query(pieces.url("pages.result"), ballot_query(content, ballot))
    return fill(_frame(pieces, "result.html"), {
        LANGUAGE_QUERY: _language_query(query),
        "summary": result_page.summary(pieces, content, result, links),
        "explanations": result_page.explanations(pieces, result),
        "statements": pieces.statement_rows(result.rows, result.selected),
    })


def _read_ballot(args: MultiDict, allowed: tuple[str, ...] = ()) -> tuple[Ballot, tuple[str, ...] | None]:
    """The ballot and chosen actors in a page's URL or a posted form; a 400 page when they are not valid."""
    content = get_content()
    parsed = canonical_ballot(content, args, allowed)
    if parsed is None:  # not well-formed: the form's way says what is wrong
        ballot, form = _ballot(args, allowed)
        parsed = ballot, selected_actors(content, form)
    return parsed


def _frame(pieces: PageAssembly, template: str) -> Frame:
    """The frame of a page that carries the voter's answers: its language links' query is a slot too."""
    return pieces.frame(template, content=get_content(), language_query=slot(LANGUAGE_QUERY))


def _language_query(query: str) -> str:
    """What the language switch links of a page with ``query`` add to the page's address in each language."""
    return str(escape(f"&{query}")) if query else ""


@bp.get("/privacy")
def privacy():
    return page_cache().response(page_key("privacy"), lambda: render_template("privacy.html", content=get_content()))


@bp.get("/methodology")
def methodology():
    return page_cache().response(page_key("methodology"), _methodology)


def _methodology() -> str:
    content = get_content()
    coverage = explanations.coverage(content)
    axis_counts = {a.id: sum(1 for s in content.statements if a.id in dict(s.axes)) for a in content.axes}
    return render_template("methodology.html", content=content, coverage=coverage, axis_counts=axis_counts,
                           figures=content_figures(content))
