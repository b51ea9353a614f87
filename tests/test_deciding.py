"""The clause that decides comes first, honours no list names are a "no" (not a question back), and
several people with one date each are decided one by one. Wording here is our own."""
from __future__ import annotations

import datetime as dt

import pytest

import rules
from rules.people import per_person

DAY = dt.date(2026, 11, 30)


def decide(text: str):
    reading = rules.read(text, as_of=DAY)
    return reading, rules.decide(reading, DAY, text)


def first_quote(outcome) -> str:
    return outcome.citations[0]["quote"]


@pytest.mark.parametrize("text, scope_words", [
    ("宜宾的，我有中级工证，干了九年了，可以评助理级职称吗", "具备高级工以上"),
    ("我在常州，初级工证，十年工龄，能报助理工程师吗", "具备高级工（三级）以上"),
])
def test_a_level_below_the_floor_cites_the_scope_clause_first(text, scope_words):
    _, out = decide(text)
    assert out.decision["eligible"] is False
    assert scope_words in first_quote(out)
    assert "低于这一范围" in out.answer


@pytest.mark.parametrize("text, listed", [
    ("我评过浙江省技术能手，现在在德阳上班，技师刚一年，能破格报中级吗", "四川省技术能手"),
    ("在黄石干活，以前拿过宜昌工匠，想报助理级职称，行吗", "黄石工匠"),
    ("我是苏州工匠（市里评的），高级技师才一年，能直接报副高吗", "江苏大工匠"),
])
def test_an_honour_the_region_does_not_list_cites_the_list_for_the_asked_level(text, listed):
    reading, out = decide(text)
    assert any(e["role"] == "other_region" for e in reading.facts.evidence if e["kind"] == "honour")
    assert out.decision["eligible"] is False
    assert listed in first_quote(out)


@pytest.mark.parametrize("text, own", [
    ("浦东的，评上了上海市技术能手，可以直接去报中级职称吗", "上海市技术能手、获得上海市首席技师资助"),
    ("大冶这边，我有全国技能大赛铜奖，想直接评中级，够不够", "全国技能大赛铜奖"),
])
def test_a_listed_honour_short_of_the_asked_level_cites_its_own_sentence_first(text, own):
    """上海 and 黄石 list each level's honours in one sentence: the sentence naming the person's honour
    says where it leads; the asked level's sentence follows."""
    _, out = decide(text)
    assert out.decision["eligible"] is False
    assert own in first_quote(out)
    assert len(out.citations) > 1


def test_an_itemised_list_keeps_the_asked_levels_item_first():
    """四川 gives each honour its own item: the item for the asked level states the placing needed."""
    _, out = decide("德阳，世界技能大赛得过一块银牌，正高能不能破格申报")
    assert out.decision["eligible"] is False
    assert "金牌" in first_quote(out)


@pytest.mark.parametrize("text", [
    "我拿过省五一劳动奖章，在绵阳，技师一年，能破格报中级不",
    "单位评的优秀员工，在成都，能不能破格评中级",
    "我是市劳动模范，黄石的，能直接报中级职称吗",
])
def test_an_honour_no_document_lists_is_set_aside_not_asked_about(text):
    reading, out = decide(text)
    assert [e for e in reading.facts.evidence if e.get("role") == "unlisted"]
    assert out.route == "rules" and out.decision["eligible"] is False


@pytest.mark.parametrize("text, eligible", [
    ("成都的，国家级二类竞赛拿过铜牌，能破格报中级吗", True),
    ("成都，国家级二类技能大赛得了第一名，可以破格申报副高吗", False),
    ("无锡，参加江苏技能状元大赛拿了三等奖，能直接报副高吗", False),
])
def test_contest_results_are_read_by_class_and_placing(text, eligible):
    _, out = decide(text)
    assert out.route == "rules" and out.decision["eligible"] is eligible


@pytest.mark.parametrize("text", [
    "我是二级消防士，退役了，在黄石，能报中级职称吗",
    "我是一级飞行员，在成都，想评工程系列的中级职称",
])
def test_a_non_vocational_rank_alone_is_no_skill_level(text):
    reading, out = decide(text)
    assert reading.facts.skill_level is None
    assert out.decision["eligible"] is False


@pytest.mark.parametrize("text, target", [
    ("乐山，中级工干了七年，能不能平个助理工程师", "助理级"),
    ("在四川，我是三级运动员，能不能评体育系列的中级职称", "中级"),
])
def test_a_wanted_level_is_not_read_as_held(text, target):
    reading, _ = decide(text)
    assert reading.facts.target == target and reading.facts.title_level is None


def test_a_list_of_dates_is_read_once_per_person():
    text = "我们厂有两位师傅申报中级职称，技师证分别是2020年8月、2022年2月拿的，在上海，都够年限吗"
    assert len(per_person(text)) == 2
    reading, out = decide(text)
    assert len(reading.people) == 2
    assert out.decision["eligible"] is True
    assert [p["eligible"] for p in out.decision["per_person"]] == [True, True]
    assert "结论一致" in out.answer


def test_people_whose_verdicts_differ_get_no_single_verdict():
    text = "两名员工在南通，高级技师证分别于2021年6月、2024年6月取得，能报副高吗"
    _, out = decide(text)
    assert out.decision["eligible"] is None
    assert [p["eligible"] for p in out.decision["per_person"]] == [True, False]
    assert "结论不同" in out.answer and "**结论：" not in out.answer


def test_one_person_with_one_date_is_not_a_group():
    assert per_person("我技师是2021年5月拿的，在上海，能报中级吗") == []


def test_two_quotes_of_one_clause_become_one_citation(assistant):
    answer = assistant.ask("我是全国技术能手，在无锡，已经是副高级职称了，能直接报正高吗", as_of="2026-11-30")
    assert answer["decision"]["eligible"] is True
    sections = [c["section"] for c in answer["citations"]]
    assert len(sections) == len(set(sections))
    first = answer["citations"][0]["quote"]
    assert "全国技术能手" in first and "已有副高级职称的，可直接申报评审正高级职称" in first


@pytest.mark.parametrize("text", [
    "持有中级职称的专业技术人才在四川报技师，工作年限要求多少",
    "上海高技能人才直接申报副高级职称有哪几种情形",
    "黄石的专技人员申请高级工（三级）的条件是什么",
])
def test_an_impersonal_question_about_the_rule_is_a_lookup(text):
    reading = rules.read(text, as_of=DAY)
    assert not rules.wants_rules(reading, text)


def test_a_first_person_question_about_a_test_before_applying_is_procedure():
    text = "我在黄石，高级工两年多了，报助理工程师前是不是还得先参加个测试"
    reading = rules.read(text, as_of=DAY)
    assert reading.intent == "procedure" and not rules.wants_rules(reading, text)


@pytest.mark.parametrize("text", ["我是高工，在成都干了六年，还能往上考啥", "我高工，四川的，十一年了，能报正高吗"])
def test_gao_gong_is_confirmed_when_the_two_readings_differ(text):
    reading, out = decide(text)
    assert rules.wants_rules(reading, text)
    assert out.route == "clarify" and "高工" in out.answer


def test_an_open_question_with_a_held_level_is_an_eligibility_question():
    text = "我是技师，在四川，2019年拿的证，还能再考啥"
    reading = rules.read(text, as_of=DAY)
    assert rules.wants_rules(reading, text)


def test_a_relative_year_before_cai_na_is_a_date():
    reading, out = decide("现在在黄石上班，高级工前年才拿，能报助理级职称吗")
    assert reading.facts.obtained == "2024"
    assert out.route == "clarify" and "几月" in out.answer  # 2024 is 满2年 or not, by the month


def test_a_region_doubt_keeps_the_asked_target():
    _, out = decide("我一半时间在成都一半时间在上海，两边都算工作地，高级技师十二年了，能评正高吗")
    assert out.route == "clarify" and out.decision["target"] == "正高级职称"


def test_an_in_house_model_worker_title_points_at_the_listed_skill_champion():
    _, out = decide("公司评的岗位标兵，在四川，能破格报中级吗")
    assert out.decision["eligible"] is False and "四川省技术能手" in first_quote(out)


@pytest.mark.parametrize("text, eligible", [
    ("大冶的，技师2023年12月20日拿的，今年受理材料截止时间是12月25日，能报中级吗", True),
    ("大冶的，技师2023年12月20日拿的，今年受理材料截止时间是12月15日，能报中级吗", False),
])
def test_huangshi_counts_years_to_the_stated_filing_deadline(text, eligible):
    reading, out = decide(text)
    assert reading.deadline is not None and reading.facts.obtained == "2023-12-20"
    assert out.decision["eligible"] is eligible and "受理材料截止时间" in out.answer


def test_a_deadline_elsewhere_does_not_move_the_day():
    _, out = decide("常州，技师2023年12月20日拿的，申报截止日期为2026年12月25日，能报中级吗")
    assert out.decision["eligible"] is False


def test_is_it_enough_years_is_an_eligibility_question():
    text = "阳新的，高级工2024年3月拿的，够两年了吗"
    assert rules.wants_rules(rules.read(text, as_of=DAY), text)


@pytest.mark.parametrize("text", [
    "我一个技能证书都没有，在德阳厂里干了二十年电工，能走贯通评职称吗",
    "我是一级运动员，现在在成都带学员，能评体育系列的职称吗",
])
def test_no_skill_level_and_a_title_asked_is_a_no_from_the_scope_clause(text):
    _, out = decide(text)
    assert out.route == "rules" and out.decision["eligible"] is False
    assert "高级工以上" in first_quote(out)


@pytest.mark.parametrize("text, target", [
    ("技帅干了8年 四川 能评副搞吗", "副高级"),
    ("成都 高级工干了三年 能评助理不", "助理级"),
])
def test_typing_slips_are_read(text, target):
    reading, _ = decide(text)
    assert reading.facts.target == target


def test_a_duration_corrected_in_the_same_turn_is_the_later_one():
    reading, out = decide("上海 高级工 干了一年 哦说错了 是三年 能聘初级职称吗")
    assert reading.facts.years_min == 3 and out.decision["eligible"] is True


@pytest.mark.parametrize("text, eligible", [
    ("四川 省级技能竟赛拿了银牌 能破格报中级吗", False),
    ("我是成都的工程师，获得过省科技进步三等奖，有相应工种的技能水平，能直接申报技能等级吗", True),
])
def test_provincial_awards_are_read(text, eligible):
    _, out = decide(text)
    assert out.route == "rules" and out.decision["eligible"] is eligible


def test_a_space_typed_on_a_phone_breaks_the_clause():
    reading, out = decide("我在上海 高级技师三年半 副高能报不 差几个月")
    assert reading.facts.target == "副高级" and reading.facts.years_min == 3.5
    assert out.decision["eligible"] is False


def test_dialect_for_no_certificate_and_a_failed_exam_are_read():
    assert decide("我在成都当焊工 没得证 能评职称不")[1].decision["eligible"] is False
    reading, _ = decide("技师考了两次没过 现在是高级工 成都 能评中级吗")
    assert reading.facts.skill_level == "高级工"


def test_a_green_channel_that_needs_a_title_held_says_what_the_document_does_not_say():
    _, out = decide("世赛优胜奖 苏州 还没有职称 能评啥")
    assert out.decision["eligible"] is None and "文件没有写明" in out.answer


@pytest.mark.parametrize("text, target, held", [
    ("我电气副高2020年评的 一直在一线 四川绵阳 能往正高报吗", "正高级", "副高级"),
    ("农艺师 中级 干这行七年了 四川 能考茶艺师技师不", "技师", "中级"),
    ("我江苏大工匠 早就副高了 还能直接上正高不", "正高级", "副高级"),
])
def test_the_level_aimed_at_is_read_as_wanted(text, target, held):
    reading, _ = decide(text)
    assert reading.facts.target == target and reading.facts.title_level == held


def test_a_level_not_yet_received_is_not_held():
    reading, _ = decide("成都 高级技师考过了还没拿到证 技师是2019年拿的 副高能报不")
    assert reading.facts.skill_level == "技师" and "高级技师" in reading.facts.lacks


def test_never_took_any_certificate_is_no_skill_level():
    _, out = decide("我在常州做了十五年钳工 从来没考过任何证 能评助理级职称吗")
    assert out.decision["eligible"] is False


@pytest.mark.parametrize("text", ["我是二级 在苏州 干了5年了 能评中级吗", "我一级 在上海 干了6年 能评高级职称不"])
def test_a_bare_numbered_rank_is_confirmed(text):
    _, out = decide(text)
    assert out.route == "clarify"


def test_a_numbered_level_with_gong_is_a_skill_level():
    _, out = decide("阳新的，三级工拿证满两年了，想申报助理级职成")
    assert out.route == "rules" and out.decision["eligible"] is True


def test_a_special_technician_the_province_did_not_certify_is_not_the_listed_one():
    reading, out = decide("无锡 厂里自己评的特级技师 未经省人社厅认定 能直接报副高吗")
    assert "特级技师（未经省人社厅认定）" in reading.facts.honours
    assert out.decision["eligible"] is not True


def test_enough_years_asked_with_mei_is_a_question_not_a_negation():
    reading, out = decide("泸州 技师证是2023年9月发的 现在够报中级职称没")
    assert reading.facts.target == "中级" and "中级" not in reading.facts.lacks
    assert out.decision["eligible"] is True


def test_what_to_do_after_failing_is_a_procedure_question():
    reading = rules.read("江苏 专技人员考技师没通过 接下来怎么办", as_of=DAY)
    assert reading.intent == "procedure"


def test_years_away_from_the_trade_are_taken_off():
    reading, out = decide("技师证拿了五年 但中间有三年去开网约车了 没干本行 在德阳 能评中级吗")
    assert reading.facts.years_min == 2 and out.decision["eligible"] is False


def test_a_series_the_region_lists_under_another_name():
    assert decide("四川 中职学校的老师 技师5年 能评中职教师系列中级吗")[1].decision["eligible"] is False
    assert decide("上海 中职学校老师 技师4年 能评中职教师系列的中级吗")[1].decision["eligible"] is True


def test_a_level_said_before_a_name_is_that_persons():
    from rules.people import named_clauses
    clauses = named_clauses("两名职工：高级技师张师傅，取证5年；技师李师傅，取证2年。请问张师傅能否申报副高？")
    assert clauses["张师傅"].startswith("高级技师") and "技师李师傅" in clauses["李师傅"]


def test_what_all_of_them_want_is_not_one_persons_words():
    text = "我司（上海）两名员工：小钱取得初级职称1年，小孙取得中级职称4年，均拟申报技师（二级）。请问小钱行不行？"
    reading, out = decide(text)
    assert reading.facts.target == "技师" and out.decision["eligible"] is False


def test_a_pasted_clause_is_not_the_persons_facts():
    text = "“获得中华技能大奖、全国技术能手……可直接申报评审副高级职称”这条能用在我们南通的江苏工匠老吴身上评副高吗？"
    reading, _ = decide(text)
    assert "全国技术能手" not in reading.facts.honours and "江苏工匠" in reading.facts.honours


def test_a_directory_code_written_gbm():
    _, out = decide("江苏目录里GBM40808是哪个系列")
    assert "工艺美术" in out.answer


@pytest.mark.parametrize("text, kind", [("我是中级 成都 干了六年 能往上评啥", "clarify"), ("我中级才拿了8个月 黄石的 能报高级技师不", "rules")])
def test_a_bare_zhongji_is_confirmed_unless_a_skill_level_is_wanted(text, kind):
    assert decide(text)[1].route == kind


def test_self_employed_in_jiangsu_cites_the_scope_clause_that_names_them():
    _, out = decide("苏州 我自己开了个电器维修店 不在单位 高级工四年了 能评助理级职称吗")
    assert out.decision["eligible"] is True and "自由职业技能人才" in first_quote(out)



@pytest.mark.parametrize("text", ["上海，高级技师干了16年，正高级职称有没有办法评？", "黄石这边，高级技师13年了，正高有没有路子"])
def test_is_there_a_way_is_an_eligibility_question(text):
    reading, out = decide(text)
    assert rules.wants_rules(reading, text) and out.decision["eligible"] is False


def test_held_that_long_is_not_a_wish():
    reading, _ = decide("拿技师四年了，上海，能不能报工程师？")
    assert reading.facts.skill_level == "技师" and reading.facts.target == "中级"


@pytest.mark.parametrize("text, topic", [("在江苏做外卖骑手，按目录评职称归哪个系列", "网约配送员"),
                                         ("面点师在江苏目录里有没有，评职称算哪个系列", "未列明")])
def test_an_occupation_asked_with_the_directory_gets_the_directory_answer(text, topic):
    _, out = decide(text)
    assert topic in out.answer


@pytest.mark.parametrize("text", ["上海这边 有中级职称的人去考高级技师 年限是咋规定的",
                                  "江苏 专技人员考高级技师没评上 能降一级认定技师吗"])
def test_impersonal_rule_and_failure_questions_are_lookups(text):
    reading = rules.read(text, as_of=DAY)
    assert not rules.wants_rules(reading, text)


def test_using_the_honour_again_after_a_promotion_is_the_title_path():
    reading = rules.read("我上个月评上中级了 还能再用这个往上评吗",
                         prior=rules.read("无锡 江苏工匠 现在助理级 能直接评什么", as_of=DAY).carry, as_of=DAY)
    out = rules.decide(reading, DAY, "")
    assert out.decision["direction"] == "skill_to_title" and out.decision["eligible"] is True


def test_full_anniversaries_and_a_level_asked_with_po_ge():
    assert decide("大冶 高级工满两周年了 助理级职称可以报吗")[1].decision["eligible"] is True
    reading, out = decide("四川 国家级一类大赛三人赛项第二名 副高破格行吗")
    assert reading.facts.target == "副高级" and out.decision["eligible"] is True


def test_one_level_up_from_the_title_held():
    reading, out = decide("我是扬州工匠 现在助理级 能直接申报高一级职称吗")
    assert reading.facts.target == "中级" and out.decision["eligible"] is False


def test_who_of_two_regions_is_a_comparison():
    _, out = decide("高级技师干了十一年没有副高 四川和上海谁能评正高")
    assert out.route == "rules" and "四川省" in out.answer and "上海市" in out.answer  # each region answered


def test_a_year_spelled_digit_by_digit_is_a_date_not_years():
    from rules.text import digit_years
    assert digit_years("二〇二四年十二月拿的") == "2024年12月拿的"
    assert digit_years("二零二一年拿证") == "2021年拿证"
    assert digit_years("干了二十年") == "干了二十年"          # a number of years stays as it is
    _, out = decide("二〇二五年三月拿到的高级工，在上海，单位能聘我初级不")
    assert out.decision["eligible"] is False                # 1 year 8 months, not 25 years
    _, out = decide("二〇二三年三月拿到的技师，黄石的，现在可以报中级不")
    assert out.decision["eligible"] is True


def test_zhu_li_typed_with_the_wrong_li_is_assistant_level():
    reading, _ = decide("南京这边，助里工程师才半年，想去考技师")
    assert reading.facts.title_level == "助理级"


def test_mo_de_before_a_skill_certificate_is_having_none():
    reading, _ = decide("我莫得啥技能等级证 在德阳干了十年 评得了职称不")
    assert "技能等级" in reading.facts.lacks


def test_a_short_clause_a_rule_cites_is_quoted_whole(assistant):
    """A rule names one half of an item ("或取得高级技师…满10年"); the citation quotes the whole
    item, as lookups quote a short clause, so the pasted text is the document's item."""
    answer = assistant.ask("成都，高级技师干了十二年，能报正高吗", as_of="2026-11-30")
    first = answer["citations"][0]
    assert "取得副高级职称后" in first["quote"] and "满10年" in first["quote"]
    assert not first["cut_before"] and not first["cut_after"]


def test_a_title_used_to_sit_a_skill_level_is_held_and_a_comparison_follows_that_direction(assistant):
    reading, _ = decide("我拿助理级职称去考高级工，在宜宾，职称拿了三年")
    assert reading.facts.title_level == "助理级" and reading.facts.target == "高级工"
    answer = assistant.ask("专技人员拿助理级职称去考高级工，四川和黄石要求有啥不同", as_of="2026-11-30")
    assert "专业技术人才申报职业技能等级" in answer["answer"]
    assert "高技能人才申报职称" not in answer["answer"]


def test_a_level_corrected_in_the_same_turn_is_the_later_one():
    reading, out = decide("大冶这边，我技师做了四年，哦不对说错了，是高级工，想报中级")
    assert reading.facts.skill_level == "高级工"
    assert out.decision["eligible"] is False


def test_de_liao_after_a_level_asks_for_it():
    reading, out = decide("宜宾的，副高职称，累计工作才七年，高级技师评得了不")
    assert reading.facts.target == "高级技师" and reading.facts.title_level == "副高级"
    assert out.decision["eligible"] is False


@pytest.mark.parametrize("text, held, target", [
    ("我在四川，去年聘上了特级技师，还能往首席技师评不", "特级技师", "首席技师"),
    ("宜宾，本人特级技师，厂里能不能评我首席技师", "特级技师", "首席技师"),
])
def test_appointed_is_held_and_a_level_after_ping_wo_is_wanted(text, held, target):
    reading, out = decide(text)
    assert reading.facts.skill_level == held and reading.facts.target == target
    assert out.decision["eligible"] is None        # the only clause is in a document no longer in force


@pytest.mark.parametrize("text, lo, hi", [
    ("南充，高级技师今年是第十个年头，正高能报吗", 9, 10),
    ("江阴的，技师干到第3年了，想报中级", 2, 3),
    ("黄石 技师干了十几年了 中级能报不", 11, 20),
])
def test_years_said_as_the_nth_year_or_ten_and_some(text, lo, hi):
    reading, _ = decide(text)
    assert lo <= reading.facts.years_min < hi and reading.facts.years_max < hi


def test_never_sat_any_grade_certificate_with_no_first_person_is_a_no():
    _, out = decide("无锡 做钳工十几年 从来没考过任何等级证 评得了职称不")
    assert out.route == "rules" and out.decision["eligible"] is False


def test_all_four_places_asked_together_is_a_comparison_of_every_region(assistant):
    answer = assistant.ask("这四个地方，技师申报中级各要干满几年", as_of="2026-11-30")
    assert answer["route"] == "rules"
    for region in ("四川省", "上海市", "湖北省黄石市", "江苏省"):
        assert region in answer["answer"]


def test_a_level_taken_back_with_a_bu_shi_is_replaced():
    reading, _ = decide("大冶 高级技师六年 哦不是 是技师六年 副高能报不")
    assert reading.facts.skill_level == "技师"


def test_le_mei_you_after_a_level_asks_for_it():
    reading, out = decide("乐山 高级技师拿证两年半 副高能报了没有")
    assert reading.facts.target == "副高级" and reading.facts.title_level is None
    assert out.decision["eligible"] is False


def test_an_honour_invoked_with_an_is_not_held():
    reading, out = decide("我是江西省技术能手 来上海上班了 能不能按上海市技术能手聘初级")
    assert "上海市技术能手" not in reading.facts.honours
    assert out.decision["eligible"] is not True


def test_whether_the_regions_are_all_the_same_is_a_comparison(assistant):
    answer = assistant.ask("高级工评助理级 上海 江苏 两边是不是一样的年限", as_of="2026-11-30")
    assert answer["route"] == "rules" and "上海市" in answer["answer"] and "江苏省" in answer["answer"]
    assert (answer["decision"] or {}).get("eligible") is None


def test_what_to_take_along_is_a_lookup_even_with_a_level_stated(assistant):
    answer = assistant.ask("我在南京 有中级职称 想去考技师 要带啥证件去", as_of="2026-11-30")
    assert answer["route"] == "retrieval"


def test_what_a_list_leaves_out_is_a_lookup_of_the_note_that_says_so(assistant):
    answer = assistant.ask("江苏那个对应目录里找不到我这个工种，没列的怎么算", as_of="2026-11-30")
    assert answer["route"] == "retrieval"
    assert "未列明" in answer["citations"][0]["quote"]


@pytest.mark.parametrize("text", ["四川 文物博物系列里算不算群众文化", "黄石 艺术系列在不在贯通范围里"])
def test_whether_a_series_is_included_is_the_series_table(assistant, text):
    answer = assistant.ask(text, as_of="2026-11-30")
    assert answer["route"] == "rules" and "贯通领域" in answer["answer"]


@pytest.mark.parametrize("text", ["上海和江苏 技师能不能评中级", "四川和黄石 副高转高级技师的要求差在哪"])
def test_two_places_and_nobodys_case_is_a_comparison(assistant, text):
    answer = assistant.ask(text, as_of="2026-11-30")
    assert answer["route"] == "rules" and "对比" in answer["answer"].split("\n")[0]


@pytest.mark.parametrize("text", ["四川 国家级一类竞赛要第几名才能破格评副高",
                                  "请提供黄人社发〔2021〕12号里技师申报中级职称的原文"])
def test_what_the_rule_asks_and_a_request_for_the_text_are_lookups(assistant, text):
    assert assistant.ask(text, as_of="2026-11-30")["route"] == "retrieval"


@pytest.mark.parametrize("text, words", [
    ("大冶 技师五年 水平能力测试考了没通过 中级还能报吗", "水平能力测试"),
    ("浦东 技师四年 单位不给推荐 自己能报中级职称吗", "单位推荐"),
])
def test_a_stated_failure_of_a_standard_condition_is_a_no_from_its_clause(text, words):
    reading, out = decide(text)
    assert reading.facts.unmet
    assert out.decision["eligible"] is False
    assert words in first_quote(out)


def test_a_school_teacher_rank_names_a_series_not_listed():
    reading, out = decide("常州 我是小学高级教师 中级职称三年 能考技师吗")
    assert reading.facts.series == "中小学教师"
    assert out.decision["eligible"] is False


def test_a_contest_placing_short_of_the_item_cites_the_contest_item():
    _, out = decide("德阳 国家级一类竞赛 三人赛项得了第3名 可以破格报副高不")
    assert out.decision["eligible"] is False
    assert "三人赛项前2名" in first_quote(out)


def test_a_date_before_ping_shang_de_belongs_to_the_level_after_it():
    reading, out = decide("本人高级技师，2020年3月评上的副高，一直在一线，四川，正高现在够了吧")
    assert reading.facts.title_level == "副高级" and out.decision["eligible"] is True


def test_nong_ge_sha_asks_what_is_open():
    reading, _ = decide("阿拉在闵行 高级工三年多了 能搞个啥职称")
    assert reading.asks_eligibility or reading.intent == "eligibility"
    assert rules.wants_rules(reading, "阿拉在闵行 高级工三年多了 能搞个啥职称")


def test_a_failed_grading_of_a_level_is_not_holding_it():
    reading, out = decide("技师鉴定没通过，高级工做了四年，宜宾，中级职称可以报不")
    assert reading.facts.skill_level == "高级工" and out.decision["eligible"] is False


def test_having_no_honour_is_not_an_honour_to_ask_about():
    _, out = decide("浦东 高级技师十五年 也没什么荣誉 正高能不能评")
    assert out.route == "rules" and out.decision["eligible"] is False


def test_gao_ji_gong_typed_with_gong_of_public_is_read():
    reading, _ = decide("常州 高级公三年了 助理级行不行")
    assert reading.facts.skill_level == "高级工"


def test_a_title_obtained_through_the_path_dates_the_title():
    reading, out = decide("本人四川高级技师，2019年通过贯通评上的副高，一直在一线，正高能报不")
    assert reading.facts.title_level == "副高级" and out.decision["eligible"] is True


def test_failing_the_floor_level_is_no_skill_basis():
    _, out = decide("宜宾 高级工考了三回都没考过 干了十年 评得了职称不")
    assert out.route == "rules" and out.decision["eligible"] is False


def test_a_region_not_yet_decided_is_asked():
    _, out = decide("我在四川和上海都有活 以后在哪边还没定 高级技师十一年了 正高能报不")
    assert out.route == "clarify"


@pytest.mark.parametrize("text, target", [
    ("常州 高级技师2023年1月拿的 副高够年限没", "副高级"),
    ("江苏工匠 手上中级职称 能直接跳到正高不", "正高级"),
])
def test_a_level_asked_with_gou_nian_xian_or_tiao_dao_is_wanted(text, target):
    reading, _ = decide(text)
    assert reading.facts.target == target and reading.facts.title_level != target


def test_a_pasted_sentence_asked_about_is_a_lookup(assistant):
    answer = assistant.ask("黄石文件里这句“取得助理级职称后，累计工作年限达到高级工（三级）申报条件”说的是申报什么", as_of="2026-11-30")
    assert answer["route"] == "retrieval" and answer["citations"][0]["doc"] == "黄人社发〔2021〕12号"
