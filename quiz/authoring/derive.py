"""Candidate statements from the documents: position passages grouped across actors.

Passages that speak of the same thing (cosine similarity of their TF-IDF vectors over
stemmed words) are merged, so that one candidate covers several actors. Each candidate keeps
its passages as ``derived_from`` (verbatim, verifiable), the actors it covers, the direction
the wording suggests for each actor, and a hint whether it would tell actors apart.
Candidates close in wording are then gathered into draft topics (named by their most
characteristic words), and ranked by how well they split the actors: the number of pairs of
actors whose passages lean opposite ways. Candidates are drafts: the loader never reads them;
an editor rewrites and promotes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import tomli_w

from quiz.authoring.passages import Passage, position_passages
from quiz.authoring.retrieval import PassageIndex
from quiz.model import Content

SIMILARITY = 0.15  # merge passages at least this similar (tuned by eye on the bundled quiz)
TOPIC_SIMILARITY = 0.035  # gather candidates this similar on average into a topic (11 topics for the bundled quiz)
MAX_PASSAGES = 8  # a candidate is one issue, not a topic
MAX_TOPIC = 12  # candidates per draft topic


@dataclass(frozen=True)
class Candidate:
    passages: tuple[Passage, ...]
    text: str  # the most central passage: a draft wording for the editor to rewrite
    topic: str = ""  # a draft topic name: the characteristic words of its candidates

    @property
    def actors(self) -> list[str]:
        return sorted({p.actor for p in self.passages})

    def directions(self) -> dict[str, str | None]:
        """Per actor, the direction its passages suggest ("mixed" when they disagree)."""
        found: dict[str, set] = {}
        for passage in self.passages:
            found.setdefault(passage.actor, set()).add(passage.direction)
        return {a: (d.pop() if len(d) == 1 else "mixed") for a, d in sorted(found.items())}

    @property
    def split(self) -> int:
        """Pairs of actors whose passages lean opposite ways: how well the candidate tells them apart."""
        leanings = list(self.directions().values())
        return leanings.count("agree") * leanings.count("disagree")

    @property
    def splits_actors(self) -> bool:
        return len({d for d in self.directions().values() if d in ("agree", "disagree")}) > 1

    @property
    def discrimination(self) -> str:
        if len(self.actors) < 2:
            return "one actor only: nothing to compare"
        if self.splits_actors:
            return "actors lean different ways: likely to tell them apart"
        return "every actor leans the same way: likely useless unless degrees differ"


def derive_candidates(content: Content, similarity: float = SIMILARITY) -> list[Candidate]:
    """Group position passages into candidates in draft topics, the most discriminating first."""
    passages = position_passages(content)
    if not passages:
        return []
    index = PassageIndex(passages)
    matrix = index.similarity()
    groups = _group(matrix, similarity, MAX_PASSAGES)
    candidates = [Candidate(tuple(passages[i] for i in members), passages[_central(matrix, members)].text)
                  for members in groups]
    rank = {id(c): (not c.splits_actors, -c.split, -len(c.actors), -len(c.passages)) for c in candidates}
    topics = _topics(groups, matrix)
    topics.sort(key=lambda members: min(rank[id(candidates[i])] for i in members))
    ranked = []
    for members in topics:
        name = _topic_name(index, [i for m in members for i in groups[m]])
        ranked += sorted((replace(candidates[m], topic=name) for m in members), key=lambda c: (
            not c.splits_actors, -c.split, -len(c.actors), -len(c.passages)))
    return ranked


def _topics(groups: list[list[int]], matrix: np.ndarray) -> list[list[int]]:
    """Candidates (by index) gathered by the mean similarity of their passages."""
    between = np.array([[matrix[np.ix_(a, b)].mean() for b in groups] for a in groups])
    np.fill_diagonal(between, 1.0)
    return _group(between, TOPIC_SIMILARITY, MAX_TOPIC)


def _topic_name(index: PassageIndex, members: list[int]) -> str:
    """The three stems most characteristic of the passages (tf-idf): a name for the editor to rewrite."""
    weights: dict[int, float] = {}
    chosen = set(members)
    for term, (rows, counts) in enumerate(index.postings):
        inside = sum(c for r, c in zip(rows, counts) if r in chosen)
        if inside and len(rows) > 1:
            weights[term] = inside * index.idf[term]
    stems = {i: w for w, i in index.vocabulary.items()}
    best = sorted(weights, key=lambda t: -weights[t])[:3]
    return ", ".join(stems[t] for t in best) or "utkast"


def _group(matrix: np.ndarray, threshold: float, max_size: int) -> list[list[int]]:
    """Union the most similar pairs first, keeping each group to ``max_size`` (one issue's size)."""
    parent = list(range(len(matrix)))
    size = [1] * len(matrix)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    upper = np.triu_indices(len(matrix), k=1)
    order = np.argsort(-matrix[upper], kind="stable")
    for k in order:
        if matrix[upper][k] < threshold:
            break
        a, b = root(int(upper[0][k])), root(int(upper[1][k]))
        if a != b and size[a] + size[b] <= max_size:
            parent[b] = a
            size[a] += size[b]
    groups: dict[int, list[int]] = {}
    for i in range(len(matrix)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _central(matrix: np.ndarray, members: list[int]) -> int:
    """The member most similar to the others."""
    sub = matrix[np.ix_(members, members)]
    return members[int(np.argmax(sub.sum(axis=1)))]


def write_drafts(candidates: list[Candidate], path: Path) -> None:
    """Write candidates in the questions/ format, in draft topics, marked as drafts with their suggestions."""
    topics = {name: f"tema-{n:02d}" for n, name in enumerate(dict.fromkeys(c.topic for c in candidates), start=1)}
    statements = []
    for n, candidate in enumerate(candidates, start=1):
        statements.append({
            "id": f"kandidat-{n:03d}",
            "topic": topics[candidate.topic],
            "text": candidate.text,
            "draft": True,
            "actors": candidate.actors,
            "split": candidate.split,
            "discrimination": candidate.discrimination,
            "derived_from": [{"source": p.source, "quote": p.text, "lines": list(p.lines)}
                             for p in candidate.passages],
            "suggested": [{"actor": actor, "direction": direction or "unclear",
                           "note": "a suggestion from the wording (modal verbs, negation), not a coded position"}
                          for actor, direction in candidate.directions().items()],
        })
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Draft candidates written by `quiz derive`, grouped in draft topics (named by their\n"
              "# characteristic word stems), the best at telling actors apart first ('split': pairs of\n"
              "# actors leaning opposite ways). Never served: rewrite a candidate as a neutral statement,\n"
              "# move it to questions/statements.toml, and code each actor's stance.\n\n")
    document = {"topic": [{"id": tid, "name": name} for name, tid in topics.items()], "statement": statements}
    path.write_text(header + tomli_w.dumps(document), encoding="utf-8")
