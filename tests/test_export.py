"""Aggregate export: numbers checked against records the test inserts; suppression; noise; access."""

from __future__ import annotations

import base64
import json
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import settings

from quiz import create_app
from quiz.cli import main
from quiz.export import aggregate, protect, to_csv
from quiz.export.aggregate import Aggregates
from quiz.loading import load_content
from quiz.storage import ResponseRecord, open_store


def fill(store, version: str) -> None:
    """12 liberal-ish voters (top: beta) through a partner, 3 who disagree with everything (top: alpha)."""
    records = [ResponseRecord(version, date(2026, 9, 1 + i % 2), "avisa" if i < 10 else None, "41-", "211",
                              ("beta",), f"a{i}") for i in range(12)]
    records += [ResponseRecord(version, date(2026, 9, 3), None, "000", "111", ("alpha",), f"b{i}") for i in range(3)]
    records.append(ResponseRecord("old-version", date(2026, 9, 3), None, "444", "111", ("beta",), "c"))
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


def test_counts_match_the_inserted_records(store, content):
    release = protect(aggregate(store, content, chunk=4), k=1)
    assert release["records"] == 15  # the other version is never mixed in
    straff = release["statements"][0]
    assert straff["answers"] == {"-2": 3, "-1": 0, "0": 0, "1": 0, "2": 12, "skip": 0}
    assert (straff["important"], straff["not_important"]) == (12, 3)
    assert release["statements"][2]["answers"]["skip"] == 12
    assert straff["by_top_match"]["2"] == {"alpha": 0, "beta": 12, "gamma": 0}
    assert straff["by_top_match"]["-2"] == {"alpha": 3, "beta": 0, "gamma": 0}
    actors = {a["id"]: a for a in release["actors"]}
    assert {a: actors[a]["top_match"] for a in actors} == {"alpha": 3, "beta": 12, "gamma": 0}
    assert actors["beta"]["mean_score"] == 87.5  # (12·100 + 3·37.5) / 15
    assert actors["alpha"]["mean_score"] == 20.0  # (12·8.33 + 3·66.67) / 15
    assert actors["gamma"]["mean_score"] == 25.0  # only the 3 who answered "ransaking"
    assert release["per_day"] == [{"day": "2026-09-01", "count": 6}, {"day": "2026-09-02", "count": 6},
                                  {"day": "2026-09-03", "count": 3}]
    assert release["per_partner"] == [{"partner": None, "count": 5}, {"partner": "avisa", "count": 10}]


def test_filters(store, content):
    assert protect(aggregate(store, content, partner="avisa"), k=1)["records"] == 10
    assert protect(aggregate(store, content, first_day=date(2026, 9, 2)), k=1)["records"] == 9
    assert protect(aggregate(store, content, last_day=date(2026, 9, 1)), k=1)["records"] == 6


def test_small_cells_and_their_complements_are_suppressed(store, content):
    release = protect(aggregate(store, content), k=10)
    straff = release["statements"][0]
    # 3 is below k; 12 would reveal it (15 − 12), so it is suppressed too; zeros stay
    assert straff["answers"] == {"-2": None, "-1": 0, "0": 0, "1": 0, "2": None, "skip": 0}
    assert release["suppressed_cells"] > 0
    assert any("suppressed" in note for note in release["notes"])
    assert release["actors"][2]["mean_score"] is None  # gamma's mean rests on 3 records


def test_too_few_records_suppresses_everything(store, content):
    release = protect(aggregate(store, content, partner="avisa", first_day=date(2026, 9, 2)), k=10)
    assert release["records"] is None
    assert all(v is None for v in release["statements"][0]["answers"].values())


def test_complementary_suppression_in_a_grid():
    from quiz.export.disclosure import _Suppressor

    table = np.array([[50, 3, 40], [30, 30, 30]])
    grid = _Suppressor(10).grid(table)
    hidden = np.array([[v is None for v in row] for row in grid])
    assert hidden[0, 1]  # primary
    for line in (*hidden, *hidden.T):  # no row or column with a single hidden cell
        assert line.sum() != 1


def test_differential_privacy_adds_calibrated_noise():
    agg = Aggregates("v", ["s1"], ["a1", "a2"])
    agg.records = 100_000
    agg.answers[0] = [20_000] * 6  # (records do not need to add up for this test)
    agg.top[:] = [60_000, 40_000]
    agg.score_n[:] = 100_000
    agg.score_sum[:] = [5e6, 6e6]
    exact = protect(agg, k=10)
    noisy = [protect(agg, k=10, epsilon=1.0, seed=s) for s in range(30)]
    values = np.array([[n["statements"][0]["answers"][c] for c in ("-2", "-1", "0", "1", "2")] for n in noisy])
    errors = values - 20_000
    assert np.abs(errors).max() > 0  # noise was added
    # scale = sensitivity / (epsilon / tables) = 1 / (1 / 9) = 9: mean |error| ≈ 9
    assert 4 < np.abs(errors).mean() < 16
    assert exact["epsilon"] is None and noisy[0]["epsilon"] == 1.0
    assert any("Differential privacy" in note for note in noisy[0]["notes"])


def test_csv_has_one_row_per_number(store, content):
    text = to_csv(protect(aggregate(store, content), k=1))
    lines = text.splitlines()
    assert lines[0] == "table,statement,answer,actor,day,partner,value"
    assert "answers,straff,2,,,,12" in lines
    assert "answer_by_top_match,straff,2,beta,,,12" in lines
    assert "top_match,,,beta,,,12" in lines
    assert "per_partner,,,,,avisa,10" in lines


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
    result = CliRunner().invoke(main, ["export", "--k", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["records"] == 15
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--partner", "avisa", "--k", "1"])
    assert "records,,,,,,10" in result.output.splitlines()


def test_cli_export_refuses_mixing_versions(cli_env):
    result = CliRunner().invoke(main, ["export", "--version", "old-version"])
    assert result.exit_code != 0
    assert "never mixed" in result.output and "old-version" in result.output


@pytest.mark.parametrize("args", [["export", "--from", "yesterday"], ["export", "--epsilon", "0"],
                                  ["export", "--epsilon", "5e-324"], ["export", "--epsilon", "inf"],
                                  ["export", "--format", "xml"], ["export", "--k", "0"]])
def test_cli_export_bad_options(cli_env, args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2


@pytest.fixture
def export_app(tiny_dir, tmp_path, content):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_EXPORT_TOKEN="s3cret-token", QUIZ_SUPPRESS_BELOW=1))
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
    assert response.get_json()["records"] == 15
    csv_response = client.get("/api/v1/export?format=csv&partner=avisa",
                              headers={"Authorization": "Bearer s3cret-token"})
    assert "records,,,,,,10" in csv_response.get_data(as_text=True).splitlines()
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("query", [
    "from=nope", "from=20260101", "from=2026-W01-1", "from=2026-09-08&to=2026-09-01", "epsilon=-1", "epsilon=abc",
    "epsilon=0", "epsilon=5e-324", "epsilon=inf", "epsilon=nan", "epsilon=1e9", "format=xml", "version=other"])
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
    assert "15 delte svar" in page
    assert page.count('<svg class="chart-bar"') == 3 + 3 + 3  # statements, actors, days
    assert "Self-selected" in page
    assert "<script" not in page
