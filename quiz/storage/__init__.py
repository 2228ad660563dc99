"""Anonymous response storage behind one small interface, with SQLite and PostgreSQL behind it.

A record holds the quiz version, the answers and weights, the top-ranked actor(s), the partner
id and the day, plus a keyed record id (single use) and a random record key (the export's
disclosure control). Nothing else: no IP address, user agent, cookie, client id or exact time.
The actors' answers on their own coding (``quiz review``) have a table of their own.
"""

from __future__ import annotations

from quiz.storage.base import (
    CodingAnswer,
    CodingReview,
    ResponseRecord,
    ResponseStore,
    StorageError,
    decode_answers,
    encode_answers,
)


def open_store(url: str) -> ResponseStore:
    """The store for ``url``: ``sqlite:///path/to/file`` or ``postgresql://…``."""
    if url.startswith("sqlite:///"):
        from quiz.storage.sqlite import SQLiteStore

        return SQLiteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from quiz.storage.postgres import PostgresStore

        return PostgresStore(url)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://…")


__all__ = ["CodingAnswer", "CodingReview", "ResponseRecord", "ResponseStore", "StorageError", "decode_answers",
           "encode_answers", "open_store"]
