"""Citations from clauses (whole, or a verbatim sentence slice of one) and the quote list of an answer."""
from __future__ import annotations

import re

from assistant.cite import official_reference, quote_with_cuts
from assistant.retrieve import Hit

_WS = re.compile(r"\s+")


def display_quote(text: str) -> str:
    """Clause text on one line (table cells and line breaks become single spaces): still verbatim
    under the whitespace-insensitive comparison the contract uses."""
    return _WS.sub(" ", text).strip()


def citation_from_clause(clause: dict, span: tuple[int, int] | None = None) -> dict:
    """The citation of a clause, or of the slice `span` (offsets into its text) of it. A slice, or a
    clause that is itself a piece of a longer paragraph, is flagged cut_before / cut_after so the
    pasted form shows "……" there; `paragraph` is the position under a label shared by several."""
    text = clause["text"]
    start, end = span if span else (0, len(text))
    c = {
        "doc": clause["doc"], "title": clause["title"], "section": clause["section"],
        "section_path": " > ".join(clause["section_path"]), "quote": display_quote(text[start:end]),
        "clause_id": clause["id"], "region": clause["province"] + (f"·{clause['city']}" if clause.get("city") else ""),
        "paragraph": clause.get("paragraph"),
        "cut_before": bool(clause.get("cut_before")) or bool(text[:start].strip()),
        "cut_after": bool(clause.get("cut_after")) or bool(text[end:].strip()),
    }
    c["reference"] = official_reference(c)
    return c


def quote_line(n: int, c: dict) -> str:
    """'- 【n】section · 第k段：“……quote……”' — the paragraph position kept apart from the label."""
    where = c["section"] + (f" · 第{c['paragraph']}段" if c.get("paragraph") else "")
    return f"- 【{n}】{where}：“{quote_with_cuts(c)}”"


def quote_list(citations: list[dict], start_index: int = 1) -> list[str]:
    """Quote lines grouped by document, numbered from `start_index` in citation order."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(citations):
        groups.setdefault(c["doc"], []).append(i)
    lines = []
    for doc, idxs in groups.items():
        lines.append(f"\n**{doc}**《{citations[idxs[0]]['title']}》")
        lines += [quote_line(start_index + i, citations[i]) for i in idxs]
    return lines


def extractive_answer(hits: list[Hit], start_index: int = 1, lead: str | None = None) -> tuple[str, list[dict]]:
    """Markdown answer + citations for `hits` (already ranked); markers start at `start_index`."""
    citations = [citation_from_clause(h.clause) for h in hits]
    lines = [lead or "根据收录的政策文件，与您的问题最相关的条款如下（原文摘录）："]
    lines += quote_list(citations, start_index)
    lines.append("\n以上为政策原文摘录，具体申报以当年度评审通知和所在单位要求为准。")
    return "\n".join(lines), citations
