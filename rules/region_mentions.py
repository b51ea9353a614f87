"""Regions named in a question: covered region keys in order, an uncovered place, and 湖北 alone
read as 黄石 (the only 湖北 document)."""

from __future__ import annotations

from . import lexicon
from .cues import scan


def read_regions(text: str, taken: list[tuple[int, int]]) -> tuple[list[str], str | None, bool]:
    """(covered region keys in order, uncovered place, region_from_province)."""
    vocab = {alias: ("place", key) for alias, key in lexicon.region_aliases().items()}
    mentions = scan(text, vocab, taken)
    covered: list[str] = []
    uncovered: list[str] = []
    for m in mentions:
        if lexicon.is_covered(m.key):
            covered.append(m.key)
        else:
            uncovered.append(m.key)
    covered = list(dict.fromkeys(covered))
    from_province = False
    if "湖北" in uncovered:
        hubei_cities = set(lexicon._raw().get("hubei_other_cities", []))
        named_other = any(text[m.start:m.end] in hubei_cities for m in mentions)
        if "黄石" in covered:
            uncovered = [u for u in uncovered if u != "湖北"]
        elif not named_other:
            covered.append("黄石")
            uncovered = [u for u in uncovered if u != "湖北"]
            from_province = True
    return covered, (uncovered[0] if uncovered else None), from_province
