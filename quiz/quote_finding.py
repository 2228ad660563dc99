"""Finding a quote in its source document, and saying where it is (or what is closest) when it is not."""

from __future__ import annotations

import difflib

from quiz.ingest import Span, normalise_whitespace
from quiz.model import Source


def find_quote(source: Source, text: str, lines: tuple[int, int] | None = None) -> Span | str:
    """The one place of ``text`` in ``source`` (within ``lines`` when given), or what is wrong:
    not there (with the closest passage), there more than once, or crossing from one paragraph
    or list item into the next."""
    source_id = source.id
    spans = source.document.find_all(text)
    if not spans:
        return (f"quote not found verbatim in {source_id}: «{shorten(text)}»; "
                f"closest passage: {closest_passage(source, text)}")
    if lines is not None:
        spans = [s for s in spans if lines[0] <= s.first_line and s.last_line <= lines[1]]
        if not spans:
            return f"quote not found in {source_id} within {line_range(*lines)}: «{shorten(text)}»"
    if len(spans) > 1:
        places = ", ".join(line_range(s.first_line, s.last_line) for s in spans)
        return f"quote occurs {len(spans)} times in {source_id} ({places}): say which with lines = [first, last]"
    span = spans[0]
    block = source.document.block_at(span.start)
    if block is None or span.end > block.end:
        return f"quote crosses from one paragraph or list item into the next in {source_id}"
    return span


def shorten(text: str, limit: int = 90) -> str:
    text = normalise_whitespace(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest_passage(source: Source, text: str) -> str:
    """The sentence-sized passage of ``source`` most like ``text``, with its lines."""
    needle = normalise_whitespace(text)
    best, best_ratio = None, -1.0
    for block in source.document.blocks:
        words = block.text.split()
        size = max(len(needle.split()), 1)
        for start in range(0, max(len(words) - size, 0) + 1, max(size // 3, 1)):
            window = " ".join(words[start : start + size])
            matcher = difflib.SequenceMatcher(None, needle, window, autojunk=False)
            if matcher.quick_ratio() > best_ratio and matcher.ratio() > best_ratio:
                best, best_ratio = (block, window), matcher.ratio()
    if best is None:
        return "(the source is empty)"
    block, window = best
    span = source.document.find(window, source.document.normalised.find(normalise_whitespace(block.text)))
    first, last = (span.first_line, span.last_line) if span else (block.first_line, block.last_line)
    return f"{line_range(first, last)}: «{shorten(window, 160)}»"


def line_range(first: int, last: int) -> str:
    """'line 4' or 'lines 4–6'."""
    return f"line {first}" if first == last else f"lines {first}–{last}"
