"""The chat's streaming path: checked chunks arrive first, a failed rewrite is swapped out."""
from __future__ import annotations

import pytest
from fakes.openai_server import FakeOpenAI
from test_writer import RETRIEVAL_Q, _bad_replies, _extractive, _good_reply

from assistant.chat import ChatSession

pytestmark = pytest.mark.llm


@pytest.fixture
def llm(monkeypatch):
    pytest.importorskip("langchain_openai", reason='needs the llm extra: pip install -e ".[llm]"')
    with FakeOpenAI() as fake:
        monkeypatch.setenv("GUANTONG_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("GUANTONG_LLM_MODEL", "fake-qwen")
        monkeypatch.setenv("GUANTONG_LLM_TIMEOUT", "3")
        yield fake


def test_without_a_writer_the_answer_comes_once(assistant):
    items = list(ChatSession(assistant).send_stream(RETRIEVAL_Q))
    assert len(items) == 1 and items[0][1]["route"] == "retrieval"


def test_good_rewrite_streams_then_becomes_the_final_answer(assistant, llm):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm.script({"reply": _good_reply(base), "chunk_delay": 0.005})
    session = ChatSession(assistant)
    items = list(session.send_stream(RETRIEVAL_Q))
    partials = [p for p, a in items if a is None]
    final = items[-1][1]
    assert len(partials) >= 2 and partials[-1] == final["answer"]
    assert final["citations"] == base["citations"] and session.last is final


def test_rewrite_that_invents_a_number_is_replaced_by_the_extractive_answer(assistant, llm):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    bad = _bad_replies(base)["invented_number"]
    llm.script({"reply": bad, "chunk_delay": 0.005})
    items = list(ChatSession(assistant).send_stream(RETRIEVAL_Q))
    invented = bad.split("\n")[-1]
    assert all(invented not in p for p, a in items if a is None)
    assert items[-1][1]["answer"] == base["answer"]


def test_the_chat_page_shows_checked_chunks_then_stores_the_final_answer(assistant, llm):
    from web.context import AppContext
    from web.ui import EMPTY_STORE, ChatHandlers

    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm.script({"reply": _good_reply(base), "chunk_delay": 0.005})
    outputs = list(ChatHandlers(AppContext(assistant), None).send(RETRIEVAL_Q, EMPTY_STORE, ""))
    partial_views = [html for _, html, store, _ in outputs[:-1]]
    assert partial_views and all("gt-pending" in html and "gt-partial" in html for html in partial_views)
    _, final_html, store, _ = outputs[-1]
    assert "gt-pending" not in final_html and len(store["turns"]) == 1
    final = store["turns"][0]["answer"]
    assert final["citations"] == base["citations"] and final["answer"] != base["answer"]
