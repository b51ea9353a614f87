"""Where the corpus and the index live, and which encoder/store to use (env-overridable)."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EMBEDDER = "use-multilingual"


def corpus_dir() -> Path:
    return Path(os.environ.get("GUANTONG_CORPUS_DIR") or REPO_ROOT / "corpus")


def data_dir() -> Path:
    return Path(os.environ.get("GUANTONG_DATA_DIR") or REPO_ROOT / ".data" / "index")


def embedder_name() -> str:
    return os.environ.get("GUANTONG_EMBEDDER") or DEFAULT_EMBEDDER


def chroma_url() -> str | None:
    return os.environ.get("GUANTONG_CHROMA_URL") or None
