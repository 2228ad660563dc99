"""BM25 ranking and TF-IDF similarity over passages, in NumPy (no external service)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from quiz.authoring.passages import Passage
from quiz.authoring.text import terms

K1 = 1.5
B = 0.75


class PassageIndex:
    """A term-frequency matrix over passages: BM25 for queries, cosine for passage pairs."""

    def __init__(self, passages: Sequence[Passage], language: str = "nb"):
        self.passages = list(passages)
        self.language = language
        tokenised = [terms(p.text, language) for p in self.passages]
        self.vocabulary: dict[str, int] = {}
        for words in tokenised:
            for word in words:
                self.vocabulary.setdefault(word, len(self.vocabulary))
        self.tf = np.zeros((len(self.passages), max(len(self.vocabulary), 1)))
        for i, words in enumerate(tokenised):
            for word in words:
                self.tf[i, self.vocabulary[word]] += 1
        n = max(len(self.passages), 1)
        df = (self.tf > 0).sum(axis=0)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.lengths = self.tf.sum(axis=1)
        self.average_length = max(float(self.lengths.mean()) if len(self.passages) else 0.0, 1.0)

    def bm25(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query``."""
        columns = [self.vocabulary[w] for w in terms(query, self.language) if w in self.vocabulary]
        if not columns or not self.passages:
            return np.zeros(len(self.passages))
        tf = self.tf[:, columns]
        norm = K1 * (1 - B + B * self.lengths[:, None] / self.average_length)
        return (self.idf[columns] * tf * (K1 + 1) / (tf + norm)).sum(axis=1)

    def top(self, query: str, k: int, where=None) -> list[tuple[Passage, float]]:
        """The ``k`` best passages for ``query`` (optionally only those ``where(passage)`` is true)."""
        scores = self.bm25(query)
        order = np.argsort(-scores, kind="stable")
        chosen = [(self.passages[i], float(scores[i])) for i in order
                  if scores[i] > 0 and (where is None or where(self.passages[i]))]
        return chosen[:k]

    def similarity(self) -> np.ndarray:
        """Cosine similarity of the passages' TF-IDF vectors (passages × passages)."""
        vectors = np.log1p(self.tf) * self.idf[None, :]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms > 0, norms, 1)
        return vectors @ vectors.T
