"""Extractive answers: the best clauses quoted verbatim with 【n】 markers, grouped by document."""
from __future__ import annotations

import re

from assistant.retrieve import Hit

_WS = re.compile(r"\s+")


def display_quote(text: str) -> str:
    """Clause text on one line (table cells and line breaks become single spaces): still verbatim
    under the whitespace-insensitive comparison the contract uses."""
    return _WS.sub(" ", text).strip()


def citation_from_clause(clause: dict) -> dict:
    return {
        "doc": clause["doc"], "title": clause["title"], "section": clause["section"],
        "section_path": " > ".join(clause["section_path"]), "quote": display_quote(clause["text"]),
        "clause_id": clause["id"], "region": clause["province"] + (f"·{clause['city']}" if clause.get("city") else ""),
    }


def extractive_answer(hits: list[Hit], start_index: int = 1, lead: str | None = None) -> tuple[str, list[dict]]:
    """Markdown answer + citations for `hits` (already ranked); markers start at `start_index`."""
    citations = [citation_from_clause(h.clause) for h in hits]
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(citations):
        groups.setdefault(c["doc"], []).append(i)
    lines = [lead or "根据收录的政策文件，与您的问题最相关的条款如下（原文摘录）："]
    for doc, idxs in groups.items():
        lines.append(f"\n**{doc}**《{citations[idxs[0]]['title']}》")
        for i in idxs:
            c = citations[i]
            lines.append(f"- 【{start_index + i}】{c['section']}：“{c['quote']}”")
    lines.append("\n以上为政策原文摘录，具体申报以当年度评审通知和所在单位要求为准。")
    return "\n".join(lines), citations
