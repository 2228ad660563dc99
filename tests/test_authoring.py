"""Authoring tools on the bundled quiz and the tiny one, through the library and the CLI."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
from click.testing import CliRunner
from test_validation import edit

from quiz.app import REPO_ROOT
from quiz.authoring.audit import run_audit
from quiz.authoring.derive import derive_candidates
from quiz.authoring.passages import position_passages
from quiz.authoring.suggest import suggest_quotes
from quiz.cli import main
from quiz.loading import load_content
from quiz.matching import euclidean_scores, top_matches


@pytest.fixture(scope="module")
def bundled():
    return load_content(REPO_ROOT)


def _item_start(content, source_id, offset):
    return content.source_by_id[source_id].document.block_at(offset).start


def test_candidates_cover_the_position_bullets_of_the_derivation_map(bundled):
    candidates = derive_candidates(bundled)
    covered = {(p.source, _item_start(bundled, p.source, p.span.start))
               for c in candidates for p in c.passages if p.kind == "item"}
    mapped = [b for b in bundled.bullets if b.statements]
    hits = sum((b.source, _item_start(bundled, b.source, b.quote.span.start)) in covered for b in mapped)
    assert hits >= 0.9 * len(mapped)


def test_candidates_group_actors_that_speak_of_the_same_thing(bundled):
    candidates = derive_candidates(bundled)
    assert sum(len(c.actors) > 1 for c in candidates) >= 10
    together = [c for c in candidates
                if any(p.text.startswith("Bruk, besittelse og kjøp av narkotika skal fortsatt") for p in c.passages)]
    assert len(together) == 1 and {"sp", "sp-vestfold"} <= set(together[0].actors)
    # candidates come in draft topics; in each, those that split actors first, the best split first
    topics = list(dict.fromkeys(c.topic for c in candidates))
    assert [c.topic for c in candidates] == sorted((c.topic for c in candidates), key=topics.index)
    assert 1 < len(topics) < len(candidates)
    for topic in topics:
        ranks = [(not c.splits_actors, -c.split) for c in candidates if c.topic == topic]
        assert ranks == sorted(ranks)
    assert candidates[0].split == max(c.split for c in candidates)


def test_every_derived_from_quote_verifies(bundled):
    for candidate in derive_candidates(bundled):
        for passage in candidate.passages:
            document = bundled.source_by_id[passage.source].document
            span = document.find(passage.text)
            assert span is not None and span.start == passage.span.start
            assert document.block_at(span.start) is document.block_at(span.end - 1)


def test_negation_and_modals_suggest_a_direction(bundled):
    by_text = {p.text: p for p in position_passages(bundled)}
    assert by_text["Tunge rusmisbrukere skal sikres hjelp og ikke straff."].direction == "disagree"
    assert by_text["Bruk, besittelse og kjøp av narkotika skal fortsatt være straffbart."].direction == "agree"


def test_cli_derive_writes_drafts_that_are_never_served(bundled_copy):
    version = load_content(bundled_copy).version
    result = CliRunner().invoke(main, ["derive", "--data", str(bundled_copy)])
    assert result.exit_code == 0, result.output
    drafts = tomllib.loads((bundled_copy / "drafts" / "candidates.toml").read_text(encoding="utf-8"))
    first = drafts["statement"][0]
    assert first["draft"] is True and first["derived_from"] and first["suggested"]
    assert {"id", "topic", "text", "actors", "discrimination"} <= set(first)
    assert load_content(bundled_copy).version == version  # drafts are not content


def test_suggest_ranks_the_actors_own_passages(bundled):
    found = suggest_quotes(bundled, "brukerrom", k=3)
    assert found["v"][0].passage.text.startswith("Etablering av flere brukerrom")
    assert all(s.passage.actor == "ap" for s in found["ap"])
    with pytest.raises(KeyError):
        suggest_quotes(bundled, "nope")


def test_cli_suggest(bundled):
    result = CliRunner().invoke(main, ["suggest", "brukerrom", "--actor", "v", "-k", "2"])
    assert result.exit_code == 0, result.output
    assert 'source = "venstre-rusreform"' in result.output and "lines 17–17" in result.output
    result = CliRunner().invoke(main, ["suggest", "nope"])
    assert result.exit_code == 1 and "unknown statement 'nope'" in result.output
    assert CliRunner().invoke(main, ["suggest", "brukerrom", "--actor", "x"]).exit_code == 1


def test_strict_validation_flags_an_irrelevant_quote(tiny_dir):
    assert CliRunner().invoke(main, ["validate", "--strict", "--data", str(tiny_dir)]).exit_code == 0
    edit(tiny_dir, "stances/beta.toml", 'text = "Vi er imot brukerrom i små kommuner."',
         'text = "Beta mener at straff er nødvendig for å hindre bruk."')
    assert CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)]).exit_code == 0
    result = CliRunner().invoke(main, ["validate", "--strict", "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "stances/beta.toml: stance brukerrom" in result.output and "possible mis-quote" in result.output


def test_audit_of_the_tiny_quiz(tiny_dir):
    content = load_content(tiny_dir)
    audit = run_audit(content, voters=2000)
    assert [r["first"] for r in audit.reachability] == [True, True, True]
    for sim in audit.simulations:
        assert sum(sim["shares"].values()) == pytest.approx(1.0, abs=1e-3)
        assert 0 <= sim["euclidean_changes"] <= 1 and 0 <= sim["leave_one_out_changes"] <= 1
    assert {c["actor"]: c["none"] for c in audit.coverage} == {"Alfa": 0, "Beta": 1, "Gamma": 2}
    assert len(audit.sensitivity) == 3


def test_audit_finds_statements_that_tell_no_one_apart(bundled):
    audit = run_audit(bundled, voters=1000)
    assert "brukerrom" in {u["statement"] for u in audit.useless}  # the salience item: nobody placed against it
    assert "straff-bruk" not in {u["statement"] for u in audit.useless}


def test_top_match_ties_break_by_name_and_nothing_compared_is_minus_one():
    scores = np.array([[50.0, 50.0], [np.nan, np.nan], [10.0, 20.0]])
    assert top_matches(scores, ["Beta", "Alfa"]).tolist() == [1, -1, 1]


def test_euclidean_rule_differs_from_city_block():
    positions = np.array([[2.0, 2.0], [1.0, 0.0]])
    answers = np.array([[2.0, -2.0]])
    euclid = euclidean_scores(answers, np.ones_like(answers), positions)
    assert euclid[0].tolist() == pytest.approx([100 * (1 - np.sqrt(8) / 4), 100 * (1 - np.sqrt(2.5) / 4)])


def test_cli_audit_writes_an_html_report(tiny_dir, tmp_path):
    target = tmp_path / "audit.html"
    result = CliRunner().invoke(main, ["audit", "--data", str(tiny_dir), "--voters", "500", "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert "Reachability" in result.output and "Simulated voters: uniform" in result.output
    page = target.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<script" not in page


@pytest.mark.parametrize("command", [["derive"], ["audit", "--voters", "100"], ["suggest", "x"],
                                     ["export-content", "--out", "/tmp/never-written"], ["validate", "--strict"]])
def test_commands_fail_clearly_on_a_missing_data_directory(tmp_path, command):
    result = CliRunner().invoke(main, [*command, "--data", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "data directory does not exist" in result.output


@pytest.mark.parametrize("command", ["derive", "suggest", "audit", "validate", "export", "export-content",
                                     "serve"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_group_commands_have_help_with_an_example():
    for command in (["sources", "add"], ["import", "qual-o-mat"], ["db", "upgrade"], ["db", "deliver"]):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, command
