"""Run the app with uvicorn: one process (UI + API + MCP), or `--workers N` API processes + one UI process.

Why the UI needs one process: Gradio keeps logins and its event queue in process memory, and
the kernel hands each connection to any worker, so a browser's login or queued event would
land in a process that never saw it. With `--workers N` (N > 1) the N processes serve the
REST API, MCP and /healthz on the port (stateless, any worker can answer anything) and pass
UI requests to one UI process on a private unix socket (server/uiproxy.py). The index is opened
read-only by every process (each has its own clause store and BM25 in memory; the encoder's
big table is mmapped from the index cache, and Chroma's files are shared through the page cache).
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
from pathlib import Path

# Answers are CPU-bound (~5-8 ms). On 2 cores one process answered 110-200 q/s depending on what
# else ran, 2 API workers 200-300 q/s (docs/benchmarks.md). The default stays 1: one process
# starts fastest (~2 s to ready) and uses a third of the memory of 2 workers + the UI process.
DEFAULT_WORKERS = 1
UVICORN = {"log_level": "warning", "access_log": False, "timeout_keep_alive": 15, "limit_concurrency": 1000,
           "timeout_graceful_shutdown": 5,  # open event streams (Gradio, the UI proxy) must not hold up a stop
           "h11_max_incomplete_event_size": 64 * 1024}


def stop_process(proc: subprocess.Popen, grace: float = 15) -> None:
    """Stop a child server: SIGTERM, then SIGKILL if it has not exited within `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class _QuietCancelAtShutdown(logging.Filter):
    """At a stop, event streams still open past the graceful timeout are cancelled: expected, so one
    line instead of a traceback in the log (a traceback there would read as a fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, asyncio.CancelledError):
            record.exc_info, record.exc_text = None, None
            record.msg, record.args = "停止服务时取消了仍打开的连接（事件流）。", ()
        return True


def _quiet_shutdown() -> None:
    for name in ("uvicorn.error", "uvicorn"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietCancelAtShutdown) for f in logger.filters):
            logger.addFilter(_QuietCancelAtShutdown())


def serve(assistant, host: str, port: int, accounts: dict[str, str] | None = None, token: str | None = None,
          ui_concurrency: int | None = None, ui_module=None) -> int:
    """One process: the UI, the REST API and MCP on host:port (blocks until stopped)."""
    import uvicorn

    from server.app import create_app

    sock = _bind(host, port)  # before building the app: a busy port fails fast, as OSError for the caller
    app = create_app(assistant, accounts=accounts, token=token, ui=True, host=host,
                     ui_concurrency=ui_concurrency, ui_module=ui_module)
    _quiet_shutdown()
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, **UVICORN)).run(sockets=[sock])
    return 0


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket (uvicorn itself would log the error and exit, without our message)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve_workers(workers: int, host: str, port: int, auth: str | None, token: str | None,
                  data_dir: str | None = None, ui: bool = True) -> int:
    """N API processes sharing host:port (each opens the existing index itself), plus — with `ui` —
    one UI process behind them on a private unix socket (server/uiproxy.py)."""
    import shutil
    import tempfile

    import uvicorn

    from server.uiproxy import start_ui_process

    _bind(host, port).close()  # fail fast with the caller's message if the port is taken
    os.environ.update({"GUANTONG_SERVE_UI": "0", "GUANTONG_SERVE_HOST": host})
    if data_dir:
        os.environ["GUANTONG_DATA_DIR"] = str(data_dir)
    if auth:
        os.environ["GUANTONG_AUTH"] = auth
    if token:
        os.environ["GUANTONG_API_TOKEN"] = token
    private = Path(tempfile.mkdtemp(prefix="guantong-ui-"))  # 0700: only this user reaches the socket
    ui_proc = None
    try:
        if ui:
            socket_path = private / "ui.sock"
            ui_proc = start_ui_process(socket_path, dict(os.environ))
            os.environ["GUANTONG_UI_SOCKET"] = str(socket_path)
        # uvicorn kills a worker that misses a 5 s health ping; loading the index (GIL-bound) on a busy
        # machine can take longer than that, which made workers restart in a loop.
        uvicorn.run("server.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    timeout_worker_healthcheck=60, **UVICORN)
    finally:
        if ui_proc is not None:
            stop_process(ui_proc)
        shutil.rmtree(private, ignore_errors=True)
    return 0
