"""Runs the YAML rule cases in rules/cases/*.yaml (openfisca style: facts or question text,
as_of → expected route, eligibility, rule, cited sections, follow-up)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules import Facts, decide, evaluate, read, wants_rules

CASES_DIR = Path(__file__).resolve().parent.parent / "rules" / "cases"


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((f"{path.stem}::{case['name']}", case))
    return out


CASES = _load_cases()


def _as_of(case: dict[str, Any]) -> date:
    value = case.get("as_of", "2025-11-21")
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _run(case: dict[str, Any]):
    as_of = _as_of(case)
    if "facts" in case:
        facts = Facts.from_dict(case["facts"])
        return [evaluate(facts, as_of, case.get("question", ""))]
    turns = case.get("turns") or [case["question"]]
    outcomes = []
    prior: Facts | None = None
    for text in turns:
        reading = read(text, prior, as_of)
        outcome = decide(reading, as_of, text)
        # what the router asks first, with the merged facts (a follow-up turn keeps earlier facts)
        outcome.rules_question = wants_rules(reading, text)
        outcomes.append(outcome)
        prior = outcome.facts
    return outcomes


KNOWN_EXPECTATIONS = {
    "answer_contains", "answer_excludes", "comparison_eligible", "comparison_is_table", "comparison_regions",
    "decision", "decision_has", "direction", "docs", "eligible", "fired_includes", "follow_up_contains",
    "missing", "missing_first", "not_docs", "opens_on", "region", "route", "rule_id", "rules_question",
    "sections", "target", "target_level", "warnings", "facts",
}


def _check_facts(outcome, expected: dict[str, Any], name: str) -> None:
    """The facts carried out of the turn: what is held stays held, a wanted level is never held."""
    carried = outcome.facts.to_dict()
    for key, value in expected.items():
        got = carried.get(key)
        if isinstance(value, list) and isinstance(got, list):
            assert set(value) <= set(got), f"{name}: facts.{key} {got!r} lacks {value!r}"
        else:
            assert got == value, f"{name}: facts.{key} {got!r} != {value!r}"


def _check(outcome, expect: dict[str, Any], name: str) -> None:
    if "facts" in expect:
        _check_facts(outcome, expect["facts"], name)
    unknown = set(expect) - KNOWN_EXPECTATIONS
    assert not unknown, f"{name}: unknown expectation keys {sorted(unknown)} (a typo would check nothing)"
    decision = outcome.decision
    if "rules_question" in expect:
        assert outcome.rules_question is expect["rules_question"], f"{name}: is_rules_question {outcome.rules_question}"
    if "route" in expect:
        assert outcome.route == expect["route"], f"{name}: route {outcome.route}\n{outcome.answer}"
    if "decision" in expect and expect["decision"] is None:
        assert decision is None, f"{name}: expected no decision"
    if "eligible" in expect:
        assert decision is not None, f"{name}: no decision\n{outcome.answer}"
        assert decision["eligible"] is expect["eligible"], (
            f"{name}: eligible {decision['eligible']} ({decision.get('rule_id')})\n{outcome.answer}"
        )
    for key in ("rule_id", "target", "region", "direction", "target_level", "opens_on"):
        if key in expect:
            assert decision is not None and decision.get(key) == expect[key], (
                f"{name}: {key} {decision and decision.get(key)!r} != {expect[key]!r}\n{outcome.answer}"
            )
    if "missing" in expect:
        assert decision["missing"] == expect["missing"], f"{name}: missing {decision['missing']}"
    if "missing_first" in expect:
        assert decision["missing"][:1] == [expect["missing_first"]], f"{name}: missing {decision['missing']}"
    if "follow_up_contains" in expect:
        assert decision["follow_up"] and expect["follow_up_contains"] in decision["follow_up"], (
            f"{name}: follow_up {decision['follow_up']!r}"
        )
    if expect.get("route") == "clarify":
        assert decision["follow_up"], f"{name}: clarify without a follow-up question"
    if "fired_includes" in expect:
        assert set(expect["fired_includes"]) <= set(decision["fired_rules"]), f"{name}: fired {decision['fired_rules']}"
    if "sections" in expect:
        cited = {f"{c['doc']} {c['section']}" for c in outcome.citations}
        for section in expect["sections"]:
            assert section in cited, f"{name}: {section} not cited; cited {sorted(cited)}"
    if "docs" in expect:
        docs = {c["doc"] for c in outcome.citations}
        assert set(expect["docs"]) <= docs, f"{name}: docs {docs}"
    if "not_docs" in expect:
        docs = {c["doc"] for c in outcome.citations}
        assert not (set(expect["not_docs"]) & docs), f"{name}: docs {docs}"
    for text in expect.get("answer_contains", []):
        assert text in outcome.answer, f"{name}: {text!r} not in answer\n{outcome.answer}"
    for text in expect.get("answer_excludes", []):
        assert text not in outcome.answer, f"{name}: {text!r} in answer\n{outcome.answer}"
    if "warnings" in expect:
        if expect["warnings"] is False:
            assert outcome.warnings == [], f"{name}: warnings {outcome.warnings}"
        else:
            assert any(expect["warnings"] in w for w in outcome.warnings), f"{name}: warnings {outcome.warnings}"
    if "comparison_regions" in expect:
        assert outcome.comparison is not None
        assert [c["region"] for c in outcome.comparison] == expect["comparison_regions"]
    if "comparison_is_table" in expect:
        assert outcome.comparison is not None
        assert all(c.get("route") is None for c in outcome.comparison) is expect["comparison_is_table"], (
            f"{name}: comparison {outcome.comparison}"
        )
    if "decision_has" in expect:
        assert decision is not None
        for key in expect["decision_has"]:
            assert decision.get(key), f"{name}: decision lacks {key}"
    if "comparison_eligible" in expect:
        assert [c["eligible"] for c in outcome.comparison] == expect["comparison_eligible"]
    # contract invariants on every decision
    if decision is not None:
        for cond in decision["conditions"]:
            assert 0 <= cond["citation"] < len(outcome.citations), f"{name}: bad citation index"
            assert cond["met"] in (True, False, None)
    for marker in __import__("re").findall(r"【(\d+)】", outcome.answer):
        assert 1 <= int(marker) <= len(outcome.citations), f"{name}: marker 【{marker}】 out of range"


def test_at_least_150_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("name,case", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, case: dict[str, Any]) -> None:
    outcomes = _run(case)
    for i, expect in enumerate(case.get("expect_turns") or []):
        _check(outcomes[i], expect, f"{name} (turn {i + 1})")
    if "expect" in case:
        _check(outcomes[-1], case["expect"], name)
