"""Pages assembled from pieces compressed once: the gzip stream is exactly the page."""

from __future__ import annotations

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.views.assembly import Piece, chain, fill, frame_parts, gzip_parts, join_parts, slot

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=3000)
parts = st.lists(st.one_of(text, text.map(Piece)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(parts)
def test_any_sequence_of_pieces_and_text_decodes_to_the_page(sequence):
    assert gzip.decompress(gzip_parts(sequence)) == join_parts(sequence).encode("utf-8")


def test_repeated_text_after_a_piece_cannot_refer_into_the_piece():
    # The text compressor saw "abc…" before the piece; after it, a reference back would land
    # inside the piece's bytes. The full flush forbids that.
    repeated = "abcdefghij" * 300
    sequence = [repeated, Piece("<p>" + "xyz" * 500 + "</p>"), repeated, Piece(repeated), repeated]
    assert gzip.decompress(gzip_parts(sequence)) == join_parts(sequence).encode("utf-8")


places = st.lists(st.dictionaries(st.integers(0, 3), text, min_size=1, max_size=4), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(places, st.randoms(), st.lists(text, max_size=3))
def test_a_chain_of_pieces_decodes_whatever_variant_fills_each_place(sequence, random, before):
    # Text before the chain, then one variant per place in order: the streams that refer back
    # into earlier places (padding of variable places included) still decode to the page.
    pieces = chain(sequence)
    page = [*before, *(random.choice(list(variants.values())) for variants in pieces)]
    assert gzip.decompress(gzip_parts(page)) == join_parts(page).encode("utf-8")


def test_a_chain_compresses_repetition_across_its_pieces():
    table = "<table>" + "".join(f"<tr><td>Arbeiderpartiet</td><td>«Vi mener {i}»</td></tr>" for i in range(40))
    sequence = [{0: f"<h3>{i}</h3>", 1: f"<h3>{i}!</h3>"} if i % 2 else {None: table} for i in range(10)]
    alone = sum(len(Piece(next(iter(v.values()))).deflated) for v in sequence)
    chained = sum(len(next(iter(p.values())).deflated) for p in chain(sequence))
    assert chained < alone / 2


template_items = st.one_of(text.map(lambda t: ("text", t)),
                           st.sampled_from([("slot", "a"), ("slot", "b_1"), ("parts", "p")]))


@settings(max_examples=200, deadline=None)
@given(st.lists(template_items, max_size=12), text, text, parts)
def test_a_frame_filled_is_its_template_with_each_slot_replaced(template, a, b, p):
    # Static text may hold braces (CSS, JSON) that must not be read as slots; text slots are
    # filled by str.format_map, slots for parts by their parts, long static text becomes pieces.
    html = "".join(str(slot(value, parts=kind == "parts")) if kind != "text" else value for kind, value in template)
    values = {"a": a, "b_1": b, "p": p}
    expected = "".join(value if kind == "text" else join_parts(values[value]) if kind == "parts" else values[value]
                       for kind, value in template)
    parts_ = fill(frame_parts(html), values)
    assert join_parts(parts_) == expected
    assert gzip.decompress(gzip_parts(parts_)) == expected.encode("utf-8")
