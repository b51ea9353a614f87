"""Build and open the index: clauses + jieba BM25 (local files) + dense vectors (Chroma).

A build is the unit of truth: `builds/<build_id>/` holds the clause file, the catalogue the
build was made from (`catalog.json`, what answers cite and date-check) and, in embedded mode,
its own Chroma store (`chroma/`). `manifest.json` names the build with its clause count and
content hashes, which every load verifies. Builds are atomic: a new build is written beside
the current one and only then does `manifest.json` switch (os.replace). A build that fails or
is killed mid-way leaves the previous build answering; the next build removes its leftovers.
Vectors of clauses whose document did not change are copied from the previous build.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
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
from ingest.corpus import CorpusError, DocMeta, load_documents
from ingest.split import Clause, split_all
from ingest.tokenize import tokenize

Progress = Callable[[str, int, int], None]
MANIFEST = "manifest.json"
FORMAT_VERSION = 3
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

def _chroma_path(data_dir: Path) -> Path:
    """The embedded store of the current build (format 3), else the legacy shared folder."""
    m = _read_manifest(data_dir)
    return data_dir / m["chroma_dir"] if m and m.get("chroma_dir") else data_dir / "chroma"


def chroma_client(data_dir: Path, url: str | None = None, path: Path | None = None):
    """An HttpClient for `url` (server mode), or the embedded PersistentClient of the current build
    (or of `path`). A store that cannot be opened is an IndexError_ with a Chinese message."""
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
    path = Path(path) if path is not None else _chroma_path(Path(data_dir))
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:  # a garbled chroma.sqlite3, a read-only or vanished folder
        detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        probe = path if path.exists() else path.parent
        if not os.access(probe, os.W_OK):
            raise IndexError_(f"向量库无法打开：{probe} 不可写（{detail}）。嵌入式向量库打开时需要写入权限，"
                              "请让索引目录可写，或改用 Chroma 服务器模式（见 README“部署”）。") from exc
        raise IndexError_(f"向量库已损坏，无法打开：{path}（{detail}）。"
                          "请运行 `python -m ingest --rebuild`：会在旁边重建，成功后替换损坏的版本。") from exc


def _close(client) -> None:
    with contextlib.suppress(Exception):
        client.close()  # releases sqlite handles of an embedded store (refcounted per path)


# --- manifest and verification -----------------------------------------------------------------

def _read_manifest(data_dir: Path) -> dict | None:
    path = data_dir / MANIFEST
    try:
        if not path.exists():
            return None
        m = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # ValueError: bad JSON or bytes that are not UTF-8
        return None
    if not (isinstance(m, dict) and m.get("format") == FORMAT_VERSION):
        return None
    # a hand-edited or truncated manifest counts as no index (rebuilt), never as a crash
    shape = {"build_id": str, "collection": str, "embedder": str, "clauses_file": str, "docs": dict,
             "clause_count": int, "clauses_sha256": str, "catalog_file": str, "catalog_sha256": str}
    return m if all(isinstance(m.get(k), t) for k, t in shape.items()) else None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verify(data_dir: Path, m: dict) -> None:
    """Raise IndexError_ unless the build's files are exactly what the manifest recorded: a clause
    file cut at a line boundary or emptied would otherwise load and answer differently."""
    rebuild = "请运行 `python -m ingest --rebuild` 重建。"
    for key, sha in (("clauses_file", "clauses_sha256"), ("catalog_file", "catalog_sha256")):
        path = data_dir / m[key]
        try:
            actual = _sha256(path)
        except FileNotFoundError as exc:
            raise IndexError_(f"索引文件已损坏：{m[key]} 不存在。{rebuild}") from exc
        except OSError as exc:
            raise IndexError_(f"索引文件已损坏：{m[key]} 无法读取（{exc.strerror}）。{rebuild}") from exc
        if actual != m[sha]:
            raise IndexError_(f"索引文件已损坏：{m[key]} 与清单记录的内容不一致（被截断、清空或改动过）。{rebuild}")


def index_status(data_dir: Path | None = None) -> dict | None:
    """The current manifest, verified; None when there is no index (none built yet, or a manifest
    that cannot be read: both are simply built). A damaged build raises IndexError_."""
    data_dir = Path(data_dir or config.data_dir())
    m = _read_manifest(data_dir)
    if m is None:
        return None
    _verify(data_dir, m)
    return m


def is_stale(manifest: dict, corpus_dir: Path | None = None) -> bool:
    """Whether the build was made from other documents, or by another version of the cleaner,
    splitter or tokenizer (each document's hash includes `pipeline_version`), than today's. A
    corpus that cannot be read cannot say: the build that is answering is not stale by it."""
    from ingest.corpus import CorpusError, load_documents

    try:
        docs = load_documents(corpus_dir)
    except (CorpusError, OSError):
        return False
    return {d.meta.doc: d.sha for d in docs} != manifest.get("docs")


def _meta_to_json(meta: DocMeta) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dataclasses.asdict(meta).items()}


def _meta_from_json(row: dict) -> DocMeta:
    dates = {"issued", "effective", "valid_until"}
    kw = {k: (dt.date.fromisoformat(v) if k in dates and v else v) for k, v in row.items()}
    kw["source_gaps"] = tuple(tuple(g) for g in kw.get("source_gaps") or ())
    return DocMeta(**kw)


def stored_catalog(data_dir: Path | None = None) -> list[DocMeta]:
    """The catalogue the current build was made from: what answers cite and date-check. A later
    mistake in corpus/catalog.yaml stops the next ingest, never the index that is answering."""
    data_dir = Path(data_dir or config.data_dir())
    m = index_status(data_dir)
    if m is None:
        raise IndexError_(f"索引不存在：{data_dir}（运行 `python -m ingest` 构建）")
    try:
        rows = json.loads((data_dir / m["catalog_file"]).read_text(encoding="utf-8"))
        return [_meta_from_json(r) for r in rows]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexError_(f"索引文件已损坏：{m['catalog_file']} 无法读取。请运行 `python -m ingest --rebuild` 重建。") \
            from exc


def current_catalog(data_dir: Path | None = None) -> list[DocMeta]:
    """The stored catalogue when there is an index, else corpus/catalog.yaml (before any build)."""
    from ingest.corpus import load_catalog

    try:
        if _read_manifest(Path(data_dir or config.data_dir())) is not None:
            return stored_catalog(data_dir)
        return load_catalog()
    except (IndexError_, CorpusError):  # the caller (文号 lookup) works without; loading reports it
        return []


# --- building ----------------------------------------------------------------------------------

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
    blocker = next((p for p in (data_dir, *data_dir.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise IndexError_(f"索引目录 {data_dir} 不可用：{blocker} 是一个文件，不是目录。"
                          "请用 --data-dir / GUANTONG_DATA_DIR 指定一个目录。")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(data_dir / ".build.lock", "w")  # noqa: SIM115 - held for the whole build
    except OSError as exc:
        raise IndexError_(f"无法在索引目录 {data_dir} 中建索引：{exc.strerror or exc}。"
                          "请检查目录是否存在、是否可写，或用 --data-dir / GUANTONG_DATA_DIR 指定其他目录。") from exc
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexError_("另一个索引构建正在进行，请稍后再试。") from exc
        yield


def _open_previous(data_dir: Path, old: dict | None, embedder: str, rebuild: bool, chroma_url: str | None):
    """(client, collection) of the current build when its vectors can be reused, else (None, None).
    A damaged store is not an error here: the new build is written beside it and replaces it."""
    if not old or old.get("embedder") != embedder or rebuild:
        return None, None
    client = None
    try:
        client = chroma_client(data_dir, chroma_url,
                               None if chroma_url else data_dir / (old.get("chroma_dir") or "chroma"))
        return client, client.get_collection(old["collection"])
    except Exception:  # noqa: BLE001 - unusable previous store: everything is embedded again
        if client is not None and not chroma_url:
            _close(client)
        return None, None


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
        old = _read_manifest(data_dir)
        _remove_leftovers(data_dir, old)  # what killed builds left: folders, temp manifests
        progress("读取语料", 0, 1)
        docs = load_documents(corpus_dir)
        clauses = split_all(docs)
        progress("读取语料", 1, 1)
        new_shas = {d.meta.doc: d.sha for d in docs}
        old_client, old_collection = _open_previous(data_dir, old, embedder, rebuild, chroma_url)
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
        if old_collection is not None and not (report.added or report.changed or report.removed):
            with contextlib.suppress(IndexError_):
                _verify(data_dir, old)  # a damaged clause file is rebuilt even when the corpus is unchanged
                if old_client is not None and not chroma_url:
                    _close(old_client)
                report.seconds = time.perf_counter() - t0
                report.build_id = old["build_id"]
                return report

        build_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        build_dir = data_dir / "builds" / build_id
        try:
            report.build_id = build_id
            _write_build(data_dir, build_dir, docs, clauses, report, old, old_collection, embedder,
                         chroma_url, get_embedder, progress)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)  # a failed build leaves nothing behind
            raise
        finally:
            if old_client is not None and not chroma_url:
                _close(old_client)
        report.seconds = time.perf_counter() - t0
        return report


def _write_build(data_dir, build_dir, docs, clauses, report, old, old_collection, embedder, chroma_url,
                 get_embedder, progress) -> None:
    build_id = report.build_id
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

    build_dir.mkdir(parents=True)
    chroma_dir = None if chroma_url else build_dir / "chroma"
    client = chroma_client(data_dir, chroma_url, chroma_dir)
    collection_name = COLLECTION_PREFIX + build_id.replace("-", "_")
    try:
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
        if collection.count() != len(clauses):
            raise IndexError_(f"向量库写入不完整（{collection.count()}/{len(clauses)}），索引未切换。")
    finally:
        if chroma_dir is not None:
            _close(client)

    with open(build_dir / "clauses.jsonl", "w", encoding="utf-8") as fh:
        for n, c in enumerate(clauses):
            row = c.to_dict()
            row["tokens"] = _bm25_tokens(c)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            if n % 500 == 0:
                progress("建立关键词索引", n, len(clauses))
    progress("建立关键词索引", len(clauses), len(clauses))
    (build_dir / "catalog.json").write_text(
        json.dumps([_meta_to_json(d.meta) for d in docs], ensure_ascii=False, indent=1), encoding="utf-8")
    rel = f"builds/{build_id}"
    manifest = {
        "format": FORMAT_VERSION, "build_id": build_id, "collection": collection_name,
        "embedder": embedder, "docs": {d.meta.doc: d.sha for d in docs}, "clause_count": len(clauses),
        "clauses_file": f"{rel}/clauses.jsonl", "clauses_sha256": _sha256(build_dir / "clauses.jsonl"),
        "catalog_file": f"{rel}/catalog.json", "catalog_sha256": _sha256(build_dir / "catalog.json"),
        "chroma_dir": f"{rel}/chroma" if chroma_dir else None, "chroma_url": chroma_url,
        "previous_build": (old or {}).get("build_id"), "previous_collection": (old or {}).get("collection"),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    tmp = data_dir / f"{MANIFEST}.{build_id}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, data_dir / MANIFEST)  # the switch: atomic on POSIX

    if chroma_url:
        _drop_collections(chroma_client(data_dir, chroma_url), keep=(collection_name, manifest["previous_collection"]))
    _remove_leftovers(data_dir, manifest)


def _drop_collections(client, keep: tuple[str | None, ...]) -> None:
    """Server mode: drop the collections of earlier (or interrupted) builds. The collection the
    previous manifest named is kept one more build: app processes started before this build hold
    it (and its clauses in memory) and keep answering until they are restarted."""
    with contextlib.suppress(Exception):
        for col in client.list_collections():
            name = getattr(col, "name", col)
            if name.startswith(COLLECTION_PREFIX) and name not in keep:
                client.delete_collection(name)


READER_LOCK = ".readers"


def hold_build(data_dir: Path, manifest: dict):
    """Called by a process that answers from a build: a shared lock on the build's reader file, held
    for the life of the process (the returned file object), so a later ingest never deletes a store
    someone is still reading. None where there is nothing to hold (server mode, old layout)."""
    if not manifest.get("build_id"):
        return None
    path = Path(data_dir) / "builds" / manifest["build_id"] / READER_LOCK
    try:
        fh = open(path, "a+")  # noqa: SIM115 - kept open on purpose: the lock lives as long as the process
        fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return fh
    except OSError:
        return None


def _unused(build_dir: Path) -> bool:
    """True when no process holds the build's reader lock (it may be deleted)."""
    lock = build_dir / READER_LOCK
    if not lock.exists():
        return True
    try:
        with open(lock, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except OSError:
        return False


def _remove_leftovers(data_dir: Path, current: dict | None) -> None:
    """Everything in data_dir that the current build does not use: folders of failed or killed builds,
    temporary manifests, the pre-format-3 Chroma folder, and the previous build once no process reads
    it any more (app processes hold a reader lock on their build; see `hold_build`). In server mode
    the previous collection lives on the server; its folder held only clauses, which running
    processes keep in memory."""
    keep = {current.get("build_id")} if current else set()
    previous = current.get("previous_build") if current else None
    if previous and current.get("chroma_dir") and not _unused(data_dir / "builds" / previous):
        keep.add(previous)  # embedded: a running process still reads its vectors
    builds = data_dir / "builds"
    for d in builds.iterdir() if builds.exists() else []:
        if d.name not in keep:
            shutil.rmtree(d, ignore_errors=True)
    for tmp in data_dir.glob(f"{MANIFEST}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
    if current is not None and (data_dir / "chroma").is_dir() and current.get("chroma_dir"):
        shutil.rmtree(data_dir / "chroma", ignore_errors=True)


__all__ = ["BuildReport", "CorpusError", "IndexError_", "build_index", "chroma_client", "current_catalog",
           "hold_build", "index_status", "stored_catalog"]
