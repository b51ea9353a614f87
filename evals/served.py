"""Served benchmark: start → /healthz ready, the first request after ready, and POST /api/v1/ask
throughput/latency at 1, 10 and 50 keep-alive connections; the Gradio `/ask` path beside it.

Loopback only (the server is started here on 127.0.0.1 and nothing else is contacted); every
level is bounded in requests and seconds. The load generator is a minimal asyncio HTTP/1.1
client (raw streams, one keep-alive connection per simulated client): it costs far less CPU
than httpx or aiohttp, which matters because it shares the 2 cores with the server.
"""
from __future__ import annotations

import asyncio
import json
import os
import queue
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
LEVELS = (1, 10, 50)
MAX_REQUESTS = {1: 300, 10: 1500, 50: 1500}
MAX_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


# --- a minimal keep-alive HTTP/1.1 client --------------------------------------------------------

async def _post(reader, writer, port: int, path: str, body: bytes) -> tuple[int, bytes]:
    writer.write(f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length")
    return status, await reader.readexactly(length)


async def _load(port: int, bodies: list[bytes], connections: int, max_requests: int, max_seconds: float) -> dict:
    latencies, server_ms, errors, routes = [], [], 0, {}
    issued = 0
    deadline = time.perf_counter() + max_seconds

    async def client(k: int) -> None:
        nonlocal issued, errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while issued < max_requests and time.perf_counter() < deadline:
                body = bodies[issued % len(bodies)]
                issued += 1
                t0 = time.perf_counter()
                try:
                    status, data = await _post(reader, writer, port, "/api/v1/ask", body)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                latencies.append((time.perf_counter() - t0) * 1000)
                ans = json.loads(data)
                if status != 200 or ans.get("route") == "error":
                    errors += 1
                routes[ans.get("route")] = routes.get(ans.get("route"), 0) + 1
                server_ms.append(ans.get("latency_ms") or 0.0)
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(connections)))
    seconds = time.perf_counter() - t0
    return {"connections": connections, "requests": len(latencies), "errors": errors, "seconds": seconds,
            "qps": len(latencies) / seconds, "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99), "server_mean_ms": sum(server_ms) / max(len(server_ms), 1),
            "routes": routes}


def load(port: int, questions: list[dict], connections: int) -> dict:
    bodies = [json.dumps(q, ensure_ascii=False).encode() for q in questions]
    return asyncio.run(_load(port, bodies, connections, MAX_REQUESTS[connections], MAX_SECONDS))


# --- the served app in a subprocess ----------------------------------------------------------------

def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def start_app(repo: Path, env: dict, workers: int, timeout: float = 120.0) -> tuple[subprocess.Popen, int, float]:
    """`python app.py` on a free loopback port; returns (process, port, seconds until /healthz said ready)."""
    port = free_port()
    env = dict(env, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", GRADIO_ANALYTICS_ENABLED="False")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(repo / "app.py"), "--host", HOST, "--port", str(port),
                             "--workers", str(workers)], cwd=repo, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
        try:
            if _get(f"http://{HOST}:{port}/healthz")[0] == 200:
                return proc, port, time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.05)
    stop(proc)
    raise TimeoutError(f"app.py did not become ready within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    from server.serve import stop_process

    stop_process(proc)


def first_request(port: int, question: str) -> dict:
    req = urllib.request.Request(f"http://{HOST}:{port}/api/v1/ask", method="POST",
                                 data=json.dumps({"question": question}, ensure_ascii=False).encode(),
                                 headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        ans = json.loads(resp.read())
    return {"client_ms": (time.perf_counter() - t0) * 1000, "server_ms": ans["latency_ms"], "route": ans["route"]}


def gradio_load(port: int, questions: list[dict], clients: int = 10, total: int = 200) -> dict:
    """The UI's `/ask` endpoint through `gradio_client` (its queue), bounded like the REST levels."""
    import concurrent.futures as cf

    from gradio_client import Client

    conns = [Client(f"http://{HOST}:{port}/", verbose=False, analytics_enabled=False, download_files=False)
             for _ in range(clients)]
    for c in conns:  # connection set-up is not part of the measured run
        c.predict("上海技师满4年能评中级职称吗", "", None, api_name="/ask")
    idle: queue.Queue = queue.Queue()  # one client per request at a time (a Client's event stream is its own)
    for c in conns:
        idle.put(c)
    latencies, errors = [], 0
    deadline = time.perf_counter() + MAX_SECONDS * 2

    def one(i: int) -> float | None:
        if time.perf_counter() > deadline:
            return None
        q = questions[i % len(questions)]
        client = idle.get()
        try:
            t0 = time.perf_counter()
            ans = client.predict(q["question"], q.get("as_of") or "", q.get("facts"), api_name="/ask")
            return (time.perf_counter() - t0) * 1000 if ans.get("route") != "error" else -1.0
        except Exception:  # noqa: BLE001 - a failed request is counted, not fatal to the bench
            return -1.0
        finally:
            idle.put(client)

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        for ms in pool.map(one, range(total)):
            if ms is None:
                continue
            if ms < 0:
                errors += 1
            else:
                latencies.append(ms)
    seconds = time.perf_counter() - t0
    return {"connections": clients, "requests": len(latencies) + errors, "errors": errors, "seconds": seconds,
            "qps": (len(latencies) + errors) / seconds, "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95), "p99_ms": percentile(latencies, 99)}


def served_bench(repo: Path, env: dict, questions: list[dict], workers_list=(1, 2)) -> dict:
    """Everything above, for each worker count; returns the numbers for the report."""
    out = {"uptime": os.getloadavg(), "rest": {}, "gradio": None}
    for workers in workers_list:
        proc, port, ready_s = start_app(repo, env, workers)
        try:
            row = {"ready_s": ready_s, "first": first_request(port, questions[0]["question"]), "levels": []}
            for level in LEVELS:
                print(f"served ×{workers} workers: {level} connections …", file=sys.stderr, flush=True)
                row["levels"].append(load(port, questions, level))
            if workers == 1:
                out["gradio"] = gradio_load(port, questions)
        finally:
            stop(proc)
        out["rest"][workers] = row
    return out
