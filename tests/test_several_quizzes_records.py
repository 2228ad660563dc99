"""Several quizzes share one database: records, exports and stats are still per quiz.

The two quizzes here are copies of the same tiny quiz, so they have the same content version:
only the quiz's slug in each record keeps them apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import settings, write_tiny_quiz

from quiz import create_app
from quiz.cli import main
from quiz.export import aggregate
from quiz.loading import load_content
from quiz.storage import ResponseRecord, open_store
from quiz.storage.spool import frame, unframe

TOKEN = "several-export"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def quizzes(tmp_path):
    for slug in ("nord", "sor"):
        write_tiny_quiz(tmp_path / "quizzes" / slug)
    return tmp_path / "quizzes"


def fill(store, version: str) -> None:
    """30 records of "nord" and 12 of "sor" (other answers), in a week that is over."""
    store.add([ResponseRecord(version, date(2026, 9, 1), None, "444", "111", ("alpha",), f"n{i}", 7919 * i, quiz="nord")
               for i in range(30)])
    store.add([ResponseRecord(version, date(2026, 9, 2), None, "000", "111", ("beta",), f"s{i}", 104729 * i, quiz="sor")
               for i in range(12)])


def test_a_voters_record_carries_the_quiz_it_answered(quizzes, tmp_path, database_url):
    app = create_app(quizzes, settings(tmp_path, DATABASE_URL=database_url))
    store = app.extensions["quiz_recorder"].store
    store.upgrade()
    client = app.test_client()
    for slug, times in (("nord", 2), ("sor", 1)):
        for _ in range(times):
            token = re.search(r'name="token" type="hidden" value="([^"]+)"', client.get(f"/{slug}/quiz").text)[1]
            sent = client.post(f"/{slug}/answers", data={"straff": "2", "token": token, "share": "y"},
                               headers=SAME_ORIGIN)
            assert sent.status_code == 303
    version = app.extensions["quiz_contents"]["nord"].version
    assert app.extensions["quiz_contents"]["sor"].version == version  # the same content: only the slug differs
    counted = {slug: sum(len(b.days) for b in store.batches(version, 3, quiz=slug)) for slug in ("nord", "sor")}
    assert counted == {"nord": 2, "sor": 1}


def test_exports_and_stats_count_one_quiz_each(quizzes, tmp_path, database_url):
    app = create_app(quizzes, settings(tmp_path, DATABASE_URL=database_url, QUIZ_EXPORT_TOKEN=TOKEN))
    store = app.extensions["quiz_recorder"].store
    store.upgrade()
    content = app.extensions["quiz_contents"]["nord"]
    fill(store, content.version)
    for slug, records in (("nord", 30), ("sor", 12)):
        counted = aggregate(store, content, quiz=slug)
        assert sum(block.tables()["records"][0] for block in counted.blocks.values()) == records
    client = app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    nord = client.get("/nord/api/v1/export", headers=auth).get_json()
    sor = client.get("/sor/api/v1/export", headers=auth).get_json()
    assert nord["records"] > 20 and sor["records"] < 20  # each within its perturbation of 30 and 12
    answers = {s["id"]: s["answers"] for s in nord["statements"]}
    assert answers["straff"]["2"] > 20 and answers["straff"]["-2"] == 0  # nord's voters only
    page = client.get("/sor/stats", headers=auth)
    assert page.status_code == 200 and 'href="/sor/api/v1/export?format=csv"' in page.text
    assert client.get("/nord/api/v1/export", headers={"Authorization": "Bearer wrong"}).get_json()["error"]


def test_the_cli_exports_the_quiz_it_is_told(quizzes, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    store.upgrade()
    fill(store, load_content(quizzes / "nord").version)
    nord = CliRunner().invoke(main, ["export", "--data", str(quizzes), "--quiz", "nord", "--k", "5"])
    sor = CliRunner().invoke(main, ["export", "--data", str(quizzes), "--quiz", "sor", "--k", "5"])
    assert nord.exit_code == 0 and sor.exit_code == 0, nord.output + sor.output
    assert json.loads(nord.output)["records"] > 20 and json.loads(sor.output)["records"] < 20
    unnamed = CliRunner().invoke(main, ["export", "--data", str(quizzes)])
    assert unnamed.exit_code != 0 and "--quiz" in unnamed.output and "nord, sor" in unnamed.output
    unknown = CliRunner().invoke(main, ["export", "--data", str(quizzes), "--quiz", "vest"])
    assert unknown.exit_code != 0 and "no quiz 'vest'" in unknown.output
    single = CliRunner().invoke(main, ["export", "--data", str(quizzes / "nord"), "--quiz", "nord"])
    assert single.exit_code != 0 and "is one quiz" in single.output


def test_a_spooled_record_keeps_its_quiz():
    record = ResponseRecord("v1", date(2026, 9, 1), None, "4", "1", ("alpha",), "t", 5, quiz="nord")
    read = unframe(frame(record).rstrip(b"\n"))
    assert read == replace(record, record_key=read.record_key)  # a spooled record gets a fresh key
    alone = replace(record, quiz=None)  # one quiz: the spool line is as before
    assert b'"quiz"' not in frame(alone) and unframe(frame(alone).rstrip(b"\n")).quiz is None
