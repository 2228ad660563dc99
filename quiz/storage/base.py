"""What every store does, and the compact encoding records use."""

from __future__ import annotations

import abc
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

SKIPPED = "-"
# Answer -2..2 is stored as one character "0".."4"; weights as "1" or "2"; one per statement.
ANSWER_OFFSET = 2
# Record keys (for the export's cell key method, quiz/export/disclosure.py) are uniform in [0, 2**32).
RECORD_KEY_BITS = 32


def new_record_key() -> int:
    """A record key: uniform, from the operating system's cryptographic random source."""
    return secrets.randbits(RECORD_KEY_BITS)


@dataclass(frozen=True)
class Dialect:
    """What the migrations need to know about one SQL dialect."""

    date_type: str
    key_type: str  # holds 0 .. 2**32 - 1
    random_key: str  # SQL: a fresh random record key per row
    random_id: str  # SQL: a fresh random 32-hex-digit id per row


def migrations(dialect: Dialect) -> list[str]:
    """The schema's migrations, in order."""
    return [
        f"""
        CREATE TABLE responses (
            quiz_version TEXT NOT NULL,
            day {dialect.date_type} NOT NULL,
            partner TEXT,
            answers TEXT NOT NULL,
            weights TEXT NOT NULL,
            top_actors TEXT NOT NULL,
            token_id TEXT NOT NULL UNIQUE
        );
        CREATE INDEX responses_version_day ON responses (quiz_version, day);
        """,
        # 2: a random record key per record (the export's cell keys); stored token ids were plain
        # hashes of the nonce in the voter's URL, so they are replaced by random ids (their forms
        # can no longer be submitted: the token salt changed with them, quiz/tokens.py).
        f"""
        ALTER TABLE responses ADD COLUMN record_key {dialect.key_type} NOT NULL DEFAULT 0;
        UPDATE responses SET record_key = {dialect.random_key}, token_id = {dialect.random_id};
        """,
        # 3: the actors' answers on their own coding (``quiz review``), a table of their own, never
        # mixed with voters' records. One answer per actor, statement and content version: a second
        # submission of the same link breaks the unique constraint and stores nothing.
        f"""
        CREATE TABLE coding_reviews (
            quiz_version TEXT NOT NULL,
            actor TEXT NOT NULL,
            statement TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'disputed')),
            comment TEXT NOT NULL,
            day {dialect.date_type} NOT NULL,
            UNIQUE (quiz_version, actor, statement)
        );
        """,
        # 4: the quiz's slug when a deployment serves several (NULL: the only quiz), so that
        # quizzes with the same content version are still counted apart (quiz/quizzes.py).
        "ALTER TABLE responses ADD COLUMN quiz TEXT;",
    ]


class StorageError(Exception):
    """The database could not be reached or refused the operation."""


@dataclass(frozen=True)
class ResponseRecord:
    """One consenting voter's answers.

    ``token_id`` is the keyed record id of the form token's nonce (``FormTokens.record_id``). It
    is unique in the table, so one form counts once, even when a replayed copy was spooled while
    the database was down. ``record_key`` is a random number used only by the export's
    disclosure control; a record read back from the spool gets a fresh one, which is as good.
    ``quiz`` is the quiz's slug when the deployment serves several, else None.
    """

    version: str
    day: date
    partner: str | None
    answers: str
    weights: str
    top: tuple[str, ...]
    token_id: str
    record_key: int = field(default_factory=new_record_key)
    quiz: str | None = None

    def as_row(self) -> tuple:
        return (self.version, self.day.isoformat(), self.partner, self.answers, self.weights,
                ",".join(self.top), self.token_id, self.record_key, self.quiz)


@dataclass(frozen=True)
class CodingAnswer:
    """What an actor said of the coding of one statement: "confirmed" or "disputed", in its words."""

    statement: str
    verdict: str
    comment: str = ""


@dataclass(frozen=True)
class CodingReview:
    """One actor's answers on its coding of one content version, sent on ``day`` (no time, no address)."""

    version: str
    actor: str
    day: date
    answers: tuple[CodingAnswer, ...]

    def as_rows(self) -> list[tuple]:
        return [(self.version, self.actor, a.statement, a.verdict, a.comment, self.day.isoformat())
                for a in self.answers]


def coding_reviews_from_rows(rows: Sequence[tuple]) -> list[CodingReview]:
    """Rows of (version, actor, statement, verdict, comment, day), ordered by version and actor → reviews."""
    reviews: list[CodingReview] = []
    for row in rows:
        answer = CodingAnswer(row[2], row[3], row[4])
        day = row[5] if isinstance(row[5], date) else date.fromisoformat(row[5])
        if reviews and (reviews[-1].version, reviews[-1].actor) == (row[0], row[1]):
            reviews[-1] = CodingReview(row[0], row[1], reviews[-1].day, (*reviews[-1].answers, answer))
        else:
            reviews.append(CodingReview(row[0], row[1], day, (answer,)))
    return reviews


CODING_REVIEW_COLUMNS = "quiz_version, actor, statement, verdict, comment, day"


def coding_review_query(version: str | None, actor: str | None, placeholder: str, order: str) -> tuple[str, list]:
    """The SELECT of stored coding reviews for both SQL dialects; ``order`` keeps the insertion order."""
    conditions = [(f"{column} = {placeholder}", value) for column, value in (("quiz_version", version),
                                                                               ("actor", actor)) if value is not None]
    where = " WHERE " + " AND ".join(c for c, _ in conditions) if conditions else ""
    return (f"SELECT {CODING_REVIEW_COLUMNS} FROM coding_reviews{where} ORDER BY quiz_version, actor, {order}",
            [v for _, v in conditions])


@dataclass(frozen=True)
class RecordBatch:
    """A chunk of stored records as arrays, ready for NumPy aggregation."""

    answers: np.ndarray  # (n, S) float, NaN = skipped
    weights: np.ndarray  # (n, S) int
    top: list[tuple[str, ...]]
    days: list[str]
    partners: list[str | None]
    keys: np.ndarray  # (n,) int64 record keys


def encode_answers(answers: Sequence[int | None], weights: Sequence[int]) -> tuple[str, str]:
    """Answers and weights in statement order → the two compact strings stored."""
    coded = "".join(SKIPPED if a is None else str(a + ANSWER_OFFSET) for a in answers)
    return coded, "".join(str(w) for w in weights)


def decode_answers(rows: Sequence[str], n_statements: int) -> np.ndarray:
    """Stored answer strings → (n, S) float array with NaN for skipped (vectorised)."""
    if not rows:
        return np.empty((0, n_statements))
    raw = np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8).reshape(len(rows), n_statements)
    values = raw.astype(float) - (ord("0") + ANSWER_OFFSET)
    values[raw == ord(SKIPPED)] = np.nan
    return values


def decode_weights(rows: Sequence[str], n_statements: int) -> np.ndarray:
    if not rows:
        return np.empty((0, n_statements), dtype=np.int64)
    raw = np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8).reshape(len(rows), n_statements)
    return (raw - ord("0")).astype(np.int64)


class ResponseStore(abc.ABC):
    """Where consenting voters' records go, and, in a table of their own, the actors' answers on
    their coding. Implementations: SQLite and PostgreSQL."""

    @abc.abstractmethod
    def upgrade(self) -> None:
        """Create or migrate the schema (run by ``quiz db upgrade``, never per request)."""

    @abc.abstractmethod
    def add(self, records: Sequence[ResponseRecord]) -> int:
        """Insert records in one transaction; returns how many were new (a known token_id is skipped)."""

    @abc.abstractmethod
    def count(self, version: str | None = None) -> int:
        """How many records are stored (for one quiz version)."""

    @abc.abstractmethod
    def versions(self) -> list[str]:
        """Quiz versions that have records."""

    @abc.abstractmethod
    def batches(self, version: str, n_statements: int, *, partner: str | None = None,
                first_day: date | None = None, last_day: date | None = None,
                chunk: int = 100_000, quiz: str | None = None) -> Iterator[RecordBatch]:
        """Stream the records of one quiz version (of the quiz ``quiz`` if given) in chunks (never all
        in memory at once)."""

    @abc.abstractmethod
    def add_coding_review(self, review: CodingReview) -> bool:
        """Store an actor's answers in one transaction; False, storing nothing, when that actor has
        already answered on that content version (the table's unique constraint decides)."""

    @abc.abstractmethod
    def coding_reviews(self, version: str | None = None, actor: str | None = None) -> list[CodingReview]:
        """The actors' answers (on one content version, of one actor), by version and actor."""

    @abc.abstractmethod
    def ping(self) -> bool:
        """Whether the database answers."""

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release connections."""

    @staticmethod
    def batch(rows: list[tuple], n_statements: int) -> RecordBatch:
        """Rows of (answers, weights, top, day, partner, record_key) → a RecordBatch."""
        return RecordBatch(
            answers=decode_answers([r[0] for r in rows], n_statements),
            weights=decode_weights([r[1] for r in rows], n_statements),
            top=[tuple(r[2].split(",")) if r[2] else () for r in rows],
            days=[str(r[3]) for r in rows],
            partners=[r[4] for r in rows],
            keys=np.fromiter((r[5] for r in rows), dtype=np.int64, count=len(rows)),
        )


def filters(partner: str | None, first_day: date | None, last_day: date | None,
            placeholder: str, quiz: str | None = None) -> tuple[str, list]:
    """The WHERE clause (after the version condition) shared by both SQL dialects."""
    sql, params = "", []
    for condition, value in (("quiz = {}", quiz), ("partner = {}", partner), ("day >= {}", first_day),
                             ("day <= {}", last_day)):
        if value is not None:
            sql += " AND " + condition.format(placeholder)
            params.append(value.isoformat() if isinstance(value, date) else value)
    return sql, params
