"""Pages assembled from pieces of HTML rendered once, and gzipped without compressing them again.

A unique result page is mostly HTML that many voters share: each actor's stance with its
quotes, each statement's table of positions, each "you answered X" line. Rendering and
compressing those 140 KB again for every voter cost ten times more than everything else on
the page. So each shared piece is rendered once per language and partner and kept twice: as
UTF-8 and as a raw deflate stream of its own, ended on a byte boundary (a sync flush). A page
is a list of parts, pieces and text; its gzip body is the text compressed now and the pieces'
streams as they are, inside one gzip member (RFC 1952): deflate blocks may follow each other
from different compressors, because no block refers back past its own piece, and the gzip
trailer's CRC-32 is computed over the bytes.

Pieces are compressed once with the standard library's zlib at its best level. What is done
per request (compressing the page's own text, the CRC-32 over the whole page) uses ISA-L
(``isal``), whose CRC-32 is about ten times faster than zlib's and whose level 1 compresses
text about four times faster for the same size: half the cost of gzipping a result page.

A *frame* is a template rendered once with named slots (see :func:`slot`): its static text
becomes pieces (or short text), and each page fills the slots with its own parts. The page's
layout is a frame, and so is each part of a result page that differs between voters only in a
few values (see :mod:`quiz.views.result_page`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from isal import isal_zlib
from markupsafe import Markup

COMPRESS_LEVEL = 1  # ISA-L's level (0-3) for the text compressed per request: 2 and 3 gain nothing on a result page
PIECE_LEVEL = 9  # a piece is compressed once, so the slowest, smallest level
WINDOW = 32 * 1024  # how far back a deflate stream may refer
STORE_BELOW = 512  # bytes of text between pieces below which compressing it is not worth it
MARK = "\x00"  # cannot occur in our HTML: the content loader reads text, and templates have none
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


class Piece:
    """HTML shared by many pages, as UTF-8 and as a deflate stream of its own.

    ``preceding`` is what the page is known to hold right before the piece, wherever the piece
    is placed (see :func:`chain`): the stream may refer back into it, and compresses better.
    """

    __slots__ = ("raw", "deflated")

    def __init__(self, html: str, preceding: bytes = b""):
        self.raw = html.encode("utf-8")
        if preceding:
            compressor = zlib.compressobj(PIECE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=preceding[-WINDOW:])
        else:
            compressor = zlib.compressobj(PIECE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.deflated = compressor.compress(self.raw) + compressor.flush(zlib.Z_SYNC_FLUSH)

    @classmethod
    def stored(cls, html: str) -> Piece:
        """A piece of a few bytes (a closing tag), kept as a stored block: compressing it would not pay."""
        piece = cls.__new__(cls)
        piece.raw = html.encode("utf-8")
        piece.deflated = _stored(piece.raw)
        return piece

    def __html__(self) -> str:
        return self.raw.decode("utf-8")


Part = Piece | str


def gzip_parts(parts: Iterable[Part]) -> bytes:
    """One gzip member holding ``parts`` in order: pieces as they are, text compressed now.

    Consecutive text parts are joined first. A short run of text between pieces (list tags, a
    heading) is written as stored deflate blocks: compressing a few dozen bytes costs more than
    it saves.
    """
    out, raw = [GZIP_HEADER], []  # raw: the page's bytes, for the trailer's CRC-32 and size (one call each)
    text = isal_zlib.compressobj(COMPRESS_LEVEL, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)
    pending = False  # the text compressor holds output that must be flushed before anything else
    run: list[str] = []
    for part in (*parts, None):  # None: the end, which ends the last run of text
        if isinstance(part, str):
            run.append(part)
            continue
        if run:
            data = "".join(run).encode("utf-8")
            run.clear()
            raw.append(data)
            if len(data) >= STORE_BELOW:
                out.append(text.compress(data))
                pending = True
            else:
                if pending:
                    out.append(text.flush(isal_zlib.Z_FULL_FLUSH))
                    pending = False
                out.append(_stored(data))
        if part is not None:
            if pending:  # a full flush: what the text compressor writes next cannot refer back past this piece
                out.append(text.flush(isal_zlib.Z_FULL_FLUSH))
                pending = False
            raw.append(part.raw)
            out.append(part.deflated)
    out.append(text.flush(isal_zlib.Z_FINISH))
    page = b"".join(raw)
    out.append(struct.pack("<II", isal_zlib.crc32(page), len(page) & 0xFFFFFFFF))
    return b"".join(out)


def _stored(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks: a header byte, the length and its complement."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start:start + 0xFFFF]
        blocks.append(struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def chain(places: list[dict[Hashable, str]]) -> list[dict[Hashable, Piece]]:
    """Pieces for a fixed sequence of places, each filled by one of its variants, that refer back
    to the places before them, as one document compressed whole would.

    A page with many small pieces compresses three times worse than the same page compressed
    whole, because a piece cannot refer to the pieces before it: they differ between pages.
    In a fixed sequence (every statement row of a result page, in order) they do not, except
    the variable places (the voter's answer line). Each variable place is padded with spaces to
    its longest variant, so what follows is always the same distance back, and it stands in the
    dictionary as NUL bytes, which no HTML of ours contains: no reference can land in it. The
    pieces must then be placed in the sequence's order with nothing between them.
    """
    known, pieces = b"", []
    for variants in places:
        longest = max(len(html.encode("utf-8")) for html in variants.values())
        padded = {key: html + " " * (longest - len(html.encode("utf-8"))) for key, html in variants.items()}
        pieces.append({key: Piece(html, known) for key, html in padded.items()})
        fixed = len(padded) == 1
        known = (known + (next(iter(padded.values())).encode("utf-8") if fixed else b"\x00" * longest))[-WINDOW:]
    return pieces


PARTS = "*"  # starts the name of a slot for a list of parts (see slot)


class Text(str):
    """A run of a frame's short text with its text slots as ``{name}``: filled by ``str.format_map``."""


class PartsSlot(str):
    """The name of a place in a frame that each page fills with a list of parts."""


Frame = tuple[Part | Text | PartsSlot, ...]


def slot(name: str, parts: bool = False) -> Markup:
    """Mark a slot while a frame renders: for text, escaped by whoever fills it, or with ``parts``
    for a list of parts (pieces and text)."""
    return Markup(f"{MARK}{PARTS if parts else ''}{name}{MARK}")


def split_marks(html: str) -> list[tuple[bool, str]]:
    """``html`` split at its markers: (True, what a marker names) or (False, the text between)."""
    return [(bool(i % 2), chunk) for i, chunk in enumerate(html.split(MARK)) if chunk or i % 2]


def frame_parts(html: str) -> Frame:
    """A rendered frame split at its slots, ready to fill.

    Its long static text becomes pieces. Short text (a tag or two between slots) is cheaper to
    send with the page's own text, so each run of it, with the text slots in it, becomes one
    format string: filling it is one ``str.format_map`` in C, not a step per slot.
    """
    frame: list[Part | Text | PartsSlot] = []
    run: list[tuple[bool, str]] = []

    def end_run() -> None:
        if any(marked for marked, _ in run):
            frame.append(Text("".join("{" + chunk + "}" if marked else chunk.replace("{", "{{").replace("}", "}}")
                                      for marked, chunk in run)))
        elif run:
            frame.append("".join(chunk for _, chunk in run))
        run.clear()

    for marked, chunk in split_marks(html):
        if marked and chunk.startswith(PARTS):
            end_run()
            frame.append(PartsSlot(chunk[len(PARTS):]))
        elif not marked and len(chunk) >= STORE_BELOW:
            end_run()
            frame.append(Piece(chunk))
        else:
            run.append((marked, chunk))
    end_run()
    return tuple(frame)


def fill(frame: Frame, slots: dict[str, str | list[Part]]) -> list[Part]:
    """The parts of one page: the frame's pieces and text with each slot replaced by its text or parts."""
    parts: list[Part] = []
    for item in frame:
        kind = type(item)
        if kind is Text:
            parts.append(item.format_map(slots))
        elif kind is PartsSlot:
            parts.extend(slots[item])
        else:
            parts.append(item)
    return parts


def join_parts(parts: Iterable[Part]) -> str:
    """The page as plain text."""
    return "".join(part.__html__() if isinstance(part, Piece) else part for part in parts)


class Assembly:
    """What pages share, kept per process: pieces, frames, anything made once.

    ``store`` keeps everything made so far, ``scope`` is what it varies by besides its own key
    (language, partner).
    """

    def __init__(self, store: dict, scope: tuple):
        self.store, self.scope = store, scope

    def kept(self, key: tuple, make: Callable[[], Any], scope: tuple | None = None) -> Any:
        """What is kept for ``key`` in this scope (or ``scope``), made by ``make()`` on first use."""
        full_key = (*key, *(self.scope if scope is None else scope))
        found = self.store.get(full_key)
        if found is None:
            found = self.store[full_key] = make()
        return found

    def shared(self, key: tuple, render: Callable[[], str], scope: tuple | None = None) -> Piece:
        """The piece for ``key`` in this scope (or ``scope``), rendered by ``render()`` on first use."""
        return self.kept(key, lambda: Piece(render()), scope)
