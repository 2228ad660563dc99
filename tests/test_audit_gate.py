"""The audit's verdicts and the publish gate, reviewed quotes under --strict, and salience items."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from test_validation import assert_problem, edit

from quiz.app import REPO_ROOT
from quiz.authoring.audit import run_audit
from quiz.authoring.gate import Thresholds, judge, load_thresholds, overall
from quiz.cli import main
from quiz.loading import load_content


def audit_cli(*args: str):
    return CliRunner().invoke(main, ["audit", "--voters", "20000", *args])


def test_the_bundled_quiz_passes_the_gate_with_the_default_thresholds(tmp_path):
    """CI's publish gate: the README's test command runs this on the bundled quiz."""
    assert load_thresholds(REPO_ROOT) == Thresholds()
    target = tmp_path / "audit.html"
    result = audit_cli("--gate", "--html", str(target))
    assert result.exit_code == 0, result.output
    assert "[fail]" not in result.output
    assert re.search(r"\[pass\] Statements split the actors: 9 of 10 statements", result.output)
    assert "kept on purpose as salience items: brukerrom" in result.output
    assert "Salience items (kept although they do not split the actors):" in result.output
    page = target.read_text(encoding="utf-8")
    assert page.index("Verdict:") < page.index("<h2>Checks</h2>") < page.index("top-match shares")


def test_a_quiz_below_the_thresholds_fails_the_gate_and_says_why(tiny_dir, tmp_path):
    target = tmp_path / "audit.html"
    result = audit_cli("--data", str(tiny_dir), "--gate", "--html", str(target))
    assert result.exit_code != 0
    assert "VERDICT: FAIL" in result.output
    assert "[fail] At least 3 actors placed on each statement: too few actors placed on brukerrom, ransaking" \
        in result.output
    assert "fails the audit gate" in result.output
    page = target.read_text(encoding="utf-8")
    verdict, rest = page.split("<h2>Checks</h2>", 1)
    assert "Verdict: <strong>fail</strong>" in verdict
    assert "Failed: At least 3 actors placed on each statement" in verdict  # one line per failed check, first
    assert "top-match shares" in rest
    without_gate = audit_cli("--data", str(tiny_dir))
    assert without_gate.exit_code == 0 and "VERDICT: FAIL" in without_gate.output


def test_thresholds_come_from_quiz_toml(tmp_path):
    import shutil

    root = tmp_path / "quiz"
    shutil.copytree(REPO_ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "tests", "instance", "*.pyc"))
    edit(root, "quiz.toml", "min_split_share = 0.8", "min_split_share = 1.0")
    edit(root, "quiz.toml", "min_positioned = 3", "min_positioned = 2")
    result = audit_cli("--data", str(root), "--gate")
    assert result.exit_code != 0
    assert "[fail] Statements split the actors: 9 of 10 statements (90.0 %) split the actors, below 100.0 %" \
        in result.output
    assert "[pass] At least 2 actors placed on each statement" in result.output
    edit(root, "quiz.toml", "min_positioned = 2", "min_positioned = -1")
    bad = audit_cli("--data", str(root), "--gate")
    assert bad.exit_code != 0 and "'min_positioned' must be a whole number" in bad.output
    edit(root, "quiz.toml", "min_positioned = -1", "min_positoned = 2")
    assert "unknown key 'min_positoned'" in audit_cli("--data", str(root)).output


def test_an_actor_neutral_on_most_statements_winning_random_voters_is_explained(tiny_dir):
    """Uniform answers average out in the middle, so an all-neutral actor wins them: the audit says so."""
    edit(tiny_dir, "stances/gamma.toml", 'statement = "straff"\nposition = "none"\nrationale = "Ikke omtalt."',
         'statement = "straff"\nposition = 0\nbasis = "inferred"\nrationale = "Nøytral."\n'
         '[[stance.quotes]]\nsource = "gamma-notat"\ntext = "Gamma er en organisasjon."')
    edit(tiny_dir, "stances/gamma.toml", 'statement = "ransaking"\nposition = 1',
         'statement = "ransaking"\nposition = 0')
    content = load_content(tiny_dir)
    checks = {c.name: c for c in judge(content, run_audit(content, voters=5000), Thresholds(max_uniform_share=0.3))}
    check = checks["No actor wins most random voters"]
    assert check.verdict == "warn", check
    assert check.reason.startswith("Gamma is the top match for")
    assert "neutral or silent on most statements" in check.reason and "artefact of random answers" in check.reason
    # The same share won by an actor that takes sides on everything is a failure, not an artefact.
    strict = judge(content, run_audit(content, voters=5000), Thresholds(max_uniform_share=0.3, neutral_share=1.01))
    assert {c.name: c.verdict for c in strict}["No actor wins most random voters"] == "fail"


def test_every_check_has_a_verdict_a_reason_and_a_suggestion_when_not_passing(tiny_dir):
    content = load_content(tiny_dir)
    checks = judge(content, run_audit(content, voters=2000), Thresholds())
    assert len(checks) >= 8 and overall(checks) == "fail"
    for check in checks:
        assert check.verdict in ("pass", "warn", "fail") and check.reason
        assert check.verdict == "pass" or check.suggestion


def test_strict_accepts_reviewed_quotes_and_lists_the_rest(tmp_path):
    import shutil

    root = tmp_path / "quiz"
    shutil.copytree(REPO_ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "tests", "instance", "*.pyc"))
    ok = CliRunner().invoke(main, ["validate", "--data", str(root), "--strict"])
    assert ok.exit_code == 0, ok.output
    assert "every flagged quote is reviewed" in ok.output
    edit(root, "stances/v.toml", 'text = "Årevis med straff har ikke fungert."\nreviewed = true\n'
         'reviewed_by = "rusreform editorial pass"\nreviewed_on = 2026-11-30\n',
         'text = "Årevis med straff har ikke fungert."\n')
    flagged = CliRunner().invoke(main, ["validate", "--data", str(root), "--strict"])
    assert flagged.exit_code == 1
    assert "stances/v.toml: stance signal" in flagged.output and "«Årevis med straff har ikke fungert.»" \
        in flagged.output
    assert "1 possible mis-quote(s) not yet reviewed" in flagged.output


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ('text = "Beholde straffen for bruk av narkotika."\n',
     'text = "Beholde straffen for bruk av narkotika."\nreviewed = "yes"\n', "'reviewed' must be true or false"),
    ('text = "Beholde straffen for bruk av narkotika."\n',
     'text = "Beholde straffen for bruk av narkotika."\nreviewed = true\nreviewed_on = "30.11.2026"\n',
     "'reviewed_on' must be a day such as 2026-11-30"),
    ('text = "Beholde straffen for bruk av narkotika."\n',
     'text = "Beholde straffen for bruk av narkotika."\nreviewed_by = "Kari"\n',
     "'reviewed_by' or 'reviewed_on' is given but 'reviewed' is not true"),
])
def test_bad_review_fields_are_reported(tiny_dir, old, new, fragment):
    edit(tiny_dir, "stances/beta.toml", old, new)
    assert_problem(tiny_dir, "stances/beta.toml", "stance straff", fragment)


def test_a_reviewed_quote_keeps_who_and_when(tiny_dir):
    edit(tiny_dir, "stances/beta.toml", 'text = "Beholde straffen for bruk av narkotika."\n',
         'text = "Beholde straffen for bruk av narkotika."\nreviewed = true\nreviewed_by = "Kari"\n'
         'reviewed_on = 2026-11-30\n')
    quote = load_content(tiny_dir).stance("beta", "straff").quotes[0]
    assert (quote.reviewed, quote.reviewed_by, quote.reviewed_on) == (True, "Kari", "2026-11-30")


@pytest.mark.parametrize(("addition", "fragment"), [
    ("salience = true\n", "'salience_reason' is missing"),
    ('salience_reason = "Viktig."\n', "'salience_reason' is given but 'salience' is not true"),
    ('salience = "ja"\nsalience_reason = "Viktig."\n', "'salience' must be true or false"),
])
def test_a_salience_item_must_say_why_it_is_kept(tiny_dir, addition, fragment):
    edit(tiny_dir, "questions/statements.toml", 'text = "Det bør finnes brukerrom i alle byer."\n',
         'text = "Det bør finnes brukerrom i alle byer."\n' + addition)
    assert_problem(tiny_dir, "questions/statements.toml", "brukerrom", fragment)


def test_a_draft_is_audited_with_missing_stances_as_not_addressed(tiny_dir):
    # While coding, the editor wants the balance so far: to-dos may remain, errors may not, and
    # a draft's verdict is never a gate.
    gamma = tiny_dir / "stances" / "gamma.toml"
    text = gamma.read_text()
    gamma.write_text(text[:text.index('[[stance]]\nstatement = "ransaking"')])  # not coded yet
    refused = audit_cli("--data", str(tiny_dir))
    assert refused.exit_code == 1 and "stance ransaking: missing" in refused.output
    draft = audit_cli("--data", str(tiny_dir), "--draft")
    assert draft.exit_code == 0, draft.output
    assert draft.output.startswith("DRAFT: 2 to-do(s) left; 1 stance(s) not written yet count as not addressed.")
    assert "VERDICT: FAIL" in draft.output and "[fail] At least 3 actors placed on each statement" in draft.output
    assert "--gate judges a finished quiz" in audit_cli("--data", str(tiny_dir), "--draft", "--gate").output


def test_a_draft_with_an_error_is_not_audited(tiny_dir):
    edit(tiny_dir, "stances/beta.toml", "position = -1", "position = 7")  # off the scale: an error, not a to-do
    result = audit_cli("--data", str(tiny_dir), "--draft")
    assert result.exit_code == 1 and "fix these first" in result.output and "beta.toml" in result.output
