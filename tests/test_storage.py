"""The storage interface, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from datetime import date

import numpy as np
import pytest

from quiz.storage import ResponseRecord, StorageError, decode_answers, encode_answers, open_store
from quiz.storage.spool import Delivery, Spool, SpoolError


def record(i: int, *, version="v1", day=date(2026, 9, 1), partner=None, answers="43-21", weights="21111",
           top=("alpha",)) -> ResponseRecord:
    return ResponseRecord(version, day, partner, answers, weights, top, f"token-{i}")


@pytest.fixture
def store(database_url):
    store = open_store(database_url)
    store.upgrade()
    yield store
    store.close()


def test_encoding_round_trip():
    answers, weights = encode_answers([2, 1, None, -1, -2], [2, 1, 1, 1, 2])
    assert (answers, weights) == ("43-10", "21112")
    decoded = decode_answers([answers, "-----"], 5)
    np.testing.assert_array_equal(decoded[0], [2, 1, np.nan, -1, -2])
    assert np.isnan(decoded[1]).all()


def test_upgrade_is_idempotent(database_url):
    store = open_store(database_url)
    store.upgrade()
    store.upgrade()
    assert store.ping()
    assert store.count() == 0


def test_add_count_and_stream(store):
    assert store.add([record(i) for i in range(5)]) == 5
    assert store.add([record(5, version="v2")]) == 1
    assert store.count() == 6 and store.count("v1") == 5
    assert store.versions() == ["v1", "v2"]
    batches = list(store.batches("v1", 5, chunk=2))
    assert [len(b.top) for b in batches] == [2, 2, 1]
    np.testing.assert_array_equal(batches[0].answers[0], [2, 1, np.nan, 0, -1])
    assert batches[0].weights[0].tolist() == [2, 1, 1, 1, 1]
    assert batches[0].top[0] == ("alpha",) and batches[0].days[0] == "2026-09-01"


def test_a_token_counts_once(store):
    assert store.add([record(1)]) == 1
    assert store.add([record(1)]) == 0
    assert store.add([record(1), record(2)]) == 1
    assert store.count() == 2


def test_filters_by_partner_and_days(store):
    store.add([record(1, partner="avisa", day=date(2026, 9, 1)), record(2, partner="avisa", day=date(2026, 9, 3)),
               record(3, partner=None, day=date(2026, 9, 2)), record(4, partner="other", day=date(2026, 9, 2))])
    rows = lambda **f: sum(len(b.top) for b in store.batches("v1", 5, **f))  # noqa: E731
    assert rows(partner="avisa") == 2
    assert rows(first_day=date(2026, 9, 2)) == 3
    assert rows(first_day=date(2026, 9, 2), last_day=date(2026, 9, 2)) == 2
    assert rows(partner="avisa", last_day=date(2026, 9, 1)) == 1


def test_record_columns_hold_nothing_else(store, database_url):
    store.add([record(1)])
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            columns = [r[1] for r in connection.execute("PRAGMA table_info(responses)")]
    else:
        import psycopg

        with psycopg.connect(database_url) as connection:
            columns = [r[0] for r in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'responses'"
                " ORDER BY ordinal_position")]
    assert columns == ["quiz_version", "day", "partner", "answers", "weights", "top_actors", "token_id", "record_key",
                       "quiz"]  # the slug with several quizzes: the quiz, never the voter


def test_records_get_random_keys_that_are_stored_and_read_back(store):
    records = [record(i) for i in range(200)]
    assert all(0 <= r.record_key < 2**32 for r in records) and len({r.record_key for r in records}) == 200
    store.add(records)
    keys = np.concatenate([b.keys for b in store.batches("v1", 5)])
    assert sorted(keys.tolist()) == sorted(r.record_key for r in records)


def test_upgrading_a_first_version_database_gives_old_rows_keys_and_unlinkable_ids(database_url):
    """Rows stored before migration 2 carried sha256(nonce) as token_id and no record key."""
    from quiz.storage.postgres import MIGRATIONS as POSTGRES
    from quiz.storage.sqlite import MIGRATIONS as SQLITE

    assert len(SQLITE) == len(POSTGRES) >= 2
    old_ids = [hashlib.sha256(f"nonce-{i}".encode()).hexdigest()[:32] for i in range(50)]
    rows = [("v1", "2026-09-01", None, "43-21", "21111", "alpha", token_id) for token_id in old_ids]
    insert = "INSERT INTO responses VALUES ({})"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            connection.executescript(SQLITE[0] + "; CREATE TABLE schema_version (version INTEGER NOT NULL);"
                                     " INSERT INTO schema_version VALUES (1);")
            connection.executemany(insert.format(", ".join("?" * 7)), rows)
    else:
        import psycopg

        with psycopg.connect(database_url) as connection:
            connection.execute(POSTGRES[0])
            connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL); "
                               "INSERT INTO schema_version VALUES (1)")
            connection.cursor().executemany(insert.format(", ".join(["%s"] * 7)), rows)
    store = open_store(database_url)
    store.upgrade()
    assert store.count() == 50
    keys = np.concatenate([b.keys for b in store.batches("v1", 5)])
    assert len(set(keys.tolist())) == 50 and keys.min() >= 0 and keys.max() < 2**32
    assert keys.max() > 2**31 > keys.min()  # spread over the range, not a default
    assert store.add([record(1)]) == 1  # and new records go in beside them
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            ids = {r[0] for r in connection.execute("SELECT token_id FROM responses")}
    else:
        with psycopg.connect(database_url) as connection:
            ids = {r[0] for r in connection.execute("SELECT token_id FROM responses")}
    assert len(ids) == 51 and not ids & set(old_ids)
    store.close()


def _write_many(url: str, start: int, n: int) -> None:
    store = open_store(url)
    for i in range(start, start + n):
        for attempt in range(10):  # a write that waited too long for the lock raises (the app spools it)
            try:
                store.add([record(i)])
                break
            except StorageError:
                if attempt == 9:
                    raise
    store.close()


def test_concurrent_writers_lose_nothing(store, database_url):
    processes = [multiprocessing.get_context("spawn").Process(target=_write_many, args=(database_url, p * 1000, 40))
                 for p in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    assert store.count() == 160


def test_a_database_that_is_down_raises_storage_error(tmp_path):
    for url in ("postgresql://postgres@127.0.0.1:1/none", f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"):
        store = open_store(url)
        with pytest.raises(StorageError):
            store.add([record(1)])
        assert not store.ping()


def test_a_schema_that_was_never_upgraded_raises_storage_error(tmp_path):
    path = tmp_path / "new.sqlite3"
    store = open_store(f"sqlite:///{path}")
    with pytest.raises(StorageError, match="unable to open"):
        store.add([record(1)])
    assert not store.ping() and not path.exists()  # a missing file is not set up: nothing creates an empty one
    sqlite3.connect(path).close()  # a file without the schema
    with pytest.raises(StorageError, match="no such table"):
        store.add([record(1)])


def test_spool_keeps_records_until_delivered_exactly_once(store, tmp_path):
    spool = Spool(tmp_path / "spool.jsonl")
    for i in range(3):
        spool.append(record(i))
    spool.append(record(1))  # a replay spooled while the database was down
    assert spool.backlog() == 4
    assert spool.deliver(store) == Delivery(delivered=4)
    assert spool.backlog() == 0 and store.count() == 3
    assert spool.deliver(store) == Delivery()


def test_spool_survives_a_failed_delivery(tmp_path):
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append(record(1))
    with pytest.raises(StorageError):
        spool.deliver(open_store("postgresql://postgres@127.0.0.1:1/none"))
    assert spool.backlog() == 1


def test_unwritable_spool_raises(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SpoolError):
        Spool(blocker / "spool.jsonl").append(record(1))


def test_unknown_database_url():
    with pytest.raises(ValueError, match="unsupported database URL"):
        open_store("mysql://x")


def test_sqlite_keeps_no_record_in_a_file_that_was_moved_away_or_deleted(tmp_path):
    # The store keeps one connection per thread; when the file at its path is replaced or
    # deleted, the next record must not go to the file it still has open.
    path = tmp_path / "r.sqlite3"
    store = open_store(f"sqlite:///{path}")
    store.upgrade()
    assert store.add([record(1)]) == 1
    path.rename(tmp_path / "old.sqlite3")
    for suffix in ("-wal", "-shm"):
        if (tmp_path / f"r.sqlite3{suffix}").exists():
            (tmp_path / f"r.sqlite3{suffix}").rename(tmp_path / f"old.sqlite3{suffix}")
    fresh = open_store(f"sqlite:///{path}")
    fresh.upgrade()
    assert store.add([record(2)]) == 1  # into the new file at the path
    assert fresh.count() == 1
    assert open_store(f"sqlite:///{tmp_path / 'old.sqlite3'}").count() == 1  # the old file got nothing more
    for name in ("r.sqlite3", "r.sqlite3-wal", "r.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(StorageError):  # a new, empty file has no table: the recorder spools instead
        store.add([record(3)])
