"""MCP tools over loopback with the `mcp` client, and one answer through every surface.

The app (UI + REST + MCP) runs in uvicorn on a free 127.0.0.1 port in a thread of this process.
The same question, as_of and facts go through REST, MCP, gradio_client and the CLI
(`python -m assistant batch`, a subprocess on the same index): the answer objects must serialise
to the same bytes once `latency_ms` is dropped.
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from conftest import REPO

from server.app import create_app

pytestmark = pytest.mark.slow
AS_OF = "2026-11-21"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(assistant):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(assistant, ui=True), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200 and json.loads(r.read())["ui"] == "ready":  # the gradio_client test needs it
                    break
        except OSError:
            time.sleep(0.1)
    else:
        pytest.fail("server did not become ready")
    yield url
    server.should_exit = True
    thread.join(timeout=15)


def _canon(ans: dict) -> bytes:
    return json.dumps({k: v for k, v in ans.items() if k != "latency_ms"}, ensure_ascii=False).encode()


def _rest(url: str, payload: dict) -> dict:
    req = urllib.request.Request(url + "/api/v1/ask", data=json.dumps(payload, ensure_ascii=False).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def _mcp(url: str, tool: str, args: dict):
    from mcp import Client

    async def call():
        async with Client(url + "/mcp") as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            return tools, await client.call_tool(tool, args)
    return asyncio.run(call())


def test_tools_are_listed_and_ask_policy_answers(served):
    tools, res = _mcp(served, "ask_policy", {"question": "我在上海，技师满4年，能申报中级职称吗？", "as_of": AS_OF})
    assert {"ask_policy", "check_eligibility"} <= tools
    assert not res.is_error
    ans = json.loads(res.content[0].text)
    assert ans == res.structured_content
    assert ans["route"] == "rules" and ans["decision"]["eligible"] is True and ans["citations"][0]["quote"]


def test_check_eligibility_decides_with_citations(served):
    _, res = _mcp(served, "check_eligibility", {"region": "上海", "credential": "技师", "obtained": "2020-06",
                                                "target": "中级", "as_of": AS_OF})
    ans = res.structured_content
    assert ans["route"] == "rules" and ans["decision"]["eligible"] is True
    assert all(0 <= c["citation"] < len(ans["citations"]) for c in ans["decision"]["conditions"])
    _, short = _mcp(served, "check_eligibility", {"region": "上海", "credential": "技师", "years": 1,
                                                  "target": "中级", "as_of": AS_OF})
    assert short.structured_content["decision"]["eligible"] is False


def test_check_eligibility_refuses_bad_facts_in_chinese(served):
    _, res = _mcp(served, "check_eligibility", {"region": "上海", "credential": "宇航员", "as_of": AS_OF})
    assert res.is_error
    body = res.structured_content
    assert body["route"] == "error" and body["error_kind"] == "input" and "不认识" in body["error"]
    _, res = _mcp(served, "check_eligibility", {"region": "火星", "credential": "技师", "as_of": AS_OF})
    assert res.is_error and res.structured_content["error_kind"] == "input"


def test_one_answer_through_rest_mcp_gradio_client_and_cli(served, built_index, tmp_path):
    from gradio_client import Client

    first = _rest(served, {"question": "我是技师，拿证4年了，能申报中级职称吗？", "as_of": AS_OF})
    assert first["route"] == "clarify"
    turn = {"question": "上海", "as_of": AS_OF, "facts": first["facts"]}

    rest = _rest(served, turn)
    _, res = _mcp(served, "ask_policy", turn)
    mcp_text = res.content[0].text
    ui = Client(served + "/", verbose=False, analytics_enabled=False, download_files=False).predict(
        turn["question"], AS_OF, turn["facts"], api_name="/ask")
    line = json.dumps({"question": turn["question"], "as_of": AS_OF, "facts": turn["facts"]}, ensure_ascii=False)
    (tmp_path / "in.jsonl").write_text(line + "\n", encoding="utf-8")
    env = dict(os.environ, GUANTONG_DATA_DIR=str(built_index))
    cli = subprocess.run([sys.executable, "-m", "assistant", "batch", str(tmp_path / "in.jsonl")], cwd=REPO,
                         env=env, capture_output=True, timeout=120, check=True)
    cli_ans = json.loads(cli.stdout.decode("utf-8").splitlines()[0])

    assert rest["route"] == "rules" and rest["decision"]["eligible"] is True
    canon = _canon(rest)
    assert _canon(json.loads(mcp_text)) == canon
    assert _canon(ui) == canon
    assert _canon(cli_ans) == canon
