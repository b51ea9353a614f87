"""What kind of question a text is: an eligibility question about a person's path, a question the
rule module answers (eligibility, fact tables, a region comparison), another HR topic, or a lookup."""

from __future__ import annotations

import re

from . import lexicon
from .cues import NEGATIVE_ASK, OPEN_TARGET, normalise
from .durations import bare_years_answer
from .facts_tables import fact_topic
from .honour_spans import team_size
from .model import Facts
from .reading_cues import NO_SKILL_CERT
from .slots import extract_facts

ELIGIBILITY_CUES = re.compile(
    r"能不能|能否|可不可以|可以|可否|能.{0,8}[吗么]|能评|能申报|能报|能考|能拿|能升|能参评|够不够|够没|够吗|够了吗|够格|符合|满足|资格|"
    r"还差|还要|几年|多少年|多久|什么时候|何时|哪年|哪一年|直通|破格|绿色通道|直接申报|直接认定|晋升|晋级|评上|有没有机会|"
    r"行不行|得不得行|有戏|申报什么|评什么|考什么|报什么|对应.{0,4}(职称|等级)|能走|条件|"
    r"(想|要|打算|准备|计划).{0,6}(评|申报|报|考|参评|参加|申请|弄|搞|拿)|直接评|"
    r"[能可行].{0,12}(不|没)[？?。!！]*$|"
    # negative-phrased: "是不是就评不了正高", "是不是没戏了", "难道不能评中级吗"
    r"难道|是不是.{0,6}" + NEGATIVE_ASK + "|" + NEGATIVE_ASK + r".{0,3}[吗么嘛吧啊][？?。!！]*$|没戏|没希望|没指望"
)
# Another HR topic is the subject (个税、社保、公积金、落户积分 …): the pathway documents do not
# decide it, so the rule module never claims such a question (the router's scope gate answers it).
_OTHER_HR = re.compile(
    r"个税|个人所得税|所得税|专项附加扣除|附加扣除|税前扣除|抵税|退税|"
    r"社保|社会保险|养老保险|养老金|退休金|医保|医疗保险|失业保险|失业金|生育保险|公积金|"
    r"落户|入户|户口|户籍|居转户|居住证|"
    r"劳动合同|劳动仲裁|加班费|最低工资|离职补偿|经济补偿"
)
# the same words as background of a pathway question ("户口在外地", "社保在苏州交", "刚落户上海")
_OTHER_HR_BACKGROUND = re.compile(
    r"(户口|户籍|社保|社会保险|公积金|档案)(关系)?(和[^，。]{0,6})?(也|都)?(在|是|落在|挂在|转到|挂|交在|缴在).{0,8}?(?=[，。,.;；！!？?]|的|$)|"
    r"(社保|公积金|养老保险|医保)(交|缴纳|缴|断)(了|满|着)?(?!费|基数|比例|多少|标准|什么|啥|怎么)|"
    r"(刚|已|已经|早就|早已)(落户|入户)"
)


def strip_hr_background(text: str) -> str:
    """The text with other-HR words used as background blanked out ("社保交了5年" in a pathway
    question), so a topic check on the rest sees only what is asked about."""
    return _OTHER_HR_BACKGROUND.sub(lambda m: "＃" * len(m.group(0)), text)


class _OtherHrTopic:
    """`OTHER_HR_TOPIC.search(text)`: the other HR subject (个税、社保、公积金、落户…) a question asks
    about, ignoring the same words used as background of a pathway question."""

    @staticmethod
    def search(text: str) -> re.Match[str] | None:
        return _OTHER_HR.search(strip_hr_background(text))


OTHER_HR_TOPIC = _OtherHrTopic()
# A question about the policy document itself (its goal year, guiding ideas, principles, tasks).
POLICY_BACKGROUND = re.compile(
    r"目标|指导思想|基本原则|原则是|主要任务|重点任务|意义|背景|到哪一?年|哪一?年(建成|完成|实现|形成)|"
    r"什么时候(建成|完成|实现|形成|出台|发布|印发)|由谁负责|组织实施|保障措施|总体要求"
)
PERSON_CUES = re.compile(r"我|本人|俺|自己|咱|鄙人")
# "那换成在黄石呢？" / "要是在江苏呢" / "江苏的话": a follow-up that only switches the region
REGION_SWITCH = re.compile(r"呢|换成|换到|改成|改到|要是|如果|假如|假设|的话|那在|那么在|调到|去了|搬到|又如何|会怎样|怎么样")
HOW_MANY = re.compile(r"(?<![十好])几年|多少年|多久|多长时间|什么条件|啥条件|哪些条件|要啥|需要什么|要什么|怎么申报|如何申报|怎样申报")
PRO_EXAMS = re.compile(r"翻译|会计|统计|审计|经济师|出版|通信|计算机技术与软件|资格考试")
LOOKUP_ONLY = re.compile(
    r"流程|程序|材料|在哪|哪里|受理|提交|公示|网站|电话|费用|收费|报名时间|截止|步骤|怎么办理|去哪|"
    r"综合评审|评审方式|评价方式|考核方式|怎么评的|如何评价|怎样评价"
)
ENOUGH_YEARS = re.compile(r"(够|满|到)(没)?\s*[0-9一二三四五六七八九十两]+\s*年(了)?(吗|么|没|不|没有)|够不够\s*[0-9一二三四五六七八九十两]+\s*年")
# "能评职称吗" / "可以考技能等级不": a cue about the asker's own path with only a generic object.
GENERIC_OWN_PATH = re.compile(r"(能|可以|可不可以|能不能|可否|想|要|打算|准备)(评|申报|报|考|参评|申请)个?(职称|技能等级|等级证|技能证)")


def is_eligibility_question(text: str, facts: Facts) -> bool:
    """True for can-I-apply / what-can-I-apply-for / how-many-years questions about a person's
    path; False for pure lookups ("申报流程是什么") and fact-table questions (待遇比照 …)."""
    norm = normalise(text)
    if not norm:
        return False
    if OTHER_HR_TOPIC.search(norm):
        return False  # 个税/社保/公积金/落户…: not a pathway question
    stated = extract_facts(norm, None)
    open_question = bool(OPEN_TARGET.search(norm) or re.search(r"(什么|哪些|哪个|哪一?级)(职称|技能等级|等级)", norm))
    credential_stated = bool(stated.skill_level or stated.title_level or stated.honours or stated.lacks
                             or NO_SKILL_CERT.search(norm))  # "从来没考过任何等级证": they hold none
    personal = bool(credential_stated or stated.has_years or stated.target or open_question)
    first_person = bool(PERSON_CUES.search(norm))
    if not (credential_stated or stated.target or first_person) and POLICY_BACKGROUND.search(norm):
        return False  # "…改革的目标是到哪一年建成": about the document, not a person
    topic = fact_topic(norm)
    if topic == "treatment":
        return False  # 待遇/比照 questions are fact-table questions even when a level is named
    if facts.contest_place is not None and team_size(norm) and (facts.asked == "honour" or len(norm) <= 16):
        return True  # "是三人赛项": the team size of the placing asked about
    if _continues_conversation(norm, stated, facts, personal):
        return True
    if credential_stated and ENOUGH_YEARS.search(norm):
        return True  # "技师2023年12月取得，够3年吗": whether the person's own years are enough
    if not first_person and not stated.has_years and HOW_MANY.search(norm):
        return False  # "…要过几年才能申报" asks for the rule itself: a lookup
    if PRO_EXAMS.search(norm) and not stated.target:
        return False  # 翻译/会计等专业技术人员职业资格考试 are not levels this module decides
    if facts.asked and (personal or stated.regions or stated.uncovered_region or bare_years_answer(norm)):
        return True  # answering our follow-up
    if topic and not (stated.target and (stated.skill_level or stated.title_level)):
        return False
    if LOOKUP_ONLY.search(norm) and not ELIGIBILITY_CUES.search(norm):
        return False
    if LOOKUP_ONLY.search(norm) and not first_person and not stated.has_years:
        return False  # "申报技师、高级技师评价的综合评审怎么评": levels named, nobody's path
    if GENERIC_OWN_PATH.search(norm) and not LOOKUP_ONLY.search(norm):
        return True  # nothing known yet: the follow-up asks for region, then credential
    if stated.target and credential_stated and not LOOKUP_ONLY.search(norm):
        return True  # "本人正高，准备弄个高级技师": a held credential and a wanted level
    if (credential_stated and (first_person or re.search(r"现在是|目前是|现在有|目前有", norm) or (stated.regions and len(norm) <= 14)) and not LOOKUP_ONLY.search(norm)
            and not re.search(r"[?？吗呢么嘛啥什么哪怎如何多少几谁]|是否|能否|可否|要不要|有没有", norm)):
        return True  # "四川，我是技师，5年了": the person states their case; what they may apply for follows
    if open_question and credential_stated and not LOOKUP_ONLY.search(norm):
        return True  # "我是技师，还能往上考啥": what the person may apply for next
    if not ELIGIBILITY_CUES.search(norm):
        return False
    if LOOKUP_ONLY.search(norm) and not (stated.skill_level or stated.title_level or stated.honours or stated.has_years):
        return False
    return personal or bool(stated.regions and (facts.skill_level or facts.title_level))


def _carried(facts: Facts, stated: Facts) -> bool:
    """True when the merged facts hold something this turn did not state (an earlier turn did)."""
    return bool(
        (facts.region and not stated.regions)
        or (facts.target and not stated.target)
        or (facts.skill_level and not stated.skill_level)
        or (facts.title_level and not stated.title_level)
        or (facts.honours and not stated.honours)
        or (facts.has_years and not stated.has_years)
    )


def _continues_conversation(norm: str, stated: Facts, facts: Facts, personal: bool) -> bool:
    """A turn that only adds facts to an earlier eligibility question is an eligibility question:
    "那要是换到德阳呢" (only the region changes) or "本人三级工，证拿了一年多" (after "想在上海评中级")."""
    if not _carried(facts, stated):
        return False
    if fact_topic(norm):
        return False  # "技师相当于什么职称" stays a fact-table question mid-conversation
    about_person = bool(facts.skill_level or facts.title_level or facts.honours or facts.target or facts.lacks)
    if stated.regions and len(stated.regions) == 1 and not personal and about_person:
        rest = norm
        for alias in sorted(lexicon.region_aliases(), key=len, reverse=True):
            rest = rest.replace(alias, "")
        return bool(REGION_SWITCH.search(norm)) or len(re.sub(r"[，。,.!！?？呢吗啊呀吧的在那]", "", rest)) <= 2
    if stated.uncovered_region and not personal and about_person and REGION_SWITCH.search(norm):
        return True
    stated_facts = bool(stated.skill_level or stated.title_level or stated.honours or stated.has_years or stated.lacks)
    return stated_facts and not HOW_MANY.search(norm) and not LOOKUP_ONLY.search(norm) and not PRO_EXAMS.search(norm)


def is_rules_question(text: str, facts: Facts) -> bool:
    """True when the rule module should answer: eligibility, fact tables, or a region comparison."""
    norm = normalise(text)
    if OTHER_HR_TOPIC.search(norm):
        return False
    if is_eligibility_question(norm, facts) or fact_topic(norm):
        return True
    stated = extract_facts(norm, None)
    if len(stated.regions) < 2:
        return False
    # two regions and a comparison word, or a path named ("技师评中级，四川和上海各要几年")
    path_named = bool(stated.target or stated.skill_level or stated.title_level or stated.honours)
    return bool(COMPARE_WORDS.search(norm)) or path_named


COMPARE_WORDS = re.compile(
    r"不同|区别|差别|差异|差在哪|差哪|比较|对比|一样|有何不同|相比|[跟和与].{1,4}比|哪个|哪边|哪里|哪儿|最短|最长|更快|更容易|各|分别|两地|都要|都是|"
    r"哪些地方|哪几个地方|哪些地区|哪几个地区|哪个地方|哪些省|哪几地|谁能|谁可以|谁家"
)
