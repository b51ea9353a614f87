"""Lookup answers: a direct first line from the corpus or the catalogue, sentence quotes, pasteable citations."""
from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

from assistant.cite import ELLIPSIS, official_reference, with_references
from assistant.sentences import (
    SentenceScorer,
    clause_direction,
    question_cues,
    question_direction,
    split_sentences,
)
from ingest.corpus import is_verbatim

DAY = "2026-11-21"


def first_line(answer: dict) -> str:
    return answer["answer"].split("\n")[0]


def quoted_part(line: str) -> str:
    """The corpus sentence of a '据文号，sentence【n】。' first line, without its "……"."""
    m = re.match(r"^据(.+?)，(.+?)【\d+】。$", line)
    assert m, line
    return m.group(1), m.group(2).replace(ELLIPSIS, "")


# --- sentences (no index) ----------------------------------------------------------------------------

def test_sentences_are_verbatim_slices_and_headings_open_the_next_one():
    text = "一、指导思想\n坚持以人为本，服务发展。\n（二）明确范围对象。在本省就业的技能人才；可参加评审。"
    ss = split_sentences(text)
    assert [text[s.start:s.end] for s in ss] == [s.text for s in ss]
    assert ss[0].text.startswith("一、指导思想") and ss[0].body_text == "坚持以人为本，服务发展。"
    assert ss[1].body_text == "在本省就业的技能人才；"       # the run-in title opens it, does not stand alone
    assert ss[2].text == "可参加评审。"


def test_cues_and_direction_of_a_question():
    assert set(question_cues("公示要几天？找哪个部门")) >= {"number", "who"}
    assert "contact" in question_cues("有没有咨询电话")
    assert question_direction("我是技师，想评职称") == "s2t"
    assert question_direction("工程师能去考技能等级吗") == "t2s"
    assert question_direction("搞自由职业的技能人员，可以参加职称评审不") == "s2t"  # 技能人员, not only 技能人才
    assert question_direction("贯通的指导思想") is None
    assert clause_direction(["二、支持高技能人才参加职称评审", "（一）明确范围对象"]) == "s2t"
    assert clause_direction(["三、鼓励专业技术人员参加职业技能评价"]) == "t2s"


def test_a_rare_question_word_outweighs_a_common_one():
    idf = {"公示": 4.0, "人才": 0.1, "天数": 3.0}.get
    scorer = SentenceScorer("人才公示", lambda t: idf(t) or 0.0)
    assert scorer.score("推荐结果须在单位公示不少于5个工作日。") > scorer.score("支持高技能人才参加评审。")


# --- whole answers ---------------------------------------------------------------------------------------

def test_first_line_is_a_sentence_of_the_cited_document(assistant):
    ans = assistant.ask("黄石那边单位推荐的人选公示多长时间？", as_of=DAY)
    assert ans["route"] == "retrieval"
    doc, sentence = quoted_part(first_line(ans))
    assert is_verbatim(sentence, doc) and "5个工作日" in sentence
    assert ans["citations"][0]["doc"] == doc


def test_a_sentence_quote_is_marked_as_cut(assistant):
    ans = assistant.ask("黄石那边单位推荐的人选公示多长时间？", as_of=DAY)
    c = ans["citations"][0]
    assert c["cut_after"] and c["reference"].startswith("《") and c["reference"].endswith(f"{ELLIPSIS}”")
    assert f"{ELLIPSIS}”" in ans["answer"].split("【1】", 2)[2]


def test_validity_from_the_catalogue_and_the_clause(assistant):
    late = assistant.ask("川人社规〔2023〕15号目前是否仍然有效", as_of=DAY)
    early = assistant.ask("川人社规〔2023〕15号目前是否仍然有效", as_of="2025-06-01")
    assert "2026年1月31日" in first_line(late) and "已过有效期" in first_line(late)
    assert "仍在有效期内" in first_line(early)
    assert "有效期2年" in first_line(late) and "【1】" in first_line(late)
    assert late["citations"][0]["quote"].startswith("本《意见》自2024年2月1日起施行")
    open_ended = assistant.ask("黄石的贯通通知现在还有效吗", as_of=DAY)
    assert "没有规定有效期" in first_line(open_ended) and "2021年6月2日" in first_line(open_ended)


def test_issue_date_and_issuer_of_a_document(assistant):
    issued = assistant.ask("黄石那份贯通通知的印发日期", as_of=DAY)
    assert "2021年6月2日" in first_line(issued)
    issuer = assistant.ask("川人社办发〔2021〕61号是哪个部门发的", as_of=DAY)
    assert "四川省人力资源和社会保障厅" in first_line(issuer)
    for ans in (issued, issuer):
        assert all(is_verbatim(c["quote"], c["doc"]) for c in ans["citations"])


def test_says_so_when_the_documents_do_not_contain_the_point(assistant):
    fee = assistant.ask("在上海申报职称要缴纳多少费用", as_of=DAY)
    assert fee["route"] == "retrieval" and first_line(fee).startswith("收录的上海文件没有写明收费或费用")
    phone = assistant.ask("上海贯通政策的咨询热线是多少", as_of=DAY)
    assert "没有写明联系电话" in first_line(phone)
    has_phone = assistant.ask("黄石贯通政策的咨询热线是多少", as_of=DAY)
    assert "6513138" in first_line(has_phone)


def test_no_header_or_signature_unless_the_document_is_asked_about(assistant):
    ans = assistant.ask("四川技能等级制度的意见对技能人才津贴有什么规定", as_of=DAY)
    assert ans["route"] == "retrieval"
    assert all(c["section"] not in ("文首", "落款") for c in ans["citations"])


def test_paragraph_position_is_a_field_not_part_of_the_label(assistant):
    ans = assistant.ask("川人社规〔2023〕15号的施行日期", as_of=DAY)
    c = ans["citations"][0]
    assert c["paragraph"] == 2 and "段" not in c["section"]
    assert f"{c['section']} · 第2段" in ans["answer"]


# --- every retrieval answer of the eval sets: references to paste ------------------------------------

@pytest.mark.slow
def test_every_reference_of_every_lookup_answer_is_verbatim(assistant):
    checked = 0
    for name in ("questions", "heldout", "blind"):
        for line in (REPO / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["route"] != "retrieval" or "question" not in item:
                continue
            ans = assistant.ask(item["question"], as_of=item.get("as_of") or DAY)
            for c in ans["citations"]:
                assert c["reference"] == official_reference(c)
                quote = c["reference"].split("：“", 1)[1].removesuffix("”")
                assert quote.startswith(ELLIPSIS) == bool(c["cut_before"])
                assert quote.endswith(ELLIPSIS) == bool(c["cut_after"])
                assert is_verbatim(quote.strip(ELLIPSIS[0]), c["doc"]), c["reference"]
                checked += 1
    assert checked > 100


def test_with_references_aligns_rule_citations_to_the_documents_labels(assistant):
    rule_style = {"doc": "黄人社发〔2021〕12号", "title": "关于进一步加强高技能人才与专业技术人才职业发展贯通的通知",
                  "section": "二、(四)1. (2)", "quote": "从事相应技术技能工作满3年"}
    [c] = with_references([rule_style], clauses=assistant._clauses_by_doc())  # the index's clauses
    assert c["section"] == "二、（四）1.（2）" and c["cut_before"] and c["cut_after"]
    assert c["reference"] == official_reference(c) and "……从事相应技术技能工作满3年……" in c["reference"]
    assert rule_style["section"] == "二、(四)1. (2)"            # the input is not changed


def test_a_document_named_by_region_and_kind_is_answered_even_when_no_clause_matches(assistant):
    ans = assistant.ask("四川贯通实施方案的文号是什么", as_of=DAY)
    assert ans["route"] == "retrieval" and "川人社办发〔2021〕61号" in first_line(ans)
    ans = assistant.ask("江苏那个贯通方案是谁发的", as_of=DAY)
    assert "苏人社发〔2021〕132号由江苏省人力资源和社会保障厅印发" in first_line(ans)


def test_validity_words_about_a_certificate_do_not_get_a_documents_validity(assistant):
    ans = assistant.ask("四川技能等级证书到期了还能用吗", as_of=DAY)
    assert "有效期至" not in first_line(ans) and "已过有效期" not in first_line(ans)


def test_who_is_responsible_is_not_who_issued_the_document(assistant):
    ans = assistant.ask("上海贯通工作由哪个部门负责政策制定", as_of=DAY)
    assert "印发" not in first_line(ans) and "政策制定" in first_line(ans)


def test_first_line_follows_the_asked_direction_and_states_the_number(assistant):
    ans = assistant.ask("黄石高技能人才申报副高要几年", as_of=DAY)
    line = first_line(ans)
    assert "满4年" in line and "取得副高级职称，或" not in line      # not the 副高 → 高级技师 path


def test_a_synonym_inside_another_word_is_not_expanded():
    from assistant.normalize import expand
    assert expand("这个文件现在还管用吗") == ["有效期", "施行"]
    assert expand("技能评价的监管用什么办法") == []          # 监管 + 用, not 管用
    assert "副高级职称" in expand("准备报副高，材料交哪")


def test_the_first_line_is_chosen_when_every_sentence_scores_below_zero():
    """A lead-in ("…如下：") scores below zero; with only such sentences the choice must still be
    made (it raised ValueError, and the question came back as an internal error)."""
    from assistant.lookup import Lookup, _Pick
    from assistant.retrieve import Hit
    from assistant.sentences import split_sentences

    def pick(rank: int, score: float) -> _Pick:
        clause = {"section_path": ["一、总体要求"], "text": "有关事项通知如下："}
        return _Pick(Hit(clause, 1.0 - rank), None, split_sentences(clause["text"])[0], score, rank=rank)

    picks = [pick(0, 0.1), pick(1, 0.2)]
    assert Lookup._first_pick(Lookup.__new__(Lookup), picks, None) in (0, 1)
