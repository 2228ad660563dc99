"""The shared pieces of the voter's pages, and the template functions that render quotes.

Pieces are rendered once per language and partner and placed in pages by
:class:`PageAssembly` (the mechanism is :mod:`quiz.views.assembly`); ``warm_pieces`` renders
them all before gunicorn forks its workers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, g, render_template, url_for
from markupsafe import Markup, escape

from quiz import labels
from quiz.ballot import Ballot
from quiz.i18n import _, current_language, localized
from quiz.model import SCALE, Quote
from quiz.views import get_content
from quiz.views.assembly import Assembly, Frame, Part, Piece, chain, frame_parts, slot


def template_globals() -> dict:
    """Names every template may use: labels, citations, content texts in the UI language."""
    return {"labels": labels, "cite": cite, "quote_url": quote_url, "get_content": get_content,
            "tr": lambda obj, field: localized(obj, field, get_content().info.language),
            "stance_block": stance_block, "positions_table": positions_table, "slot": slot}


END_ITEM = Piece.stored("</li>")


class PageAssembly(Assembly):
    """The shared pieces of the voter's pages, kept per language and partner (see :mod:`quiz.views.assembly`)."""

    def __init__(self) -> None:
        super().__init__(current_app.extensions.setdefault("quiz_pieces", {}),
                         (current_language(), g.lang_in_url, g.partner.id if g.partner else None))

    def piece(self, template: str, key: tuple, links: bool = True, **context) -> Piece:
        """``template`` rendered once for ``key`` in this scope, as a piece.

        A piece without links (which carry the language and partner) varies by language only.
        """
        scope = None if links else self.scope[:1]
        return self.shared((template, *key), lambda: render_template(template, **context), scope)

    def html(self, template: str, key: tuple, **context) -> Markup:
        """The same piece as HTML, for pages (and pieces) that are not assembled."""
        return Markup(self.shared((template, *key), lambda: render_template(template, **context)).__html__())

    def frame(self, template: str, key: tuple = (), keep: bool = True, **context) -> Frame:
        """``template`` rendered once for ``key`` in this scope with the slots it marks, split at
        them (see :func:`quiz.views.assembly.frame_parts`); each page fills the slots.

        ``keep=False`` renders it for this page only: for shapes too many to keep (any subset of actors).
        """
        def render() -> Frame:
            return frame_parts(render_template(template, **context))

        return self.kept(("frame", template, *key), render) if keep else render()

    def url(self, endpoint: str, **values: str) -> str:
        """``url_for(endpoint, **values)``, kept: it is the same for every page in this scope."""
        return self.kept(("url", endpoint, *sorted(values.items())), lambda: url_for(endpoint, **values))

    # Lists of comparisons and statement rows are the bulk of a result page. Each item is a small
    # piece that varies with the voter's answer and opens the item, then the big piece that does
    # not (a stance, a table of positions), then the closing tag: memory grows with statements ×
    # answers plus the big pieces once, not with their product.

    def comparisons(self, comparisons) -> list[Part]:
        """Statements compared with one actor: the statement, the voter's answer, the actor's stance."""
        parts: list[Part] = []
        for c in comparisons:
            parts += self.kept(("comparison", c.stance.actor, c.statement.id, c.answer, c.weight),
                               lambda c=c: self._comparison(c))
        return parts

    def _comparison(self, c) -> tuple[Piece, ...]:
        """One comparison's parts: its head (no links, so per language), the actor's stance, the closing tag."""
        head = self.piece("_comparison_head.html", (c.stance.actor, c.statement.id, c.answer, c.weight), links=False,
                          c=c)
        return head, self.piece("_stance.html", (c.stance.actor, c.statement.id), stance=c.stance), END_ITEM

    def statement_rows(self, rows, selected: tuple[str, ...] | None) -> list[Part]:
        """Each statement (``rows`` in the content's order) with the voter's answer and the actors' positions.

        With every actor, the rows are always the same sequence: its pieces are a chain (see
        :func:`quiz.views.assembly.chain`) and compress about as well as the whole list would.
        """
        if selected is not None:  # any subset of actors is possible: not worth keeping (nor a way to fill memory)
            return ["".join(f"{render_template('_statement_row_head.html', row=row)}"
                            f"{positions_table(row.statement, selected)}</section>" for row in rows)]
        places = self.kept(("statement rows",), self._statement_chain)
        parts: list[Part] = []
        for j, row in enumerate(rows):
            parts.append(places[2 * j][row.answer, row.weight])
            parts.append(places[2 * j + 1][None])
        return parts

    def _statement_chain(self) -> list[dict]:
        """Per statement: its answer line in every variant, then its table of positions."""
        from quiz.results import StatementRow

        places = []
        for statement in get_content().statements:
            places.append({(answer, weight): render_template(
                "_statement_row_head.html", row=StatementRow(statement, answer, weight))
                for answer in (*SCALE, None) for weight in (1, 2)})
            places.append({None: f"{positions_table(statement, None)}</section>"})
        return chain(places)

    def review_rows(self, ballot, change_url: str) -> list[Part]:
        """Each answer on the review page with its weight and a link back to change it."""
        parts: list[Part] = []
        link = escape(change_url)
        for statement in get_content().statements:
            answer, weight = ballot.answers.get(statement.id), ballot.weights.get(statement.id, 1)
            parts.append(self.piece("_review_row_head.html", (statement.id, answer, weight), links=False,
                                    statement=statement, answer=answer, weight=weight))
            parts.append(f"{link}#s-{statement.id}")  # ids need no escaping: a-z, 0-9 and hyphens
            parts.append(self.piece("_review_row_tail.html", (statement.id,), links=False, statement=statement))
        return parts

    def actor_choice(self, selected: tuple[str, ...] | None) -> list[Part]:
        """The actors to compare with: all of them checked (kept), or the voter's own choice."""
        context = {"content": get_content(), "selected": selected}
        if selected is not None:
            return [render_template("_review_actors.html", **context)]
        return [self.piece("_review_actors.html", (), links=False, **context)]


def warm_pieces(app: Flask) -> int:
    """Render every shared piece of the quiz, review and result pages in every language, before workers fork.

    Under gunicorn's preload the master calls this once, so that every worker starts with the
    pieces (copy-on-write) instead of rendering them during its first few thousand requests.
    Partners' pieces are still rendered on first use. Returns how many pieces there are.
    """
    from quiz.results import Comparison, StatementRow
    from quiz.views.result_page import warm_frames

    content = app.extensions["quiz_content"]
    page = "/result?" + urlencode([(s.id, SCALE[-1]) for s in content.statements])
    scopes = [*((f"&lang={language}", {}) for language in content.info.languages), ("", {}),
              ("", {"Accept-Language": "en"})]
    weighted = [(answer, weight) for answer in (*SCALE, None) for weight in (1, 2)]
    for lang, headers in scopes:
        app.test_client().get(page + lang, headers=headers)  # the frames and the URLs a result page keeps
        app.test_client().get(f"{page}{lang}&actors={content.actors[0].id}", headers=headers)  # and with a choice
        app.test_client().get("/quiz" + lang.replace("&", "?"), headers=headers)  # the quiz page's frame
        app.test_client().get(page.replace("/result", "/review") + lang, headers=headers)  # the review frame
        with app.test_request_context(page + lang, headers=headers):
            app.preprocess_request()
            pieces = PageAssembly()
            for a, w in weighted:
                pieces.statement_rows([StatementRow(statement, a, w) for statement in content.statements], None)
            for a, w in weighted:
                pieces.review_rows(Ballot(dict.fromkeys(content.statement_by_id, a),
                                          dict.fromkeys(content.statement_by_id, w)), "")
            warm_frames(pieces, content)
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
