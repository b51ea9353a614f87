"""The reasoning's data types: cited clauses in first-use order, one evaluated condition and one
evaluated rule. Reasoning builds them, rendering reads them; neither room is imported here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import Rule
from .rulebook import RuleBook


class Citations:
    """Collects cited clauses in first-use order; `ref` returns the 0-based index."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.ids: list[str] = []
        self.adhoc: dict[str, tuple[str, str, str]] = {}

    def ref(self, clause_id: str) -> int:
        if clause_id not in self.ids:
            self.ids.append(clause_id)
        return self.ids.index(clause_id)

    def ref_quote(self, doc: str, section: str, quote: str) -> int:
        """Cite a passage that is not a named clause (e.g. one entry of the Jiangsu directory)."""
        key = f"{doc}|{section}|{quote}"
        self.adhoc[key] = (doc, section, quote)
        return self.ref(key)

    def mark(self, clause_id: str) -> str:
        """The 1-based 【n】 marker for the answer text."""
        return f"【{self.ref(clause_id) + 1}】"

    def as_list(self) -> list[dict[str, str]]:
        out = []
        for cid in self.ids:
            doc, section, quote = self._parts(cid)
            out.append({"doc": doc, "title": self.book.documents[doc].title, "section": section, "quote": quote})
        return out

    def _parts(self, cid: str) -> tuple[str, str, str]:
        if cid in self.adhoc:
            return self.adhoc[cid]
        clause = self.book.clauses[cid]
        return clause.doc, clause.section, clause.quote

    def warnings(self, as_of: date) -> list[str]:
        """Validity warnings for every cited document (e.g. 川人社规〔2023〕15号 after 2026-01-31)."""
        out: list[str] = []
        for doc_id in dict.fromkeys(self._parts(c)[0] for c in self.ids):
            doc = self.book.documents[doc_id]
            if doc.valid_until and as_of > doc.valid_until:
                note = f"（{doc.validity_note}）" if doc.validity_note else ""
                out.append(
                    f"{doc.doc}的有效期至{doc.valid_until.isoformat()}{note}，按{as_of.isoformat()}计已过有效期；"
                    "以下依据该文件的内容仅供参考，请以现行规定为准。"
                )
            elif doc.effective and as_of < doc.effective:
                out.append(f"{doc.doc}自{doc.effective.isoformat()}起施行，按{as_of.isoformat()}计尚未施行。")
        return out


# ---------------------------------------------------------------------------------------------
# evaluated conditions and rules


@dataclass
class Cond:
    """One evaluated condition: met is True / False / None (unknown)."""

    text: str
    met: bool | None
    cite: str
    deciding: bool  # False for standard conditions the user normally does not state
    kind: str  # credential | years | honour | requires | standard | unquantified


@dataclass
class RuleResult:
    """A rule evaluated against the facts."""

    rule: Rule
    status: bool | None
    conds: list[Cond]
    target: str | None
    missing: list[str] = field(default_factory=list)
    follow_up: str | None = None
    opens_on: date | None = None
    remaining: float | None = None
    honours_used: list[str] = field(default_factory=list)
    credential_exact: bool = True
    years_only_fail: bool = False  # False only because 满N年 is not yet reached

