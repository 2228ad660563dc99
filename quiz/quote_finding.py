"""Finding a quote in its source document, and saying where it is (or what is closest) when it is
not; :class:`QuoteReader` reads a quote's table (source, text, lines, review) from a content file."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from quiz.content_files import TomlReader
from quiz.ingest import Span, normalise_whitespace
from quiz.model import Quote, Source

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


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


class QuoteReader(TomlReader):
    """A content reader that can locate quotes in the sources it has read (``sources``)."""

    def __init__(self, data_dir: Path):
        super().__init__(data_dir)
        self.sources: dict[str, Source] = {}

    def _quote(self, table: dict, key: str, file: str, where: str,
               allowed: tuple[str, ...] | None = None) -> Quote | None:
        """Locate a quote verbatim in its source, or record why it cannot be."""
        source_id = self._get(table, "source", file, where)
        text = self._get(table, key, file, where)
        label = self._get(table, "label", file, where, required=False)
        review = self._review(table, file, where)
        if source_id is None or text is None:
            return None
        source = self.sources.get(source_id)
        if source is None:
            self.problem(file, where, f"unknown source {source_id!r}")
            return None
        if allowed is not None and source_id not in allowed:
            self.problem(file, where, f"source {source_id!r} is not one of this actor's sources")
            return None
        lines = self._lines(table, file, where)
        if lines is False:
            return None
        span = find_quote(source, text, lines)
        if isinstance(span, str):
            self.problem(file, where, span)
            return None
        return Quote(source_id, normalise_whitespace(text), span, label, *review)

    def _review(self, table: dict, file: str, where: str) -> tuple[bool, str | None, str | None]:
        """(reviewed, by whom, on which day) of a quote an editor has checked by hand."""
        reviewed = table.get("reviewed", False)
        if not isinstance(reviewed, bool):
            self.problem(file, where, "'reviewed' must be true or false")
            reviewed = False
        by = self._get(table, "reviewed_by", file, where, required=False)
        on = table.get("reviewed_on")
        if isinstance(on, dt.date) and not isinstance(on, dt.datetime):
            on = on.isoformat()
        elif on is not None and not (isinstance(on, str) and ISO_DAY.fullmatch(on)):
            self.problem(file, where, "'reviewed_on' must be a day such as 2026-11-30")
            on = None
        if not reviewed and (by or on):
            self.problem(file, where, "'reviewed_by' or 'reviewed_on' is given but 'reviewed' is not true")
        return reviewed, by, on

    def _lines(self, table: dict, file: str, where: str) -> tuple[int, int] | None | bool:
        """A quote's ``lines = [first, last]`` (the original lines it was taken from), None if not
        given, False (and a problem) if malformed."""
        lines = table.get("lines")
        if lines is None:
            return None
        if (not isinstance(lines, list) or len(lines) != 2
                or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in lines)
                or lines[0] > lines[1]):
            self.problem(file, where, "'lines' must be [first, last]: two line numbers, first ≤ last")
            return False
        return lines[0], lines[1]
