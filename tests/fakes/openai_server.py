"""A scripted OpenAI-compatible `/v1/chat/completions` server on loopback, for the LLM-writer tests.

Each request takes the next script from the queue (or the default). A script is a dict:
  {"reply": "text"}                 a normal reply (JSON, or SSE chunks when the request streams)
  {"reply": fn}                     fn(request_json) -> text, for replies built from the prompt
  {"delay": 3.0, ...}               sleep before answering (beyond the client's timeout)
  {"status": 500}                   an HTTP error with an OpenAI-style error body
  {"broken": True}                  HTTP 200 with a body that is not JSON (or a torn SSE stream)
  {"chunk_delay": 0.05}             pause between SSE chunks
Every request body is kept in `.requests` so tests can look at the prompt.
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

Script = dict


def _completion(text: str, model: str) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict, finish: str | None = None) -> bytes:
    body = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n\n"


def split_for_stream(text: str, size: int = 7) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


class FakeOpenAI:
    """`with FakeOpenAI() as fake: fake.base_url` → http://127.0.0.1:PORT/v1"""

    def __init__(self, default: Script | None = None):
        self.queue: deque[Script] = deque()
        self.default: Script = default or {"reply": "（未设定回复）"}
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *scripts: Script) -> FakeOpenAI:
        self.queue.extend(scripts)
        return self

    def _next(self) -> Script:
        with self._lock:
            return self.queue.popleft() if self.queue else self.default

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                request = json.loads(raw or b"{}")
                with fake._lock:
                    fake.requests.append(request)
                script = fake._next()
                time.sleep(float(script.get("delay", 0)))
                model = request.get("model", "fake")
                if "status" in script:
                    err = {"error": {"message": "scripted failure", "type": "server_error", "code": None}}
                    self._send(int(script["status"]), json.dumps(err).encode())
                    return
                reply = script.get("reply", "")
                text = reply(request) if isinstance(reply, Callable) else str(reply)
                if not request.get("stream"):
                    body = b"{not json" if script.get("broken") else \
                        json.dumps(_completion(text, model), ensure_ascii=False).encode("utf-8")
                    self._send(200, body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(_chunk(model, {"role": "assistant", "content": ""}))
                    for piece in split_for_stream(text):
                        self.wfile.write(_chunk(model, {"content": piece}))
                        self.wfile.flush()
                        time.sleep(float(script.get("chunk_delay", 0)))
                    if script.get("broken"):
                        self.wfile.write(b"data: {\"choices\": [{\"delta\": {\"content\n\n")
                    else:
                        self.wfile.write(_chunk(model, {}, "stop"))
                        self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): fine
                self.close_connection = True

        return Handler
