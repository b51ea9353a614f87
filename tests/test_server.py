"""The served app in-process (Starlette's TestClient): REST routes, errors, limits, auth, headers."""
from __future__ import annotations

import base64
import datetime as dt
import json
import time

import pytest

from server.api import BATCH_MAX
from server.app import WARMUP, create_app
from server.guard import LoginLimiter

AS_OF = "2026-11-21"
Q = "我在上海，技师满4年，能申报中级职称吗？"


def _client(assistant, **kw):
    from fastapi.testclient import TestClient

    return TestClient(create_app(assistant, ui=kw.pop("ui", False), **kw))


@pytest.fixture(scope="module")
def api(assistant):
    with _client(assistant) as client:  # `with` runs the lifespan: warm-up, MCP session manager
        yield client


def _no_latency(ans: dict) -> dict:
    return {k: v for k, v in ans.items() if k != "latency_ms"}


def _is_error_form(body: dict, kind: str = "input") -> bool:
    return (body["route"] == "error" and body["error_kind"] == kind and body["error"] == body["answer"]
            and any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]) and body["citations"] == [])


def test_ask_is_the_assistants_answer(api, assistant):
    r = api.post("/api/v1/ask", json={"question": Q, "as_of": AS_OF})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["route"] == "rules" and body["decision"]["eligible"] is True and body["citations"]
    assert _no_latency(body) == _no_latency(assistant.ask(Q, as_of=AS_OF))


def test_facts_round_trip_for_a_follow_up(api):
    first = api.post("/api/v1/ask", json={"question": "我是技师，拿证4年了，能申报中级职称吗？", "as_of": AS_OF}).json()
    assert first["route"] == "clarify" and first["decision"]["follow_up"]
    second = api.post("/api/v1/ask", json={"question": "上海", "as_of": AS_OF, "facts": first["facts"], "id": 7}).json()
    assert second["route"] == "rules" and second["decision"]["eligible"] is True and second["id"] == 7


@pytest.mark.parametrize("payload, fragment", [
    ({"question": 5}, "question（问题） 必须是文字"),
    ({}, "缺少字段 question"),
    ({"question": Q, "nonsense": 1}, "不认识的字段 nonsense"),
    ({"question": Q, "facts": [1, 2]}, "facts（上一轮的事实） 必须是 JSON 对象"),
    ({"question": "   "}, "问题是空的"),
    ({"question": Q, "as_of": "2026-13-01"}, "日期格式不对"),
    ({"question": Q, "facts": {"regions": "上海"}}, "facts"),
])
def test_bad_input_is_a_chinese_input_error(api, payload, fragment):
    r = api.post("/api/v1/ask", json=payload)
    assert r.status_code == 400
    assert _is_error_form(r.json()) and fragment in r.json()["error"]


def test_body_that_is_not_json(api):
    for raw in (b"{not json", "问题".encode(), b"[1, 2]"):
        r = api.post("/api/v1/ask", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and _is_error_form(r.json())


def test_oversized_bodies_are_refused_before_parsing(api):
    padded = json.dumps({"question": Q + " " * 3_000_000})
    t0 = time.perf_counter()
    r = api.post("/api/v1/ask", content=padded, headers={"content-type": "application/json"})
    assert r.status_code == 413 and _is_error_form(r.json()) and "请求太大" in r.json()["error"]
    assert time.perf_counter() - t0 < 2.0

    def chunks():  # no Content-Length: the guard counts while reading
        for _ in range(100):
            yield b" " * 10_000

    r = api.post("/api/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and _is_error_form(r.json())
    r = api.post("/gradio_api/queue/join", content=b"x" * (2 * 1024 * 1024))
    assert r.status_code == 413


def test_batch_keeps_order_and_answers_the_good_items(api):
    items = [{"id": "a", "question": Q}, {"id": "b", "question": ""}, {"id": "c", "question": "四川天府工匠的认定办法是什么？"}]
    r = api.post("/api/v1/batch", json={"items": items, "as_of": AS_OF})
    assert r.status_code == 200
    answers = r.json()["answers"]
    assert [a["id"] for a in answers] == ["a", "b", "c"]
    assert answers[0]["route"] == "rules" and _is_error_form(answers[1]) and answers[2]["route"] == "retrieval"


def test_batch_is_bounded(api):
    r = api.post("/api/v1/batch", json={"items": [{"question": Q}] * (BATCH_MAX + 1)})
    assert r.status_code == 400 and _is_error_form(r.json()) and str(BATCH_MAX) in r.json()["error"]
    r = api.post("/api/v1/batch", json={"items": "不是列表"})
    assert r.status_code == 400 and _is_error_form(r.json())


def test_documents_with_validity_on_a_date(api, assistant):
    seen = set()
    for day in ("2000-01-01", AS_OF, "2040-01-01"):
        got = api.get("/api/v1/documents", params={"as_of": day}).json()
        assert got["as_of"] == day and len(got["documents"]) == len(assistant.catalog)
        by_doc = {d["doc"]: d["validity"] for d in got["documents"]}
        assert by_doc == {m.doc: m.validity_on(dt.date.fromisoformat(day)) for m in assistant.catalog.values()}
        seen |= set(by_doc.values())
    assert {"not_yet", "valid", "expired"} <= seen  # the dates above exercise every state
    bad = api.get("/api/v1/documents", params={"as_of": "明天"})
    assert bad.status_code == 400 and _is_error_form(bad.json())


def test_healthz_is_ready_only_after_the_warm_up(assistant):
    from fastapi.testclient import TestClient

    app = create_app(assistant, ui=False)
    cold = TestClient(app)  # no `with`: the lifespan (warm-up) has not run
    assert cold.get("/healthz").status_code == 503
    with TestClient(app) as warm:
        r = warm.get("/healthz")
        assert r.status_code == 200 and r.json()["status"] == "ready"
        routes = {k: v["route"] for k, v in app.state.warmup.items()}
        assert routes == {expected: expected for _, expected in WARMUP}  # a rule and a retrieval answer


def test_unknown_route_and_method_in_error_form(api):
    r = api.get("/api/v1/nothing")
    assert r.status_code == 404 and _is_error_form(r.json())
    r = api.get("/api/v1/ask")
    assert r.status_code == 405 and _is_error_form(r.json())


def test_security_headers_on_every_response(api):
    for r in (api.get("/healthz"), api.post("/api/v1/ask", json={}), api.get("/docs"), api.get("/nope")):
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_openapi_documents_the_routes(api):
    spec = api.get("/openapi.json").json()
    assert {"/api/v1/ask", "/api/v1/batch", "/api/v1/documents", "/healthz"} <= set(spec["paths"])
    assert api.get("/docs").status_code == 200


def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_auth_closes_the_api_and_locks_out_guessing(assistant):
    with _client(assistant, accounts={"hr": "s3cret-口令"}, token="tok-123",
                 limiter=LoginLimiter(max_failures=3, window_s=60, lockout_s=60)) as c:
        body = {"question": Q, "as_of": AS_OF}
        assert c.get("/healthz").status_code == 200  # probes need no credentials and learn nothing
        for path in ("/openapi.json", "/docs"):
            assert c.get(path).status_code == 401
        r = c.post("/api/v1/ask", json=body)
        assert r.status_code == 401 and _is_error_form(r.json()) and "www-authenticate" in r.headers
        assert c.post("/api/v1/ask", json=body, headers=_basic("hr", "s3cret-口令")).status_code == 200
        assert c.post("/api/v1/ask", json=body, headers={"Authorization": "Bearer tok-123"}).status_code == 200
        assert c.post("/mcp", json={}, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/v1/ask", json=body, headers=_basic("hr", "guess")).status_code == 401
        assert c.post("/api/v1/ask", json=body, headers=_basic("hr", "guess2")).status_code == 401
        # three wrong credentials (the bearer one counts): locked out, even with the right password
        locked = c.post("/api/v1/ask", json=body, headers=_basic("hr", "s3cret-口令"))
        assert locked.status_code == 429 and "retry-after" in locked.headers and _is_error_form(locked.json())


def wait_for_ui(client, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        health = client.get("/healthz").json()
        if health.get("ui") != "starting":
            return health
        time.sleep(0.1)
    raise AssertionError("the UI did not start")


@pytest.fixture(scope="module")
def ui(assistant):
    with _client(assistant, ui=True, accounts={"hr": "pw-123456"},
                 limiter=LoginLimiter(max_failures=5, window_s=60, lockout_s=60)) as client:
        assert wait_for_ui(client)["ui"] == "ready"
        yield client


def test_api_serves_while_the_ui_is_still_starting(assistant):
    with _client(assistant, ui=True) as client:
        health = client.get("/healthz").json()
        assert health["status"] == "ready"  # warm-up done: answers do not wait for Gradio
        if health["ui"] == "starting":  # usually still building: "/" says so in Chinese
            page = client.get("/")
            assert page.status_code in (200, 503)
            if page.status_code == 503:
                assert "正在启动" in page.text
        assert client.post("/api/v1/ask", json={"question": Q, "as_of": AS_OF}).json()["route"] == "rules"
        assert wait_for_ui(client)["ui"] == "ready"
        page = client.get("/")
        assert page.status_code == 200 and "正在启动" not in page.text


def test_ui_page_has_the_headers_and_no_upload(ui):
    page = ui.get("/")
    assert page.status_code == 200 and page.headers["x-frame-options"] == "DENY"
    assert "script-src" in page.headers["content-security-policy"]
    r = ui.post("/gradio_api/upload", files={"files": ("a.txt", b"x" * 1000)})
    assert r.status_code == 403 and _is_error_form(r.json())


def test_ui_login_is_rate_limited(ui):
    for i in range(5):
        assert ui.post("/login", data={"username": "hr", "password": f"wrong{i}"}).status_code == 400
    r = ui.post("/login", data={"username": "hr", "password": "pw-123456"})
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["error"]
