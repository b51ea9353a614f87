"""Differential test: our BM25 ranks clauses exactly as bm25s (Lucene variant) does on the real corpus."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.bm25 import BM25
from ingest.corpus import load_documents
from ingest.split import split_all
from ingest.tokenize import tokenize

bm25s = pytest.importorskip("bm25s")

QUERIES = ["高级技师 副高级职称 满4年", "技工院校 高级工班 大专", "全国技术能手 破格", "证书编码 第16位",
           "专业技术人员 职业技能评价 免于理论知识考试", "有效期"]


@pytest.fixture(scope="module")
def corpus_tokens():
    return [tokenize(c.text) for c in split_all(load_documents())]


def test_scores_match_reference_implementation(corpus_tokens):
    ours = BM25(corpus_tokens, k1=1.5, b=0.75)
    ref = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    vocab = {t for doc in corpus_tokens for t in doc}
    ref.index(bm25s.tokenization.Tokenized(
        ids=[[sorted(vocab).index(t) for t in doc] for doc in corpus_tokens],
        vocab={t: i for i, t in enumerate(sorted(vocab))}), show_progress=False)
    for q in QUERIES:
        qt = list(dict.fromkeys(t for t in tokenize(q) if t in vocab))
        ours_s = ours.scores(qt)
        ref_s = ref.get_scores(qt)
        # bm25s' Lucene variant drops the constant (k1 + 1) factor
        np.testing.assert_allclose(ours_s, ref_s * (1.5 + 1), rtol=1e-4, atol=1e-4)


def test_top_returns_only_matching_clauses_in_order(corpus_tokens):
    ours = BM25(corpus_tokens)
    top = ours.top(tokenize("天府工匠"), 5)
    assert top and all(s > 0 for _, s in top)
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert ours.top(["不存在的词语"], 5) == []
