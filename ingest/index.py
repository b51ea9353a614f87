"""Build and open the index: clauses + jieba BM25 (local files) + dense vectors (Chroma).

Builds are atomic: a new build writes its clause file and a fresh Chroma collection, and only
then replaces `manifest.json` (os.replace). A build that fails or is killed mid-way leaves the
previous manifest, clause file and collection untouched, so the old index keeps answering.
Vectors of clauses whose document did not change are copied from the previous collection,
never re-embedded.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import config
from ingest.corpus import CorpusError, load_documents
from ingest.split import Clause, split_all
from ingest.tokenize import tokenize

Progress = Callable[[str, int, int], None]
MANIFEST = "manifest.json"
FORMAT_VERSION = 2
COLLECTION_PREFIX = "clauses_"


class IndexError_(Exception):
    """The index is missing or unusable (message in Chinese)."""


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)      # 文号 of new documents
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    clauses: int = 0
    embedded: int = 0        # clauses whose vectors were computed in this build
    reused: int = 0          # vectors copied from the previous build
    seconds: float = 0.0
    build_id: str | None = None

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.changed or self.removed) and self.embedded == 0 and self.reused == 0

    def summary(self) -> str:
        if self.nothing_changed:
            return f"语料未变化，索引保持不变（{len(self.unchanged)} 份文件，{self.clauses} 条款）。"
        parts = [f"新增 {len(self.added)}", f"更新 {len(self.changed)}", f"删除 {len(self.removed)}",
                 f"未变 {len(self.unchanged)}"]
        detail = "".join(f"\n  + {d}" for d in self.added) + "".join(f"\n  ~ {d}" for d in self.changed) + \
            "".join(f"\n  - {d}" for d in self.removed)
        return (f"索引已更新：{'，'.join(parts)}；共 {self.clauses} 条款，新计算向量 {self.embedded} 条，"
                f"复用 {self.reused} 条，用时 {self.seconds:.1f} 秒。{detail}")


# --- Chroma ------------------------------------------------------------------------------------

def chroma_client(data_dir: Path, url: str | None = None):
    """Embedded PersistentClient under data_dir/chroma, or an HttpClient for `url` (server mode)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                       ssl=u.scheme == "https", settings=settings)
        except Exception as exc:  # chromadb raises ValueError or an httpx error alike
            raise IndexError_(f"无法连接 Chroma 服务器 {url}：{exc}（检查 --chroma-url / GUANTONG_CHROMA_URL，"
                              "或先用 `chroma run --path DIR --port PORT` 启动服务器）") from exc
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


def _read_manifest(data_dir: Path) -> dict | None:
    path = data_dir / MANIFEST
    if not path.exists():
        return None
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # ValueError: bad JSON or bytes that are not UTF-8
        return None
    if not (isinstance(m, dict) and m.get("format") == FORMAT_VERSION):
        return None
    # a hand-edited or truncated manifest counts as no index (rebuilt), never as a crash
    shape = {"build_id": str, "collection": str, "embedder": str, "clauses_file": str, "docs": dict}
    return m if all(isinstance(m.get(k), t) for k, t in shape.items()) else None


def _embed_text(c: Clause) -> str:
    # The two nearest headings carry the context a short item lacks ('4.取得技师…满3年' is about
    # 中级职称); the clause's last 200 characters hold what these documents put last: the
    # operative condition ('…后从事技术技能工作满3年，可申报…'). USE degrades on long inputs.
    # Measured on evals/questions.jsonl (docs/retrieval.md): dense hit@5 0.76 → 0.82.
    return f"{' '.join(c.section_path[-2:])} {c.text[-200:]}"


def _bm25_tokens(c: Clause) -> list[str]:
    # Every clause carries its document's title and region: a question that names the document
    # or region ("四川贯通实施方案的指导思想") then matches all its clauses alike, and the
    # discriminating words decide which one, instead of the preamble that repeats the title.
    return tokenize(f"{c.title} {c.province}{c.city or ''} {' '.join(c.section_path)} {c.text}")


@contextlib.contextmanager
def _build_lock(data_dir: Path):
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexError_("另一个索引构建正在进行，请稍后再试。") from exc
        yield


def build_index(corpus_dir: Path | None = None, data_dir: Path | None = None, embedder: str | None = None,
                rebuild: bool = False, progress: Progress | None = None, chroma_url: str | None = None,
                ) -> BuildReport:
    """Build or refresh the index; idempotent. Raises CorpusError / IndexError_ with Chinese messages."""
    from ingest.embed import get_embedder

    t0 = time.perf_counter()
    corpus_dir = Path(corpus_dir or config.corpus_dir())
    data_dir = Path(data_dir or config.data_dir())
    embedder = embedder or config.embedder_name()
    if chroma_url is None:  # flag, then env, then where the current index lives (README: 部署)
        chroma_url = config.chroma_url() or (_read_manifest(data_dir) or {}).get("chroma_url")
    progress = progress or (lambda stage, done, total: None)

    with _build_lock(data_dir):
        progress("读取语料", 0, 1)
        docs = load_documents(corpus_dir)
        clauses = split_all(docs)
        progress("读取语料", 1, 1)
        new_shas = {d.meta.doc: d.sha for d in docs}
        old = _read_manifest(data_dir)
        client = chroma_client(data_dir, chroma_url)
        old_collection = None
        if old and old.get("embedder") == embedder and not rebuild:
            with contextlib.suppress(Exception):
                old_collection = client.get_collection(old["collection"])
        old_shas = old.get("docs", {}) if old_collection is not None else {}

        report = BuildReport(clauses=len(clauses))
        for doc, sha in new_shas.items():
            if doc not in old_shas:
                report.added.append(doc)
            elif old_shas[doc] != sha:
                report.changed.append(doc)
            else:
                report.unchanged.append(doc)
        report.removed = [d for d in old_shas if d not in new_shas]
        if old_collection is not None and not (report.added or report.changed or report.removed) \
                and (data_dir / old["clauses_file"]).exists():
            report.seconds = time.perf_counter() - t0
            report.build_id = old["build_id"]
            return report

        # vectors: reuse what the previous collection has for unchanged documents
        vectors: dict[str, list[float]] = {}
        reusable = [c.id for c in clauses if c.doc in report.unchanged]
        if old_collection is not None and reusable:
            for i in range(0, len(reusable), 1000):
                got = old_collection.get(ids=reusable[i:i + 1000], include=["embeddings"])
                for cid, emb in zip(got["ids"], got["embeddings"]):
                    vectors[cid] = list(map(float, emb))
        todo = [c for c in clauses if c.id not in vectors]
        report.reused = len(clauses) - len(todo)
        if todo:
            model = get_embedder(embedder)
            encode = getattr(model, "encode_array", None)
            batch = 64
            for i in range(0, len(todo), batch):
                chunk = todo[i:i + batch]
                texts = [_embed_text(c) for c in chunk]
                arr = encode(texts) if encode else np.asarray(model.embed_documents(texts), dtype=np.float32)
                for c, v in zip(chunk, arr):
                    vectors[c.id] = [float(x) for x in v]
                progress("计算向量", min(i + batch, len(todo)), len(todo))
        report.embedded = len(todo)

        build_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        collection_name = COLLECTION_PREFIX + build_id.replace("-", "_")
        collection = client.create_collection(
            collection_name, embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder, "build_id": build_id},
        )
        step = 1000
        for i in range(0, len(clauses), step):
            chunk = clauses[i:i + step]
            collection.add(
                ids=[c.id for c in chunk],
                embeddings=[vectors[c.id] for c in chunk],
                documents=[c.text for c in chunk],
                metadatas=[{"doc": c.doc, "section": c.section, "province": c.province,
                            "city": c.city or "", "kind": c.kind} for c in chunk],
            )
            progress("写入向量库", min(i + step, len(clauses)), len(clauses))

        build_dir = data_dir / "builds" / build_id
        build_dir.mkdir(parents=True)
        with open(build_dir / "clauses.jsonl", "w", encoding="utf-8") as fh:
            for n, c in enumerate(clauses):
                row = c.to_dict()
                row["tokens"] = _bm25_tokens(c)
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                if n % 500 == 0:
                    progress("建立关键词索引", n, len(clauses))
        progress("建立关键词索引", len(clauses), len(clauses))
        manifest = {
            "format": FORMAT_VERSION, "build_id": build_id, "collection": collection_name,
            "embedder": embedder, "docs": new_shas, "clause_count": len(clauses),
            "clauses_file": f"builds/{build_id}/clauses.jsonl", "chroma_url": chroma_url,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        tmp = data_dir / f"{MANIFEST}.{build_id}.tmp"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, data_dir / MANIFEST)  # the switch: atomic on POSIX

        _cleanup(client, data_dir, keep_collection=collection_name, keep_build=build_id,
                 keep_previous=(old or {}).get("collection"))
        report.build_id = build_id
        report.seconds = time.perf_counter() - t0
        return report


def _cleanup(client, data_dir: Path, keep_collection: str, keep_build: str,
             keep_previous: str | None = None) -> None:
    """Drop collections and build folders of earlier (or interrupted) builds. The collection the
    previous manifest named is kept one more build: app processes started before this build hold
    it (and its clauses in memory) and keep answering until they are restarted."""
    with contextlib.suppress(Exception):
        for col in client.list_collections():
            name = getattr(col, "name", col)
            if name.startswith(COLLECTION_PREFIX) and name not in (keep_collection, keep_previous):
                client.delete_collection(name)
    builds = data_dir / "builds"
    for d in builds.iterdir() if builds.exists() else []:
        if d.name != keep_build:
            shutil.rmtree(d, ignore_errors=True)
    for tmp in data_dir.glob(f"{MANIFEST}.*.tmp"):
        tmp.unlink(missing_ok=True)


def index_status(data_dir: Path | None = None) -> dict | None:
    """The current manifest, or None when there is no usable index."""
    data_dir = Path(data_dir or config.data_dir())
    m = _read_manifest(data_dir)
    if m and (data_dir / m["clauses_file"]).exists():
        return m
    return None


__all__ = ["BuildReport", "CorpusError", "IndexError_", "build_index", "chroma_client", "index_status"]
