"""The quiz content as immutable objects, loaded and validated once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from quiz.ingest import CleanDocument, Span
from quiz.matching import ScoringTables, scoring_tables, term_table

SCALE = (-2, -1, 0, 1, 2)
ACTOR_KINDS = ("party", "party-branch", "organisation")
SOURCE_KINDS = ("party-programme", "party-resolution", "hearing-statement", "web-page")
BASES = ("explicit", "inferred")
REVIEWS = ("confirmed", "disputed")  # what the actor said when shown its coding


@dataclass(frozen=True)
class Source:
    """A document an actor wrote, with its clean text and line map."""

    id: str
    title: str
    actor: str
    kind: str
    language: str
    raw: str
    document: CleanDocument
    url: str | None = None

    @property
    def text(self) -> str:
        return self.document.text


@dataclass(frozen=True)
class Quote:
    """A verbatim passage of a source, located in its clean text and original lines."""

    source: str
    text: str
    span: Span
    label: str | None = None

    @property
    def lines(self) -> tuple[int, int]:
        return (self.span.first_line, self.span.last_line)


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    name_en: str | None = None


@dataclass(frozen=True)
class Axis:
    """A dimension of the political landscape, from its ``low`` pole to its ``high`` pole."""

    id: str
    low: str
    high: str
    low_en: str | None = None
    high_en: str | None = None


@dataclass(frozen=True)
class Statement:
    """One claim the voter agrees or disagrees with, derived from source passages.

    ``axes`` maps an axis id to +1 when agreeing moves toward its high pole, -1 toward its low.
    """

    id: str
    text: str
    topic: str
    derived_from: tuple[Quote, ...]
    text_en: str | None = None
    axes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Stance:
    """An actor's position on a statement (None = not addressed), with its evidence."""

    actor: str
    statement: str
    position: int | None
    rationale: str
    basis: str | None = None
    quotes: tuple[Quote, ...] = ()
    notes: tuple[Quote, ...] = ()
    rationale_en: str | None = None
    review: str | None = None  # "confirmed" or "disputed" by the actor; None when not reviewed
    review_comment: str | None = None  # the actor's own words, required when it disputes

    @property
    def inferred(self) -> bool:
        return self.basis == "inferred"


@dataclass(frozen=True)
class Actor:
    """A party, party branch or organisation whose documents the quiz quotes."""

    id: str
    name: str
    short_name: str
    kind: str
    colour: str
    sources: tuple[str, ...]
    parent: str | None = None
    description: str | None = None
    description_en: str | None = None


@dataclass(frozen=True)
class Bullet:
    """One list item of a source and what became of it in the statements."""

    source: str
    quote: Quote
    statements: tuple[str, ...]
    left_out: str | None


@dataclass(frozen=True)
class QuizInfo:
    id: str
    title: str
    intro: str
    publisher: str
    language: str
    title_en: str | None = None
    intro_en: str | None = None


@dataclass(frozen=True)
class Content:
    """Everything a quiz is made of; ``positions`` is the actor × statement matrix."""

    info: QuizInfo
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    statements: tuple[Statement, ...]
    actors: tuple[Actor, ...]
    stances: tuple[Stance, ...]
    bullets: tuple[Bullet, ...]
    version: str
    axes: tuple[Axis, ...] = ()

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def statement_by_id(self) -> dict[str, Statement]:
        return {s.id: s for s in self.statements}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def stance_by_key(self) -> dict[tuple[str, str], Stance]:
        """(actor id, statement id) → stance."""
        return {(s.actor, s.statement): s for s in self.stances}

    @cached_property
    def stance_rows(self) -> tuple[tuple[Stance | None, ...], ...]:
        """Actor × statement stances (None where the actor has none), in the content's orders."""
        return tuple(tuple(self.stance_by_key.get((a.id, s.id)) for s in self.statements) for a in self.actors)

    @cached_property
    def positions(self) -> np.ndarray:
        """Actor × statement positions as floats, NaN where the actor has no position."""
        matrix = np.full((len(self.actors), len(self.statements)), np.nan)
        col = {s.id: j for j, s in enumerate(self.statements)}
        row = {a.id: i for i, a in enumerate(self.actors)}
        for stance in self.stances:
            if stance.position is not None and stance.statement in col and stance.actor in row:
                matrix[row[stance.actor], col[stance.statement]] = stance.position
        matrix.setflags(write=False)
        return matrix

    @cached_property
    def tables(self) -> ScoringTables:
        """The matching tables of ``positions``, built once."""
        return scoring_tables(self.positions)

    @cached_property
    def axis_signs(self) -> np.ndarray:
        """Statement × axis: +1 (-1) where agreeing moves towards the axis's high (low) pole, else 0."""
        signs = np.array([[dict(s.axes).get(axis.id, 0) for axis in self.axes] for s in self.statements],
                         dtype=float).reshape(len(self.statements), len(self.axes))
        signs.setflags(write=False)
        return signs

    @cached_property
    def topic_membership(self) -> np.ndarray:
        """Statement × topic: 1 where the statement belongs to the topic."""
        membership = np.array([[s.topic == t.id for t in self.topics] for s in self.statements],
                              dtype=float).reshape(len(self.statements), len(self.topics))
        membership.setflags(write=False)
        return membership

    @cached_property
    def topics_in_use(self) -> list[int]:
        """Indices of the topics that have statements."""
        return np.flatnonzero(self.topic_membership.any(axis=0)).tolist()

    @cached_property
    def score_groups(self) -> np.ndarray:
        """Statement × group, 1 for a member: first every statement (the score), then each topic in use (the radar)."""
        groups = np.hstack([np.ones((len(self.statements), 1)), self.topic_membership[:, self.topics_in_use]])
        groups.setflags(write=False)
        return groups

    @cached_property
    def term_table(self) -> np.ndarray:
        """Every term a voter's answer adds to each actor's sums (see :func:`quiz.matching.term_table`), built once."""
        return term_table(self.positions)

    def stance(self, actor: str, statement: str) -> Stance | None:
        return self.stance_by_key.get((actor, statement))
