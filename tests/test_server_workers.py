"""`python app.py --workers 2`: two API processes on one port over the same read-only index, the UI
process behind them."""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO

from evals.served import load, start_app, stop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workers_url(built_index, tmp_path_factory):
    data = tmp_path_factory.mktemp("workers") / "idx"
    shutil.copytree(built_index, data, ignore=shutil.ignore_patterns(".build.lock"))
    env = dict(os.environ, GUANTONG_DATA_DIR=str(data))
    proc, port, _ready = start_app(REPO, env, workers=2)
    yield f"http://127.0.0.1:{port}", port
    stop(proc)
    assert "Traceback" not in proc.stderr.read().decode("utf-8", "replace")


def test_answers_under_load_without_errors(workers_url):
    _url, port = workers_url
    questions = [{"question": q, "as_of": "2026-11-21"} for q in
                 ("我在上海，技师满4年，能申报中级职称吗？", "四川天府工匠的认定办法是什么？", "黄石的高级技师可以申报什么职称？")]
    result = load(port, questions, 10)
    assert result["requests"] >= 100 and result["errors"] == 0
    assert set(result["routes"]) <= {"rules", "retrieval", "clarify"}


def test_the_ui_is_served_through_the_workers(workers_url):
    from gradio_client import Client

    url, _port = workers_url
    deadline = time.monotonic() + 120
    while True:  # the UI process builds its Blocks after the workers are ready
        try:
            with urllib.request.urlopen(url + "/", timeout=10) as r:
                assert r.headers["x-frame-options"] == "DENY" and "<html" in r.read(2000).decode().lower()
                break
        except urllib.error.HTTPError as exc:
            assert exc.code == 503 and "正在启动" in exc.read().decode() and time.monotonic() < deadline
            time.sleep(0.5)
    clients = [Client(url + "/", verbose=False, analytics_enabled=False, download_files=False) for _ in range(3)]
    for c in clients:  # logins and event streams all reach the one UI process, whichever worker took them
        assert c.predict("四川天府工匠的认定办法是什么？", "2026-11-21", None, api_name="/ask")["route"] == "retrieval"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url + "/api/v1/nothing", timeout=10)
    body = json.loads(err.value.read())
    assert err.value.code == 404 and body["route"] == "error" and body["error_kind"] == "input"


def test_mcp_is_stateless_across_workers(workers_url):
    from mcp import Client

    url, _port = workers_url

    async def calls():
        async with Client(url + "/mcp") as client:  # each call may land on either worker
            return [await client.call_tool("ask_policy", {"question": "上海技师满4年能评中级职称吗", "as_of": "2026-11-21"})
                    for _ in range(6)]
    results = asyncio.run(calls())
    assert all(not r.is_error and r.structured_content["route"] == "rules" for r in results)
