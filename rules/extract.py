"""Deterministic fact extraction from colloquial Chinese (simplified or traditional): region,
skill/title levels and their aliases, years in any form, honours, assessment status, negations,
target level and direction. `extract_facts(text, prior)` merges with the previous turn's facts
so a bare follow-up answer ("5年", "上海") fills the missing slot.

This module only re-exports: the readers live in `cues` (shared cue patterns, normalise),
`level_mentions`, `durations`, `honour_spans`, `region_mentions`, `slots` (extract_facts, merge)
and `question_kind` (is_eligibility_question, is_rules_question, other-HR topics)."""

from __future__ import annotations

from .cues import (
    CLAUSE_BREAK,
    FULLWIDTH,
    HYPOTHETICAL_HELD,
    NEG_AFTER,
    NEG_BEFORE,
    NEGATIVE_ASK,
    NEGATIVE_ASK_AFTER,
    NUM,
    OPEN_TARGET,
    PAST_BEFORE,
    SKILL_WORDS,
    TARGET_BEFORE,
    TARGET_MODAL,
    TITLE_WORDS,
    WISH_IN_CLAUSE,
    AliasMention,
    normalise,
    scan,
)
from .durations import (
    CUMULATIVE_CUES,
    LATER_YEARS,
    SINCE_CUES,
    YearsReading,
    bare_years_answer,
    later_years,
    read_years,
)
from .honour_spans import (
    CLASS_ONE,
    CLASS_ONE_KEYS,
    CLASS_ONE_UNKNOWN_TEAM,
    PLACE_WORDS,
    TEAM_PATTERNS,
    class_one_key,
    class_one_place,
    honour_keys,
    honour_mentions,
    national_class_one,
    team_size,
)
from .level_mentions import LevelReading, exclusion_spans, mentioned_levels, read_levels, wished
from .question_kind import (
    COMPARE_WORDS,
    ELIGIBILITY_CUES,
    GENERIC_OWN_PATH,
    HOW_MANY,
    LOOKUP_ONLY,
    OTHER_HR_TOPIC,
    PERSON_CUES,
    POLICY_BACKGROUND,
    PRO_EXAMS,
    REGION_SWITCH,
    is_eligibility_question,
    is_rules_question,
    strip_hr_background,
)
from .region_mentions import read_regions
from .slots import (
    HELD_IN_TURN,
    SWITCH_CUE,
    assessment,
    direction_from_words,
    extract_facts,
    merge,
    switch_target,
)
from .text import cn_number

# the names these had when they were private to this module (rules.reading imports three of them)
_Mention, _scan, _exclusion_spans = AliasMention, scan, exclusion_spans
_honours, _class_one_place, _team_size, _national_class_one = honour_keys, class_one_place, team_size, national_class_one
_regions, _Levels, _levels, _wished = read_regions, LevelReading, read_levels, wished
_Years, _years, _later_years, _bare_years_answer = YearsReading, read_years, later_years, bare_years_answer
_switch_target, _assessment, _direction = switch_target, assessment, direction_from_words

__all__ = [
    "CLASS_ONE", "CLASS_ONE_KEYS", "CLASS_ONE_UNKNOWN_TEAM", "CLAUSE_BREAK", "COMPARE_WORDS", "CUMULATIVE_CUES",
    "ELIGIBILITY_CUES", "FULLWIDTH", "GENERIC_OWN_PATH", "HELD_IN_TURN", "HOW_MANY", "HYPOTHETICAL_HELD",
    "LATER_YEARS", "LOOKUP_ONLY", "NEGATIVE_ASK", "NEGATIVE_ASK_AFTER", "NEG_AFTER", "NEG_BEFORE", "NUM",
    "OPEN_TARGET", "OTHER_HR_TOPIC", "PAST_BEFORE", "PERSON_CUES", "PLACE_WORDS", "POLICY_BACKGROUND",
    "PRO_EXAMS", "REGION_SWITCH", "SINCE_CUES", "SKILL_WORDS", "SWITCH_CUE", "TARGET_BEFORE", "TARGET_MODAL",
    "TEAM_PATTERNS", "TITLE_WORDS", "WISH_IN_CLAUSE", "AliasMention", "LevelReading", "YearsReading",
    "assessment", "bare_years_answer", "class_one_key", "class_one_place", "cn_number", "direction_from_words",
    "exclusion_spans", "extract_facts", "honour_keys", "honour_mentions", "is_eligibility_question",
    "is_rules_question", "later_years", "mentioned_levels", "merge", "national_class_one", "normalise",
    "read_levels", "read_regions", "read_years", "scan", "strip_hr_background", "switch_target", "team_size",
    "wished",
]
