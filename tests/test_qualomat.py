"""Open Wahl-O-Mat data in and out, through the CLI; the engine serves an imported election unchanged."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import jsonschema_rs
import pytest
import tomli_w
from click.testing import CliRunner
from conftest import settings

from quiz import create_app
from quiz.app import REPO_ROOT
from quiz.cli import main
from quiz.loading import load_content

MINI = Path(__file__).parent / "data" / "qualomat-mini"
FULL = REPO_ROOT.parent / "shared" / "interop" / "qual-o-mat" / "2021-deutschland"
SCHEMAS = REPO_ROOT.parent / "shared" / "interop" / "qual-o-mat" / "schema"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def three_point(position: int | None) -> int | None:
    return None if position is None else (position > 0) - (position < 0)


def set_languages(quiz_dir: Path, languages: list[str]) -> None:
    """Serve an imported quiz in ``languages`` only (the importer writes German and English)."""
    path = quiz_dir / "quiz.toml"
    info = tomllib.loads(path.read_text(encoding="utf-8"))
    path.write_text(tomli_w.dumps(info | {"languages": languages}), encoding="utf-8")


def test_import_the_mini_election(tmp_path):
    result = run("import", "qual-o-mat", MINI, "--out", tmp_path / "quiz")
    assert result.exit_code == 0, result.output
    assert "Imported 6 parties, 5 statements, 29 positions (1 without a justification)" in result.output
    content = load_content(tmp_path / "quiz")
    assert content.info.language == "de" and content.info.scale == 3 and content.scale == (-2, 0, 2)
    quiz_toml = tomllib.loads((tmp_path / "quiz" / "quiz.toml").read_text())  # written out, for the editor
    assert quiz_toml["languages"] == ["de", "en"] and quiz_toml["default_language"] == "de"
    assert content.info.languages == ("de", "en") and content.info.default_language == "de"
    cdu = content.actor_by_id["cdu-csu"]
    assert cdu.short_name == "CDU / CSU" and cdu.name.startswith("Christlich Demokratische Union")
    opinions = json.loads((MINI / "opinion.json").read_text())
    comments = {c["id"]: c["text"] for c in json.loads((MINI / "comment.json").read_text())}
    by_name = {a.short_name: a for a in content.actors}
    parties = {p["id"]: by_name[p["name"]] for p in json.loads((MINI / "party.json").read_text())}
    statement_ids = [s.id for s in content.statements]
    for opinion in opinions:
        actor = parties[opinion["party"]]
        stance = content.stance(actor.id, statement_ids[opinion["statement"]])
        assert stance.position == {0: 2, 1: -2, 2: 0}[opinion["answer"]]
        assert stance.basis == "self"  # the party answered itself
        if opinion["comment"] is not None:
            assert [q.text for q in stance.quotes] == [" ".join(comments[opinion["comment"]].split())]
        else:  # no justification: no quote (never an empty one, nor the answer passed off as one)
            assert stance.quotes == ()
    assert content.stance(parties[5].id, statement_ids[4]).position is None  # did not answer


def test_the_imported_election_is_served_and_scores_like_wahl_o_mat(tmp_path):
    run("import", "qual-o-mat", MINI, "--out", tmp_path / "quiz")
    app = create_app(tmp_path / "quiz", settings(tmp_path))
    client = app.test_client()
    content = app.extensions["quiz_content"]
    assert client.get("/").status_code == 200 and client.get("/quiz").status_code == 200
    answers = {s.id: 2 for s in content.statements}
    assert client.get("/result", query_string=answers).status_code == 200
    results = client.post("/api/v1/match", json={"answers": answers}).get_json()["results"]
    assert len(results) == 6
    # Wahl-O-Mat: 2 points for the same answer, 1 if one side is neutral, 0 for opposite
    for row in results:
        stances = [content.stance(row["actor"], s.id) for s in content.statements]
        points = [2 if s.position == 2 else 1 if s.position == 0 else 0 for s in stances if s.position is not None]
        assert row["score"] == pytest.approx(100 * sum(points) / (2 * len(points)))


def test_round_trip_keeps_statements_positions_and_quotes(tmp_path):
    run("import", "qual-o-mat", MINI, "--out", tmp_path / "first")
    result = run("export-content", "--format", "qual-o-mat", "--data", tmp_path / "first", "--out", tmp_path / "json")
    assert result.exit_code == 0, result.output
    run("import", "qual-o-mat", tmp_path / "json", "--out", tmp_path / "second")
    first, second = load_content(tmp_path / "first"), load_content(tmp_path / "second")
    assert [s.text for s in first.statements] == [s.text for s in second.statements]
    assert [a.id for a in first.actors] == [a.id for a in second.actors]
    for a in first.actors:
        for s1, s2 in zip(first.statements, second.statements, strict=True):
            x, y = first.stance(a.id, s1.id), second.stance(a.id, s2.id)
            assert x.position == y.position
            assert [q.text for q in x.quotes] == [q.text for q in y.quotes]


def test_exporting_our_own_quiz_collapses_to_three_points(tmp_path):
    result = run("export-content", "--out", tmp_path / "json")
    assert result.exit_code == 0, result.output
    opinions = json.loads((tmp_path / "json" / "opinion.json").read_text())
    bundled = load_content(REPO_ROOT)
    assert len(opinions) == sum(1 for s in bundled.stances if s.position is not None)
    for opinion in opinions:
        stance = bundled.stance(bundled.actors[opinion["party"]].id, bundled.statements[opinion["statement"]].id)
        assert {0: 1, 1: -1, 2: 0}[opinion["answer"]] == three_point(stance.position)


@pytest.mark.skipif(not SCHEMAS.exists(), reason="the qual-o-mat schema lives in ../shared/")
def test_export_is_valid_against_the_qualomat_schema(tmp_path):
    run("export-content", "--out", tmp_path / "json")
    for name in ("overview", "party", "statement", "answer", "opinion", "comment", "category"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
        jsonschema_rs.validate(schema, json.loads((tmp_path / "json" / f"{name}.json").read_text()))


@pytest.mark.skipif(not FULL.exists(), reason="the 2021 election lives in ../shared/")
def test_import_the_full_2021_election_and_audit_it(tmp_path):
    result = run("import", "qual-o-mat", FULL, "--out", tmp_path / "btw21")
    assert "Imported 38 parties, 38 statements, 1444 positions" in result.output
    audit = run("audit", "--data", tmp_path / "btw21", "--voters", "2000")
    assert audit.exit_code == 0 and "Reachability" in audit.output


@pytest.mark.parametrize("breakage, fragment", [
    ("missing-dir", "not a directory"),
    ("missing-file", "party.json: file is missing"),
    ("bad-json", "opinion.json: not valid JSON"),
    ("unknown-party", "names an unknown party or statement"),
])
def test_bad_input_is_a_clear_error(tmp_path, breakage, fragment):
    election = tmp_path / "election"
    shutil.copytree(MINI, election)
    if breakage == "missing-dir":
        election = tmp_path / "nope"
    elif breakage == "missing-file":
        (election / "party.json").unlink()
    elif breakage == "bad-json":
        (election / "opinion.json").write_text("[{", encoding="utf-8")
    else:
        opinions = json.loads((election / "opinion.json").read_text())
        opinions[0]["party"] = 99
        (election / "opinion.json").write_text(json.dumps(opinions), encoding="utf-8")
    result = run("import", "qual-o-mat", election, "--out", tmp_path / "quiz")
    assert result.exit_code == 1 and fragment in result.output


def test_out_must_be_empty_unless_forced(tmp_path):
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "keep.txt").write_text("x")
    assert "not empty" in run("import", "qual-o-mat", MINI, "--out", tmp_path / "quiz").output
    assert run("import", "qual-o-mat", MINI, "--out", tmp_path / "quiz", "--force").exit_code == 0
