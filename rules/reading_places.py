"""Reading, places: the role of each place named (works now / previously / hukou / an honour's
issuer), an honour of another province set aside, 湖北 alone and secondments confirmed."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from . import lexicon
from .extract import honour_mentions
from .model import Facts
from .reading_cues import OTHER_PLACE_HONOUR, PERSONAL, PREVIOUS, PREVIOUS_AFTER, WORK_AFTER, WORK_NOW
from .reading_model import Doubt, Mention
from .reading_years import _clause_bounds


def aliases_get(place: str) -> str | None:
    return lexicon.region_aliases().get(place) or next(
        (key for alias, key in lexicon.region_aliases().items() if alias.startswith(place)), place)


def _province(key: str | None) -> str | None:
    regions = lexicon.regions()
    return regions[key]["province"] if key in regions else key


def _honour_regions(norm: str, facts: Facts, mentions: list[Mention]) -> Facts:
    """An honour awarded by another province is not that province's honour ("云南省省级非遗传承人"
    is not 四川省省级非遗): it is set aside, visibly."""
    provinces = {alias: key for alias, key in lexicon.region_aliases().items()}
    dropped: list[str] = []
    for start, end, key in honour_mentions(norm, []):
        home = _province(lexicon.honour_regions().get(key))
        c0, _ = _clause_bounds(norm, start)
        window = norm[max(c0, start - 6):end]  # the place named right before the honour, same clause
        named = [_province(provinces[a]) for a in sorted(provinces, key=len, reverse=True) if a in window]
        if home and named and all(n != home for n in named):
            dropped.append(key)
            mentions.append(Mention("honour", norm[start:end], "other_region", named[0]))
        else:
            mentions.append(Mention("honour", norm[start:end], "held", key))
    if dropped:
        facts = replace(facts, honours=[h for h in facts.honours if h not in dropped])
        if facts.region and not any(m.kind == "region" for m in mentions) and facts.region in dropped:
            facts.region = None
    return facts


@lru_cache(maxsize=1)
def _place_keys() -> dict[str, str]:
    """Every place name → its region key; Hubei cities outside 黄石 are their own (uncovered) key."""
    keys = dict(lexicon.region_aliases())
    for city in lexicon._raw().get("hubei_other_cities", []):
        keys[city] = city  # 武汉 is not "湖北" (which alone may mean 黄石): it is its own uncovered place
    return keys


@lru_cache(maxsize=1)
def _region_pattern() -> re.Pattern[str]:
    """Every place name, longest first, as one pattern (one scan instead of one per alias)."""
    return re.compile("|".join(map(re.escape, sorted(_place_keys(), key=len, reverse=True))))


@lru_cache(maxsize=1)
def _negated_region_pattern() -> re.Pattern[str]:
    return re.compile(r"(不是|不在|并非|没在|而不是)(" + _region_pattern().pattern + ")")


def _region_roles(norm: str, facts: Facts, stated: Facts, mentions: list[Mention]) -> tuple[Facts, Doubt | None]:
    """Two places in a question about one person: the one where the person works now decides."""
    from .extract import COMPARE_WORDS

    aliases = _place_keys()
    negated = [aliases[m.group(2)] for m in _negated_region_pattern().finditer(norm)]
    if negated:
        mentions.extend(Mention("region", n, "negated", n) for n in negated)
        keep = [r for r in facts.regions if r not in negated]
        if keep:
            facts = replace(facts, region=keep[0], regions=keep, uncovered_region=None)
        elif facts.uncovered_region in negated:
            facts = replace(facts, uncovered_region=None)
        stated = replace(stated, regions=[r for r in stated.regions if r not in negated],
                         uncovered_region=None if stated.uncovered_region in negated else stated.uncovered_region)
    hubei_doubt = Doubt("湖北", "您在湖北哪个城市工作？本库湖北省只收录了黄石市（含大冶市、阳新县）的通知。", about="region")
    hubei_origin = re.search(r"湖北(人|籍|老家)|(老家|户口|户籍|籍贯)\S{0,3}湖北", norm)
    if facts.region_from_province and stated.region_from_province and not hubei_origin and len(stated.regions) <= 1:
        return facts, hubei_doubt
    if re.search(r"派驻|外派|借调|挂职|驻外|异地派遣|总部在|总公司在|单位在[^，。]{0,6}(但|人在)|劳动关系在|合同签在|档案[^，。]{0,6}在", norm) and (len(stated.regions) + bool(stated.uncovered_region)) >= 2:
        return facts, Doubt("、".join(stated.regions), "您的劳动关系（用人单位）在哪个地区？派驻、借调的情形文件没有专门规定，请以用人单位所在地确认。", about="region")
    honour_spans = [(s0, e0) for s0, e0, _ in honour_mentions(norm, [])] + [m.span() for m in OTHER_PLACE_HONOUR.finditer(norm)]
    def in_honour(m: re.Match[str]) -> bool:  # "湖北工匠", "江苏省技术能手" name an honour, not a place of the person
        gap = norm[m.end():]
        return any(s0 <= m.start() < e0 or s0 == m.end() or (s0 - m.end() == 1 and gap[:1] in "省市")
                   for s0, e0 in honour_spans)

    place_hits = [m for m in _region_pattern().finditer(norm) if not in_honour(m)]
    places = [p for p in dict.fromkeys(aliases[m.group(0)] for m in place_hits) if p not in negated]
    if stated.region_from_province:
        places = [p for p in places if p != "湖北"] + (["黄石"] if "黄石" not in places else [])
    provinces_of = {p: _province(p) for p in places}
    places = [p for p in places if not any(q != p and provinces_of[q] == p for q in places)]  # "湖北黄石" is one place
    regions = places
    covered = [p for p in places if lexicon.is_covered(p)]
    if len(covered) == 1 and len(facts.regions) > 1 and not COMPARE_WORDS.search(norm):
        # the other "region" was part of an honour's name ("江苏省技术能手" asked about in 四川)
        facts = replace(facts, region=covered[0], regions=covered)
    if len(covered) >= 2 and PERSONAL.search(norm) and re.search(r"(还)?没(定|决定|想好)|未定|不确定|说不好|拿不准", norm):
        # "两边都有项目，以后常驻哪边还没定": the person does not know which region applies yet
        return facts, Doubt("、".join(covered), "您以后在哪个地区工作、由哪里受理？按工作所在地的政策来判断，请先确认地区。",
                            about="region")
    if len(places) < 2 or COMPARE_WORDS.search(norm):
        return facts, None
    if len(covered) >= 2 and not PERSONAL.search(norm) and not (facts.has_years or facts.honours):
        return facts, None  # "上海和黄石 高级技师能不能评正高": nobody's case, the places side by side
    work, previous = [], []
    for m in [h for h in place_hits if aliases[h.group(0)] not in negated]:
        if True:
            alias = m.group(0)
            key = aliases[alias]
            c0, _ = _clause_bounds(norm, m.start())
            before, after = norm[max(c0, m.start() - 4):m.start()], norm[m.end():m.end() + 8]
            if (PREVIOUS.search(before) and PREVIOUS_AFTER.search(after) or re.search(r"户口|户籍|老家|籍贯|以前|之前|原来|原先", before)
                    or re.match(r"(人|籍|户口|户籍)", after)):
                previous.append(key)
                mentions.append(Mention("region", alias, "previous", key))
            elif WORK_NOW.search(before) and (WORK_AFTER.search(after) or re.search(r"现在|目前|如今|调|搬|跳槽|派|单位|公司|厂", before)):
                work.append(key)
                mentions.append(Mention("region", alias, "work", key))
    work = [w for w in dict.fromkeys(work) if w not in previous or len(set(work)) == 1]
    if not work:
        rest = [p for p in places if p not in previous]
        if len(rest) == 1 and previous:
            work = rest  # "户口在四川" and one other place: the other is where the person is
    if len(set(work)) == 1:
        key = work[0]
        if key == "湖北":
            return facts, hubei_doubt
        if lexicon.is_covered(key):
            return replace(facts, region=key, regions=[key], uncovered_region=None), None
        return replace(facts, region=None, regions=[], uncovered_region=key), None
    return facts, Doubt("、".join(regions), "您现在在哪个地区工作？按您工作所在地的政策来判断。", about="region")
