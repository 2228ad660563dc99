"""The spreadsheet round trip: export-content --format csv, edit, import csv."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

from click.testing import CliRunner
from test_validation import edit

from quiz.cli import main
from quiz.loading import load_content


def _export(data: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["export-content", "--format", "csv", "--data", str(data), "--out", str(out),
                                       *extra])
    assert result.exit_code == 0, result.output


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, rows: list[dict], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def _same_content(a: Path, b: Path) -> bool:
    return dataclasses.replace(load_content(a), version="") == dataclasses.replace(load_content(b), version="")


def test_round_trip_is_lossless_for_the_bundled_quiz(bundled_copy, tmp_path):
    original = tmp_path / "original"
    shutil.copytree(bundled_copy, original)
    _export(bundled_copy, tmp_path / "sheets")
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(bundled_copy)])
    assert result.exit_code == 0, result.output
    assert _same_content(original, bundled_copy)
    _export(bundled_copy, tmp_path / "again")
    for name in ("statements.csv", "positions.csv"):
        assert (tmp_path / "sheets" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_several_quotes_and_notes_are_rows_of_their_own(tiny_dir, tmp_path):
    edit(tiny_dir, "stances/alpha.toml", 'text = "Brukerrom skal finnes i alle byer."',
         'text = "Brukerrom skal finnes i alle byer."\n[[stance.quotes]]\nsource = "alpha-program"\n'
         'text = "Alfa mener at straff ikke virker."\nreviewed = true\n'
         '[[stance.notes]]\nsource = "alpha-program"\nlabel = "Merk"\ntext = "Politiet skal ikke ransake ungdom."')
    original = tmp_path / "original"
    shutil.copytree(tiny_dir, original)
    _export(tiny_dir, tmp_path / "sheets", "--bom")
    raw = (tmp_path / "sheets" / "positions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = [r for r in _rows(tmp_path / "sheets" / "positions.csv") if r["statement"] == "brukerrom"
            and r["actor"] == "alpha"]
    assert [(r["position"], r["evidence"], r["label"], r["quote_reviewed"]) for r in rows] == [
        ("2", "quote", "", ""), ("", "quote", "", "true"), ("", "note", "Merk", "")]
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert _same_content(original, tiny_dir)
    stance = load_content(tiny_dir).stance("alpha", "brukerrom")
    assert len(stance.quotes) == 2 and stance.notes[0].label == "Merk"


def test_an_edit_in_the_spreadsheet_reaches_the_quiz(tiny_dir, tmp_path):
    _export(tiny_dir, tmp_path / "sheets")
    rows = _rows(tmp_path / "sheets" / "positions.csv")
    rows[0]["position"] = "-1"
    rows[0]["rationale"] = "Endret i regnearket, med «anførsel» og æøå."
    _write_rows(tmp_path / "sheets" / "positions.csv", rows, delimiter=";")  # as LibreOffice saves in nb/de
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    stance = load_content(tiny_dir).stance(rows[0]["actor"], rows[0]["statement"])
    assert (stance.position, stance.rationale) == (-1, "Endret i regnearket, med «anførsel» og æøå.")


def test_problems_name_the_cell_and_nothing_is_written(tiny_dir, tmp_path):
    _export(tiny_dir, tmp_path / "sheets")
    before = {p: p.read_bytes() for p in tiny_dir.rglob("*.toml")}
    rows = _rows(tmp_path / "sheets" / "positions.csv")
    rows[1]["quote"] = "Dette står ikke i kilden."
    rows[3]["position"] = "7"
    _write_rows(tmp_path / "sheets" / "positions.csv", rows)
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "positions.csv: row 3, column quote: quote not found verbatim in alpha-program" in result.output
    assert "positions.csv: row 5, column position: position 7 is off the scale" in result.output
    assert "nothing imported" in result.output
    assert before == {p: p.read_bytes() for p in tiny_dir.rglob("*.toml")}
    statements = _rows(tmp_path / "sheets" / "statements.csv")
    statements[2]["quote"] = "Ikke i kilden."
    statements[1]["topic"] = "ukjent"
    _write_rows(tmp_path / "sheets" / "statements.csv", statements)
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert "statements.csv: row 4, column quote: quote not found verbatim in alpha-program" in result.output
    assert "statements.csv: row 3, column topic: unknown topic 'ukjent'" in result.output


def test_bad_spreadsheets_are_refused_clearly(tiny_dir, tmp_path):
    _export(tiny_dir, tmp_path / "sheets")
    rows = _rows(tmp_path / "sheets" / "positions.csv")
    rows[0]["actor"] = "delta"
    rows[1]["evidence"] = "citation"
    _write_rows(tmp_path / "sheets" / "positions.csv", rows)
    (tmp_path / "sheets" / "statements.csv").write_text("id;text\nx;y\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert result.exit_code == 1
    assert "statements.csv: row 1: column(s) missing: topic" in result.output
    assert "positions.csv: row 2, column actor: unknown actor 'delta'" in result.output
    assert "positions.csv: row 3, column evidence: evidence is 'citation'" in result.output
    (tmp_path / "sheets" / "positions.csv").write_bytes("actor,statement,position\nø,x,1\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert "positions.csv: -: not UTF-8" in result.output


def test_an_actors_review_is_content_and_a_spreadsheet_column(tiny_dir, tmp_path):
    edit(tiny_dir, "stances/beta.toml", 'rationale = "Beta vil beholde straffen."',
         'rationale = "Beta vil beholde straffen."\nreview = "disputed"\n'
         'review_comment = "Vi vil beholde straffen, men bare for salg."')
    edit(tiny_dir, "stances/alpha.toml", 'rationale = "Alfa vil ha brukerrom i alle byer."',
         'rationale = "Alfa vil ha brukerrom i alle byer."\nreview = "confirmed"')
    content = load_content(tiny_dir)
    assert content.stance("beta", "straff").review == "disputed"
    assert content.stance("beta", "straff").review_comment.startswith("Vi vil beholde straffen")
    assert (content.stance("alpha", "brukerrom").review, content.stance("alpha", "straff").review) == (
        "confirmed", None)
    original = tmp_path / "original"
    shutil.copytree(tiny_dir, original)
    _export(tiny_dir, tmp_path / "sheets")
    rows = _rows(tmp_path / "sheets" / "positions.csv")
    assert {(r["actor"], r["statement"], r["review"]) for r in rows if r["review"]} == {
        ("beta", "straff", "disputed"), ("alpha", "brukerrom", "confirmed")}
    assert CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)]).exit_code == 0
    assert _same_content(original, tiny_dir)
    next(r for r in rows if r["review"] == "disputed")["review_comment"] = ""
    next(r for r in rows if r["review"] == "confirmed")["review"] = "maybe"
    _write_rows(tmp_path / "sheets" / "positions.csv", rows)
    result = CliRunner().invoke(main, ["import", "csv", str(tmp_path / "sheets"), "--data", str(tiny_dir)])
    assert "column review_comment: a disputed review needs the actor's own words" in result.output
    assert "column review: 'review' is 'maybe'; expected one of confirmed, disputed" in result.output
