"""Turn a raw PDF/web text extraction into a clean document with a map back to its lines.

The extractions we quote from are dirty: private-use bullet glyphs, hard line breaks in the
middle of sentences and list items, no-break spaces, and (in some PDFs) the document's own
line numbers glued to the end of each line. We rebuild headings, paragraphs and list items,
and remember for every character of the clean text which line of the original it came from,
so that a quote can be cited as "document, lines a–b". Words are never changed: we quote,
we do not correct.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

BULLET_GLYPHS = ("\uf0b7", "\u2022", "\u00b7", "\u25cf", "\u25aa", "\u2013 ")
SUB_BULLET = re.compile(r"^o\s+(?=\S)")
# Plain-text lists: "- item", "* item", "1. Item", "2) Item" (a capital after a number: "17. mai" is a date).
LIST_MARK = re.compile(r"^(?:[-*]\s+(?=\S)|\d{1,2}[.)]\s+(?=[«\"(]?[A-ZÆØÅÄÖÜ]))")
TRAILING_LINE_NUMBER = re.compile(r"^(.*?)\s*(\d{1,4})\s*$")
HEADING_MAX_CHARS = 80
# A PDF wraps lines well before this; a longer line is a whole paragraph of a web extraction.
WRAP_WIDTH = 130
SENTENCE_END = tuple(".,;:!?")


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or list item of a clean document."""

    kind: str  # "heading", "paragraph" or "item"
    text: str
    start: int  # offset of ``text`` in the clean document text
    end: int
    first_line: int
    last_line: int
    depth: int = 0  # 1 for a sub-item ("o …" under a bullet)


@dataclass(frozen=True)
class Span:
    """Where a passage sits: character offsets in the clean text and original line numbers."""

    start: int
    end: int
    first_line: int
    last_line: int


@dataclass(frozen=True)
class CleanDocument:
    """The clean text of a source, its blocks, and the character → line map."""

    text: str
    blocks: tuple[Block, ...]
    line_starts: tuple[int, ...]  # clean-text offsets where a new original line begins
    line_numbers: tuple[int, ...]  # the original line number starting at that offset
    normalised: str  # ``text`` with every whitespace run collapsed to one space
    normalised_offsets: tuple[int, ...]  # normalised position → position in ``text``

    def line_at(self, offset: int) -> int:
        """The original line number of the character at ``offset`` in the clean text."""
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return self.line_numbers[max(i, 0)]

    def find(self, quote: str, start: int = 0) -> Span | None:
        """Locate ``quote`` verbatim (after whitespace normalisation only), or None."""
        needle = normalise_whitespace(quote)
        if not needle:
            return None
        pos = self.normalised.find(needle, start)
        if pos < 0:
            return None
        begin = self.normalised_offsets[pos]
        end = self.normalised_offsets[pos + len(needle) - 1] + 1
        return Span(begin, end, self.line_at(begin), self.line_at(end - 1))

    def find_all(self, quote: str) -> list[Span]:
        """Every place ``quote`` occurs verbatim (overlapping ones too), in order."""
        spans, start = [], 0
        while (span := self.find(quote, start)) is not None:
            spans.append(span)
            start = self.normalised.find(normalise_whitespace(quote), start) + 1
        return spans

    def block_at(self, offset: int) -> Block | None:
        """The block containing clean-text ``offset``."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace (no-break spaces included) into one space."""
    return " ".join(text.split())


@dataclass
class _Line:
    number: int
    text: str  # stripped, bullet glyph removed
    kind: str  # "blank", "item" or "text"
    depth: int = 0


def _split_lines(raw: str, numbered: bool) -> list[_Line]:
    """Physical lines, with trailing document line numbers removed when ``numbered``."""
    lines: list[_Line] = []
    last_number = 0
    for physical, line in enumerate(raw.replace("\r\n", "\n").split("\n"), start=1):
        line = line.replace("\u00a0", " ").rstrip()
        number = physical
        if numbered:
            number = last_number
            match = TRAILING_LINE_NUMBER.match(line)
            # Only a number that continues the sequence is a line number: "Linje 77 – 95 med: 97".
            if match and last_number < int(match.group(2)) <= last_number + 5:
                line, number = match.group(1), int(match.group(2))
                last_number = number
            number = max(number, 1)
        lines.append(_classify(number, line.strip()))
    return lines


def _classify(number: int, text: str) -> _Line:
    if not text:
        return _Line(number, "", "blank")
    for glyph in BULLET_GLYPHS:
        if text.startswith(glyph):
            return _Line(number, text[len(glyph) :].strip(), "item")
    if SUB_BULLET.match(text):
        return _Line(number, SUB_BULLET.sub("", text), "item", depth=1)
    if LIST_MARK.match(text):
        return _Line(number, LIST_MARK.sub("", text), "item")
    return _Line(number, text, "text")


def _looks_like_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX_CHARS and not text.endswith(SENTENCE_END)


@dataclass
class _Group:
    kind: str
    depth: int
    lines: list[_Line]


def _group(lines: list[_Line]) -> list[_Group]:
    """Group physical lines into headings, paragraphs and list items.

    A lowercase line continues the block before it, even across a blank line (PDF extraction
    breaks list items that way); an uppercase line continues a paragraph only without a gap
    and after a wrapped (short) line, and never continues a list item. A short line without
    closing punctuation that is not continued is a heading.
    """
    groups: list[_Group] = []
    gap = True
    for line in lines:
        if line.kind == "blank":
            gap = True
            continue
        current = groups[-1] if groups else None
        if line.kind == "item":
            groups.append(_Group("item", line.depth, [line]))
        elif current and line.text[0].islower():
            current.lines.append(line)
            if current.kind == "heading":
                current.kind = "paragraph"
        elif (current and not gap and current.kind == "paragraph"
              and len(current.lines[-1].text) <= WRAP_WIDTH):
            current.lines.append(line)
        else:
            kind = "heading" if _looks_like_heading(line.text) else "paragraph"
            groups.append(_Group(kind, 0, [line]))
        gap = False
    return groups


def clean_document(raw: str, numbered: bool = False) -> CleanDocument:
    """Clean ``raw`` text; ``numbered`` when each line ends with the document's line number."""
    parts: list[str] = []
    blocks: list[Block] = []
    line_starts: list[int] = []
    line_numbers: list[int] = []
    offset = 0
    for group in _group(_split_lines(raw, numbered)):
        prefix = "\n\n" if blocks else ""
        if group.kind == "item":
            prefix += "    ◦ " if group.depth else "• "
        parts.append(prefix)
        offset += len(prefix)
        start = offset
        for i, line in enumerate(group.lines):
            if i:
                parts.append(" ")
                offset += 1
            line_starts.append(offset)
            line_numbers.append(line.number)
            parts.append(line.text)
            offset += len(line.text)
        first, last = group.lines[0].number, group.lines[-1].number
        blocks.append(Block(group.kind, "", start, offset, first, last, group.depth))
    text = "".join(parts)
    blocks = [replace(b, text=text[b.start : b.end]) for b in blocks]
    normalised, offsets = _normalise_with_offsets(text)
    return CleanDocument(text, tuple(blocks), tuple(line_starts), tuple(line_numbers),
                         normalised, tuple(offsets))


def _normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    in_space = True  # drops leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                chars.append(" ")
                offsets.append(i)
            in_space = True
        else:
            chars.append(ch)
            offsets.append(i)
            in_space = False
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets
