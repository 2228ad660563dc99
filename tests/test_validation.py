"""Every kind of content error is reported with file, id and what is wrong; nothing is served."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz import create_app
from quiz.cli import main
from quiz.loading import ContentError, load_content


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def assert_problem(root: Path, *fragments: str) -> None:
    found = problems(root)
    assert any(all(f in p for f in fragments) for p in found), found


def test_the_tiny_quiz_is_valid(tiny_dir):
    content = load_content(tiny_dir)
    assert [s.id for s in content.statements] == ["straff", "brukerrom", "ransaking"]


def test_unknown_statement_id_in_a_stance(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", 'statement = "brukerrom"', 'statement = "brukerom"')
    assert_problem(tiny_dir, "stances/alpha.toml", "stance brukerom", "unknown statement id")


def test_unknown_source_in_a_quote(tiny_dir):
    edit(tiny_dir, "stances/beta.toml", 'source = "beta-uttalelse"\ntext = "Vi er',
         'source = "beta-program"\ntext = "Vi er')
    assert_problem(tiny_dir, "stances/beta.toml", "stance brukerrom", "unknown source 'beta-program'")


def test_unknown_statement_in_the_derivation_map(tiny_dir):
    edit(tiny_dir, "questions/derivation.toml", 'statements = ["straff"]', 'statements = ["strafff"]')
    assert_problem(tiny_dir, "questions/derivation.toml", "bullet #3", "unknown statement 'strafff'")


def test_unknown_topic(tiny_dir):
    edit(tiny_dir, "questions/statements.toml", 'topic = "straff"\ntext = "Det bør',
         'topic = "rom"\ntext = "Det bør')
    assert_problem(tiny_dir, "questions/statements.toml", "brukerrom", "unknown topic 'rom'")


def test_at_most_two_axes(tiny_dir):
    path = tiny_dir / "questions" / "statements.toml"
    axes = "".join(f'[[axis]]\nid = "a{i}"\nlow = "lav"\nhigh = "høy"\n\n' for i in range(3))
    path.write_text(axes + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert_problem(tiny_dir, "questions/statements.toml", "a2", "at most 2 axes")


def test_duplicate_statement_id(tiny_dir):
    edit(tiny_dir, "questions/statements.toml", 'id = "ransaking"', 'id = "brukerrom"')
    assert_problem(tiny_dir, "questions/statements.toml", "brukerrom", "duplicate statement id")


@pytest.mark.parametrize("bad", ["ransaking\\n", "Ransaking", "rans aking", "ransåking"])
def test_ids_are_lowercase_letters_digits_and_hyphens_only(tiny_dir, bad):
    # Result URLs carry ids unquoted: an id with anything else (even a final newline) is refused.
    edit(tiny_dir, "questions/statements.toml", 'id = "ransaking"', f'id = "{bad}"')
    assert_problem(tiny_dir, "questions/statements.toml", "", "id must be lowercase letters, digits and hyphens")


def test_duplicate_stance_for_one_statement(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml", 'statement = "brukerrom"', 'statement = "straff"')
    assert_problem(tiny_dir, "stances/gamma.toml", "stance straff", "2 stances for one statement")


def test_position_off_the_scale(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", "position = 3")
    assert_problem(tiny_dir, "stances/alpha.toml", "stance brukerrom", "position 3 is off the scale")


def test_position_of_the_wrong_type(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", 'position = "agree"')
    assert_problem(tiny_dir, "stances/alpha.toml", "stance brukerrom", "off the scale")


def test_position_without_a_quote(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml",
         '[[stance.quotes]]\nsource = "gamma-notat"\ntext = "Gamma mener at politiet trenger gode verktøy."\n', "")
    assert_problem(tiny_dir, "stances/gamma.toml", "stance ransaking", "needs at least one quote")


def test_quote_not_found_shows_the_closest_passage(tiny_dir):
    edit(tiny_dir, "stances/beta.toml", "Vi er imot brukerrom i små kommuner.",
         "Vi er mot brukerrom i små kommuner.")
    assert_problem(tiny_dir, "stances/beta.toml", "stance brukerrom", "not found verbatim in beta-uttalelse",
                   "closest passage: line 4", "Vi er imot brukerrom i små kommuner.")


def test_quote_from_another_actors_source(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml",
         'source = "gamma-notat"\ntext = "Gamma mener at politiet trenger gode verktøy."',
         'source = "alpha-program"\ntext = "Politiet skal ikke ransake ungdom."')
    assert_problem(tiny_dir, "stances/gamma.toml", "not one of this actor's sources")


def test_quote_crossing_two_paragraphs(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", '"Vi vil ha hjelp i stedet for straff for alle som bruker narkotika."',
         '"for alle som bruker narkotika. Alfa mener at:"')
    assert_problem(tiny_dir, "stances/alpha.toml", "crosses from one paragraph")


def test_bullet_not_accounted_for(tiny_dir):
    edit(tiny_dir, "questions/derivation.toml",
         '[[bullet]]\nsource = "alpha-program"\nquote = "Politiet skal ikke ransake ungdom."\n'
         'statements = ["ransaking"]\n', "")
    assert_problem(tiny_dir, "questions/derivation.toml", "alpha-program line 9",
                   "list item not accounted for", "Politiet skal ikke ransake ungdom.")


def test_bullet_needs_statements_or_a_reason(tiny_dir):
    edit(tiny_dir, "questions/derivation.toml", 'statements = ["straff"]', 'statements = []')
    assert_problem(tiny_dir, "questions/derivation.toml", "bullet #3", "either 'statements' or 'left_out'")


def test_bullet_quote_outside_a_list_item(tiny_dir):
    edit(tiny_dir, "questions/derivation.toml", 'quote = "Beholde straffen"', 'quote = "Derfor vil Beta:"')
    assert_problem(tiny_dir, "questions/derivation.toml", "not inside a list item")


def test_actor_without_sources(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml", 'sources = ["gamma-notat"]', "sources = []")
    assert_problem(tiny_dir, "stances/gamma.toml", "gamma", "at least one source id")


def test_actor_with_an_unknown_source(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml", 'sources = ["gamma-notat"]', 'sources = ["gamma-notat", "nope"]')
    assert_problem(tiny_dir, "stances/gamma.toml", "unknown source 'nope'")


def test_missing_stance(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml",
         '[[stance]]\nstatement = "straff"\nposition = "none"\nrationale = "Ikke omtalt."\n', "")
    assert_problem(tiny_dir, "stances/gamma.toml", "stance straff", "missing")


def test_statement_that_nobody_disagrees_on(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = -2", "position = 2")
    assert_problem(tiny_dir, "questions/statements.toml", "straff", "same one")


def test_statement_with_a_single_actor(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml", "position = 1\nbasis", 'position = "none"\nbasis')
    assert_problem(tiny_dir, "questions/statements.toml", "ransaking", "only 1 actor(s)")


def test_invalid_toml_and_missing_files(tiny_dir):
    (tiny_dir / "questions" / "statements.toml").write_text("[[statement]\n", encoding="utf-8")
    (tiny_dir / "sources" / "gamma.txt").unlink()
    found = problems(tiny_dir)
    assert any("questions/statements.toml" in p and "not valid TOML" in p for p in found)
    assert any("gamma-notat" in p and "sources/gamma.txt is missing" in p for p in found)


def test_source_that_is_not_utf8(tiny_dir):
    (tiny_dir / "sources" / "gamma.txt").write_bytes(b"\xff\xfe bad")
    assert_problem(tiny_dir, "sources/sources.toml", "gamma-notat", "not UTF-8")


def test_all_problems_are_reported_at_once(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", "position = 5")
    edit(tiny_dir, "stances/gamma.toml", 'sources = ["gamma-notat"]', "sources = []")
    assert len(problems(tiny_dir)) >= 2


def test_the_app_refuses_to_start_on_invalid_content(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", "position = 3")
    with pytest.raises(ContentError, match="position 3 is off the scale"):
        create_app(tiny_dir, {"SECRET_KEY": "test"})


def test_cli_validate_reports_ok(tiny_dir):
    result = CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert "OK: 3 statements, 3 actors" in result.output


def test_cli_validate_fails_with_the_same_message(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", "position = 3")
    result = CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "stances/alpha.toml: stance brukerrom: position 3 is off the scale" in result.output


def test_cli_serve_refuses_invalid_content(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", "position = 2", "position = 3")
    result = CliRunner().invoke(main, ["serve", "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "Refusing to start" in result.output


def test_quiz_data_dir_environment_variable(tiny_dir, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tiny_dir))
    result = CliRunner().invoke(main, ["validate"])
    assert "OK: 3 statements" in result.output


def test_missing_data_directory(tmp_path):
    assert_problem(tmp_path / "nope", "data directory does not exist")


def test_a_nul_in_an_actor_name_fails_quiz_validate_naming_file_and_field(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", 'name = "Alfa"', 'name = "Al\\u0000fa"')
    edit(tiny_dir, "stances/beta.toml", 'rationale = "Beta vil beholde straffen."',
         'rationale = "Beta vil\\u001b[31m beholde straffen."')
    result = CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "stances/alpha.toml: name: contains the control character U+0000" in result.output
    assert "stances/beta.toml: stance[1].rationale: contains the control character U+001B" in result.output


def test_line_breaks_and_tabs_are_text_not_control_characters(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", 'rationale = "Alfa vil ha hjelp i stedet for straff."',
         'rationale = "Alfa vil ha hjelp\\ti stedet\\nfor straff."')
    load_content(tiny_dir)


def test_a_control_character_in_a_source_document_is_refused(tiny_dir):
    path = tiny_dir / "sources" / "gamma.txt"
    path.write_text(path.read_text(encoding="utf-8") + "Mer\x00tekst.\n", encoding="utf-8")
    assert_problem(tiny_dir, "sources/sources.toml", "gamma-notat", "sources/gamma.txt line 2", "U+0000")


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example",
                                 "ftp://example.org/a.pdf"])
def test_a_source_url_that_is_not_http_is_refused(tiny_dir, url):
    edit(tiny_dir, "sources/sources.toml", 'file = "alpha.txt"', f'file = "alpha.txt"\nurl = "{url}"')
    assert_problem(tiny_dir, "sources/sources.toml", "alpha-program", "only http:// and https:// links")


def test_an_https_source_url_is_kept(tiny_dir):
    edit(tiny_dir, "sources/sources.toml", 'file = "alpha.txt"', 'file = "alpha.txt"\nurl = "HTTPS://alfa.example/p"')
    assert load_content(tiny_dir).sources[0].url == "HTTPS://alfa.example/p"
