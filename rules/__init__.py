"""Rule module of 贯通政策助手: exact, cited eligibility decisions from the five policy documents.

Public API (docs/DESIGN.md):
    extract_facts(text, prior=None, as_of=None) -> Facts
    is_eligibility_question(text, facts) -> bool
    is_rules_question(text, facts) -> bool   # eligibility, fact-table or compare questions
    read(text, prior=None, as_of=None) -> Reading   # facts with their source words, doubts, intent
    decide(reading, as_of, question="") -> RuleOutcome  # no verdict on doubts or on a document not in force
    evaluate(facts, as_of, question="") -> RuleOutcome
Pure Python + YAML; no I/O beyond loading rules/data.
"""

from . import lexicon
from .decide import decide
from .engine import evaluate
from .extract import (
    ELIGIBILITY_CUES,
    PERSON_CUES,
    extract_facts,
    is_eligibility_question,
    is_rules_question,
    normalise,
    strip_hr_background,
)
from .facts_tables import fact_topic
from .model import Facts, RuleOutcome
from .reading import Reading, read, wants_rules

__all__ = [
    "ELIGIBILITY_CUES",
    "PERSON_CUES",
    "Facts",
    "Reading",
    "RuleOutcome",
    "decide",
    "evaluate",
    "extract_facts",
    "fact_topic",
    "is_eligibility_question",
    "is_rules_question",
    "lexicon",
    "normalise",
    "read",
    "strip_hr_background",
    "wants_rules",
]
