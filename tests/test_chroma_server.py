"""Server mode: ingest into and answer through a real `chroma run` on a loopback port.

The BM25 clause store and the manifest stay in the local data dir; only the vectors live on the
server. The server is started once for this module and stopped after it.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from ingest.index import IndexError_, build_index, chroma_client, index_status

pytestmark = pytest.mark.slow

_CHROMA_CLI = "import sys; from chromadb.cli.cli import app; sys.argv[0] = 'chroma'; sys.exit(app())"
RETRIEVAL_QUESTION = "天府工匠"  # a phrase only 川人社办发〔2021〕61号 uses


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_chroma(root: Path):
    """`chroma run --host 127.0.0.1 --port P --path ROOT/db`, yielding its URL once the heartbeat answers."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(root / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHROMA_CLI, "run", "--host", "127.0.0.1", "--port", str(port),
             "--path", str(root / "db")],
            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
        )
    try:
        deadline = time.monotonic() + 60
        while not _heartbeat(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (root / "server.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"chroma run did not come up: {tail}")
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture
def server_index(chroma_server, tmp_path):
    """A fresh index on the shared server. Each build drops the `clauses_*` collections other
    data dirs made on that server, so every test builds its own before using it."""
    data = tmp_path / "idx"
    report = build_index(data_dir=data, chroma_url=chroma_server)
    return data, report


def _collections(url: str) -> list[str]:
    return sorted(c.name for c in chroma_client(Path("/nonexistent"), url).list_collections())


def test_ingest_writes_vectors_to_the_server_and_keeps_the_clause_store_local(chroma_server, server_index):
    data, report = server_index
    manifest = index_status(data)
    assert report.clauses > 100 and report.embedded == report.clauses
    assert manifest["chroma_url"] == chroma_server
    assert _collections(chroma_server) == [manifest["collection"]]
    assert (data / manifest["clauses_file"]).exists()
    assert not (data / "chroma").exists()  # no embedded store next to the manifest
    col = chroma_client(data, chroma_server).get_collection(manifest["collection"])
    assert col.count() == report.clauses


def test_retrieval_and_answers_go_through_the_server(chroma_server, server_index):
    from assistant import Assistant
    from assistant.retrieve import ClauseIndex

    data, _ = server_index
    index = ClauseIndex(data, chroma_url=chroma_server)
    dense = index.search("天府工匠可以申报什么职称", 3, "dense")
    assert dense and all(h.dense > 0 for h in dense)
    hybrid = index.search(RETRIEVAL_QUESTION, 3, "hybrid")
    assert hybrid[0].clause["doc"] == "川人社办发〔2021〕61号"

    assistant = Assistant.load(data_dir=data, chroma_url=chroma_server, build_if_missing=False)
    ans = assistant.ask("四川的天府工匠是怎么认定的？", retriever="dense")
    assert ans["route"] != "error", ans["answer"]
    ans = assistant.ask("我在上海，技师满4年，能申报中级职称吗？")
    assert ans["route"] in ("rules", "retrieval", "clarify") and ans["citations"], ans["answer"]


def test_reingest_is_idempotent_and_keeps_one_previous_collection(chroma_server, server_index):
    from assistant.retrieve import ClauseIndex

    data, first = server_index
    again = build_index(data_dir=data, chroma_url=chroma_server)
    assert again.nothing_changed and again.build_id == first.build_id
    assert _collections(chroma_server) == [index_status(data)["collection"]]

    second = build_index(data_dir=data, chroma_url=chroma_server, rebuild=True)
    assert second.build_id != first.build_id and second.embedded == second.clauses
    second_col = index_status(data)["collection"]
    # the previous collection stays one more build, for app processes that still hold it
    assert _collections(chroma_server) == sorted([f"clauses_{first.build_id.replace('-', '_')}", second_col])
    third = build_index(data_dir=data, chroma_url=chroma_server, rebuild=True)
    assert _collections(chroma_server) == sorted([second_col, index_status(data)["collection"]])
    assert len(list((data / "builds").iterdir())) == 1 and third.build_id
    assert ClauseIndex(data, chroma_url=chroma_server).search(RETRIEVAL_QUESTION, 1)[0].clause["doc"] == \
        "川人社办发〔2021〕61号"


def test_running_instance_keeps_answering_across_reingests(chroma_server, server_index):
    """An app process loaded before `python -m ingest` keeps its vectors for one more build; after
    that (not restarted) it answers from BM25 alone, never with an error."""
    from assistant import Assistant

    data, _ = server_index
    running = Assistant.load(data_dir=data, chroma_url=chroma_server, build_if_missing=False)
    assert running.index.search("天府工匠可以申报什么职称", 3, "dense")
    build_index(data_dir=data, chroma_url=chroma_server, rebuild=True)  # e.g. a new document arrived
    assert running.index.search("天府工匠可以申报什么职称", 3, "dense"), "previous collection was dropped"
    build_index(data_dir=data, chroma_url=chroma_server, rebuild=True)  # a second one, still not restarted
    hits = running.index.search(RETRIEVAL_QUESTION, 3, "hybrid")
    assert hits and hits[0].clause["doc"] == "川人社办发〔2021〕61号" and all(h.dense == 0 for h in hits)
    ans = running.ask("四川的天府工匠是怎么认定的？")
    assert ans["route"] != "error" and ans["citations"]
    restarted = Assistant.load(data_dir=data, chroma_url=chroma_server, build_if_missing=False)
    assert any(h.dense > 0 for h in restarted.index.search(RETRIEVAL_QUESTION, 3, "hybrid"))


def test_killed_reingest_leaves_the_old_index_answering(chroma_server, server_index):
    data, _ = server_index
    before = index_status(data)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from ingest.index import build_index
        def die(stage, done, total):
            if stage == "写入向量库":
                os.kill(os.getpid(), signal.SIGKILL)
        build_index(data_dir=Path({str(data)!r}), chroma_url={chroma_server!r}, rebuild=True, progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=120, check=False)
    assert proc.returncode == -9
    assert index_status(data) == before
    from assistant import Assistant

    reopened = Assistant.load(data_dir=data, chroma_url=chroma_server, build_if_missing=False)
    assert reopened.index.search("天府工匠可以申报什么职称", 3, "dense")  # vectors of the old build
    ans = reopened.ask("四川的天府工匠是怎么认定的？")
    assert ans["route"] != "error" and ans["citations"]
    assert len(_collections(chroma_server)) == 2  # the live one and the half-written orphan
    build_index(data_dir=data, chroma_url=chroma_server, rebuild=True)  # the next build clears the orphan
    assert _collections(chroma_server) == sorted([before["collection"], index_status(data)["collection"]])


def test_chroma_server_outage_degrades_to_bm25(tmp_path):
    from assistant import Assistant

    with running_chroma(tmp_path) as url:
        build_index(data_dir=tmp_path / "idx", chroma_url=url)
        assistant = Assistant.load(data_dir=tmp_path / "idx", chroma_url=url, build_if_missing=False)
        assert assistant.ask("我在上海，技师满4年，能申报中级职称吗？")["route"] != "error"
    # the server is gone now
    for question in ("我在上海，技师满4年，能申报中级职称吗？", "四川的天府工匠是怎么认定的？"):
        ans = assistant.ask(question)
        assert ans["route"] != "error" and ans["citations"], ans["answer"]


def test_cli_ingest_and_ask_with_chroma_url(chroma_server, tmp_path):
    data = tmp_path / "cli-idx"
    env = dict(os.environ, GUANTONG_DATA_DIR=str(data))
    ingest = subprocess.run([sys.executable, "-m", "ingest", "--chroma-url", chroma_server], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False, timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    assert "新增" in ingest.stdout
    again = subprocess.run([sys.executable, "-m", "ingest", "--chroma-url", chroma_server], cwd=REPO, env=env,
                           capture_output=True, text=True, check=False, timeout=120)
    assert again.returncode == 0 and "未变化" in again.stdout
    ask = subprocess.run(
        [sys.executable, "-m", "assistant", "--chroma-url", chroma_server, "--retriever", "dense",
         "ask", "四川的天府工匠是怎么认定的？", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert ask.returncode == 0, ask.stderr
    ans = json.loads(ask.stdout)
    assert ans["route"] != "error" and "Traceback" not in ask.stderr
    # the same through the environment variable instead of the flag
    env_ask = subprocess.run([sys.executable, "-m", "assistant", "ask", "天府工匠", "--json"], cwd=REPO,
                             env=dict(env, GUANTONG_CHROMA_URL=chroma_server), capture_output=True, text=True, check=False,
                             timeout=120)
    assert env_ask.returncode == 0, env_ask.stderr
    assert json.loads(env_ask.stdout)["citations"]


def test_unreachable_server_is_a_clear_chinese_error(tmp_path):
    dead = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(IndexError_) as err:
        build_index(data_dir=tmp_path / "idx", chroma_url=dead)
    assert "Chroma" in str(err.value) and dead in str(err.value)
    proc = subprocess.run([sys.executable, "-m", "ingest", "--chroma-url", dead], cwd=REPO,
                          env=dict(os.environ, GUANTONG_DATA_DIR=str(tmp_path / "idx2")),
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 2 and "无法连接" in proc.stderr and "Traceback" not in proc.stderr
