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
        ("还没满三年", None, 2.99), ("不到2年", None, 1.99), ("快4年了", 3, 3.99), ("超过6年", 6, None),  # 快4年: more than 3
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
    assert facts("累计工作3年").years_basis == "cumulative"
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


# ------------------------------------------------------------------ generalisation (held-out weaknesses)


@pytest.mark.parametrize(
    "text,kind,key",
    [
        ("我是助理工程帅", "title", "助理级"), ("工程帅一枚", "title", "中级"), ("高级工程帅", "title", "副高级"),
        ("正高级工程帅", "title", "正高级"), ("攻城的工程狮", "title", "中级"), ("助力工程师", "title", "助理级"),
        ("高级技帅", "skill", "高级技师"), ("我是技帅", "skill", "技师"),
    ],
)
def test_typo_aliases(text: str, kind: str, key: str) -> None:
    f = facts(text)
    assert (f.title_level if kind == "title" else f.skill_level) == key


def test_typo_tolerance_is_not_fuzzy() -> None:
    assert facts("元帅").title_level is None and facts("帅哥一个").skill_level is None
    assert facts("我是技师").title_level is None  # 技师 never turns into 工程师
    assert facts("工程帅").skill_level is None


@pytest.mark.parametrize(
    "text,held,target",
    [
        ("我是正高级工程师，评上才半年，想考个高级技师证", "正高级", "高级技师"),
        ("本人副高，准备弄个高级技师", "副高级", "高级技师"),
        ("我是高级工，希望今年拿到技师证", "高级工", "技师"),
        ("目前中级职称，打算申报个技师", "中级", "技师"),
        ("计划明年考个二级，现在是三级工", "高级工", "技师"),
        ("我现在是技师，想冲一下高级技师", "技师", "高级技师"),
        ("我打算用高级技师证评副高", "高级技师", "副高级"),
        ("想从技师评中级", "技师", "中级"),
    ],
)
def test_wanted_level_is_the_target_not_the_credential(text: str, held: str, target: str) -> None:
    f = facts(text)
    assert (f.skill_level or f.title_level) == held
    assert f.target == target


def test_wish_words_that_are_not_wishes() -> None:
    f = facts("想问一下我是技师，能评中级吗")
    assert f.skill_level == "技师" and f.target == "中级"
    f = facts("我要是在上海，技师满3年能评中级吗")
    assert f.skill_level == "技师" and f.target == "中级"


@pytest.mark.parametrize(
    "text,lo,hi",
    [
        ("三年零两个月", 3 + 2 / 12, 3 + 2 / 12), ("3年零2个月", 3 + 2 / 12, 3 + 2 / 12),
        ("两年零八个月", 2 + 8 / 12, 2 + 8 / 12), ("4年3个月", 4.25, 4.25), ("两年又十个月", 2 + 10 / 12, 2 + 10 / 12),
        ("十年零一个月", 10 + 1 / 12, 10 + 1 / 12), ("一年零六个月", 1.5, 1.5), ("一年半", 1.5, 1.5),
        ("三年多一点", 3, 3.99), ("差两个月满三年", 2 + 10 / 12, 2 + 10 / 12), ("才几个月", None, 0.99),
    ],
)
def test_year_and_month_durations(text: str, lo: float | None, hi: float | None) -> None:
    f = facts("技师" + text)
    assert f.years_min == pytest.approx(lo) if lo is not None else f.years_min is None
    assert f.years_max == pytest.approx(hi) if hi is not None else f.years_max is None


def test_which_year_is_not_a_duration() -> None:
    assert not facts("江苏的改革到哪一年建成").has_years
    assert not facts("哪几年出台的").has_years


@pytest.mark.parametrize(
    "text,honour",
    [
        ("担任过世界技能大赛金奖选手的教练组组长", "世界技能大赛金奖选手技术指导专家组组长"),
        ("世赛金牌选手技术指导专家组的组长", "世界技能大赛金奖选手技术指导专家组组长"),
        ("当过世赛的专家组组长", "世界技能大赛中国技术指导专家组组长"),
        ("我是上海的技术能手，不是杰出的那种", "上海市技术能手"),
        ("上海的杰出技术能手", "上海市杰出技术能手"),
        ("国赛金牌选手的教练", "职业技能大赛金牌指导教练"),
    ],
)
def test_honour_phrases(text: str, honour: str) -> None:
    assert facts(text).honours == [honour]


def test_team_leader_is_not_a_medallist_and_not_negated_honours() -> None:
    assert "世界技能大赛金牌" not in facts("担任世界技能大赛金奖选手技术指导专家组组长").honours
    assert facts("是上海市技术能手但不是上海市杰出技术能手").honours == ["上海市技术能手"]
    assert facts("我不是上海市技术能手").honours == []


def test_region_switch_follow_up_is_eligibility() -> None:
    prior = facts("我在无锡，技师干满四年了，能评中级职称吗")
    prior.asked = None
    for text, region in [("那换成在成都呢？", "四川"), ("要是在上海呢", "上海"), ("黄石的话", "黄石"), ("江苏", "江苏")]:
        merged = facts(text, prior)
        assert merged.region == region and merged.skill_level == "技师" and merged.target == "中级"
        assert is_eligibility_question(text, merged), text
    merged = facts("那在武汉呢", prior)
    assert merged.uncovered_region == "湖北" and is_eligibility_question("那在武汉呢", merged)
    # not a switch: a question about the other region's document
    merged = facts("江苏的贯通文件是哪个文号", prior)
    assert not is_eligibility_question("江苏的贯通文件是哪个文号", merged)


def test_facts_only_follow_up_is_eligibility_with_carried_facts() -> None:
    prior = Facts(region="上海", regions=["上海"], target="中级", direction="skill_to_title")  # nothing asked
    text = "我是三级工，证书拿了一年零四个月"
    merged = facts(text, prior)
    assert merged.skill_level == "高级工" and merged.region == "上海"
    assert is_eligibility_question(text, merged)
    assert is_rules_question(text, merged)
    # any earlier fact counts; a lone statement without any conversation does not
    assert is_eligibility_question("干了五年了", facts("干了五年了", Facts(skill_level="技师")))
    assert not is_eligibility_question("干了五年了", Facts(years_min=5, years_max=5))
    # mid-conversation fact-table questions stay fact-table questions
    assert not is_eligibility_question("技师相当于什么职称", facts("技师相当于什么职称", prior))


@pytest.mark.parametrize(
    "text",
    [
        "江苏这次贯通改革计划到哪一年全面建成", "四川推进贯通工作的指导思想是什么", "上海这个办法的基本原则有哪些",
        "黄石这个通知的主要任务是什么", "江苏贯通改革的意义",
    ],
)
def test_policy_background_is_not_eligibility(text: str) -> None:
    assert not is_eligibility_question(text, Facts())


def test_person_asking_which_year_is_eligibility() -> None:
    assert is_eligibility_question("我是技师，2023年拿的证，到哪一年能评中级", Facts())


@pytest.mark.parametrize(
    "text",
    ["四川聘到特级技师岗位的职工享受什么待遇", "我聘上高级技师了，江苏比照什么职称", "在聘的技师比照哪一级人员"],
)
def test_treatment_questions_are_fact_questions(text: str) -> None:
    assert not is_eligibility_question(text, Facts())
    assert is_rules_question(text, Facts())


@pytest.mark.parametrize(
    "text",
    [
        "技能等级一共有多少级", "从学徒工往上最高是什么等级", "四川的技能人才可以参加哪几个系列的职称评审",
        "黄石能参评哪几类职称", "上海能评哪些系列", "中职老师能不能评职称",
    ],
)
def test_ladder_and_series_are_fact_topics(text: str) -> None:
    from rules import fact_topic

    assert fact_topic(text) in ("ladder", "series")
    assert not is_eligibility_question(text, Facts())


def test_two_regions_and_a_path_is_compare() -> None:
    text = "技师申报中级，江苏和黄石各要多少年"
    assert is_rules_question(text, facts(text))


@pytest.mark.parametrize(
    "text",
    [
        "我是技师，评上中级后个税能多抵扣吗", "高级工程师在上海能加落户积分吗", "高级技师的社保基数会变吗",
        "技能证书能提高公积金比例吗", "评上职称能不能办居住证", "技师证可以申请个人所得税继续教育扣除吗",
    ],
)
def test_other_hr_topics_are_not_rules_questions(text: str) -> None:
    f = facts(text)
    assert not is_eligibility_question(text, f)
    assert not is_rules_question(text, f)


@pytest.mark.parametrize(
    "text",
    [
        "户口在外地，在上海工作的技师满3年能评中级吗", "社保在苏州交，我是技师干了4年能评中级吗",
        "刚落户上海的高级技师满4年能评副高吗",
    ],
)
def test_other_hr_words_as_background_keep_the_pathway_question(text: str) -> None:
    assert is_rules_question(text, facts(text))


# ---------------------------------------------------------------- negated credentials (every alias)

NEGATED_BEFORE = ("没{a}", "没有{a}", "未取得{a}", "还没评{a}", "从没拿过{a}", "不是{a}", "没评过{a}", "没考{a}",
                  "还没有拿到{a}", "一直没能评上{a}")
NEGATED_AFTER = ("{a}也没评过", "{a}还没考", "{a}嘛，没评上", "{a}一直没拿到", "{a}没有", "{a}至今没考过")


def _all_level_aliases() -> list[tuple[str, str]]:
    from rules import lexicon

    return [(lvl.key, a) for lvl in (*lexicon.skill_levels(), *lexicon.title_levels()) for a in lvl.aliases]


@pytest.mark.parametrize("template", NEGATED_BEFORE + NEGATED_AFTER)
def test_every_level_alias_negated_is_lacked_never_held(template: str) -> None:
    wrong = []
    for key, alias in _all_level_aliases():
        f = facts("我在江苏，" + template.format(a=alias) + "，想咨询一下")
        if key not in f.lacks or key in (f.skill_level, f.title_level):
            wrong.append((alias, f.lacks, f.skill_level, f.title_level))
    assert not wrong, wrong


@pytest.mark.parametrize(
    "text,lacked,held",
    [
        ("四川的，副高也没评过，目前是中级", "副高级", ("title", "中级")),
        ("高级技师还没考，现在是技师", "高级技师", ("skill", "技师")),
        ("副高嘛，没评上，中级倒是有", "副高级", ("title", "中级")),
        ("我从来没拿到过正高，手上是副高", "正高级", ("title", "副高级")),
    ],
)
def test_negation_next_to_a_held_level(text: str, lacked: str, held: tuple[str, str]) -> None:
    f = facts(text)
    assert lacked in f.lacks
    assert (f.skill_level if held[0] == "skill" else f.title_level) == held[1]


@pytest.mark.parametrize("text", ["职称一个都没有，高级工三年", "啥职称都没有", "我什么职称也没有", "职称目前没有"])
def test_no_title_at_all(text: str) -> None:
    f = facts(text)
    assert "职称" in f.lacks and f.title_level is None


def test_not_yet_years_is_not_a_negated_level() -> None:
    f = facts("上海技师，没满3年，能评中级吗")
    assert f.skill_level == "技师" and "技师" not in f.lacks and f.years_max is not None


# ---------------------------------------------------------------- negative-phrased questions


@pytest.mark.parametrize(
    "text,target",
    [
        ("四川，我高级技师干了3年，是不是就评不了副高？", "副高级"),
        ("江苏技师两年，中级是不是评不上了", "中级"),
        ("黄石，我高级工一年，助理级是不是没希望了", "助理级"),
        ("上海，技师干了五年，难道不能评中级吗", "中级"),
        ("我是中级工程师，四川干了两年，高级技师肯定考不了吧", "高级技师"),
    ],
)
def test_negative_phrased_questions_name_a_target(text: str, target: str) -> None:
    f = facts(text)
    assert f.target == target
    assert is_eligibility_question(text, f)


def test_negative_phrased_open_question_is_eligibility() -> None:
    text = "上海的高级技师，已经五年了，是不是没戏了"
    assert is_eligibility_question(text, facts(text))


# ---------------------------------------------------------------- cumulative years


@pytest.mark.parametrize(
    "text,years",
    [
        ("副高，本专业前前后后一共干了六年", 6), ("副高级，累计干了8年", 8), ("副高，加起来干了十年", 10),
        ("副高，总共从事本专业七年", 7), ("副高职称，在这行满打满算五年", 5), ("副高，工龄九年", 9),
    ],
)
def test_cumulative_years_basis(text: str, years: int) -> None:
    f = facts(text)
    assert f.years_basis == "cumulative" and f.years_min == years


@pytest.mark.parametrize("text", ["副高，评上6年了", "取得副高以后干了6年", "副高证拿了6年"])
def test_years_since_the_credential(text: str) -> None:
    assert facts(text).years_basis == "since_credential"


# ---------------------------------------------------------------- team size of class-one contests


@pytest.mark.parametrize(
    "text,honour,team",
    [
        ("国家级一类技能竞赛，三个人组队，最后拿了第3名", "国家级一类技能竞赛获奖（未达破格名次）", 3),
        ("国家级一类大赛三人一组得了第三", "国家级一类技能竞赛获奖（未达破格名次）", 3),
        ("国家级一类竞赛两人搭档第4名", "国家级一类技能竞赛获奖（未达破格名次）", 2),
        ("国家级一类技能竞赛双人项目第三名", "国家级一类技能竞赛前5名", 2),
        ("国家级一类技能竞赛三人赛项拿了亚军", "国家级一类技能竞赛前5名", 3),
        ("国家级一类技能竞赛个人赛第5名", "国家级一类技能竞赛前5名", 1),
        ("国家级一类技能竞赛第4名", "国家级一类技能竞赛前5名（赛项人数未说明）", None),
        ("国家级一类技能竞赛第2名", "国家级一类技能竞赛前5名", None),
    ],
)
def test_class_one_team_size(text: str, honour: str, team: int | None) -> None:
    f = facts(text)
    assert f.honours == [honour]
    assert f.contest_team == team


def test_class_one_team_size_in_a_follow_up() -> None:
    first = facts("四川，国家级一类技能竞赛第4名，能破格评副高吗")
    assert first.honours == ["国家级一类技能竞赛前5名（赛项人数未说明）"]
    later = facts("是三人赛项", first)
    assert later.honours == ["国家级一类技能竞赛获奖（未达破格名次）"]


# ---------------------------------------------------------------- honour qualifiers


@pytest.mark.parametrize(
    "text,honour",
    [
        ("江苏技能状元大赛一等奖，不过是学生组的", "江苏技能状元大赛（学生组）一等奖"),
        ("状元大赛学生组第一名", "江苏技能状元大赛（学生组）一等奖"),
        ("江苏技能状元大赛职工组一等奖", "江苏技能状元大赛一等奖"),
        ("乡土人才技艺技能大赛复赛一等奖", "省乡土人才技艺技能大赛一等奖（非总决赛）"),
        ("乡土人才技艺技能大赛总决赛一等奖", "省乡土人才技艺技能大赛一等奖"),
        ("世赛金牌选手的助理教练", "技能大赛教练组成员（非所列指导教练1人）"),
        ("世赛金牌没拿到，只拿了银牌", "世界技能大赛银牌"),
    ],
)
def test_honour_qualifiers(text: str, honour: str) -> None:
    assert facts(text).honours == [honour]


# ---------------------------------------------------------------- target switch in a follow-up


@pytest.mark.parametrize(
    "first,second,target",
    [
        ("四川，高级技师干了11年，能评副高吗", "那正高呢？", "正高级"),
        ("四川，高级技师干了11年，能评副高吗", "要是评正高级呢", "正高级"),
        ("我是中级工程师，在四川干了5年，能考高级技师吗", "换成技师呢", "技师"),
    ],
)
def test_follow_up_switches_the_target(first: str, second: str, target: str) -> None:
    prior = facts(first)
    merged = facts(second, prior)
    assert merged.target == target
    assert merged.skill_level == prior.skill_level and merged.title_level == prior.title_level
    assert merged.years_min == prior.years_min


def test_follow_up_supposing_another_credential_is_not_a_target() -> None:
    prior = facts("上海技师两年，能评中级吗")
    merged = facts("那我要是高级技师呢", prior)
    assert merged.skill_level == "高级技师" and merged.target == "中级"


@pytest.mark.parametrize("text,years", [("那三年以后呢", 5), ("再过一年呢", 3), ("等两年后呢", 4)])
def test_follow_up_some_years_later(text: str, years: int) -> None:
    merged = facts(text, facts("上海技师两年，能评中级吗"))
    assert merged.years_min == years and merged.years_max == years
