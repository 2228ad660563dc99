"""The quiz content as immutable objects, loaded and validated once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from quiz.colours import text_colour
from quiz.ingest import CleanDocument, Span
from quiz.matching import ScoringTables, scoring_tables, term_table

SCALE = (-2, -1, 0, 1, 2)  # every answer any quiz can have: one span of 4 for every scale
# A quiz's scale (``scale`` in quiz.toml) is the subset of SCALE its voters and actors use:
# 3 = agree / neutral / disagree (Wahl-O-Mat), 4 = no neutral (NRK), 5 = with "somewhat".
SCALES = {3: (-2, 0, 2), 4: (-2, -1, 1, 2), 5: SCALE}
DEFAULT_SCALE = 5
ACTOR_KINDS = ("party", "party-branch", "organisation")
SOURCE_KINDS = ("party-programme", "party-resolution", "hearing-statement", "web-page")
BASES = ("explicit", "inferred", "self")  # stated, inferred from the text, answered by the actor
# A content text in another language than the quiz's own: (field, language, text), from a
# ``<field>_<language>`` key such as ``text_nn`` or ``intro_de``.
Translation = tuple[str, str, str]


def translation(obj, field: str, language: str) -> str | None:
    """``obj``'s ``field`` in ``language`` if the content gives it, else None."""
    return next((text for f, lang, text in getattr(obj, "translations", ()) if f == field and lang == language),
                None)
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
    reviewed: bool = False  # an editor checked that it supports the position (``quiz validate --strict`` accepts it)
    reviewed_by: str | None = None
    reviewed_on: str | None = None

    @property
    def lines(self) -> tuple[int, int]:
        return (self.span.first_line, self.span.last_line)


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    name_en: str | None = None
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class Axis:
    """A dimension of the political landscape, from its ``low`` pole to its ``high`` pole."""

    id: str
    low: str
    high: str
    low_en: str | None = None
    high_en: str | None = None
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One claim the voter agrees or disagrees with, derived from source passages.

    ``axes`` maps an axis id to +1 when agreeing moves toward its high pole, -1 toward its low.
    A ``salience`` item is kept although it does not split the actors; ``salience_reason`` says why.
    """

    id: str
    text: str
    topic: str
    derived_from: tuple[Quote, ...]
    text_en: str | None = None
    axes: tuple[tuple[str, int], ...] = ()
    salience: bool = False
    salience_reason: str | None = None
    salience_reason_en: str | None = None
    background: str | None = None  # a short explanation shown under the statement ("What does this mean?")
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class Stance:
    """An actor's position on a statement (None = not addressed), with its evidence.

    ``basis`` says how the position was obtained (see BASES): stated in the actor's documents,
    inferred from them (both with quotes), or answered by the actor itself ("self": its quotes
    are its own justification, and an answer given without one has none).
    """

    actor: str
    statement: str
    position: int | None
    rationale: str
    basis: str | None = None
    quotes: tuple[Quote, ...] = ()
    notes: tuple[Quote, ...] = ()
    rationale_en: str | None = None
    translations: tuple[Translation, ...] = ()
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
    translations: tuple[Translation, ...] = ()

    @property
    def text_colour(self) -> str:
        """Black or white: the one that reads on ``colour`` (4.5:1 or more), for labels drawn on it."""
        return text_colour(self.colour)


@dataclass(frozen=True)
class Bullet:
    """One list item of a source and what became of it in the statements."""

    source: str
    quote: Quote
    statements: tuple[str, ...]
    left_out: str | None


# The aggregate export's blocks (quiz/export/aggregate.py): whole ISO weeks, or days. Part of the
# content, so of its version: one version's records are only ever cut one way.
EXPORT_BLOCK_DAYS = (7, 1)


@dataclass(frozen=True)
class QuizInfo:
    id: str
    title: str
    intro: str
    publisher: str
    language: str
    title_en: str | None = None
    intro_en: str | None = None
    scale: int = DEFAULT_SCALE  # a key of SCALES
    languages: tuple[str, ...] = ()  # the UI languages the quiz is served in (each has a catalog)
    default_language: str = ""
    about: str | None = None  # the publisher's own texts (Markdown subset); None: the generated text
    methodology: str | None = None
    translations: tuple[Translation, ...] = ()
    export_block_days: int = 7  # the export's blocks: whole weeks (7) or days (1); see quiz/export/aggregate.py


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

    @property
    def scale(self) -> tuple[int, ...]:
        """The answers of this quiz's scale, on -2..2 (see SCALES)."""
        return SCALES[self.info.scale]

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
