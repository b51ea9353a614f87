"""Reading: a question's words (+ the prior turn's facts) → the facts it states, each bound to
the words it came from, and what could not be bound.

`read()` wraps the extractor (`rules.extract`) with what a single-slot extractor cannot know:
whose credential a date belongs to, whether a level named in a follow-up is held or asked
about, a hypothetical that must not change what the person holds, another person's
credentials, ranks that are not skill levels, an honour awarded by another province, the role
of each region named. Whatever fact-bearing words stay unexplained become a `Doubt`: the
reasoning step then asks one confirming question instead of deciding (see `rules.decide`).

Reading never decides eligibility and never writes answer text beyond the confirming question.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import lexicon
from .extract import (
    OPEN_TARGET,
    extract_facts,
    normalise,
    strip_hr_background,
)
from .facts_tables import VALIDITY_ASK, fact_topic
from .model import Facts
from .people import items_of, named_clauses, per_person, without
from .reading_cues import (
    CLAUSE,
    ELIGIBILITY_ASK,
    HOUSEHOLD,
    HYPOTHETICAL,
    IMPERSONAL,
    INTENTS,
    NO_SKILL_CERT,
    OTHER_PERSON,
    OTHER_SUBJECT,
    PERSONAL,
    PRONOUN,
    RECENT,
    SELF_CLAIM,
    STRONG_INTENTS,
)
from .reading_model import Doubt, Mention, Reading
from .reading_places import _honour_regions, _region_roles
from .reading_turns import (
    SUPPOSE,
    _follow_up_target,
    _implausible_years,
    _later,
    _minus_gap,
    _supposed,
    _topic_follow_up,
    _unbound,
)
from .reading_years import _bind_years, _level_mentions
from .text import absolute_dates, cn_number, deadline_spans, mask, non_vocational_spans, temporal_spans

GENERIC_PERSON = re.compile(r"的人|的专技人员|的专业技术人员|的人员|的技能人才|的高技能人才|专技人员|专业技术人员|专业技术人才|"
                            r"高技能人才|技能人才")
CREDENTIAL_WORD = re.compile(r"技师|高级工|中级工|初级工|职称|工程师|中级|副高|正高|助理|初级|[一二三四五]级|证|能手|工匠|大师|竞赛|大赛")
GAP = re.compile(r"(中间|期间|其间|这中间|其中)有?(?P<n>半|\d+|[一二两三四五六七八九十]{1,2})\s*(个)?(?P<unit>年|个月)(多)?"
                 r"[^。；;]{0,16}?(没干|没做|不干|没在|离开|转行|跑外卖|送外卖|去了|停了|歇了|休息|没从事|干别的)")
PASTED = re.compile(r"[“\"「『][^”\"」』]{12,}[”\"」』]")
POLICY_WORDS = re.compile(r"申报|评审|职称|职业资格|职业技能等级|可直接|满\d|取得")
SELF_EMPLOYED = re.compile(r"自由职业|个体户?|自己开(了个|了|个)?[\u4e00-\u9fff]{0,4}(店|铺|厂|公司|作坊)|没在单位|没有单位|不在单位|"
                           r"灵活就业|打零工|没挂靠|接私活")
MEDAL = re.compile(r"金牌|银牌|铜牌|金奖|银奖|铜奖|优胜奖")
CORRECTION = re.compile(r"(?<![对是])不对(?![口应])|说错|打错|搞错|写错|弄错|记错|口误|[啊哦噢呃额哎]，?不是(?=，?是)")
ASK_FOR = re.compile(r"(帮|替|给)(我的?)?\S{0,3}?(问|咨询|打听|看看|查查)")
THEIR_CASE = re.compile(r"(他|她)(也|都|现在|目前|已经)?(能|可以|可不可以|能不能|够|在|是|有|拿|考|评|取得|的|今年|去年|前年|干|做|高级|中级|初级|技师|副高|正高|助理)")
RULE_ASK = re.compile(r"有什么要求|什么要求|要求.{0,6}(几年|多少年|多久|多少)|需要满足|什么条件|哪些条件|条件是什么|年限上|"
                      r"哪几种|哪些情形|几种情形|什么情形|具体要几年|具体几年|要求几年|要几年|需要几年|多少年|有何(年限)?要求|"
                      r"年限要求|什么年限|年限条件|有何条件|咋规定|怎么规定|如何规定|怎么认定|如何认定|第几名|前几名|什么名次|几等奖|"
                      r"(啥|什么|哪些)\S{0,4}(条件|业绩|要求)|满几年|干满几年")
CLAUSE_ASK = re.compile(r"条款原文|条文原文|原文|依据哪|哪一条|哪条|出处|文件依据|政策依据")

__all__ = ["Doubt", "Mention", "Reading", "read", "wants_rules"]


def _intent(norm: str) -> str:
    for name, pattern in STRONG_INTENTS:
        if pattern.search(norm):
            return name
    if ELIGIBILITY_ASK.search(norm):
        return "eligibility"
    for name, pattern in INTENTS:
        if pattern.search(norm):
            return name
    return "eligibility"


def _asked_about_them(masked: str, subject: str) -> tuple[str, str]:
    """"我高级技师5年，徒弟技师2年，我徒弟能报中级吗" / "同事…技师两年，他能报中级吗，我是高级技师6年":
    the question asked is about the other person and their own words carry their years, so my
    words are set aside (masked) and the turn is theirs."""
    spans = []
    start = 0
    for m in list(CLAUSE.finditer(masked)) + [re.search("$", masked)]:
        spans.append((start, m.start()))
        start = m.end()
    parts = [(a, b, masked[a:b]) for a, b in spans if masked[a:b].strip()]
    asks = [p for _, _, p in parts if ELIGIBILITY_ASK.search(p)]
    if not asks or not (re.search(r"[他她]", asks[-1]) or OTHER_PERSON.search(asks[-1])):
        return masked, subject
    mine = [(a, b) for a, b, p in parts if re.match(r"我(是|有|也|现在|目前|自己)?", p) and CREDENTIAL_WORD.search(p)
            and not OTHER_PERSON.search(p) and not re.search(r"[他她]", p) and not ELIGIBILITY_ASK.search(p)]
    # their level and their years may be said in two clauses ("我师傅高级技师，干了12年"): a clause with
    # years and no level belongs to the level said last before it (mine or theirs)
    theirs, owner = [], None
    for a, b, p in parts:
        if CREDENTIAL_WORD.search(p):
            owner = "mine" if (a, b) in mine else "theirs"
        if (a, b) not in mine and temporal_spans(p) and owner == "theirs":
            theirs.append(p)
    if not mine or not theirs:
        return masked, subject
    return mask(masked, mine), "other"


def wants_rules(reading: Reading, text: str) -> bool:
    """Should the rule module answer this turn? (The router asks this; tests ask it too.)
    Procedure/fee/post questions never; a turn of an eligibility conversation, an own-path
    question with a target and something the person described, or what `is_rules_question`
    recognises (eligibility, fact tables, comparisons) do."""
    from .extract import PERSON_CUES, is_rules_question
    from .facts_tables import fact_topic

    text = reading.topic_question or text
    if reading.intent != "eligibility" and not fact_topic(normalise(text)):
        return False
    if reading.continues:
        return True
    f = reading.facts
    described = bool(f.skill_level or f.title_level or f.honours or f.lacks
                     or any(e.get("role") in ("set_aside", "other_region", "unlisted") for e in f.evidence))
    generic_subject = re.search(r"人员|人才", text) and not PERSON_CUES.search(text)
    if reading.asks_eligibility and f.target and described and not generic_subject:
        return True
    return is_rules_question(text, f)


def _subject(norm: str, prior: Facts | None) -> str:
    """"other" when the turn is about someone else's credentials, "mixed" when about both.
    A vocative ("师傅你好") or hearsay ("听工友说") is not someone else's case."""
    other = bool(OTHER_SUBJECT.search(norm))
    if not other and prior is not None and prior.subject == "other" and PRONOUN.search(norm):
        other = True
    named = OTHER_PERSON.search(norm)
    if not other and named and (ASK_FOR.search(norm) or THEIR_CASE.search(norm, named.end())):
        other = True  # "帮我师傅问下，他在黄石…" / "那我媳妇呢，她是助理级…": the case is theirs
    rest = OTHER_PERSON.sub("", norm)
    own = bool(SELF_CLAIM.search(rest))
    if prior is not None and prior.subject == "other" and not other:
        own = own or bool(re.search(r"我(?!们)|本人|俺|自己", rest))
    elif other and not own:
        own = bool(re.search(r"我(?!想问|想了解|想咨询|想请教|问|来问|替|帮|们|单位|司|厂)", rest))
    if other and re.search(r"我是(他|她)?的?\S{0,4}?(指导)?教练", rest):
        return "self"  # "徒弟拿了金牌，我是他的指导教练": the honour is mine
    if other and own:
        theirs = [norm[m.start():(CLAUSE.search(norm, m.end()) or re.search("$", norm)).start()]
                  for m in (*OTHER_SUBJECT.finditer(norm), *THEIR_CASE.finditer(norm))]
        asked = [p for p in CLAUSE.split(norm) if ELIGIBILITY_ASK.search(p)]
        if not any(CREDENTIAL_WORD.search(t) for t in theirs) and not (asked and PRONOUN.search(asked[-1])):
            return "self"  # "孩子今年高考，老婆在超市上班，我自己前年考了技师": family is background
        return "mixed"
    if other:
        return "other"
    if own or prior is None:
        return "self"
    return prior.subject or "self"


def read(text: str, prior: Facts | None = None, as_of: date | None = None, _one_person: bool = False) -> Reading:
    """Read one turn. `prior` is the previous turn's carried facts."""
    norm = normalise(text)
    norm, rewrites = absolute_dates(norm, as_of)
    group, words, named = ([], [], {}) if _one_person else (per_person(norm), items_of(norm), named_clauses(norm))
    if named and not group:  # "老王高级技师2015年，老李…": each named person with their own words
        shared = without(norm, named)
        focus = [n for n in named if n in shared]
        if len(focus) == 1:  # "…先帮我看老周，他能报中级吗": only that one is asked about now
            blank = replace(prior or Facts(), people={})
            one = read(named[focus[0]] + "，" + shared.replace(focus[0], ""), blank, as_of, _one_person=True)
            return replace(one, subject="other", carry=replace(one.carry, people=dict(named), subject="other"))
        group, words = [f"{own}，{shared}" for own in named.values()], list(named)
    if group:  # several people, one date each: read once per person
        readings = [read(t, prior, as_of, _one_person=True) for t in group]
        first = readings[0]
        carry = replace(first.carry, obtained=None, years_min=None, years_max=None, years_basis=None, years_of=None,
                        years_by_level={}, people=dict(named) or (prior.people if prior else {}))
        return replace(first, carry=carry, people=readings, people_words=words)
    asked_for = None if _one_person else next((n for n in (prior.people if prior else {}) if n in norm), None)
    if asked_for:  # "老李能报正高吗": a person named in an earlier turn, with their own words
        blank = replace(prior, skill_level=None, title_level=None, lacks=[], honours=[], years_min=None, years_max=None,
                        obtained=None, years_basis=None, years_of=None, years_by_level={}, evidence=[], subject="other",
                        people={})
        theirs = read(prior.people[asked_for], blank, as_of, _one_person=True).carry  # their own words, as a statement
        one = read(norm, replace(theirs, subject="other", people={}), as_of, _one_person=True)
        return replace(one, subject="other", carry=replace(one.carry, people=dict(prior.people)))
    mentions = [Mention("years", a, "rewritten", b) for a, b in rewrites]
    ranks = non_vocational_spans(norm)
    mentions += [Mention("rank", w, "set_aside", "不是职业技能等级") for _, _, w in ranks]
    deadlines = deadline_spans(norm, as_of)
    mentions += [Mention("years", norm[a:b], "deadline", day.isoformat()) for a, b, day in deadlines]
    # "干了一年半 哦不对说错了 是两年半": a duration or date corrected in the same turn is the later one
    fix = CORRECTION.search(norm)
    spans = temporal_spans(norm) if fix else []
    corrected = [(a, b) for a, b, _ in spans if b <= fix.start()] if any(a >= fix.end() for a, _, _ in spans) else []
    # "不是7年，是11年": the duration denied is not the person's
    corrected += [m.span() for m in re.finditer(r"不是\s*(\d+|[一二两三四五六七八九十半]{1,3})\s*(个)?(年|月)", norm)]
    if fix:  # "我高级工干了5年 说错了 是中级工": a level corrected in the same turn is the later one
        levels = _level_mentions(norm)
        later = {lexicon.level(k).kind for a, _, k in levels if a >= fix.end()}
        corrected += [(a, b) for a, b, k in levels if b <= fix.start() and lexicon.level(k).kind in later]
    # a clause pasted in quotes ("“…可直接申报评审高一级职称”——这条适用于…吗") is the document's words, not the person's
    pasted = [m.span() for m in PASTED.finditer(norm) if POLICY_WORDS.search(m.group(0))]
    masked = mask(norm, [(s, e) for s, e, _ in ranks] + [(a, b) for a, b, _ in deadlines] + corrected + pasted)
    doubts: list[Doubt] = []

    subject = _subject(masked, prior)
    if subject == "mixed" and _one_person:
        subject = "other"  # one named person of an HR question: the asker's "我是人事" is not a case
    if subject == "mixed":
        # "我师傅是技师，评上5年了；我是高级工…我能不能报中级": the question is about me; their words are set aside
        parts = re.split(r"[，。；;？?！!]", re.sub(r"[，。；;？?！!\s]+$", "", masked))
        last = ([p for p in parts if ELIGIBILITY_ASK.search(p)] or parts)[-1]  # the clause that asks
        # only when my own words carry my own years (else whose date is whose stays a question)
        mine = [p + (parts[i + 1] if i + 1 < len(parts) and not re.search(r"[我他她]", parts[i + 1]) else "")
                for i, p in enumerate(parts) if (re.search(r"我(是|有|也|现在|目前)", p) or (p.startswith("我") and CREDENTIAL_WORD.search(p)))
                and not OTHER_PERSON.search(p)
                and not re.search(r"[他她]", p)]
        if "我" in last and not re.search(r"[他她]", last) and not OTHER_PERSON.search(last) \
                and any(temporal_spans(p) for p in mine):
            theirs = []
            for m in OTHER_SUBJECT.finditer(masked):
                end = m.end()
                while (nxt := CLAUSE.search(masked, end)) and not re.search(r"我", masked[nxt.end():(CLAUSE.search(masked, nxt.end()) or re.search("$", masked)).start()]):
                    end = (CLAUSE.search(masked, nxt.end()) or re.search("$", masked)).start()
                    if end >= len(masked):
                        break
                span = (m.start(), (CLAUSE.search(masked, end) or re.search("$", masked)).start())
                if CREDENTIAL_WORD.search(masked[span[0]:span[1]]):  # "我同事都在南通": a shared place stays
                    theirs.append(span)
            masked, subject = mask(masked, theirs), "self"
        else:
            masked, subject = _asked_about_them(masked, subject)
    base = prior
    own_saved: dict | None = None
    if prior is not None and subject == "other" and prior.subject != "other":
        # a colleague's or spouse's question: start from nothing but the place, keep the asker's own facts
        own_saved = prior.to_dict() | {"saved_own": None, "evidence": []}
        base = Facts(region=prior.region, regions=list(prior.regions), region_from_province=prior.region_from_province,
                     target=prior.target)
    elif prior is not None and subject == "self" and prior.subject == "other":
        # back to the asker: their own facts, never the colleague's
        base = Facts.from_dict(prior.saved_own) if prior.saved_own else Facts(
            region=prior.region, regions=list(prior.regions), region_from_province=prior.region_from_province)
        # "那我呢" asks the asker's own earlier question, else the one just asked for the other person
        # (naming their own level, they ask their own next step)
        if prior.target and not base.target:
            base = replace(base, target=prior.target, direction=None)
    elif prior is not None and subject == "other":
        own_saved = prior.saved_own
    if subject == "mixed":
        doubts.append(Doubt(OTHER_SUBJECT.search(masked).group(1), "您问的是您本人，还是您说的这位？请只说要判断的这个人的证书和年限。"))

    hypothetical = bool(prior is not None and HYPOTHETICAL.search(masked))
    # a first turn's supposition needs an explicit 要是/如果 ("明年能评吗" asks about time, supposes nothing)
    supposed = _supposed(masked, as_of) if prior is None and SUPPOSE.search(masked) else None
    roles_text = masked
    masked = mask(masked, [m.span() for m in HOUSEHOLD.finditer(masked)])  # "户口在南京": background, not a topic
    facts = extract_facts(masked, base, as_of)
    facts.subject = "other" if subject == "other" else None
    facts.saved_own = own_saved if subject == "other" else None
    stated = extract_facts(masked, None, as_of)
    if facts.honours and re.search(r"(用|凭|靠|拿)(这个|它|这荣誉|这个荣誉|这称号)", masked) and not stated.target:
        # "还能再用这个往上评吗": the honour's path, toward a title
        facts = replace(facts, direction="skill_to_title")
    if not facts.target and facts.title_level and re.search(r"高一级(职称)?", masked):
        # "现在助理级，能直接申报高一级职称吗": the title one above the one held
        titles = [lvl.key for lvl in lexicon.title_levels()]
        i = titles.index(facts.title_level) + 1 if facts.title_level in titles else None
        if i is not None and i < len(titles):
            facts = replace(facts, target=titles[i], direction="skill_to_title")
    self_employed = SELF_EMPLOYED.search(masked)
    if self_employed:  # "自己开了个汽修铺，没在单位上班": a region may name 自由职业 people in its scope
        mentions.append(Mention("status", self_employed.group(0), "stated", "自由职业"))
    medal = MEDAL.search(masked)
    if base is not None and base.honours and medal and not stated.honours:
        # "全国技能大赛铜奖，能评啥" then "要是银奖呢": the same contest, another medal
        word = medal.group(0)
        for held in list(facts.honours):
            family = next((f for f in lexicon.honour_families() if held in f), ())
            other = next((h for h in family if h != held and (word in h or word.replace("奖", "牌") in h
                                                                or word.replace("牌", "奖") in h)), None)
            if other:
                facts = replace(facts, honours=[other if h == held else h for h in facts.honours])
                mentions.append(Mention("honour", word, "held", other))
                break
    if base is not None and base.honours:  # "拿了状元大赛一等奖" then "是学生组的": the later turn qualifies it
        for held in list(facts.honours):
            for pattern, becomes in lexicon.honour_qualifiers().get(held, ()):
                if held in base.honours and re.search(pattern, masked):
                    facts = replace(facts, honours=[becomes if h == held else h for h in facts.honours])
                    mentions.append(Mention("honour", re.search(pattern, masked).group(0), "held", becomes))
                    break
    if stated.skill_level == "特级技师":  # "厂里自己聘的特级技师，没经过省人社厅认定": not the listed one
        for pattern, becomes in lexicon.honour_qualifiers().get("特级技师（经省人社厅认定）", ()):
            if re.search(pattern, masked) and becomes not in facts.honours:
                facts = replace(facts, honours=[*facts.honours, becomes])
                mentions.append(Mention("honour", re.search(pattern, masked).group(0), "held", becomes))
    if NO_SKILL_CERT.search(masked) and not stated.skill_level and "技能等级" not in facts.lacks:
        facts.lacks = [*facts.lacks, "技能等级"]
        stated.lacks = [*stated.lacks, "技能等级"]
        mentions.append(Mention("credential", NO_SKILL_CERT.search(masked).group(0), "negated", "技能等级"))

    if RECENT.search(masked) and not stated.has_years and (stated.skill_level or stated.title_level):
        # "刚拿到没几天", "上周刚评上": well under a year
        facts = replace(facts, years_min=0.0, years_max=0.1, years_basis="since_credential",
                        years_of=stated.skill_level or stated.title_level)
        stated = replace(stated, years_min=0.0, years_max=0.1)
        mentions.append(Mention("years", RECENT.search(masked).group(0), "bound", facts.years_of))
    if stated.direction and not stated.target and (stated.skill_level or stated.title_level) and not stated.honours:
        # "我是中级职称": the word 职称 names what is held, it does not ask for a title
        facts = replace(facts, direction=base.direction if base is not None else None)
    facts = _follow_up_target(masked, facts, base, stated)
    facts, years_doubt = _bind_years(masked, facts, base, stated, as_of, mentions)
    gap = GAP.search(masked)
    if gap and facts.years_of and as_of is not None:  # "证拿四年了，但中间有两年跑外卖去了，没干本行"
        n = 0.5 if gap.group("n") == "半" else cn_number(gap.group("n"))
        if n is not None:
            facts = _minus_gap(facts, n if gap.group("unit") == "年" else n / 12, as_of)
            mentions.append(Mention("years", gap.group(0), "gap", facts.years_of))
    if facts.skill_level in stated.lacks or facts.title_level in stated.lacks:
        # a supposition that takes a held level away: a level said not to be held is not held, whatever came before
        facts = replace(facts, skill_level=None if facts.skill_level in stated.lacks else facts.skill_level,
                        title_level=None if facts.title_level in stated.lacks else facts.title_level)
    if any(k in facts.years_by_level for k in stated.lacks):  # "我是技师不是高级技师": its years go with it
        facts = replace(facts, years_by_level={k: v for k, v in facts.years_by_level.items() if k not in stated.lacks})
    if years_doubt:
        doubts.append(years_doubt)
    facts, bad_years = _implausible_years(masked, facts, as_of, supposed_day=bool(base is not None and base.obtained))
    if bad_years:
        doubts.append(bad_years)
    facts = _honour_regions(masked, facts, mentions)
    # a title series is named even where a rank word was set aside ("中学一级教师": 一级 is no skill level)
    named = mask(norm, [(a, b) for a, b, _ in deadlines] + corrected + pasted)
    series = next(((w, name) for w, name in lexicon.series_words() if w in named), None)
    if series:
        facts.series = series[1]
        mentions.append(Mention("series", series[0], "stated", series[1]))
    facts, region_doubt = _region_roles(roles_text, facts, stated, mentions)
    if region_doubt:
        doubts.append(region_doubt)
    doubts += _unbound(masked, facts, stated, mentions)

    evidence = [m.to_dict() for m in mentions]
    if base is not None and not hypothetical:
        evidence = [e for e in base.evidence if e.get("role") in ("held", "bound", "work", "set_aside", "other_region", "unlisted")][-8:] + evidence
    facts.evidence = evidence[:40]
    carry = facts
    if supposed is not None:
        # "要是我拿了四川省技术能手，能破格报中级吗": decide on the supposition, remember only the rest
        carry = replace(facts, honours=[h for h in facts.honours if h not in supposed.honours])
        if supposed.has_years and not (facts.obtained and not supposed.obtained):
            carry = replace(carry, years_min=None, years_max=None, obtained=None, years_basis=None, years_of=None,
                            years_by_level={})
        elif supposed.has_years:  # "技师2024年5月拿的，要是再干一年": the date is real, only the extra year is supposed
            carry = replace(carry, years_min=None, years_max=None)
        hypothetical = True
    if hypothetical:
        facts = _later(masked, facts, as_of, base)
    if hypothetical and base is not None:
        # "要是我技师满3年呢": answer the supposition, carry only the frame (region, target) forward
        carry = replace(base, target=facts.target, region=facts.region, regions=list(facts.regions),
                        uncovered_region=facts.uncovered_region, evidence=base.evidence)
    intent = _intent(masked)
    nobody_yet = prior is None or not (prior.skill_level or prior.title_level or prior.honours)  # a lookup conversation
    if (intent == "eligibility" and nobody_yet and not PERSONAL.search(masked) and GENERIC_PERSON.search(masked)
            and RULE_ASK.search(masked) and not stated.has_years and len(stated.regions) < 2):
        intent = "lookup"  # "有中级职称的专技人员申报技师有什么要求": the rule, not someone's case
    if (intent == "eligibility" and nobody_yet and not PERSONAL.search(masked) and RULE_ASK.search(masked)
            and not (stated.skill_level or stated.title_level or stated.has_years) and len(stated.regions) < 2):
        intent = "lookup"  # "破格申报副高，一类竞赛要拿到第几名才行": what the rule asks, nobody's case
    if (intent == "eligibility" and pasted and not PERSONAL.search(masked)
            and not (stated.skill_level or stated.title_level or stated.has_years)):
        intent = "lookup"  # "这句“…”是申报哪个等级的条件": about the pasted words, nobody's case
    if intent == "eligibility" and VALIDITY_ASK.search(masked) and not PERSONAL.search(masked):
        intent = "lookup"  # "这个规定2024年1月就能用了吗": whether a document is in force, not a path
    if intent == "eligibility" and IMPERSONAL.search(masked) and not PERSONAL.search(masked) and not (
            stated.skill_level or stated.title_level or stated.honours or stated.has_years or stated.lacks) and len(stated.regions) < 2:
        intent = "lookup"  # "哪类人员可以…": who may, not whether I may
    about_person = prior is not None and bool(prior.skill_level or prior.title_level or prior.honours or prior.target
                                              or prior.lacks)
    changed = replace(facts, evidence=[], asked=None) != replace(base or Facts(), evidence=[], asked=None) if base else False
    continues = about_person and (intent == "eligibility" or CLAUSE_ASK.search(masked)) and (
        bool(ELIGIBILITY_ASK.search(masked) or OPEN_TARGET.search(masked) or re.search(r"[呢吗么]$", re.sub(r"[，。,.!！?？\s]", "", masked)))
        or changed or bool(CLAUSE_ASK.search(masked)))
    if continues and CLAUSE_ASK.search(masked):
        intent = "eligibility"
    topic = fact_topic(masked)
    topic_question = _topic_follow_up(masked, prior) if not topic else ""
    carry = replace(carry, topic=topic or (prior.topic if topic_question else None))
    if topic_question:
        intent = "eligibility"
    return Reading(facts=facts, carry=carry, mentions=mentions, doubts=doubts, hypothetical=hypothetical,
                   topic_question=topic_question,
                   deadline=deadlines[0][2] if deadlines else None,
                   subject="other" if subject == "other" else "self", intent=intent, continues=continues,
                   asks_eligibility=bool(ELIGIBILITY_ASK.search(masked)),
                   question=topic_question or strip_hr_background(masked))
