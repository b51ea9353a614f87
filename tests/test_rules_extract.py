"""Fact extraction from colloquial Chinese: every alias family, traditional characters, negations,
year forms, honours, multi-turn merging and the eligibility-question detector."""

from __future__ import annotations

from datetime import date

import pytest

from rules import Facts, extract_facts, is_eligibility_question, is_rules_question
from rules.extract import cn_number

AS_OF = date(2025, 11, 21)


def facts(text: str, prior: Facts | None = None) -> Facts:
    return extract_facts(text, prior, AS_OF)


@pytest.mark.parametrize(
    "text,region",
    [
        ("我在成都上班", "四川"), ("绵阳的", "四川"), ("四川省", "四川"), ("在沪工作", "上海"),
        ("浦东新区", "上海"), ("大冶市的", "黄石"), ("阳新县", "黄石"), ("黄石港区", "黄石"),
        ("苏州工业园区", "江苏"), ("南通", "江苏"), ("无锡", "江苏"), ("南京江宁", "江苏"), ("昆山", "江苏"),
    ],
)
def test_region_from_province_or_city(text: str, region: str) -> None:
    assert facts(text).region == region


@pytest.mark.parametrize("text,where", [("我在广东", "广东"), ("深圳的技师", "广东"), ("杭州", "浙江"),
                                        ("武汉", "湖北"), ("重庆", "重庆")])
def test_uncovered_region_is_recognised(text: str, where: str) -> None:
    f = facts(text)
    assert f.region is None and f.uncovered_region == where


def test_hubei_alone_means_huangshi_with_flag() -> None:
    f = facts("湖北的技师")
    assert f.region == "黄石" and f.region_from_province


def test_region_specific_honours_imply_the_region_only_as_a_fallback() -> None:
    assert facts("我是四川省技术能手").region == "四川"
    assert facts("江苏工匠").region == "江苏"
    hubei = facts("楚天名匠")
    assert hubei.region == "黄石" and hubei.region_from_province
    assert facts("我在上海，是江苏工匠").region == "上海"
    assert facts("全国技术能手").region is None


def test_two_regions_for_compare() -> None:
    assert facts("四川和上海有什么不同").regions == ["四川", "上海"]


@pytest.mark.parametrize(
    "text,skill",
    [
        ("我是三级工", "高级工"), ("高级工", "高级工"), ("国家三级", "高级工"), ("我是二级技师", "技师"),
        ("拿了二级证", "技师"), ("我是技师", "技师"), ("一级", "高级技师"), ("高级技师", "高级技师"),
        ("中级工", "中级工"), ("四级", "中级工"), ("初级工", "初级工"), ("五级", "初级工"), ("学徒工", "学徒工"),
        ("特级技师", "特级技师"), ("首席技师", "首席技师"),
    ],
)
def test_skill_aliases(text: str, skill: str) -> None:
    assert facts(text).skill_level == skill


@pytest.mark.parametrize(
    "text,title",
    [
        ("我是技术员", "员级"), ("助理工程师", "助理级"), ("助工", "助理级"), ("初级职称", "助理级"),
        ("助理级", "助理级"), ("我是工程师", "中级"), ("农艺师", "中级"), ("讲师", "中级"), ("中级职称", "中级"),
        ("高级工程师", "副高级"), ("副高", "副高级"), ("高工", "副高级"), ("正高级工程师", "正高级"), ("正高", "正高级"),
        ("教授级高工", "正高级"),
    ],
)
def test_title_aliases(text: str, title: str) -> None:
    assert facts(text).title_level == title


def test_longest_alias_wins() -> None:
    f = facts("我是高级工程师")
    assert f.title_level == "副高级" and f.skill_level is None
    assert facts("高级技师").skill_level == "高级技师"
    assert facts("正高级工程师").title_level == "正高级"


def test_professional_qualifications_are_not_skill_levels() -> None:
    assert facts("我有一级建造师").skill_level is None
    assert facts("二级建造师证").skill_level is None
    assert facts("可直接申报评审高一级职称").skill_level is None


@pytest.mark.parametrize(
    "text,credential,target",
    [
        ("我是技师，能评中级吗", "技师", "中级"), ("能评中级吗？我是技师", "技师", "中级"),
        ("工程师能考技师吗", "中级", "技师"), ("申报高级技师需要什么条件", None, "高级技师"),
        ("高级技师申报副高级职称", "高级技师", "副高级"), ("我想评高级", None, "副高级"),
        ("四川，副高九年，高级技师能报吗", "副高级", "高级技师"), ("工程师能不能申请技师评价", "中级", "技师"),
        ("特级技师能不能评首席技师", "特级技师", "首席技师"),
    ],
)
def test_credential_and_target(text: str, credential: str | None, target: str) -> None:
    f = facts(text)
    assert (f.skill_level or f.title_level) == credential
    assert f.target == target


def test_open_question_has_no_target() -> None:
    f = facts("我是高级技师，能评什么职称")
    assert f.target is None and f.skill_level == "高级技师" and f.direction == "skill_to_title"


def test_direction_words() -> None:
    assert facts("我是工程师，能考什么等级").direction == "title_to_skill"
    assert facts("我是技师，能评什么职称").direction == "skill_to_title"


@pytest.mark.parametrize(
    "text,lo,hi",
    [
        ("干了3年", 3, 3), ("三年", 3, 3), ("满5年", 5, 5), ("两年多", 2, 2.99), ("3年半", 3.5, 3.5),
        ("一年半", 1.5, 1.5), ("5年以上", 5, None), ("十年", 10, 10), ("十二年", 12, 12), ("8个月", 8 / 12, 8 / 12),
        ("还没满三年", None, 2.99), ("不到2年", None, 1.99), ("快4年了", None, 3.99), ("超过6年", 6, None),
        ("半年", 0.5, 0.5), ("3年前取得", 3, 3), ("十多年", 10, 10.99),
    ],
)
def test_year_forms(text: str, lo: float | None, hi: float | None) -> None:
    f = facts("技师" + text)
    assert f.years_min == pytest.approx(lo) if lo is not None else f.years_min is None
    assert f.years_max == pytest.approx(hi) if hi is not None else f.years_max is None


def test_recent_assessment_years_are_not_service_years() -> None:
    f = facts("近3年年度考核合格的技师")
    assert not f.has_years and f.assessment_ok is True


@pytest.mark.parametrize(
    "text,obtained",
    [("2022年6月取得技师", "2022-06"), ("2022年取得", "2022"), ("2021年3月15日拿的证", "2021-03-15"),
     ("去年拿到技师", "2024"), ("前年考的高级工", "2023")],
)
def test_dates(text: str, obtained: str) -> None:
    assert facts(text).obtained == obtained


def test_years_basis() -> None:
    assert facts("取得技师3年").years_basis == "since_credential"
    assert facts("累计工作3年").years_basis == "work"
    assert facts("3年").years_basis is None


@pytest.mark.parametrize(
    "text,honour",
    [
        ("全国技术能手", "全国技术能手"), ("获得过中华技能大奖", "中华技能大奖"), ("国务院特贴", "国务院政府特殊津贴"),
        ("世赛金牌", "世界技能大赛金牌"), ("世界技能大赛铜奖", "世界技能大赛铜牌"), ("天府工匠", "天府工匠"),
        ("江苏大工匠", "江苏大工匠"), ("江苏工匠", "江苏工匠"), ("楚天名匠", "楚天名匠"), ("黄石工匠", "黄石工匠"),
        ("上海市杰出技术能手", "上海市杰出技术能手"), ("国家级技能大师工作室带头人", "国家级技能大师工作室领办人"),
        ("省级非遗传承人", "四川省省级非遗代表性传承人"), ("国家级一类技能竞赛前五名", "国家级一类技能竞赛前5名"),
        ("世界技能大赛金牌选手的指导教练", "世界技能大赛金牌指导教练"),
        ("职业技能大赛银牌教练", "职业技能大赛银牌指导教练"),
        ("经省人社厅认定的特级技师", "特级技师（经省人社厅认定）"),
    ],
)
def test_honours(text: str, honour: str) -> None:
    assert honour in facts(text).honours


@pytest.mark.parametrize(
    "text,honour",
    [("世赛拿了金牌", "世界技能大赛金牌"), ("全国技能大赛拿过铜牌", "全国技能大赛铜奖"),
     ("技能状元大赛职工组拿了一等奖", "江苏技能状元大赛一等奖"), ("技能状元大赛学生组一等奖", "江苏技能状元大赛（学生组）一等奖"),
     ("国家级一类大赛个人赛项第5名", "国家级一类技能竞赛前5名"), ("国家级一类竞赛双人赛项第3名", "国家级一类技能竞赛前5名"),
     ("国家级一类大赛三人赛项第3名", "国家级一类技能竞赛获奖（未达破格名次）"),
     ("国家级一类竞赛第6名", "国家级一类技能竞赛获奖（未达破格名次）")],
)
def test_honours_said_in_pieces(text: str, honour: str) -> None:
    assert facts(text).honours == [honour]


def test_coach_is_not_the_medallist() -> None:
    f = facts("我带的选手拿了世赛金牌，我是教练")
    assert f.honours == ["世界技能大赛金牌指导教练"]


@pytest.mark.parametrize(
    "text,lacks",
    [("没有助理级职称", "助理级"), ("我还没拿到技师", "技师"), ("不是高级工", "高级工"), ("没有职称", "职称"),
     ("没有任何技能等级", "技能等级")],
)
def test_negated_credentials(text: str, lacks: str) -> None:
    f = facts(text)
    assert lacks in f.lacks
    assert f.skill_level is None and f.title_level is None


@pytest.mark.parametrize(
    "text,ok",
    [("年度考核不合格", False), ("去年考核没通过", False), ("考核基本合格", False), ("近三年考核都合格", True),
     ("考核优秀", True), ("技师三年", None)],
)
def test_assessment(text: str, ok: bool | None) -> None:
    assert facts(text).assessment_ok is ok


@pytest.mark.parametrize(
    "text,expected",
    [
        ("我在上海，技師滿四年，能評中級職稱嗎", ("上海", "技师", "中级", 4)),
        ("江蘇，助理工程師三年，能報技師嗎", ("江苏", None, "技师", 3)),
        ("黃石的高級技師", ("黄石", "高级技师", None, None)),
    ],
)
def test_traditional_characters(text: str, expected: tuple) -> None:
    f = facts(text)
    region, skill, target, years = expected
    assert f.region == region
    assert f.target == {"技师": "技师", "中级": "中级", None: None}[target] if target else f.target is None
    if skill:
        assert f.skill_level == {"技师": "技师", "高级技师": "高级技师"}[skill]
    if years:
        assert f.years_min == years


def test_chinese_numbers() -> None:
    assert cn_number("十") == 10 and cn_number("十五") == 15 and cn_number("二十") == 20
    assert cn_number("两") == 2 and cn_number("3") == 3


def test_multi_turn_fills_the_missing_slot() -> None:
    first = facts("我是技师，能评中级吗")
    first.asked = "region"
    second = facts("上海", first)
    assert second.region == "上海" and second.skill_level == "技师" and second.target == "中级"
    second.asked = "years"
    third = facts("5年", second)
    assert third.years_min == 5 and third.region == "上海"
    bare = facts("5", second)
    assert bare.years_min == 5


def test_a_bare_number_is_not_years_unless_asked() -> None:
    assert not facts("5").has_years


def test_new_turn_overrides_and_honours_accumulate() -> None:
    first = facts("四川，技师3年，获得四川省技术能手")
    second = facts("换成上海呢，技师4年", first)
    assert second.region == "上海" and second.years_min == 4
    assert "四川省技术能手" in second.honours


def test_facts_round_trip() -> None:
    f = facts("我是南通的技师，2022年6月取得，全国技术能手，考核合格，能评中级吗")
    again = Facts.from_dict(f.to_dict())
    assert again == f
    assert Facts.from_dict({"region": "上海", "unknown_field": 1}).region == "上海"
    assert Facts.from_dict(None) == Facts()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("我是技师干了三年在江苏能评中级吗", True),
        ("我是高级技师，还要几年才能评副高", True),
        ("高级技师要满几年才能评副高", False),
        ("四川的专业技术人员要过几年才能申报高级技师", False),
        ("在成都，能评什么职称", True),
        ("能考翻译资格吗，我是高级工", False),
        ("我是工程师，能考什么技能等级", True),
        ("全国技术能手可以直接申报副高吗", True),
        ("申报流程是什么", False),
        ("职称评审需要提交哪些材料", False),
        ("技师相当于什么职称", False),
        ("今天天气怎么样", False),
        ("你好", False),
    ],
)
def test_is_eligibility_question(text: str, expected: bool) -> None:
    assert is_eligibility_question(text, Facts()) is expected


def test_follow_up_answers_count_as_eligibility() -> None:
    prior = Facts(skill_level="技师", target="中级", asked="region")
    assert is_eligibility_question("上海", prior)
    prior.asked = "years"
    assert is_eligibility_question("5年", prior)


def test_is_rules_question_covers_facts_and_compare() -> None:
    assert is_rules_question("技师相当于什么职称", Facts())
    assert is_rules_question("四川和上海有什么不同", Facts())
    assert not is_rules_question("申报流程是什么", Facts())
