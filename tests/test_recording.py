"""Opt-in storage through the real form: consent, anti-stuffing checks, outages. The voter always gets a result."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import re
import sqlite3
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from conftest import eventually, settings

from quiz import create_app
from quiz.storage import open_store
from quiz.tokens import FormTokens

ANSWERS = {"straff": "2", "brukerrom": "-1", "ransaking": "skip", "important": "straff"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def token_from(client) -> str:
    page = client.get("/quiz").get_data(as_text=True)
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def submit(client, share=True, token=None, headers=SAME_ORIGIN, **extra):
    data = dict(ANSWERS, token=token if token is not None else token_from(client), **extra)
    if share:
        data["share"] = "y"
    return client.post("/answers", data=data, headers=headers)


def rows(app) -> list[tuple]:
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT quiz_version, day, partner, answers, weights, top_actors FROM responses"
                                  ).fetchall()


@pytest.fixture
def app(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path))
    open_store(app.config["DATABASE_URL"]).upgrade()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("share, stored", [("y", 1), ("on", 1), ("0", 0), ("no", 0), ("off", 0), ("Y ", 0), ("", 0),
                                           ("false", 0), (None, 0)])
def test_consent_is_only_the_checkbox_ticked(app, client, share, stored):
    data = dict(ANSWERS, token=token_from(client), **({} if share is None else {"share": share}))
    response = client.post("/answers", data=data, headers=SAME_ORIGIN)
    assert response.status_code == 303 and len(rows(app)) == stored


def test_a_bad_posted_ballot_gets_the_forms_400_page_and_is_not_stored(app, client):
    response = submit(client, straff="7")
    assert response.status_code == 400 and "Noen svar er ugyldige" in response.get_data(as_text=True)
    response = submit(client, extra_field="1")
    assert response.status_code == 400 and "Ukjente felt: “extra_field”" in response.get_data(as_text=True)
    assert rows(app) == []


def test_consenting_voter_is_stored_once_with_nothing_but_the_answers(app, client):
    response = submit(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/result?straff=2&brukerrom=-1&ransaking=skip&important=straff"
    assert client.get(response.headers["Location"]).status_code == 200
    version = app.extensions["quiz_content"].version
    today = datetime.now(UTC).date().isoformat()
    assert rows(app) == [(version, today, None, "41-", "211", "beta")]
    assert "Set-Cookie" not in response.headers


def test_without_consent_nothing_is_stored(app, client):
    response = submit(client, share=False)
    assert response.status_code == 303
    assert rows(app) == []


def test_a_replayed_form_counts_once(app, client):
    token = token_from(client)
    assert submit(client, token=token).status_code == 303
    assert submit(client, token=token).status_code == 303  # the voter still gets a result
    assert len(rows(app)) == 1
    assert app.extensions["quiz_recorder"].counts["rejected-replay"] == 1


@pytest.mark.parametrize("token, reason", [("", "missing"), ("forged.token.value", "forged")])
def test_missing_or_forged_tokens_are_not_counted(app, client, token, reason):
    response = submit(client, token=token)
    assert response.status_code == 303
    assert rows(app) == []
    assert app.extensions["quiz_recorder"].counts[f"rejected-{reason}"] == 1


def test_a_token_from_another_secret_is_forged(app, client, tiny_dir, tmp_path):
    other = create_app(tiny_dir, settings(tmp_path / "other", SECRET_KEY="another-secret"))
    submit(client, token=token_from(other.test_client()))
    assert rows(app) == []


def test_too_fast_is_not_counted(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_MIN_SECONDS=60))
    open_store(app.config["DATABASE_URL"]).upgrade()
    response = submit(app.test_client())
    assert response.status_code == 303
    assert rows(app) == []
    assert app.extensions["quiz_recorder"].counts["rejected-too-fast"] == 1


def test_expired_token_is_not_counted(app, client):
    tokens = app.extensions["quiz_recorder"].tokens
    old = tokens.issue()
    assert tokens.check(old, now=datetime.now(UTC).timestamp() + tokens.max_age + 5).reason == "expired"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"}, {},
])
def test_cross_site_or_unknown_origin_is_not_counted(app, client, headers):
    assert submit(client, headers=headers).status_code == 303
    assert rows(app) == []


def test_same_origin_by_origin_header(app, client):
    submit(client, headers={"Origin": "http://localhost"})
    assert len(rows(app)) == 1


def test_rate_limit_counts_at_most_the_limit_per_client(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_STORE_LIMIT="3/hour"))
    open_store(app.config["DATABASE_URL"]).upgrade()
    client = app.test_client()
    for _ in range(6):
        assert submit(client).status_code == 303
    assert len(rows(app)) == 3
    other = app.test_client()
    response = other.post("/answers", data=dict(ANSWERS, token=token_from(other), share="y"),
                          headers=SAME_ORIGIN, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 303
    assert len(rows(app)) == 4  # another client has its own allowance


def test_trusted_proxy_hops_decide_the_client_address(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_STORE_LIMIT="1/hour", QUIZ_TRUSTED_PROXIES=1))
    open_store(app.config["DATABASE_URL"]).upgrade()
    client = app.test_client()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        submit(client, headers={**SAME_ORIGIN, "X-Forwarded-For": address})
    assert len(rows(app)) == 2


def test_database_down_spools_and_delivers_later_with_an_exact_count(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path))  # schema not created yet: inserts fail
    client = app.test_client()
    for _ in range(3):
        response = submit(client)
        assert response.status_code == 303
        assert client.get(response.headers["Location"]).status_code == 200
    recorder = app.extensions["quiz_recorder"]
    assert recorder.counts["spooled"] == 3 and recorder.spool.backlog() == 3
    open_store(app.config["DATABASE_URL"]).upgrade()  # the database is back
    submit(client)  # stored at once; the worker's delivery thread then delivers the backlog
    assert eventually(lambda: recorder.counts["delivered"] == 3)
    assert len(rows(app)) == 4 and recorder.spool.backlog() == 0


def test_postgresql_outage_spools_and_delivers_after_restart(tiny_dir, tmp_path, postgres_server):
    app = create_app(tiny_dir, settings(tmp_path, DATABASE_URL=postgres_server.url))
    store = app.extensions["quiz_recorder"].store
    store.upgrade()
    client = app.test_client()
    submit(client)
    postgres_server.stop()  # the database goes down mid-use
    for _ in range(3):
        response = submit(client)
        assert client.get(response.headers["Location"]).status_code == 200  # the voter still gets a result
    recorder = app.extensions["quiz_recorder"]
    assert recorder.counts["spooled"] == 3
    postgres_server.start()
    submit(client)  # the next record wakes the worker's delivery thread
    assert eventually(lambda: recorder.counts["delivered"] == 3)
    assert store.count() == 5 and recorder.spool.backlog() == 0


def test_spool_unwritable_and_database_down_still_shows_the_result(tiny_dir, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_SPOOL=str(blocker / "spool.jsonl")))
    response = submit(app.test_client())
    assert response.status_code == 303
    assert app.extensions["quiz_recorder"].counts["lost"] == 1


def test_invalid_form_posts_get_a_400_page_and_store_nothing(app, client):
    for data in ({"straff": "7", "token": "x", "share": "y"}, {"token": "x", "share": "y"},
                 {"straff": "2", "nope": "1"}, {"straff": "2", "important": "nope"}):
        response = client.post("/answers", data=data, headers=SAME_ORIGIN)
        assert response.status_code == 400
        assert "<html" in response.get_data(as_text=True)
    assert rows(app) == []


def test_the_cli_creates_the_schema(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from quiz.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert open_store(f"sqlite:///{tmp_path / 'cli.sqlite3'}").ping()


def derivations(value: str) -> set[str]:
    """What someone holding a value might compute from it to look it up: the value, its base64
    decoding, and hex and base64 digests of each under common hashes."""
    found = {value}
    with contextlib.suppress(ValueError, binascii.Error):
        found.add(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8", "replace"))
    for text in list(found):
        found.add(text.strip('"'))
    for text in list(found):
        for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256"):
            digest = hashlib.new(name, text.encode()).digest()
            found |= {digest.hex(), base64.b64encode(digest).decode(), base64.urlsafe_b64encode(digest).decode()}
    return found


def test_with_the_review_url_and_the_database_no_record_can_be_found(app, client):
    """The token is in the /review URL (history, proxy logs, shared links): nothing derived from
    any part of it may match what the database keeps about the record."""
    token = token_from(client)
    review_url = client.get("/review", query_string=dict(ANSWERS, token=token)).request.url
    assert token in unquote(review_url)
    assert submit(client, token=token).status_code == 303
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        stored = [str(v) for v in connection.execute("SELECT * FROM responses").fetchone()]
    visible = {value for _, value in parse_qsl(urlsplit(review_url).query)}
    visible |= {part for value in list(visible) for part in value.split(".")}
    candidates = set().union(*(derivations(v) for v in visible))
    for value in (v for v in stored if len(v) >= 8):  # shorter values (answers "41-") match by accident
        assert not any(value in candidate or candidate in value for candidate in candidates if len(candidate) >= 8)


def test_the_record_id_needs_the_secret_key(app):
    tokens = app.extensions["quiz_recorder"].tokens
    other = FormTokens("another-secret", min_seconds=0, max_age=3600)
    assert tokens.record_id("same-nonce") == tokens.record_id("same-nonce") != other.record_id("same-nonce")


def test_a_token_signed_before_record_ids_were_keyed_is_not_counted(app, client):
    from itsdangerous import URLSafeTimedSerializer

    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="quiz-form-token").dumps("nonce-counted-before")
    submit(client, token=old)
    assert rows(app) == []
    assert app.extensions["quiz_recorder"].counts["rejected-forged"] == 1


def test_one_form_posted_at_once_from_many_threads_counts_once(tiny_dir, tmp_path, database_url):
    """Single use stays exact with the keyed record id: the database's unique constraint decides."""
    from concurrent.futures import ThreadPoolExecutor

    app = create_app(tiny_dir, settings(tmp_path, DATABASE_URL=database_url, QUIZ_STORE_LIMIT="1000/hour"))
    store = app.extensions["quiz_recorder"].store
    store.upgrade()
    token = token_from(app.test_client())
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: submit(app.test_client(), token=token).status_code, range(32)))
    assert statuses == [303] * 32
    assert store.count() == 1
    counts = app.extensions["quiz_recorder"].counts
    assert counts["stored"] == 1 and counts["rejected-replay"] == 31
