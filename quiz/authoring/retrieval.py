"""BM25 ranking and TF-IDF similarity over passages, in NumPy (no external service).

Each passage is tokenised in its source's language; a query is tokenised in every language
the passages are in, so a Norwegian statement finds Norwegian passages and a German one German.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from quiz.authoring.passages import Passage
from quiz.authoring.text import Compounds, terms, words


@dataclass(frozen=True)
class Settings:
    """How passages are ranked; the defaults are the best measured by bench/suggest_recall.py."""

    k1: float = 1.5
    b: float = 0.75
    compounds: bool = True  # add the known parts of compound words as terms
    expansion: float = 0.25  # weight of the other actors' quotes for the statement in a query (0: left out)


Query = str | list[tuple[str, float]]


class PassageIndex:
    """A term-frequency matrix over passages: BM25 for queries, cosine for passage pairs."""

    def __init__(self, passages: Sequence[Passage], settings: Settings = Settings()):
        self.passages = list(passages)
        self.settings = settings
        self._line_terms: dict[str, list[int]] = {}
        self.languages = sorted({p.language for p in self.passages}) or ["nb"]
        self.compounds = None
        if settings.compounds:
            self.compounds = Compounds({w for p in self.passages for w in words(p.text, p.language)})
        tokenised = [terms(p.text, p.language, self.compounds) for p in self.passages]
        self.vocabulary: dict[str, int] = {}
        counts: dict[tuple[int, int], int] = {}  # (term, passage) → occurrences: the matrix is sparse
        for i, found in enumerate(tokenised):
            for word in found:
                key = (self.vocabulary.setdefault(word, len(self.vocabulary)), i)
                counts[key] = counts.get(key, 0) + 1
        self.postings: list[tuple[list[int], list[int]]] = [([], []) for _ in self.vocabulary]
        for (term, passage), count in counts.items():
            self.postings[term][0].append(passage)
            self.postings[term][1].append(count)
        n = max(len(self.passages), 1)
        df = np.array([len(rows) for rows, _ in self.postings], dtype=float)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.lengths = np.array([len(found) for found in tokenised], dtype=float)
        self.average_length = max(float(self.lengths.mean()) if len(self.passages) else 0.0, 1.0)

    def query_terms(self, query: Query) -> list[tuple[int, float]]:
        """(vocabulary column, weight) of each of ``query``'s terms, in each of the passages' languages.

        A query is a text, or texts with weights; each text's terms are remembered, because
        queries repeat the same quotes."""
        columns = []
        for line, weight in ([(query, 1.0)] if isinstance(query, str) else query):
            if line not in self._line_terms:
                found = [w for language in self.languages for w in terms(line, language, self.compounds)]
                self._line_terms[line] = [self.vocabulary[w] for w in found if w in self.vocabulary]
            columns += [(column, weight) for column in self._line_terms[line]]
        return columns

    def bm25(self, query: Query) -> np.ndarray:
        """BM25 score of every passage for ``query``."""
        columns = self.query_terms(query)
        if not columns or not self.passages:
            return np.zeros(len(self.passages))
        k1, b = self.settings.k1, self.settings.b
        norm = k1 * (1 - b + b * self.lengths / self.average_length)
        scores = np.zeros(len(self.passages))
        for column, weight in columns:
            rows, counts = (np.asarray(v) for v in self.postings[column])
            scores[rows] += weight * self.idf[column] * counts * (k1 + 1) / (counts + norm[rows])
        return scores

    def top(self, query: Query, k: int, where=None) -> list[tuple[Passage, float]]:
        """The ``k`` best passages for ``query`` (optionally only those ``where(passage)`` is true)."""
        scores = self.bm25(query)
        order = np.argsort(-scores, kind="stable")
        chosen = [(self.passages[i], float(scores[i])) for i in order
                  if scores[i] > 0 and (where is None or where(self.passages[i]))]
        return chosen[:k]

    def similarity(self) -> np.ndarray:
        """Cosine similarity of the passages' TF-IDF vectors (passages × passages)."""
        tf = np.zeros((len(self.passages), max(len(self.vocabulary), 1)))
        for term, (rows, counts) in enumerate(self.postings):
            tf[rows, term] = counts
        vectors = np.log1p(tf) * self.idf[None, :]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms > 0, norms, 1)
        return vectors @ vectors.T
