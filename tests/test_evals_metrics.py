"""evals.metrics against hand-computed cases (no index, no model: fast)."""
from __future__ import annotations

import math

import pytest

from evals import metrics as M
from evals.gate import check

SH = "沪人社专〔2021〕312号"
SC = "川人社办发〔2021〕61号"


def cit(doc, quote):
    return {"doc": doc, "title": "", "section": "", "quote": quote}


# --- citations -----------------------------------------------------------------------------------

def test_citation_hit_needs_gold_doc_and_passage_whitespace_insensitive():
    passage = "后从事技术工作满3年，可申报参评"
    good = cit(SH, "获得相关职业（工种）技师（二级）职业资格或职业技能等级后从事技术工作满 3 年，可申报参评相关系列")
    assert M.citation_hits(good, [SH], [passage])
    assert not M.citation_hits(cit(SC, good["quote"]), [SH], [passage])      # right text, wrong document
    assert not M.citation_hits(cit(SH, "满3年"), [SH], [passage])             # right doc, passage not contained


def test_first_hit_rank_and_any_of_several_passages():
    cs = [cit(SC, "无关"), cit(SH, "甲乙丙"), cit(SC, "子丑寅卯")]
    assert M.first_hit_rank(cs, [SH, SC], ["子丑寅"]) == 3
    assert M.first_hit_rank(cs, [SH, SC], ["乙 丙", "子丑寅"]) == 2
    assert M.first_hit_rank(cs, [SH], ["子丑寅"]) is None
    assert M.first_hit_rank([], [SH], ["甲"]) is None


def test_hit_at_k_and_mrr_hand_computed():
    ranks = [1, 3, None, 6]
    assert M.hit_at(ranks, 1) == 0.25
    assert M.hit_at(ranks, 3) == 0.5
    assert M.hit_at(ranks, 5) == 0.5
    # (1 + 1/3 + 0 + 1/6) / 4 = 1.5 / 4
    assert M.mrr(ranks) == pytest.approx(0.375)
    assert math.isnan(M.mrr([]))


def test_quote_validity_share():
    corpus = {SH: "甲乙丙丁"}
    ok = lambda q, d: M.squash(q) in corpus.get(d, "")
    assert M.quote_validity([(SH, "乙 丙"), (SH, "丁戊"), (SC, "甲")], ok) == pytest.approx(1 / 3)
    assert M.quote_validity([], ok) == 1.0


# --- decisions -----------------------------------------------------------------------------------

def test_normalize_target_aliases():
    n = M.normalize_target
    assert n("助理级职称") == n("初级职称") == n("助理工程师") == "初级"
    assert n("高级职称") == n("副高级职称") == n("高级工程师") == "副高级"
    assert n("正高级职称") == n("正高级工程师") == "正高级"
    assert n("中级职称") == n("工程师") == "中级"
    assert n("高级工（三级）") == "高级工" and n("技师（二级）") == "技师" and n("高级技师") == "高级技师"
    assert n("特级技师") == "特级技师" and n(None) is None


def test_normalize_region():
    assert M.normalize_region("湖北·黄石") == "黄石"
    assert M.normalize_region("江苏") == M.normalize_region("江苏·南通") == "江苏"
    assert M.normalize_region(None) is None


def test_decision_ok_checks_eligible_then_named_target_and_region():
    gold = {"eligible": True, "target": "中级职称", "region": "上海"}
    assert M.decision_ok(gold, {"eligible": True, "target": "中级职称", "region": "上海", "conditions": []})
    assert not M.decision_ok(gold, {"eligible": False, "target": "中级职称", "region": "上海"})
    assert not M.decision_ok(gold, {"eligible": True, "target": "副高级职称", "region": "上海"})
    assert not M.decision_ok(gold, {"eligible": True, "target": "中级职称", "region": "四川"})
    assert not M.decision_ok(gold, None)
    # gold without target/region only checks eligible
    assert M.decision_ok({"eligible": None, "target": None, "region": None},
                         {"eligible": None, "target": "技师", "region": "江苏"})
    # null is its own class: null ≠ false
    assert not M.decision_ok({"eligible": None, "target": None, "region": None}, {"eligible": False})


def test_confusion_matrix_counts():
    pairs = [({"eligible": True}, {"eligible": True}), ({"eligible": True}, {"eligible": None}),
             ({"eligible": False}, None), ({"eligible": None}, {"eligible": None}),
             ({"eligible": False}, {"eligible": False})]
    m = M.confusion(pairs)
    assert m["可以"] == {"可以": 1, "不可以": 0, "信息不足": 1, "无判定": 0}
    assert m["不可以"] == {"可以": 0, "不可以": 1, "信息不足": 0, "无判定": 1}
    assert m["信息不足"]["信息不足"] == 1


# --- key facts, abstention, latency --------------------------------------------------------------

def test_key_facts_whitespace_and_width_insensitive():
    answer = "可以申报。取得技师后从事技术工作满 3 年，可申报参评中级职称【1】（沪人社专〔2021〕312号）"
    assert M.facts_found(answer, ["满3年", "中级职称", "由单位聘任"]) == 2
    assert M.facts_found("满３年", ["满3年"]) == 1          # full-width digit
    assert M.facts_found(None, ["满3年"]) == 0


def test_prf_hand_computed():
    gold = [True, True, True, False, False]
    pred = [True, True, False, True, False]
    r = M.prf(gold, pred)
    assert (r.tp, r.fp, r.fn) == (2, 1, 1)
    assert r.precision == pytest.approx(2 / 3) and r.recall == pytest.approx(2 / 3)
    assert r.f1 == pytest.approx(2 / 3)
    assert M.prf([False], [False]).f1 == 1.0


def test_percentile_linear_interpolation():
    assert M.percentile([4, 1, 3, 2], 50) == 2.5
    assert M.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert M.percentile([7], 99) == 7
    assert math.isnan(M.percentile([], 50))


def test_route_ok_with_alternatives():
    assert M.route_ok("out_of_scope", "error", ["error"])
    assert not M.route_ok("out_of_scope", "error")
    assert not M.route_ok("rules", None)


# --- one item and a summary ----------------------------------------------------------------------

ITEM = {"id": "t1", "question": "…", "category": "elig", "route": "rules",
        "decision": {"eligible": True, "target": "中级职称", "region": "上海"},
        "gold_docs": [SH], "key_passage": "后从事技术工作满3年，可申报参评", "key_facts": ["满3年", "中级职称"],
        "expect_warning": False}
ANSWER = {"route": "rules", "answer": "可以申报。从事技术工作满3年【1】",
          "decision": {"eligible": True, "target": "中级职称", "region": "上海"},
          "citations": [cit(SH, "无关条款"), cit(SH, "等级后从事技术工作满 3 年，可申报参评相关系列")],
          "warnings": []}
OOS = {"id": "t2", "question": "你好", "category": "chitchat", "route": "out_of_scope", "decision": None,
       "gold_docs": [], "key_passage": None, "key_facts": []}


def test_score_item_and_summarize_hand_computed():
    s1 = M.score_item(ITEM, ANSWER, [10.0])
    assert s1.route_ok and s1.decision_ok and s1.rank == 2 and (s1.facts_found, s1.facts_total) == (1, 2)
    assert s1.warning_ok is True
    s2 = M.score_item(OOS, {"route": "retrieval", "answer": "", "citations": [cit(SH, "捏造")]}, [30.0])
    assert not s2.route_ok and s2.gold_abstain and not s2.pred_abstain
    ok = lambda q, d: "捏造" not in q
    m = M.summarize([s1, s2], ok)
    assert m["route_accuracy"] == 0.5
    assert m["decision_accuracy"] == 1.0 and m["decision_items"] == 1
    assert m["hit@1"] == 0.0 and m["hit@3"] == 1.0 and m["mrr"] == 0.5
    assert m["quote_validity"] == pytest.approx(2 / 3)
    assert m["key_fact_recall"] == 0.5
    assert m["abstention_recall"] == 0.0 and m["abstention_precision"] == 1.0
    assert m["latency_p50_ms"] == 20.0


def test_gate_floors_and_margin():
    base = {"margin": 0.02, "metrics": {"route_accuracy": 0.90, "hit@5": 0.80, "mrr": 0.7,
                                        "key_fact_recall": 0.8, "abstention_f1": 0.9}}
    good = {"quote_validity": 1.0, "decision_accuracy": 1.0, "crashes": 0, "confident_wrong": 0, "route_accuracy": 0.885,
            "hit@5": 0.81, "mrr": 0.7, "key_fact_recall": 0.8, "abstention_f1": 0.9}
    assert check(good, base).passed                                   # 0.885 is within 0.02 of 0.90
    assert not check(good | {"route_accuracy": 0.87}, base).passed      # 0.03 below
    assert not check(good | {"quote_validity": 0.99}, base).passed
    assert not check(good | {"decision_accuracy": math.nan}, base).passed
    assert check(good, None).passed                                   # no baseline: floors only
    assert not check(good | {"confident_wrong": 1}, base).passed        # a wrong yes/no is never tolerated
    lower = base | {"metrics": base["metrics"] | {"noise": 0.30, "direct_answer": 0.5}}
    assert check(good | {"noise": 0.31, "direct_answer": 0.49}, lower).passed
    assert not check(good | {"noise": 0.33, "direct_answer": 0.5}, lower).passed   # noise rose 0.03
    assert not check(good | {"noise": 0.30, "direct_answer": 0.47}, lower).passed


# --- direct answer, noise, confident wrong --------------------------------------------------------

def test_first_sentence_skips_markup_and_keeps_its_markers():
    assert M.first_sentence("**结论：可以申报。** 您在上海") == "结论：可以申报。"
    assert M.first_sentence("\n\n该文件自2024年2月1日起施行【1】。其余") == "该文件自2024年2月1日起施行【1】。"
    assert M.first_sentence("有效期2年。【2】【3】\n下一行") == "有效期2年。【2】【3】"
    assert M.first_sentence("- 【1】一行没有句号\n第二行") == "【1】一行没有句号"
    assert M.first_sentence("") == ""


def test_section_key_ignores_label_style():
    assert M.section_key("附件1 五、（二）4.") == M.section_key("附件1五、(二)4") == "附件1五、(二)"
    assert M.section_key("二、(四)1. (1)") == M.section_key("二、（四）1.（1）") == "二、(四)"
    assert M.section_key("四、第二阶段") == "四、"
    assert M.section_key("文首（第2段）") == "文首"
    assert M.section_keys("附件1 一、至三、") == {"附件1一、", "附件1二、", "附件1三、"}
    assert M.section_keys("六、（一）至（三）") == {"六、(一)", "六、(二)", "六、(三)"}
    assert M.section_keys("附件1 六、（一）1.至3.") == {"附件1六、(一)"}


def test_noise_counts_off_document_and_off_section_but_not_decision_evidence():
    gold = {(SH, M.section_key("二、（二）3."))}
    answer = {"citations": [{"doc": SH, "section": "二、（二）3.（第2段）"}, {"doc": SH, "section": "一、（二）1."},
                            {"doc": "川人社办发〔2021〕61号", "section": "一、"}, {"doc": "川人社办发〔2021〕61号", "section": "二、"}],
              "decision": {"conditions": [{"citation": 3}]}}
    assert M.noisy_citations(answer, [SH], gold) == (2, 3)       # other section + other document; [3] is evidence
    assert M.noisy_citations(answer, [SH], set()) == (1, 3)      # gold clause unknown: documents only


def test_direct_answer_noise_and_confident_wrong_in_summary():
    s1 = M.score_item(ITEM, ANSWER, [10.0], gold_sections={(SH, "二、(二)")})
    assert s1.first_facts_found == 0                             # "可以申报。" holds neither key fact
    wrong = M.score_item(ITEM | {"decision": {"eligible": None}}, ANSWER)
    abstained = M.score_item(ITEM | {"decision": {"eligible": False}}, ANSWER | {"decision": {"eligible": None}})
    m = M.summarize([s1, wrong, abstained], lambda q, d: True)
    assert m["confident_wrong"] == 1                             # gold null, predicted true; null is not confident
    assert m["direct_answer"] == 0.0 and m["key_fact_recall"] == 0.5


def test_answer_body_stops_before_the_quote_list():
    text = "该文件已于2026年1月31日到期【1】。\n\n**原文摘录**\n- 【1】五、：“有效期2年。”"
    assert M.answer_body(text) == "该文件已于2026年1月31日到期【1】。"
