"""Aggregate export: numbers checked against records the test inserts; suppression; noise; access."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import settings

from quiz import create_app
from quiz.cli import main
from quiz.export import aggregate, protect, to_csv
from quiz.export.aggregate import Aggregates
from quiz.export.disclosure import NOISE_FLOOR, NOISE_PER_ROOT
from quiz.loading import load_content
from quiz.storage import ResponseRecord, open_store


def key(i: int) -> int:
    """A fixed record key per test record, so that the perturbed figures are the same on every run."""
    return (i * 2654435761 + 12345) % 2**32


def fill(store, version: str) -> None:
    """80 liberal-ish voters (top: beta) in two weeks, half through a partner; 30 who disagree with
    everything (top: alpha); one record of another version. Each partner group × week holds 20 or more."""
    records = [ResponseRecord(version, date(2026, 9, 1 + 7 * (i % 2)), "avisa" if i < 40 else None, "41-", "211",
                              ("beta",), f"a{i}", key(i)) for i in range(80)]
    records += [ResponseRecord(version, date(2026, 9, 3), None, "000", "111", ("alpha",), f"b{i}", key(100 + i))
                for i in range(30)]
    records.append(ResponseRecord("old-version", date(2026, 9, 3), None, "444", "111", ("beta",), "c", key(999)))
    store.add(records)


@pytest.fixture
def content(tiny_dir):
    return load_content(tiny_dir)


@pytest.fixture
def store(database_url, content):
    store = open_store(database_url)
    store.upgrade()
    fill(store, content.version)
    return store


def raw(agg: Aggregates, table: str) -> np.ndarray:
    """A table's true counts: the sum over the blocks, before disclosure control."""
    return sum(block.tables()[table] for block in agg.blocks.values())


def near(published: int, true: int, blocks: int = 1) -> bool:
    """Within the perturbation's bound (three times its scale) in each of ``blocks`` equal blocks."""
    return abs(published - true) <= 3 * blocks * max(NOISE_FLOOR, NOISE_PER_ROOT * (true / blocks) ** 0.5)


def test_counts_match_the_inserted_records(store, content):
    agg = aggregate(store, content, chunk=7)
    assert sorted(agg.blocks) == [("", "2026-08-31"), ("", "2026-09-07"), ("avisa", "2026-08-31"),
                                  ("avisa", "2026-09-07")]
    assert raw(agg, "records")[0] == 110  # the other version is never mixed in
    assert raw(agg, "answers")[0].tolist() == [30, 0, 0, 0, 80, 0]
    assert raw(agg, "important")[0].tolist() == [80, 30]
    assert raw(agg, "answers")[2, 5] == 80
    assert raw(agg, "crosstab")[0, 4].tolist() == [0, 80, 0] and raw(agg, "crosstab")[0, 0].tolist() == [30, 0, 0]
    assert raw(agg, "top").tolist() == [30, 80, 0]
    # beta: 80 voters score 100, 30 score 37.5 (band 35–40); gamma: only the 30 who answered "ransaking"
    assert raw(agg, "scores")[1, 19] == 80 and raw(agg, "scores")[1, 7] == 30
    assert raw(agg, "scores")[2].sum() == 30
    per_day = Counter()
    for block in agg.blocks.values():
        per_day.update({day: count for day, (count, _) in block.days.items()})
    assert per_day == {"2026-09-01": 40, "2026-09-08": 40, "2026-09-03": 30}


def test_published_figures_are_the_counts_within_the_perturbation(store, content):
    release = protect(aggregate(store, content), k=10)
    assert near(release["records"], 110, blocks=4)
    straff = release["statements"][0]
    assert near(straff["answers"]["-2"], 30) and near(straff["answers"]["2"], 80, blocks=4)
    assert straff["answers"]["-1"] == straff["answers"]["0"] == straff["answers"]["skip"] == 0
    assert near(straff["by_top_match"]["2"]["beta"], 80, blocks=4)
    actors = {a["id"]: a for a in release["actors"]}
    assert near(actors["beta"]["top_match"], 80, blocks=4) and actors["gamma"]["top_match"] == 0
    assert abs(actors["beta"]["mean_score"] - 81.1) < 4  # (80·97.5 + 30·37.5) / 110 from the bands' midpoints
    assert [d["day"] for d in release["per_day"]] == ["2026-09-01", "2026-09-03", "2026-09-08"]
    assert [p["partner"] for p in release["per_partner"]] == [None, "avisa"]
    assert release["method"] == "cell key" and any("cell key" in note for note in release["notes"])


def test_the_same_records_always_give_the_same_figures(store, content):
    first = protect(aggregate(store, content), k=10)
    assert all(protect(aggregate(store, content, chunk=c), k=10) == first for c in (1, 13, 1000))


def test_filters_count_whole_weeks_that_are_over(store, content):
    records = lambda **f: raw(aggregate(store, content, **f), "records")[0]  # noqa: E731
    assert records(partner="avisa") == 40
    assert records(first_day=date(2026, 9, 8)) == 40  # the week of 7 September
    assert records(first_day=date(2026, 9, 13)) == 40  # a Sunday: still that week
    assert records(last_day=date(2026, 9, 1)) == 70  # the week of 31 August, to its Sunday
    assert records(today=date(2026, 9, 13)) == 70  # the week of 7 September is not over yet
    assert records(today=date(2026, 9, 14)) == 110
    agg = aggregate(store, content, first_day=date(2026, 9, 2), last_day=date(2026, 9, 9))
    assert agg.covers == {"from": "2026-08-31", "to": "2026-09-13", "block_days": 7}
    assert agg.filters == {"partner": None, "from": "2026-09-02", "to": "2026-09-09"}


def test_a_quiz_with_daily_blocks_counts_every_day_that_is_over(tiny_dir, database_url, tmp_path):
    # A newsroom that wants election night's figures the next morning sets export_block_days = 1.
    quiz_toml = tiny_dir / "quiz.toml"
    quiz_toml.write_text("export_block_days = 1\n" + quiz_toml.read_text())
    content = load_content(tiny_dir)
    assert content.info.export_block_days == 1
    store = open_store(database_url)
    store.upgrade()
    fill(store, content.version)
    records = lambda **f: raw(aggregate(store, content, **f), "records")[0]  # noqa: E731
    assert records(today=date(2026, 9, 3)) == 40  # 1 September is over; the 3rd is today
    assert records(today=date(2026, 9, 4)) == 70  # the day after, the 3rd is counted
    assert records(first_day=date(2026, 9, 2), last_day=date(2026, 9, 3), today=date(2026, 9, 20)) == 30  # no weeks
    agg = aggregate(store, content, first_day=date(2026, 9, 2), last_day=date(2026, 9, 9), today=date(2026, 9, 20))
    assert agg.covers == {"from": "2026-09-02", "to": "2026-09-09", "block_days": 1}
    assert sorted(agg.blocks) == [("", "2026-09-03"), ("", "2026-09-08"), ("avisa", "2026-09-08")]
    notes = protect(agg, k=10)["notes"]
    assert "Covers whole days (UTC) that are over: 2026-09-02 to 2026-09-09. Today is counted from tomorrow." in notes
    assert any(note.startswith("Disclosure control (cell key method, per partner and day)") for note in notes)
    privacy = create_app(tiny_dir, settings(tmp_path)).test_client().get("/privacy?lang=en").get_data(as_text=True)
    assert "per whole day that is over" in privacy and "per whole week" not in privacy


@pytest.mark.parametrize("value", ["3", "true", '"7"'])
def test_export_block_days_is_7_or_1(tiny_dir, value):
    from quiz.content_files import ContentError

    quiz_toml = tiny_dir / "quiz.toml"
    quiz_toml.write_text(f"export_block_days = {value}\n" + quiz_toml.read_text())
    with pytest.raises(ContentError, match="export_block_days"):
        load_content(tiny_dir)


def test_a_lone_voter_is_published_as_zero(store, content):
    store.add([ResponseRecord(content.version, date(2026, 9, 22), "lone", "--4", "112", ("gamma",), "x", key(7))])
    release = protect(aggregate(store, content), k=10)
    assert all(v == 0 for v in release["statements"][2]["by_top_match"]["2"].values())
    assert {a["id"]: a["top_match"] for a in release["actors"]}["gamma"] == 0
    assert protect(aggregate(store, content, partner="lone"), k=10)["records"] is None


def test_too_few_records_show_nothing(store, content):
    release = protect(aggregate(store, content, partner="nobody"), k=10)
    assert release["records"] is None and release["per_day"] == []
    assert all(v is None for v in release["statements"][0]["answers"].values())
    assert any("Too few" in note for note in release["notes"])


def test_a_threshold_below_the_minimum_is_refused():
    with pytest.raises(ValueError, match="at least"):
        protect(Aggregates("v", ["s"], ["a"]), k=2)


def test_csv_has_one_row_per_published_number(store, content):
    release = protect(aggregate(store, content), k=10)
    lines = to_csv(release).splitlines()
    assert lines[0] == "table,statement,answer,actor,day,partner,value"
    assert f"answers,straff,2,,,,{release['statements'][0]['answers']['2']}" in lines
    assert f"answer_by_top_match,straff,2,beta,,,{release['statements'][0]['by_top_match']['2']['beta']}" in lines
    assert f"per_partner,,,,,avisa,{release['per_partner'][1]['count']}" in lines


@pytest.fixture
def cli_env(tmp_path, tiny_dir, monkeypatch, content):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tiny_dir))
    store = open_store(url)
    store.upgrade()
    fill(store, content.version)
    return url


def test_cli_export_json_and_csv(cli_env):
    result = CliRunner().invoke(main, ["export", "--k", "5"])
    assert result.exit_code == 0, result.output
    assert near(json.loads(result.output)["records"], 110, blocks=4)
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--partner", "avisa"])
    records = next(line for line in result.output.splitlines() if line.startswith("records,"))
    assert near(int(records.rsplit(",", 1)[1]), 40, blocks=2)


def test_cli_export_refuses_mixing_versions(cli_env):
    result = CliRunner().invoke(main, ["export", "--version", "old-version"])
    assert result.exit_code != 0
    assert "never mixed" in result.output and "old-version" in result.output


@pytest.mark.parametrize("args", [["export", "--from", "yesterday"], ["export", "--epsilon", "1000"],
                                  ["export", "--format", "xml"], ["export", "--k", "0"], ["export", "--k", "1"]])
def test_cli_export_bad_options(cli_env, args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2


@pytest.fixture
def export_app(tiny_dir, tmp_path, content):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_EXPORT_TOKEN="s3cret-token"))
    store = app.extensions["quiz_recorder"].store
    store.upgrade()
    fill(store, content.version)
    return app


def test_http_export_needs_the_token(export_app):
    client = export_app.test_client()
    challenge = client.get("/api/v1/export")
    assert challenge.status_code == 401 and challenge.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/export", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/api/v1/export", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    assert near(response.get_json()["records"], 110, blocks=4)
    csv_response = client.get("/api/v1/export?format=csv&partner=avisa",
                              headers={"Authorization": "Bearer s3cret-token"})
    records = next(line for line in csv_response.get_data(as_text=True).splitlines() if line.startswith("records,"))
    assert near(int(records.rsplit(",", 1)[1]), 40, blocks=2)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("query", [
    "from=nope", "from=20260101", "from=2026-W01-1", "from=2026-09-08&to=2026-09-01", "epsilon=-1", "epsilon=abc",
    "epsilon=0.5", "epsilon=1000", "epsilon=", "format=xml", "version=other"])
def test_http_export_bad_parameters(export_app, query):
    client, token = export_app.test_client(), {"Authorization": "Bearer s3cret-token"}
    response = client.get(f"/api/v1/export?{query}", headers=token)
    assert response.status_code == 400 and response.get_json()["error"]
    if not query.startswith("format"):  # the stats page reads the same filters
        assert client.get(f"/stats?{query}", headers=token).status_code == 400


def test_stats_links_carry_the_filters_only(export_app):
    page = export_app.test_client().get("/stats?partner=avisa&from=2026-09-01&endpoint=x&_method=POST",
                                        headers={"Authorization": "Bearer s3cret-token"}).get_data(as_text=True)
    assert "/api/v1/export?partner=avisa&amp;from=2026-09-01&amp;format=csv" in page
    assert "endpoint" not in page and "_method" not in page
    assert "Helt enig</span>" in page and "Hoppet over</span>" in page  # the legend in the page's language


def test_no_token_configured_means_no_endpoint(tiny_client):
    assert tiny_client.get("/api/v1/export", headers={"Authorization": "Bearer x"}).status_code == 404
    assert tiny_client.get("/stats").status_code == 404


def test_stats_page_with_basic_auth_shows_svg_charts(export_app):
    client = export_app.test_client()
    challenge = client.get("/stats")
    assert challenge.status_code == 401 and challenge.headers["WWW-Authenticate"].startswith("Basic")
    auth = base64.b64encode(b"redaksjonen:s3cret-token").decode()
    page = client.get("/stats", headers={"Authorization": f"Basic {auth}"}).get_data(as_text=True)
    assert "delte svar" in page
    assert page.count('<svg class="chart-bar"') == 3 + 3 + 3  # statements, actors, days
    assert "Self-selected" in page
    assert "<script" not in page


def test_a_configured_threshold_below_the_minimum_stops_the_app(tiny_dir, tmp_path):
    with pytest.raises(ValueError, match="at least 5"):
        create_app(tiny_dir, settings(tmp_path, QUIZ_SUPPRESS_BELOW=1))
