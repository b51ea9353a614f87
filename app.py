"""贯通政策助手的网页界面与服务：聊天问答、资格自测、政策文件浏览，加 REST API 和 MCP 工具。

    python app.py [--host 127.0.0.1] [--port 7860] [--auth user:pass] [--token T] [--workers N]

Environment: GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (host/port), GUANTONG_AUTH ("user:pass",
several separated by commas), GUANTONG_DATA_DIR (index folder; built on first run).
The pages are built in the `web` package (`build_app(assistant) -> gr.Blocks`); serving (FastAPI
with the UI mounted, REST, MCP, auth, limits, warm-up) lives in `server/`. This file is the entry
point and keeps `build_app`, `CSS`, `THEME`, `load_assistant`, `main`, `parse_auth` importable.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls from a policy desk

if __name__ == "__main__":
    # Serve before importing gradio: the API answers while the UI is built (server/ui.py imports
    # this file again as the module `app` for build_app, THEME and CSS).
    from server.cli import main as _serve

    sys.exit(_serve(ui_module="app"))

from server.cli import load_assistant, main, parse_auth
from web.ui import APP_TITLE, CSS, THEME, build_app

__all__ = ["APP_TITLE", "CSS", "THEME", "build_app", "load_assistant", "main", "parse_auth"]
