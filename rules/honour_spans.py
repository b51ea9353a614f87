"""Honours named in a question (not negated), with their spans: aliases and patterns from the
lexicon, a coach of a medallist, the group a clause does not list, and 国家级一类技能竞赛 placings
read with the team size."""

from __future__ import annotations

import re

from . import lexicon
from .cues import NEG_AFTER, NEG_BEFORE, NUM, scan
from .text import cn_number


def honour_keys(text: str, taken: list[tuple[int, int]]) -> list[str]:
    return list(dict.fromkeys(key for _, _, key in honour_mentions(text, taken)))


def honour_mentions(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Honours named in `text` (not negated), each with its span: (start, end, honour key)."""
    hits: list[tuple[int, int, str]] = []
    for pattern, key in lexicon.honour_span_patterns():
        for match in re.finditer(pattern, text):
            if not any(match.start() < t_end and match.end() > t_start for t_start, t_end in taken):
                hits.append((match.start(), match.end(), key))
                taken.append((match.start(), match.end()))
    vocab = {alias: ("honour", key) for alias, key in lexicon.honour_aliases().items()}
    mentions = scan(text, vocab, taken)
    hits.extend((m.start, m.end, m.key) for m in mentions)
    alias_spans = [(start, end) for start, end, _ in hits]
    for pattern, key in lexicon.honour_patterns():
        for match in re.finditer(pattern, text):
            # a piece already read as part of a longer honour ("世赛金奖选手…组长") is not a medal
            if any(match.start() < a_end and match.end() > a_start and (a_end - a_start) > (match.end() - match.start())
                   for a_start, a_end in alias_spans):
                continue
            piece = text[match.start():match.end() - 2]
            if re.search(r"[，,；;。]", piece) and re.search(r"国赛|全国|省赛|市赛|省级|市级|行业|[一二三]等奖", piece):
                continue  # "世赛金牌，国赛银牌": the silver belongs to another competition
            hits.append((match.start(), match.end(), key))
    ranked = national_class_one(text)
    if ranked:
        hits.append(ranked)
    found: list[tuple[int, int, str]] = []
    for start, end, key in sorted(hits):
        after = text[end:end + 14]
        before = text[max(0, start - 8):start]
        if "教练" in after or "教练" in before:
            # the coach of a medallist, not the medallist (also via an implied name: 国赛金牌 ⇒ 职业技能大赛金牌)
            coaches = [f"{k}指导教练" for k in (key, *lexicon.honours().get(key, {}).get("implies", []))]
            coach = next((c for c in coaches if c in lexicon.honours()), None)
            if coach:
                key = coach
            elif key == "世界技能大赛铜牌以上":
                key = "世界技能大赛奖牌指导教练"
        # a piece said across clauses ("世赛金牌没拿到，只拿了银牌"): the negation before the medal word counts
        neg_at = end - 2 if re.search(r"[，,；;]", text[start:end]) else start
        if NEG_BEFORE.search(text[max(0, neg_at - 8):neg_at]) or NEG_AFTER.search(text[end:end + 16]):
            continue
        if AS_IF.search(text[max(0, start - 4):start]):
            continue  # "能按上海市技术能手让单位聘吗": the honour invoked, not one held
        for pattern, becomes in lexicon.honour_qualifiers().get(key, ()):
            if re.search(pattern, text[max(0, start - 10):end + 16]):
                key = becomes  # "一等奖，不过是学生组的": the group the clause does not list
                break
        found.append((start, end, key))
    return found


# "按/按照/算/当成/视同/比照 <honour>": the honour a rule names, asked about, not held
AS_IF = re.compile(r"(按|按照|算|算作|当成|当作|视同|视为|比照|冒充)$")
CLASS_ONE = re.compile(r"(国家级|国家|全国)?一类(技能|职业技能)?(竞赛|大赛|比赛|赛事|赛项|赛)")
CLASS_ONE_UNKNOWN_TEAM = "国家级一类技能竞赛前5名（赛项人数未说明）"
PLACE_WORDS = {"冠军": 1, "亚军": 2, "季军": 3}
TEAM_PATTERNS = (  # checked in this order: "三个人" and "两个人" contain "个人"
    (3, re.compile(r"(三|3|仨)(个)?人|仨(组队|一组|一起)")),
    (2, re.compile(r"(双|两|俩|2|二)(个)?人|搭档|俩(组队|一组|一起)")),
    (1, re.compile(r"个人|单人|独自")),
)


def team_size(text: str) -> int | None:
    """赛项人数 stated in the text: 1 (个人/单人), 2 (双人/两人搭档), 3 (三人组队), else None."""
    for size, pattern in TEAM_PATTERNS:
        if pattern.search(text):
            return size
    return None


def class_one_place(text: str) -> tuple[int, int, int] | None:
    """(start, end, place) of a 国家级一类技能竞赛 placing ("第3名", "得了第三", "季军", "前五")."""
    m = CLASS_ONE.search(text)
    if not m:
        return None
    tail = text[m.end():m.end() + 30]
    # "前5名" restates the clause itself (an alias); only a stated place (第N名/冠亚季军) is ranked here
    pm = re.search(r"第\s*" + NUM + r"\s*(名)?|(冠军|亚军|季军)", tail)
    if not pm:
        return None
    if pm.group(3):
        place = PLACE_WORDS[pm.group(3)]
    else:
        value = cn_number(pm.group(1) or "")
        if value is None:
            return None
        place = int(value)
    return m.start(), m.end() + pm.end(), place


def class_one_key(place: int, team: int | None) -> str:
    """川 附件1 六（二）3: 前5名（双人赛项前3名、三人赛项前2名）. Places 3–5 with the team size
    unstated leave the team condition open; 1–2 qualify whatever the team size."""
    limit = {1: 5, 2: 3, 3: 2}
    if team is None:
        if place <= 2:
            return "国家级一类技能竞赛前5名"
        return CLASS_ONE_UNKNOWN_TEAM if place <= 5 else "国家级一类技能竞赛获奖（未达破格名次）"
    return "国家级一类技能竞赛前5名" if place <= limit[team] else "国家级一类技能竞赛获奖（未达破格名次）"


CLASS_ONE_KEYS = ("国家级一类技能竞赛前5名", CLASS_ONE_UNKNOWN_TEAM, "国家级一类技能竞赛获奖（未达破格名次）")


def national_class_one(text: str) -> tuple[int, int, str] | None:
    """国家级一类技能竞赛 placings with the team size found anywhere in the text."""
    found = class_one_place(text)
    if not found:
        return None
    start, end, place = found
    return start, end, class_one_key(place, team_size(text))
