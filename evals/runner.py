"""Runs a question set through `Assistant.ask` and scores every answer (see evals.metrics)."""
from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evals.dataset import DEFAULT_AS_OF, turns_of
from evals.metrics import ItemScore, by_category, score_item, summarize

BASE_RETRIEVERS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class RetrieverSpec:
    """A name on the command line → which embedder to load and which retrieval mode to ask for."""
    name: str
    mode: str                 # bm25 | dense | hybrid
    embedder: str | None      # None = the configured default (use-multilingual)

    @classmethod
    def parse(cls, name: str) -> RetrieverSpec:
        if name in BASE_RETRIEVERS:
            return cls(name, name, None)
        if name.startswith("st:"):                 # dense retrieval with a sentence-transformers model
            return cls(name, "dense", name)
        if name.startswith("hybrid:st:"):          # hybrid with a sentence-transformers model
            return cls(name, "hybrid", name.removeprefix("hybrid:"))
        raise ValueError(f"unknown retriever {name!r}: bm25 | dense | hybrid | st:<model> | hybrid:st:<model>")

    def data_dir(self) -> Path | None:
        """Another embedder gets its own index folder next to the default one (never overwrites it)."""
        if self.embedder is None:
            return None
        from ingest import config

        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", self.embedder)[-60:]
        return Path(f"{config.data_dir()}-{slug}")


def load_assistant(spec: RetrieverSpec):
    from assistant import Assistant

    return Assistant.load(data_dir=spec.data_dir(), embedder=spec.embedder)


def gold_section_finder() -> Callable[[dict], set[tuple[str, str]]]:
    """item → {(文号, section_key)} of the corpus clauses holding its key passage (for `noise`)."""
    from evals.metrics import key_passages, section_keys, squash
    from ingest.corpus import cleaned_documents
    from ingest.split import split_all

    clauses = [(c.doc, section_keys(c.section), squash(c.text)) for c in split_all(cleaned_documents())]

    def find(item: dict) -> set[tuple[str, str]]:
        docs = set(item.get("gold_docs") or [])
        passages = [squash(p) for p in key_passages(item.get("key_passage"))]
        return {(d, k) for d, keys, t in clauses if d in docs and any(p and p in t for p in passages) for k in keys}
    return find


def verbatim_checker() -> Callable[[str, str], bool]:
    from ingest.corpus import is_verbatim

    return lambda quote, doc: is_verbatim(quote, doc)


@dataclass
class RunResult:
    retriever: str
    set_path: str
    metrics: dict
    categories: dict[str, dict]
    scores: list[ItemScore]
    answers: list[dict]          # final-turn answer object per item (same order as the set)
    seconds: float


def run_set(items: list[dict], assistant, retriever: str = "hybrid", mode: str | None = None,
            default_as_of: str = DEFAULT_AS_OF, is_verbatim: Callable[[str, str], bool] | None = None,
            set_path: str = "", progress: Callable[[int, int], None] | None = None,
            gold_sections: Callable[[dict], set[tuple[str, str]]] | None = None) -> RunResult:
    """Ask every item (each turn carries the previous answer's facts) and score the final answers."""
    mode = mode or retriever
    is_verbatim = is_verbatim or verbatim_checker()
    gold_sections = gold_sections or gold_section_finder()
    t0 = time.perf_counter()
    scores, answers = [], []
    for n, item in enumerate(items, 1):
        as_of = item.get("as_of") or default_as_of
        facts, answer, lat, crashed = None, {}, [], False
        for turn in turns_of(item):
            t = time.perf_counter()
            try:
                answer = assistant.ask(turn, as_of=as_of, facts=facts, retriever=mode)
            except Exception as exc:  # noqa: BLE001 - an exception is a failed item, not a failed run
                answer = {"route": "error", "answer": "", "error": f"{type(exc).__name__}: {exc}",
                          "decision": None, "citations": [], "warnings": []}
                crashed = True
            crashed = crashed or answer.get("error_kind") == "internal"  # ask caught a fault of its own
            lat.append((time.perf_counter() - t) * 1000)
            facts = answer.get("facts")
        answers.append(answer)
        scores.append(score_item(item, answer, lat, crashed, gold_sections(item)))
        if progress:
            progress(n, len(items))
    return RunResult(retriever, set_path, summarize(scores, is_verbatim), by_category(scores, is_verbatim),
                     scores, answers, time.perf_counter() - t0)


def st_model_from_env() -> str | None:
    """`GUANTONG_ST_MODEL` names a local sentence-transformers model (path or name) to compare."""
    m = os.environ.get("GUANTONG_ST_MODEL", "").strip()
    return m or None
