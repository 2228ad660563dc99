"""Starting from nothing: quiz init, and the to-do list of an unfinished quiz."""

from __future__ import annotations

from click.testing import CliRunner
from test_validation import edit

from quiz.cli import main
from quiz.loading import read_content


def test_init_writes_a_skeleton_that_every_command_accepts(tmp_path):
    target = tmp_path / "ny-valgomat"
    result = CliRunner().invoke(main, ["init", str(target), "--title", "Ny valgomat"])
    assert result.exit_code == 0, result.output
    assert "quiz sources add" in result.output and "quiz validate" in result.output
    for name in ("quiz.toml", "questions/statements.toml", "questions/derivation.toml", "sources/sources.toml"):
        assert (target / name).is_file()
    assert 'languages = [\n    "nb",\n]' in (target / "quiz.toml").read_text() or \
        'languages = ["nb"]' in (target / "quiz.toml").read_text()
    content, problems = read_content(target)
    assert content is not None and content.info.title == "Ny valgomat"
    assert problems and all(p.todo for p in problems)
    validate = CliRunner().invoke(main, ["validate", "--data", str(target)])
    assert validate.exit_code == 1
    assert "To do (" in validate.output and "error(s)" not in validate.output
    assert "no sources yet" in validate.output and "no statements yet" in validate.output
    assert "'intro' is missing" in validate.output
    for command in (["derive"], ["export-content", "--format", "csv", "--out", str(tmp_path / "sheets")]):
        assert CliRunner().invoke(main, [*command, "--data", str(target)]).exit_code == 0


def test_init_refuses_a_directory_in_use(tiny_dir):
    result = CliRunner().invoke(main, ["init", str(tiny_dir)])
    assert result.exit_code == 1 and "not empty" in result.output


def test_a_toml_syntax_error_is_reported_once_with_line_and_column(tiny_dir):
    edit(tiny_dir, "stances/alpha.toml", 'name = "Alfa"', 'name = "Alfa')
    result = CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "1 error(s):" in result.output
    assert "stances/alpha.toml: line 2, column 13: not valid TOML" in result.output
    assert "unknown actor" not in result.output and "same one" not in result.output


def test_missing_stances_and_unmapped_items_are_to_dos_and_wrong_values_errors(tiny_dir):
    edit(tiny_dir, "stances/gamma.toml", '[[stance]]\nstatement = "straff"', '[[stance]]\nstatement = "straffx"')
    edit(tiny_dir, "questions/derivation.toml", 'statements = ["ransaking"]', 'left_out = ""')
    result = CliRunner().invoke(main, ["validate", "--data", str(tiny_dir)])
    errors, todos = result.output.split("To do")
    assert "stance straffx: unknown statement id" in errors
    assert "stance straff: missing" in todos
    assert "bullet #2: list the statements that cover this item" in todos
