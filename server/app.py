"""The served app: FastAPI with the REST API, the MCP endpoint and (optionally) the Gradio UI mounted.

`create_app(assistant, …)` builds it around an opened `Assistant`; the lifespan runs the warm-up
(one retrieval and one rule question through `Assistant.ask`) and only then does `/healthz` say
ready. `app_from_env()` is the factory each `--workers` process calls.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from server.api import build_router, install_error_handlers
from server.guard import Credentials, Guard, LoginLimiter

log = logging.getLogger(__name__)

# Worded for the warm-up, not taken from any question set: a rule question (rules, then the
# supporting-clause search: encoder, jieba, Chroma) and a lookup (retrieval).
WARMUP = (("上海的技师已经满4年，可以申报中级职称吗？", "rules"),
          ("四川天府工匠的认定办法是什么？", "retrieval"))


@dataclass
class ServerState:
    assistant: Any
    ready: bool = False
    warmup: dict = field(default_factory=dict)
    ui: Any = None  # server.ui.LateUI when the UI is served


def warm_up(assistant) -> dict:
    """Answer the warm-up questions through the full path (and serialise them as a response would)."""
    out = {}
    for question, expected in WARMUP:
        t0 = time.perf_counter()
        ans = assistant.ask(question)
        json.dumps(ans, ensure_ascii=False)
        out[expected] = {"route": ans["route"], "ms": round((time.perf_counter() - t0) * 1000, 1)}
        if ans["route"] != expected:
            log.warning("预热问题的路由是 %s（预期 %s）：%s", ans["route"], expected, question)
    return out


def create_app(assistant, *, accounts: dict[str, str] | None = None, token: str | None = None,
               ui: bool = True, host: str = "127.0.0.1", limiter: LoginLimiter | None = None,
               ui_concurrency: int | None = None, ui_module=None, ui_socket: str | None = None,
               trust_forwarded: bool = False) -> Guard:
    """The whole served app (an ASGI callable). `ui=False` serves the API and MCP only. `ui_module`
    (a module or its name, default `app`) provides `build_app(assistant) -> gr.Blocks` and may
    provide THEME, CSS, DEFAULT_CONCURRENCY and QUEUE_MAX_SIZE."""
    from server.mcp_tools import build_mcp

    state = ServerState(assistant)
    mcp = build_mcp(state)
    mcp_app = mcp.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True,
                                      host=host)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        import anyio
        import anyio.to_thread

        async with mcp.session_manager.run():
            state.warmup = await anyio.to_thread.run_sync(warm_up, state.assistant)
            state.ready = True
            if state.ui is None:
                yield
                return
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(state.ui.start)  # the API serves meanwhile (see server/ui.py)
                try:
                    yield
                finally:
                    tasks.cancel_scope.cancel()
                    await state.ui.stop()

    app = FastAPI(title="贯通政策助手 API", version="1",
                  description="高技能人才与专业技术人才贯通政策问答。答案对象的字段见 docs/CONTRACT.md；"
                              "启用认证时用 HTTP 基本认证（与网页相同的账号）或 `Authorization: Bearer <令牌>`。",
                  lifespan=lifespan)
    app.state.server = state
    install_error_handlers(app)
    app.include_router(build_router(state))
    app.router.routes.extend(mcp_app.routes)   # /mcp, before the UI's catch-all mount at "/"
    if ui:
        from server.ui import LateUI

        state.ui = LateUI(app, assistant, accounts, ui_concurrency, ui_module)
    elif ui_socket:  # --workers N: the UI lives in one process behind this socket (server/uiproxy.py)
        from server.uiproxy import UIProxy

        app.mount("", UIProxy(ui_socket))
    guard = Guard(app, Credentials(accounts or {}, token), limiter, trust_forwarded)
    guard.state = state
    return guard


def app_from_env() -> Guard:
    """Factory for uvicorn worker processes (`--workers N`): settings come from the environment."""
    from server.serve import _quiet_shutdown

    _quiet_shutdown()  # each worker process logs a stop's cancelled streams as one line
    from assistant import Assistant

    logging.basicConfig(level=logging.WARNING)
    assistant = Assistant.load(build_if_missing=False)
    from server.cli import parse_auth

    return create_app(assistant, accounts=dict(parse_auth(os.environ.get("GUANTONG_AUTH")) or []),
                      token=os.environ.get("GUANTONG_API_TOKEN") or None,
                      ui=os.environ.get("GUANTONG_SERVE_UI", "1") == "1",
                      host=os.environ.get("GUANTONG_SERVE_HOST", "127.0.0.1"),
                      ui_socket=os.environ.get("GUANTONG_UI_SOCKET") or None,
                      trust_forwarded=os.environ.get("GUANTONG_TRUST_FORWARDED") == "1")
