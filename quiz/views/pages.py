"""The voter's pages: start, quiz, review, answers (POST), result, methodology, privacy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, current_app, g, make_response, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from wtforms import Form

from quiz import labels
from quiz.ballot import Ballot, BallotError
from quiz.forms import (
    LANG,
    PARTNER,
    SHARE,
    TOKEN,
    ballot_from_form,
    ballot_params,
    canonical_ballot,
    is_foreign_param,
    quiz_form_class,
    repeated_answers,
    selected_actors,
    unexpected_params,
)
from quiz.i18n import _, current_language, localized, other_language
from quiz.model import SCALE, Quote
from quiz.recording import Submission
from quiz.results import compute_result
from quiz.views import get_content
from quiz.views.assembly import Assembly, Part, Piece, Slot, fill, frame_parts, slot
from quiz.views.page_cache import page_cache, parts_response

bp = Blueprint("pages", __name__)
RESULT_CACHE_SECONDS = 3600  # a result page is a pure function of its URL
LANGUAGE_URL = "language_url"  # the slot of a frame's language switch link: each page links to itself


def template_globals() -> dict:
    """Names every template may use: labels, citations, content texts in the UI language."""
    return {"labels": labels, "cite": cite, "quote_url": quote_url, "get_content": get_content,
            "tr": lambda obj, field: localized(obj, field, get_content().info.language),
            "stance_block": stance_block, "positions_table": positions_table}


class PageAssembly(Assembly):
    """The shared pieces of the voter's pages, kept per language and partner (see :mod:`quiz.views.assembly`)."""

    def __init__(self) -> None:
        super().__init__(current_app.extensions.setdefault("quiz_pieces", {}),
                         (current_language(), g.lang_in_url, g.partner.id if g.partner else None))

    def template(self, template: str, key: tuple, links: bool = True, **context) -> Markup:
        """``template`` rendered once for ``key`` in this scope, placed in the page.

        A piece without links (which carry the language and partner) varies by language only.
        """
        scope = None if links else self.scope[:1]
        return self.piece((template, *key), lambda: render_template(template, **context), scope)

    def html(self, template: str, key: tuple, **context) -> Markup:
        """The same piece as HTML, for pages (and pieces) that are not assembled."""
        return Markup(self.shared((template, *key), lambda: render_template(template, **context)).__html__())

    def frame(self, key: tuple, render: Callable[[], str]) -> tuple[Piece | Slot, ...]:
        """A page frame rendered once for ``key`` in this scope by ``render()``, split at its slots."""
        full_key = ("frame", *key, *self.scope)
        frame = self.store.get(full_key)
        if frame is None:
            frame = self.store[full_key] = frame_parts(render())
        return frame

    # Lists of comparisons and statement rows are the bulk of a result page. Each item is a small
    # piece that varies with the voter's answer and opens the item, then the big piece that does
    # not (a stance, a table of positions), then the closing tag: memory grows with statements ×
    # answers plus the big pieces once, not with their product.

    def comparisons(self, comparisons) -> Markup:
        """Statements compared with one actor: the statement, the voter's answer, the actor's stance."""
        items = []
        for c in comparisons:
            head = self.template("_comparison_head.html", (c.stance.actor, c.statement.id, c.answer, c.weight),
                                 links=False, c=c)
            stance = self.template("_stance.html", (c.stance.actor, c.statement.id), stance=c.stance)
            items.append(f"{head}{stance}</li>")
        return Markup("".join(items))

    def statement_rows(self, rows, selected: tuple[str, ...] | None) -> Markup:
        """Each statement with the voter's answer and the (selected) actors' positions."""
        items = []
        for row in rows:
            head = self.template("_statement_row_head.html", (row.statement.id, row.answer, row.weight),
                                 links=False, row=row)
            items.append(f"{head}{self.positions(row.statement, selected)}</section>")
        return Markup("".join(items))

    def review_rows(self, ballot, change_url: str) -> Markup:
        """Each answer on the review page with its weight and a link back to change it."""
        items = []
        for statement in get_content().statements:
            answer = ballot.answers.get(statement.id)
            head = self.template("_review_row_head.html", (statement.id, answer, ballot.weights.get(statement.id, 1)),
                                 links=False, statement=statement, answer=answer,
                                 weight=ballot.weights.get(statement.id, 1))
            tail = self.template("_review_row_tail.html", (statement.id,), links=False, statement=statement)
            items.append(f"{head}{escape(change_url)}#s-{escape(statement.id)}{tail}")
        return Markup("".join(items))

    def actor_choice(self, selected: tuple[str, ...] | None) -> Markup:
        """The actors to compare with: all of them checked (kept), or the voter's own choice."""
        context = {"content": get_content(), "selected": selected}
        if selected is not None:
            return Markup(render_template("_review_actors.html", **context))
        return self.template("_review_actors.html", (), links=False, **context)

    def positions(self, statement, selected: tuple[str, ...] | None) -> Markup:
        if selected is not None:  # any subset of actors is possible: not worth keeping (nor a way to fill memory)
            return positions_table(statement, selected)
        return self.piece(("_positions_table.html", statement.id), lambda: positions_table(statement, None))


def warm_pieces(app: Flask) -> int:
    """Render every shared piece of the quiz, review and result pages in both languages, before workers fork.

    Under gunicorn's preload the master calls this once, so that every worker starts with the
    pieces (copy-on-write) instead of rendering them during its first few thousand requests.
    Partners' pieces are still rendered on first use. Returns how many pieces there are.
    """
    from quiz.results import Comparison, StatementRow

    content = app.extensions["quiz_content"]
    page = "/result?" + urlencode([(s.id, SCALE[-1]) for s in content.statements])
    scopes = [("&lang=nb", {}), ("&lang=en", {}), ("", {}), ("", {"Accept-Language": "en"})]
    weighted = [(answer, weight) for answer in (*SCALE, None) for weight in (1, 2)]
    for lang, headers in scopes:
        app.test_client().get(page + lang, headers=headers)  # the frame and the pictures' pieces
        app.test_client().get("/quiz" + lang.replace("&", "?"), headers=headers)  # the quiz page's frame
        app.test_client().get(page.replace("/result", "/review") + lang, headers=headers)  # the review frame
        with app.test_request_context(page + lang, headers=headers):
            app.preprocess_request()
            pieces = PageAssembly()
            for statement in content.statements:
                pieces.statement_rows([StatementRow(statement, a, w) for a, w in weighted], None)
            for a, w in weighted:
                pieces.review_rows(Ballot(dict.fromkeys(content.statement_by_id, a),
                                          dict.fromkeys(content.statement_by_id, w)), "")
            pieces.comparisons([Comparison(content.statement_by_id[stance.statement], a, stance, 0.0, w)
                                for stance in content.stances if stance.position is not None
                                for a, w in weighted if a is not None])
    return len(app.extensions["quiz_pieces"])


def stance_block(stance) -> Markup:
    """An actor's stance with its quotes (rendered once per language and partner)."""
    return PageAssembly().html("_stance.html", (stance.actor, stance.statement), stance=stance)


def positions_table(statement, selected: tuple[str, ...] | None) -> Markup:
    """Every (selected) actor's position on one statement, in the content's fixed actor order."""
    content = get_content()
    stances = [content.stance(a.id, statement.id) for a in content.actors if selected is None or a.id in selected]
    return Markup(render_template("_positions_table.html", stances=stances))


def cite(quote: Quote) -> str:
    """'Title, line a–b' for a quote (in the UI language)."""
    source = get_content().source_by_id[quote.source]
    first, last = quote.lines
    lines = _("line %(n)s", n=first) if first == last else _("lines %(a)s–%(b)s", a=first, b=last)
    return f"{source.title}, {lines}"


def quote_url(quote: Quote) -> str:
    """Link to the source with the quoted passage highlighted."""
    return url_for("sources.show", source_id=quote.source, hl=f"{quote.span.start}-{quote.span.end}",
                   _anchor="q")


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
                           selected=selected_actors(content, form)), status


def _ballot(args, allowed: tuple[str, ...] = ()) -> tuple[Ballot, Form]:
    """The voter's ballot from a submitted form or a result URL; otherwise a 400 page, never a 500."""
    content = get_content()
    unknown = unexpected_params(content, args, allowed)
    if unknown:
        abort(400, description=_("Unknown fields: %(names)s", names=", ".join(unknown)))
    repeated = repeated_answers(content, args)
    if repeated:
        abort(400, description=_("Statement %(id)s is answered more than once.", id=repeated[0]))
    form = quiz_form_class(content)(args)
    if not form.validate():
        abort(make_response(_quiz_page(form, 400, _("Some answers are not valid. See the marks below."))))
    try:
        return ballot_from_form(content, form), form
    except BallotError:
        abort(make_response(_quiz_page(form, 400, _("Answer at least one statement to get a result."))))


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
    def render() -> str:
        form = quiz_form_class(content)()
        form[TOKEN].data = slot(TOKEN)
        return _quiz_page(form)[0]

    token = current_app.extensions["quiz_recorder"].tokens.issue()
    return parts_response(fill(PageAssembly().frame(("quiz.html",), render), {TOKEN: [token]}))


@bp.get("/review")
def review():
    """After the last statement: the answers with their weights, the actors, and the consent."""
    content = get_content()
    parsed = canonical_ballot(content, request.args, allowed=(TOKEN,))
    if parsed is None:  # not a well-formed review URL: the form's way says what is wrong (a 400 page)
        ballot, form = _ballot(request.args, allowed=(TOKEN,))
        parsed = ballot, selected_actors(content, form)
    ballot, selected = parsed
    token = request.args.get(TOKEN, "")
    query = urlencode({**ballot_params(content, ballot, selected), TOKEN: token}, doseq=True)
    pieces = PageAssembly()
    frame = pieces.frame(("review.html",), lambda: render_template(
        "review.html", content=content, slot=slot, language_url=slot(LANGUAGE_URL)))
    return parts_response(fill(frame, {
        LANGUAGE_URL: [str(escape(with_query(url_for("pages.review", lang=other_language()), query)))],
        TOKEN: [str(escape(token))],
        "rows": pieces.parts(pieces.review_rows(ballot, with_query(url_for("pages.quiz"), query))),
        "actors": pieces.parts(pieces.actor_choice(selected)),
    }))


@bp.post("/answers")
def answers():
    """Take the reviewed answers, count them if the voter consented, and show the result."""
    content = get_content()
    ballot, form = _ballot(request.form, allowed=(SHARE, TOKEN))
    selected = selected_actors(content, form)
    if form[SHARE].data:
        submission = Submission(
            token=form[TOKEN].data, same_origin=_same_origin(), client_address=request.remote_addr,
            partner=g.partner.id if g.partner else None)
        current_app.extensions["quiz_recorder"].record(content, ballot, submission)
    return redirect(url_for("pages.result", **ballot_params(content, ballot, selected)), code=303)


def _same_origin() -> bool:
    """Whether the browser says the form was sent from one of our own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")


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
    parsed = canonical_ballot(content, request.args)
    if parsed is None:  # not a well-formed result URL: the form's way says what is wrong (a 400 page)
        ballot, form = _ballot(request.args)
        parsed = ballot, selected_actors(content, form)
    ballot, selected = parsed
    result = compute_result(content, ballot, selected)
    query = urlencode(ballot_params(content, ballot, selected), doseq=True)
    pieces = PageAssembly()
    summary = render_template(
        "_result_summary.html", content=content, result=result, pieces=pieces,
        change_url=with_query(url_for("pages.quiz"), query),
        all_actors_url=with_query(url_for("pages.result"), urlencode(ballot_params(content, ballot), doseq=True)),
        share_url=with_query(url_for("pages.result", _external=True, lang=current_language()), query))
    explanations = render_template("_result_explanations.html", result=result, pieces=pieces)
    frame = pieces.frame(("result.html",), lambda: render_template(
        "result.html", content=content, slot=slot, language_url=slot(LANGUAGE_URL)))
    return fill(frame, {
        LANGUAGE_URL: [str(escape(with_query(url_for("pages.result", lang=other_language()), query)))],
        "summary": pieces.parts(summary),
        "explanations": pieces.parts(explanations),
        "statements": pieces.parts(pieces.statement_rows(result.rows, result.selected)),
    })


def with_query(url: str, query: str) -> str:
    """``url`` (which may carry the language and partner already) with ``query`` added."""
    return f"{url}{'&' if '?' in url else '?'}{query}"


@bp.get("/privacy")
def privacy():
    return page_cache().response(page_key("privacy"), lambda: render_template("privacy.html", content=get_content()))


@bp.get("/methodology")
def methodology():
    return page_cache().response(page_key("methodology"), _methodology)


def _methodology() -> str:
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
    axis_counts = {a.id: sum(1 for s in content.statements if a.id in dict(s.axes)) for a in content.axes}
    return render_template("methodology.html", content=content, coverage=coverage, axis_counts=axis_counts)
