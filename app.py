"""贯通政策助手的网页界面（Gradio）：聊天问答、资格自测、政策文件浏览。

    python app.py [--host 127.0.0.1] [--port 7860] [--auth user:pass]

Environment: GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (host/port), GUANTONG_AUTH ("user:pass",
several separated by commas), GUANTONG_DATA_DIR (index folder; built on first run).
The pages themselves are built in the `web` package (`build_app(assistant) -> gr.Blocks`); this
file loads the assistant and serves them.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls from a policy desk

from assistant import Assistant
from web.ui import APP_TITLE, CSS, THEME, build_app

__all__ = ["APP_TITLE", "CSS", "THEME", "build_app", "load_assistant", "main", "parse_auth"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Answers are CPU-bound and take tens of milliseconds: a few workers keep the queue short
# without oversubscribing the encoder; everything beyond waits in the queue (bounded).
DEFAULT_CONCURRENCY = 4
QUEUE_MAX_SIZE = 256


# --- serving --------------------------------------------------------------------------------

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


def load_assistant(data_dir: Path | None = None) -> Assistant:
    """Open the index, building it first (with printed progress) when it is missing."""
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
    assistant.ask("技师满3年能申报中级职称吗？")  # warm-up: the first query loads the encoder
    return assistant


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
            raise ValueError(f"认证格式应为 用户名:密码，收到：{item!r}")
        pairs.append((user, password))
    return pairs or None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python app.py", description="贯通政策助手网页界面")
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST,
                   help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0，并请配合 --auth）")
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT),
                   help="端口（默认 7860）")
    p.add_argument("--auth", default=os.environ.get("GUANTONG_AUTH"),
                   help="基本认证 用户名:密码（多个用逗号分隔；也可用环境变量 GUANTONG_AUTH）")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="同时处理的请求数（默认 4）")
    p.add_argument("--data-dir", type=Path, default=None, help="索引目录（默认 .data/index 或 $GUANTONG_DATA_DIR）")
    args = p.parse_args(argv)
    try:
        auth = parse_auth(args.auth)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    from ingest.corpus import CorpusError
    from ingest.embed import EmbedderError
    from ingest.index import IndexError_

    try:
        assistant = load_assistant(args.data_dir)
    except (CorpusError, IndexError_, EmbedderError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=args.concurrency, max_size=QUEUE_MAX_SIZE)
    print(f"贯通政策助手：http://{args.host}:{args.port}" + ("（已启用登录认证）" if auth else ""), flush=True)
    try:
        demo.launch(server_name=args.host, server_port=args.port, auth=auth, auth_message="请输入账号和密码",
                    theme=THEME, css=CSS, ssr_mode=False, share=False, footer_links=["api"], show_error=False,
                    quiet=True)
    except OSError as exc:
        print(f"错误：无法在 {args.host}:{args.port} 上启动（{exc}）。端口可能已被占用，请用 --port 换一个。",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
