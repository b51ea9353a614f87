"""The rule engine's entry point: `evaluate(facts, as_of, question)` routes a question to a
fact table, a region comparison or one region's verdict (decided in `verdicts`, written in
`verdict_text`), and asks for the region or credential when a verdict needs it.

Reasoning: `conditions` (one rule), `selection` (which rules), `verdicts` (the decision);
rendering: `verdict_text`; data types: `results`. This module calls both rooms."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import lexicon
from .compare import compare_regions

# a comparison lists the green channels only when the question is about them
GREEN_ASKED = re.compile(r"绿色通道|破格|直接申报|直接评|荣誉|能手|工匠|大奖|竞赛|大赛|津贴|称号|技能大师|非遗")
from .conditions import REGION_QUESTION, credential_question, evaluate_rule, target_label
from .extract import OTHER_HR_TOPIC, PERSON_CUES, extract_facts, normalise
from .facts_tables import answer_fact_question, fact_topic
from .model import Facts, RuleOutcome
from .region_answer import evaluate_open, evaluate_targeted
from .results import Citations, Cond, RuleResult
from .rulebook import load
from .selection import infer_direction
from .verdict_text import (
    PROVINCE_ONLY_HUBEI,
    ask_text,
    other_topic_text,
    region_question_text,
    uncovered_region_text,
)
from .verdicts import decision_dict

__all__ = [
    "Citations",
    "Cond",
    "RuleResult",
    "evaluate",
    "evaluate_open",
    "evaluate_rule",
    "evaluate_targeted",
    "infer_direction",
    "target_label",
]


def evaluate(facts: Facts, as_of: date | None = None, question: str = "") -> RuleOutcome:
    """Decide an eligibility (or fact-table) question from the facts, as of a date.

    route "clarify" when a deciding fact is missing (decision.follow_up asks for the first one),
    "out_of_scope" for a region the corpus does not cover, else "rules".
    """
    as_of = as_of or date.today()
    facts = replace(facts)  # the caller's object is left untouched; the outcome carries the copy
    book = load()
    cites = Citations(book)
    warnings: list[str] = []

    norm_q = normalise(question) if question else ""
    other = OTHER_HR_TOPIC.search(norm_q) if norm_q else None
    if other:
        answer = other_topic_text(other.group(0))
        return RuleOutcome("out_of_scope", answer, None, [], [], facts, trace=["out_of_scope:other_topic"])

    topic = fact_topic(norm_q) if norm_q else None
    # a fact-table question is answered from the table unless this question itself states a path
    # (a target or years); 待遇/比照 questions always are, even when they name a level
    stated = extract_facts(norm_q, None, as_of) if topic else None
    if topic and (topic == "treatment" or not (stated.target or stated.has_years)):
        answer = answer_fact_question(book, topic, norm_q, facts, cites)
        return RuleOutcome("rules", answer, None, cites.as_list(), cites.warnings(as_of), facts, trace=[f"facts:{topic}"])

    covered = [r for r in facts.regions if lexicon.is_covered(r)]
    if len(covered) >= 2:
        personal = not norm_q or bool(PERSON_CUES.search(norm_q)) or facts.has_years or bool(facts.honours)
        with_green = bool(GREEN_ASKED.search(norm_q)) if norm_q else False
        answer, comparison, trace = compare_regions(book, covered, facts, as_of, cites, personal=personal,
                                                    with_green=with_green)
        return RuleOutcome("rules", answer, None, cites.as_list(), cites.warnings(as_of), facts,
                           comparison=comparison, trace=trace)

    direction = infer_direction(facts)
    region = facts.region
    if region is None:
        if facts.uncovered_region:
            where = facts.uncovered_region
            answer = uncovered_region_text(where)
            decision = decision_dict(None, None, direction, where, facts.target, cites, [], None, [], as_of,
                                     {"covered": False})
            return RuleOutcome("out_of_scope", answer, decision, [], [], facts, trace=["uncovered_region"])
        facts.asked = "region"
        decision = decision_dict(None, None, direction, None, facts.target, cites, ["region"], REGION_QUESTION, [],
                                 as_of)
        answer = region_question_text(REGION_QUESTION)
        return RuleOutcome("clarify", answer, decision, [], [], facts, trace=["missing:region"])

    if facts.region_from_province:
        warnings.append(PROVINCE_ONLY_HUBEI)

    if direction is None:
        facts.asked = "credential"
        q = credential_question(None)
        decision = decision_dict(None, None, None, region, facts.target, cites, ["credential"], q, [], as_of)
        answer = ask_text(q)
        return RuleOutcome("clarify", answer, decision, [], warnings, facts, trace=["missing:credential"])

    if facts.target:
        route, decision, answer, trace = evaluate_targeted(book, region, direction, facts.target, facts, as_of, cites)
    else:
        if not (facts.skill_level or facts.title_level or facts.honours):
            facts.asked = "credential"
            q = credential_question(direction)
            decision = decision_dict(None, None, direction, region, None, cites, ["credential"], q, [], as_of)
            return RuleOutcome("clarify", ask_text(q), decision, [], warnings, facts,
                               trace=["missing:credential"])
        route, decision, answer, trace = evaluate_open(book, region, direction, facts, as_of, cites)
    facts.asked = decision["missing"][0] if decision.get("missing") else None
    warnings = cites.warnings(as_of) + warnings
    return RuleOutcome(route, answer, decision, cites.as_list(), warnings, facts, trace=trace)
