"""Hermetic tests: every test run gets its own index folder; the user's .data/ is never touched."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("GUANTONG_TEST_SESSION", "1")


@pytest.fixture(scope="session", autouse=True)
def _hermetic_data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("guantong-data")
    os.environ["GUANTONG_DATA_DIR"] = str(d / "index")
    os.environ.pop("GUANTONG_CORPUS_DIR", None)
    os.environ.pop("GUANTONG_CHROMA_URL", None)
    os.environ.pop("GUANTONG_EMBEDDER", None)
    yield d


@pytest.fixture(scope="session")
def built_index(_hermetic_data_dir):
    """The real corpus indexed once per test session (default encoder)."""
    from ingest.index import build_index

    data = Path(os.environ["GUANTONG_DATA_DIR"])
    build_index(data_dir=data)
    return data


@pytest.fixture(scope="session")
def assistant(built_index):
    from assistant import Assistant

    return Assistant.load(data_dir=built_index)


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of corpus/ for tests that add, change or break documents."""
    dst = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", dst)
    return dst
