"""The 政策文件 tab: documents by region, each clause verbatim, search that ignores spacing and width.

The cleaned corpus keeps the documents' own spacing ("满 2 年"), while people type "满2年" or
full-width digits; search therefore matches on a normalised copy of the text and maps the hits
back to the original characters, which are highlighted unchanged.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from web.context import AppContext, esc, squash

ALL_REGIONS = "全部"


def _normal(text: str) -> tuple[str, list[int]]:
    """Text with whitespace dropped, NFKC-normalised (full → half width) and case-folded,
    plus for every character of the result the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        for out in unicodedata.normalize("NFKC", ch).casefold():
            if not out.isspace():
                chars.append(out)
                origin.append(i)
    return "".join(chars), origin


def find_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, ignoring whitespace and character width: [(start, end)]
    in `text`'s own indices (a span may include the spaces between matched characters)."""
    target, _ = _normal(needle or "")
    if not target:
        return []
    hay, origin = _normal(text)
    spans, at = [], hay.find(target)
    while at >= 0:
        spans.append((origin[at], origin[at + len(target) - 1] + 1))
        at = hay.find(target, at + len(target))
    return spans


def highlight(text: str, spans: list[tuple[int, int]], css: str = "") -> str:
    """Escaped text with each span wrapped in <mark>."""
    out, pos = [], 0
    cls = f' class="{css}"' if css else ""
    for start, end in spans:
        out.append(esc(text[pos:start]))
        out.append(f"<mark{cls}>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def provinces(ctx: AppContext) -> list[str]:
    return [ALL_REGIONS, *dict.fromkeys(m.province for m in ctx.catalog.values())]


def document_choices(ctx: AppContext, region: str | None = None) -> list[tuple[str, str]]:
    """(label, 文号) of the region's documents, its main document first: a document that forwards
    another (南通's cover letter for the 江苏 plan) comes after the one it forwards."""
    docs = [(doc, meta) for doc, meta in ctx.catalog.items()
            if not region or region == ALL_REGIONS or meta.province == region]
    docs.sort(key=lambda item: bool(item[1].forwards))
    return [(f"{meta.region}｜{doc}｜{meta.title}", doc) for doc, meta in docs]


def main_document(ctx: AppContext, region: str | None) -> str | None:
    choices = document_choices(ctx, region)
    return choices[0][1] if choices else None


def _meta_rows(meta, doc: str) -> list[tuple[str, str]]:
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
    return rows


def render_document_html(ctx: AppContext, doc: str | None, keyword: str = "", day: dt.date | None = None,
                         focus: str = "") -> str:
    """One document: header with its validity badge, then its clauses by top-level section.
    `keyword` filters and highlights; `focus` (a citation's quote) highlights that passage and
    marks its clause for the page script to scroll to."""
    if not doc or doc not in ctx.catalog:
        return '<div class="gt-muted">请选择一个文件。</div>'
    day = day or dt.date.today()
    meta = ctx.catalog[doc]
    state, label = ctx.validity(doc, day)
    keyword = (keyword or "").strip()
    meta_html = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in _meta_rows(meta, doc))
    head = (f'<div class="gt-doc-head"><h2>{esc(meta.title)}</h2>'
            f'<span class="gt-badge {state}">{esc(day.strftime("%Y-%m-%d"))} {esc(label)}</span>'
            f'<dl class="gt-meta">{meta_html}</dl></div>')
    clauses = ctx.clauses_by_doc.get(doc, [])
    hits = {c["id"]: find_spans(c["text"], keyword) for c in clauses} if keyword else {}
    if keyword:
        clauses = [c for c in clauses if hits[c["id"]]]
    focus_key = squash(focus)[:60]
    groups: list[tuple[str, list[dict]]] = []
    for c in clauses:
        top = (c.get("section_path") or ["正文"])[0]
        if not groups or groups[-1][0] != top:
            groups.append((top, []))
        groups[-1][1].append(c)
    parts = []
    for n, (top, items) in enumerate(groups):
        rows, has_focus = [], False
        for c in items:
            spans, css, cls = hits.get(c["id"], []), "", "gt-clause"
            if focus_key and focus_key in squash(c["text"]):
                spans, css, cls, has_focus = find_spans(c["text"], focus) or spans, "gt-hit", "gt-clause gt-focus", True
            rows.append(f'<div class="{cls}" id="clause-{esc(c["id"])}"><div class="gt-sec">{esc(c.get("section"))}</div>'
                        f'<div class="gt-text">{highlight(c["text"], spans, css)}</div></div>')
        # closed sections read as a table of contents; a search or a cited passage opens its section
        opened = " open" if keyword or has_focus or (n < 2 and not focus_key) else ""
        parts.append(f'<details{opened}><summary>{esc(top)}（{len(items)} 条）</summary>{"".join(rows)}</details>')
    count = f"共 {len(clauses)} 条" + (f"包含“{esc(keyword)}”" if keyword else "")
    tree = (f'<div class="gt-muted">{count}。点击章节标题展开；每条先写条款位置，后面是原文。</div>'
            f'<div class="gt-tree">{"".join(parts)}</div>')
    if keyword and not clauses:
        tree = f'<div class="gt-muted">本文件没有包含“{esc(keyword)}”的条款（已忽略空格和全角半角）。</div>'
    return head + tree
