"""A short run of bench/loadtest.py in CI: gunicorn under concurrent voters loses nothing,
even when a worker is killed or PostgreSQL restarts mid-load. (The full 60 s run is in bench/.)"""

from __future__ import annotations

import os
import subprocess
import sys

from quiz.app import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench"))

from loadtest import run_load  # noqa: E402


def test_sqlite_under_load_with_a_worker_killed(tmp_path):
    tally, stored = run_load(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, clients=8, seconds=6,
                             kill_worker_at=2.5)
    assert tally.completions > 20
    assert tally.server_errors == 0 and tally.failures == 0
    assert stored == tally.consenting


def test_postgresql_under_load_with_a_restart(tmp_path, postgres_server):
    faults = [(2.5, postgres_server.stop), (5.0, postgres_server.start)]
    tally, stored = run_load(postgres_server.url, tmp_path, clients=8, seconds=8, faults=faults)
    assert tally.completions > 20
    assert tally.server_errors == 0 and tally.failures == 0
    assert stored == tally.consenting


def test_two_quizzes_under_load_lose_nothing_and_never_mix(tmp_path, quiz_directory):
    from quiz.quizzes import load_quizzes
    from quiz.storage import open_store

    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    tally, stored = run_load(url, tmp_path, clients=6, seconds=5, data_dir=quiz_directory)
    assert tally.completions > 10
    assert tally.server_errors == 0 and tally.failures == 0
    assert stored == tally.consenting
    store, quizzes = open_store(url), load_quizzes(quiz_directory)
    for slug, content in quizzes.items():
        assert sum(len(b.days) for b in store.batches(content.version, len(content.statements), quiz=slug)) > 0
        assert sum(store.count(other.version) for other in quizzes.values() if other is not content) < stored
    assert sum(store.count(content.version) for content in quizzes.values()) == stored


def test_gunicorn_refuses_to_start_on_invalid_content(tmp_path, bundled_copy):
    (bundled_copy / "stances" / "ap.toml").write_text("id = 'ap'\n", encoding="utf-8")
    env = {**os.environ, "SECRET_KEY": "x", "QUIZ_DATA_DIR": str(bundled_copy),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}", "QUIZ_BIND": "127.0.0.1:0"}
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "deploy" / "gunicorn.conf.py"),
                             "quiz:create_app()"], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "stances/ap.toml" in result.stderr and "'name' is missing" in result.stderr


def test_gunicorn_a_malformed_or_oversized_chunked_body_is_a_4xx(tmp_path):
    import socket

    from loadtest import Server

    server = Server(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, workers=1)

    def raw(path: str, chunked_body: bytes, content_type: str) -> bytes:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
                               "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode() + chunked_body)
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        return reply.split(b"\r\n", 1)[0]

    try:
        bad_size = b"zz\r\nabc\r\n0\r\n\r\n"
        assert b" 400 " in raw("/api/v1/match", bad_size, "application/json")
        assert b" 400 " in raw("/answers", bad_size, "application/x-www-form-urlencoded")
        big = b'{"answers": {"straff-bruk": 1}, "x": "' + b"a" * 70_000 + b'"}'
        assert b" 413 " in raw("/api/v1/match", b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big), "application/json")
        small = b'{"answers": {"straff-bruk": 1}}'
        assert b" 200 " in raw("/api/v1/match", b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small), "application/json")
        log = (tmp_path / "gunicorn.log").read_text()
        assert "Traceback" not in log and "Error handling request" not in log
    finally:
        server.stop()


def _raw_get(port: int, target: str, headers: str = "") -> tuple[bytes, bytes]:
    """One GET over a raw socket; the reply's status line and its whole head."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n"
                           .encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0]
    return head.split(b"\r\n", 1)[0], head + b"\r\n" + reply.split(b"\r\n\r\n", 1)[-1]


def test_gunicorn_takes_no_scheme_from_an_untrusted_forwarded_proto_and_lets_the_app_answer_long_urls(tmp_path):
    from loadtest import Server

    server = Server(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, workers=1)  # QUIZ_TRUSTED_PROXIES unset: 0
    try:
        forged = "X-Forwarded-Proto: https\r\nX-Forwarded-Ssl: on\r\n"
        status, reply = _raw_get(server.port, "/result?straff-bruk=2", forged)
        assert b" 200 " in status
        assert b"strict-transport-security" not in reply.lower()  # no HSTS over plain http
        assert f"http://127.0.0.1:{server.port}/result?".encode() in reply and b"https://127.0.0.1" not in reply
        # A long URL that nginx (8k buffers) passes is answered by the app, with its security headers.
        status, reply = _raw_get(server.port, "/result?straff-bruk=2&x=" + "a" * 6000)
        assert b"content-security-policy" in reply.lower() and b" 414 " not in status
        status, reply = _raw_get(server.port, "/", "X-Long: " + "b" * 6000 + "\r\n")
        assert b" 200 " in status and b"content-security-policy" in reply.lower()
    finally:
        server.stop()
