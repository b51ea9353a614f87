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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date

from . import lexicon
from .extract import (
    CUMULATIVE_CUES,
    HELD_IN_TURN,
    SWITCH_CUE,
    _exclusion_spans,
    _scan,
    _years,
    extract_facts,
    honour_mentions,
    normalise,
    strip_hr_background,
)
from .model import SKILL_TO_SKILL, SKILL_TO_TITLE, Facts
from .text import absolute_dates, mask, non_vocational_spans, temporal_spans


@dataclass
class Mention:
    """Words of the question that carry a fact, and what reading made of them."""

    kind: str  # credential | years | honour | rank | region
    words: str
    role: str  # held | wanted | negated | set_aside | other_region | work | previous | bound | unbound …
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "words": self.words, "role": self.role, "value": self.value}


@dataclass
class Doubt:
    """Something the reading could not settle; `question` is the one confirming question.
    `blocks` is "any" (no verdict may rest on this reading) or "negative" (only a "no" may not:
    an unread honour cannot make a yes wrong, but it may be the missing green channel)."""

    words: str
    question: str
    blocks: str = "any"
    about: str = "fact"  # years | level | honour | region | person | fact


@dataclass
class Reading:
    facts: Facts  # what to decide on this turn
    carry: Facts  # what the next turn starts from (a hypothetical is not carried)
    mentions: list[Mention] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    hypothetical: bool = False
    subject: str = "self"  # self | other
    intent: str = "eligibility"
    continues: bool = False  # a turn of an eligibility conversation ("那我现在能报吗", "去年年底拿的证")
    asks_eligibility: bool = False  # the turn asks whether/when (能…吗, 够没, 几年)
    question: str = ""  # the turn's text as the rules should see it (household background masked)


# --------------------------------------------------------------------------------- cue words

OTHER_PERSON = re.compile(
    r"(?:我|俺|咱)?(?:的)?(同事|老婆|老公|爱人|媳妇|妻子|丈夫|对象|男朋友|女朋友|师傅|师父|徒弟|朋友|同学|亲戚|"
    r"哥哥|姐姐|弟弟|妹妹|我哥|我姐|我弟|我妹|儿子|女儿|孩子|父亲|母亲|爸爸|妈妈|我爸|我妈|邻居|老乡|室友|工友|"
    r"下属|手下|小王|小李|小张|小刘|小陈|小赵|老王|老李|老张|老刘|老陈|老赵)"
)
SELF_CLAIM = re.compile(r"(我|本人|俺|自己)(现在|目前|已经|也|自己|本人)?(是|有|拿|考|取得|持有|评|干|做|在|那)")
PRONOUN = re.compile(r"[他她]")
HYPOTHETICAL = re.compile(r"要是|如果|假如|假设|假定|倘若|若是|万一|换成|再过|到明年|明年|等到|过了?[一二两三四五\d]年(以后|后)?")
INTENTS = (
    ("fees", re.compile(r"多少钱|费用|收费|交钱|要钱|花钱|缴费|报名费|评审费|鉴定费")),
    ("materials", re.compile(r"材料|资料|要交什么|交哪些|准备什么|准备哪些|提交什么|需要带|要带什么")),
    ("contact", re.compile(r"电话|联系方式|联系谁|找谁|找哪个部门|哪个部门|热线|咨询哪")),
    ("procedure", re.compile(r"怎么报|怎么申报|如何申报|怎样申报|怎么申请|如何申请|怎么评|流程|程序|步骤|去哪|在哪里?报|公示|几天|"
                             r"先考什么|要考什么|考什么|截到|截止到|哪天算|怎么算年限|年限怎么算|从哪天算|谁来评|谁评|"
                             r"哪里报|哪里申|报名时间|截止|网上报|什么时候报名|啥时候报名|怎么操作|怎么办理")),
    ("post", re.compile(r"待遇|工资|涨薪|加薪|岗位|转岗|聘用|聘任|职务|退休")),
)
ELIGIBILITY_ASK = re.compile(
    r"能不能|能否|可不可以|可否|是否可以|是否能|能.{0,14}[吗么嘛]|可以.{0,8}[吗么嘛]|够不够|够格|有没有资格|有资格|符合|"
    r"行不行|行吗|有戏|有希望|还差|几年|多久|什么时候能|何时能|啥时候能|多长时间|哪年能|能.{0,6}[呢]|[能可].{0,8}不[?？]?$|"
    r"够没|够吗|够不|够了吗"
)
HONOUR_HINT = re.compile(
    r"技术能手|劳动模范|劳模|劳动奖章|工匠|技能大师|竞赛|大赛|比赛|金牌|银牌|铜牌|第[一二三四五六七八九十\d]+名|冠军|"
    r"亚军|季军|非遗|传承人|特殊津贴|突出贡献|技能人才奖|荣誉称号|一等奖|二等奖|三等奖|优秀奖"
)
WORK_NOW = re.compile(r"(现在|目前|如今|现|调到|调去|调来|去了|到了|来到|搬到|跳槽到|派到|在|到|单位（|单位\(|单位在|公司在|厂在)$")
WORK_AFTER = re.compile(r"^(市|省|区|县)?(工作|上班|打工|干活|就业|任职|这边|的单位|的公司|的厂|那边上班)")
PREVIOUS = re.compile(r"(户口|户籍|老家|籍贯|以前|之前|原来|原先|曾经|曾在|从|在)$")
PREVIOUS_AFTER = re.compile(r"^(市|省)?(的)?(户口|人|老家|拿的|考的|发的|评的|取得|考取|拿到|获得|颁发|办的|认定的|鉴定的|读的书)")
SINCE_WORDS = re.compile(r"取得|拿到|拿的|拿了|考到|考的|考取|考了|获得|评上|评的|评了|评到|拿证|证")
WORK_WORDS = re.compile(r"参加工作|工作|上班|入职|干了|从事|工龄|做了")
NON_VOCATIONAL_CONTEXT = re.compile(r"运动|田径|游泳|体校|比赛成绩|部队|军|警|公务员|科员|教练员|裁判")
OTHER_PLACE_HONOUR = re.compile(
    r"(四川|上海|江苏|湖北|黄石|北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|浙江|安徽|福建|江西|山东|河南|湖南|广东|广西|海南|重庆|贵州|云南|西藏|陕西|甘肃|"
    r"青海|宁夏|新疆|武汉|宜昌|襄阳|杭州|广州|深圳|南昌|长沙|西安|郑州|济南|合肥|福州|昆明|贵阳)(省|市|自治区)?"
    r"(技术能手|工匠|大工匠|技能大师|劳动模范|劳模|首席技师|技能人才|五一劳动奖章)")
RULE_TALK = re.compile(r"听.{0,4}说|据说|听人说|文件(上|里)?说|规定|要求|需要满|得满|要满|才能|就能|就可以|可以直接")
IMPERSONAL = re.compile(r"哪些|哪类|什么样的|什么人|哪种人|谁可以|谁能|还能再|都可以|一般")
PERSONAL = re.compile(r"我|本人|俺|咱|自己|他|她|员工|职工|同事")
HOUSEHOLD = re.compile(r"(户口|户籍|籍贯)(?=\S{0,3}(在|是)?\S{0,6}[，,。；]|还在|在|是)")
NO_SKILL_CERT = re.compile(
    r"(没有|没|无|未|从没|从来没)(考过|拿过|取得过?|考)?(任何|一个)?(技能等级|技能证|职业资格|等级证)"
    r"|(技能等级|技能证书?|等级证书?|职业资格证?书?)(一个|一张|啥)?(都|也)(没有|没)")
RECENT = re.compile(r"没几天|才几天|前几天|上周|上个星期|这周|本周|昨天|前天|刚刚?(拿到|拿的|评上|考下来|考过|取得)")
CLAUSE = re.compile(r"[，,。；;！!？?、\n]")


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = [m.end() for m in CLAUSE.finditer(text, 0, pos)]
    end = CLAUSE.search(text, pos)
    return (starts[-1] if starts else 0), (end.start() if end else len(text))


def _level_mentions(text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.key) for m in _scan(text, dict(lexicon.level_aliases()), _exclusion_spans(text))]


STRONG_INTENTS = (
    ("fees", re.compile(r"多少钱|费用|收费|交钱|要钱|花钱|缴费|[报评考审鉴]\S{0,2}费|费多少")),
    ("post", re.compile(r"转岗|转到\S{0,4}岗|转为?专技|岗位.{0,4}(变|调|转)|管理岗|工勤.{0,6}转|待遇怎么|工资怎么|聘用|聘任")),
    ("procedure", re.compile(r"答辩|流程|批下来|审批|怎么报名|如何报名|报名(时间|入口|网址)|结果\S{0,4}(什么时候|何时|多久)|证书\S{0,4}(多久|什么时候|何时)|"
                             r"(在哪|哪里|去哪)(查|看|办|交|打印)|机构在哪|公示几天|要公示|怎么准备")),
)


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

    if reading.intent != "eligibility" and not fact_topic(normalise(text)):
        return False
    if reading.continues:
        return True
    f = reading.facts
    described = bool(f.skill_level or f.title_level or f.honours or f.lacks
                     or any(e.get("role") in ("set_aside", "other_region") for e in f.evidence))
    generic_subject = re.search(r"人员|人才", text) and not PERSON_CUES.search(text)
    if reading.asks_eligibility and f.target and described and not generic_subject:
        return True
    return is_rules_question(text, f)


OTHER_SUBJECT = re.compile(
    r"(?<![听问跟找请])" + OTHER_PERSON.pattern +
    r"(?:[^，。？?！!]{0,4}?)(是|有|拿|考|评|取得|持有|干|做|在|今年|去年|前年|的(证|职称|技能|等级)|"
    r"高级工|中级工|技师|工程师|职称|中级|副高|正高|助理|初级|[一二三]级)"
)


def _subject(norm: str, prior: Facts | None) -> str:
    """"other" when the turn is about someone else's credentials, "mixed" when about both.
    A vocative ("师傅你好") or hearsay ("听工友说") is not someone else's case."""
    other = bool(OTHER_SUBJECT.search(norm))
    if not other and prior is not None and prior.subject == "other" and PRONOUN.search(norm):
        other = True
    rest = OTHER_PERSON.sub("", norm)
    own = bool(SELF_CLAIM.search(rest))
    if prior is not None and prior.subject == "other" and not other:
        own = own or bool(re.search(r"我(?!们)|本人|俺|自己", rest))
    elif other and not own:
        own = bool(re.search(r"我(?!想问|想了解|想咨询|想请教|问|来问|替|帮|们|单位|司|厂)", rest))
    if other and own:
        return "mixed"
    if other:
        return "other"
    if own or prior is None:
        return "self"
    return prior.subject or "self"


def _relevant_kind(facts: Facts) -> str | None:
    """Which credential's years a path is counted from: the skill level for skill→title and the
    skill ladder, the title for title→skill; None when the question leaves it open."""
    if facts.target:
        if lexicon.level(facts.target).kind == "title":
            return "skill"
        return "title" if facts.title_level else "skill"
    if facts.direction in (SKILL_TO_TITLE, SKILL_TO_SKILL):
        return "skill"
    if facts.direction:
        return "title"
    if facts.skill_level and not facts.title_level:
        return "skill"
    if facts.title_level and not facts.skill_level:
        return "title"
    return None


def _clear_years(facts: Facts) -> Facts:
    return replace(facts, years_min=None, years_max=None, obtained=None, years_basis=None, years_of=None)


# --------------------------------------------------------------------------------- the reader

def read(text: str, prior: Facts | None = None, as_of: date | None = None) -> Reading:
    """Read one turn. `prior` is the previous turn's carried facts."""
    norm = normalise(text)
    norm, rewrites = absolute_dates(norm, as_of)
    mentions = [Mention("years", a, "rewritten", b) for a, b in rewrites]
    ranks = non_vocational_spans(norm)
    mentions += [Mention("rank", w, "set_aside", "不是职业技能等级") for _, _, w in ranks]
    masked = mask(norm, [(s, e) for s, e, _ in ranks])
    doubts: list[Doubt] = []

    subject = _subject(masked, prior)
    base = prior
    own_saved: dict | None = None
    if prior is not None and subject == "other" and prior.subject != "other":
        # a colleague's or spouse's question: start from nothing but the place, keep the asker's own facts
        own_saved = prior.to_dict() | {"saved_own": None, "evidence": []}
        base = Facts(region=prior.region, regions=list(prior.regions), region_from_province=prior.region_from_province)
    elif prior is not None and subject == "self" and prior.subject == "other":
        # back to the asker: their own facts, never the colleague's
        base = Facts.from_dict(prior.saved_own) if prior.saved_own else Facts(
            region=prior.region, regions=list(prior.regions), region_from_province=prior.region_from_province)
    elif prior is not None and subject == "other":
        own_saved = prior.saved_own
    if subject == "mixed":
        doubts.append(Doubt(OTHER_SUBJECT.search(masked).group(1), "您问的是您本人，还是您说的这位？请只说要判断的这个人的证书和年限。"))

    hypothetical = bool(prior is not None and HYPOTHETICAL.search(masked))
    roles_text = masked
    masked = mask(masked, [m.span() for m in HOUSEHOLD.finditer(masked)])  # "户口在南京": background, not a topic
    facts = extract_facts(masked, base, as_of)
    facts.subject = "other" if subject == "other" else None
    facts.saved_own = own_saved if subject == "other" else None
    stated = extract_facts(masked, None, as_of)
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
    facts = _follow_up_target(masked, facts, base, stated)
    facts, years_doubt = _bind_years(masked, facts, base, stated, as_of, mentions)
    if years_doubt:
        doubts.append(years_doubt)
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
        evidence = [e for e in base.evidence if e.get("role") in ("held", "set_aside")][-8:] + evidence
    facts.evidence = evidence[:40]
    carry = facts
    if hypothetical and base is not None:
        # "要是我技师满3年呢": answer the supposition, carry only the frame (region, target) forward
        carry = replace(base, target=facts.target, region=facts.region, regions=list(facts.regions),
                        uncovered_region=facts.uncovered_region, evidence=base.evidence)
    intent = _intent(masked)
    if intent == "eligibility" and IMPERSONAL.search(masked) and not PERSONAL.search(masked) and not (
            stated.skill_level or stated.title_level or stated.honours or stated.has_years or stated.lacks):
        intent = "lookup"  # "哪类人员可以…": who may, not whether I may
    about_person = prior is not None and bool(prior.skill_level or prior.title_level or prior.honours or prior.target
                                              or prior.lacks)
    changed = replace(facts, evidence=[], asked=None) != replace(base or Facts(), evidence=[], asked=None) if base else False
    continues = about_person and intent == "eligibility" and (
        bool(ELIGIBILITY_ASK.search(masked) or re.search(r"[呢吗么]$", re.sub(r"[，。,.!！?？\s]", "", masked)))
        or changed)
    return Reading(facts=facts, carry=carry, mentions=mentions, doubts=doubts, hypothetical=hypothetical,
                   subject="other" if subject == "other" else "self", intent=intent, continues=continues,
                   asks_eligibility=bool(ELIGIBILITY_ASK.search(masked)),
                   question=strip_hr_background(re.sub(r"(社保|公积金|医保)(也|都)?(在)", r"\1\3", masked)))


def _follow_up_target(norm: str, facts: Facts, prior: Facts | None, stated: Facts) -> Facts:
    """"那正高呢" / "那技师呢": in a short follow-up, one level named with no held-marker is the
    new target; the credentials held stay what they were."""
    if prior is None or not (prior.skill_level or prior.title_level or prior.target or prior.honours):
        return facts
    core = re.sub(r"[，。,.!！?？\s]", "", norm)
    if len(core) > 16 or HELD_IN_TURN.search(norm) or HYPOTHETICAL.search(norm):
        return facts
    if not (SWITCH_CUE.search(norm) or re.search(r"[呢吗么嘛]$", core)):
        return facts
    keys = list(dict.fromkeys(k for _, _, k in _level_mentions(norm)))
    if len(keys) != 1 or keys[0] in stated.lacks:
        return facts
    return replace(facts, target=keys[0], skill_level=prior.skill_level, title_level=prior.title_level,
                   direction=None)


def _years_record(y) -> dict:
    return {"years_min": y.years_min, "years_max": y.years_max, "obtained": y.obtained, "years_basis": y.basis}


def _bind_years(norm: str, facts: Facts, prior: Facts | None, stated: Facts, as_of: date | None,
                mentions: list[Mention]) -> tuple[Facts, Doubt | None]:
    """Each date or duration belongs to the credential it is said of ("高级工是2019年拿的，技师是
    2024年10月才拿到的"); work years ("本专业干了12年", "2018年开始干的") are kept apart. The single
    years slot then holds the years of the credential the path counts from, and `years_by_level`
    keeps every credential's own, so no rule counts one credential's years for another."""
    spans = temporal_spans(norm)
    negated = set(stated.lacks)
    held = [(s, e, k) for s, e, k in _level_mentions(norm) if k not in negated and k != stated.target]
    by_level = dict(facts.years_by_level) if prior is not None else {}
    work = facts.work_years if prior is not None else None
    owners: list[tuple[tuple[int, int, str], str | None]] = []
    fresh: dict[str, dict] = {}
    first_clause: dict[str, int] = {}
    conflict: str | None = None
    for span in spans:
        c0, c1 = _clause_bounds(norm, span[0])
        clause = norm[c0:c1]
        same = [h for h in held if c0 <= h[0] < c1]
        before = [h for h in held if h[1] <= span[0]]
        pick = min(same, key=lambda h: abs(h[0] - span[0])) if same else (before[-1] if before else None)
        owner = pick[2] if pick else None
        cumulative = bool(CUMULATIVE_CUES.search(clause) or re.search(r"开始(干|做|从事|工作)", clause))
        # "高级工干了五年": years as that credential; "这一行一共干了12年": work years only
        is_work = cumulative or (WORK_WORDS.search(clause) and not SINCE_WORDS.search(clause) and not same)
        y = _years(clause, as_of)
        if not cumulative and WORK_WORDS.search(clause) and same and y.found:
            work = work or (_years_record(y) | {"years_basis": "work"})
        if RULE_TALK.search(clause) or "考核" in clause:
            # "听说高级技师干满十年就能评正高": the rule's number, not the person's years
            mentions.append(Mention("years", span[2], "rule", None))
            owners.append((span, None))
            continue
        if is_work:
            if y.found:
                work = _years_record(y) | {"years_basis": "cumulative"}
            mentions.append(Mention("years", span[2], "work", None))
            owner = None
        elif owner and y.found:
            record = _years_record(y)
            if owner in fresh:
                first = fresh[owner]
                if first["obtained"] and record["obtained"] and first["obtained"] != record["obtained"]:
                    conflict = span[2]  # two different dates for one certificate: ask
                elif not first["obtained"] and not record["obtained"]:
                    # "还没满四年，差两个月": the later clause qualifies the earlier; read them together
                    together = _years(norm[first_clause[owner]:c1], as_of)
                    if together.found:
                        fresh[owner] = _years_record(together)
                elif record["obtained"]:
                    fresh[owner] = record  # a date beats a rounded duration
            else:
                fresh[owner] = record
                first_clause[owner] = c0
            by_level[owner] = fresh[owner]
            mentions.append(Mention("years", span[2], "bound", owner))
        owners.append((span, owner))
    facts = replace(facts, years_by_level=by_level, work_years=work)
    if conflict:
        return replace(_clear_years(facts), years_by_level={k: v for k, v in by_level.items() if k not in fresh}), Doubt(
            conflict, f"您说了两个不同的年限（其中有“{conflict}”），请确认取得现有证书的年月或已满几年。", about="years")
    relevant = _relevant_kind(facts)
    current = {"skill": facts.skill_level, "title": facts.title_level}.get(relevant or "", None)
    owned_keys = {o for _, o in owners if o}
    if owned_keys and len({lexicon.level(k).kind for k in owned_keys}) >= 2 and relevant is None:
        return replace(_clear_years(facts), years_by_level=by_level, work_years=work), Doubt(
            "、".join(s[2] for s, _ in owners),
            "您想申报的是职称还是技能等级？请说一下目标，我按对应证书的取得时间来算。")
    if owned_keys and current:
        record = by_level.get(current)
        if record is None:
            # the path's credential has no date of its own: ask for it rather than borrow another's
            return replace(_clear_years(facts), years_by_level=by_level, work_years=work), None
        return replace(facts, **record, years_of=current), None
    if owned_keys and not current and len(owned_keys) == 1:
        key = next(iter(owned_keys))
        return replace(facts, years_of=key), None
    if stated.has_years and not owned_keys and not any(m.role == "work" for m in mentions if m.kind == "years"):
        if not held and prior is not None:
            # a bare duration answering our question counts for the credential the path starts from
            facts = replace(facts, years_of=current or prior.years_of)
        elif len({k for _, _, k in held}) == 1:
            facts = replace(facts, years_of=held[0][2])
    # years said of one credential are not another's: a correction or a newly named credential
    if facts.has_years and facts.years_of and facts.years_basis != "cumulative" and current:
        if facts.years_of != current and lexicon.level(facts.years_of).kind == relevant:
            mentions.append(Mention("years", facts.years_of, "not_carried", current))
            return replace(_clear_years(facts), years_by_level=by_level, work_years=work), None
    if facts.has_years and facts.years_of:
        by_level[facts.years_of] = {k: getattr(facts, k) for k in ("years_min", "years_max", "obtained", "years_basis")}
    return facts, None


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
    if facts.region_from_province and stated.region_from_province and not re.search(r"湖北(人|籍|老家)|(老家|户口|户籍|籍贯)\S{0,3}湖北", norm):
        if len(stated.regions) <= 1:
            return facts, hubei_doubt
    if re.search(r"派驻|外派|借调|挂职|驻外|异地派遣", norm) and (len(stated.regions) + bool(stated.uncovered_region)) >= 2:
        return facts, Doubt("、".join(stated.regions), "您的劳动关系（用人单位）在哪个地区？派驻、借调的情形文件没有专门规定，请以用人单位所在地确认。", about="region")
    honour_spans = [(s0, e0) for s0, e0, _ in honour_mentions(norm, [])] + [m.span() for m in OTHER_PLACE_HONOUR.finditer(norm)]
    def in_honour(m: re.Match[str]) -> bool:  # "湖北工匠", "江苏省技术能手" name an honour, not a place of the person
        gap = norm[m.end():]
        return any(s0 <= m.start() < e0 or s0 == m.end() or (s0 - m.end() == 1 and gap[:1] in "省市")
                   for s0, e0 in honour_spans)

    place_hits = [m for m in _region_pattern().finditer(norm) if not in_honour(m)]
    places = list(dict.fromkeys(aliases[m.group(0)] for m in place_hits))
    if stated.region_from_province:
        places = [p for p in places if p != "湖北"] + (["黄石"] if "黄石" not in places else [])
    provinces_of = {p: _province(p) for p in places}
    places = [p for p in places if not any(q != p and provinces_of[q] == p for q in places)]  # "湖北黄石" is one place
    regions = places
    covered = [p for p in places if lexicon.is_covered(p)]
    if len(covered) == 1 and len(facts.regions) > 1 and not COMPARE_WORDS.search(norm):
        # the other "region" was part of an honour's name ("江苏省技术能手" asked about in 四川)
        facts = replace(facts, region=covered[0], regions=covered)
    if len(places) < 2 or COMPARE_WORDS.search(norm):
        return facts, None
    work, previous = [], []
    for m in place_hits:
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
        if re.fullmatch(r"[一二三四五]级(工)?", norm[start:end]) and NON_VOCATIONAL_CONTEXT.search(norm):
            doubts.append(Doubt(norm[start:end], f"您说的“{norm[start:end]}”是职业技能等级证书，还是运动员、警衔、公务员职级之类的等级？"
                                "只有职业技能等级（技能证）能走贯通。"))
            break
    for m in OTHER_PLACE_HONOUR.finditer(norm):
        place = m.group(1)
        home = _province(aliases_get(place))
        if home and home != _province(facts.region) and not any(x.kind == "honour" and x.words in m.group(0) for x in mentions):
            mentions.append(Mention("honour", m.group(0), "other_region", place))
    spans = temporal_spans(norm)
    if spans and not facts.has_years and not stated.has_years and not any(m.kind == "years" and m.role in ("bound", "work") for m in mentions):
        words = spans[0][2]
        doubts.append(Doubt(words, f"您说的“{words}”指的是哪件事的时间？请说明取得现有证书的年月或满几年。", about="years"))
    if HONOUR_HINT.search(norm) and not facts.honours and not any(m.kind == "honour" for m in mentions):
        words = HONOUR_HINT.search(norm).group(0)
        doubts.append(Doubt(words, f"您提到的“{words}”，我没能对应到文件列出的荣誉或竞赛名次。请说明是哪一级、哪个部门授予的什么称号或名次。",
                            blocks="negative"))
    return doubts
