"""Hybrid retrieval over the clause index: jieba BM25 + dense (Chroma), fused by score.

Fusion (measured with /evals, see docs/retrieval.md): BM25 scaled to [0, 1] by the query's best
clause, plus DENSE_WEIGHT × cosine similarity. Exact policy words (高级技师, 满4年, 天府工匠)
carry most of the signal; the dense side breaks ties and rescues paraphrases. Rank fusion
(RRF) was measured too and lost to BM25 alone, because the bundled multilingual encoder ranks
far worse than BM25 on this corpus and RRF gives both rankings equal say.
A question that names a covered region ranks that region's clauses first.
"""
from __future__ import annotations

import importlib
import json
import logging
import re
import sys
import threading
import types
from dataclasses import dataclass
from pathlib import Path

from assistant.asked import Asked, read_asked
from ingest import config
from ingest.bm25 import BM25
from ingest.index import IndexError_, chroma_client, hold_build, index_status
from ingest.tokenize import tokenize, use_dictionary_cache

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
DENSE_WEIGHT = 0.5
CANDIDATES = 50
# Sentence rerank (hybrid only): the fused score plus SENTENCE_WEIGHT × how well the clause's best
# sentence answers (assistant.sentences), over the RERANK_DEPTH best fused candidates. A clause
# whose words are spread over a long lead-in loses to one that says it in one sentence.
SENTENCE_WEIGHT = 0.5
RERANK_DEPTH = 20
# A clause whose headings put it in the other direction of the path than the question asks
# (skill → title vs title → skill) loses this much in the same rerank.
DIRECTION_PENALTY = 0.3
# A clause under a heading that names another level of the ladder the question asks about (the
# 正高 conditions for a 副高 question: "（四）正高级职称 … 5.取得副高级职称后…") loses this much.
LEVEL_HEADING_PENALTY = 0.3
# Query-type cues that point at a kind of clause: a question about the order of steps at the
# clauses under a 程序 / 流程 heading, a question about whom to call at a paragraph with numbers.
SECTION_CUES = {"order": (r"程序|流程|步骤", "section_path"), "contact": (r"电话[：:]?\s*\d{7,8}", "text")}
SECTION_CUE_BONUS = 0.2
MODES = ("bm25", "dense", "hybrid")
PASTED_MIN = 12  # characters of a quoted passage looked up verbatim


@dataclass
class Hit:
    clause: dict
    score: float               # fused score used for ranking
    bm25: float = 0.0          # raw BM25 score
    dense: float = 0.0         # cosine similarity (0 when not in dense candidates)
    sentence: float = 0.0      # how well its best sentence answers (assistant.sentences; hybrid only)

    def to_document(self):
        """This hit as a LangChain `Document` (langchain_core is imported only here)."""
        from langchain_core.documents import Document

        c = self.clause
        return Document(
            page_content=c["text"], id=c["id"],
            metadata={k: c[k] for k in ("doc", "title", "section", "province", "city", "kind", "start", "end")}
            | {"score": self.score, "bm25": self.bm25, "dense": self.dense},
        )


class ClauseIndex:
    """The opened index: clause store + BM25 in memory, vectors in Chroma (embedded or server)."""

    def __init__(self, data_dir: Path | None = None, embedder: str | None = None, chroma_url: str | None = None):
        from ingest.embed import get_embedder

        self.data_dir = Path(data_dir or config.data_dir())
        manifest = index_status(self.data_dir)
        if manifest is None:
            raise IndexError_(f"索引不存在或已损坏：{self.data_dir}（运行 `python -m ingest` 构建）")
        self.manifest = manifest
        self._reader_lock = hold_build(self.data_dir, manifest)  # a later ingest keeps this build while we live
        wanted = embedder or manifest["embedder"]
        if wanted != manifest["embedder"]:
            raise IndexError_(
                f"索引是用 {manifest['embedder']} 构建的，与请求的 {wanted} 不一致；"
                f"请运行 `python -m ingest --rebuild --embedder {wanted}`"
            )
        clauses, tokens = [], []
        try:
            with open(self.data_dir / manifest["clauses_file"], encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    tokens.append(row.pop("tokens"))
                    clauses.append(row)
            self.by_id = {c["id"]: i for i, c in enumerate(clauses)}
        # ValueError: bad JSON or bytes that are not UTF-8; TypeError/AttributeError: a line that is not an object
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexError_(f"索引文件已损坏：{manifest['clauses_file']} 第 {len(clauses) + 1} 行无法读取"
                              f"（{type(exc).__name__}）。请运行 `python -m ingest --rebuild` 重建。") from exc
        self.clauses = clauses
        self.bm25 = BM25(tokens)
        cache = self.data_dir / CACHE_DIR  # built tokenizer/dictionary state, rebuilt on a version change
        use_dictionary_cache(cache)
        self.embeddings = get_embedder(wanted, cache_dir=cache)
        self._chroma_url = chroma_url if chroma_url is not None else (config.chroma_url() or manifest.get("chroma_url"))
        self._collection = None
        self._collection_error: IndexError_ | None = None
        self._collection_lock = threading.Lock()
        if self._chroma_url:
            self._open_collection()  # a server that is down must say so at start-up, not on the first question
        else:
            store = self.data_dir / (manifest.get("chroma_dir") or "chroma")  # each build keeps its own store
            if not (store / "chroma.sqlite3").is_file():
                raise IndexError_(f"向量库中找不到集合 {manifest['collection']}：{store} 不存在"
                                  "（运行 `python -m ingest --rebuild`）")

    @property
    def collection(self):
        """The Chroma collection, opened on first use: importing chromadb and opening the store is
        a large part of a cold start, and answers without a dense score (rules only, clarify,
        out of scope, bad input, `bm25` mode) never need it."""
        if self._collection is None:
            with self._collection_lock:
                if self._collection is None:
                    self._open_collection()
        return self._collection

    def _open_collection(self) -> None:
        if self._collection_error is not None:  # an embedded store that failed to open stays failed
            raise self._collection_error
        _import_chromadb_lean()
        try:
            client = chroma_client(self.data_dir, self._chroma_url)
            self._collection = client.get_collection(self.manifest["collection"])
        except Exception as exc:
            error = exc if isinstance(exc, IndexError_) else IndexError_(
                f"向量库中找不到集合 {self.manifest['collection']}：{exc}（运行 `python -m ingest --rebuild`）")
            if not self._chroma_url:
                self._collection_error = error
            raise error from exc

    # --- the two rankers ---------------------------------------------------------------------

    def bm25_ranking(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.bm25.top(tokenize(query), k)

    def dense_ranking(self, query: str, k: int) -> list[tuple[int, float]]:
        # The raw collection, not langchain_chroma's similarity_search: we hold the clause texts
        # in memory already, and fetching documents+metadata made a query 5.2 ms instead of 1.4 ms.
        vec = self.embeddings.embed_query(query)
        try:
            res = self.collection.query(query_embeddings=[vec], n_results=min(k, len(self.clauses)),
                                        include=["distances"])
        except Exception as exc:  # noqa: BLE001 - server down or collection dropped: BM25 still answers
            detail = str(exc) if isinstance(exc, IndexError_) else f"{type(exc).__name__}: {str(exc)[:200]}"
            log.warning("向量检索不可用（%s），本次只用关键词检索。", detail)  # ours are Chinese and name the repair
            return []
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            if cid in self.by_id:
                out.append((self.by_id[cid], 1.0 - float(dist)))  # cosine distance → similarity
        return out

    def search(self, query: str, k: int = 5, mode: str = "hybrid", provinces: tuple[str, ...] = (),
               dense_query: str | None = None, docs: tuple[str, ...] = ()) -> list[Hit]:
        """Top-k clauses. `query` feeds BM25 (expanded words help there); `dense_query` (default
        `query`) feeds the encoder. Clauses of documents named by 文号 (`docs`) come first, then
        those of the named provinces."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {MODES}")
        asked = read_asked(dense_query or query)
        raw = self.bm25.scores(tokenize(query)) if mode != "dense" else None
        scores = raw
        if raw is not None and (asked.points or asked.fact_tokens):
            # ranked by the asked point: its document words join the query, the asker's facts
            # weigh little (assistant.asked); `Hit.bm25` stays the plain score the relevance
            # threshold was calibrated on
            weights = asked.query_weights(tokenize(query))
            scores = self.bm25.scores(list(weights), weights)
        lexical = dict(self.bm25.top_from_scores(scores, CANDIDATES)) if scores is not None else {}
        dense = dict(self.dense_ranking(dense_query or query, CANDIDATES)) if mode != "bm25" else {}
        best = max(float(scores.max()), 1e-9) if scores is not None and len(scores) else 1.0
        floor = min(dense.values()) if dense else 0.0  # outside the dense candidates: at most this
        hits = []
        for i in sorted(set(lexical) | set(dense)):
            b = float(scores[i]) if scores is not None else 0.0
            d = dense.get(i, floor) if dense else 0.0
            score = b if mode == "bm25" else d if mode == "dense" else b / best + DENSE_WEIGHT * d
            hits.append(Hit(self.clauses[i], score, bm25=float(raw[i]) if raw is not None else 0.0,
                            dense=dense.get(i, 0.0)))
        ranked = sorted(hits, key=lambda h: -h.score)  # stable: ties keep corpus order
        if mode == "hybrid" and SENTENCE_WEIGHT:
            ranked = self._sentence_rerank(ranked, query, dense_query or query, asked)
        for wanted, key in ((provinces, "province"), (docs, "doc")):  # the later key wins: docs first
            if wanted:  # stable within each group
                ranked = [h for h in ranked if h.clause[key] in wanted] + \
                         [h for h in ranked if h.clause[key] not in wanted]
        return ranked[:k]


    def _sentence_rerank(self, ranked: list[Hit], query: str, question: str, asked: Asked) -> list[Hit]:
        from assistant.sentences import (
            SentenceScorer,
            clause_direction,
            headings_of,
            question_direction,
            title_words,
            without_places,
        )

        scorer = SentenceScorer(without_places(question), lambda t: self.bm25.idf.get(t, 0.0),
                                expansions=without_places(query), asked=asked)
        direction = question_direction(question)
        cued = [(re.compile(rx), field) for cue, (rx, field) in SECTION_CUES.items() if cue in scorer.cues]
        head = ranked[:RERANK_DEPTH]
        for h in head:
            _, best = scorer.best(h.clause["text"], title_words(h.clause["title"]), headings_of(h.clause["section_path"]))
            h.sentence = best
            h.score += SENTENCE_WEIGHT * best
            for rx, field in cued:
                value = h.clause[field]
                if rx.search(" ".join(value) if isinstance(value, list) else value):
                    h.score += SECTION_CUE_BONUS
            other = clause_direction(h.clause["section_path"])
            if direction and other and other != direction:
                h.score -= DIRECTION_PENALTY
            if scorer.under_other_level(h.clause["section_path"]):
                h.score -= LEVEL_HEADING_PENALTY
        return sorted(head, key=lambda h: -h.score) + ranked[RERANK_DEPTH:]

    def containing(self, passage: str) -> list[Hit]:
        """Clauses whose text holds `passage` verbatim (whitespace aside): where a sentence an HR
        officer pasted comes from."""
        needle = "".join(passage.split()).rstrip("。；;，,")
        if len(needle) < PASTED_MIN:
            return []
        return [Hit(c, 0.0) for c in self.clauses if needle in "".join(c["text"].split())]

    def document_card(self, docs: tuple[str, ...]) -> list[Hit]:
        """The header (文号, title, addressees) and closing (issuer, dates) clauses of documents:
        what a question about a named document gets when no clause matches its words."""
        out = []
        for doc in docs:
            mine = [c for c in self.clauses if c["doc"] == doc]
            out += [Hit(c, 0.0) for c in mine[:1] + [c for c in mine if c["kind"] == "closing"]]
        return out


_OTLP = "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"


def _import_chromadb_lean() -> None:
    """Import chromadb without its OTLP/gRPC span exporter (grpc + protobuf: about half of
    chromadb's import time). Chroma builds an exporter only when an OpenTelemetry endpoint is
    configured, which a client never is; should anything build one, the real module is imported
    then. Nothing changes when chromadb (or the exporter) is already imported."""
    if "chromadb" in sys.modules or _OTLP in sys.modules:
        return
    stub = types.ModuleType(_OTLP)

    class OTLPSpanExporter:
        def __new__(cls, *args, **kwargs):
            sys.modules.pop(_OTLP, None)
            return importlib.import_module(_OTLP).OTLPSpanExporter(*args, **kwargs)

    stub.OTLPSpanExporter = OTLPSpanExporter
    sys.modules[_OTLP] = stub
    try:
        import chromadb  # noqa: F401
    finally:
        if sys.modules.get(_OTLP) is stub:
            del sys.modules[_OTLP]  # later imports of the exporter get the real module


def __getattr__(name: str):
    # LangChain is only the retriever's interface: importing langchain_core costs ~1-2 s of a cold
    # start, so `HybridRetriever` is built on first access, not when the assistant is imported.
    if name == "HybridRetriever":
        globals()[name] = cls = _hybrid_retriever_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hybrid_retriever_class():
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict

    class HybridRetriever(BaseRetriever):
        """LangChain retriever over `ClauseIndex.search` (so chains can use it as any retriever)."""

        index: ClauseIndex
        k: int = 5
        mode: str = "hybrid"

        model_config = ConfigDict(arbitrary_types_allowed=True)

        def _get_relevant_documents(self, query: str, *,
                                    run_manager: CallbackManagerForRetrieverRun) -> list:
            from assistant.normalize import normalize

            q = normalize(query)
            hits = self.index.search(q.expanded, self.k, self.mode, q.provinces, q.text, q.docs)
            return [h.to_document() for h in hits]

    HybridRetriever.__module__, HybridRetriever.__qualname__ = __name__, "HybridRetriever"
    return HybridRetriever
