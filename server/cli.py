"""`python app.py [--host --port --auth --token --workers --data-dir]`: open the index, then serve.

Lives here, not in app.py, so that starting the server does not import gradio first: the API and
MCP answer as soon as the answer path is warm, and the UI is mounted when built (server/ui.py).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from server.serve import DEFAULT_WORKERS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def _progress_printer():
    state: dict[str, Any] = {"stage": None, "finished": set(), "t0": time.perf_counter()}

    def show(stage: str, done: int, total: int) -> None:
        if stage != state["stage"]:
            state["stage"] = stage
            state["quarter"] = 0
            print(f"  · {stage} …", flush=True)
        quarter = 4 * done // total if total else 0
        if 0 < quarter < 4 and quarter > state["quarter"]:  # long stages: a line every 25 %
            state["quarter"] = quarter
            print(f"    {stage} {done}/{total}", flush=True)
        if total and done >= total and stage not in state["finished"]:
            state["finished"].add(stage)
            print(f"    {stage} 完成（{done}/{total}，{time.perf_counter() - state['t0']:.1f} 秒）", flush=True)

    return show


def load_assistant(data_dir: Path | None = None):
    """Open the index, building it first (with printed progress) when it is missing."""
    from assistant import Assistant
    from ingest import config
    from ingest.index import index_status

    target = Path(data_dir or config.data_dir())
    if index_status(target) is None:
        print(f"首次运行：索引不存在，正在从 corpus/ 构建（{target}），通常需要半分钟左右……", flush=True)
        t0 = time.perf_counter()
        assistant = Assistant.load(data_dir=target, progress=_progress_printer())
        print(f"索引构建完成，用时 {time.perf_counter() - t0:.1f} 秒。", flush=True)
    else:
        print(f"正在加载索引：{target}", flush=True)
        assistant = Assistant.load(data_dir=target)
    return assistant  # the server warms it up (server.app.warm_up) before /healthz says ready


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """"user:pass[,user2:pass2]" → [(user, pass), …]; None when empty."""
    if not value:
        return None
    pairs = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            # the user name only: a password must not end up in a terminal or a log
            raise ValueError(f"认证格式应为 用户名:密码（多个用逗号分隔），收到：{user or '（空）'}{sep}…")
        pairs.append((user, password))
    return pairs or None


def main(argv: list[str] | None = None, ui_module="app") -> int:
    p = argparse.ArgumentParser(prog="python app.py", description="贯通政策助手网页界面")
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST,
                   help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0，并请配合 --auth）")
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT),
                   help="端口（默认 7860）")
    p.add_argument("--auth", default=os.environ.get("GUANTONG_AUTH"),
                   help="基本认证 用户名:密码（多个用逗号分隔；也可用环境变量 GUANTONG_AUTH）")
    p.add_argument("--concurrency", type=int, default=None, help="网页界面同时处理的请求数（默认 4）")
    p.add_argument("--data-dir", type=Path, default=None, help="索引目录（默认 .data/index 或 $GUANTONG_DATA_DIR）")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help="接口进程数（默认 1：一个进程提供界面和接口；大于 1 时 N 个进程分担 REST/MCP，"
                        "网页界面由另一个进程提供，见 README“吞吐量”）")
    p.add_argument("--token", default=os.environ.get("GUANTONG_API_TOKEN"),
                   help="REST/MCP 接口的 Bearer 令牌（也可用环境变量 GUANTONG_API_TOKEN）")
    args = p.parse_args(argv)
    try:
        auth = parse_auth(args.auth)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("错误：--workers 至少为 1。", file=sys.stderr)
        return 2
    from ingest.corpus import CorpusError
    from ingest.embed import EmbedderError
    from ingest.index import IndexError_
    from server.serve import serve, serve_workers

    try:
        assistant = load_assistant(args.data_dir)
    except (CorpusError, IndexError_, EmbedderError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"贯通政策助手：http://{args.host}:{args.port}" + ("（已启用登录认证）" if auth else ""), flush=True)
    try:
        if args.workers > 1:
            del assistant  # opened here only to fail early with a Chinese message; each worker opens its own
            return serve_workers(args.workers, args.host, args.port, args.auth, args.token, args.data_dir)
        return serve(assistant, args.host, args.port, dict(auth or []), args.token, args.concurrency, ui_module)
    except OSError as exc:
        print(f"错误：无法在 {args.host}:{args.port} 上启动（{exc}）。端口可能已被占用，请用 --port 换一个。",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
