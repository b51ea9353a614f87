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


def with_references(citations: list[dict], align: bool = True, clauses: dict[str, list[dict]] | None = None,
                    whole_under: int = 0) -> list[dict]:
    """Citations ready to paste: each gets `reference` (the 公文 form). With `align`, a citation whose
    quote lies in one clause of `clauses` (the answering index's clause store, by 文号) takes that
    clause's label (the document's own numbering, one style), its `paragraph`, and cut flags when the
    quote is only part of the clause — so rule citations written by hand read like retrieval ones.
    A body clause shorter than `whole_under` characters is quoted whole, as lookups quote short
    clauses ("5.取得副高级职称后…满5年；或取得高级技师…满10年。", not one half of the item).
    Returns new dicts; the input is not changed."""
    out = []
    for c in citations:
        c = dict(c)
        if align and clauses:
            c |= _aligned(clauses.get(c.get("doc", ""), ()), c.get("quote", ""), whole_under)
        c["reference"] = official_reference(c)
        out.append(c)
    return out


def _field(clause: dict, key: str):
    return clause.get(key, (clause.get("extra") or {}).get(key))


def _aligned(clauses, quote: str, whole_under: int = 0) -> dict:
    from ingest.corpus import squash

    needle = squash(quote)
    if not needle:
        return {}
    for clause in clauses:
        text = squash(clause["text"])
        at = text.find(needle)
        if at >= 0 and len(clause["text"].strip()) < whole_under and clause.get("kind") not in ("preamble", "closing"):
            return {"section": clause["section"], "paragraph": _field(clause, "paragraph"),
                    "quote": clause["text"].strip(), "cut_before": bool(_field(clause, "cut_before")),
                    "cut_after": bool(_field(clause, "cut_after"))}
        if at >= 0:
            return {"section": clause["section"], "paragraph": _field(clause, "paragraph"),
                    "cut_before": bool(_field(clause, "cut_before")) or at > 0,
                    "cut_after": bool(_field(clause, "cut_after")) or at + len(needle) < len(text)}
    return {}


def merge_same_clause(citations: list[dict], clauses: dict[str, list[dict]], longest: int = 400) -> tuple[list[dict], dict[int, int]]:
    """One citation per clause: two quotes of the same clause (a rule's path sentence and its list of
    honours, say) become one verbatim quote running from the first to the end of the second, so the
    answering sentence is never hidden in a second copy of the same label. Citations are those of
    `with_references`; returns the merged list and old index → new index (for 【n】 and conditions)."""
    from ingest.corpus import squash

    out: list[dict] = []
    where: dict[int, int] = {}
    spans: dict[int, tuple[dict, int, int]] = {}  # out index -> (clause, start, end) in the clause's raw text
    for i, c in enumerate(citations):
        found = _raw_span(clauses.get(c.get("doc", ""), ()), c.get("quote", ""), squash)
        j = next((k for k, (clause, _, _) in spans.items()
                  if found and clause is found[0] and out[k].get("section") == c.get("section")), None)
        if j is not None:
            clause, start, end = spans[j]
            start, end = min(start, found[1]), max(end, found[2])
            if end - start <= longest:
                text = clause["text"]
                merged = dict(out[j], quote=text[start:end].strip())
                merged |= {"cut_before": bool(_field(clause, "cut_before")) or bool(text[:start].strip()),
                           "cut_after": bool(_field(clause, "cut_after")) or bool(text[end:].strip())}
                merged["reference"] = official_reference(merged)
                out[j], spans[j], where[i] = merged, (clause, start, end), j
                continue
        where[i] = len(out)
        if found:
            spans[len(out)] = found
        out.append(c)
    return out, where


def _raw_span(clauses, quote: str, squash) -> tuple[dict, int, int] | None:
    """(clause, start, end): where `quote` lies in one clause's raw text, whitespace ignored."""
    needle = squash(quote)
    if not needle:
        return None
    for clause in clauses:
        text = clause["text"]
        keep = [k for k, ch in enumerate(text) if squash(ch)]
        flat = "".join(text[k] for k in keep)
        at = flat.find(needle)
        if at >= 0:
            return clause, keep[at], keep[at + len(needle) - 1] + 1
    return None


def renumber(text: str, where: dict[int, int]) -> str:
    """Rewrite every 【n】 of `text` by `where` (0-based old index → new index); a marker repeated
    after a merge ("【1】【2】" → "【1】【1】") is kept once."""
    import re

    text = re.sub(r"【(\d+)】", lambda m: f"【{where.get(int(m.group(1)) - 1, int(m.group(1)) - 1) + 1}】", text)
    return re.sub(r"(【\d+】)(\1)+", r"\1", text)
