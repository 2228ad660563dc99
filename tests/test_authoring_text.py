"""Sentences, list items, stop words and compounds in the sources' languages; the derivation map."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner
from test_validation import edit

from quiz.authoring.text import Compounds, sentences, terms, words
from quiz.cli import main
from quiz.ingest import clean_document
from quiz.loading import read_content


@pytest.mark.parametrize("language, text, expected", [
    ("nb", "Vi vil bl.a. styrke politiet. Dr. Olsen mener f.eks. at K. Hansen tar feil. Det er 17. Mai i dag.",
     ["Vi vil bl.a. styrke politiet.", "Dr. Olsen mener f.eks. at K. Hansen tar feil.", "Det er 17. Mai i dag."]),
    ("nn", "Vi vil t.d. ha fleire lærarar. Det er viktig!", ["Vi vil t.d. ha fleire lærarar.", "Det er viktig!"]),
    ("de", "Wir wollen z.B. mehr Lehrer, Schulen usw. Das ist am 3. Oktober klar. Prof. Dr. Meyer stimmt zu.",
     ["Wir wollen z.B. mehr Lehrer, Schulen usw. Das ist am 3. Oktober klar.", "Prof. Dr. Meyer stimmt zu."]),
    ("en", "We want more teachers, books etc. Mr. Smith agrees. Does he?", [
        "We want more teachers, books etc. Mr. Smith agrees.", "Does he?"]),
])
def test_sentences_end_where_a_reader_would_end_them(language, text, expected):
    assert [s for _, s in sentences(text, language)] == expected
    assert all(text[offset:].startswith(s) for offset, s in sentences(text, language))


def test_plain_text_lists_are_list_items():
    document = clean_document("Vi vil:\n- mer til skolen\n* færre prøver\n\uf0b7 Gratis SFO\n• Leksehjelp\n"
                              "1. Flere lærere\n2) Nye bøker\n17. mai er fin.\n")
    assert [(b.kind, b.text.removeprefix("• ")) for b in document.blocks] == [
        ("paragraph", "Vi vil:"), ("item", "mer til skolen"), ("item", "færre prøver"), ("item", "Gratis SFO"),
        ("item", "Leksehjelp"), ("item", "Flere lærere"), ("item", "Nye bøker"), ("paragraph", "17. mai er fin.")]


def test_stop_words_and_stems_follow_the_language():
    assert words("Vi vil ikke ha skatt", "nb") == ["skatt"]
    assert words("Eg vil ikkje ha skatt", "nn") == ["skatt"]
    assert words("Wir wollen nicht die Steuern erhöhen", "de") == ["steuern", "erhöhen"]
    assert words("We do not want the taxes", "en") == ["want", "taxes"]
    assert terms("Steuern", "de") == terms("Steuer", "de")


def test_compounds_add_their_last_part_when_it_is_a_word_of_the_texts():
    compounds = Compounds({"narkotika", "salg", "mindest", "lohn", "politi"})
    assert compounds.parts("narkotikasalg") == ("salg",)
    assert compounds.parts("mindestlohn") == ("lohn",)
    assert compounds.parts("politiet") == ()
    assert "salg" in terms("Narkotikasalg øker", "nb", compounds)


def test_derive_map_drafts_every_list_item(tiny_dir):
    (tiny_dir / "questions" / "derivation.toml").write_text("", encoding="utf-8")
    edit(tiny_dir, "stances/alpha.toml", 'text = "Brukerrom skal finnes i alle byer."',
         'text = "Brukerrom skal finnes"')
    edit(tiny_dir, "questions/statements.toml", 'quote = "Politiet skal ikke ransake ungdom."',
         'quote = "Alfa mener at straff ikke virker."')
    edit(tiny_dir, "stances/alpha.toml", 'text = "Politiet skal ikke ransake ungdom."',
         'text = "Alfa mener at straff ikke virker."')
    result = CliRunner().invoke(main, ["derive", "--map", "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert "0 item(s) kept, 2 mapped" in result.output and "1 with left_out" in result.output
    bullets = tomllib.loads((tiny_dir / "questions" / "derivation.toml").read_text())["bullet"]
    by_quote = {b["quote"]: b for b in bullets}
    assert by_quote["Brukerrom skal finnes i alle byer."]["statements"] == ["brukerrom"]
    unmapped = by_quote["Politiet skal ikke ransake ungdom."]
    assert unmapped["left_out"] == "" and unmapped["nearest_statements"][0] == "ransaking"
    _, problems = read_content(tiny_dir)
    todo = [str(p) for p in problems if "list the statements that cover this item" in p.message]
    assert len(todo) == 1 and all(p.todo for p in problems if "bullet" in p.where)
    again = CliRunner().invoke(main, ["derive", "--map", "--data", str(tiny_dir)])
    assert f"{len(bullets)} item(s) kept, 0 mapped" in again.output
