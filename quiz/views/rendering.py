"""What templates may call besides Flask's own: labels, citations, content text in the UI
language, and the parts of a result page that are the same for every voter, rendered once and
kept (``kept_html``)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from flask import current_app, g, render_template, url_for
from markupsafe import Markup
from wtforms import Form

from quiz import labels
from quiz.forms import IMPORTANT
from quiz.i18n import _, current_language, localized
from quiz.model import Actor, Quote, Stance, Statement
from quiz.results import Comparison, StatementRow
from quiz.views import get_content, quiz_selected, quiz_slug

log = logging.getLogger(__name__)


def template_globals() -> dict:
    """Names every template may use."""
    return {"labels": labels, "cite": cite, "quote_url": quote_url, "get_content": get_content,
            "quiz_selected": quiz_selected,
            "tr": lambda obj, field: localized(obj, field, get_content().info.language),
            "stance_block": stance_block, "comparison_item": comparison_item, "statement_row": statement_row,
            "statement_text": statement_text,
            "statement_context": statement_context, "statement_fieldset": statement_fieldset}


def statement_text(statement: Statement) -> Markup:
    """A statement's text in the UI language, marked where it is not translated (``content_text``)."""
    return kept_html("_statement_text.html", (statement.id,), statement=statement)


def statement_fieldset(statement: Statement, n: int, form: Form, choices: list[tuple[str, str]]) -> Markup:
    """The ``n``th statement of the quiz form (``_statement_fieldset.html``), kept while the voter
    has not answered it: the quiz page every voter first sees is the same but for its token."""
    field, important = form[statement.id], statement.id in (form[IMPORTANT].data or [])
    context = {"statement": statement, "n": n, "choices": choices, "answer": field.data,
               "invalid": bool(field.errors), "important": important, "content": get_content()}
    if field.data is None and not field.errors and not important:
        return kept_html("_statement_fieldset.html", (statement.id, n), **context)
    return Markup(render_template("_statement_fieldset.html", **context))


def statement_context(statement: Statement) -> Markup:
    """Each actor's position on ``statement`` with its first quote, for the quiz page (``_statement_context.html``)."""
    return kept_html("_statement_context.html", (statement.id,), statement=statement, content=get_content())


def stance_block(stance: Stance, quotes: bool = True) -> Markup:
    """An actor's stance: its position, rationale and (unless ``quotes`` is false) quotes with
    their links (``_stance.html``)."""
    return kept_html("_stance.html", (stance.actor, stance.statement, quotes), stance=stance, quotes=quotes)


def comparison_item(comparison: Comparison, actor: Actor, quotes: bool) -> Markup:
    """One statement of an actor's reasons (``_comparison.html``): the voter's answer and weight
    and the actor's stance, with its quotes (``quotes``) or a link to them."""
    key = (actor.id, comparison.statement.id, comparison.answer, comparison.weight, quotes)
    return kept_html("_comparison.html", key, comparison=comparison, actor=actor, quotes=quotes)


def statement_row(row: StatementRow, compared: Sequence[Actor]) -> Markup:
    """One statement of the result with the voter's answer and the ``compared`` actors' positions
    (``_statement_row.html``), kept when they are all the actors; a voter's choice of some is
    rendered for that page (there are too many choices to keep)."""
    context = {"row": row, "statement": row.statement, "compared": compared}
    if len(compared) == len(get_content().actors):
        return kept_html("_statement_row.html", (row.statement.id, row.answer, row.weight), **context)
    return Markup(render_template("_statement_row.html", **context))


class KeptHtml:
    """Rendered page parts by key, up to a budget of memory: past it, parts are rendered for each
    page (correct, only slower) and a warning is logged once, so a quiz larger than the budget
    allows costs CPU, never a worker's memory."""

    def __init__(self, budget_bytes: int) -> None:
        self.parts: dict[tuple, Markup] = {}
        self.size, self.budget, self.full = 0, budget_bytes, False

    def keep(self, key: tuple, html: Markup) -> None:
        size = sys.getsizeof(html)
        if self.size + size > self.budget:
            if not self.full:
                self.full = True
                log.warning("kept page parts reached QUIZ_KEPT_HTML_MB (%.3g MiB): further parts are "
                            "rendered for each page", self.budget / 2**20)
            return
        self.parts[key] = html
        self.size += size


def kept_html(template: str, key: tuple, **context) -> Markup:
    """``template`` rendered with ``context`` once, and kept, per ``key`` (what ``context`` holds)
    and everything else its HTML depends on: the quiz (with several), the UI language (labels,
    translated texts), whether the URL carries the language, and the partner (both are carried in
    links; a partner's page opens sources in a new tab).

    For the parts of a result page that are the same for every voter with the same answer to a
    statement: statement texts, stance blocks, each statement's row with every actor's position,
    and each statement of an actor's reasons. The content never changes while the app runs, so
    nothing kept goes stale; the keys are bounded by the content, its scale and the configured
    partners, and the memory by ``QUIZ_KEPT_HTML_MB`` (:class:`KeptHtml`).
    """
    scope = g.get("kept_scope")  # worked out once per request: a result page asks about 100 times
    if scope is None:
        partner = g.get("partner")
        scope = g.kept_scope = (quiz_slug(), current_language(), g.get("lang_in_url", False),
                                partner.id if partner else None)
    kept = current_app.extensions["quiz_kept_html"]
    full_key = (template, *key, *scope)
    html = kept.parts.get(full_key)
    if html is None:
        html = Markup(render_template(template, **context))
        kept.keep(full_key, html)
    return html


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
