"""The spool under faults: torn writes on a full disk, corrupt bytes, and a large backlog that the
worker delivers in the background while voters keep getting their results."""

from __future__ import annotations

import contextlib
import fcntl
import os
from datetime import date

from click.testing import CliRunner
from conftest import eventually, settings, tmpfs
from test_recording import submit

from quiz import create_app
from quiz.cli import main
from quiz.storage import ResponseRecord, open_store
from quiz.storage.spool import Delivery, Spool, SpoolError, frame


def record(i: int) -> ResponseRecord:
    return ResponseRecord("v1", date(2026, 9, 1), None, "43-21", "21111", ("alpha",), f"token-{i}")


def sqlite_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'responses.sqlite3'}")
    store.upgrade()
    return store


def test_a_write_that_fails_on_a_full_disk_leaves_no_torn_line_and_takes_no_next_record(tmp_path):
    with tmpfs(tmp_path / "small", "64k") as disk:
        spool = Spool(disk / "spool.jsonl")
        spool.append(record(0))
        with (disk / "filler").open("wb") as f, contextlib.suppress(OSError):
            f.write(b"x" * 200_000)  # the disk is full; the spool's last page still has room
        appended, failures = 1, 0
        while failures == 0:
            try:
                spool.append(record(appended))
                appended += 1
            except SpoolError as error:
                assert "No space left on device" in str(error) or "short write" in str(error)
                failures += 1
        assert spool.path.read_bytes().endswith(b"\n")  # what did not fit was cut off again
        (disk / "filler").unlink()  # space again: the next record must not be glued to anything
        spool.append(record(10_000))
        store = sqlite_store(tmp_path)
        assert spool.deliver(store) == Delivery(delivered=appended + 1)
        assert store.count() == appended + 1 and spool.backlog() == 0


def torn_spool(path) -> int:
    """A spool as a crash or the former format left it: a torn line, then good records; returns how many."""
    good = [frame(record(i)) for i in range(3)]
    legacy = b'{"version": "v1", "day": "2026-09-01", "partner": null, "answers": "43-21", "weights": "21111",' \
             b' "top": ["alpha"], "token_id": "legacy-1"}\n'
    path.write_bytes(good[0] + good[1][: len(good[1]) // 2] + legacy + good[2] + b"\x00\x00garbage\n")
    return 2  # good[0], good[2]; the torn line took the legacy record glued onto it


def test_quiz_db_deliver_delivers_every_intact_record_and_quarantines_the_corrupt_bytes(tmp_path, monkeypatch):
    spool_path = tmp_path / "spool.jsonl"
    intact = torn_spool(spool_path)
    Spool(spool_path).append(record(99))  # appended after the crash: its own line, intact
    store = sqlite_store(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'responses.sqlite3'}")
    monkeypatch.setenv("QUIZ_SPOOL", str(spool_path))
    monkeypatch.setenv("QUIZ_COUNTS", str(tmp_path / "record-counts"))
    result = CliRunner().invoke(main, ["db", "deliver"])
    assert result.exit_code == 0, result.output
    assert f"Delivered {intact + 1} spooled record(s)." in result.output
    assert "Lost 3 record(s) to corrupt spool bytes" in result.output  # the torn pair and the garbage line
    assert store.count() == intact + 1 and Spool(spool_path).backlog() == 0
    quarantined = (tmp_path / "spool.jsonl.corrupt").read_bytes()
    assert b"legacy-1" in quarantined and b"garbage" in quarantined


def test_a_voter_after_a_corrupt_spool_gets_the_result_and_healthz_reports_the_loss(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_DELIVERY_INTERVAL=0.1))
    open_store(app.config["DATABASE_URL"]).upgrade()
    intact = torn_spool(tmp_path / "spool.jsonl")
    client = app.test_client()
    response = submit(client)
    assert response.status_code == 303 and client.get(response.headers["Location"]).status_code == 200
    recorder = app.extensions["quiz_recorder"]
    assert eventually(lambda: recorder.counts["delivered"] == intact)
    assert recorder.store.count() == intact + 1
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["records"]["lost"] == 3 and body["spool"]["backlog"] == 0


def test_a_large_backlog_is_delivered_in_the_background_never_in_the_voters_request(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_DELIVERY_INTERVAL=0.1))
    store = open_store(app.config["DATABASE_URL"])
    store.upgrade()
    spool = app.extensions["quiz_recorder"].spool
    spool.path.write_bytes(b"".join(frame(record(i)) for i in range(50_000)))
    client = app.test_client()
    with open(spool.offset_path, "a+b") as other_worker:  # another worker is delivering right now
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        for _ in range(3):
            response = submit(client)
            assert response.status_code == 303  # the voter's result does not wait for the backlog
        assert store.count() == 3 and spool.backlog() == 50_000
    recorder = app.extensions["quiz_recorder"]
    assert eventually(lambda: recorder.counts["delivered"] == 50_000, seconds=120)  # the worker takes over
    assert store.count() == 50_003 and spool.backlog() == 0 and os.path.getsize(spool.path) == 0
