"""Answer objects → the HTML of the conversation (and the plain text people copy).

Everything the user typed and every corpus string is escaped here; the assistant's Markdown is
rendered with raw HTML, links and images switched off, so nothing in a question or an answer can
make the browser fetch anything. Buttons carry `data-act` for the page script (web/static/chat.js).
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

from assistant.chat import quick_replies, summarize_facts
from assistant.cite import official_reference, quote_with_cuts
from rules.render import source_words
from web.context import AppContext, as_of_date, esc

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

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.disable(["image", "link", "autolink", "html_block", "html_inline"])
_REF = re.compile(r"【(\d+)】")
# The rule engine ends a decision with its rule ids ("（规则：`sh.s2t.intermediate`）") for the JSON's
# readers; a worker cannot use them, so the page and the copied text leave that line out.
_RULE_IDS = re.compile(r"^（规则：(?:`[^`\n]+`、?)+）[ \t]*\n?", re.MULTILINE)


def for_people(markdown: str) -> str:
    return _RULE_IDS.sub("", markdown or "")


def markdown_html(text: str) -> str:
    """The assistant's Markdown as HTML: no raw HTML, no links, no images."""
    return _MD.render(text or "")


def _ref_buttons(body_html: str, citations: list[dict]) -> str:
    """【n】 → a button that shows citation n (its quote as the hover text)."""
    def button(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(citations):
            return m.group(0)
        quote = quote_with_cuts(citations[n - 1])
        return (f'<button type="button" class="gt-ref" data-act="ref" data-n="{n}" title="{esc(quote)}" '
                f'aria-label="出处{n}">【{n}】</button>')
    return _REF.sub(button, body_html)


def plain_text(markdown: str) -> str:
    """Markdown → the text a person pastes: no **, no backticks, no list or quote markers."""
    out = []
    for line in (markdown or "").splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = re.sub(r"^(\s*)[-*+]\s+", r"\1· ", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = line.replace("`", "")
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def answer_copy_text(answer: dict) -> str:
    """The answer as plain text, followed by its sources in the 公文 form."""
    text = plain_text(for_people(answer.get("answer", "")))
    warnings = answer.get("warnings") or []
    if warnings:
        text += "\n\n" + "\n".join(f"有效期提示：{w}" for w in warnings)
    citations = answer.get("citations") or []
    if citations:
        text += "\n\n依据：\n" + "\n".join(f"【{i}】{official_reference(c)}" for i, c in enumerate(citations, 1))
    return text


def citation_card(ctx: AppContext, citation: dict, n: int, day) -> str:
    state, label = ctx.validity(citation.get("doc", ""), day)
    path = ctx.section_path(citation)
    return (
        f'<div class="gt-cite" data-n="{n}">'
        f'<div class="gt-cite-head"><span class="gt-num">【{n}】</span>'
        f'<span class="gt-doc">{esc(citation.get("doc"))}</span>'
        f'<span class="gt-sec">{esc(citation.get("section"))}</span>'
        + (f'<span class="gt-badge {state}">{esc(label)}</span>' if label else "")
        + f'</div><div class="gt-title">《{esc(citation.get("title"))}》</div>'
        + (f'<div class="gt-path">条款位置：{esc(path)}</div>' if path else "")
        + f'<div class="gt-quote">{esc(quote_with_cuts(citation))}</div>'
        '<div class="gt-cite-tools">'
        f'<button type="button" class="gt-tool" data-act="copy" data-copy="{esc(official_reference(citation))}">'
        '复制引用</button>'
        f'<button type="button" class="gt-tool" data-act="doc" data-doc="{esc(citation.get("doc"))}" '
        f'data-quote="{esc(citation.get("quote"))}">在原文中查看</button></div></div>'
    )


def citation_cards(ctx: AppContext, citations: list[dict], day) -> str:
    return "".join(citation_card(ctx, c, i, day) for i, c in enumerate(citations, 1))


def warnings_html(warnings: list[str] | None) -> str:
    return "".join(f'<div class="gt-warn">⚠️ 有效期提示：{esc(w)}</div>' for w in warnings or [])


def _send_buttons(items: list[tuple[str, str]], css: str = "gt-option") -> str:
    return "".join(f'<button type="button" class="{css}" data-act="send" data-text="{esc(text)}">{esc(label)}</button>'
                   for label, text in items)


def examples_html() -> str:
    return ('<div class="gt-examples"><div class="gt-ex-head">职工常问</div>'
            + _send_buttons([(q, q) for q in WORKER_EXAMPLES], "gt-example")
            + '<div class="gt-ex-head">人事干部常问</div>'
            + _send_buttons([(q, q) for q in HR_EXAMPLES], "gt-example") + "</div>")


def welcome_html() -> str:
    return ('<div class="gt-welcome"><p><b>您好，我是贯通政策助手。</b></p>'
            "<p>可以问我：凭技能等级能否评职称、凭职称能否申报技能等级、要满几年、有哪些绿色通道，"
            "以及某条规定的原文。点一个例子试试：</p>" + examples_html() + "</div>")


def turn_html(ctx: AppContext, turn: dict, last: bool, feedback: bool) -> str:
    answer = turn.get("answer") or {}
    citations = answer.get("citations") or []
    day = as_of_date(turn.get("as_of") or (answer.get("decision") or {}).get("as_of"))
    body = _ref_buttons(markdown_html(for_people(answer.get("answer", ""))), citations)
    options = ""
    if last:
        replies = quick_replies(answer)
        if replies:
            options = '<div class="gt-options">' + _send_buttons([(r.label, r.text) for r in replies]) + "</div>"
    tools = (f'<button type="button" class="gt-tool" data-act="copy" data-copy="{esc(answer_copy_text(answer))}">'
             "复制回答</button>")
    if feedback:
        tools += ('<button type="button" class="gt-tool gt-fb" data-act="fb" data-rating="up" aria-label="有帮助">👍</button>'
                  '<button type="button" class="gt-tool gt-fb" data-act="fb" data-rating="down" aria-label="没帮助">👎</button>')
    sources = ""
    if citations:
        sources = (f'<details class="gt-sources"><summary>出处原文（{len(citations)} 条）</summary>'
                   + citation_cards(ctx, citations, day) + "</details>")
    return (f'<article class="gt-turn" data-turn="{esc(turn.get("id"))}">'
            f'<div class="gt-q"><div class="gt-q-text">{esc(turn.get("question"))}</div></div>'
            f'<div class="gt-a"><div class="gt-a-body">{body}</div>{warnings_html(answer.get("warnings"))}'
            f'{options}<div class="gt-tools">{tools}</div>{sources}</div></article>')


def pending_html(question: str, partial: str = "") -> str:
    """The turn being answered (the optional writer streams its checked text into it)."""
    shown = f'<div class="gt-a-body gt-partial">{esc(partial)}</div>' if partial else \
        '<div class="gt-a-body gt-wait">正在查找政策原文……</div>'
    return (f'<article class="gt-turn gt-pending"><div class="gt-q"><div class="gt-q-text">{esc(question)}</div></div>'
            f'<div class="gt-a">{shown}</div></article>')


def conversation_html(ctx: AppContext, store: dict | None, feedback: bool, pending: str = "") -> str:
    """The whole conversation (or the welcome with examples when there is none)."""
    turns = (store or {}).get("turns") or []
    if not turns and not pending:
        return welcome_html()
    parts = [turn_html(ctx, t, i == len(turns) - 1 and not pending, feedback) for i, t in enumerate(turns)]
    return "".join(parts) + pending


def facts_html(facts: dict | None) -> str:
    summary = summarize_facts(facts)
    if not summary:
        return '<div class="gt-muted" id="gt-facts">还没有信息。直接提问，或告诉我您所在的地区、现有的技能等级或职称、取得多少年。</div>'
    chips = "".join(f'<span class="gt-chip">{esc(part)}</span>' for part in summary.split("；"))
    said = source_words(facts)
    words = ""
    if said:  # each fact with the words it came from, so a misreading is visible at once
        words = ('<div class="gt-muted gt-said">您的原话：'
                 + "；".join(f"“{esc(w)}”→{esc(label)}" for w, label in said) + "</div>")
    return f'<div class="gt-chips" id="gt-facts" data-summary="{esc(summary)}">{chips}</div>{words}'


__all__ = ["HR_EXAMPLES", "WORKER_EXAMPLES", "answer_copy_text", "citation_cards", "conversation_html",
           "facts_html", "markdown_html", "pending_html", "plain_text", "turn_html", "warnings_html"]
