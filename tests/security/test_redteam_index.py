"""Issue 12 #3–#5: the index is the unit of truth. A broken catalogue never stops a working
index; damage is detected at load and said in Chinese; --rebuild repairs beside the damage;
failed and killed builds leave nothing a later ingest does not clean; disk stays flat."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from ingest.index import IndexError_, build_index, index_status

pytestmark = pytest.mark.redteam
REPO = Path(__file__).resolve().parents[2]
LOOKUP_Q = "江苏的贯通申报受理流程是什么"
Q = "我在上海，技师满4年，能申报中级职称吗？"
DOC_Q = "沪人社专〔2021〕312号是什么时候印发的"


def _run(module: str, args: list[str], data: Path, **env) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("GUANTONG_LLM_")}
    full.update(GUANTONG_DATA_DIR=str(data), **env)
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=full, capture_output=True,
                          text=True, timeout=300, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def index_copy(built_index, tmp_path):
    dst = tmp_path / "idx"
    shutil.copytree(built_index, dst, ignore=shutil.ignore_patterns(".build.lock"))
    return dst


def _manifest(data: Path) -> dict:
    return json.loads((data / "manifest.json").read_text(encoding="utf-8"))


# --- #3 a catalogue mistake never takes a working index down ------------------------------------

@pytest.mark.parametrize("kind", ["file-not-copied-yet", "date-typo"])
def test_catalogue_mistake_is_reported_with_line_and_the_index_keeps_answering(index_copy, corpus_copy, kind):
    cat_path = corpus_copy / "catalog.yaml"
    text = cat_path.read_text(encoding="utf-8")
    if kind == "date-typo":
        text = text.replace("effective: 2024-02-01", "effective: 2026-13-01")
        word = "2026-13-01"
    else:
        cat = yaml.safe_load(text)
        cat["documents"].append(dict(cat["documents"][0], doc="测试〔2099〕1号", file="006_not_copied_yet.txt"))
        text = yaml.safe_dump(cat, allow_unicode=True)
        word = "不存在"
    cat_path.write_text(text, encoding="utf-8")
    before = _manifest(index_copy)

    ingest = _run("ingest", [], index_copy, GUANTONG_CORPUS_DIR=str(corpus_copy))
    assert ingest.returncode == 2 and word in ingest.stderr
    assert "catalog.yaml 第" in ingest.stderr and "行" in ingest.stderr
    assert _manifest(index_copy) == before

    ask = _run("assistant", ["ask", DOC_Q, "--json"], index_copy, GUANTONG_CORPUS_DIR=str(corpus_copy))
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["citations"]
    # what app.py does at start-up: Assistant.load with the broken corpus configured
    from assistant import Assistant
    os.environ["GUANTONG_CORPUS_DIR"] = str(corpus_copy)
    try:
        a = Assistant.load(data_dir=index_copy, build_if_missing=False)
    finally:
        os.environ.pop("GUANTONG_CORPUS_DIR", None)
    assert a.ask(Q)["route"] == "rules"
    assert "测试〔2099〕1号" not in a.catalog  # answers use the build's catalogue


def test_answers_use_the_catalogue_stored_with_the_build(index_copy, corpus_copy):
    cat_path = corpus_copy / "catalog.yaml"
    cat_path.write_text(cat_path.read_text(encoding="utf-8").replace(
        "valid_until: 2026-01-31", "valid_until: 2099-01-31"), encoding="utf-8")
    from assistant import Assistant
    from ingest.index import stored_catalog

    stored = {m.doc: m for m in stored_catalog(index_copy)}
    assert str(stored["川人社规〔2023〕15号"].valid_until) == "2026-01-31"
    os.environ["GUANTONG_CORPUS_DIR"] = str(corpus_copy)
    try:
        a = Assistant.load(data_dir=index_copy, build_if_missing=False)
    finally:
        os.environ.pop("GUANTONG_CORPUS_DIR", None)
    assert str(a.catalog["川人社规〔2023〕15号"].valid_until) == "2026-01-31"


# --- #4 silent damage is detected; --rebuild repairs beside it ----------------------------------

@pytest.mark.parametrize("damage", ["cut-at-line-boundary", "emptied", "one-line-dropped"])
def test_damaged_clause_file_is_refused_not_answered_from(index_copy, damage):
    path = index_copy / _manifest(index_copy)["clauses_file"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = {"cut-at-line-boundary": lines[: len(lines) // 2], "emptied": [],
            "one-line-dropped": lines[:10] + lines[11:]}[damage]
    path.write_text("".join(kept), encoding="utf-8")
    with pytest.raises(IndexError_, match="索引文件已损坏"):
        index_status(index_copy)
    ask = _run("assistant", ["ask", DOC_Q], index_copy)
    assert ask.returncode == 2 and "索引文件已损坏" in ask.stderr and "--rebuild" in ask.stderr
    repair = _run("ingest", ["--rebuild"], index_copy)
    assert repair.returncode == 0, repair.stderr
    assert _run("assistant", ["ask", DOC_Q, "--json"], index_copy).returncode == 0


def test_garbled_vector_store_gives_chinese_message_and_rebuild_repairs_it(index_copy):
    store = index_copy / _manifest(index_copy)["chroma_dir"] / "chroma.sqlite3"
    raw = bytearray(store.read_bytes())
    raw[:4096] = b"\xffgarbled" * 512
    store.write_bytes(bytes(raw))
    # a rule answer needs no vector store (Chroma opens on the first dense query): it still answers
    ask = _run("assistant", ["ask", Q], index_copy)
    assert ask.returncode == 0 and "结论" in ask.stdout and "Traceback" not in ask.stderr
    # a lookup needs it: one Chinese warning naming the repair, then keyword search answers
    lookup = _run("assistant", ["ask", LOOKUP_Q], index_copy)
    assert lookup.returncode == 0 and "Traceback" not in lookup.stderr
    assert "向量检索不可用" in lookup.stderr and "--rebuild" in lookup.stderr and "【1】" in lookup.stdout
    repair = _run("ingest", ["--rebuild"], index_copy)
    assert repair.returncode == 0, repair.stderr
    again = _run("assistant", ["ask", Q, "--json"], index_copy)
    assert again.returncode == 0 and json.loads(again.stdout)["route"] == "rules"
    assert "向量检索不可用" not in _run("assistant", ["ask", LOOKUP_Q], index_copy).stderr


def _read_only(path: Path, command: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run `command` with `path` bind-mounted read-only (root ignores file modes)."""
    script = f"mount --bind {path} {path} && mount -o remount,ro,bind {path} && exec \"$@\""
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *command], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_read_only_index_dir_gives_chinese_messages(index_copy):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount the index read-only")
    env = dict(os.environ, GUANTONG_DATA_DIR=str(index_copy))
    probe = _read_only(index_copy, ["true"], env)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.strip()[:200]}")
    ask = _read_only(index_copy, [sys.executable, "-m", "assistant", "ask", Q], env)
    ingest = _read_only(index_copy, [sys.executable, "-m", "ingest", "--rebuild"], env)
    for proc in (ask, ingest):
        assert "Traceback" not in proc.stderr, proc.stderr
    assert ask.returncode == 0 and "结论" in ask.stdout  # answering only reads: a read-only index answers
    assert ingest.returncode == 2 and "Read-only" in ingest.stderr and "原有索引保持可用" in ingest.stderr


# --- #5 no leftovers; disk stays flat -------------------------------------------------------------

@pytest.fixture
def one_doc_corpus(corpus_copy):
    cat = yaml.safe_load((corpus_copy / "catalog.yaml").read_text(encoding="utf-8"))
    cat["documents"] = [d for d in cat["documents"] if d["doc"] == "黄人社发〔2021〕12号"]
    (corpus_copy / "catalog.yaml").write_text(yaml.safe_dump(cat, allow_unicode=True), encoding="utf-8")
    return corpus_copy


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _killed_build(corpus: Path, data: Path, stage: str) -> None:
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from ingest.index import build_index
        def die(s, done, total):
            if s == {stage!r} and done > 0:
                os.kill(os.getpid(), signal.SIGKILL)
        build_index(Path({str(corpus)!r}), Path({str(data)!r}), rebuild=True, progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=300, check=False)
    assert proc.returncode == -9, proc.stderr


@pytest.mark.slow
def test_twenty_rebuilds_with_five_killed_keep_disk_flat(one_doc_corpus, tmp_path):
    data = tmp_path / "idx"
    build_index(one_doc_corpus, data)
    one_build = _du(data)
    build_index(one_doc_corpus, data, rebuild=True)
    steady = _du(data)  # no process reads the previous build: it is removed, one build remains
    stages = ["计算向量", "写入向量库", "建立关键词索引", "写入向量库", "计算向量"]
    for n in range(20):
        if n % 4 == 1:
            _killed_build(one_doc_corpus, data, stages[n // 4])
        else:
            build_index(one_doc_corpus, data, rebuild=True)
    assert index_status(data) is not None
    m = _manifest(data)
    builds = sorted(p.name for p in (data / "builds").iterdir())
    assert builds == [m["build_id"]]
    assert not list(data.glob("manifest.json.*.tmp")) and not (data / "chroma").exists()
    final = _du(data)
    print(f"\none build {one_build / 1e6:.2f} MB, steady state {steady / 1e6:.2f} MB, "
          f"after 20 rebuilds (5 killed) {final / 1e6:.2f} MB")
    assert final <= one_build * 1.10 and steady <= one_build * 1.10
    # a plain ingest after a killed build cleans up too
    _killed_build(one_doc_corpus, data, "写入向量库")
    build_index(one_doc_corpus, data)
    assert sorted(p.name for p in (data / "builds").iterdir()) == builds


@pytest.mark.slow
def test_a_build_still_read_by_a_running_process_is_kept(one_doc_corpus, tmp_path):
    """A process answering from a build holds it (reader lock): a rebuild keeps that build until the
    process is gone, then the next ingest removes it."""
    from ingest.index import hold_build

    data = tmp_path / "idx"
    build_index(one_doc_corpus, data)
    first = _manifest(data)
    reader = hold_build(data, first)  # what ClauseIndex does when it opens the index
    assert reader is not None
    build_index(one_doc_corpus, data, rebuild=True)
    assert (data / "builds" / first["build_id"]).is_dir()  # still read: kept
    reader.close()  # the process ends
    build_index(one_doc_corpus, data, rebuild=True)
    assert not (data / "builds" / first["build_id"]).exists()
