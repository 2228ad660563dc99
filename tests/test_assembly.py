"""Pages assembled from pieces compressed once: the gzip stream is exactly the page."""

from __future__ import annotations

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.views.assembly import Piece, gzip_parts, join_parts

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
