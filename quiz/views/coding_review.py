"""The page an invitation link opens: the actor's coding, to confirm or dispute once (see quiz/coding_review.py).

No account and no cookie: the signed token in the URL says which actor and content version the
page is for. The page is never indexed, cached or framed, and it stores neither the address nor
the browser of whoever answers: only the day.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from quiz.coding_review import MAX_COMMENT, PATH, LinkError, OpenLink, ReviewLinks
from quiz.i18n import _
from quiz.model import REVIEWS, Actor, Content, Stance
from quiz.storage import CodingAnswer, CodingReview, ResponseStore, StorageError
from quiz.views import get_content

bp = Blueprint("coding_review", __name__)
ACTOR = "actor"  # the form names its actor: a form of one actor's page sent through another's link is refused
VERDICT = "verdict-"  # + statement id: "confirmed" or "disputed"
COMMENT = "comment-"  # + statement id: the actor's words


@bp.after_request
def private(response: Response) -> Response:
    """The actor's page (and its error pages) are for the actor alone: not indexed, not kept by any cache."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(PATH + "<token>", methods=("GET", "POST"))
def page(token: str):
    content = get_content()
    link = _open(token, content)
    actor = content.actor_by_id[link.invitation.actor]
    stances = [s for s in (content.stance(actor.id, st.id) for st in content.statements) if s is not None]
    store: ResponseStore = current_app.extensions["quiz_recorder"].store
    shown = {"content": content, "actor": actor, "stances": stances, "token": token,
             "expires": datetime.fromtimestamp(link.expires, UTC)}
    earlier = _stored(store, content.version, actor.id)
    if earlier is not None:  # answered already: the first answers stay
        return _render(shown, submitted=earlier, again=request.method == "POST", status=409 if request.method == "POST"
                       else 200)
    if request.method == "GET":
        return _render(shown)
    answers, problems = _read_form(request.form, actor, stances)
    if problems:
        return _render(shown, problems=problems, values=request.form, status=400)
    try:
        stored = store.add_coding_review(CodingReview(content.version, actor.id, datetime.now(UTC).date(), answers))
    except StorageError:
        abort(503, description=_("Your answers cannot be stored right now; nothing was saved. "
                                 "Please send them again in a few minutes."))
    if not stored:  # sent twice at once: the other one was first
        return _render(shown, submitted=_stored(store, content.version, actor.id), again=True, status=409)
    return redirect(url_for(".page", token=token), code=303)


def _open(token: str, content: Content) -> OpenLink:
    """The invitation in ``token``; an error page saying what is wrong with the link otherwise."""
    try:
        return ReviewLinks(current_app.config["SECRET_KEY"]).read(token, content)
    except LinkError as error:
        if error.reason == "expired":
            abort(410, description=_("This review link has expired. Ask the editors for a new one."))
        if error.reason == "outdated":
            abort(410, description=_("The coding has changed since this link was made, so the link no longer "
                                     "applies. Ask the editors for a new one."))
        abort(400, description=_("This review link is not valid: it may be incomplete or altered. Open the whole "
                                 "link from the invitation, or ask the editors for a new one."))


def _stored(store: ResponseStore, version: str, actor: str) -> CodingReview | None:
    try:
        found = store.coding_reviews(version, actor)
    except StorageError:
        abort(503, description=_("This page cannot be shown right now. Please try again in a few minutes."))
    return found[0] if found else None


def _read_form(form: MultiDict, actor: Actor, stances: list[Stance]) -> tuple[tuple[CodingAnswer, ...], dict]:
    """The answers in a posted form, and the problems (field name → message) the page shows at each field.

    A form that is not one of this page's (an unknown or repeated field, another actor's) is a 400 page."""
    ids = [stance.statement for stance in stances]
    known = {ACTOR, *(VERDICT + i for i in ids), *(COMMENT + i for i in ids)}
    unknown = sorted(set(form) - known)
    if unknown:
        abort(400, description=_("Unknown fields: %(names)s", names=", ".join(f"“{name}”" for name in unknown)))
    repeated = sorted(name for name in form if len(form.getlist(name)) > 1)
    if repeated:
        abort(400, description=_("The field “%(name)s” is sent more than once.", name=repeated[0]))
    if form.get(ACTOR) != actor.id:
        abort(400, description=_("This form is for “%(sent)s”, but the link is for “%(actor)s”: each actor answers "
                                 "through its own link.", sent=form.get(ACTOR, ""), actor=actor.id))
    answers, problems = [], {}
    for statement in ids:
        verdict, comment = form.get(VERDICT + statement), form.get(COMMENT + statement, "").strip()
        if verdict not in REVIEWS:
            problems[VERDICT + statement] = _("Choose whether you confirm or dispute this coding.")
        elif verdict == "disputed" and not comment:
            problems[COMMENT + statement] = _("Say in a comment why you disagree.")
        if len(comment) > MAX_COMMENT:
            problems[COMMENT + statement] = _("The comment has %(length)s characters; at most %(max)s are accepted.",
                                              length=len(comment), max=MAX_COMMENT)
        answers.append(CodingAnswer(statement, verdict or "", comment))
    return tuple(answers), problems


def _render(shown: dict, *, submitted: CodingReview | None = None, again: bool = False, problems: dict | None = None,
            values: MultiDict | None = None, status: int = 200) -> Response:
    return make_response(render_template(
        "coding_review.html", **shown, submitted=submitted, again=again, problems=problems or {},
        values=values or MultiDict(), max_comment=MAX_COMMENT, verdict_field=VERDICT, comment_field=COMMENT,
        answers={a.statement: a for a in submitted.answers} if submitted else {}), status)
