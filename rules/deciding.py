"""Which clause decides a "no": it is cited first, so the first quote an HR officer pastes is the one
that answers.

A verdict's citations come out of the engine in rule order (the path, then its conditions). For a
"no", the clause that actually settles the question is often another one, and a reader looks for
it first:

- a stated failure of a standard condition (近3年考核不合格) → that condition's clause;
- an honour the region does not list (near-miss placing, another province's or a city's title) →
  the region's list of honours for the asked level (the item of the same kind where itemised);
- a listed honour that reaches only a lower level → where each level's honours are one sentence
  (上海, 黄石), the sentence naming the person's own honour (it says where the honour leads); where
  the list is itemised (四川), the asked level's item, which states what is needed;
- a skill level below the 高级工 floor, or none at all → the scope clause that sets the floor.

Pure reasoning over the reading and the rule book: no text parsing here.
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import lexicon
from .model import SKILL_TO_TITLE, RuleOutcome
from .reading import Reading
from .rulebook import load

MARK = re.compile(r"【(\d+)】")
# kinds of honour: a stated honour and a listed one of the same kind name the same thing in two places
HONOUR_KINDS = ("技术能手", "能手", "标兵", "工匠", "非遗", "非物质文化遗产", "技能大师", "劳动模范", "劳模", "首席技师",
                "劳动奖章", "技能人才", "世界技能大赛", "技能竞赛", "职业技能大赛", "技能大赛", "状元大赛", "技能大奖",
                "特殊津贴", "政府津贴", "竞赛", "大赛")  # the last two: "国家级一类大赛…第3名" → the contest item
FLOOR = "高级工"


def order(reading: Reading, outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """Citations of a decided answer, the deciding clause first (later steps take precedence)."""
    eligible = decision.get("eligible")
    outcome, decision = cite_scope_for_status(reading, outcome, decision)
    if eligible is False and decision.get("direction") == SKILL_TO_TITLE:
        outcome, decision = cite_scope(reading, outcome, decision)
    if eligible is not True:
        outcome, decision = cite_own_honour(reading, outcome, decision)
    if eligible is False:
        outcome, decision = cite_honour_list(reading, outcome, decision)
        outcome, decision = cite_failed_standard(outcome, decision)
    return outcome, decision


def entry_of(cite: str) -> dict:
    book = load()
    clause = book.clauses[cite]
    return {"doc": clause.doc, "title": book.documents[clause.doc].title, "section": clause.section,
            "quote": clause.quote}


def place(outcome: RuleOutcome, decision: dict, entry: dict, at: int = 0) -> tuple[RuleOutcome, dict, int]:
    """Put `entry` at position `at` among the citations (moving it if it is cited already),
    renumbering every 【n】 of the answer and every condition's citation index. Returns the new
    outcome, decision and the entry's index."""
    old = list(outcome.citations)
    rest = [c for c in old if c != entry]
    at = min(at, len(rest))
    new = [*rest[:at], entry, *rest[at:]]
    index = {i: new.index(c) for i, c in enumerate(old)}

    def renumber(m: re.Match) -> str:
        i = int(m.group(1)) - 1
        return f"【{index.get(i, i) + 1}】"

    answer = MARK.sub(renumber, outcome.answer)
    conditions = [dict(c, citation=index.get(c["citation"], c["citation"])) if isinstance(c.get("citation"), int) else c
                  for c in decision.get("conditions") or []]
    return replace(outcome, citations=new, answer=answer), dict(decision, conditions=conditions), at


def _below_floor(level: str | None) -> bool:
    if not level:
        return False
    try:
        return lexicon.level(level).kind == "skill" and lexicon.level(level).rank < lexicon.level(FLOOR).rank
    except KeyError:
        return False


def cite_scope(reading: Reading, outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """A "no" because the person holds no skill level from 高级工 up (below the floor, or none at all:
    they said so, or named only a set-aside rank or another province's honour): the region's scope
    clause decides and is cited first."""
    facts = reading.facts
    said_none = "技能等级" in facts.lacks or any(e.get("role") in ("set_aside", "other_region", "unlisted") for e in facts.evidence)
    below = _below_floor(facts.skill_level)
    if not facts.region or not (below or (said_none and not facts.skill_level)):
        return outcome, decision
    scope = (load().facts.get("scope") or {}).get(facts.region)
    if not scope:
        return outcome, decision
    outcome, decision, n = place(outcome, decision, entry_of(scope["cite"]), 0)
    decision["conditions"] = [{"text": "具有高级工以上职业资格或职业技能等级（贯通的范围对象）", "met": False,
                               "citation": n, "kind": "requires"}, *decision["conditions"]]
    held = lexicon.level(facts.skill_level).label if below else None
    why = f"您现有的{held}低于这一范围。" if held else "按您说的情况，您没有这样的技能等级。"
    head, _, rest = outcome.answer.partition("\n")
    answer = f"{head}\n\n贯通申报职称的范围是具有高级工以上职业资格或职业技能等级的高技能人才【{n + 1}】；{why}\n{rest}"
    return replace(outcome, answer=answer), decision


def cite_scope_for_status(reading: Reading, outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """Self-employed ("自由职业", "自己开店"): where the region's scope clause names 自由职业 people, that
    clause is what admits them, so it is cited first."""
    facts = reading.facts
    status = any(e.get("kind") == "status" and e.get("value") == "自由职业" for e in facts.evidence)
    if not status or not facts.region or decision.get("direction") != SKILL_TO_TITLE:
        return outcome, decision
    scope = (load().facts.get("scope") or {}).get(facts.region)
    if not scope or "自由职业" not in load().clauses[scope["cite"]].quote:
        return outcome, decision
    outcome, decision, _ = place(outcome, decision, entry_of(scope["cite"]), 0)
    return outcome, decision


def _kind(words: str) -> str | None:
    kind = next((k for k in HONOUR_KINDS if k in (words or "")), None)
    return "能手" if kind == "标兵" else kind  # a 标兵 is the in-house counterpart of a 技术能手


def _stated_honours(reading: Reading) -> list[str]:
    """The words of every honour the person stated (listed or not, this region's or another's)."""
    return [e.get("words") or "" for e in reading.facts.evidence if e.get("kind") == "honour"]


def cite_own_honour(reading: Reading, outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """An honour of another province was set aside: cite the clause that names this region's
    honour of the same kind, so the person sees which one the document means."""
    facts = reading.facts
    other = [e for e in facts.evidence if e.get("role") == "other_region"]
    if not other or not facts.region:
        return outcome, decision
    book = load()
    citations = list(outcome.citations)
    conditions = list(decision.get("conditions") or [])
    notes = []
    for e in other:
        kind = _kind(e.get("words") or "")
        if not kind:
            continue
        for rule in book.region_rules(facts.region, decision.get("direction")):
            key = next((h for h in rule.from_honours if kind in h), None)
            if not key:
                continue
            entry = entry_of(dict(rule.honour_cites).get(key, rule.cite))
            if entry not in citations:
                citations.append(entry)
            n = citations.index(entry)
            conditions.append({"text": f"文件列的是“{key}”；“{e['words']}”不是{facts.region}的这项荣誉", "met": False,
                               "citation": n, "kind": "honour"})
            notes.append(f"文件列的是“{key}”【{n + 1}】，您说的“{e['words']}”不是同一项荣誉，不能按它申报。")
            break
    if not notes:
        return outcome, decision
    return (replace(outcome, citations=citations, answer=outcome.answer + "\n\n" + "".join(notes)),
            dict(decision, conditions=conditions))


def _lands_on(rule, facts, target: str) -> bool:
    if rule.target == target:
        return True
    if rule.target != "relative" or not facts.title_level:
        return False
    titles = [lvl.key for lvl in lexicon.title_levels()]
    if facts.title_level not in titles:
        return False
    i = titles.index(facts.title_level) + (rule.target_relative or 0)
    cap = titles.index(rule.target_cap) if rule.target_cap in titles else len(titles) - 1
    return i <= cap and i < len(titles) and titles[i] == target


def cite_honour_list(reading: Reading, outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """A "no" to a person who stated an honour: the region's list of honours for the asked level is
    what they fall short of, so it is cited first (the item of the same kind where the list is itemised)."""
    facts = reading.facts
    target = decision.get("target_level") or facts.target
    stated = _stated_honours(reading)
    if not stated or not facts.region or not target:
        return outcome, decision
    region_rules = [r for r in load().region_rules(facts.region, decision.get("direction"))
                    if r.from_honours and r.kind == "green_channel"]
    listed = {h for r in region_rules for h in r.from_honours}
    held = lexicon.expand_honours(facts.honours) & listed
    rules = [r for r in region_rules if _lands_on(r, facts, target)]
    if held:
        if any(_itemised(r) for r in rules):
            return outcome, decision  # the asked level's item states what is needed: the engine cites it first
        return _cite_held_honour(held, region_rules, facts, outcome, decision)
    if not rules:
        # no list for the asked level (江苏 has none for 中级): the clause that opens the region's green
        # channel says who it is for
        book = load()
        docs = {book.clauses[r.cite].doc for r in region_rules}
        head = next((cid for cid, c in book.clauses.items() if cid.endswith(".head") and c.doc in docs), None)
        if head:
            outcome, decision, _ = place(outcome, decision, entry_of(head), 0)
        return outcome, decision
    # a person holding a title is measured against the list that lifts a title (高一级) where there is one
    rules.sort(key=lambda r: 0 if (r.target == "relative") == bool(facts.title_level) else 1)
    rule = rules[0]
    kinds = [k for k in (_kind(w) for w in stated) if k]
    key = next((h for k in kinds for h in rule.from_honours if k in h), None)
    cites = dict(rule.honour_cites)
    cite = cites.get(key) if key else None
    cite = cite or (rule.honour_cites[0][1] if rule.honour_cites else rule.cite)
    entry = entry_of(cite)
    already = entry in outcome.citations
    outcome, decision, _ = place(outcome, decision, entry, 0)
    if not already:
        label = lexicon.level(target).label if target in lexicon.levels_by_key() else target
        names = "、".join(rule.from_honours[:6]) + ("等" if len(rule.from_honours) > 6 else "")
        outcome = replace(outcome, answer=outcome.answer + f"\n\n{lexicon.region_label(facts.region)}可据荣誉申报"
                                                           f"{label}的，文件列的是：{names}【1】。")
    return outcome, decision


def _itemised(rule) -> bool:
    """The list gives its honours separate numbered items (四川), not one sentence per level."""
    return len(set(dict(rule.honour_cites).values())) > 1


def _cite_held_honour(held: set, region_rules: list, facts, outcome: RuleOutcome,
                      decision: dict) -> tuple[RuleOutcome, dict]:
    """A listed honour that reaches only a lower level, where each level's list is one sentence (上海,
    黄石): the sentence naming the person's own honour says where it leads, so it is cited first (the
    asked level's list follows). A title holder's own clause is the list that lifts a title (高一级)."""
    ordered = sorted(region_rules, key=lambda r: 0 if (r.target == "relative") == bool(facts.title_level) else 1)
    for rule in ordered:
        cites = dict(rule.honour_cites)
        key = next((h for h in rule.from_honours if h in held), None)
        if key:
            outcome, decision, _ = place(outcome, decision, entry_of(cites.get(key, rule.cite)), 0)
            return outcome, decision
    return outcome, decision


def cite_failed_standard(outcome: RuleOutcome, decision: dict) -> tuple[RuleOutcome, dict]:
    """A standard condition the person said they fail (近3年考核不合格): its clause decides."""
    failed = next((c for c in decision.get("conditions") or []
                   if c.get("kind") == "standard" and c.get("met") is False and isinstance(c.get("citation"), int)), None)
    if failed is None or failed["citation"] >= len(outcome.citations):
        return outcome, decision
    outcome, decision, _ = place(outcome, decision, outcome.citations[failed["citation"]], 0)
    return outcome, decision


TITLE_ASK = re.compile(r"职称|工程师|助理级|中级|副高|正高|评审")


def no_skill_basis(reading: Reading, decision: dict) -> RuleOutcome | None:
    """"没有任何技能等级证书…能走贯通评职称吗" / "二级运动员…能评职称吗": asked for a credential we
    would ask back, the person already said they hold no skill level (or named only a rank, or an
    honour no list names). Title paths start at 高级工: the scope clause says no."""
    facts = reading.facts
    if "credential" not in (decision.get("missing") or []) or facts.skill_level or facts.title_level or facts.honours:
        return None
    said_none = "技能等级" in facts.lacks or FLOOR in facts.lacks or any(
        e.get("role") in ("set_aside", "other_region", "unlisted") for e in facts.evidence)  # 高级工 not passed: below the floor
    if not said_none or not facts.region or decision.get("direction") not in (None, SKILL_TO_TITLE):
        return None
    if not TITLE_ASK.search(reading.question or ""):
        return None
    scope = (load().facts.get("scope") or {}).get(facts.region)
    if not scope:
        return None
    entry = entry_of(scope["cite"])
    answer = ("**结论：暂不能申报。** 贯通申报职称的范围是具有高级工以上职业资格或职业技能等级的高技能人才【1】；"
              "按您说的情况，您没有这样的技能等级。\n\n可先参加相应职业（工种）的职业技能等级认定，取得高级工（三级）以上后，"
              "再按年限申报。")
    new = dict(decision, eligible=False, direction=SKILL_TO_TITLE, missing=[], follow_up=None,
               conditions=[{"text": "具有高级工以上职业资格或职业技能等级（贯通的范围对象）", "met": False, "citation": 0,
                            "kind": "requires"}], rule_id=f"scope:{facts.region}", rule_kind="scope")
    return RuleOutcome("rules", answer, new, [entry], [], facts, trace=["no_skill_basis"])
