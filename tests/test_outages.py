"""A database that stops answering must not hold the voter: a locked PostgreSQL table, a stopped
(SIGSTOP) PostgreSQL server, and a SQLite file another process holds a write lock on. Each time
the consenting voter's POST returns the result redirect within about 3 s and the record is spooled,
then delivered once the database answers again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import psycopg
from conftest import eventually, settings
from test_recording import submit

from quiz import create_app

PATIENCE = 3.5  # seconds a voter may wait for the result redirect while the database hangs
GIVE_UP = 15  # seconds after which the test stops waiting (today's code waited 10 s to forever)


class Voter:
    """Posts from one thread, as a gunicorn sync worker does: its kept database connection is reused."""

    def __init__(self, client):
        self.client = client
        self.thread = ThreadPoolExecutor(max_workers=1)

    def submit(self) -> tuple[float, int | None]:
        """Post a consenting voter's answers; (seconds taken, status), status None if it never returned."""
        start = time.monotonic()
        future = self.thread.submit(lambda: submit(self.client).status_code)
        try:
            status = future.result(GIVE_UP)
        except FutureTimeout:
            status = None
        return time.monotonic() - start, status

    def close(self) -> None:
        self.thread.shutdown(wait=False)


def app_on(tiny_dir, tmp_path, url: str):
    app = create_app(tiny_dir, settings(tmp_path, DATABASE_URL=url, QUIZ_DELIVERY_INTERVAL=0.2))
    app.extensions["quiz_recorder"].store.upgrade()
    return app


def test_a_locked_postgresql_table_spools_the_record_and_the_voter_gets_the_result(tiny_dir, tmp_path,
                                                                                   postgres_server):
    app = app_on(tiny_dir, tmp_path, postgres_server.url)
    recorder = app.extensions["quiz_recorder"]
    client = app.test_client()
    voter = Voter(client)
    assert voter.submit()[1] == 303 and recorder.store.count() == 1  # the voter's thread keeps a connection
    with psycopg.connect(postgres_server.url) as locker:
        locker.execute("LOCK TABLE responses IN ACCESS EXCLUSIVE MODE")  # held until the block ends
        seconds, status = voter.submit()
        assert status == 303 and seconds < PATIENCE, f"{status} after {seconds:.1f} s"
        assert recorder.counts["spooled"] == 1 and recorder.spool.backlog() == 1
        health = client.get("/healthz")
        assert health.status_code == 200
    assert voter.submit()[1] == 303
    voter.close()
    assert eventually(lambda: recorder.counts["delivered"] == 1)
    assert recorder.store.count() == 3


def postgres_processes(server) -> list[int]:
    """The server's postmaster and every process it started."""
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster, *map(int, children)]


def test_a_stopped_postgresql_server_spools_the_record_and_the_voter_gets_the_result(tiny_dir, tmp_path,
                                                                                     postgres_server):
    app = app_on(tiny_dir, tmp_path, postgres_server.url)
    recorder = app.extensions["quiz_recorder"]
    voter = Voter(app.test_client())
    assert voter.submit()[1] == 303  # the voter's thread keeps its connection open when the server freezes
    frozen = postgres_processes(postgres_server)
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        for _ in range(2):  # on the kept connection (no server-side timeout can fire), then connecting anew
            seconds, status = voter.submit()
            assert status == 303 and seconds < PATIENCE, f"{status} after {seconds:.1f} s"
        assert recorder.counts["spooled"] == 2
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    assert voter.submit()[1] == 303
    voter.close()
    assert eventually(lambda: recorder.counts["delivered"] == 2)
    assert recorder.store.count() == 4


def test_sqlite_held_by_another_writer_spools_the_record_and_the_voter_gets_the_result(tiny_dir, tmp_path):
    path = tmp_path / "responses.sqlite3"
    app = app_on(tiny_dir, tmp_path, f"sqlite:///{path}")
    recorder = app.extensions["quiz_recorder"]
    client = app.test_client()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process's long write transaction
    try:
        seconds, status = Voter(client).submit()
        assert status == 303 and seconds < PATIENCE, f"{status} after {seconds:.1f} s"
        assert recorder.counts["spooled"] == 1 and recorder.spool.backlog() == 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert submit(client).status_code == 303
    assert eventually(lambda: recorder.counts["delivered"] == 1)
    assert recorder.store.count() == 2
