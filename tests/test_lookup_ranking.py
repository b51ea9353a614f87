"""Lookup ranking: the clause that answers the asked point is cited first, not the one that repeats
the asker's own facts or shares the most words. Questions here are our own wording."""
from __future__ import annotations

import datetime as dt

import pytest

from assistant.asked import FACT_WEIGHT, read_asked
from assistant.lookup import LOOKUP_K
from assistant.normalize import normalize

DAY = dt.date(2026, 11, 21)


def lookup_citations(assistant, question: str) -> list[dict]:
    """The citations of the retrieval answer, whatever the router would do with the question."""
    nq = normalize(question)
    hits = assistant.index.search(nq.expanded, LOOKUP_K, "hybrid", nq.provinces, nq.text, nq.docs)
    _, citations = assistant.lookup.answer(question, nq, hits, DAY)
    return citations


def squash(text: str) -> str:
    return "".join(text.split())


# --- reading the asked point (no index) -----------------------------------------------------------

def test_a_procedural_point_discounts_the_credential_held_not_the_one_wanted():
    asked = read_asked(normalize("本人高级技师做了六年，准备报副高，申报截至哪天算年限？").text)
    assert "cutoff" in asked.names
    weights = asked.query_weights(["高级技师", "副高", "年限"])
    assert weights["高级技师"] == FACT_WEIGHT      # held: a fact about the asker
    assert weights["副高"] == 1.0                  # wanted: which office, which rule
    assert weights["截止"] > 0                     # the document's word for the point joins the query


def test_an_impersonal_question_keeps_its_level_words():
    asked = read_asked(normalize("特级技师的评聘要走哪些程序").text)
    assert asked.names and not asked.fact_tokens


def test_no_point_no_change():
    asked = read_asked(normalize("上海高级技师评副高行不行").text)
    assert not asked.names and asked.query_weights(["副高"]) == {"副高": 1.0}


# --- first citation (real index) -------------------------------------------------------------------

@pytest.mark.parametrize("question, passage", [
    # first person with a level and years, asking up to which day the years count
    ("我在大冶，高级工干了两年多，下个月报助理级，工作年限计到哪天为止？", "均以受理材料截止时间为准"),
    # first person, asking where to apply and what to take along
    ("我在苏州，拿了助理工程师，打算考高级工，要拿着什么证、去哪里申请", "应由本人持相关职称证书"),
    # first person, asking about a test before applying
    ("我在阳新，高级工三年了，想报助理工程师，报名前得先考个啥？", "水平能力测试合格的高技能人才方可提交申报资料"),
    # first person, asking when applications open
    ("我苏州的，高级技师六年，评副高一般每年什么时候报", "具体以年度职称评审工作通知为准"),
])
def test_the_asked_point_outranks_the_persons_facts(assistant, question, passage):
    citations = lookup_citations(assistant, question)
    assert citations and passage in squash(citations[0]["quote"]), [c["quote"][:40] for c in citations]


@pytest.mark.parametrize("question, passage", [
    ("苏州的专技人员去考技师要是没考上，怎么处理", "允许本人调整申报低一级"),
    ("大冶这边，文件上没有规定到的情形怎么处理", "本通知未尽事宜"),
    ("四川专技人员拿了技能等级过一年，能不能往上再升一级", "可按累计工作年限申报相应职业（工种）晋级评价"),
])
def test_a_point_asked_in_other_words_than_the_documents(assistant, question, passage):
    citations = lookup_citations(assistant, question)
    assert citations and passage in squash(citations[0]["quote"]), [c["quote"][:40] for c in citations]


@pytest.mark.parametrize("question, passage", [
    # the clause the first line quotes was ranked second by retrieval
    ("四川那个技能等级意见，对高技能人才的工资增幅有啥规定", "高技能人才人均工资增幅不低于"),
    ("四川高技能人才申报职称有哪些基本条件", "从事技术技能工作，认真履行岗位职责"),
])
def test_the_clause_the_first_line_quotes_is_cited_first(assistant, question, passage):
    nq = normalize(question)
    hits = assistant.index.search(nq.expanded, LOOKUP_K, "hybrid", nq.provinces, nq.text, nq.docs)
    answer, citations = assistant.lookup.answer(question, nq, hits, DAY)
    assert passage in squash(citations[0]["quote"])
    assert answer.split("\n")[0].endswith("【1】。")


def test_the_contact_unit_in_a_header_is_quoted_by_its_line(assistant):
    citations = lookup_citations(assistant, "江苏的贯通改革方案由哪个处负责联系")
    assert squash(citations[0]["quote"]) == "(联系单位：专业技术人员管理处)"


def test_issuer_and_number_asked_together_cite_the_header_line_that_prints_both(assistant):
    citations = lookup_citations(assistant, "上海那份贯通实施办法是哪个单位印发的，文号是什么")
    assert "沪人社专〔2021〕312号" in squash(citations[0]["quote"])
    assert "上海市人力资源和社会保障局" in squash(citations[0]["quote"])


def test_what_the_question_sets_aside_does_not_rank(assistant):
    asked = read_asked(normalize("考技师除了考实际操作，还有别的环节吗").text)
    assert asked.aside and "实际" in asked.fact_tokens
    # the other step is cited first, not the clause about the practical test it already knows of
    citations = lookup_citations(assistant, "黄石专技人员考技师除了考实际操作，还有别的环节吗")
    assert "需要进行综合评审" in squash(citations[0]["quote"])


def test_a_sentence_about_another_level_than_the_asked_one_ranks_lower(assistant):
    # the clause for 技师 also names 助理级职称 and a number of years; the one for 高级工 has no number
    citations = lookup_citations(assistant, "黄石持有助理级职称的，申报高级工累计要工作几年")
    assert "取得助理级职称后，累计工作年限达到高级工（三级）申报条件" in squash(citations[0]["quote"])


@pytest.mark.parametrize("question", [
    "四川特级技师的评聘要经过什么流程",
    "四川那边特级技师靠什么流程评出来",
])
def test_paragraphs_of_one_section_are_led_by_the_one_that_answers(assistant, question):
    # three paragraphs of one section; the steps are quoted in document order, but among paragraphs
    # sharing a label the one about 特级技师 (not 首席技师) comes first
    citations = lookup_citations(assistant, question)
    assert "制定方案、组织评审、公示核准、任职聘用" in squash(citations[0]["quote"])


def test_another_level_means_another_rung_of_the_same_ladder():
    from assistant.sentences import SentenceScorer

    def flat(_token: str) -> float:
        return 1.0
    # a skill → title condition opens with the skill held: not another rule for a title question
    assert not SentenceScorer("能报助理级职称吗", flat)._about_other_level("取得高级工职业资格后满2年，可申报助理级职称。")
    assert SentenceScorer("特级技师怎么评聘", flat)._about_other_level("首席技师评聘工作要在特级技师评聘的基础上开展。")
    plain = SentenceScorer("评聘工作怎么开展", flat)      # no level named: nothing is another level
    assert not plain._about_other_level("首席技师评聘工作要在特级技师评聘的基础上开展。")


def test_asking_whether_a_document_says_something_is_not_asking_what_it_leaves_out():
    assert "not_covered" not in read_asked("专技人员考高级工要干几年，文件写没写具体年数").names
    assert "not_covered" in read_asked("文件里没规定的情况该怎么处理").names


def test_what_is_set_aside_may_be_followed_by_more_words_before_the_question():
    asked = read_asked(normalize("评副高除了资历，成果上还要什么条件").text)
    assert asked.aside and "资历" in asked.fact_tokens and "成果" not in asked.fact_tokens


@pytest.mark.parametrize("question, passage", [
    ("四川的技能人才想评正高，工作年限有啥规定", "取得副高级职称后，从事技术技能工作满5年"),
    ("四川技能人才评副高职称要干满几年", "取得高级技师职业资格或职业技能等级后，从事技术技能工作满4年"),
])
def test_a_question_about_years_is_answered_by_the_item_with_the_years_for_the_asked_level(assistant, question, passage):
    # the level's conditions are several items (knowledge, ability, contribution, years); the item
    # with the years answers, and for 副高 not the 正高 item that mentions 副高 as the title held
    citations = lookup_citations(assistant, question)
    assert passage in squash(citations[0]["quote"])


def test_a_heading_that_names_another_level_is_recognised():
    from assistant.sentences import SentenceScorer

    scorer = SentenceScorer("评副高级职称要几年", lambda t: 1.0)
    assert scorer.under_other_level(["附件1 基本条件", "五、", "（四）正高级职称", "5."])
    assert not scorer.under_other_level(["附件1 基本条件", "五、", "（三）副高级职称", "4."])
    assert not scorer.under_other_level(["附件2 …", "五、", "（三）高级技师", "6."])  # another ladder
    assert not SentenceScorer("怎么申报", lambda t: 1.0).under_other_level(["（四）正高级职称"])


def test_a_pasted_sentence_is_found_where_it_stands_verbatim(assistant):
    # 江苏 has a clause with nearly the same words; only 黄石's holds the pasted ones verbatim
    answer = assistant.ask("“取得中级职称，或取得助理级职称1年以上”这句出自哪份文件", as_of="2026-11-30")
    assert answer["route"] == "retrieval"
    assert answer["citations"][0]["doc"] == "黄人社发〔2021〕12号"
    assert "取得中级职称，或取得助理级职称1年以上" in squash(answer["citations"][0]["quote"])


@pytest.mark.parametrize("question, label, items", [
    ("四川那个贯通方案一共有哪几条基本原则", "二、（一）至（四）", 4),
    ("上海贯通办法里的基本原则都有哪些", "一、（二）1.至4.", 4),
])
def test_a_list_asked_for_is_one_citation_over_its_items(assistant, question, label, items):
    answer = assistant.ask(question, as_of="2026-11-30")
    first = answer["citations"][0]
    assert first["section"] == label
    assert f"共{items}条" in answer["answer"].split("\n")[0]
    from ingest.corpus import is_verbatim
    assert is_verbatim(first["quote"], first["doc"])


def test_the_issue_date_is_quoted_with_the_office_printed_above_it(assistant):
    answer = assistant.ask("黄石那份贯通通知哪一天印发的", as_of="2026-11-30")
    assert "黄石市人力资源和社会保障局办公室" in answer["citations"][0]["quote"]


def test_which_office_to_ask_is_the_contact_line(assistant):
    answer = assistant.ask("江苏这个方案有疑问该找省里哪个处室", as_of="2026-11-30")
    assert answer["route"] == "retrieval" and "专业技术人员管理处" in answer["citations"][0]["quote"]
