"""A question that asks for a list ("有哪几条基本原则", "分几个阶段") is answered by the whole list.

The documents number the items of a list as sibling clauses (二、（一）…（四）, 一、（二）1.…4.). Quoted
one by one and ranked by score, the item a reader wanted first was as often the fourth citation as
the first. `merge_siblings` turns the retrieved items of one list into one hit: the clauses from the
first to the last item, in document order and contiguous (so the quote is verbatim corpus text),
labelled with the range as the splitter labels a clause that spans siblings ('二、（一）至（四）').
`list_lead` is the first line: the list's heading and its items' names.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from assistant.retrieve import Hit
from ingest.split import heading_of, range_label

MIN_ITEMS = 2


def _parent(clause: dict) -> tuple[str, tuple[str, ...]]:
    return clause["doc"], tuple(clause["section_path"][:-1])


def merge_siblings(hits: Sequence[Hit], clauses: Sequence[dict]) -> list[Hit]:
    """`hits` with the items of each list that has at least MIN_ITEMS of them retrieved merged into
    one hit, placed where its best item ranked."""
    groups: dict[tuple, list[Hit]] = {}
    for h in hits:
        if len(h.clause["section_path"]) >= 2 and heading_of(h.clause["section_path"][-1]):
            groups.setdefault(_parent(h.clause), []).append(h)
    merged: dict[tuple, Hit] = {}
    for key, members in groups.items():
        if len(members) < MIN_ITEMS:
            continue
        siblings = sorted((c for c in clauses if _parent(c) == key), key=lambda c: c["start"])
        first = min(m.clause["start"] for m in members)
        last = max(m.clause["start"] for m in members)
        run = [c for c in siblings if first <= c["start"] <= last]
        if len(run) < MIN_ITEMS or any(b["start"] > a["end"] + 2 for a, b in pairwise(run)):
            continue  # not contiguous in the document: quote the items apart
        label = range_label(run[0]["section_path"], [heading_of(c["section_path"][-1]) for c in run])
        clause = dict(run[0], text="\n".join(c["text"] for c in run), section=label, end=run[-1]["end"],
                      id="+".join(c["id"] for c in run), items=[c["section_path"][-1] for c in run],
                      cut_before=False, cut_after=False, paragraph=None)
        merged[key] = Hit(clause, max(m.score for m in members), bm25=max(m.bm25 for m in members),
                          dense=max(m.dense for m in members))
    out: list[Hit] = []
    for h in hits:
        key = _parent(h.clause)
        if key in merged:
            if merged[key] is not None:
                out.append(merged[key])
                merged[key] = None  # placed once, at its best-ranked item
            continue
        out.append(h)
    return out


def list_lead(clause: dict) -> str | None:
    """'二、基本原则共4条：以德为先；科学评价；鼓励互通；以用为本' for a merged list, else None."""
    items = clause.get("items")
    if not items:
        return None
    names = list(dict.fromkeys(re.sub(r"^\S*?[、.）)]\s*", "", i).strip() for i in items))  # paragraphs of one item
    heading = re.sub(r"^\S*?[、.）)]\s*", "", clause["section_path"][-2]).strip() if len(clause["section_path"]) >= 2 else ""
    return f"{heading}共{len(names)}条：{'；'.join(n for n in names if n)}"
