"""REST JSON API: `POST /api/v1/ask`, `POST /api/v1/batch`, `GET /api/v1/documents`, `GET /healthz`.

Answers are `Assistant.ask`'s answer object serialised once with `json.dumps(ensure_ascii=False)`,
exactly as the CLI prints it, so REST, MCP, gradio_client and the CLI give the same bytes for the
same question, as_of and facts (latency aside). The routes are plain `def`s: FastAPI runs them in
its thread pool, so a slow answer never blocks the event loop.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.guard import error_body, json_bytes

BATCH_MAX = 50
JSON = "application/json; charset=utf-8"


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "我在上海，技师满4年，能申报中级职称吗？", "as_of": "2026-11-21"}]})

    question: str = Field(description="问题（不超过 2000 字）")
    as_of: str | None = Field(None, description="按哪一天的有效文件判断，YYYY-MM-DD；省略为今天")
    facts: dict[str, Any] | None = Field(None, description="上一轮答案的 facts，原样传回即可多轮追问")
    id: str | int | None = Field(None, description="调用方自己的编号，原样返回")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[AskRequest] = Field(description=f"最多 {BATCH_MAX} 个问题，按顺序回答")
    as_of: str | None = Field(None, description="各项未给 as_of 时使用的日期")


# Answers are CPU-bound and hold the GIL most of the time: running many at once in threads only
# interleaves them (10 at once: each takes ~10× as long, p95 doubles, throughput unchanged).
# A small limiter keeps the rest waiting in arrival order instead. Measured in docs/benchmarks.md.
ANSWER_THREADS = int(os.environ.get("GUANTONG_ANSWER_THREADS") or 2)
_limiter: anyio.CapacityLimiter | None = None


async def run_sync(fn, *args):
    global _limiter
    if _limiter is None:  # created inside the running event loop
        _limiter = anyio.CapacityLimiter(ANSWER_THREADS)
    return await anyio.to_thread.run_sync(fn, *args, limiter=_limiter)


def answer_status(ans: dict) -> int:
    if ans.get("route") != "error":
        return 200
    return 500 if ans.get("error_kind") == "internal" else 400


def json_response(obj, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json_bytes(obj), status_code=status, media_type=JSON, headers=headers)


def ask_one(assistant, req: AskRequest, default_as_of: str | None = None) -> dict:
    # id kept as given (string or number), as `python -m assistant batch` does
    return assistant.ask(req.question, as_of=req.as_of or default_as_of or None, facts=req.facts, qid=req.id)


def documents(assistant, day: dt.date) -> list[dict]:
    out = []
    for meta in assistant.catalog.values():
        out.append({
            "doc": meta.doc, "title": meta.title, "issuer": meta.issuer, "province": meta.province,
            "city": meta.city, "region": meta.region,
            "issued": meta.issued.isoformat() if meta.issued else None,
            "effective": meta.effective.isoformat() if meta.effective else None,
            "valid_until": meta.valid_until.isoformat() if meta.valid_until else None,
            "validity": meta.validity_on(day), "validity_note": meta.validity_note,
        })
    return out


def build_router(state) -> APIRouter:
    """`state` has `.assistant` and `.ready` (set by the app's lifespan after the warm-up)."""
    from assistant.service import QuestionError, parse_as_of

    router = APIRouter()
    answer_doc = {200: {"description": "合同规定的答案对象（route、answer、decision、citations、warnings、facts）"},
                  400: {"description": "输入有误：route 为 error，error_kind 为 input，error 为中文说明"}}

    @router.post("/api/v1/ask", summary="回答一个问题", responses=answer_doc, tags=["问答"])
    async def ask(req: AskRequest) -> Response:
        ans = await run_sync(ask_one, state.assistant, req)
        return json_response(ans, answer_status(ans))

    @router.post("/api/v1/batch", summary=f"按顺序回答最多 {BATCH_MAX} 个问题", tags=["问答"],
                 responses={200: {"description": "{\"answers\": [答案对象, …]}，坏的一项得到 route 为 error 的答案"}})
    async def batch(req: BatchRequest) -> Response:
        if len(req.items) > BATCH_MAX:
            return json_response(error_body(f"一次最多 {BATCH_MAX} 个问题（收到 {len(req.items)} 个），请分批提交。"), 400)
        # one item at a time through the limiter: a batch never holds more than its share of the CPU
        return json_response({"answers": [await run_sync(ask_one, state.assistant, item, req.as_of)
                                          for item in req.items]})

    @router.get("/api/v1/documents", summary="收录的政策文件及其在某日的有效状态", tags=["文件"])
    def list_documents(as_of: str | None = Query(None, description="YYYY-MM-DD；省略为今天")) -> Response:
        try:
            day = parse_as_of(as_of)
        except QuestionError as exc:
            return json_response(error_body(str(exc)), 400)
        return json_response({"as_of": day.isoformat(), "documents": documents(state.assistant, day)})

    @router.get("/healthz", summary="就绪检查：预热（一次检索、一次规则判断）完成后才返回 200", tags=["运维"])
    def healthz() -> Response:
        if not state.ready:
            return json_response({"status": "starting"}, 503)
        body = {"status": "ready", "documents": len(state.assistant.catalog),
                "clauses": len(state.assistant.index.clauses)}
        if state.ui is not None:
            body["ui"] = state.ui.status  # starting | ready | failed: the API does not wait for the UI
        return json_response(body)

    return router


def install_error_handlers(app: FastAPI) -> None:
    """FastAPI's own errors (bad JSON, wrong field types, unknown route) in the contract's error form."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> Response:
        return json_response(error_body(describe_validation(exc.errors())), 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "没有这个接口。可用接口见 /docs。", 405: "这个接口不支持该请求方法。"}
        message = messages.get(exc.status_code, f"请求无法处理（HTTP {exc.status_code}）。")
        return json_response(error_body(message, "input" if exc.status_code < 500 else "internal"),
                             exc.status_code, getattr(exc, "headers", None))


_FIELD_NAMES = {"question": "question（问题）", "as_of": "as_of（日期）", "facts": "facts（上一轮的事实）",
                "id": "id（编号）", "items": "items（问题列表）"}


def describe_validation(errors) -> str:
    """Pydantic's errors → one Chinese sentence naming the fields (never echoing the input back)."""
    parts = []
    for err in list(errors)[:5]:
        loc = [str(x) for x in err.get("loc", ()) if x != "body"]
        kind = err.get("type", "")
        if kind in ("json_invalid", "json_type") or (not loc and "json" in kind):
            return "请求体不是合法的 JSON。请发送 JSON 对象，例如 {\"question\": \"…\"}。"
        if not loc:
            parts.append("请求体应为 JSON 对象")
            continue
        name = ".".join(_FIELD_NAMES.get(x, x) for x in loc)
        if kind == "missing":
            parts.append(f"缺少字段 {name}")
        elif kind == "extra_forbidden":
            parts.append(f"不认识的字段 {name}")
        elif kind.startswith("string"):
            parts.append(f"{name} 必须是文字")
        elif kind.startswith("dict") or kind == "model_type":
            parts.append(f"{name} 必须是 JSON 对象")
        elif kind.startswith("list"):
            parts.append(f"{name} 必须是列表")
        else:
            parts.append(f"{name} 的值不对")
    return "请求格式不对：" + "；".join(dict.fromkeys(parts)) + "。"
