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
