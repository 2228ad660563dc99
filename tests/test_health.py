"""/healthz, security headers over TLS, and the app refusing to start without what it needs."""

from __future__ import annotations

import pytest
from conftest import settings

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


def test_csp_allows_no_inline_script(tiny_client):
    csp = tiny_client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp


def test_secret_key_is_required(tiny_dir, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(tiny_dir)
