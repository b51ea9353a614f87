"""The optional LLM writer against a scripted OpenAI-compatible server on loopback.

A reply is shown only if it passes every check; anything else (invented number, missing or
unknown citation, a verdict of its own, slow, broken, HTTP 500) leaves the extractive answer.
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time

import pytest
from conftest import REPO
from fakes.openai_server import FakeOpenAI

from assistant import writer
from assistant.llm import LLMConfig, chat_model
from assistant.writer import ReplyRejected, check_reply, stated_numbers

RETRIEVAL_Q = "四川的天府工匠是怎么认定的？"
RULES_Q = "我在上海，技师满4年，能申报中级职称吗？"
CLARIFY_Q = "上海技师能评中级职称吗"
pytestmark = pytest.mark.llm  # the tests with a model server need the [llm] extra; the rest run anyway


@pytest.fixture
def fake():
    pytest.importorskip("langchain_openai", reason='needs the llm extra: pip install -e ".[llm]"')
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_on(fake, monkeypatch):
    monkeypatch.setenv("GUANTONG_LLM_BASE_URL", fake.base_url)
    monkeypatch.setenv("GUANTONG_LLM_MODEL", "fake-qwen")
    monkeypatch.setenv("GUANTONG_LLM_API_KEY", "sk-test")
    monkeypatch.setenv("GUANTONG_LLM_TIMEOUT", "2")
    return fake


def _strip(ans: dict) -> dict:
    return {k: v for k, v in ans.items() if k != "latency_ms"}


def _extractive(assistant, question: str, route: str | tuple[str, ...]) -> dict:
    with writer.extractive_only():
        ans = assistant.ask(question)
    routes = (route,) if isinstance(route, str) else route
    assert ans["route"] in routes, (ans["route"], ans["answer"])
    assert ans["citations"]
    return ans


def _fragment(citation: dict) -> str:
    """The first phrase of a citation's quote: a sentence the checks accept for it."""
    return re.split(r"[。！？!?；;\n]", citation["quote"])[0][:50].strip("，,：: ")


def _good_reply(ans: dict) -> str:
    c1 = ans["citations"][0]
    text = f"依据{c1['doc']}，{_fragment(c1)}【1】。"
    n = 2 if len(ans["citations"]) > 1 else 1  # a lookup may quote a single clause
    text += f"\n\n此外，{_fragment(ans['citations'][n - 1])}【{n}】。"
    return text


def _absent_number(ans: dict, n: int = 1) -> int:
    used = writer.clause_numbers(ans["citations"][n - 1])
    return next(v for v in (97, 89, 83, 79) if float(v) not in used)


_CHINESE = {97: "九十七", 89: "八十九", 83: "八十三", 79: "七十九"}


def _bad_replies(ans: dict) -> dict[str, str]:
    good = _good_reply(ans)
    k = len(ans["citations"])
    invented = _absent_number(ans)
    return {
        "invented_number": f"{good}\n按规定，满{invented}年即可申报【1】。",
        "invented_chinese_number": good.replace("【1】", f"，满{_CHINESE[invented]}年可申报【1】", 1),
        "missing_citation": good + "\n另外，符合条件的人员一般都能顺利通过评审。",
        "unknown_citation": good + f"\n相关规定另见【{k + 3}】。",
        "no_citation_at_all": re.sub(r"【\d+】", "", good),
        "wrong_marker_format": good.replace("【1】", "[1]"),
        "empty": "",
    }


# --- configuration -------------------------------------------------------------------------------

def test_writer_is_off_by_default_and_needs_base_url_and_model():
    assert LLMConfig.from_env({}) is None
    assert LLMConfig.from_env({"GUANTONG_LLM_BASE_URL": "http://127.0.0.1:1/v1"}) is None
    cfg = LLMConfig.from_env({"GUANTONG_LLM_BASE_URL": "http://h/v1", "GUANTONG_LLM_MODEL": "qwen"})
    assert cfg.timeout == 20.0 and cfg.api_key == ""
    assert LLMConfig.from_env({"GUANTONG_LLM_BASE_URL": "u", "GUANTONG_LLM_MODEL": "m",
                               "GUANTONG_LLM_TIMEOUT": "abc"}).timeout == 20.0
    assert LLMConfig.from_env({"GUANTONG_LLM_BASE_URL": "u", "GUANTONG_LLM_MODEL": "m",
                               "GUANTONG_LLM_TIMEOUT": "3.5"}).timeout == 3.5
    assert not writer.enabled()
    ans = {"route": "retrieval", "answer": "x", "citations": [{"quote": "y"}]}
    assert writer.maybe_rewrite("q", ans) is ans


def test_default_path_never_imports_langchain_openai(built_index):
    code = ("import sys; from assistant import Assistant; a = Assistant.load(build_if_missing=False); "
            f"r = a.ask({RETRIEVAL_Q!r}); assert r['route'] != 'error', r; "
            "assert 'langchain_openai' not in sys.modules and 'openai' not in sys.modules; print('ok')")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUANTONG_LLM_")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False,
                          timeout=120)
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr


# --- the checks -----------------------------------------------------------------------------------

CITES = [
    {"doc": "沪人社专〔2021〕312号", "title": "关于加强本市高技能人才与专业技术人才职业发展贯通的实施办法",
     "section": "二、（二）3", "quote": "获得相关职业（工种）技师（二级）职业资格或职业技能等级后从事技术工作满 3 年，"
                                    "可申报参评相关系列（专业）中级职称。"},
    {"doc": "沪人社专〔2021〕312号", "title": "关于加强本市高技能人才与专业技术人才职业发展贯通的实施办法",
     "section": "二、（二）2", "quote": "具有高级工（三级）及以上职业资格或职业技能等级，在现工作岗位上近 3 年年度考核合格，"
                                    "并经单位推荐同意申报。"},
]


@pytest.mark.parametrize("text, expected", [
    ("满三年的技师", {3.0}),
    ("2021年6月1日起施行", {2021.0, 6.0, 1.0}),
    ("二〇二一年", {2021.0}),
    ("百分之三十", {30.0}),
    ("第十二条、一百零五人", {12.0, 105.0}),
    ("统一组织、进一步完善、一线职工", set()),
    ("技师（二级）", {2.0}),
    ("见【3】", set()),
    ("１２个月", {12.0}),
])
def test_stated_numbers(text, expected):
    assert stated_numbers(text) == expected


@pytest.mark.parametrize("reply", [
    "取得技师（二级）后从事技术工作满三年，可申报中级职称【1】。",
    "技师满3年可申报中级职称。【1】还需近3年年度考核合格并经单位推荐【2】。",
    "根据沪人社专〔2021〕312号，技师满3年可申报中级职称【1】。\n\n1. 高级工需近三年考核合格【2】\n具体以当年通知为准。",
    "<think>用户问的是5年</think>技师满3年可申报中级职称【1】。",
])
def test_check_reply_accepts_cited_faithful_text(reply):
    assert "【" in check_reply(reply, CITES)


@pytest.mark.parametrize("reply, reason", [
    ("技师满5年可申报中级职称【1】。", "数字 5"),
    ("技师满五年可申报中级职称【1】。", "数字 5"),
    ("技师满3年可申报中级职称【1】，2025年起执行【1】。", "数字 2025"),
    ("技师满3年可申报中级职称。", "没有引用标注"),
    ("技师满3年可申报中级职称【3】。", "不存在的条款【3】"),
    ("技师满3年可申报中级职称【1，2】。", "格式"),
    ("技师满3年可申报中级职称【1】。中级工（四级）也可以【1】。", "数字 4"),
    ("", "为空"),
    ("具体以当年通知为准。", "没有任何引用"),
])
def test_check_reply_rejects(reply, reason):
    with pytest.raises(ReplyRejected, match=reason):
        check_reply(reply, CITES)


def test_rule_routes_may_not_state_a_verdict():
    ok = "技师满3年可申报中级职称【1】。"
    assert check_reply(ok, CITES, "rules")
    for verdict in ("您可以申报中级职称【1】。", "你不符合申报条件【2】。", "综上，结论是可以申报【1】。"):
        with pytest.raises(ReplyRejected, match="结论"):
            check_reply(ok + verdict, CITES, "rules")
    assert check_reply(ok + "您可以申报中级职称【1】。", CITES, "retrieval")  # retrieval has no decision


# --- through Assistant.ask ---------------------------------------------------------------------

def test_good_reply_is_shown_with_citations_unchanged(assistant, llm_on):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm_on.script({"reply": _good_reply(base)})
    ans = assistant.ask(RETRIEVAL_Q)
    assert ans["answer"].startswith(_good_reply(base).split("\n")[0])
    assert writer.RETRIEVAL_FOOTER in ans["answer"]
    assert ans["writer"] == {"model": "fake-qwen", "source_answer": base["answer"]}
    assert json.dumps(ans["citations"], ensure_ascii=False) == json.dumps(base["citations"], ensure_ascii=False)
    assert ans["route"] == "retrieval" and ans["decision"] is None
    # the prompt: numbered clauses, the 【n】 demand, the question fenced off as data
    req = llm_on.requests[-1]
    assert req["model"] == "fake-qwen" and not req.get("stream")
    system, user = req["messages"][0]["content"], req["messages"][1]["content"]
    assert "【编号】" in system and "不得添加" in system
    assert f"【1】{base['citations'][0]['doc']}" in user and base["citations"][0]["quote"] in user
    assert f"<<<\n{RETRIEVAL_Q}\n>>>" in user


@pytest.mark.parametrize("kind", ["invented_number", "invented_chinese_number", "missing_citation",
                                  "unknown_citation", "no_citation_at_all", "wrong_marker_format", "empty"])
def test_bad_reply_is_never_shown(assistant, llm_on, caplog, kind):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    bad = _bad_replies(base)[kind]
    llm_on.script({"reply": bad})
    with caplog.at_level(logging.WARNING, logger="assistant.writer"):
        ans = assistant.ask(RETRIEVAL_Q)
    assert len(llm_on.requests) == 1
    assert _strip(ans) == _strip(base)
    assert "writer" not in ans
    assert any("改写未采用" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("script, why", [
    ({"delay": 4.0, "reply": "技师满3年可申报中级职称【1】。"}, "Timeout"),
    ({"status": 500}, "500"),
    ({"status": 429}, "429"),
    ({"broken": True, "reply": "x"}, "JSON"),
])
def test_slow_or_broken_endpoint_falls_back_in_time(assistant, llm_on, caplog, script, why):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm_on.script(script)
    t0 = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="assistant.writer"):
        ans = assistant.ask(RETRIEVAL_Q)
    assert time.perf_counter() - t0 < 3.5  # timeout is 2 s; the 4 s reply is not waited for
    assert _strip(ans) == _strip(base)
    notes = " ".join(r.getMessage() for r in caplog.records)
    assert "改写未采用" in notes and (why in notes or why.lower() in notes.lower())


def test_unreachable_endpoint_falls_back(assistant, monkeypatch):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GUANTONG_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("GUANTONG_LLM_MODEL", "m")
    assert _strip(assistant.ask(RETRIEVAL_Q)) == _strip(base)


def test_missing_langchain_openai_falls_back(assistant, llm_on, monkeypatch):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # import now fails
    monkeypatch.setattr(writer, "_writers", {})
    chat_model.cache_clear()
    try:
        assert _strip(assistant.ask(RETRIEVAL_Q)) == _strip(base)
        assert not llm_on.requests
    finally:
        chat_model.cache_clear()


def test_routes_without_clauses_are_not_sent_to_the_model(assistant, llm_on):
    for q in ("今天天气怎么样", "", "   "):
        ans = assistant.ask(q)
        assert ans["route"] in ("out_of_scope", "error")
        assert "writer" not in ans
    assert llm_on.requests == []


def test_rule_decision_conditions_and_citations_stay_byte_identical(assistant, llm_on):
    base = _extractive(assistant, RULES_Q, "rules")
    explanation = f"这条规定是说，{_fragment(base['citations'][0])}【1】。"
    llm_on.script({"reply": explanation})
    ans = assistant.ask(RULES_Q)
    assert "writer" in ans, "the explanation should have been accepted"
    for key in ("route", "decision", "citations", "warnings", "facts"):
        assert json.dumps(ans[key], ensure_ascii=False) == json.dumps(base[key], ensure_ascii=False), key
    # the rule module's text comes first, verbatim; the model only adds the explanation after it
    assert ans["answer"] == f"{base['answer']}\n\n{writer.RULES_HEADING}\n\n{explanation}"
    assert "系统结论" in llm_on.requests[-1]["messages"][1]["content"]


@pytest.mark.parametrize("verdict", ["不过您不符合申报条件【1】。", "结论：您可以申报中级职称【1】。",
                                     "您满5年才可以申报【1】。"])
def test_rule_route_reply_that_decides_is_never_shown(assistant, llm_on, verdict):
    base = _extractive(assistant, RULES_Q, "rules")
    llm_on.script({"reply": f"这条规定是说，{_fragment(base['citations'][0])}【1】。{verdict}"})
    ans = assistant.ask(RULES_Q)
    assert _strip(ans) == _strip(base)


def test_clarify_keeps_the_follow_up_question(assistant, llm_on):
    base = _extractive(assistant, CLARIFY_Q, ("clarify", "rules"))
    llm_on.script({"reply": f"相关规定是：{_fragment(base['citations'][0])}【1】。"})
    ans = assistant.ask(CLARIFY_Q)
    assert ans["answer"].startswith(base["answer"])
    assert ans["decision"] == base["decision"] and ans["citations"] == base["citations"]


# --- streaming ---------------------------------------------------------------------------------

def _stream(question: str, base: dict) -> tuple[list[str], writer.RewriteStream]:
    s = writer.stream_rewrite(question, base)
    return list(s), s


def test_stream_good_reply_arrives_in_checked_chunks(assistant, llm_on):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    reply = _good_reply(base)
    llm_on.script({"reply": reply, "chunk_delay": 0.01})
    chunks, s = _stream(RETRIEVAL_Q, base)
    assert s.rewritten and len(chunks) >= 3
    assert "".join(chunks) == s.final["answer"]
    assert llm_on.requests[-1]["stream"] is True
    # the same text the non-streaming path would show
    llm_on.script({"reply": reply})
    assert assistant.ask(RETRIEVAL_Q)["answer"] == s.final["answer"]


def test_stream_rule_answer_shows_the_rule_text_first(assistant, llm_on):
    base = _extractive(assistant, RULES_Q, "rules")
    llm_on.script({"reply": f"这条规定是说，{_fragment(base['citations'][0])}【1】。"})
    chunks, s = _stream(RULES_Q, base)
    assert chunks[0].startswith(base["answer"]) and s.rewritten
    assert s.final["decision"] is base["decision"] and s.final["citations"] is base["citations"]


@pytest.mark.parametrize("kind", ["invented_number", "missing_citation", "unknown_citation", "empty"])
def test_stream_bad_reply_is_never_shown(assistant, llm_on, kind):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    bad = _bad_replies(base)[kind]
    llm_on.script({"reply": bad, "chunk_delay": 0.005})
    chunks, s = _stream(RETRIEVAL_Q, base)
    shown = "".join(chunks)
    bad_part = bad[len(_good_reply(base)):].strip() if bad.startswith(_good_reply(base)) else bad
    if bad_part:
        assert bad_part not in shown and bad_part[:8] not in shown
    assert not s.rewritten and s.final is base and s.note


@pytest.mark.parametrize("script", [
    {"delay": 4.0, "reply": "技师满3年可申报中级职称【1】。"},
    {"chunk_delay": 0.5, "reply": "依据条款，" * 20 + "【1】。"},  # drips past the 2 s deadline
    {"status": 500},
    {"broken": True, "reply": "依据条款【1】"},
])
def test_stream_slow_or_broken_falls_back(assistant, llm_on, script):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm_on.script(script)
    t0 = time.perf_counter()
    chunks, s = _stream(RETRIEVAL_Q, base)
    assert time.perf_counter() - t0 < 4.0
    assert not s.rewritten and s.final is base
    assert "依据条款" not in "".join(chunks)


def test_stream_when_off_yields_the_answer_once(assistant):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    chunks, s = _stream(RETRIEVAL_Q, base)
    assert chunks == [base["answer"]] and s.final is base and not s.rewritten


def test_extractive_only_suspends_the_hook(assistant, llm_on):
    base = _extractive(assistant, RETRIEVAL_Q, "retrieval")
    llm_on.script({"reply": _good_reply(base)})
    with writer.extractive_only():
        assert "writer" not in assistant.ask(RETRIEVAL_Q)
    assert llm_on.requests == []
