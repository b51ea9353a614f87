"""The runner and the bench's synthetic corpus, against a fake assistant (no index: fast)."""
from __future__ import annotations

import pytest

from evals.bench import make_corpus
from evals.runner import RetrieverSpec, run_set
from ingest.corpus import load_catalog, load_documents

SH = "沪人社专〔2021〕312号"


class FakeAssistant:
    """Returns queued answers and records every call."""

    def __init__(self, answers):
        self.answers, self.calls = list(answers), []

    def ask(self, question, as_of=None, facts=None, retriever="hybrid"):
        self.calls.append((question, as_of, facts, retriever))
        a = self.answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a


def ans(route, facts=None, **kw):
    return {"route": route, "answer": kw.get("answer", ""), "decision": kw.get("decision"),
            "citations": kw.get("citations", []), "warnings": [], "facts": facts or {}}


def test_turns_carry_facts_and_gold_applies_to_the_last_turn():
    item = {"id": "m1", "turns": ["我是技师，能评中级吗？", "上海", "4年"], "category": "multi_turn",
            "route": "rules", "decision": {"eligible": True, "target": "中级职称", "region": "上海"},
            "gold_docs": [SH], "key_passage": None, "key_facts": []}
    fake = FakeAssistant([ans("clarify", {"level": "技师"}), ans("clarify", {"level": "技师", "region": "上海"}),
                          ans("rules", decision={"eligible": True, "target": "中级职称", "region": "上海"})])
    r = run_set([item], fake, retriever="bm25", is_verbatim=lambda q, d: True)
    assert [c[2] for c in fake.calls] == [None, {"level": "技师"}, {"level": "技师", "region": "上海"}]
    assert all(c[1] == "2026-11-21" and c[3] == "bm25" for c in fake.calls)   # default as_of, retriever mode
    assert r.metrics["route_accuracy"] == 1.0 and r.metrics["decision_accuracy"] == 1.0
    assert len(r.scores[0].latencies_ms) == 3


def test_an_exception_in_ask_is_a_failed_item_not_a_failed_run():
    items = [{"id": f"x{i}", "question": "q", "as_of": "2025-01-01", "category": "c", "route": "retrieval",
              "decision": None, "gold_docs": [], "key_passage": None, "key_facts": []} for i in range(2)]
    fake = FakeAssistant([RuntimeError("boom"), ans("retrieval")])
    r = run_set(items, fake, is_verbatim=lambda q, d: True)
    assert r.metrics["crashes"] == 1 and r.metrics["route_accuracy"] == 0.5
    assert fake.calls[1][1] == "2025-01-01"


def test_retriever_specs():
    assert RetrieverSpec.parse("hybrid") == RetrieverSpec("hybrid", "hybrid", None)
    assert RetrieverSpec.parse("st:/m/x").mode == "dense" and RetrieverSpec.parse("st:/m/x").embedder == "st:/m/x"
    assert RetrieverSpec.parse("hybrid:st:/m/x").embedder == "st:/m/x"
    with pytest.raises(ValueError):
        RetrieverSpec.parse("tfidf")


def test_synthetic_corpus_renames_and_loads(tmp_path):
    n = make_corpus(tmp_path / "c", 3)
    metas = load_catalog(tmp_path / "c")
    assert n == len(metas) == 6 * 3
    copies = [m for m in metas if m.doc.endswith("-副本3")]
    assert len(copies) == 6 and {m.province for m in copies} >= {"四川副本3", "上海副本3", "江苏副本3"}
    docs = {d.meta.doc: d.text for d in load_documents(tmp_path / "c")}
    assert "川人社办发〔2021〕61号-副本2" in docs["川人社办发〔2021〕61号-副本2"]
    assert "四川省" not in docs["川人社办发〔2021〕61号-副本2"]
