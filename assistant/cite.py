"""The citation forms a person can paste: one function, shared by the answer text, the JSON and the UI.

A citation object (contract: `doc`, `title`, `section`, `quote`) may carry `cut_before` /
`cut_after` when its quote is a verbatim slice of a longer clause; the pasted form then shows
"……" on that side. The `quote` field itself stays verbatim corpus text.
"""
from __future__ import annotations

ELLIPSIS = "……"


def quote_with_cuts(citation: dict) -> str:
    """The quote as shown to people: "……" marks where the clause goes on beyond the excerpt."""
    quote = citation.get("quote", "")
    return (ELLIPSIS if citation.get("cut_before") else "") + quote + (ELLIPSIS if citation.get("cut_after") else "")


def official_reference(citation: dict) -> str:
    """《title》（文号）section：“quote” — the 公文 form an HR officer pastes into a reply."""
    section = citation.get("section") or ""
    return f"《{citation.get('title', '')}》（{citation.get('doc', '')}）{section}：“{quote_with_cuts(citation)}”"


def with_references(citations: list[dict], align: bool = True, clauses: dict[str, list[dict]] | None = None) -> list[dict]:
    """Citations ready to paste: each gets `reference` (the 公文 form). With `align`, a citation whose
    quote lies in one clause of `clauses` (the answering index's clause store, by 文号) takes that
    clause's label (the document's own numbering, one style), its `paragraph`, and cut flags when the
    quote is only part of the clause — so rule citations written by hand read like retrieval ones.
    Returns new dicts; the input is not changed."""
    out = []
    for c in citations:
        c = dict(c)
        if align and clauses:
            c |= _aligned(clauses.get(c.get("doc", ""), ()), c.get("quote", ""))
        c["reference"] = official_reference(c)
        out.append(c)
    return out


def _field(clause: dict, key: str):
    return clause.get(key, (clause.get("extra") or {}).get(key))


def _aligned(clauses, quote: str) -> dict:
    from ingest.corpus import squash

    needle = squash(quote)
    if not needle:
        return {}
    for clause in clauses:
        text = squash(clause["text"])
        at = text.find(needle)
        if at >= 0:
            return {"section": clause["section"], "paragraph": _field(clause, "paragraph"),
                    "cut_before": bool(_field(clause, "cut_before")) or at > 0,
                    "cut_after": bool(_field(clause, "cut_after")) or at + len(needle) < len(text)}
    return {}
