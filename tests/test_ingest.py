"""Cleaning PDF/web extractions: text rebuilt, words untouched, lines mapped back."""

from quiz.app import REPO_ROOT
from quiz.ingest import clean_document, normalise_whitespace

NUMBERED = """\
 En tittel 1

 2
Første avsnitt fortsetter over 3
to linjer. Linje 77 – 95 med: 4
 5
Derfor vil vi: 6

• Gjøre noe som går over 7
flere linjer. 8
o Et underpunkt 9

som fortsetter etter en tom linje. 10
"""


def test_document_line_numbers_are_stripped_and_kept_for_citations():
    doc = clean_document(NUMBERED, numbered=True)
    assert " 3" not in doc.text.split("\n")[2]
    assert "Første avsnitt fortsetter over to linjer. Linje 77 – 95 med:" in doc.text
    span = doc.find("to linjer. Linje 77 – 95 med:")
    assert (span.first_line, span.last_line) == (4, 4)
    span = doc.find("Første avsnitt fortsetter over to linjer.")
    assert (span.first_line, span.last_line) == (3, 4)


def test_a_number_out_of_sequence_is_text_not_a_line_number():
    doc = clean_document("Tekst 1\nLinje 77 – 95 2\n", numbered=True)
    assert "Linje 77 – 95" in doc.text
    assert doc.find("Linje 77 – 95").first_line == 2


def test_list_items_and_sub_items_are_rebuilt_across_hard_breaks():
    doc = clean_document(NUMBERED, numbered=True)
    items = [b for b in doc.blocks if b.kind == "item"]
    assert [(b.text, b.depth, b.first_line, b.last_line) for b in items] == [
        ("Gjøre noe som går over flere linjer.", 0, 7, 8),
        ("Et underpunkt som fortsetter etter en tom linje.", 1, 9, 10),
    ]


def test_headings_and_paragraphs():
    doc = clean_document(NUMBERED, numbered=True)
    kinds = [(b.kind, b.text) for b in doc.blocks if b.kind != "item"]
    assert kinds[0] == ("heading", "En tittel")
    assert kinds[1][0] == "paragraph"


def test_bullet_glyphs_and_no_break_spaces():
    raw = "Vi mener at:\n\n\uf0b7 Første\u00a0punkt \n\nsom fortsetter.\n· Andre punkt.\n • Tredje punkt.\n"
    doc = clean_document(raw)
    items = [b.text for b in doc.blocks if b.kind == "item"]
    assert items == ["Første punkt som fortsetter.", "Andre punkt.", "Tredje punkt."]
    assert "\uf0b7" not in doc.text and "\u00a0" not in doc.text
    assert doc.find("Første punkt som\nfortsetter.").first_line == 3
    assert doc.find("Første punkt som fortsetter.").last_line == 5


def test_uppercase_line_after_an_item_starts_a_new_paragraph():
    doc = clean_document("• Et punkt som slutter.\nDissens: noen er uenige.\n")
    assert [b.kind for b in doc.blocks] == ["item", "paragraph"]


def test_long_unwrapped_lines_are_paragraphs_of_their_own():
    long_a = "Første avsnitt. " * 12
    long_b = "Andre avsnitt. " * 12
    doc = clean_document(f"{long_a}\n{long_b}\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_find_normalises_whitespace_only():
    doc = clean_document("Dette er  en\u00a0setning med skrivefeil: avkriminalierese.\n")
    assert doc.find("Dette er en setning") is not None
    assert doc.find("dette er en setning") is None  # case is not normalised
    assert doc.find("avkriminalisere") is None  # typos are not corrected
    assert doc.find("avkriminalierese.") is not None
    assert doc.find("   ") is None


def test_typos_stay_verbatim():
    doc = clean_document("Konskevkenser av avkriminilasering\n")
    assert doc.text == "Konskevkenser av avkriminilasering"


def test_normalise_whitespace():
    assert normalise_whitespace(" a \n\n b\u00a0 c ") == "a b c"


def test_bundled_arbeiderpartiet_document_uses_its_own_line_numbers():
    raw = (REPO_ROOT / "sources" / "ap-rusreform.txt").read_text(encoding="utf-8")
    doc = clean_document(raw, numbered=True)
    assert "rusmidler de 3" not in doc.text
    span = doc.find("Dissens: Marte Mjøs Persen")
    assert span.first_line == 96
    span = doc.find("Linje 77 – 95 med:")
    assert span.first_line == 97
    span = doc.find("gå inn for avkriminalisering av bruk og besittelse av små brukerdoser.")
    assert (span.first_line, span.last_line) == (113, 114)
    # no line of the clean text ends with a stray line number
    for block in doc.blocks:
        assert not block.text.rstrip().split(" ")[-1].isdigit(), block.text
