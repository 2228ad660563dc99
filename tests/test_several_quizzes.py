"""Several quizzes in one deployment: each under /<slug>/, listed at /, never mixed."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_bundled_quiz, settings, write_tiny_quiz
from page_text import text_of

from quiz import create_app
from quiz.app import REPO_ROOT
from quiz.cli import main
from quiz.loading import ContentError
from quiz.partners import PartnerConfigError
from quiz.quizzes import QuizDirectoryError

VALG_STATEMENT = "straffbart"  # in the bundled quiz's statements, in no German one
WAHL_STATEMENT = "Tempolimit"


@pytest.fixture(scope="module")
def app(quiz_directory, tmp_path_factory):
    return create_app(quiz_directory, settings(tmp_path_factory.mktemp("several")))


@pytest.fixture
def client(app):
    return app.test_client()


def test_the_front_page_lists_each_quiz_in_the_negotiated_language(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and 'lang="en"' in page.text
    text = text_of(page)
    assert "Voter advice quiz: drug policy reform" in text and "Wahl-O-Mat: Bundestagswahl 2021" in text
    assert "10 statements, 5 actors" in text and "5 statements, 6 actors" in text
    assert "Deutsch" in text and "Norsk bokmål" in text
    assert 'href="/valg/"' in page.text and 'href="/wahl/"' in page.text
    norwegian = client.get("/", headers={"Accept-Language": "nb"})
    assert 'lang="nb"' in norwegian.text and "10 påstander, 5 aktører" in text_of(norwegian)
    assert "Valgomat: rusreform" in text_of(norwegian)
    assert client.get("/?lang=de").status_code == 200  # a language of one of the quizzes


@pytest.mark.parametrize("path", ["/", "/quiz", "/methodology", "/privacy", "/embed", "/api/v1/quiz",
                                  "/api/v1/openapi.json"])
def test_every_page_lives_under_its_quiz(client, path):
    for slug in ("valg", "wahl"):
        response = client.get(f"/{slug}{path}")
        assert response.status_code == 200, (slug, path)
    if path != "/":
        assert client.get(path).status_code == 404  # nothing of a quiz at the root


def test_each_quiz_shows_its_own_content_and_links_stay_inside_it(client):
    valg, wahl = client.get("/valg/quiz").text, client.get("/wahl/quiz").text
    assert VALG_STATEMENT in valg and WAHL_STATEMENT not in valg
    assert WAHL_STATEMENT in wahl and VALG_STATEMENT not in wahl
    links = re.findall(r'(?:href|action)="(/[^"]*)"', wahl)
    assert links and all(link.startswith(("/wahl/", "/assets/")) for link in links), links
    source = client.get("/wahl/api/v1/quiz").get_json()["sources"][0]["id"]
    assert client.get(f"/wahl/sources/{source}").status_code == 200
    assert client.get(f"/valg/sources/{source}").status_code == 404


def _answers(client, slug: str) -> dict:
    quiz = client.get(f"/{slug}/api/v1/quiz").get_json()
    return {s["id"]: str(quiz["scale"][0]) for s in quiz["statements"]}


def test_a_result_url_of_one_quiz_never_shows_another_quizs_content(client):
    for slug, own, other in (("valg", VALG_STATEMENT, WAHL_STATEMENT), ("wahl", WAHL_STATEMENT, VALG_STATEMENT)):
        sent = client.post(f"/{slug}/answers", data=_answers(client, slug))
        assert sent.status_code == 303 and sent.location.startswith(f"/{slug}/result?")
        result = client.get(sent.location)
        assert result.status_code == 200 and own in result.text and other not in result.text
        query = sent.location.partition("?")[2]
        elsewhere = client.get(f"/{'wahl' if slug == 'valg' else 'valg'}/result?{query}")
        assert elsewhere.status_code == 400 and own not in elsewhere.text  # its statement ids are not that quiz's


def test_quizzes_with_the_same_ids_keep_their_own_texts(tmp_path):
    """Kept page parts (kept_html) are kept per quiz: two quizzes with the same statement ids differ."""
    write_tiny_quiz(tmp_path / "quizzes" / "first")
    second = write_tiny_quiz(tmp_path / "quizzes" / "second") / "questions" / "statements.toml"
    second.write_text(second.read_text(encoding="utf-8").replace("fortsatt være straffbart", "bli lovlig"),
                      encoding="utf-8")
    client = create_app(tmp_path / "quizzes", settings(tmp_path)).test_client()
    query = "straff=2&brukerrom=2&ransaking=2"
    first, then = client.get(f"/first/result?{query}").text, client.get(f"/second/result?{query}").text
    assert "fortsatt være straffbart" in first and "bli lovlig" not in first
    assert "bli lovlig" in then and "fortsatt være straffbart" not in then


def test_the_api_lists_the_quizzes_and_healthz_every_version(client):
    listed = client.get("/api/v1/quizzes").get_json()
    assert listed["several"] is True
    assert [(q["slug"], q["api"], q["statements"], q["actors"]) for q in listed["quizzes"]] == [
        ("valg", "/valg/api/v1/quiz", 10, 5), ("wahl", "/wahl/api/v1/quiz", 5, 6)]
    versions = {q["slug"]: client.get(q["api"]).get_json()["version"] for q in listed["quizzes"]}
    assert client.get("/healthz").get_json()["content_versions"] == versions


def test_one_quiz_keeps_its_addresses_and_lists_itself(tiny_client):
    listed = tiny_client.get("/api/v1/quizzes").get_json()
    assert listed["several"] is False and [(q["slug"], q["url"], q["api"]) for q in listed["quizzes"]] == [
        (None, "/", "/api/v1/quiz")]
    assert "content_version" in tiny_client.get("/healthz").get_json()


def test_unknown_quizzes_and_languages_are_clear_errors(client):
    missing = client.get("/nope/quiz")
    assert missing.status_code == 404 and 'href="/"' in missing.text
    api = client.get("/nope/api/v1/quiz")
    assert api.status_code == 404 and "error" in api.get_json()
    assert client.get("/wahl/api/v1/sources/nope").get_json()["error"]
    refused = client.get("/valg/quiz?lang=de")  # German is the other quiz's language, not this one's
    assert refused.status_code == 400 and "de" in text_of(refused)


def test_an_invalid_quiz_stops_the_start_naming_it(tmp_path, quiz_directory):
    root = tmp_path / "quizzes"
    shutil.copytree(quiz_directory, root)
    (root / "wahl" / "questions" / "statements.toml").write_text("not = [valid", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        create_app(root, settings(tmp_path))
    assert str(error.value).startswith("quiz 'wahl': 1 problem(s) in the quiz content:")
    assert "statements.toml" in str(error.value)


@pytest.mark.parametrize("name", ["Valg", "api", "valg_2026", "-valg"])
def test_a_quiz_directory_name_must_be_a_slug(tmp_path, name):
    copy_bundled_quiz(tmp_path / "quizzes" / "good")
    copy_bundled_quiz(tmp_path / "quizzes" / name)
    with pytest.raises(QuizDirectoryError, match=re.escape(repr(name))):
        create_app(tmp_path / "quizzes", settings(tmp_path))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_validate_and_audit_go_over_every_quiz_or_the_one_named(quiz_directory, tmp_path):
    result = run("validate", "--data", quiz_directory)
    assert result.exit_code == 0, result.output
    assert result.output.count("OK: ") == 2 and "quiz 'valg':\nOK: 10 statements" in result.output
    assert "quiz 'wahl':\nOK: 5 statements" in result.output
    one = run("validate", "--data", quiz_directory, "--quiz", "wahl")
    assert one.exit_code == 0 and "quiz 'valg'" not in one.output and one.output.count("OK: ") == 1
    audited = run("audit", "--data", quiz_directory, "--voters", "2000")
    assert audited.exit_code == 0, audited.output
    assert "quiz 'valg':" in audited.output and "quiz 'wahl':" in audited.output
    assert run("audit", "--data", quiz_directory, "--html", tmp_path / "a.html").exit_code != 0  # which quiz's?
    assert "no quiz 'nope'" in run("validate", "--data", quiz_directory, "--quiz", "nope").output


def test_validate_names_the_broken_quiz(quiz_directory, tmp_path):
    root = tmp_path / "quizzes"
    shutil.copytree(quiz_directory, root)
    (root / "wahl" / "questions" / "statements.toml").write_text("not = [valid", encoding="utf-8")
    result = run("validate", "--data", root)
    assert result.exit_code == 1
    assert "quiz 'valg':\nOK: " in result.output and "quiz 'wahl':\n1 error(s):" in result.output
    assert "1 of 2 quizzes have problems: wahl" in result.output


PARTNERS = """
[[partner]]
id = "avisa"
name = "Avisa"
origins = ["https://avisa.example"]
quizzes = ["wahl"]

[[partner]]
id = "alle"
name = "Alle"
origins = ["https://alle.example"]
"""


def test_an_actors_review_link_lives_under_its_quiz(quiz_directory, tmp_path, monkeypatch):
    key = "review-key"
    monkeypatch.setenv("SECRET_KEY", key)
    refused = CliRunner().invoke(main, ["review", "invite", "--data", str(quiz_directory)])
    assert refused.exit_code != 0 and "name one with --quiz" in refused.output
    invited = CliRunner().invoke(main, ["review", "invite", "--data", str(quiz_directory), "--quiz", "valg",
                                        "--base-url", "https://quiz.example"])
    assert invited.exit_code == 0, invited.output
    link = next(line.split("\t")[2] for line in invited.output.splitlines() if line.startswith("ap\t"))
    assert link.startswith("https://quiz.example/valg/review-coding/")
    app = create_app(quiz_directory, settings(tmp_path, SECRET_KEY=key))
    app.extensions["quiz_recorder"].store.upgrade()  # as `quiz db upgrade` does
    client = app.test_client()
    path = link.removeprefix("https://quiz.example")
    page = client.get(path)
    assert page.status_code == 200 and "Arbeiderpartiet" in page.text
    assert client.get(path.replace("/valg/", "/wahl/", 1)).status_code == 410  # another quiz's content version


def test_partners_frame_the_quizzes_they_are_allowed(quiz_directory, tmp_path):
    (tmp_path / "partners.toml").write_text(PARTNERS, encoding="utf-8")
    app = create_app(quiz_directory, settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml")))
    client = app.test_client()
    allowed = client.get("/wahl/quiz?partner=avisa")
    assert allowed.status_code == 200
    assert "frame-ancestors https://avisa.example" in allowed.headers["Content-Security-Policy"]
    assert 'action="/wahl/review' in allowed.text and 'name="partner" value="avisa"' in allowed.text
    refused = client.get("/valg/quiz?partner=avisa", headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and "Avisa may not embed this quiz." in text_of(refused)
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]
    assert refused.headers["X-Frame-Options"] == "DENY"
    for slug in ("valg", "wahl"):
        assert client.get(f"/{slug}/?partner=alle").status_code == 200  # no list: every quiz
    assert "<code>avisa</code>" not in client.get("/valg/embed").text  # the partners that may embed this quiz
    embed = client.get("/wahl/embed")
    assert "<code>avisa</code>" in embed.text and "<code>alle</code>" in embed.text
    assert 'data-quiz="wahl" data-partner="YOUR-PARTNER-ID"' in text_of(embed)
    assert 'iframe src="http://localhost/wahl/?partner=YOUR-PARTNER-ID"' in text_of(embed)


def test_a_partner_may_only_name_quizzes_that_are_served(quiz_directory, tiny_dir, tmp_path):
    (tmp_path / "partners.toml").write_text(PARTNERS.replace('"wahl"', '"oslo"'), encoding="utf-8")
    with pytest.raises(PartnerConfigError, match="partner avisa: 'quizzes' must list quizzes .*valg, wahl"):
        create_app(quiz_directory, settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml")))
    with pytest.raises(PartnerConfigError, match="serves one quiz"):
        create_app(tiny_dir, settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml")))


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if condition():
                return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_quiz_added_is_served_after_a_rolling_restart_of_gunicorn(quiz_directory, tmp_path):
    """The README's way to add a quiz: copy it in, `kill -USR2` the master (a new master loads every
    quiz, before forking its workers, on the same socket), then `kill -TERM` the old one."""
    root = tmp_path / "quizzes"
    shutil.copytree(quiz_directory, root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pidfile = tmp_path / "gunicorn.pid"
    env = {**os.environ, "SECRET_KEY": "x", "QUIZ_DATA_DIR": str(root), "QUIZ_BIND": f"127.0.0.1:{port}",
           "QUIZ_WORKERS": "1", **{k: str(v) for k, v in settings(tmp_path).items() if k.startswith(("QUIZ_", "DATA"))}}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with (tmp_path / "gunicorn.log").open("w") as log:
        first = subprocess.Popen([str(gunicorn), "-c", str(REPO_ROOT / "deploy" / "gunicorn.conf.py"), "--pid",
                                  str(pidfile), "quiz:create_app()"], env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
    url, second = f"http://127.0.0.1:{port}/api/v1/quizzes", first.pid
    try:
        _wait_for(lambda: _get_json(url))
        assert [q["slug"] for q in _get_json(url)["quizzes"]] == ["valg", "wahl"]
        (root / "broken").mkdir()
        (root / "broken" / "quiz.toml").write_text("not = [valid", encoding="utf-8")
        os.kill(first.pid, signal.SIGUSR2)  # the new master refuses the broken quiz; the old one serves on
        _wait_for(lambda: "quiz 'broken'" in (tmp_path / "gunicorn.log").read_text())
        assert [q["slug"] for q in _get_json(url)["quizzes"]] == ["valg", "wahl"]
        shutil.rmtree(root / "broken")
        write_tiny_quiz(root / "tiny")
        new_pidfile = pidfile.with_name("gunicorn.pid.2")  # the new master's, until the old one is gone

        def restarted() -> bool:  # until the old master has reaped the refused one, it ignores USR2: repeat it
            os.kill(first.pid, signal.SIGUSR2)
            time.sleep(1)
            return new_pidfile.exists() and int(new_pidfile.read_text()) > 0

        _wait_for(restarted)
        second = int(new_pidfile.read_text())
        os.kill(first.pid, signal.SIGTERM)
        first.wait(timeout=60)
        _wait_for(lambda: [q["slug"] for q in _get_json(url)["quizzes"]] == ["tiny", "valg", "wahl"])
        assert _get_json(f"http://127.0.0.1:{port}/tiny/api/v1/quiz")["statements"][0]["id"] == "straff"
        _wait_for(lambda: int(pidfile.read_text()) == second)  # promoted: it now answers to gunicorn.pid
    finally:
        for pid in (first.pid, second):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
