"""Okapi BM25 over pre-tokenised clauses, with an inverted index so scoring touches only matching clauses."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np


class BM25:
    """Okapi BM25 (Robertson/Sparck Jones idf with the +1 floor used by Lucene: always positive)."""

    def __init__(self, corpus_tokens: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n_docs = len(corpus_tokens)
        self.doc_len = np.array([len(t) for t in corpus_tokens], dtype=np.float32)
        self.avgdl = float(self.doc_len.mean()) if self.n_docs else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, tokens in enumerate(corpus_tokens):
            for term, tf in Counter(tokens).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        self._postings = {
            t: (np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32)) for t, (ids, tfs) in postings.items()
        }
        self.idf = {
            t: math.log(1.0 + (self.n_docs - len(ids) + 0.5) / (len(ids) + 0.5))
            for t, (ids, _) in self._postings.items()
        }
        self._norm = (k1 * (1 - b + b * self.doc_len / self.avgdl)) if self.n_docs else self.doc_len

    def scores(self, query_tokens: list[str], weights: Mapping[str, float] | None = None) -> np.ndarray:
        """BM25 of every clause; `weights` (default 1) scales a query word's contribution."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term in set(query_tokens):  # a repeated query word counts once
            hit = self._postings.get(term)
            if hit is None:
                continue
            ids, tf = hit
            w = 1.0 if weights is None else weights.get(term, 1.0)
            out[ids] += w * self.idf[term] * tf * (self.k1 + 1) / (tf + self._norm[ids])
        return out

    def top(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        return self.top_from_scores(self.scores(query_tokens), k)

    def top_from_scores(self, s: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not self.n_docs:
            return []
        k = min(k, self.n_docs)
        idx = np.argpartition(-s, k - 1)[:k]
        idx = idx[np.argsort(-s[idx], kind="stable")]
        return [(int(i), float(s[i])) for i in idx if s[i] > 0]
