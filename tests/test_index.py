"""Index builds: idempotent, incremental, and atomic (a failed or killed build leaves the old index)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml
from conftest import REPO

from ingest.index import build_index, index_status


@pytest.fixture
def small_corpus(corpus_copy):
    """Two documents only: fast to build."""
    cat = yaml.safe_load((corpus_copy / "catalog.yaml").read_text(encoding="utf-8"))
    cat["documents"] = [d for d in cat["documents"] if d["doc"] in ("沪人社专〔2021〕312号", "黄人社发〔2021〕12号")]
    (corpus_copy / "catalog.yaml").write_text(yaml.safe_dump(cat, allow_unicode=True), encoding="utf-8")
    return corpus_copy


def _search_doc(data_dir, query: str) -> str:
    from assistant.retrieve import ClauseIndex

    return ClauseIndex(data_dir).search(query, 1, "bm25")[0].clause["doc"]


def test_second_build_of_unchanged_corpus_does_nothing(small_corpus, tmp_path):
    data = tmp_path / "idx"
    first = build_index(small_corpus, data)
    assert first.embedded == first.clauses > 0
    second = build_index(small_corpus, data)
    assert second.nothing_changed and second.embedded == 0
    assert second.build_id == first.build_id
    assert "未变化" in second.summary()


def test_changed_document_is_replaced_and_others_are_not_re_embedded(small_corpus, tmp_path):
    data = tmp_path / "idx"
    build_index(small_corpus, data)
    path = small_corpus / "003_9885b581e2e20dac.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("6513138", "6513999"), encoding="utf-8")
    report = build_index(small_corpus, data)
    assert report.changed == ["黄人社发〔2021〕12号"] and report.unchanged == ["沪人社专〔2021〕312号"]
    rows = (data / index_status(data)["clauses_file"]).read_text(encoding="utf-8").splitlines()
    n_huangshi = sum(1 for line in rows if json.loads(line)["doc"] == "黄人社发〔2021〕12号")
    assert report.embedded == n_huangshi and report.reused == report.clauses - n_huangshi
    assert _search_doc(data, "6513999 职业能力建设科") == "黄人社发〔2021〕12号"


def test_added_document_is_picked_up_after_catalogue_entry(small_corpus, tmp_path):
    data = tmp_path / "idx"
    build_index(small_corpus, data)
    cat = yaml.safe_load((small_corpus / "catalog.yaml").read_text(encoding="utf-8"))
    full = yaml.safe_load((REPO / "corpus" / "catalog.yaml").read_text(encoding="utf-8"))
    cat["documents"].append(next(d for d in full["documents"] if d["doc"] == "川人社办发〔2021〕61号"))
    (small_corpus / "catalog.yaml").write_text(yaml.safe_dump(cat, allow_unicode=True), encoding="utf-8")
    report = build_index(small_corpus, data)
    assert report.added == ["川人社办发〔2021〕61号"]
    assert _search_doc(data, "天府工匠") == "川人社办发〔2021〕61号"


def test_failure_mid_build_leaves_previous_index_answering(small_corpus, tmp_path):
    data = tmp_path / "idx"
    build_index(small_corpus, data)
    before = index_status(data)

    def explode(stage, done, total):
        if stage == "写入向量库":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        build_index(small_corpus, data, rebuild=True, progress=explode)
    assert index_status(data) == before
    assert _search_doc(data, "上海市杰出技术能手") == "沪人社专〔2021〕312号"
    # the failed build removed its own folder (vector store included)
    assert sorted(p.name for p in (data / "builds").iterdir()) == [before["build_id"]]
    report = build_index(small_corpus, data, rebuild=True)
    assert report.build_id != before["build_id"]
    # the new build, and the one before it only while a process still reads it (reader lock)
    names = {p.name for p in (data / "builds").iterdir()}
    assert report.build_id in names and names <= {before["build_id"], report.build_id}
    assert not list(data.glob("manifest.json.*.tmp"))


def test_killed_build_leaves_previous_index_answering(small_corpus, tmp_path):
    data = tmp_path / "idx"
    build_index(small_corpus, data)
    before = index_status(data)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from ingest.index import build_index
        def die(stage, done, total):
            if stage == "写入向量库":
                os.kill(os.getpid(), signal.SIGKILL)
        build_index(Path({str(small_corpus)!r}), Path({str(data)!r}), rebuild=True, progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False, cwd=REPO, capture_output=True, timeout=120)
    assert proc.returncode == -9
    assert index_status(data) == before
    assert _search_doc(data, "上海市杰出技术能手") == "沪人社专〔2021〕312号"


def test_cli_reports_changes_and_bad_corpus_in_chinese(small_corpus, tmp_path):
    env = dict(os.environ, GUANTONG_CORPUS_DIR=str(small_corpus), GUANTONG_DATA_DIR=str(tmp_path / "idx"))
    ok = subprocess.run([sys.executable, "-m", "ingest"], check=False, cwd=REPO, env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "新增 2" in ok.stdout
    (small_corpus / "002_f81cbd4baea65708.txt").write_bytes("上海".encode("gbk") * 10)
    bad = subprocess.run([sys.executable, "-m", "ingest"], check=False, cwd=REPO, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "UTF-8" in bad.stderr and "Traceback" not in bad.stderr
    again = subprocess.run([sys.executable, "-m", "ingest"], check=False, cwd=REPO, env=dict(env), capture_output=True, text=True)
    assert again.returncode == 2  # still broken: the old index stays, nothing half-written
    assert index_status(tmp_path / "idx") is not None


def test_the_app_refreshes_an_index_built_from_another_corpus_or_splitter(small_corpus, tmp_path, monkeypatch):
    """An index left by an older version (another splitter, or a corpus edited since) is refreshed
    when the assistant loads, not served stale until someone remembers `python -m ingest`."""
    import ingest.corpus
    from assistant.service import Assistant
    from ingest.index import is_stale

    data = tmp_path / "idx"
    first = build_index(small_corpus, data)
    assert not is_stale(index_status(data), small_corpus)
    path = small_corpus / "003_9885b581e2e20dac.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("6513138", "6513999"), encoding="utf-8")
    assert is_stale(index_status(data), small_corpus)
    Assistant.load(data, corpus_dir=small_corpus)
    assert index_status(data)["build_id"] != first.build_id
    assert _search_doc(data, "6513999 职业能力建设科") == "黄人社发〔2021〕12号"
    # another splitter version re-splits every document
    second = index_status(data)["build_id"]
    ingest.corpus.pipeline_version.cache_clear()
    monkeypatch.setattr(ingest.corpus, "pipeline_version", lambda: "another-splitter")
    assert is_stale(index_status(data), small_corpus)
    Assistant.load(data, corpus_dir=small_corpus)
    assert index_status(data)["build_id"] != second


def test_a_corpus_that_cannot_be_read_leaves_the_index_answering(small_corpus, tmp_path):
    from assistant.service import Assistant

    data = tmp_path / "idx"
    first = build_index(small_corpus, data)
    (small_corpus / "catalog.yaml").write_text("documents: [oops", encoding="utf-8")
    a = Assistant.load(data, corpus_dir=small_corpus)
    assert index_status(data)["build_id"] == first.build_id
    assert a.ask("黄石 技师满3年 能报中级吗", as_of="2026-11-30")["route"] == "rules"
