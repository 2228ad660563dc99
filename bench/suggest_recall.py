"""Benchmark: how often `quiz suggest` ranks a passage the editor actually quoted first, or in the top 5.

    python bench/suggest_recall.py

The labelled set is built from coded content: every stance with quotes is a case (statement,
actor) whose right answers are the passages its quotes overlap. The query is what an editor has
when coding that actor: the statement, its derived_from passages and the other actors' quotes
for it, never the actor's own (that would be the answer). Sets:

  rusreform     a snapshot of the bundled quiz (tests/data/rusreform-snapshot), Norwegian
  qualomat-mini tests/data/qualomat-mini, imported (German)
  btw21         the full Wahl-O-Mat 2021 Bundestag election, imported, when
                ../shared/interop/qual-o-mat/2021-deutschland is present (German)

For each set, prints top-1 and top-5 recall for the settings in SETTINGS: the baseline
(Okapi defaults, no compound splitting, no query expansion) and each improvement added.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz.authoring.passages import all_passages  # noqa: E402
from quiz.authoring.retrieval import PassageIndex, Settings  # noqa: E402
from quiz.authoring.suggest import statement_query  # noqa: E402
from quiz.interop.qualomat import import_qualomat  # noqa: E402
from quiz.loading import load_content  # noqa: E402
from quiz.model import Content  # noqa: E402

SETTINGS = {
    "baseline (k1=1.5, b=0.75)": Settings(k1=1.5, b=0.75, compounds=False, expansion=0),
    "+ compound splitting": Settings(k1=1.5, b=0.75, compounds=True, expansion=0),
    "+ other actors' quotes, 1.0": Settings(k1=1.5, b=0.75, compounds=True, expansion=1.0),
    "+ other actors' quotes, 0.5": Settings(k1=1.5, b=0.75, compounds=True, expansion=0.5),
    "+ other actors' quotes, 0.25": Settings(k1=1.5, b=0.75, compounds=True, expansion=0.25),
    "0.25, k1=1.2, b=0.5": Settings(k1=1.2, b=0.5, compounds=True, expansion=0.25),
    "0.25, k1=2.0, b=0.75": Settings(k1=2.0, b=0.75, compounds=True, expansion=0.25),
}


def cases(content: Content) -> list[tuple[str, str, list]]:
    """(statement, actor, quotes) for every stance with quotes."""
    return [(s.statement, s.actor, list(s.quotes)) for s in content.stances if s.quotes]


def recall(content: Content, settings: Settings) -> tuple[float, float, int]:
    """Top-1 and top-5 recall over the content's labelled cases, and how many cases there are."""
    index = PassageIndex(all_passages(content), settings=settings)
    hits1 = hits5 = 0
    labelled = cases(content)
    for statement, actor, quotes in labelled:
        query = statement_query(content, statement, exclude_actor=actor, expansion=settings.expansion)
        ranked = [p for p, _ in index.top(query, 5, where=lambda p, a=actor: p.actor == a)]
        good = [any(q.source == p.source and q.span.start < p.span.end and p.span.start < q.span.end
                    for q in quotes) for p in ranked]
        hits1 += bool(good[:1] and good[0])
        hits5 += any(good)
    return hits1 / len(labelled), hits5 / len(labelled), len(labelled)


def labelled_sets(scratch: Path) -> dict[str, Content]:
    sets = {"rusreform": load_content(ROOT / "tests" / "data" / "rusreform-snapshot")}
    import_qualomat(ROOT / "tests" / "data" / "qualomat-mini", scratch / "mini")
    sets["qualomat-mini"] = load_content(scratch / "mini")
    full = ROOT.parent / "shared" / "interop" / "qual-o-mat" / "2021-deutschland"
    if not full.is_dir():
        full = Path("/work/shared/interop/qual-o-mat/2021-deutschland")
    if full.is_dir():
        import_qualomat(full, scratch / "btw21")
        sets["btw21"] = load_content(scratch / "btw21")
    return sets


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        sets = labelled_sets(Path(scratch))
        for name, content in sets.items():
            print(f"{name}: {len(cases(content))} labelled stances")
            for label, settings in SETTINGS.items():
                top1, top5, _ = recall(content, settings)
                print(f"  {label:<28} top-1 {100 * top1:5.1f} %   top-5 {100 * top5:5.1f} %")


if __name__ == "__main__":
    main()
