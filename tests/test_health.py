"""/healthz, security headers over TLS, and the app refusing to start without what it needs."""

from __future__ import annotations

import contextlib

import pytest
from conftest import eventually, remount, settings, tmpfs

from quiz import create_app
from quiz.storage import open_store


def test_healthz_reports_version_database_and_spool(tiny_app):
    client = tiny_app.test_client()
    body = client.get("/healthz").get_json()
    assert body["content_version"] == tiny_app.extensions["quiz_content"].version
    assert body["database"] == "unreachable" and body["status"] == "degraded"  # schema not created yet
    open_store(tiny_app.config["DATABASE_URL"]).upgrade()
    body = client.get("/healthz").get_json()
    assert body == {**body, "status": "ok", "database": "reachable", "spool": {"backlog": 0, "writable": True}}


def test_healthz_says_when_the_spool_cannot_be_written(tiny_dir, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_SPOOL=str(blocker / "spool.jsonl")))
    open_store(app.config["DATABASE_URL"]).upgrade()
    body = app.test_client().get("/healthz").get_json()
    assert body["spool"]["writable"] is False and body["status"] == "degraded"


def test_hsts_only_over_tls(tiny_client):
    assert "Strict-Transport-Security" not in tiny_client.get("/").headers
    secure = tiny_client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_the_share_link_never_takes_a_forwarded_host(tiny_dir, tmp_path):
    # The proxy passes Host; X-Forwarded-Host is the client's own, and an edge cache would share the page.
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_TRUSTED_PROXIES=1))
    page = app.test_client().get("/result?straff=2", base_url="http://valgomat.example.no",
                                 headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    text = page.get_data(as_text=True)
    assert "https://valgomat.example.no/result?" in text and "evil.example" not in text


def test_csp_allows_no_inline_script(tiny_client):
    csp = tiny_client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp


def test_secret_key_is_required(tiny_dir, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(tiny_dir)


def consent_and_result(client):
    """One consenting voter through the real form; returns the result page's status."""
    page = client.get("/quiz").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/answers", data={"straff": "2", "token": token, "share": "y"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    return client.get(response.headers["Location"]).status_code


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB tmpfs, filled up: a spool on a full disk."""
    with tmpfs(tmp_path / "full", "64k") as mountpoint:
        with (mountpoint / "filler").open("wb") as f, contextlib.suppress(OSError):
            f.write(b"x" * 200_000)
        yield mountpoint


def test_disk_full_spool_with_the_database_down_still_gives_results_and_says_so(tiny_dir, tmp_path, full_disk,
                                                                              caplog):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_SPOOL=str(full_disk / "spool.jsonl")))
    client = app.test_client()
    assert consent_and_result(client) == 200
    assert "RECORD LOST" in caplog.text and "No space left on device" in caplog.text
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["records"]["lost"] == 1
    assert body["spool"]["writable"] is False


def test_a_database_on_a_disk_turned_read_only_spools_then_delivers_with_an_exact_count(tiny_dir, tmp_path):
    # Linux refuses to remount a filesystem read-only while a file on it is open for writing, so
    # the app's kept connection is closed first; a disk the kernel forces read-only fails the
    # same way (an sqlite3 error on the next write), and the app reopens after any failure.
    with tmpfs(tmp_path / "db", "4m") as disk:
        app = create_app(tiny_dir, settings(tmp_path, DATABASE_URL=f"sqlite:///{disk / 'responses.sqlite3'}"))
        store = app.extensions["quiz_recorder"].store
        store.upgrade()
        client = app.test_client()
        assert consent_and_result(client) == 200 and store.count() == 1
        store.close()
        remount(disk, "ro")
        try:
            assert [consent_and_result(client) for _ in range(3)] == [200] * 3
            body = client.get("/healthz").get_json()
            assert body["status"] == "degraded" and body["database"] == "unreachable"
            assert body["spool"] == {"backlog": 3, "writable": True} and body["records"]["spooled"] == 3
        finally:
            store.close()
            remount(disk, "rw")
        assert consent_and_result(client) == 200  # the next record wakes the delivery thread
        assert eventually(lambda: app.extensions["quiz_recorder"].counts["delivered"] == 3)
        assert store.count() == 5 and app.extensions["quiz_recorder"].spool.backlog() == 0
        assert client.get("/healthz").get_json()["status"] == "ok"
        store.close()


def test_a_read_only_spool_with_the_database_down_still_gives_results_and_says_so(tiny_dir, tmp_path, caplog):
    with tmpfs(tmp_path / "spool", "4m") as disk:
        remount(disk, "ro")
        app = create_app(tiny_dir, settings(tmp_path, QUIZ_SPOOL=str(disk / "spool.jsonl")))  # no schema: inserts fail
        client = app.test_client()
        assert consent_and_result(client) == 200
        assert "RECORD LOST" in caplog.text and "Read-only file system" in caplog.text
        body = client.get("/healthz").get_json()
        assert body["status"] == "degraded" and body["spool"]["writable"] is False and body["records"]["lost"] == 1


def test_after_an_outage_every_worker_and_a_restart_keep_reporting_the_lost_record(tiny_dir, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")  # the spool's directory is a file: the spool cannot be written
    values = settings(tmp_path, QUIZ_SPOOL=str(blocker / "spool.jsonl"))
    worker_a, worker_b = create_app(tiny_dir, values), create_app(tiny_dir, values)
    assert consent_and_result(worker_a.test_client()) == 200  # the database has no schema yet: lost
    blocker.unlink()  # the outage ends: spool writable, database set up
    open_store(values["DATABASE_URL"]).upgrade()
    for app in (worker_b, create_app(tiny_dir, values)):  # another worker, and one after a restart
        body = app.test_client().get("/healthz").get_json()
        assert body["database"] == "reachable" and body["spool"]["writable"] is True
        assert body["status"] == "degraded" and body["records"]["lost"] == 1
