"""The slot extractor: `extract_facts(text, prior, as_of)` fills Facts from one turn (region,
levels, target, direction, years, honours, assessment) and `merge` carries the prior turn's facts
so a bare follow-up answer ("5年", "上海") fills the missing slot."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import lexicon
from .cues import SKILL_WORDS, TITLE_WORDS, normalise
from .durations import bare_years_answer, later_years, read_years
from .honour_spans import CLASS_ONE_KEYS, class_one_key, class_one_place, honour_keys, team_size
from .level_mentions import LevelReading, mentioned_levels, read_levels
from .model import SKILL_TO_TITLE, TITLE_TO_SKILL, Facts
from .region_mentions import read_regions


def assessment(text: str) -> bool | None:
    if re.search(r"考核.{0,6}(不合格|没合格|没有合格|未合格|没通过|没有通过|未通过|不称职|基本称职|基本合格)", text):
        return False
    if re.search(r"(不合格|没合格|没通过).{0,4}考核", text):
        return False
    if re.search(r"考核.{0,6}(合格|称职|优秀|通过|都过|没问题)", text):
        return True
    return None


# Standard conditions a person can say they fail, besides the annual assessment (a fact key of a
# standard condition in rules/data/rules/*.yaml → what they say).
UNMET_FACTS = {
    "recommendation": re.compile(r"(没有|没|无|不给|不肯|不同意|不愿意?)(单位)?推荐|单位(不|没)(给|肯|同意|愿意)?推荐|推荐(没|不)(给|过|通过)"),
    "ability_test": re.compile(r"(能力)?测试\S{0,3}?(没过|没通过|不合格|未通过|没合格|挂了)|(没过|没通过|未通过)\S{0,4}(水平)?能力测试"),
}


def unmet_conditions(text: str) -> list[str]:
    return [key for key, pattern in UNMET_FACTS.items() if pattern.search(text)]


def direction_from_words(text: str, levels: LevelReading) -> str | None:
    if levels.target:
        return SKILL_TO_TITLE if lexicon.level(levels.target).kind == "title" else None
    has_title_words = bool(TITLE_WORDS.search(text))
    has_skill_words = bool(SKILL_WORDS.search(text))
    if has_title_words and not has_skill_words:
        return SKILL_TO_TITLE
    if has_skill_words and not has_title_words:
        return TITLE_TO_SKILL
    return None


# a follow-up that switches the target: "那正高呢？" "要是评正高级呢" "换成技师呢"
SWITCH_CUE = re.compile(r"呢|换成|换到|改成|改为|改评|改考|要是|如果|假如|假设|的话|那|又如何|会怎样|怎么样|行吗|可以吗|能行吗")
HELD_IN_TURN = re.compile(r"我是|只有|仅有|就有|[他她](也|都)?是|[他她](也|都)?有|也是|我有|本人是|已经|已是|取得|拿到|持有|有了|我要是|要是我|如果我|假如我|假设我|我现在|我目前|我已")


def switch_target(norm: str, levels: LevelReading, prior: Facts) -> None:
    """In a short follow-up after a targeted question, a level of the same kind as the earlier
    target, named with a switch cue and no held-marker, is the new target ("那正高呢")."""
    if not prior.target or levels.target or len(re.sub(r"[，。,.!！?？\s]", "", norm)) > 16:
        return
    if not SWITCH_CUE.search(norm) or HELD_IN_TURN.search(norm):
        return
    kind = lexicon.level(prior.target).kind
    for key in mentioned_levels(norm):
        if lexicon.level(key).kind != kind or key not in (levels.skill, levels.title):
            continue
        levels.target = key
        if levels.skill == key:
            levels.skill = None
        if levels.title == key:
            levels.title = None
        return



def extract_facts(text: str, prior: Facts | None = None, as_of: date | None = None) -> Facts:
    """Facts stated in `text`, merged over `prior` (values stated now win; honours accumulate)."""
    norm = normalise(text)
    taken: list[tuple[int, int]] = []
    honours = honour_keys(norm, taken)
    regions, uncovered, from_province = read_regions(norm, taken)
    if not regions and not uncovered:
        implied = [lexicon.honour_regions()[h] for h in honours if h in lexicon.honour_regions()]
        if implied:
            region = implied[0]
            regions, from_province = (["黄石"], True) if region == "湖北" else ([region], False)
    levels = read_levels(norm, taken)
    if prior is not None:
        switch_target(norm, levels, prior)
    years = read_years(norm, as_of)
    if not years.found and prior is not None and prior.asked == "years":
        years = bare_years_answer(norm) or years
    later = later_years(norm, prior, as_of)
    if later is not None:
        years = later
    new = Facts(
        region=regions[0] if regions else None,
        regions=regions,
        uncovered_region=uncovered if not regions else None,
        region_from_province=from_province,
        skill_level=levels.skill,
        title_level=levels.title,
        lacks=list(levels.lacks),
        target=levels.target,
        direction=direction_from_words(norm, levels),
        years_min=years.years_min,
        years_max=years.years_max,
        years_basis=years.basis,
        obtained=years.obtained,
        honours=honours,
        assessment_ok=assessment(norm),
        unmet=unmet_conditions(norm),
    )
    placing = class_one_place(norm)
    if placing or (prior is not None and prior.contest_place is not None):
        new.contest_place = placing[2] if placing else None
        new.contest_team = team_size(norm)
    if prior is None:
        return new
    return merge(prior, new, years.found, open_question=levels.open_question)


def merge(prior: Facts, new: Facts, years_stated: bool, open_question: bool = False) -> Facts:
    """Carry prior facts forward; anything stated in this turn replaces its slot."""
    merged = replace(prior)
    if new.regions:
        merged.region, merged.regions, merged.uncovered_region = new.region, new.regions, None
        merged.region_from_province = new.region_from_province
    elif new.uncovered_region:
        merged.region, merged.regions, merged.uncovered_region = None, [], new.uncovered_region
        merged.region_from_province = False
    if new.skill_level:
        merged.skill_level = new.skill_level
    if new.title_level:
        merged.title_level = new.title_level
    if new.target:
        merged.target = new.target
    elif open_question:
        merged.target = None
    if new.direction:
        merged.direction = new.direction
    if years_stated:
        merged.years_min, merged.years_max = new.years_min, new.years_max
        merged.obtained, merged.years_basis = new.obtained, new.years_basis
    merged.honours = list(dict.fromkeys([*prior.honours, *new.honours]))
    if new.contest_place is not None or new.contest_team is not None:
        # a new placing or the team size of the earlier one ("三人赛项"): re-read the class-one honour
        merged.contest_place = new.contest_place if new.contest_place is not None else prior.contest_place
        merged.contest_team = new.contest_team if new.contest_team is not None else (
            prior.contest_team if new.contest_place is None else None)
        if merged.contest_place is not None:
            merged.honours = [h for h in merged.honours if h not in CLASS_ONE_KEYS]
            merged.honours.append(class_one_key(merged.contest_place, merged.contest_team))
    held = {merged.skill_level, merged.title_level}
    merged.lacks = [x for x in dict.fromkeys([*prior.lacks, *new.lacks]) if x not in held]
    if merged.title_level and "职称" in merged.lacks:
        merged.lacks.remove("职称")
    if merged.skill_level and "技能等级" in merged.lacks:
        merged.lacks.remove("技能等级")
    if new.assessment_ok is not None:
        merged.assessment_ok = new.assessment_ok
    merged.unmet = list(dict.fromkeys([*prior.unmet, *new.unmet]))
    merged.asked = prior.asked
    return merged
