"""The reading step (rules.read) and the decide step (rules.decide): each class of misreading
named in issue 9, in our own words. Before the reading step (commit 33ae425) facts were one
slot filled by the extractor alone; replayed through that old path (extract_facts + evaluate),
10 of the 11 eligibility questions below got the wrong verdict, 6 of them a confident one
(docs/generalisation.md)."""
from __future__ import annotations

from datetime import date

import pytest

from rules import Facts, decide, read
from rules.text import absolute_dates, cn_number

DAY = date(2026, 11, 30)


def ask(text: str, prior: Facts | None = None, as_of: date = DAY):
    reading = read(text, prior, as_of)
    return reading, decide(reading, as_of, text)


def converse(*turns: str, as_of: date = DAY):
    prior = None
    out = None
    for text in turns:
        reading, out = ask(text, prior, as_of)
        prior = out.facts
    return reading, out


# --- facts bound to their own credential -------------------------------------------------------

def test_each_date_belongs_to_its_own_credential():
    # 技师 only since 2024-09: 中级 needs 技师满3年, the 2018 高级工 date must not count
    reading, out = ask("我在德阳，高级工是2018年考的，技师是2024年9月才拿到，现在够报中级吗")
    assert out.decision["eligible"] is False
    assert reading.facts.years_by_level["高级工"]["obtained"] == "2018"
    assert reading.facts.years_by_level["技师"]["obtained"] == "2024-09"
    assert reading.facts.years_of == "技师"


def test_title_date_is_not_the_skill_date():
    # 副高 of 2022-03 (4 years 8 months, 正高 needs 5) and a 高级技师 of 2019 (needs 10): no path yet
    _, out = ask("广元的，高级技师2019年拿的，副高是2022年3月评的，正高能报了吗")
    assert out.decision["eligible"] is False


def test_a_rules_number_in_hearsay_is_not_the_persons_years():
    _, out = ask("成都的，高级技师是2017年6月考的，听人说干满十年就能评正高，我能报吗")
    assert out.decision["eligible"] is False  # 2017-06 → 9 years 5 months


def test_work_years_are_kept_apart_from_years_since_the_title():
    reading, out = ask("我在绵阳，副高评了2年，这一行前后一共干了11年，想考高级技师")
    assert reading.facts.work_years["years_min"] == 11
    assert out.decision["eligible"] is True  # 四川: 副高 + 累计8年


def test_work_start_date_counts_as_cumulative_years():
    _, out = ask("我在乐山，这个专业是2019年3月开始干的，副高2024年评的，能申请高级技师吗")
    assert out.decision["eligible"] is False  # 累计 7 years 8 months < 8


# --- levels and ranks ----------------------------------------------------------------------------

@pytest.mark.parametrize("rank", ["一级运动员", "二级裁判员", "三级警长", "一级科员", "一级士官"])
def test_non_vocational_ranks_are_set_aside_and_decide_no(rank):
    reading, out = ask(f"我是{rank}，现在在成都一家厂里上班，能评中级职称吗")
    assert out.route == "rules" and out.decision["eligible"] is False
    assert reading.facts.skill_level is None
    assert any(e["role"] == "set_aside" and e["words"] == rank for e in out.facts.evidence)


def test_a_bare_numbered_level_next_to_sports_words_is_confirmed():
    _, out = ask("我是一级，以前在体校练游泳，现在在上海当教练五年了，能报副高吗")
    assert out.route == "clarify" and out.decision["eligible"] is None


def test_levels_inside_an_honour_name_are_not_held_levels():
    reading, _ = ask("黄石的，我是湖北省首席技师，能评什么职称")
    assert reading.facts.skill_level is None
    assert not reading.doubts


# --- follow-up turns ---------------------------------------------------------------------------

def test_target_switch_keeps_the_held_credentials():
    _, out = converse("上海，高级技师5年，能评副高吗", "那正高呢？")
    assert out.facts.target == "正高级"
    assert out.facts.skill_level == "高级技师" and out.facts.title_level is None


def test_skill_target_switch_does_not_invent_a_held_skill():
    _, out = converse("江苏，助理工程师两年，能考高级工吗", "那技师呢")
    assert out.facts.target == "技师"
    assert out.facts.skill_level is None and out.facts.title_level == "助理级"


def test_hypothetical_is_answered_but_not_carried():
    reading, out = converse("南京，高级工一年，能报助理工程师吗", "要是我满两年了呢")
    assert reading.hypothetical and out.decision["eligible"] is True
    assert out.facts.years_min == 1  # the real facts go on
    _, now = converse("南京，高级工一年，能报助理工程师吗", "要是我满两年了呢", "那我现在到底能不能报")
    assert now.route == "rules" and now.decision["eligible"] is False


def test_a_colleagues_facts_do_not_overwrite_mine():
    _, out = converse("我在苏州，技师是2021年5月拿的", "我同事是高级技师，2024年拿的，他能报副高吗",
                      "那我能报中级吗")
    assert out.decision["eligible"] is True  # my 技师 of 2021-05, not the colleague's 高级技师
    assert out.facts.skill_level == "技师" and out.facts.subject is None


def test_a_correction_does_not_reuse_the_corrected_credentials_years():
    _, out = converse("上海，高级工4年，能评中级吗", "说错了，是技师不是高级工")
    assert out.facts.skill_level == "技师"
    assert not out.facts.has_years
    assert out.route == "clarify"


# --- stated facts decide scope conditions --------------------------------------------------------

@pytest.mark.parametrize("question", [
    "宜宾一家医院，高级技师6年了，想走贯通评卫生系列副高",
    "我是中级会计师，在无锡，评了5年，想考个技师",
    "黄石这边，技师四年，想评体育系列的中级",
])
def test_a_series_the_region_does_not_list_is_a_no(question):
    _, out = ask(question)
    assert out.route == "rules" and out.decision["eligible"] is False
    assert "不含" in out.answer and out.citations


def test_another_provinces_honour_is_not_this_provinces():
    reading, out = ask("在成都工作，我是贵州省技术能手，能破格报中级吗")
    assert "贵州" in {e["value"] for e in out.facts.evidence if e["role"] == "other_region"}
    assert out.decision["eligible"] is False
    reading, _ = ask("我在德阳，是云南省省级非遗传承人，能直接报中级吗")
    assert not reading.facts.honours


# --- region roles ----------------------------------------------------------------------------------

def test_the_region_worked_in_now_decides():
    reading, out = ask("证是在南通考的技师，2020年拿的，现在调到成都上班了，能报中级吗")
    assert reading.facts.region == "四川" and out.decision["region"] == "四川"


def test_secondment_is_confirmed_not_guessed():
    _, out = ask("我是江苏一家公司的，外派在上海干了两年，高级技师五年，能评副高吗")
    assert out.route == "clarify" and out.decision["missing"] == ["region"]


def test_hubei_alone_asks_for_the_city():
    _, out = ask("湖北的，高级工三年，能评助理工程师吗")
    assert out.route == "clarify" and "黄石" in out.decision["follow_up"]


# --- validity --------------------------------------------------------------------------------------

def test_a_document_not_in_force_never_yields_eligible_true():
    _, out = ask("四川的高级技师，能不能评特级技师", as_of=date(2026, 3, 1))
    assert out.decision["eligible"] is None
    assert out.decision["not_in_force"]["state"] == "expired"
    assert "不能据此确认" in out.answer and "结论：可以申报" not in out.answer
    _, before = ask("四川的高级技师，能不能评特级技师", as_of=date(2024, 1, 1))
    assert before.decision["eligible"] is None and "尚未施行" in before.answer
    _, last_day = ask("四川的高级技师，能不能评特级技师", as_of=date(2026, 1, 31))
    assert last_day.decision["eligible"] is True


# --- relative dates and numerals -----------------------------------------------------------------

def test_relative_dates_are_resolved_against_as_of():
    text, changes = absolute_dates("去年年底拿的证，上个月又考了一个", date(2026, 11, 30))
    assert text.startswith("2025年12月拿的证") and ("上个月", "2026年10月") in changes
    assert absolute_dates("今年能不能报", date(2026, 11, 30))[1] == []  # the asking time, not a date


def test_chinese_numerals():
    assert [cn_number(x) for x in ("三", "十二", "两", "二十", "7")] == [3, 12, 2, 20, 7]


# --- evidence and intent ---------------------------------------------------------------------------

def test_facts_carry_the_words_they_came_from():
    _, out = ask("上海，技师2022年6月拿的，想评中级")
    words = {e["words"]: e["role"] for e in out.facts.evidence}
    assert words.get("技师") == "held" and words.get("中级") == "wanted"


@pytest.mark.parametrize("question, intent", [
    ("我在黄石，技师三年，报中级要交哪些材料", "materials"),
    ("我是上海的技师，评中级要交多少钱", "fees"),
    ("江苏的，我高级工，报助理级找哪个部门", "contact"),
    ("我在大冶，准备报中级，单位推荐要公示几天", "procedure"),
])
def test_first_person_procedure_questions_are_not_eligibility(question, intent):
    reading, _ = ask(question)
    assert reading.intent == intent


# --- classes found in sets B and C (own wording) ---------------------------------------------------

def test_a_supposition_in_the_first_turn_is_not_carried():
    _, first = ask("自贡的，技师2024年3月拿的，要是我拿了四川省技术能手，能破格报中级吗")
    assert first.decision["eligible"] is True and not first.facts.honours
    _, now = converse("自贡的，技师2024年3月拿的，要是我拿了四川省技术能手，能破格报中级吗", "那不靠荣誉现在能报中级吗")
    assert now.decision["eligible"] is False


def test_an_eligibility_follow_up_naming_one_level_switches_the_target():
    _, out = converse("上海，高级技师2020年4月拿的，副高能报吗", "正高级能不能也报")
    assert out.facts.target == "正高级" and out.decision["eligible"] is False


def test_naming_ones_own_title_is_not_asking_for_a_title():
    _, out = converse("我能考什么技能等级", "我是中级职称，在无锡", "2023年10月评的")
    assert out.decision["direction"] == "title_to_skill" and out.decision["eligible"] is True


def test_city_level_honours_are_set_aside():
    _, out = ask("我是市级非遗传承人（绵阳评的），技师一年，能破格报中级吗")
    assert out.decision["eligible"] is False
    assert any(e["role"] == "other_region" for e in out.facts.evidence)


def test_almost_n_years_is_more_than_n_minus_one():
    _, out = ask("成都的，高级技师快11年了，能评正高吗")
    assert out.decision["eligible"] is True


def test_said_unsure_is_confirmed():
    _, out = ask("技师和高级技师两个证，一个2019年一个2024年，记不清哪个是哪个了，在无锡，副高能报吗")
    assert out.route == "clarify" and out.decision["eligible"] is None


def test_a_breakthrough_ask_names_the_target():
    reading, out = ask("世赛银牌，在四川，正高能不能破格")
    assert reading.facts.target == "正高级" and out.decision["eligible"] is False
