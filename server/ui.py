"""The Gradio UI, mounted at "/" once it is built — after the API is already serving.

Importing gradio and building the Blocks take longer than everything else in a start-up put
together (~3 s on a quiet 2-core machine, 12 s on a busy one), and the REST API, MCP and the
warm-up need none of it. So the app starts serving as soon as the answer path is warm, and this
module builds the UI in a worker thread, mounts it, and runs Gradio's own start-up (its queue)
by hand, as `gr.mount_gradio_app` would have in the lifespan. Until then "/" answers 503 with a
Chinese "starting" page and `/healthz` reports `"ui": "starting"`.
"""
from __future__ import annotations

import contextlib
import importlib
import logging

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

log = logging.getLogger(__name__)
STARTING_PAGE = ("<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=2><title>贯通政策助手</title>"
                 "<p style='font:16px sans-serif;margin:3em'>贯通政策助手正在启动，页面会自动刷新……</p>")


class LateUI:
    """Owns the placeholder route, the build, the mount and Gradio's lifespan."""

    def __init__(self, app: FastAPI, assistant, accounts: dict[str, str] | None, concurrency: int | None,
                 ui_module=None):
        self.app, self.assistant, self.accounts = app, assistant, accounts
        self.concurrency, self.ui_module = concurrency, ui_module
        self.status = "starting"  # → "ready" | "failed"
        self._stack = contextlib.AsyncExitStack()

        async def starting():
            return HTMLResponse(STARTING_PAGE, status_code=503, headers={"Retry-After": "2"})

        app.add_api_route("/", starting, methods=["GET"], include_in_schema=False)
        self._placeholder = app.router.routes[-1]

    def _build(self):
        module = self.ui_module
        if module is None or isinstance(module, str):
            module = importlib.import_module(module or "app")
        blocks = module.build_app(self.assistant)
        blocks.queue(default_concurrency_limit=self.concurrency or getattr(module, "DEFAULT_CONCURRENCY", 4),
                     max_size=getattr(module, "QUEUE_MAX_SIZE", 64))
        return module, blocks

    async def start(self) -> None:
        """Build (in a thread), mount, and start Gradio's queue. Failures are logged, never raised:
        the API keeps serving without the UI."""
        import anyio.to_thread

        try:
            module, blocks = await anyio.to_thread.run_sync(self._build)
            import gradio as gr

            before = len(self.app.router.routes)
            gr.mount_gradio_app(self.app, blocks, path="", auth=list(self.accounts.items()) if self.accounts else None,
                                auth_message="请输入账号和密码", theme=getattr(module, "THEME", None),
                                css=getattr(module, "CSS", None), ssr_mode=False, footer_links=["api"],
                                show_error=False, max_file_size=1)
            gradio_app = self.app.router.routes[before].app
            await self._stack.enter_async_context(gradio_app.router.lifespan_context(gradio_app))
            gradio_app.get_blocks().run_startup_events()
            await gradio_app.get_blocks().run_extra_startup_events()
            self.app.router.routes.remove(self._placeholder)
            self.status = "ready"
        except Exception:  # the API must outlive a broken UI
            log.exception("网页界面启动失败，REST/MCP 接口照常服务。")
            self.status = "failed"

    async def stop(self) -> None:
        await self._stack.aclose()
