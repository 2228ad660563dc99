"""``quiz derive --map``: draft questions/derivation.toml, one [[bullet]] for every list item.

An item already in the map is kept as it is. A new item gets the statements that already quote
it (in ``derived_from`` or a stance quote); an item no statement quotes gets ``left_out = ""``
for the editor to fill in (validate lists it as a to-do) and, as a hint, the statements whose
words it shares most.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from quiz.authoring.text import terms
from quiz.ingest import Block
from quiz.loading import read_content
from quiz.model import Content

MAP_FILE = "questions/derivation.toml"
HINTS = 2


@dataclass
class MapReport:
    kept: int = 0
    mapped: int = 0  # new items with the statements that quote them
    to_fill: int = 0  # new items with left_out = "" to fill in


class MapError(ValueError):
    """The map cannot be drafted; the message says why."""


def draft_map(data_dir: Path) -> MapReport:
    """Add every list item not yet in ``data_dir``'s derivation map, and return what was done."""
    content, problems = read_content(data_dir)
    broken = [p for p in problems if p.message.startswith("not valid TOML")]
    if content is None or broken:
        raise MapError("; ".join(str(p) for p in broken) or "the quiz cannot be read: run quiz validate")
    path = Path(data_dir) / MAP_FILE
    existing = tomllib.loads(path.read_text(encoding="utf-8")).get("bullet", []) if path.is_file() else []
    covered = {(b.source, content.source_by_id[b.source].document.block_at(b.quote.span.start).start)
               for b in content.bullets if content.source_by_id[b.source].document.block_at(b.quote.span.start)}
    report, added = MapReport(kept=len(existing)), []
    for source in content.sources:
        for block in source.document.blocks:
            if block.kind != "item" or (source.id, block.start) in covered:
                continue
            quoting = _quoting_statements(content, source.id, block)
            if quoting:
                added.append({"source": source.id, "quote": block.text, "statements": quoting})
                report.mapped += 1
            else:
                added.append({"source": source.id, "quote": block.text, "left_out": "",
                              "nearest_statements": _nearest(content, block.text, source.language)})
                report.to_fill += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Every list item of every source, mapped to the statements that cover it or left out with a\n"
              "# reason. Drafted by `quiz derive --map`: fill in each left_out = \"\" (or list its statements;\n"
              "# nearest_statements is only a hint).\n")
    path.write_text(header + tomli_w.dumps({"bullet": [*existing, *added]}), encoding="utf-8")
    return report


def _quoting_statements(content: Content, source: str, block: Block) -> list[str]:
    """Statements with a derived_from passage or a stance quote inside ``block``."""
    def inside(quote) -> bool:
        return quote.source == source and block.start <= quote.span.start < block.end

    found = [s.id for s in content.statements if any(inside(q) for q in s.derived_from)]
    found += [s.statement for s in content.stances if any(inside(q) for q in s.quotes)]
    return [s for s in dict.fromkeys(found) if s in content.statement_by_id]


def _nearest(content: Content, text: str, language: str) -> list[str]:
    """The statements sharing most words with ``text`` (a hint, not a mapping)."""
    item = set(terms(text, language))
    shared = {s.id: len(item & set(terms(" ".join([s.text, *(q.text for q in s.derived_from)]), language)))
              for s in content.statements}
    return [sid for sid in sorted(shared, key=lambda k: -shared[k]) if shared[sid]][:HINTS]
