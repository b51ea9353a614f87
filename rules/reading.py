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
from .facts_tables import VALIDITY_ASK, fact_topic
from .extract import OPEN_TARGET, HELD_IN_TURN, SWITCH_CUE, extract_facts, honour_mentions, normalise, strip_hr_background
from .model import Facts
from .reading_cues import (
    CITY_LEVEL_HONOUR,
    CLAUSE,
    ELIGIBILITY_ASK,
    HONOUR_HINT,
    HOUSEHOLD,
    HYPOTHETICAL,
    IMPERSONAL,
    INTENTS,
    NO_SKILL_CERT,
    UNLISTED_HONOUR,
    NON_VOCATIONAL_CONTEXT,
    OTHER_PERSON,
    OTHER_PLACE_HONOUR,
    OTHER_SUBJECT,
    PERSONAL,
    PRONOUN,
    RECENT,
    SELF_CLAIM,
    STRONG_INTENTS,
)
from .reading_model import Doubt, Mention, Reading
from .reading_places import _honour_regions, _province, _region_roles, aliases_get
from .people import items_of, named_clauses, per_person, without
from .reading_years import _bind_years, _clear_years, _level_mentions
from .durations import LATER_YEARS
from .years import add_years, obtained_range, years_between
from .text import absolute_dates, cn_number, deadline_spans, mask, non_vocational_spans, temporal_spans

CITY_NAMED_HONOUR = re.compile(r"(\S{2,3}?)(市)?(工匠|技术能手|技能大师)(?![\u4e00-\u9fff]{0,2}(称号)?名单)")
VOCATIONAL = re.compile(r"技能|职业资格|工种|技工|车工|钳工|电工|焊工|数控|维修|操作工|技师|高级工")
GENERIC_PERSON = re.compile(r"的人|的专技人员|的专业技术人员|的人员|的技能人才|的高技能人才|专技人员|专业技术人员|专业技术人才|"
                            r"高技能人才|技能人才")
CREDENTIAL_WORD = re.compile(r"技师|高级工|中级工|初级工|职称|工程师|中级|副高|正高|助理|初级|[一二三四五]级|证|能手|工匠|大师|竞赛|大赛")
GAP = re.compile(r"(中间|期间|其间|这中间|其中)有?(?P<n>半|\d+|[一二两三四五六七八九十]{1,2})\s*(个)?(?P<unit>年|个月)(多)?"
                 r"[^。；;]{0,16}?(没干|没做|不干|没在|离开|转行|跑外卖|送外卖|去了|停了|歇了|休息|没从事|干别的)")
PASTED = re.compile(r"[“\"「『][^”\"」』]{12,}[”\"」』]")
POLICY_WORDS = re.compile(r"申报|评审|职称|职业资格|职业技能等级|可直接|满\d|取得")
SELF_EMPLOYED = re.compile(r"自由职业|个体户?|自己开(了个|了|个)?[\u4e00-\u9fff]{0,4}(店|铺|厂|公司|作坊)|没在单位|没有单位|不在单位|"
                           r"灵活就业|打零工|没挂靠|接私活")
NEXT_YEAR = re.compile(r"明年(这时候|这个时候|今天|此时|同期|这会儿|(?P<m>\d{1,2})月)")
MEDAL = re.compile(r"金牌|银牌|铜牌|金奖|银奖|铜奖|优胜奖")
CORRECTION = re.compile(r"(?<![对是])不对(?![口应])|说错|打错|搞错|写错|弄错|记错|口误")
ASK_FOR = re.compile(r"(帮|替|给)(我的?)?\S{0,3}?(问|咨询|打听|看看|查查)")
THEIR_CASE = re.compile(r"(他|她)(也|都|现在|目前|已经)?(在|是|有|拿|考|评|取得|的|今年|去年|前年|干|做|高级|中级|初级|技师|副高|正高|助理)")
BARE_MIDDLE = re.compile(r"(我是|我|本人|现在是|目前是|持有|拿的是|有个?)中级(?!工|职称|工程师|经济师|会计|技师|专业|以上)")
TITLE_CONTEXT = re.compile(r"职称|工程师|技术员|经济师|会计师|讲师|农艺师|实验师|助理")
GAO_GONG = re.compile(r"(?<!教授级)(?<!正高级)高工(?!程|资|龄)")
RULE_ASK = re.compile(r"有什么要求|什么要求|要求.{0,6}(几年|多少年|多久|多少)|需要满足|什么条件|哪些条件|条件是什么|年限上|"
                      r"哪几种|哪些情形|几种情形|什么情形|具体要几年|具体几年|要求几年|要几年|需要几年|多少年|有何(年限)?要求|"
                      r"年限要求|什么年限|年限条件|有何条件|咋规定|怎么规定|如何规定|怎么认定|如何认定")
UNSURE = re.compile(r"记不清|记不太清|不记得|忘了|搞不清|说不清|分不清|不确定|拿不准")
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
        if not any(CREDENTIAL_WORD.search(t) for t in theirs):
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
        last = parts[-1]
        # only when my own words carry my own years (else whose date is whose stays a question)
        mine = [p + (parts[i + 1] if i + 1 < len(parts) and not re.search(r"[我他她]", parts[i + 1]) else "")
                for i, p in enumerate(parts) if re.search(r"我(是|有|也|现在|目前)", p) and not OTHER_PERSON.search(p)
                and not re.search(r"[他她]", p)]
        if "我" in last and not re.search(r"[他她]", last) and any(temporal_spans(p) for p in mine):
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
    lent_target = None
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
            base, lent_target = replace(base, target=prior.target, direction=None), prior.target
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
    facts, bad_years = _implausible_years(masked, facts, as_of)
    if bad_years:
        doubts.append(bad_years)
    facts = _honour_regions(masked, facts, mentions)
    series = next(((w, name) for w, name in lexicon.series_words() if w in masked), None)
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
    if (intent == "eligibility" and prior is None and not PERSONAL.search(masked) and GENERIC_PERSON.search(masked)
            and RULE_ASK.search(masked) and not stated.has_years and len(stated.regions) < 2):
        intent = "lookup"  # "有中级职称的专技人员申报技师有什么要求": the rule, not someone's case
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


NEGATIVE_YEARS = re.compile(r"[-－−]\s*[\d一二三四五六七八九十]+(\.\d+)?\s*(年|个月)")
ZERO_YEARS = re.compile(r"满\s*[0０零]\s*(年|个月)")
FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
EARLIEST_YEAR = 1949


def _implausible_years(norm: str, facts: Facts, as_of: date | None) -> tuple[Facts, Doubt | None]:
    """A negative or zero duration, or a year before 1949 or after the asking date, is input to
    confirm, never a fact ("技师满-5年", "0001年取得", "2099年拿的")."""
    words = None
    if (m := NEGATIVE_YEARS.search(norm) or ZERO_YEARS.search(norm)):
        words = m.group(0)
    for m in FOUR_DIGIT_YEAR.finditer(norm):
        year = int(m.group(1))
        if year < EARLIEST_YEAR:  # a future year may be the question ("2027年能报吗"); a future obtained date is caught below
            words = m.group(0)
    if facts.obtained and as_of is not None and facts.obtained[:4].isdigit():
        y = int(facts.obtained[:4])
        if y < EARLIEST_YEAR or facts.obtained > as_of.isoformat()[:len(facts.obtained)]:
            words = words or facts.obtained
    if words is None:
        return facts, None
    cleared = _clear_years(replace(facts, years_by_level={}, work_years=None))
    return cleared, Doubt(words, f"“{words}”不是一个可以用来计算的年限或日期，请确认取得证书的年月或已满几年。",
                          about="years")


SUPPOSE = re.compile(r"要是|如果|假如|假设|假定|倘若|若是|万一")


def _supposed(norm: str, as_of: date | None) -> Facts:
    """The facts stated inside a supposition clause ("要是我拿了…", "如果我满三年") only."""
    m = SUPPOSE.search(norm)
    end = re.search(r"[，,。；;！!？?]", norm[m.end():])
    return extract_facts(norm[m.start():m.end() + (end.start() if end else len(norm))], None, as_of)


# the fact tables a "那X呢" can ask again about another level
TOPIC_ASKS = {"treatment": "比照什么职称待遇", "code": "证书编码第16位是什么"}


def _topic_follow_up(norm: str, prior: Facts | None) -> str:
    """A fact question (待遇比照 of one level) then "那X呢": the same fact question about the level named."""
    if prior is None or prior.topic not in TOPIC_ASKS:
        return ""
    core = re.sub(r"[，。,.!！?？\s]", "", norm)
    keys = list(dict.fromkeys(k for _, _, k in _level_mentions(norm)))
    if len(core) > 12 or len(keys) != 1 or ELIGIBILITY_ASK.search(norm) or not re.search(r"呢$|的话$|怎么样$", core):
        return ""
    region = lexicon.region_label(prior.region) if prior.region else ""
    return f"{region}{keys[0]}{TOPIC_ASKS[prior.topic]}"


def _minus_gap(facts: Facts, gap: float, as_of: date) -> Facts:
    """The years held minus a stated time away from the trade: the documents count years 从事技术技能工作."""
    if facts.obtained:
        earliest, latest = obtained_range(facts.obtained)
        lo, hi = years_between(latest, as_of), years_between(earliest, as_of)
    elif facts.years_min is not None or facts.years_max is not None:
        lo, hi = facts.years_min, facts.years_max
    else:
        return facts
    years = {"years_min": max(lo - gap, 0) if lo is not None else None,
             "years_max": max(hi - gap, 0) if hi is not None else None, "obtained": None,
             "years_basis": facts.years_basis or "since_credential"}
    by_level = dict(facts.years_by_level)
    if facts.years_of:
        by_level[facts.years_of] = years
    return replace(facts, **years, years_by_level=by_level)


def _later(norm: str, facts: Facts, as_of: date | None, prior: Facts | None) -> Facts:
    """"技师2024年5月拿的，要是再干一年呢": a supposed later day turns the real date into the years
    held on that day (the date itself stays in the carried facts). "再过一年" is never a duration held."""
    m = LATER_YEARS.search(norm)
    next_year = NEXT_YEAR.search(norm)
    if not m and next_year and as_of is not None and (facts.obtained or (prior is not None and prior.obtained)):
        # "那明年这时候呢" / "明年8月再报呢": a supposed day next year
        month = int(next_year.group("m")) if next_year.group("m") else None
        day = date(as_of.year + 1, month, 1) if month and 1 <= month <= 12 else add_years(as_of, 1)
        facts = facts if facts.obtained else replace(facts, obtained=prior.obtained, years_of=prior.years_of or facts.years_of,
                                                      years_by_level=dict(prior.years_by_level))
        earliest, latest = obtained_range(facts.obtained)
        years = {"years_min": years_between(latest, day), "years_max": years_between(earliest, day), "obtained": None,
                 "years_basis": "since_credential"}
        by_level = dict(facts.years_by_level)
        if facts.years_of:
            by_level[facts.years_of] = years
        return replace(facts, **years, years_by_level=by_level)
    if not m or as_of is None:
        return facts
    if prior is not None and prior.work_years and not prior.work_years.get("obtained") and facts.work_years == prior.work_years:
        # "助理工程师，干了一年" then "那再干一年呢": the cumulative years grow as well
        num = m.group(1) if m.group(1) is not None else m.group(4)
        unit = m.group(3) if m.group(1) is not None else m.group(6)
        n = 0.5 if num == "半" else cn_number(num or "")
        if n is not None:
            delta = n if unit == "年" else n / 12
            work = dict(prior.work_years)
            work.update({k: work[k] + delta for k in ("years_min", "years_max") if work.get(k) is not None})
            facts = replace(facts, work_years=work)
    if not facts.obtained and prior is not None and prior.obtained and not re.search(r"(19|20)\d\d", norm):
        facts = replace(facts, obtained=prior.obtained, years_of=prior.years_of or facts.years_of,
                        years_by_level=dict(prior.years_by_level))
    if not facts.obtained:
        return facts
    num = m.group(1) if m.group(1) is not None else m.group(4)
    unit = m.group(3) if m.group(1) is not None else m.group(6)
    n = 0.5 if num == "半" else cn_number(num or "")
    if n is None:
        return facts
    day = add_years(as_of, n if unit == "年" else n / 12)
    earliest, latest = obtained_range(facts.obtained)
    years = {"years_min": years_between(latest, day), "years_max": years_between(earliest, day), "obtained": None,
             "years_basis": "since_credential"}
    by_level = dict(facts.years_by_level)
    if facts.years_of:
        by_level[facts.years_of] = years
    return replace(facts, **years, years_by_level=by_level)


def _follow_up_target(norm: str, facts: Facts, prior: Facts | None, stated: Facts) -> Facts:
    """"那正高呢" / "那技师呢": in a short follow-up, one level named with no held-marker is the
    new target; the credentials held stay what they were."""
    if prior is None or not (prior.skill_level or prior.title_level or prior.target or prior.honours):
        return facts
    core = re.sub(r"[，。,.!！?？\s]", "", norm)
    if len(core) > 16 or HELD_IN_TURN.search(norm) or HYPOTHETICAL.search(norm) or stated.has_years:
        return facts  # "高级工一年半": a level held that long is not a new target
    if not (SWITCH_CUE.search(norm) or re.search(r"[呢吗么嘛]$", core) or ELIGIBILITY_ASK.search(norm)):
        return facts
    keys = list(dict.fromkeys(k for _, _, k in _level_mentions(norm)))
    if len(keys) != 1 or keys[0] in stated.lacks:
        return facts
    return replace(facts, target=keys[0], skill_level=prior.skill_level, title_level=prior.title_level,
                   direction=None)


def _unbound(norm: str, facts: Facts, stated: Facts, mentions: list[Mention]) -> list[Doubt]:
    """Fact-bearing words the facts do not account for."""
    doubts: list[Doubt] = []
    accounted = {facts.skill_level, facts.title_level, facts.target, *facts.lacks, *stated.lacks}
    held_rank = {lexicon.level(k).kind: lexicon.level(k).rank for k in (facts.skill_level, facts.title_level) if k}
    target_kind = lexicon.level(facts.target).kind if facts.target else None
    honour_spans = [(s0, e0) for s0, e0, _ in honour_mentions(norm, [])]
    for start, end, key in _level_mentions(norm):
        if any(s0 <= start and end <= e0 for s0, e0 in honour_spans):
            continue  # "湖北省首席技师", "认定的特级技师": part of an honour's name
        level = lexicon.level(key)
        if key in accounted or level.kind == target_kind or level.rank <= held_rank.get(level.kind, -1):
            mentions.append(Mention("credential", norm[start:end], "held" if key in (facts.skill_level, facts.title_level)
                                    else "wanted" if key == facts.target else "negated" if key in accounted else "lower", key))
            continue
        mentions.append(Mention("credential", norm[start:end], "unbound", key))

        doubts.append(Doubt(norm[start:end], f"您说的“{norm[start:end]}”是您已经取得的，还是想申报的？请再说明一下。"))
    for start, end, key in _level_mentions(norm):
        bare_cert = re.fullmatch(r"[一二三]级", norm[start:end]) and norm[end:end + 1] == "证" and not VOCATIONAL.search(norm)
        bare_rank = (re.fullmatch(r"[一二三四五]级", norm[start:end]) and norm[end:end + 1] not in ("工", "证", "技")
                     and not VOCATIONAL.search(norm))  # "我是二级，在南通": which 二级?
        if bare_cert or bare_rank or (re.fullmatch(r"[一二三四五]级(工)?", norm[start:end]) and NON_VOCATIONAL_CONTEXT.search(norm)):
            words = norm[start:end + (1 if bare_cert else 0)]
            # the other reading: not a skill level at all (a set-aside rank); asked only if it changes the verdict
            other = replace(facts, skill_level=None if facts.skill_level == key else facts.skill_level,
                            evidence=[*facts.evidence, {"kind": "rank", "words": words, "role": "set_aside", "value": None}])
            doubts.append(Doubt(words, f"您说的“{words}”是职业技能等级证书（如技师（二级）），还是运动员、警衔、"
                                "公务员职级或建造师之类的等级、资格？只有职业技能等级能走贯通。", alternative=other))
            break
    for m in CITY_LEVEL_HONOUR.finditer(norm):
        if not any(x.kind == "honour" and x.words in m.group(0) for x in mentions):
            mentions.append(Mention("honour", m.group(0), "other_region", "市级"))  # the lists name no city honours
    cities = {c for r in lexicon.regions().values() for c in r.get("cities", [])}
    for m in CITY_NAMED_HONOUR.finditer(norm):
        city = next((c for c in cities if m.group(1).endswith(c)), None)
        if city and not any(x.kind == "honour" for x in mentions):
            mentions.append(Mention("honour", m.group(0), "other_region", city))
    for m in OTHER_PLACE_HONOUR.finditer(norm):
        place = m.group(1)
        home = _province(aliases_get(place))
        # a city's title is not its province's (武汉工匠 in 黄石): only the region or its province names a listed honour
        elsewhere = home != _province(facts.region) or place not in (facts.region, _province(facts.region))
        if home and elsewhere and not any(x.kind == "honour" and x.words in m.group(0) for x in mentions):
            mentions.append(Mention("honour", m.group(0), "other_region", place))
    for m in UNLISTED_HONOUR.finditer(norm):
        if not any(x.kind == "honour" and (x.words in m.group(0) or m.group(0) in x.words) for x in mentions):
            mentions.append(Mention("honour", m.group(0), "unlisted", "文件未列"))
    unsure = UNSURE.search(norm)
    if unsure:  # "记不清哪个是哪个", "说不清算哪边的": the person says the reading is uncertain
        doubts.append(Doubt(unsure.group(0), "您说记不清/说不清，我不按猜测下结论：请确认取得每张证书的年月和您现在工作的地区。",
                            about="region" if len(facts.regions) >= 2 else "fact"))
    spans = temporal_spans(norm)
    if spans and not facts.has_years and not stated.has_years and not any(m.kind == "years" and m.role in ("bound", "work") for m in mentions):
        words = spans[0][2]
        doubts.append(Doubt(words, f"您说的“{words}”指的是哪件事的时间？请说明取得现有证书的年月或满几年。", about="years"))
    if HONOUR_HINT.search(norm) and not facts.honours and not any(m.kind == "honour" for m in mentions):
        words = HONOUR_HINT.search(norm).group(0)
        doubts.append(Doubt(words, f"您提到的“{words}”，我没能对应到文件列出的荣誉或竞赛名次。请说明是哪一级、哪个部门授予的什么称号或名次。",
                            blocks="negative"))
    wants_skill = facts.target in lexicon.levels_by_key() and lexicon.level(facts.target).kind == "skill"
    if (facts.title_level == "中级" and BARE_MIDDLE.search(norm) and not TITLE_CONTEXT.search(norm)
            and not facts.skill_level and not wants_skill):  # a 中级 who wants a skill level holds the title
        # "我是中级": 中级工 and 中级职称 are both said that way; asked only if the verdicts differ
        other = replace(facts, title_level=None, skill_level="中级工", direction=None)
        doubts.append(Doubt("中级", "您说的“中级”是中级职称（如工程师），还是中级工（四级）职业技能等级？两种情况能申报的不一样。",
                            alternative=other))
    target_kind = lexicon.level(facts.target).kind if facts.target in lexicon.levels_by_key() else None
    if (facts.title_level == "副高级" and GAO_GONG.search(norm) and not re.search(r"高级工程师|副高|高级职称", norm)
            and target_kind != "skill"):  # a 高工 who wants a skill level is a 高级工程师 (title → skill)
        # workers say 高工 for 高级工 as often as engineers for 高级工程师: asked only if the verdicts differ
        other = replace(facts, title_level=None, skill_level=facts.skill_level or "高级工", direction=None)
        doubts.append(Doubt("高工", "您说的“高工”是高级工程师（副高级职称），还是高级工（三级）职业技能等级？两种情况能申报的不一样。",
                            alternative=other))
    return doubts
