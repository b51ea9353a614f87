"""`--workers N` with the UI: one private UI process behind the N API workers.

Gradio keeps logins and its event queue in process memory, so every UI request must reach the
same process. With N > 1 the launcher starts one UI process (the full app, listening on a
unix socket in a private temp dir, unreachable over TCP) and the N workers on the public port
answer the API and MCP themselves and stream every other request (pages, Gradio's queue and
event streams, login) to it. UI traffic is people typing; the proxy's cost is small next to the
API traffic the workers spread over the cores.

The workers' guard (limits, headers, login lockout by the real client address) runs before the
proxy; the UI process trusts `X-Forwarded-For` only on its unix socket.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from server.api import json_response
from server.guard import error_body
from server.ui import STARTING_PAGE

HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailers",
              b"transfer-encoding", b"upgrade", b"content-length", b"host"}


class UIProxy:
    """ASGI app: forward the request to the UI process on `socket_path`, streaming the response."""

    def __init__(self, socket_path: str):
        self.socket_path = socket_path
        self._client = None

    def _http(self):
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(uds=self.socket_path),
                                             timeout=httpx.Timeout(10.0, read=None))
        return self._client

    async def __call__(self, scope, receive, send):
        import httpx

        if scope["type"] != "http":
            return
        if scope["path"].startswith(("/api/", "/mcp")):  # API paths are the workers' own: unknown ones are 404
            await json_response(error_body("没有这个接口。可用接口见 /docs。"), 404)(scope, receive, send)
            return
        body = b""
        while True:  # the guard has already bounded and buffered it
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP or k.lower() == b"host"]
        client = (scope.get("client") or ("", 0))[0]
        headers = [(k, v) for k, v in headers if k.lower() != b"x-forwarded-for"] + \
            [(b"x-forwarded-for", client.encode("latin-1"))]
        url = "http://ui" + scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        request = self._http().build_request(scope["method"], url, headers=headers, content=body)
        try:
            upstream = await self._http().send(request, stream=True)
        except httpx.TransportError:
            if scope["path"] in ("", "/"):
                await _html(send, STARTING_PAGE)
            else:
                await json_response(error_body("网页界面正在启动，请稍后再试。"), 503)(scope, receive, send)
            return
        try:
            await send({"type": "http.response.start", "status": upstream.status_code,
                        "headers": [(k.lower(), v) for k, v in upstream.headers.raw if k.lower() not in HOP_BY_HOP]})
            async for chunk in upstream.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (OSError, httpx.TransportError):  # the browser or the UI process went away mid-stream
            pass
        except asyncio.CancelledError:
            # a stop: uvicorn cancels event streams still open after its grace period; end this
            # one quietly instead of logging a traceback for an ordinary shutdown
            pass
        finally:
            await upstream.aclose()


async def _html(send, page: str) -> None:
    data = page.encode("utf-8")
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"retry-after", b"2")]})
    await send({"type": "http.response.body", "body": data})


def start_ui_process(socket_path: Path, env: dict) -> subprocess.Popen:
    """`python -m server.uiproxy <socket>`: the one UI process (its own index handle and warm-up)."""
    return subprocess.Popen([sys.executable, "-m", "server.uiproxy", str(socket_path)], env=env,
                            cwd=os.getcwd())


def _serve_ui(socket_path: str) -> int:
    import uvicorn

    from server.app import app_from_env
    from server.serve import UVICORN

    os.environ["GUANTONG_SERVE_UI"] = "1"
    os.environ["GUANTONG_TRUST_FORWARDED"] = "1"  # only proxies on the same machine can reach the socket
    app = app_from_env()
    config = {k: v for k, v in UVICORN.items() if k != "limit_concurrency"}
    from server.serve import _quiet_shutdown

    _quiet_shutdown()
    uvicorn.run(app, uds=socket_path, **config)
    return 0


if __name__ == "__main__":
    sys.exit(_serve_ui(sys.argv[1]))
