"""The per-client limit on counted records holds across workers and restarts, and per IPv6 /64."""

from __future__ import annotations

import multiprocessing

import pytest
from conftest import settings
from test_recording import ANSWERS, SAME_ORIGIN, rows, token_from

from quiz import config, create_app
from quiz.ratelimit import StoreRateLimit, client_block
from quiz.storage import open_store


@pytest.fixture
def default_limit_settings(tmp_path, monkeypatch):
    """Settings with the default rate-limit storage, in this test's instance dir."""
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    values = settings(tmp_path, QUIZ_STORE_LIMIT="3/hour")
    del values["QUIZ_RATELIMIT_STORAGE"]
    open_store(values["DATABASE_URL"]).upgrade()
    return values


def post_from(app, address: str) -> None:
    client = app.test_client()
    response = client.post("/answers", data=dict(ANSWERS, token=token_from(client), share="y"),
                           headers=SAME_ORIGIN, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 303  # counted or not, the voter gets the result


def test_two_workers_share_one_limit_and_a_restart_keeps_it(tiny_dir, default_limit_settings):
    worker_a, worker_b = create_app(tiny_dir, default_limit_settings), create_app(tiny_dir, default_limit_settings)
    for _ in range(2):
        post_from(worker_a, "198.51.100.9")
        post_from(worker_b, "198.51.100.9")
    assert len(rows(worker_a)) == 3  # not 3 per worker
    restarted = create_app(tiny_dir, default_limit_settings)
    post_from(restarted, "198.51.100.9")
    assert len(rows(worker_a)) == 3
    assert restarted.extensions["quiz_recorder"].counts["rejected-rate-limited"] == 2
    post_from(restarted, "198.51.100.10")  # another client has its own allowance
    assert len(rows(worker_a)) == 4


def test_ipv6_clients_are_limited_per_64(tiny_dir, default_limit_settings):
    app = create_app(tiny_dir, default_limit_settings)
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe"):
        post_from(app, address)  # one subscriber cycling through its own /64
    post_from(app, "2001:db8:1:2:abcd::1")
    assert len(rows(app)) == 3
    post_from(app, "2001:db8:1:3::1")  # the next /64 is another client
    assert len(rows(app)) == 4


def test_client_blocks():
    assert client_block("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert client_block("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_block("192.0.2.1") == "192.0.2.1"
    assert client_block("not an address") == "not an address" and client_block(None) == "unknown"


def _hits(uri: str, n: int, allowed) -> None:
    limit = StoreRateLimit("15/hour", uri, "secret")
    got = sum(limit.allow("203.0.113.5") for _ in range(n))
    with allowed.get_lock():
        allowed.value += got


def test_concurrent_processes_never_exceed_the_limit(tmp_path):
    uri = f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}"
    context = multiprocessing.get_context("spawn")
    allowed = context.Value("i", 0)
    processes = [context.Process(target=_hits, args=(uri, 10, allowed)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    assert allowed.value == 15


def test_a_limit_that_cannot_be_kept_leaves_the_record_to_the_store_and_says_so(tiny_dir, tmp_path, caplog):
    blocker = tmp_path / "blocker"
    blocker.write_text("")  # the limit's directory is a file: its SQLite file cannot be opened
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_RATELIMIT_STORAGE=f"sqlite:///{blocker}/ratelimit.sqlite3"))
    open_store(app.config["DATABASE_URL"]).upgrade()
    post_from(app, "198.51.100.9")
    assert len(rows(app)) == 1 and app.extensions["quiz_recorder"].counts["unlimited"] == 1
    assert "rate limit unavailable" in caplog.text
    caplog.clear()
    app.extensions["quiz_recorder"].rate_limit.purge_expired()  # the background thread's housekeeping
    purged = [r for r in caplog.records if "expired rate-limit keys not deleted" in r.getMessage()]
    assert purged and all(r.levelname == "WARNING" and not r.exc_info for r in purged)  # a line, no traceback


def test_a_clients_key_is_deleted_when_its_hour_is_over_even_if_nobody_records_again(tiny_dir, tmp_path):
    # The privacy page says a client's key is kept for the hour it counts in and then deleted.
    # A hit deletes the keys it passes; the worker's background thread deletes them when no
    # record follows. Here the "hour" is a second and the thread wakes every 0.1 s.
    import sqlite3
    import time

    limit_file = tmp_path / "ratelimit.sqlite3"
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_STORE_LIMIT="3/second", QUIZ_DELIVERY_INTERVAL=0.1,
                                        QUIZ_RATELIMIT_STORAGE=f"sqlite:///{limit_file}"))
    open_store(app.config["DATABASE_URL"]).upgrade()
    post_from(app, "198.51.100.9")  # counted: its key is written, and the worker's thread started

    def keys() -> int:
        with sqlite3.connect(limit_file) as connection:
            return connection.execute("SELECT count(*) FROM entries").fetchone()[0]

    assert len(rows(app)) == 1 and keys() == 1
    deadline = time.monotonic() + 10
    while keys() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert keys() == 0


def test_purging_expired_keys_keeps_the_live_ones(tmp_path):
    import sqlite3
    import time

    uri = f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}"
    short, long = StoreRateLimit("5/second", uri, "secret"), StoreRateLimit("5/hour", uri, "secret")
    assert short.allow("198.51.100.1") and long.allow("198.51.100.2")
    time.sleep(1.1)
    short.purge_expired()
    with sqlite3.connect(tmp_path / "ratelimit.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM entries").fetchone()[0] == 1  # the hour's key stays
    assert long.allow("198.51.100.2")  # and still counts
