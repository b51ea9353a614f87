"""Reading, turn by turn: what a follow-up, a supposition or a later day does to the facts, and the
fact-bearing words a reading left unexplained (each becomes a `Doubt`). Used by `rules.reading.read`."""
from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from . import lexicon
from .durations import LATER_YEARS, NEXT_YEAR, SUPPOSED_DAY
from .extract import (
    HELD_IN_TURN,
    SWITCH_CUE,
    extract_facts,
    honour_mentions,
)
from .model import SKILL_TO_TITLE, TITLE_TO_SKILL, Facts
from .reading_cues import (
    CITY_LEVEL_HONOUR,
    ELIGIBILITY_ASK,
    HONOUR_HINT,
    HYPOTHETICAL,
    NON_VOCATIONAL_CONTEXT,
    OTHER_PLACE_HONOUR,
    UNLISTED_HONOUR,
)
from .reading_model import Doubt, Mention
from .reading_places import _province, aliases_get
from .reading_years import _clear_years, _level_mentions
from .text import cn_number, temporal_spans
from .years import add_years, obtained_range, years_between

CITY_NAMED_HONOUR = re.compile(r"(\S{2,3}?)(市)?(工匠|技术能手|技能大师)(?![\u4e00-\u9fff]{0,2}(称号)?名单)")
VOCATIONAL = re.compile(r"技能|职业资格|工种|技工|车工|钳工|电工|焊工|数控|维修|操作工|技师|高级工")
BARE_MIDDLE = re.compile(r"(我是|我|本人|现在是|目前是|持有|拿的是|有个?)中级(?!工|职称|工程师|经济师|会计|技师|专业|以上)")
TITLE_CONTEXT = re.compile(r"职称|工程师|技术员|经济师|会计师|讲师|农艺师|实验师|助理")
GAO_GONG = re.compile(r"(?<!教授级)(?<!正高级)高工(?!程|资|龄)")
UNSURE = re.compile(r"记不清|记不太清|不记得|忘了|搞不清|说不清|分不清|不确定|拿不准")

NEGATIVE_YEARS = re.compile(r"[-－−]\s*[\d一二三四五六七八九十]+(\.\d+)?\s*(年|个月)")
ZERO_YEARS = re.compile(r"满\s*[0０零]\s*(年|个月)")
FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
EARLIEST_YEAR = 1949


def _implausible_years(norm: str, facts: Facts, as_of: date | None, supposed_day: bool = False) -> tuple[Facts, Doubt | None]:
    """A negative or zero duration, or a year before 1949 or after the asking date, is input to
    confirm, never a fact ("技师满-5年", "0001年取得", "2099年拿的"). With `supposed_day` (an earlier
    turn gave the date obtained), a later date after 假如/等到 is the day supposed, not a date obtained."""
    words = None
    named = SUPPOSED_DAY.search(norm) if supposed_day else None
    if named and facts.obtained and facts.obtained.startswith(named.group("y")):
        return facts, None
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


def _with_years(facts: Facts, years: dict) -> Facts:
    """`facts` with `years` as the years slot and as the own years of the credential they are of."""
    by_level = dict(facts.years_by_level)
    if facts.years_of:
        by_level[facts.years_of] = years
    return replace(facts, **years, years_by_level=by_level)


def _held_on(facts: Facts, day: date) -> Facts:
    """The years the obtained date gives on `day` (a range when the date is a year or a month)."""
    earliest, latest = obtained_range(facts.obtained)
    return _with_years(facts, {"years_min": years_between(latest, day), "years_max": years_between(earliest, day),
                               "obtained": None, "years_basis": "since_credential"})


def _later_amount(m: re.Match) -> float | None:
    """Years in a LATER_YEARS match ("再干一年" → 1, "再过半年" → 0.5, "三个月后" → 0.25)."""
    num = m.group(1) if m.group(1) is not None else m.group(4)
    unit = m.group(3) if m.group(1) is not None else m.group(6)
    n = 0.5 if num == "半" else cn_number(num or "")
    return None if n is None else (n if unit == "年" else n / 12)


def _with_prior_date(facts: Facts, prior: Facts) -> Facts:
    return replace(facts, obtained=prior.obtained, years_of=prior.years_of or facts.years_of,
                   years_by_level=dict(prior.years_by_level))


def _minus_gap(facts: Facts, gap: float, as_of: date) -> Facts:
    """The years held minus a stated time away from the trade: the documents count years 从事技术技能工作."""
    if facts.obtained:
        earliest, latest = obtained_range(facts.obtained)
        lo, hi = years_between(latest, as_of), years_between(earliest, as_of)
    elif facts.years_min is not None or facts.years_max is not None:
        lo, hi = facts.years_min, facts.years_max
    else:
        return facts
    return _with_years(facts, {"years_min": max(lo - gap, 0) if lo is not None else None,
                               "years_max": max(hi - gap, 0) if hi is not None else None, "obtained": None,
                               "years_basis": facts.years_basis or "since_credential"})


def _later(norm: str, facts: Facts, as_of: date | None, prior: Facts | None) -> Facts:
    """"技师2024年5月拿的，要是再干一年呢": a supposed later day turns the real date into the years
    held on that day (the date itself stays in the carried facts). "再过一年" is never a duration held."""
    m = LATER_YEARS.search(norm)
    next_year = NEXT_YEAR.search(norm)
    named = SUPPOSED_DAY.search(norm)
    if named and as_of is not None and prior is not None and prior.obtained:
        year, month = int(named.group("y")), int(named.group("m") or 0)
        # a month named: its last day (both dates then count in whole months); a year alone: its first day
        day = date(year, month, calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else date(year, 1, 1)
        if day > as_of:  # the date is the supposed day, not when a level was obtained
            return _held_on(_with_prior_date(facts, prior), day)
    if not m and next_year and as_of is not None and (facts.obtained or (prior is not None and prior.obtained)):
        # "那明年这时候呢" / "明年8月再报呢": a supposed day next year
        month = int(next_year.group("m")) if next_year.group("m") else None
        day = date(as_of.year + 1, month, 1) if month and 1 <= month <= 12 else add_years(as_of, 1)
        return _held_on(facts if facts.obtained else _with_prior_date(facts, prior), day)
    if not m or as_of is None:
        return facts
    delta = _later_amount(m)
    if delta is not None and prior is not None and prior.work_years and not prior.work_years.get("obtained") \
            and facts.work_years == prior.work_years:
        # "助理工程师，干了一年" then "那再干一年呢": the cumulative years grow as well
        work = dict(prior.work_years)
        work.update({k: work[k] + delta for k in ("years_min", "years_max") if work.get(k) is not None})
        facts = replace(facts, work_years=work)
    if not facts.obtained and prior is not None and prior.obtained and not re.search(r"(19|20)\d\d", norm):
        facts = _with_prior_date(facts, prior)
    if not facts.obtained or delta is None:
        return facts
    return _held_on(facts, add_years(as_of, delta))


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
    found = _level_mentions(norm)
    keys = list(dict.fromkeys(k for _, _, k in found))
    if len(keys) != 1 or keys[0] in stated.lacks:
        return facts
    if any(re.search(r"[他她我](也|现在|目前)?(是|有)?$", norm[:a]) for a, _, _ in found):
        return facts  # "那我徒弟呢，她也是中级": a level said of someone is held, not asked for
    kind = lexicon.level(keys[0]).kind
    held = prior.title_level if kind == "title" else prior.skill_level
    other_way = {"title": TITLE_TO_SKILL, "skill": SKILL_TO_TITLE}[kind] if kind in ("title", "skill") else None
    if held and not prior.target and prior.direction in (None, other_way) and not re.search(r"报|评|考|申|升", core):
        # "初级职称，能考啥技能等级" then "那中级职称呢": the same question for another credential held
        return replace(facts, target=prior.target, skill_level=keys[0] if kind == "skill" else prior.skill_level,
                       title_level=keys[0] if kind == "title" else prior.title_level, direction=prior.direction)
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
    hint = HONOUR_HINT.search(norm)
    said_none = hint and re.search(r"(没|没有|无|没啥|没什么|没得|莫得|也没)\S{0,3}$", norm[max(0, hint.start() - 6):hint.start()])
    if hint and not said_none and not facts.honours and not any(m.kind == "honour" for m in mentions):
        words = hint.group(0)
        doubts.append(Doubt(words, f"您提到的“{words}”，我没能对应到文件列出的荣誉或竞赛名次。请说明是哪一级、哪个部门授予的什么称号或名次。",
                            blocks="negative"))
    wants_skill = facts.target in lexicon.levels_by_key() and lexicon.level(facts.target).kind == "skill"
    if (facts.title_level == "中级" and BARE_MIDDLE.search(norm) and not TITLE_CONTEXT.search(norm)
            and not facts.skill_level and not wants_skill and not facts.honours):  # 江苏工匠…"我现在是中级": the title  # a 中级 who wants a skill level holds the title
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
