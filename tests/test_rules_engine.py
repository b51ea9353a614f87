"""Engine internals: 满N年 arithmetic, validity warnings, the decision contract, determinism,
data validation, and the module's isolation (no upward imports, no eval questions reused)."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from rules import Facts, evaluate, lexicon
from rules.model import Rule
from rules.rulebook import RuleDataError, _validate, load
from rules.years import add_years, check_years, format_years, obtained_range

ROOT = Path(__file__).resolve().parent.parent


def test_add_years_clips_leap_day() -> None:
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert add_years(date(2022, 6, 30), 3) == date(2025, 6, 30)
    assert add_years(date(2022, 8, 31), 0.5) == date(2023, 2, 28)


def test_obtained_ranges() -> None:
    assert obtained_range("2022") == (date(2022, 1, 1), date(2022, 12, 31))
    assert obtained_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert obtained_range("2022-06-15") == (date(2022, 6, 15), date(2022, 6, 15))


@pytest.mark.parametrize(
    "obtained,as_of,met",
    [
        ("2022-06-15", date(2025, 6, 14), False),
        ("2022-06-15", date(2025, 6, 15), True),
        ("2022-06", date(2025, 5, 31), False),
        ("2022-06", date(2025, 6, 10), None),
        ("2022-06", date(2025, 6, 30), True),
        ("2022", date(2025, 6, 1), None),
        ("2022", date(2025, 12, 31), True),
        ("2022", date(2024, 12, 31), False),
    ],
)
def test_partial_year_rule(obtained: str, as_of: date, met: bool | None) -> None:
    assert check_years(Facts(obtained=obtained), 3, as_of, "since_credential").met is met


def test_year_bounds() -> None:
    more = Facts(years_min=2, years_max=2.99)
    assert check_years(more, 2, date.today(), "since_credential").met is True
    assert check_years(more, 3, date.today(), "since_credential").met is False
    at_least = Facts(years_min=5)
    assert check_years(at_least, 6, date.today(), "since_credential").met is None
    assert check_years(Facts(), 1, date.today(), "since_credential").met is None


def test_cumulative_years_shortfall_is_unknown_when_counted_from_the_title() -> None:
    since = Facts(years_min=3, years_max=3, years_basis="since_credential")
    assert check_years(since, 4, date.today(), "cumulative_work").met is None
    assert check_years(Facts(years_min=3, years_max=3), 4, date.today(), "cumulative_work").met is False


def test_format_years() -> None:
    assert format_years(3) == "3年" and format_years(3.5) == "3年半" and format_years(0.25) == "3个月"


def _outcome(as_of: date, **kw):
    return evaluate(Facts(**kw), as_of)


def test_expired_document_warns_but_still_answers() -> None:
    facts = {"region": "四川", "skill_level": "高级技师", "target": "特级技师"}
    before = _outcome(date(2026, 1, 31), **facts)
    after = _outcome(date(2026, 2, 1), **facts)
    assert before.warnings == [] and before.decision["eligible"] is True
    assert after.decision["eligible"] is True
    assert any("川人社规〔2023〕15号" in w and "已过有效期" in w for w in after.warnings)


def test_rules_of_undated_documents_never_warn() -> None:
    out = _outcome(date(2040, 1, 1), region="上海", skill_level="技师", target="中级", years_min=5, years_max=5)
    assert out.warnings == []


def test_decision_contract_shape() -> None:
    out = _outcome(date(2025, 11, 21), region="上海", skill_level="技师", target="中级", years_min=4, years_max=4)
    d = out.decision
    for key in ("eligible", "direction", "region", "target", "conditions", "missing", "follow_up"):
        assert key in d
    assert d == json.loads(json.dumps(d, ensure_ascii=False))
    assert d["region"] == "上海" and d["direction"] == "skill_to_title" and d["target"] == "中级职称"
    for cond in d["conditions"]:
        assert {"text", "met", "citation"} <= set(cond)  # the contract's fields; more may be added
        assert out.citations[cond["citation"]]["doc"] == "沪人社专〔2021〕312号"
    for citation in out.citations:
        assert set(citation) == {"doc", "title", "section", "quote"}
    assert "【1】" in out.answer
    assert out.to_dict()["facts"]["region"] == "上海"


def test_clarify_asks_one_short_question() -> None:
    out = _outcome(date(2025, 11, 21), skill_level="技师", target="中级")
    assert out.route == "clarify"
    assert out.decision["missing"] == ["region"]
    assert out.decision["follow_up"].endswith("？") and len(out.decision["follow_up"]) < 40
    assert out.facts.asked == "region"


def test_same_input_same_output() -> None:
    kw = {"region": "江苏", "honours": ["江苏工匠"], "title_level": "中级", "target": "副高级"}
    a = _outcome(date(2025, 11, 21), **kw).to_dict()
    b = _outcome(date(2025, 11, 21), **kw).to_dict()
    assert a == b


def test_green_channel_overrides_and_is_named() -> None:
    out = _outcome(date(2025, 11, 21), region="四川", skill_level="高级工", honours=["四川省技术能手"], target="中级")
    assert out.decision["eligible"] is True
    assert out.decision["rule_id"] == "sc.s2t.green.intermediate"
    assert out.decision["rule_kind"] == "green_channel"
    assert "绿色通道" in out.answer


def test_open_question_reports_next_level_date() -> None:
    out = _outcome(date(2025, 11, 21), region="四川", skill_level="高级技师", obtained="2020-03")
    assert out.decision["eligible"] is True
    assert out.decision["eligible_now"] == ["副高级职称"]
    assert out.decision["next"]["rule_id"] == "sc.s2t.senior.from_senior_technician"
    assert out.decision["next"]["opens_on"] == "2030-03-31"


def test_validation_rejects_unknown_clause() -> None:
    book = load()
    bad = Rule(id="x.bad", region="上海", direction="skill_to_title", kind="base", name="x", cite="nope", target="中级")
    broken = type(book)(book.documents, book.clauses, (*book.rules, bad), book.standard, book.facts)
    with pytest.raises(RuleDataError):
        _validate(broken)


def test_lexicon_api() -> None:
    assert set(lexicon.regions()) == {"四川", "上海", "黄石", "江苏"}
    assert lexicon.city_to_province()["大冶"] == "黄石"
    assert lexicon.city_to_province()["苏州"] == "江苏"
    assert lexicon.level_aliases()["三级工"] == ("skill", "高级工")
    assert lexicon.level_aliases()["高级工程师"] == ("title", "副高级")
    assert "中华技能大奖" in lexicon.honours()
    assert "世界技能大赛铜牌以上" in lexicon.expand_honours(["世界技能大赛金牌"])


def test_rules_package_imports_nothing_upstream() -> None:
    forbidden = {"gradio", "chromadb", "assistant", "ingest", "evals", "app", "langchain_core", "openai"}
    for path in (ROOT / "rules").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"


def test_cases_do_not_reuse_eval_questions() -> None:
    eval_texts: set[str] = set()
    for path in (ROOT / "evals").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    eval_texts.add(str(json.loads(line).get("question", "")).strip())
                except json.JSONDecodeError:
                    continue
    for path in (ROOT / "rules" / "cases").glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for text in [case.get("question"), *(case.get("turns") or [])]:
                if text:
                    assert str(text).strip() not in eval_texts, f"{case['name']} copies an eval question"


def test_evaluate_does_not_mutate_the_callers_facts() -> None:
    facts = Facts(skill_level="技师", target="中级")
    out = evaluate(facts, date(2025, 11, 21))
    assert facts.asked is None and out.facts.asked == "region"


@pytest.mark.parametrize("topic,needle", [("exams", "翻译专业资格考试"), ("theory", "免于理论知识考试")])
def test_exam_and_theory_tables(topic: str, needle: str) -> None:
    from rules.engine import Citations
    from rules.facts_tables import answer_fact_question

    book = load()
    cites = Citations(book)
    text = answer_fact_question(book, topic, "", Facts(region="四川"), cites)
    assert needle in text and cites.as_list()
