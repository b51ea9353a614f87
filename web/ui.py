"""The Gradio Blocks: chat, self-check and documents, wired to the assistant.

The conversation lives in the browser (gr.BrowserState → localStorage): the question, the whole
answer object and the facts it was asked with, per turn. The server keeps nothing per user; it
renders the conversation from that store on every change, so each answer keeps its own citations.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.chat import ChatSession
from rules import Facts
from web import feedback, render, selfcheck
from web.context import AppContext, as_of_date, esc
from web.documents import document_choices, main_document, provinces, render_document_html

APP_TITLE = "贯通政策助手"
STATIC = Path(__file__).resolve().parent / "static"
CSS = (STATIC / "app.css").read_text(encoding="utf-8")
CHAT_JS = (STATIC / "chat.js").read_text(encoding="utf-8")
EXTRAS_JS = (STATIC / "extras.js").read_text(encoding="utf-8")
SHOW_PENDING_JS = "(text) => { if (text && text.trim() && window.gtPending) window.gtPending(text.trim()); }"
MAX_TURNS = 20  # kept in the browser (sent up and back with every question); older turns drop off
EMPTY_STORE: dict[str, Any] = {"turns": [], "facts": {}}

THEME = gr.themes.Default(
    primary_hue="blue", neutral_hue="slate",
    font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "Menlo", "monospace"],
)


def clean_store(store: Any) -> dict:
    """The browser's copy of the conversation, keeping only well-formed turns (it comes from the client)."""
    if not isinstance(store, dict):
        return {"turns": [], "facts": {}}
    turns = [t for t in store.get("turns") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)
             and isinstance(t.get("question"), str) and isinstance(t.get("answer"), dict)]
    facts = store.get("facts") if isinstance(store.get("facts"), dict) else {}
    try:  # facts the assistant would refuse would turn every later question into an error
        Facts.from_dict(facts)
    except (TypeError, ValueError):
        facts = {}
    return {"turns": turns[-MAX_TURNS:], "facts": facts}


def _header(docs_count: int) -> str:
    return (f'<div id="gt-header"><h1>{APP_TITLE}</h1>'
            "<p>技能等级和职称怎么互相贯通：能不能申报、要满几年、有没有绿色通道。每个回答都附政策原文。</p>"
            f'<p class="gt-cover">收录 {docs_count} 份文件：四川省 · 上海市 · 湖北省黄石市 · 江苏省（含南通市转发）。'
            "只依据收录文件作答，不作推测；具体申报以当年度评审通知为准。</p></div>")


class ChatHandlers:
    """The chat's event handlers, bound to the shared assistant and the feedback store."""

    def __init__(self, ctx: AppContext, store: feedback.FeedbackStore | None):
        self.ctx = ctx
        self.feedback = store

    def view(self, store: dict, pending: str = "") -> str:
        return render.conversation_html(self.ctx, store, self.feedback is not None, pending)

    def send(self, text: str, store: Any, as_of: str):
        """Yields (question box, conversation, store, facts) — partial text first when the optional
        writer streams, then the final answer appended to the stored conversation."""
        text = (text or "").strip()
        store = clean_store(store)
        if not text:
            yield gr.skip(), self.view(store), gr.skip(), gr.skip()
            return
        as_of = (as_of or "").strip() or None
        session = ChatSession(self.ctx.assistant, facts=dict(store["facts"]))
        for partial, answer in session.send_stream(text, as_of=as_of):
            if answer is None:
                yield "", self.view(store, render.pending_html(text, partial)), gr.skip(), gr.skip()
                continue
            turn = {"id": uuid.uuid4().hex[:16], "question": text, "answer": answer,
                    "facts_in": store["facts"], "as_of": as_of}
            store = {"turns": (store["turns"] + [turn])[-MAX_TURNS:], "facts": session.facts}
            yield "", self.view(store), store, render.facts_html(session.facts)

    def reset(self):
        return "", self.view(EMPTY_STORE), dict(EMPTY_STORE), render.facts_html({})

    def restore(self, store: Any):
        store = clean_store(store)
        return self.view(store), render.facts_html(store["facts"])

    def record_feedback(self, store: Any, data: dict) -> None:
        if self.feedback is None:
            return
        turns = clean_store(store)["turns"]
        for i, turn in enumerate(turns):
            if turn["id"] == data.get("turn"):
                self.feedback.record(
                    turn["id"], str(data.get("rating")), turn["question"], turn["answer"],
                    comment=str(data.get("comment") or ""), context=[t["question"] for t in turns[:i]],
                    facts=turn.get("facts_in") or {}, as_of=turn.get("as_of"))
                return

    def open_document(self, doc: str, quote: str = ""):
        """(tabs, region, document picker, search box, document view, focus) showing a cited passage."""
        meta = self.ctx.catalog.get(doc)
        if meta is None:
            return (gr.skip(),) * 6
        return (gr.Tabs(selected="documents"), meta.province,
                gr.Dropdown(choices=document_choices(self.ctx, meta.province), value=doc), "",
                render_document_html(self.ctx, doc, focus=quote or ""), quote or "")


def build_app(assistant: Any) -> gr.Blocks:
    ctx = AppContext(assistant)
    chat = ChatHandlers(ctx, feedback.open_store())

    def api_ask(question: str, as_of: str = "", facts: dict | None = None) -> dict:
        """回答一个问题，返回合同规定的答案对象（JSON）。as_of 为 YYYY-MM-DD（留空为今天）；
        facts 为上一轮答案的 facts，用于多轮追问。"""
        return assistant.ask(question, as_of=as_of or None, facts=facts or None)

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        gr.HTML(_header(len(ctx.catalog)))
        chat_store = gr.BrowserState(dict(EMPTY_STORE), storage_key="guantong-chat",
                                     secret=os.environ.get("GUANTONG_BROWSER_SECRET") or None)
        with gr.Tabs() as tabs:
            with gr.Tab("聊天问答", id="chat"), gr.Column(elem_id="gt-chat-col"):
                with gr.Column(elem_id="gt-facts-box"):
                    with gr.Row(equal_height=True):
                        gr.HTML("<h3>已了解的情况</h3>", elem_id="gt-facts-title")
                        reset = gr.Button("重新开始", variant="secondary", size="sm", scale=0, min_width=96,
                                          elem_id="gt-reset")
                    facts_view = gr.HTML(render.facts_html({}), elem_id="gt-facts-panel")
                conv = gr.HTML(chat.view(EMPTY_STORE), elem_id="gt-conv", js_on_load=CHAT_JS)
                with gr.Row(elem_id="gt-input-row"):
                    question = gr.Textbox(elem_id="gt-question", show_label=False, container=False, scale=8,
                                          lines=1, max_lines=4,
                                          placeholder="输入您的问题，回车发送")
                    send = gr.Button("发送", variant="primary", scale=0, min_width=64, elem_id="gt-send")
                    clear = gr.Button("🗑", variant="secondary", scale=0, min_width=48, elem_id="gt-clear")
                with gr.Accordion("示例问题", open=False, elem_id="gt-examples-box"):
                    examples = gr.HTML(render.examples_html(), elem_id="gt-examples", js_on_load=EXTRAS_JS)
                with gr.Accordion("想按过去或将来某一天的政策来回答？", open=False, elem_id="gt-date-box"):
                    as_of = gr.Textbox(label="日期（例如 2025-06-30；不填就按今天）", elem_id="gt-as-of")

            with gr.Tab("资格自测", id="self-check"):
                sc = _self_check_tab(ctx)

            with gr.Tab("政策文件", id="documents"):
                gr.Markdown("按地区看收录的政策文件：文号、日期、今天是否有效，以及每一条原文。")
                first_doc = main_document(ctx, None)
                with gr.Row(elem_id="doc-controls"):
                    doc_region = gr.Radio(provinces(ctx), value="全部", label="地区", scale=2, elem_id="doc-region")
                    doc_pick = gr.Dropdown(document_choices(ctx), value=first_doc, label="文件", scale=4,
                                           elem_id="doc-pick")
                    doc_search = gr.Textbox(label="在本文件中查找", placeholder="例如：满3年", scale=2,
                                            elem_id="doc-search")
                doc_view = gr.HTML(render_document_html(ctx, first_doc), elem_id="doc-view", js_on_load=EXTRAS_JS)
                doc_focus = gr.State("")  # the cited passage the view was opened at, kept while searching

        chat_out = [question, conv, chat_store, facts_view]
        doc_out = [tabs, doc_region, doc_pick, doc_search, doc_view, doc_focus]
        skip_chat, skip_doc = (gr.skip(),) * len(chat_out), (gr.skip(),) * len(doc_out)

        def on_action(store: Any, as_of_value: str, evt: gr.EventData):
            """Clicks inside the conversation or on the examples / cited sources (see static/*.js)."""
            data = evt._data if isinstance(getattr(evt, "_data", None), dict) else {}
            action = data.get("action")
            if action == "send":
                for out in chat.send(str(data.get("text") or ""), store, as_of_value):
                    yield *out, *skip_doc
            elif action == "open_doc":
                yield *skip_chat, *chat.open_document(str(data.get("doc") or ""), str(data.get("quote") or ""))
            elif action == "feedback":
                chat.record_feedback(store, data)
                yield *skip_chat, *skip_doc
            else:
                yield *skip_chat, *skip_doc

        gr.on([question.submit, send.click], chat.send, [question, chat_store, as_of], chat_out,
              show_progress="hidden", api_visibility="private")
        gr.on([question.submit, send.click], None, [question], None, js=SHOW_PENDING_JS, api_visibility="private")
        for source in (conv, examples, doc_view, sc["sources"]):
            source.click(on_action, [chat_store, as_of], chat_out + doc_out, show_progress="hidden",
                         api_visibility="private")
        gr.on([reset.click, clear.click], chat.reset, None, chat_out, api_visibility="private")
        demo.load(chat.restore, [chat_store], [conv, facts_view], api_visibility="private")

        def on_region(region: str, keyword: str):
            doc = main_document(ctx, region)
            return (gr.Dropdown(choices=document_choices(ctx, region), value=doc),
                    render_document_html(ctx, doc, keyword), "")

        doc_region.input(on_region, [doc_region, doc_search], [doc_pick, doc_view, doc_focus], api_visibility="private")
        doc_pick.input(lambda d, k: (render_document_html(ctx, d, k), ""), [doc_pick, doc_search],
                       [doc_view, doc_focus], api_visibility="private")
        # .change, not .input: typed Chinese (insertText / IME) does not always raise Gradio's input event
        gr.on([doc_search.change, doc_search.submit], lambda d, k, f: render_document_html(ctx, d, k, focus=f),
              [doc_pick, doc_search, doc_focus], doc_view, show_progress="hidden", trigger_mode="always_last",
              api_visibility="private")
        gr.api(api_ask, api_name="ask")
    return demo


def _self_check_tab(ctx: AppContext) -> dict:
    year_now = dt.date.today().year
    years = [("（未选）", "")] + [(f"{y}年", str(y)) for y in range(year_now, year_now - 41, -1)]
    months = [("不记得", "0")] + [(f"{m}月", str(m)) for m in range(1, 13)]
    gr.Markdown("填写您的情况，按收录的政策逐条核对申报条件，并告诉您现在能申报什么、下一级何时开放。")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            region = gr.Radio(selfcheck.region_choices(), label="所在地区", elem_id="sc-region")
            cred = gr.Dropdown(selfcheck.credential_choices(), label="现有的技能等级或职称", value=None,
                               elem_id="sc-credential")
            with gr.Row():
                year = gr.Dropdown(years, label="取得年份", value="", elem_id="sc-year", min_width=120)
                month = gr.Dropdown(months, label="取得月份", value="0", elem_id="sc-month", min_width=120)
            honours = gr.Dropdown([], multiselect=True, label="获得的荣誉或竞赛奖项（可多选；先选地区）",
                                  elem_id="sc-honours")
            assess = gr.Radio(["合格", "不合格", "不确定"], value="不确定", label="近3年年度考核", elem_id="sc-assessment")
            target = gr.Dropdown(selfcheck.target_choices(), value=selfcheck.ANY_TARGET, label="想申报",
                                 elem_id="sc-target")
            run = gr.Button("开始自测", variant="primary", elem_id="sc-run")
        with gr.Column(scale=3, min_width=300):
            verdict = gr.HTML('<div class="gt-muted">填写左侧信息后点“开始自测”。</div>', elem_id="sc-verdict")
            with gr.Accordion("详细说明（规则原文与相关条款）", open=False):
                detail = gr.HTML(elem_id="sc-detail")
            sources = gr.HTML(elem_id="sc-sources", js_on_load=EXTRAS_JS)

    def on_run(region_v, cred_v, year_v, month_v, honours_v, assess_v, target_v):
        if not region_v:
            return '<div class="gt-verdict unknown">？ 请先选择所在地区。</div>', "", ""
        if not cred_v and not honours_v:
            return '<div class="gt-verdict unknown">？ 请选择现有的技能等级或职称（没有请选“暂无”）。</div>', "", ""
        facts = selfcheck.build_self_check_facts(region_v, cred_v, year_v, month_v, honours_v, assess_v, target_v)
        ask = selfcheck.self_check_question(facts)
        answer = ctx.assistant.ask(ask, facts=facts)
        day = as_of_date((answer.get("decision") or {}).get("as_of"))
        cites = answer.get("citations") or []
        cards = ('<div class="gt-card"><h3>依据条款</h3>' + render.warnings_html(answer.get("warnings"))
                 + (render.citation_cards(ctx, cites, day) or '<div class="gt-muted">无</div>') + "</div>")
        asked = f'<div class="gt-muted" style="margin-bottom:8px">按以下情况核对：{esc(ask)}</div>'
        return asked + selfcheck.render_verdict_html(answer), render.markdown_html(answer.get("answer", "")), cards

    region.change(lambda r: gr.Dropdown(choices=selfcheck.honour_choices(ctx, r), value=[]), region, honours,
                  api_visibility="private")
    run.click(on_run, [region, cred, year, month, honours, assess, target], [verdict, detail, sources],
              api_visibility="private")
    return {"sources": sources}
