"""Cross-checks on loaded content: references, completeness, and whether statements inform."""

from __future__ import annotations

from collections import Counter

import numpy as np

from quiz.colours import bar_contrast_problems
from quiz.content_files import Problem
from quiz.model import Content
from quiz.quote_finding import line_range
from quiz.richtext import links_refused

STATEMENTS_FILE = "questions/statements.toml"
SOURCES_FILE = "sources/sources.toml"


def validate(content: Content, derivation_file: str = "questions/derivation.toml",
             actor_files: set[str] = frozenset()) -> list[Problem]:
    """Every problem that makes ``content`` unfit to serve (an empty list when it is fit).

    ``actor_files``: actors whose file exists but could not be read whole; their own problems
    say why, so a source of theirs is not also reported as naming an unknown actor."""
    return [
        *_beginnings(content),
        *_duplicates(content),
        *_references(content, actor_files),
        *_stance_completeness(content),
        *_bullets(content, derivation_file),
        *_discrimination(content),
        *_colours(content),
        *_publisher_texts(content),
    ]


def _beginnings(content: Content) -> list[Problem]:
    """What a new quiz has not got yet, with the command that starts it."""
    problems = []
    if not content.sources:
        problems.append(Problem(SOURCES_FILE, "-", "no sources yet: `quiz sources add FILE --actor ID` adds an "
                                "actor's document (text, PDF or HTML)", todo=True))
    if not content.statements:
        problems.append(Problem(STATEMENTS_FILE, "-", "no statements yet: `quiz derive` drafts candidates from the "
                                "sources; write them here as [[statement]] tables", todo=True))
    if not content.topics:
        problems.append(Problem(STATEMENTS_FILE, "-", "no topics yet: add a [[topic]] (id, name) for the statements",
                                todo=True))
    return problems


def _actor_file(actor_id: str) -> str:
    return f"stances/{actor_id}.toml"


def _duplicates(content: Content) -> list[Problem]:
    problems = []
    for file, what, ids in (
        (STATEMENTS_FILE, "statement", [s.id for s in content.statements]),
        (STATEMENTS_FILE, "topic", [t.id for t in content.topics]),
        (STATEMENTS_FILE, "axis", [a.id for a in content.axes]),
        ("stances/", "actor", [a.id for a in content.actors]),
    ):
        for duplicate, count in Counter(ids).items():
            if count > 1:
                problems.append(Problem(file, duplicate, f"duplicate {what} id ({count} times)"))
    return problems


def _references(content: Content, actor_files: set[str]) -> list[Problem]:
    problems = []
    axes = {a.id for a in content.axes}
    for statement in content.statements:
        if statement.topic not in content.topic_by_id:
            problems.append(Problem(STATEMENTS_FILE, statement.id, f"unknown topic {statement.topic!r}"))
        for axis, _ in statement.axes:
            if axis not in axes:
                problems.append(Problem(STATEMENTS_FILE, statement.id, f"unknown axis {axis!r}"))
    for source in content.sources:
        if source.actor not in content.actor_by_id and source.actor not in actor_files:
            problems.append(Problem(SOURCES_FILE, source.id, f"unknown actor {source.actor!r}"))
    for actor in content.actors:
        file = _actor_file(actor.id)
        for source_id in actor.sources:
            source = content.source_by_id.get(source_id)
            if source is None:
                problems.append(Problem(file, actor.id, f"unknown source {source_id!r}"))
            elif source.actor != actor.id:
                problems.append(Problem(file, actor.id, f"source {source_id!r} belongs to actor {source.actor!r}"))
        if actor.parent is not None and actor.parent not in content.actor_by_id:
            problems.append(Problem(file, actor.id, f"unknown parent actor {actor.parent!r}"))
    return problems


def _stance_completeness(content: Content) -> list[Problem]:
    """Every actor has exactly one stance for every statement, and only for known ones."""
    problems = []
    for actor in content.actors:
        file = _actor_file(actor.id)
        mine = [s for s in content.stances if s.actor == actor.id]
        for statement_id, count in Counter(s.statement for s in mine).items():
            if statement_id not in content.statement_by_id:
                problems.append(Problem(file, f"stance {statement_id}", "unknown statement id"))
            elif count > 1:
                problems.append(Problem(file, f"stance {statement_id}", f"{count} stances for one statement"))
        covered = {s.statement for s in mine}
        for statement in content.statements:
            if statement.id not in covered:
                problems.append(Problem(file, f"stance {statement.id}",
                                        'missing: add a stance (position = "none" if not addressed)', todo=True))
    return problems


def _bullets(content: Content, file: str) -> list[Problem]:
    """Every list item of every source is mapped to statements or left out with a reason."""
    problems = []
    covered: set[tuple[str, int]] = set()
    for i, bullet in enumerate(content.bullets):
        where = f"bullet #{i + 1}"
        source = content.source_by_id[bullet.source]
        block = source.document.block_at(bullet.quote.span.start)
        if block is None or block.kind != "item":
            problems.append(Problem(file, where, f"quote is not inside a list item of {bullet.source}"))
            continue
        covered.add((bullet.source, block.start))
        for statement_id in bullet.statements:
            if statement_id not in content.statement_by_id:
                problems.append(Problem(file, where, f"unknown statement {statement_id!r}"))
    for source in content.sources:
        for block in source.document.blocks:
            if block.kind == "item" and (source.id, block.start) not in covered:
                problems.append(Problem(file, f"{source.id} {line_range(block.first_line, block.last_line)}",
                                        f"list item not accounted for: «{block.text[:80]}» "
                                        "(`quiz derive --map` drafts the map)", todo=True))
    return problems


def _discrimination(content: Content) -> list[Problem]:
    """A statement informs the voter only if at least two actors take differing positions."""
    problems = []
    for j, statement in enumerate(content.statements):
        column = content.positions[:, j]
        known = column[~np.isnan(column)]
        if len(known) < 2:
            problems.append(Problem(STATEMENTS_FILE, statement.id,
                                    f"only {len(known)} actor(s) take a position: at least two are needed",
                                    todo=True))
        elif len(set(known.tolist())) == 1:
            problems.append(Problem(STATEMENTS_FILE, statement.id,
                                    "every actor with a position takes the same one: it tells voters nothing"))
    return problems


def _colours(content: Content) -> list[Problem]:
    """An actor's colour draws its bars and map dots: it must stand out from every page background."""
    return [Problem(_actor_file(actor.id), actor.id, message)
            for actor in content.actors for message in bar_contrast_problems(actor.colour)]


def _publisher_texts(content: Content) -> list[Problem]:
    """Links in the publisher's own texts go to http(s) addresses (any other is shown as plain text)."""
    info = content.info
    texts = [(field, getattr(info, field)) for field in ("about", "methodology")]
    texts += [(f"{field}_{language}", text) for field, language, text in info.translations
              if field in ("about", "methodology")]
    return [Problem("quiz.toml", key, f"link to {target!r} is not an http(s) address: it would be shown as text")
            for key, text in texts if text for target in links_refused(text)]
