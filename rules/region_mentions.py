"""Regions named in a question: covered region keys in order, an uncovered place, and 湖北 alone
read as 黄石 (the only 湖北 document)."""

from __future__ import annotations

import re

from . import lexicon

# "四个地方", "四地", "这几个地区都…": all the regions the collection covers, asked together
ALL_PLACES = re.compile(r"(四|这四|这几)个?(地方|地区|省市|地)(?!之一)|各地(?!区)|四地")
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
    if not covered and ALL_PLACES.search(text):
        covered = list(lexicon.regions())  # "四个地方…各要几年": every region the documents cover
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
