"""Pages assembled from pieces of HTML rendered once, and gzipped without compressing them again.

A unique result page is mostly HTML that many voters share: each actor's stance with its
quotes, each statement's table of positions, each "you answered X" line. Rendering and
compressing those 140 KB again for every voter cost ten times more than everything else on
the page. So each shared piece is rendered once per language and partner and kept twice: as
UTF-8 and as a raw deflate stream of its own, ended on a byte boundary (a sync flush). While a
page renders, the template places a piece by a marker; the page is then the text between the
markers (compressed now) and the pieces' streams as they are, inside one gzip member (RFC
1952): deflate blocks may follow each other from different compressors, because no block
refers back past its own piece, and the gzip trailer's CRC-32 is computed over the bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Hashable, Iterable

from flask import current_app, g
from markupsafe import Markup

COMPRESS_LEVEL = 6
MARK = "\x00"  # cannot occur in our HTML: the content loader reads text, and templates have none
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


class Piece:
    """HTML shared by many pages, as UTF-8 and as a deflate stream of its own."""

    __slots__ = ("raw", "deflated")

    def __init__(self, html: str):
        self.raw = html.encode("utf-8")
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.deflated = compressor.compress(self.raw) + compressor.flush(zlib.Z_SYNC_FLUSH)

    def __html__(self) -> str:
        return self.raw.decode("utf-8")


Part = Piece | str


def gzip_parts(parts: Iterable[Part]) -> bytes:
    """One gzip member holding ``parts`` in order: pieces as they are, text compressed now."""
    out, crc, size = [GZIP_HEADER], 0, 0
    text = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    pending = False
    for part in parts:
        if isinstance(part, Piece):
            if pending:  # a full flush: what the text compressor writes next cannot refer back past the piece
                out.append(text.flush(zlib.Z_FULL_FLUSH))
                pending = False
            data = part.raw
            out.append(part.deflated)
        else:
            data = part.encode("utf-8")
            out.append(text.compress(data))
            pending = True
        crc = zlib.crc32(data, crc)
        size += len(data)
    out.append(text.flush(zlib.Z_FINISH))
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def join_parts(parts: Iterable[Part]) -> str:
    """The page as plain text."""
    return "".join(part.__html__() if isinstance(part, Piece) else part for part in parts)


class Assembly:
    """The pieces one page's template has placed, in order, while it renders."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []

    def place(self, piece: Piece) -> Markup:
        self.pieces.append(piece)
        return Markup(f"{MARK}{len(self.pieces) - 1}{MARK}")

    def parts(self, html: str) -> list[Part]:
        """The rendered page split at its markers: text, piece, text, …"""
        chunks = html.split(MARK)
        return [self.pieces[int(chunk)] if i % 2 else chunk for i, chunk in enumerate(chunks) if chunk or i % 2]


def assemble(render: Callable[[], str]) -> list[Part]:
    """Render a page whose template places pieces with :func:`shared_piece`, and return its parts."""
    assembly = g.assembly = Assembly()
    try:
        return assembly.parts(render())
    finally:
        g.assembly = None


def shared_piece(key: Hashable, render: Callable[[], str]) -> Markup:
    """The piece for ``key`` (rendered by ``render()`` on first use), placed in the page being assembled.

    Outside an assembly, and while a piece itself renders, its HTML is returned instead, so that
    pieces can contain pieces and templates work the same when nothing is being assembled.
    """
    pieces = current_app.extensions.setdefault("quiz_pieces", {})
    piece = pieces.get(key)
    if piece is None:
        assembly, g.assembly = g.get("assembly"), None
        try:
            piece = pieces[key] = Piece(render())
        finally:
            g.assembly = assembly
    assembly = g.get("assembly")
    return assembly.place(piece) if assembly is not None else Markup(piece.__html__())
