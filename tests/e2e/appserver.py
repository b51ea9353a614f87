"""Start `python app.py` in a subprocess on a free loopback port (for the client and browser tests)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from server.serve import stop_process

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(url + "/gradio_api/info", timeout=2) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError as exc:  # 401 with --auth: the server is up
            if exc.code in (401, 403):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"app.py did not start within {STARTUP_TIMEOUT_S}s:\n{log.read_text(encoding='utf-8')}")


@contextlib.contextmanager
def running_app(data_dir: Path, log_dir: Path, auth: str | None = None, extra_env: dict | None = None):
    """Yields the base URL of a running app; the process is stopped (by its own pid) afterwards."""
    port = free_port()
    env = dict(os.environ)
    env.update({"GUANTONG_DATA_DIR": str(data_dir), "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"})
    env.pop("GUANTONG_AUTH", None)
    if auth:
        env["GUANTONG_AUTH"] = auth
    env.update(extra_env or {})
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"app-{port}.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, proc, log)
            yield url
        finally:
            stop_process(proc)
