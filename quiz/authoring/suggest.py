"""Quote suggestions for a statement, and the strict check that coded quotes are relevant."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.authoring.passages import Passage, all_passages
from quiz.authoring.retrieval import PassageIndex
from quiz.loading import Problem
from quiz.model import Content

STRICT_TOP = 10  # a stance quote should overlap one of the actor's ten best passages


@dataclass(frozen=True)
class Suggestion:
    passage: Passage
    score: float


def statement_query(content: Content, statement_id: str, exclude_actor: str | None = None,
                    expansion: float = 0.25) -> list[tuple[str, float]]:
    """What a statement is about, in the content's own words: its text, the passages it was derived
    from, and the other actors' quotes for it with weight ``expansion``. Passages of ``exclude_actor``'s sources
    are left out: they are what a suggestion for that actor should find, not what it searches with."""
    statement = content.statement_by_id[statement_id]
    own = set(content.actor_by_id[exclude_actor].sources) if exclude_actor in content.actor_by_id else set()
    query = {statement.text: 1.0} | {q.text: 1.0 for q in statement.derived_from if q.source not in own}
    if expansion:
        for quote in (q for s in content.stances if s.statement == statement_id for q in s.quotes):
            if quote.source not in own:
                query.setdefault(quote.text, expansion)
    return list(query.items())


def suggest_quotes(content: Content, statement_id: str, actor: str | None = None, k: int = 5,
                   index: PassageIndex | None = None) -> dict[str, list[Suggestion]]:
    """For each actor (or one), its ``k`` passages most relevant to the statement, best first.

    Raises KeyError for an unknown statement or actor id.
    """
    if statement_id not in content.statement_by_id:
        raise KeyError(f"unknown statement {statement_id!r}")
    if actor is not None and actor not in content.actor_by_id:
        raise KeyError(f"unknown actor {actor!r}")
    index = index or PassageIndex(all_passages(content))
    actors = [actor] if actor else [a.id for a in content.actors]
    found = {}
    for a in actors:
        query = statement_query(content, statement_id, a, index.settings.expansion)
        found[a] = [Suggestion(p, s) for p, s in index.top(query, k, where=lambda p, a=a: p.actor == a)]
    return found


def misquote_warnings(content: Content) -> list[Problem]:
    """Stance quotes that overlap none of the actor's top passages for their statement."""
    index = PassageIndex(all_passages(content))
    warnings = []
    for statement in content.statements:
        ranked = suggest_quotes(content, statement.id, k=STRICT_TOP, index=index)
        for stance in (s for s in content.stances if s.statement == statement.id and s.quotes):
            spans = [(s.passage.source, s.passage.span) for s in ranked[stance.actor]]
            for quote in stance.quotes:
                if not any(src == quote.source and span.start < quote.span.end and quote.span.start < span.end
                           for src, span in spans):
                    warnings.append(Problem(
                        f"stances/{stance.actor}.toml", f"stance {statement.id}",
                        f"quote is not among the actor's {STRICT_TOP} passages most relevant to the statement "
                        f"(possible mis-quote): «{quote.text[:80]}»"))
    return warnings
