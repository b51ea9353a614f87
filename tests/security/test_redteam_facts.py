"""Issue 12 #2: client-supplied `facts` are checked at the edge (types, ranges, sizes, enums,
duplicates, contradictions): a forged object is an input error in Chinese, quickly."""
from __future__ import annotations

import datetime as dt
import time

import pytest

pytestmark = pytest.mark.redteam

DAY = dt.date(2026, 11, 30)
Q = "技师满4年，能申报中级职称吗？"
CJK = "facts 格式不对"


def _input_error(ans: dict) -> bool:
    return ans["route"] == "error" and ans.get("error_kind") == "input" and CJK in ans["answer"]


def test_fifty_thousand_regions_are_refused_in_under_100_ms(assistant):
    facts = {"regions": ["上海"] * 50_000, "region": "上海"}
    assistant.ask(Q, as_of=DAY)  # warm: the first call loads the encoder
    t0 = time.perf_counter()
    ans = assistant.ask(Q, as_of=DAY, facts=facts)
    elapsed_ms = (time.perf_counter() - t0) * 1000
    assert _input_error(ans) and "50000" in ans["answer"]
    assert elapsed_ms < 100, f"{elapsed_ms:.1f} ms"


@pytest.mark.parametrize("facts", [
    pytest.param({"years_min": float("nan")}, id="nan"),
    pytest.param({"years_min": float("inf")}, id="infinity"),
    pytest.param({"years_min": -3}, id="negative-years"),
    pytest.param({"years_max": 1e9}, id="absurd-years"),
    pytest.param({"years_min": True}, id="bool-as-years"),
    pytest.param({"obtained": "10002-01-01"}, id="year-10002"),
    pytest.param({"obtained": "1900-05"}, id="before-1949"),
    pytest.param({"obtained": "2030-01-01"}, id="after-as-of"),
    pytest.param({"obtained": "2021-02-30"}, id="impossible-date"),
    pytest.param({"assessment_ok": "是"}, id="assessment-not-bool"),
    pytest.param({"honours": "全国技术能手"}, id="honours-not-list"),
    pytest.param({"honours": [{"x": 1}]}, id="honour-not-text"),
    pytest.param({"honours": ["诺贝尔奖"]}, id="unknown-honour"),
    pytest.param({"lacks": [3]}, id="lacks-wrong-type"),
    pytest.param({"direction": "sideways"}, id="direction"),
    pytest.param({"years_basis": "lunar"}, id="years-basis"),
    pytest.param({"asked": "password"}, id="asked"),
    pytest.param({"contest_place": 0}, id="contest-place-zero"),
    pytest.param({"contest_place": "1"}, id="contest-place-text"),
    pytest.param({"contest_team": 7}, id="contest-team"),
    pytest.param({"uncovered_region": "x" * 10_000}, id="uncovered-region-huge"),
    pytest.param({"uncovered_region": "火星"}, id="uncovered-region-unknown"),
    pytest.param({"skill_level": "宇宙级技师"}, id="unknown-level"),
    pytest.param({"region": "上海", "is_admin": True}, id="unknown-key"),
    pytest.param(["上海"], id="not-an-object"),
    pytest.param({"years_min": 10, "years_max": 1}, id="contradiction-years"),
    pytest.param({"skill_level": "技师", "lacks": ["技师"]}, id="contradiction-held-and-lacked"),
    pytest.param({"title_level": "中级", "lacks": ["职称"]}, id="contradiction-title-and-no-title"),
])
def test_bad_facts_are_input_errors_in_chinese(assistant, facts):
    ans = assistant.ask(Q, as_of=DAY, facts=facts)
    assert _input_error(ans), ans


def test_duplicated_regions_are_merged(assistant):
    once = assistant.ask("技师能评什么职称", as_of=DAY, facts={"region": "上海", "regions": ["上海", "四川"]})
    thrice = assistant.ask("技师能评什么职称", as_of=DAY,
                           facts={"region": "上海", "regions": ["上海", "上海", "四川", "四川", "上海"]})
    assert once["route"] != "error"
    assert thrice["answer"] == once["answer"] and thrice["facts"] == once["facts"]


def test_facts_of_a_real_conversation_are_accepted(assistant):
    """The schema refuses forgeries, not the assistant's own facts sent back turn by turn."""
    turns = ["我是技师，拿证4年了，能申报中级职称吗？", "上海", "近三年考核都合格"]
    facts = None
    for turn in turns:
        ans = assistant.ask(turn, as_of=DAY, facts=facts)
        assert ans["route"] != "error", ans
        facts = ans["facts"]
    assert facts["region"] == "上海" and facts["skill_level"] == "技师"


def test_every_facts_field_has_a_specific_check():
    """A field the rule module adds gets a type-based check; this names it so a specific one is added."""
    from dataclasses import fields

    import rules
    from assistant.facts_schema import CHECKS

    assert {f.name for f in fields(rules.Facts)} <= set(CHECKS), "add the new Facts field to facts_schema.CHECKS"
