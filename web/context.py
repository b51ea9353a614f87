"""What every session shares: the loaded assistant plus the lookups the pages need."""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

VALIDITY_LABEL = {"valid": "现行有效", "expired": "已过有效期", "not_yet": "尚未施行"}


def esc(text: Any) -> str:
    """Text → HTML-safe text. Every piece of user or corpus text goes through here."""
    return html.escape("" if text is None else str(text), quote=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def as_of_date(value: Any) -> dt.date:
    """A date from an answer or a form; today when missing or malformed."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


class AppContext:
    """The loaded assistant plus clauses by document and the catalogue (文号 → DocMeta)."""

    def __init__(self, assistant: Any):
        self.assistant = assistant
        self.catalog = assistant.catalog
        clauses = list(getattr(assistant.index, "clauses", []))
        self.clauses_by_doc: dict[str, list[dict]] = {}
        for c in sorted(clauses, key=lambda c: (c["doc"], c.get("start", 0))):
            self.clauses_by_doc.setdefault(c["doc"], []).append(c)

    def clause_of(self, citation: dict) -> dict | None:
        """The clause whose text contains the citation's quote (whitespace-insensitive)."""
        quote = squash(citation.get("quote", ""))[:60]
        if not quote:
            return None
        for c in self.clauses_by_doc.get(citation.get("doc", ""), []):
            if quote in squash(c["text"]):
                return c
        return None

    def section_path(self, citation: dict) -> str:
        """The citation's heading path; rule citations carry only the compact section, so the
        path comes from the clause whose text contains the quote."""
        if citation.get("section_path"):
            return citation["section_path"]
        clause = self.clause_of(citation)
        return " › ".join(clause.get("section_path") or []) if clause else ""

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
