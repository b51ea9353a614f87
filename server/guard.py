"""The gate in front of every route: body limits, auth, login lockout, upload refusal, security headers.

One pure-ASGI middleware (no BaseHTTPMiddleware: it would buffer streaming Gradio responses and
cost a few hundred microseconds per API call). Everything it refuses is answered in the
contract's error form with a Chinese message, before the request body reaches any parser.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field

# Body limits by path prefix (first match wins). A question is at most 2,000 characters; facts
# are a small object; a batch is at most BATCH_MAX items. Gradio's own routes carry the chat
# history, which the UI caps, so 1 MB is generous there and still stops a 50 MB forged history.
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/v1/ask", 64 * 1024),
    ("/api/v1/batch", 1024 * 1024),
    ("/mcp", 256 * 1024),
    ("/", 1024 * 1024),
)
# Gradio's pages need inline scripts/styles and blob:/data: images; nothing may frame the app.
# Swagger UI (/docs) loads its bundle from jsdelivr, so those two pages allow that one origin.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: data:; "
       "connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'")
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' https://cdn.jsdelivr.net").replace(
    "style-src 'self'", "style-src 'self' https://cdn.jsdelivr.net").replace(
    "img-src 'self'", "img-src 'self' https://fastapi.tiangolo.com")
SECURITY_HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin")]
# Paths that need the API credentials when auth is configured (the UI has Gradio's own login).
PROTECTED = ("/api/", "/mcp", "/docs", "/redoc", "/openapi.json")
# Gradio routes that take files; the app has no upload component, so they are refused outright.
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")


def error_body(message: str, kind: str = "input") -> dict:
    """The contract's error form (the same fields `Assistant.ask` gives a bad question)."""
    return {"route": "error", "answer": message, "error": message, "error_kind": kind,
            "decision": None, "citations": [], "warnings": [], "facts": {}}


def json_bytes(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


@dataclass
class LoginLimiter:
    """Failed logins per client: `max_failures` within `window_s` locks the client out for `lockout_s`.

    Per process: with several workers an attacker gets at most workers × max_failures tries per window.
    """

    max_failures: int = 5
    window_s: float = 300.0
    lockout_s: float = 300.0
    _failures: dict[str, deque] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again (0: not locked)."""
        with self._lock:
            until = self._locked_until.get(client, 0.0)
            left = until - time.monotonic()
            if left <= 0:
                self._locked_until.pop(client, None)
                return 0
            return int(left) + 1

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            q = self._failures.setdefault(client, deque())
            q.append(now)
            while q and q[0] < now - self.window_s:
                q.popleft()
            if len(q) >= self.max_failures:
                self._locked_until[client] = now + self.lockout_s
                q.clear()
            if len(self._failures) > 10_000:  # a flood of distinct clients must not grow memory
                for key in [k for k, v in self._failures.items() if not v][:5_000]:
                    del self._failures[key]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


@dataclass
class Credentials:
    """Who may call the API: basic-auth accounts (the UI's --auth) and/or a bearer token."""

    accounts: dict[str, str] = field(default_factory=dict)
    token: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.accounts or self.token)

    def check(self, header: str | None) -> bool:
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "bearer" and self.token:
            return hmac.compare_digest(value.strip().encode(), self.token.encode())
        if scheme == "basic" and self.accounts:
            try:
                user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            expected = self.accounts.get(user)
            # compare even for an unknown user so timing does not tell which user names exist
            ok = hmac.compare_digest(password.encode(), (expected or "\0").encode())
            return bool(sep and expected is not None and ok)
        return False


def _limit_for(path: str) -> int:
    return next(limit for prefix, limit in BODY_LIMITS if path.startswith(prefix))


class Guard:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app, credentials: Credentials | None = None, limiter: LoginLimiter | None = None,
                 trust_forwarded: bool = False):
        self.app = app
        self.credentials = credentials or Credentials()
        self.limiter = limiter or LoginLimiter()
        # behind server/uiproxy.py (a unix socket only local proxies reach): the client is X-Forwarded-For
        self.trust_forwarded = trust_forwarded

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        csp = (DOCS_CSP if path in ("/docs", "/redoc") else CSP).encode()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in _OURS]
                message = dict(message, headers=headers + SECURITY_HEADERS + [(b"content-security-policy", csp)])
            await send(message)

        client = (scope.get("client") or ("?", 0))[0]
        if self.trust_forwarded:
            client = (_header(scope, b"x-forwarded-for") or client).split(",")[-1].strip()
        if any(path == p or path.startswith(p + "/") for p in UPLOAD_PATHS):
            return await _reply(send_with_headers, 403, "本应用不接受文件上传。")
        is_login = scope["method"] == "POST" and path.rstrip("/").endswith("/login")
        protected = self.credentials.enabled and path.startswith(PROTECTED)
        if is_login or protected:
            wait = self.limiter.retry_after(client)
            if wait:
                return await _reply(send_with_headers, 429, f"登录失败次数过多，请 {wait} 秒后再试。",
                                    [(b"retry-after", str(wait).encode())])
        if protected:
            given = _header(scope, b"authorization")
            if not self.credentials.check(given):
                if given:  # a wrong credential is a guess; no credential at all is not
                    self.limiter.failed(client)
                return await _reply(send_with_headers, 401, "需要登录：请用 HTTP 基本认证（与网页相同的账号）"
                                    "或 Authorization: Bearer <令牌> 调用接口。",
                                    [(b"www-authenticate", b'Basic realm="guantong", charset="UTF-8"')])
            self.limiter.succeeded(client)

        if scope["method"] in ("POST", "PUT", "PATCH"):
            limit = _limit_for(path)
            declared = _header(scope, b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                return await _reply(send_with_headers, 413, f"请求太大（上限 {limit // 1024} KB），请精简后再试。")
            body = await _read_body(receive, limit)
            if body is None:
                return await _reply(send_with_headers, 413, f"请求太大（上限 {limit // 1024} KB），请精简后再试。")
            receive = _replay(body, receive)

        if not is_login:
            return await self.app(scope, receive, send_with_headers)

        status = {}

        async def watch_login(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send_with_headers(message)

        await self.app(scope, receive, watch_login)
        if status.get("code") in (400, 401, 403):
            self.limiter.failed(client)
        elif status.get("code") == 200:
            self.limiter.succeeded(client)


_OURS = {b"x-frame-options", b"x-content-type-options", b"referrer-policy", b"content-security-policy"}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` (chunked bodies have no length up front)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect as the app expects
    return replay


async def _reply(send, status: int, message: str, extra: list | None = None) -> None:
    body = json_bytes(error_body(message))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + (extra or [])})
    await send({"type": "http.response.body", "body": body})
