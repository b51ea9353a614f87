"""贯通政策助手的网页界面（Gradio）：聊天问答、资格自测、政策文件浏览。

    python app.py [--host 127.0.0.1] [--port 7860] [--auth user:pass]

Environment: GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (host/port), GUANTONG_AUTH ("user:pass",
several separated by commas), GUANTONG_DATA_DIR (index folder; built on first run).
Everything shown is rendered here from the assistant's answer object; every piece of user or
corpus text goes through `html.escape` before it reaches the page.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls from a policy desk

if __name__ == "__main__":
    # Serve before importing gradio: the API answers while the UI is built (server/ui.py imports
    # this file again as the module `app` for build_app, THEME and CSS).
    from server.cli import main as _serve

    sys.exit(_serve(ui_module="app"))

import gradio as gr

from assistant import Assistant
from assistant.chat import ChatSession, quick_replies, summarize_facts
from rules import lexicon

APP_TITLE = "贯通政策助手"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Answers are CPU-bound and take tens of milliseconds: a few workers keep the queue short
# without oversubscribing the encoder; everything beyond waits in the queue (bounded).
DEFAULT_CONCURRENCY = 4
QUEUE_MAX_SIZE = 256

WORKER_EXAMPLES = [
    "我在成都，三级工干了两年多，能评助理工程师吗？",
    "我是技师，拿证4年了，在上海能申报工程师吗？",
    "我在苏州，已经是高级技师，想评高级职称要满几年？",
]
HR_EXAMPLES = [
    "上海高级技师申报副高级职称要满几年？依据哪条？",
    "黄石市对获得湖北省技术能手的人有什么绿色通道？",
    "四川的专业技术人员申报技能等级认定，需要满足什么条件？",
]

VALIDITY_LABEL = {"valid": "现行有效", "expired": "已过有效期", "not_yet": "尚未施行"}
MARK = {True: "✅", False: "❌", None: "？"}

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#gt-header { padding: 18px 22px; border-radius: 12px; margin-bottom: 6px;
  background: linear-gradient(120deg, #0f3d68 0%, #1d5f96 100%); color: #fff; }
#gt-header h1 { margin: 0; font-size: 24px; letter-spacing: 2px; color: #fff; }
#gt-header p { margin: 6px 0 0; font-size: 14px; opacity: .92; color: #fff; }
#gt-header .gt-cover { font-size: 12.5px; opacity: .85; }
.gt-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 12px 14px;
  background: var(--background-fill-primary); }
.gt-card h3 { margin: 0 0 8px; font-size: 15px; }
.gt-muted { color: var(--body-text-color-subdued); font-size: 13px; }
.gt-chips { display: flex; flex-wrap: wrap; gap: 6px; }
.gt-chip { background: #eaf2fb; color: #0f3d68; border-radius: 999px; padding: 3px 10px; font-size: 13px; }
.gt-warn { background: #fff7e6; border: 1px solid #f5c26b; color: #7a4b00; border-radius: 8px;
  padding: 8px 10px; margin: 6px 0; font-size: 13px; }
.gt-cite { border-left: 3px solid #1d5f96; padding: 8px 10px; margin: 10px 0; background: #f7f9fc;
  border-radius: 0 8px 8px 0; }
.gt-cite-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; font-weight: 600; }
.gt-num { color: #1d5f96; }
.gt-doc { color: #10233a; }
.gt-badge { font-size: 11.5px; font-weight: 500; padding: 1px 8px; border-radius: 999px; }
.gt-badge.valid { background: #e7f6ec; color: #1c6b35; }
.gt-badge.expired { background: #fdecec; color: #a12622; }
.gt-badge.not_yet { background: #fff4e0; color: #8a5300; }
.gt-title { font-size: 13px; color: #33475b; margin-top: 3px; }
.gt-path { font-size: 12.5px; color: #5d6f82; margin-top: 2px; }
.gt-quote { margin: 6px 0 0; padding: 6px 10px; background: #fff; border: 1px solid #e3e8ef;
  border-radius: 6px; font-size: 14px; line-height: 1.75; color: #1f2d3d; }
#gt-sources { max-height: calc(100vh - 420px); min-height: 200px; overflow-y: auto; }
#sc-sources .gt-card { max-height: 640px; overflow-y: auto; }
#gt-sources h3 { margin: 0 0 8px; font-size: 15px; }
#gt-facts-box, #gt-sources-box { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 14px;
  background: var(--background-fill-primary); gap: 6px; }
#gt-facts-title h3 { margin: 4px 0 0; font-size: 15px; }
#gt-chat .placeholder-content { padding-top: 8px; }
.gt-verdict { font-size: 18px; font-weight: 700; padding: 10px 14px; border-radius: 10px; margin-bottom: 10px; }
.gt-verdict.yes { background: #e7f6ec; color: #1c6b35; }
.gt-verdict.no { background: #fdecec; color: #a12622; }
.gt-verdict.unknown { background: #fff4e0; color: #8a5300; }
.gt-check { list-style: none; padding: 0; margin: 0; }
.gt-check li { padding: 5px 0; border-bottom: 1px dashed #e3e8ef; font-size: 14px; }
.gt-check .gt-ref { color: #1d5f96; font-size: 12.5px; }
.gt-doc-head { border-bottom: 2px solid #1d5f96; padding-bottom: 8px; margin-bottom: 10px; }
.gt-doc-head h2 { margin: 0 0 6px; font-size: 18px; }
.gt-meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; font-size: 13.5px; }
.gt-meta dt { color: #5d6f82; } .gt-meta dd { margin: 0; }
.gt-tree details { margin: 6px 0; border: 1px solid #e3e8ef; border-radius: 8px; padding: 4px 10px; }
.gt-tree summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.gt-clause { display: grid; grid-template-columns: 8.5em 1fr; gap: 10px; padding: 6px 0;
  border-top: 1px dashed #e3e8ef; }
.gt-clause .gt-sec { color: #1d5f96; font-size: 12.5px; font-weight: 600; }
.gt-clause .gt-text { white-space: pre-wrap; line-height: 1.75; font-size: 14px; }
.gt-tree mark { background: #ffe58f; padding: 0 1px; }
@media (max-width: 640px) {
  .gradio-container { padding: 0 6px !important; }
  #gt-header { padding: 10px 14px; }
  #gt-header h1 { font-size: 19px; }
  #gt-header p { font-size: 12.5px; }
  #gt-header .gt-cover { display: none; }
  .gt-clause { grid-template-columns: 1fr; gap: 2px; }
}
#gt-chat .message { font-size: 15px; line-height: 1.75; }
"""

# Answers are long (conclusion, checklist, quotes): show the newest question and the start of its
# answer instead of the end of the quotes. Harmless if Gradio's chat markup changes.
SCROLL_TO_LAST_QUESTION = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#gt-chat .user-row');
  const box = document.querySelector('#gt-chat .bubble-wrap');
  if (!rows.length || !box) return;
  const row = rows[rows.length - 1];
  box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
}, 120); }"""

THEME = gr.themes.Default(
    primary_hue="blue", neutral_hue="slate",
    font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "Menlo", "monospace"],
)


# --- escaping -----------------------------------------------------------------------------

def esc(text: Any) -> str:
    """Text → HTML-safe text (for the HTML we build ourselves)."""
    return html.escape("" if text is None else str(text), quote=True)


def md_safe(text: Any) -> str:
    """Markdown from the assistant or a user → Markdown whose HTML characters show literally."""
    s = "" if text is None else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# --- context shared by all sessions -----------------------------------------------------------

class AppContext:
    """The loaded assistant plus lookups the UI needs (clauses by document, catalogue)."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.catalog = assistant.catalog  # 文号 -> DocMeta
        clauses = list(getattr(assistant.index, "clauses", []))
        self.clauses_by_doc: dict[str, list[dict]] = {}
        for c in sorted(clauses, key=lambda c: (c["doc"], c.get("start", 0))):
            self.clauses_by_doc.setdefault(c["doc"], []).append(c)

    def section_path(self, citation: dict) -> str:
        """The citation's heading path; rule citations carry only the compact section, so the
        path comes from the clause whose text contains the quote."""
        if citation.get("section_path"):
            return citation["section_path"]
        quote = _squash(citation.get("quote", ""))
        for c in self.clauses_by_doc.get(citation.get("doc", ""), []):
            if quote and quote[:60] in _squash(c["text"]):
                return " › ".join(c.get("section_path") or [])
        return ""

    def validity(self, doc: str, day: dt.date) -> tuple[str, str]:
        meta = self.catalog.get(doc)
        if meta is None:
            return "valid", ""
        state = meta.validity_on(day)
        label = VALIDITY_LABEL[state]
        if state == "expired" and meta.valid_until:
            label += f"（{meta.valid_until:%Y-%m-%d} 到期）"
        elif state == "not_yet" and meta.effective:
            label += f"（{meta.effective:%Y-%m-%d} 起施行）"
        return state, label


def _as_of_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


# --- rendering ------------------------------------------------------------------------------

def render_citations_html(ctx: AppContext, citations: list[dict], day: dt.date, start: int = 1) -> str:
    cards = []
    for i, c in enumerate(citations, start):
        state, label = ctx.validity(c.get("doc", ""), day)
        path = ctx.section_path(c)
        section = c.get("section") or ""
        cards.append(
            '<div class="gt-cite">'
            f'<div class="gt-cite-head"><span class="gt-num">【{i}】</span>'
            f'<span class="gt-doc">{esc(c.get("doc"))}</span>'
            f'<span class="gt-sec">{esc(section)}</span>'
            f'<span class="gt-badge {state}">{esc(label)}</span></div>'
            f'<div class="gt-title">《{esc(c.get("title"))}》</div>'
            + (f'<div class="gt-path">条款位置：{esc(path)}</div>' if path else "")
            + f'<div class="gt-quote">{esc(c.get("quote"))}</div></div>'
        )
    return "".join(cards)


def render_warnings_html(warnings: list[str]) -> str:
    return "".join(f'<div class="gt-warn">⚠️ {esc(w)}</div>' for w in warnings or [])


def render_sources_panel(ctx: AppContext, answer: dict | None, as_of: Any = None) -> str:
    head = '<div id="gt-sources"><h3>出处与原文</h3>'
    if not answer:
        return head + '<div class="gt-muted">回答引用的政策条款会显示在这里：文件标题、文号、条款位置和原文。</div></div>'
    citations = answer.get("citations") or []
    day = _as_of_date(as_of or (answer.get("decision") or {}).get("as_of"))
    body = render_warnings_html(answer.get("warnings") or [])
    if citations:
        body += render_citations_html(ctx, citations, day)
    else:
        body += '<div class="gt-muted">这条回答没有引用条款。</div>'
    return head + body + "</div>"


def render_facts_panel(facts: dict | None) -> str:
    summary = summarize_facts(facts)
    if not summary:
        return ('<div class="gt-muted" id="gt-facts">还没有信息。直接提问，或告诉我您所在的地区、现有的技能等级或职称、'
                '取得多少年。</div>')
    chips = "".join(f'<span class="gt-chip">{esc(part)}</span>' for part in summary.split("；"))
    return f'<div class="gt-chips" id="gt-facts" data-summary="{esc(summary)}">{chips}</div>'


def render_answer_markdown(answer: dict) -> str:
    body = md_safe(answer.get("answer", ""))
    warnings = answer.get("warnings") or []
    if warnings:
        body += "\n\n" + "\n".join(f"⚠️ **有效期提示：** {md_safe(w)}" for w in warnings)
    return body


def render_sources_markdown(citations: list[dict]) -> str:
    lines = []
    for i, c in enumerate(citations, 1):
        lines.append(f"**【{i}】{md_safe(c.get('doc'))}** {md_safe(c.get('section'))}　《{md_safe(c.get('title'))}》")
        lines.append(f"“{md_safe(c.get('quote'))}”\n")
    return "\n".join(lines)


def chat_messages(answer: dict) -> list[dict]:
    """The assistant's turn as chat messages: the answer, then its sources (collapsible), with
    quick replies on the last message when a follow-up is asked."""
    msgs: list[dict] = [{"role": "assistant", "content": render_answer_markdown(answer)}]
    citations = answer.get("citations") or []
    if citations:
        msgs.append({"role": "assistant", "content": render_sources_markdown(citations),
                     "metadata": {"title": f"出处原文（{len(citations)} 条）", "status": "done"}})
    options = quick_replies(answer)
    if options:
        msgs[-1]["options"] = [{"value": o.text, "label": o.label} for o in options]
    return msgs


# --- self-check -----------------------------------------------------------------------------

NO_CREDENTIAL = "none"
ANY_TARGET = "any"
UNKNOWN_MONTH = 0


def credential_choices() -> list[tuple[str, str]]:
    out = [(f"技能等级 · {lvl.label}", f"skill:{lvl.key}") for lvl in lexicon.skill_levels()
           if lvl.rank >= 1]
    out += [(f"职称 · {lvl.label}", f"title:{lvl.key}") for lvl in lexicon.title_levels()]
    out.append(("暂无技能等级或职称", NO_CREDENTIAL))
    return out


def target_choices() -> list[tuple[str, str]]:
    out = [("不限：看看我现在能申报什么", ANY_TARGET)]
    out += [(f"职称 · {lvl.label}", lvl.key) for lvl in lexicon.title_levels()]
    out += [(f"技能等级 · {lvl.label}", lvl.key) for lvl in lexicon.skill_levels() if lvl.rank >= 2]
    return out


def region_choices() -> list[tuple[str, str]]:
    return [(lexicon.region_label(key), key) for key in lexicon.regions()]


def honour_choices(region: str | None = None) -> list[str]:
    """Honours from the rule data; with a region, those naming another covered region are left out."""
    names = list(lexicon.honours())
    if not region:
        return names
    others = set()
    for key, r in lexicon.regions().items():
        if key != region and r.get("province") != lexicon.regions().get(region, {}).get("province"):
            others.update(a for a in [key, r.get("province", ""), *r.get("aliases", [])] if len(a) >= 2)
    return [n for n in names if not any(o in n for o in others)]


def build_self_check_facts(region: str | None, credential: str | None, year: Any, month: Any,
                           honours: list[str] | None, assessment: str | None, target: str | None) -> dict:
    """The form → a `rules.Facts` dict (the same shape the chat carries between turns)."""
    import rules

    facts = rules.Facts()
    facts.region = region or None
    if region:
        facts.regions = [region]
    kind = None
    if credential and credential != NO_CREDENTIAL:
        kind, key = credential.split(":", 1)
        if kind == "skill":
            facts.skill_level = key
        else:
            facts.title_level = key
    elif credential == NO_CREDENTIAL:
        facts.lacks = ["技能等级", "职称"]
    if year:
        y = int(year)
        m = int(month or UNKNOWN_MONTH)
        facts.obtained = f"{y:04d}-{m:02d}" if m else f"{y:04d}"
        facts.years_basis = "since_credential"
    facts.honours = list(honours or [])
    facts.assessment_ok = {"合格": True, "不合格": False}.get(assessment or "")
    if target and target != ANY_TARGET:
        facts.target = target
        target_kind = lexicon.level(target).kind
        if kind == "skill":
            facts.direction = "skill_to_title" if target_kind == "title" else "skill_to_skill"
        elif kind == "title":
            facts.direction = "title_to_skill" if target_kind == "skill" else None
    elif kind == "skill":
        facts.direction = "skill_to_title"
    elif kind == "title":
        facts.direction = "title_to_skill"
    return facts.to_dict()


def _level_phrase(key: str) -> str:
    level = lexicon.level(key)
    return f"{key}职称" if level.kind == "title" else key


def self_check_question(facts: dict) -> str:
    """The form restated as the question a person would ask ("我在上海，2021年6月取得技师，……现在能
    申报什么？"): the router treats it as an eligibility question, and the same facts also travel
    in `facts`, so nothing depends on re-reading the sentence."""
    parts = [f"我在{facts['region']}"] if facts.get("region") else []
    held = facts.get("skill_level") or facts.get("title_level")
    if held:
        obtained = facts.get("obtained")
        if obtained:
            y, *m = obtained.split("-")
            when = f"{y}年{int(m[0])}月" if m else f"{y}年"
            parts.append(f"{when}取得{_level_phrase(held)}")
        else:
            parts.append(f"现有{_level_phrase(held)}")
    elif "职称" in (facts.get("lacks") or []):
        parts.append("没有职业技能等级，也没有职称")
    if facts.get("honours"):
        parts.append("获得过" + "、".join(facts["honours"]))
    if facts.get("assessment_ok") is True:
        parts.append("近3年年度考核合格")
    elif facts.get("assessment_ok") is False:
        parts.append("近3年年度考核不合格")
    ask = f"能申报{_level_phrase(facts['target'])}吗？" if facts.get("target") else "现在能申报什么？"
    return "，".join(parts) + ("，" if parts else "") + ask


def render_verdict_html(answer: dict) -> str:
    route = answer.get("route")
    d = answer.get("decision") or {}
    if route in ("error", "out_of_scope"):
        return f'<div class="gt-verdict unknown">？ {esc(answer.get("answer"))}</div>'
    eligible = d.get("eligible")
    target = d.get("target") or ""
    now = d.get("eligible_now") or []
    if eligible is True:
        what = "、".join(now) if now else target
        verdict = f'<div class="gt-verdict yes">✅ 现在可以申报：{esc(what)}</div>'
    elif eligible is False:
        verdict = f'<div class="gt-verdict no">❌ 目前还不能申报{esc(target)}</div>'
    else:
        ask = d.get("follow_up") or "还缺少判断所需的信息。"
        verdict = f'<div class="gt-verdict unknown">？ 还需要补充：{esc(ask)}</div>'
    parts = [verdict]
    nxt = d.get("next") or {}
    opens = nxt.get("opens_on") or (d.get("opens_on") if eligible is False else None)
    if nxt or opens:
        label = nxt.get("target") or target
        when = ""
        if opens:
            day = _as_of_date(opens)
            when = f"{day.year}年{day.month}月{day.day}日起"
        elif nxt.get("remaining_years"):
            when = f"约再过{nxt['remaining_years']:g}年"
        parts.append(f'<div class="gt-card"><b>下一级：</b>{esc(label)}'
                     + (f"，{esc(when)}可以申报" if when else "") + "</div>")
    conditions = d.get("conditions") or []
    if conditions:
        items = []
        for c in conditions:
            ref = c.get("citation")
            ref_html = f' <span class="gt-ref">【{ref + 1}】</span>' if isinstance(ref, int) else ""
            items.append(f"<li>{MARK.get(c.get('met'), '？')} {esc(c.get('text'))}{ref_html}</li>")
        parts.append('<div class="gt-card"><h3>条件核对</h3><ul class="gt-check">' + "".join(items)
                     + '</ul><div class="gt-muted" style="margin-top:6px">✅ 满足　❌ 不满足　？ 需本人确认或信息不足</div></div>')
    return "".join(parts)


# --- document browser -------------------------------------------------------------------------

def document_choices(ctx: AppContext, region: str | None = None) -> list[tuple[str, str]]:
    out = []
    for doc, meta in ctx.catalog.items():
        if region and region != "全部" and meta.province != region:
            continue
        out.append((f"{meta.region}｜{doc}｜{meta.title}", doc))
    return out


def _highlight(text: str, keyword: str) -> str:
    if not keyword:
        return esc(text)
    return f"<mark>{esc(keyword)}</mark>".join(esc(part) for part in text.split(keyword))


def render_document_html(ctx: AppContext, doc: str | None, keyword: str = "", day: dt.date | None = None) -> str:
    if not doc or doc not in ctx.catalog:
        return '<div class="gt-muted">请选择一个文件。</div>'
    day = day or dt.date.today()
    meta = ctx.catalog[doc]
    state, label = ctx.validity(doc, day)
    keyword = (keyword or "").strip()
    rows = [("文号", doc), ("发文机关", meta.issuer), ("地区", meta.region),
            ("发布日期", f"{meta.issued:%Y-%m-%d}" if meta.issued else "原文未印日期"),
            ("施行日期", f"{meta.effective:%Y-%m-%d}" if meta.effective else "原文未载明"),
            ("有效期至", f"{meta.valid_until:%Y-%m-%d}" if meta.valid_until else "未规定")]
    if meta.validity_note:
        rows.append(("有效期说明", meta.validity_note))
    if meta.forwards:
        rows.append(("转发", meta.forwards))
    if meta.forwarded_by:
        rows.append(("转发文件", meta.forwarded_by))
    meta_html = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    head = (f'<div class="gt-doc-head"><h2>{esc(meta.title)}</h2>'
            f'<span class="gt-badge {state}">{esc(day.strftime("%Y-%m-%d"))} {esc(label)}</span>'
            f'<dl class="gt-meta">{meta_html}</dl></div>')
    clauses = ctx.clauses_by_doc.get(doc, [])
    if keyword:
        clauses = [c for c in clauses if keyword in c["text"]]
    groups: list[tuple[str, list[dict]]] = []
    for c in clauses:
        top = (c.get("section_path") or ["正文"])[0]
        if not groups or groups[-1][0] != top:
            groups.append((top, []))
        groups[-1][1].append(c)
    parts = []
    for n, (top, items) in enumerate(groups):
        rows_html = "".join(
            f'<div class="gt-clause" id="{esc(c["id"])}"><div class="gt-sec">{esc(c.get("section"))}</div>'
            f'<div class="gt-text">{_highlight(c["text"], keyword)}</div></div>' for c in items)
        # closed sections read as a table of contents; a search opens everything it found
        state = " open" if keyword or n < 2 else ""
        parts.append(f'<details{state}><summary>{esc(top)}（{len(items)} 条）</summary>{rows_html}</details>')
    count = f"共 {len(clauses)} 条" + (f"包含“{esc(keyword)}”" if keyword else "")
    tree = (f'<div class="gt-muted">{count}。点击章节标题展开；左侧为条款位置，右侧为原文。</div><div class="gt-tree">'
            + "".join(parts) + "</div>")
    if keyword and not clauses:
        tree = f'<div class="gt-muted">本文件没有包含“{esc(keyword)}”的条款。</div>'
    return head + tree


# --- the app --------------------------------------------------------------------------------

def build_app(assistant: Assistant) -> gr.Blocks:
    ctx = AppContext(assistant)
    docs_count = len(ctx.catalog)

    def api_ask(question: str, as_of: str = "", facts: dict | None = None) -> dict:
        """回答一个问题，返回合同规定的答案对象（JSON）。as_of 为 YYYY-MM-DD（留空为今天）；
        facts 为上一轮答案的 facts，用于多轮追问。"""
        return assistant.ask(question, as_of=as_of or None, facts=facts or None)

    def on_send(text: str, history: list, facts: dict, as_of: str):
        """A generator: with the optional LLM writer on, checked chunks stream into the last
        bubble; the final answer (rewrite, or the extractive one if a check failed) replaces it."""
        text = (text or "").strip()
        if not text:
            yield gr.update(), history, facts, gr.update(), gr.update()
            return
        session = ChatSession(assistant, facts=dict(facts or {}))
        as_of = (as_of or "").strip() or None
        history = [{k: v for k, v in m.items() if k != "options"} for m in (history or [])]
        history += [{"role": "user", "content": md_safe(text)}]
        for partial, answer in session.send_stream(text, as_of=as_of):
            if answer is None:
                yield "", history + [{"role": "assistant", "content": partial}], facts, gr.update(), gr.update()
                continue
            yield ("", history + chat_messages(answer), session.facts, render_facts_panel(session.facts),
                   render_sources_panel(ctx, answer, as_of))

    def on_option(history: list, facts: dict, as_of: str, evt: gr.SelectData):
        for out in on_send(str(evt.value), history, facts, as_of):
            yield out[1:]

    def on_example(history: list, facts: dict, as_of: str, evt: gr.SelectData):
        value = evt.value.get("text") if isinstance(evt.value, dict) else str(evt.value)
        for out in on_send(value, history, facts, as_of):
            yield out[1:]

    def on_reset():
        return [], {}, render_facts_panel({}), render_sources_panel(ctx, None), ""

    def on_self_check(region, credential, year, month, honours, assessment, target):
        if not region:
            return '<div class="gt-verdict unknown">？ 请先选择所在地区。</div>', "", ""
        if not credential and not honours:
            return '<div class="gt-verdict unknown">？ 请选择现有的技能等级或职称（没有请选“暂无”）。</div>', "", ""
        facts = build_self_check_facts(region, credential, year, month, honours, assessment, target)
        question = self_check_question(facts)
        answer = assistant.ask(question, facts=facts)
        day = _as_of_date((answer.get("decision") or {}).get("as_of"))
        detail = render_answer_markdown(answer)
        cites = answer.get("citations") or []
        sources = ('<div class="gt-card"><h3>依据条款</h3>' + render_warnings_html(answer.get("warnings"))
                   + (render_citations_html(ctx, cites, day) or '<div class="gt-muted">无</div>') + "</div>")
        asked = f'<div class="gt-muted" style="margin-bottom:8px">按以下情况核对：{esc(question)}</div>'
        return asked + render_verdict_html(answer), detail, sources

    year_now = dt.date.today().year
    years = [("（未选）", "")] + [(f"{y}年", str(y)) for y in range(year_now, year_now - 41, -1)]
    months = [("不记得", "0")] + [(f"{m}月", str(m)) for m in range(1, 13)]

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        gr.HTML(
            f'<div id="gt-header"><h1>{APP_TITLE}</h1>'
            "<p>高技能人才与专业技术人才职业发展贯通政策：技能等级 ⇄ 职称申报条件、年限、绿色通道，答案均附政策原文出处。</p>"
            f'<p class="gt-cover">收录 {docs_count} 份文件：四川省 · 上海市 · 湖北省黄石市 · 江苏省（含南通市转发）。'
            "本助手只依据收录文件作答，不作推测；具体申报以当年度评审通知为准。</p></div>"
        )
        with gr.Tabs():
            with gr.Tab("聊天问答", id="chat"):
                facts_state = gr.State({})
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(
                            elem_id="gt-chat", label="对话", show_label=False, height="calc(100vh - 300px)", min_height=460,
                            autoscroll=False,
                            latex_delimiters=[], allow_tags=False, sanitize_html=True,
                            feedback_options=None, buttons=["copy"],
                            placeholder="**您好，我是贯通政策助手。**\n\n"
                                        "可以问我：凭技能等级能否评职称、凭职称能否申报技能等级、要满几年、"
                                        "有哪些绿色通道，以及某条规定的原文。下面是一些例子（职工 / 人事干部）：",
                            examples=[{"text": q, "display_text": f"职工｜{q}"} for q in WORKER_EXAMPLES]
                            + [{"text": q, "display_text": f"人事｜{q}"} for q in HR_EXAMPLES],
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                elem_id="gt-question", show_label=False, scale=8, lines=1, max_lines=4,
                                placeholder="输入您的问题，例如：我在上海，技师满4年，能申报中级职称吗？（回车发送）")
                            send = gr.Button("发送", variant="primary", scale=1, min_width=90, elem_id="gt-send")
                        with gr.Accordion("设置：按哪一天的政策状态判断", open=False):
                            as_of = gr.Textbox(label="日期（YYYY-MM-DD，留空为今天）", placeholder="例如 2025-06-30",
                                               elem_id="gt-as-of")
                    with gr.Column(scale=2, min_width=320):
                        with gr.Column(elem_id="gt-facts-box"):
                            with gr.Row(equal_height=True):
                                gr.HTML("<h3>已了解的情况</h3>", elem_id="gt-facts-title")
                                reset = gr.Button("重新开始", variant="secondary", size="sm", scale=0, min_width=96,
                                                  elem_id="gt-reset")
                            facts_html = gr.HTML(render_facts_panel({}), elem_id="gt-facts-panel")
                        with gr.Column(elem_id="gt-sources-box"):
                            sources_html = gr.HTML(render_sources_panel(ctx, None), elem_id="gt-sources-panel")

                outputs = [question, chatbot, facts_state, facts_html, sources_html]
                for event in (
                    gr.on([question.submit, send.click], on_send, [question, chatbot, facts_state, as_of], outputs,
                          api_visibility="private"),
                    chatbot.option_select(on_option, [chatbot, facts_state, as_of], outputs[1:],
                                          api_visibility="private"),
                    chatbot.example_select(on_example, [chatbot, facts_state, as_of], outputs[1:],
                                           api_visibility="private"),
                ):
                    event.then(None, js=SCROLL_TO_LAST_QUESTION)
                reset.click(on_reset, None, [chatbot, facts_state, facts_html, sources_html, question],
                            api_visibility="private")

            with gr.Tab("资格自测", id="self-check"):
                gr.Markdown("填写您的情况，按收录的政策逐条核对申报条件，并告诉您现在能申报什么、下一级何时开放。")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2, min_width=320):
                        sc_region = gr.Radio(region_choices(), label="所在地区", elem_id="sc-region")
                        sc_cred = gr.Dropdown(credential_choices(), label="现有的技能等级或职称", value=None,
                                              elem_id="sc-credential")
                        with gr.Row():
                            sc_year = gr.Dropdown(years, label="取得年份", value="", elem_id="sc-year")
                            sc_month = gr.Dropdown(months, label="取得月份", value="0", elem_id="sc-month")
                        sc_honours = gr.Dropdown(honour_choices(), multiselect=True, label="获得的荣誉或竞赛奖项（可多选）",
                                                 elem_id="sc-honours")
                        sc_assess = gr.Radio(["合格", "不合格", "不确定"], value="不确定", label="近3年年度考核",
                                             elem_id="sc-assessment")
                        sc_target = gr.Dropdown(target_choices(), value=ANY_TARGET, label="想申报", elem_id="sc-target")
                        sc_run = gr.Button("开始自测", variant="primary", elem_id="sc-run")
                    with gr.Column(scale=3, min_width=360):
                        sc_verdict = gr.HTML('<div class="gt-muted">填写左侧信息后点“开始自测”。</div>',
                                             elem_id="sc-verdict")
                        with gr.Accordion("详细说明（规则原文与相关条款）", open=False):
                            sc_detail = gr.Markdown(elem_id="sc-detail")
                        sc_sources = gr.HTML(elem_id="sc-sources")
                sc_region.change(lambda r: gr.update(choices=honour_choices(r)), sc_region, sc_honours,
                                 api_visibility="private")
                sc_run.click(on_self_check, [sc_region, sc_cred, sc_year, sc_month, sc_honours, sc_assess, sc_target],
                             [sc_verdict, sc_detail, sc_sources], api_visibility="private")

            with gr.Tab("政策文件", id="documents"):
                gr.Markdown("按地区浏览收录的政策文件：文号、日期、今天是否有效，以及按章节排列的条款原文。")
                provinces = ["全部", *dict.fromkeys(m.province for m in ctx.catalog.values())]
                with gr.Row():
                    doc_region = gr.Radio(provinces, value="全部", label="地区", scale=2, elem_id="doc-region")
                    first_doc = next(iter(ctx.catalog), None)
                    doc_pick = gr.Dropdown(document_choices(ctx), value=first_doc, label="文件", scale=5,
                                           elem_id="doc-pick")
                    doc_search = gr.Textbox(label="在本文件中查找", placeholder="例如：满3年", scale=2,
                                            elem_id="doc-search")
                doc_view = gr.HTML(render_document_html(ctx, first_doc), elem_id="doc-view")

                def on_region(region):
                    choices = document_choices(ctx, region)
                    value = choices[0][1] if choices else None
                    return gr.update(choices=choices, value=value)

                doc_region.change(on_region, doc_region, doc_pick, api_visibility="private")
                gr.on([doc_pick.change, doc_search.submit, doc_search.change],
                      lambda d, k: render_document_html(ctx, d, k), [doc_pick, doc_search], doc_view,
                      api_visibility="private")

        gr.api(api_ask, api_name="ask")
    return demo


# --- serving: the launch code lives in server/cli.py (kept importable from here) -------------------

from server.cli import load_assistant, main, parse_auth  # noqa: F401
