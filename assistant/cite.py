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
