"""Position-bearing passages: list items (the lists under "… mener at:", "Derfor vil …:"), and
normative sentences.

A passage is a verbatim piece of a source (a list item or a sentence) with where it is, and
what its wording suggests about the author's direction: a normative modal ("skal", "må",
"bør", "vil", "ønsker", "går inn for") says the author wants it; a negation ("ikke", "går
imot", "nei til") turns that around. These are suggestions for an editor, never positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from quiz.authoring.text import sentences
from quiz.ingest import Span
from quiz.model import Content, Source

MODALS = re.compile(r"\b(skal|må|bør|vil|ønsker|ønskjer|går inn for|støtter|støttar|krever|krev|foreslår|"
                    r"føreslår|går imot|går mot|soll|sollen|muss|müssen|will|wollen|fordern|lehnen|"
                    r"should|must|shall|wants?|supports?|opposes?|demands?|proposes?)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(ikke|ikkje|aldri|ingen|går imot|går mot|nei til|uenig|imot|nicht|kein|keine|"
                      r"lehnen\s+\w+\s+ab|not|never|no|opposes?|against)\b", re.IGNORECASE)
MIN_WORDS = 5


@dataclass(frozen=True)
class Passage:
    """A verbatim, citable piece of one actor's source."""

    source: str
    actor: str
    text: str
    span: Span
    kind: str  # "item" (a list item) or "sentence"
    modal: str | None  # the normative word, if any
    negated: bool
    language: str = "nb"  # the source's

    @property
    def direction(self) -> str | None:
        """'agree' or 'disagree' as suggested by the wording; None when it is not normative."""
        if self.kind != "item" and self.modal is None:
            return None
        return "disagree" if self.negated else "agree"

    @property
    def lines(self) -> tuple[int, int]:
        return (self.span.first_line, self.span.last_line)


def all_passages(content: Content) -> list[Passage]:
    """Every list item and every sentence of every source, in document order."""
    return [p for source in content.sources for p in source_passages(source)]


def position_passages(content: Content) -> list[Passage]:
    """Passages that state a position: list items, and sentences with a normative modal."""
    return [p for p in all_passages(content) if p.kind == "item" or p.modal is not None]


def source_passages(source: Source) -> Iterator[Passage]:
    document = source.document
    for block in document.blocks:
        if block.kind == "heading":
            continue
        if block.kind == "item":
            yield _passage(source, block.text, block.start)
            continue
        for offset, sentence in sentences(block.text, source.language):
            if len(sentence.split()) >= MIN_WORDS:
                yield _passage(source, sentence, block.start + offset)


def _passage(source: Source, text: str, start: int) -> Passage:
    end = start + len(text)
    document = source.document
    span = Span(start, end, document.line_at(start), document.line_at(end - 1))
    modal = MODALS.search(text)
    return Passage(source.id, source.actor, text, span, "item" if _is_item(source, start) else "sentence",
                   modal.group(0).lower() if modal else None, bool(NEGATION.search(text)), source.language)


def _is_item(source: Source, offset: int) -> bool:
    block = source.document.block_at(offset)
    return block is not None and block.kind == "item"

