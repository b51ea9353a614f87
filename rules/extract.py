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
    _Mention,
    _scan,
    normalise,
)
from .durations import (
    CUMULATIVE_CUES,
    LATER_YEARS,
    SINCE_CUES,
    _bare_years_answer,
    _later_years,
    _Years,
    _years,
)
from .honour_spans import (
    CLASS_ONE,
    CLASS_ONE_KEYS,
    CLASS_ONE_UNKNOWN_TEAM,
    PLACE_WORDS,
    TEAM_PATTERNS,
    _class_one_place,
    _honours,
    _national_class_one,
    _team_size,
    class_one_key,
    honour_mentions,
)
from .level_mentions import _exclusion_spans, _Levels, _levels, _wished, mentioned_levels
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
from .region_mentions import _regions
from .slots import HELD_IN_TURN, SWITCH_CUE, _assessment, _direction, _switch_target, extract_facts, merge
from .text import cn_number

__all__ = [
    "CLASS_ONE", "CLASS_ONE_KEYS", "CLASS_ONE_UNKNOWN_TEAM", "CLAUSE_BREAK", "COMPARE_WORDS", "CUMULATIVE_CUES",
    "ELIGIBILITY_CUES", "FULLWIDTH", "GENERIC_OWN_PATH", "HELD_IN_TURN", "HOW_MANY", "HYPOTHETICAL_HELD",
    "LATER_YEARS", "LOOKUP_ONLY", "NEGATIVE_ASK", "NEGATIVE_ASK_AFTER", "NEG_AFTER", "NEG_BEFORE", "NUM",
    "OPEN_TARGET", "OTHER_HR_TOPIC", "PAST_BEFORE", "PERSON_CUES", "PLACE_WORDS", "POLICY_BACKGROUND",
    "PRO_EXAMS", "REGION_SWITCH", "SINCE_CUES", "SKILL_WORDS", "SWITCH_CUE", "TARGET_BEFORE", "TARGET_MODAL",
    "TEAM_PATTERNS", "TITLE_WORDS", "WISH_IN_CLAUSE", "_Levels", "_Mention", "_Years", "_assessment",
    "_bare_years_answer", "_class_one_place", "_direction", "_exclusion_spans", "_honours", "_later_years",
    "_levels", "_national_class_one", "_regions", "_scan", "_switch_target", "_team_size", "_wished", "_years",
    "class_one_key", "cn_number", "extract_facts", "honour_mentions", "is_eligibility_question",
    "is_rules_question", "mentioned_levels", "merge", "normalise", "strip_hr_background",
]
