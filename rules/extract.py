"""Deterministic fact extraction from colloquial Chinese (simplified or traditional): region,
skill/title levels and their aliases, years in any form, honours, assessment status, negations,
target level and direction. `extract_facts(text, prior)` merges with the previous turn's facts
so a bare follow-up answer ("5年", "上海") fills the missing slot."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

import zhconv

from . import lexicon
from .model import SKILL_TO_TITLE, TITLE_TO_SKILL, Facts
from .years import JUST_UNDER

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
NUM = r"(\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十]{1,3})"
FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

# "没(有)(能/去/曾)(评/拿/考/取得…)(上/到)(过)" + level: the level is not held. "有没有技师…" is a question.
_NEG_WORD = r"(?:从来没有|从来没|从没有|从没|从未|未曾|尚未|还没有|还没|没有|没|无|未|不曾|不是|还不是|并非|非)"
_NEG_VERB = (r"(?:取得|拿到|考到|考取|考上|获得|评上|评到|评下来|拿下|通过|申报|评审|晋升|升到|评|拿|考|报|弄|搞|升)")
NEG_BEFORE = re.compile(r"(?<!有)" + _NEG_WORD + r"(?:能|去|有|曾|曾经)?" + _NEG_VERB + r"?(?:上|到|下来|下)?(?:过)?"
                        r"(?:个|一个)?$")
# level + (也/都/还/嘛，) + 没(评/拿/考)(上/过): "副高也没评过", "高级技师还没考", "副高嘛，没评上"
NEG_AFTER = re.compile(
    r"^(?:证书|证|职称|等级|资格)?(?:[也都还呢嘛吧啊呀哈，,、…]|的话|倒是|其实|我|暂时|目前|至今|到现在|一直|始终|迄今|到今天|这么多年|"
    r"考了|报了|报名了|参加了|去考了|考过一次|但是|可是|不过|结果|但){0,4}"
    + _NEG_WORD + r"(?:(?:能|去|有|曾|曾经)?" + _NEG_VERB + r"(?:上|到|下来|下|出来)?(?:过)?(?:呢|啊|呀|的)?"
    r"(?=[，。,.！!？?；;、~…]|$|也|但|可|不过|只|就|所以|能|现在|目前|是|我|想|打算|准备|请问|还)"
    r"|(?=[，。,.！!？?；;、~…]|$|过))"
)
PAST_BEFORE = re.compile(r"(取得|拿到|考到|考取|获得|评上|评到|考了|评了|拿了|是|有|持有|持|具有|具备|已是|已经是|当了|做了|干了)"
                         r"(了)?$")
TARGET_BEFORE = re.compile(
    r"(申报|申请|参评|参加|评审|评|考|报考|报名|报|升|晋升|晋级|认定|走|冲|转|拿|申报评审|直接申报|破格申报|破格|聘任|聘|"
    r"弄|搞|整|混)"
    r"(不了|不上|不到|不成|得了|得上|不)?(上|到|成|出)?(个|一个|一下|下|张|一张|本|一本)?$"
)
# 想/要/打算/准备… earlier in the same clause: what follows is wanted, not held ("想考个高级技师证").
# 想知道/想问/需要/要求/只要 are not wishes for a level.
WISH_IN_CLAUSE = re.compile(
    r"(想|(?<![需只主重不])要(?!求|是|几|多|满|什么|啥|哪)|打算|准备|计划|希望|争取|考虑|奔着|目标是|拟)"
    r"(?!知道|问|了解|咨询|请教|确认|查|打听|弄清|搞清)"
)
HYPOTHETICAL_HELD = re.compile(r"(我要是|要是我|如果我|假如我|假设我|我如果|我假如|换成我)(是|有|已经是|拿了|考了|取得了)?$")
# a level followed by a negative-phrased question about reaching it
NEGATIVE_ASK = (r"(没戏|没希望|没指望|没机会|没资格|没门|无望|不行|不可能|不能|不可以|没法|没办法|"
                r"(评|考|报|申报|参评|申请|拿|升|晋升|认定)不(了|上|到|成|下来))")
NEGATIVE_ASK_AFTER = re.compile(r"(职称|证)?(是不是|是否|会不会|肯定|估计|应该|那|我)?(就|还|也|都|根本|彻底)?" + NEGATIVE_ASK)
CLAUSE_BREAK = re.compile(r"[，。；;！!？?,、\n]")
TARGET_MODAL = re.compile(r"(能|可以|可否|能否|能不能|可不可以|想|要|打算|准备|如何|怎么|怎样|怎么样才能|是否可以|够|有资格)")
OPEN_TARGET = re.compile(r"(能|可以|可)(申报|申请|评|考|报|参评|拿)(什么|哪些|哪个|哪一?级|啥|几级)")
TITLE_WORDS = re.compile(r"评职称|职称评审|申报职称|什么职称|哪些职称|哪个职称|哪一级职称|职称")
SKILL_WORDS = re.compile(r"技能等级|职业技能评价|技能评价|等级认定|技能鉴定|职业资格鉴定|考技能|什么等级|哪个等级|技能证")


@dataclass
class _Mention:
    start: int
    end: int
    kind: str  # skill | title | honour | place
    key: str


def normalise(text: str) -> str:
    """Traditional → simplified, full-width digits → ASCII, spaces collapsed."""
    text = zhconv.convert(text or "", "zh-cn").translate(FULLWIDTH)
    return re.sub(r"[ \t\u3000]+", "", text)


def cn_number(token: str) -> float | None:
    """'3' → 3, '三' → 3, '十二' → 12, '两' → 2."""
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    if not token:
        return None
    if "十" in token:
        left, _, right = token.partition("十")
        tens = CN_DIGITS.get(left, 1) if left else 1
        ones = CN_DIGITS.get(right, 0) if right else 0
        return float(tens * 10 + ones)
    if all(ch in CN_DIGITS for ch in token):
        value = 0
        for ch in token:
            value = value * 10 + CN_DIGITS[ch]
        return float(value)
    return None


def _scan(text: str, vocab: dict[str, tuple[str, str]], taken: list[tuple[int, int]]) -> list[_Mention]:
    """Longest-first, non-overlapping alias matches outside already-taken spans."""
    out: list[_Mention] = []
    for alias in sorted(vocab, key=len, reverse=True):
        start = 0
        while True:
            idx = text.find(alias, start)
            if idx < 0:
                break
            end = idx + len(alias)
            if not any(idx < t_end and end > t_start for t_start, t_end in taken):
                kind, key = vocab[alias]
                out.append(_Mention(idx, end, kind, key))
                taken.append((idx, end))
            start = idx + 1
    return sorted(out, key=lambda m: m.start)


def _exclusion_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for phrase in lexicon.skill_alias_exclusions():
        for m in re.finditer(re.escape(phrase), text):
            spans.append((m.start(), m.end()))
    return spans


# ------------------------------------------------------------------------------------------- honours


def _honours(text: str, taken: list[tuple[int, int]]) -> list[str]:
    return list(dict.fromkeys(key for _, _, key in honour_mentions(text, taken)))


def honour_mentions(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Honours named in `text` (not negated), each with its span: (start, end, honour key)."""
    hits: list[tuple[int, int, str]] = []
    for pattern, key in lexicon.honour_span_patterns():
        for match in re.finditer(pattern, text):
            if not any(match.start() < t_end and match.end() > t_start for t_start, t_end in taken):
                hits.append((match.start(), match.end(), key))
                taken.append((match.start(), match.end()))
    vocab = {alias: ("honour", key) for alias, key in lexicon.honour_aliases().items()}
    mentions = _scan(text, vocab, taken)
    hits.extend((m.start, m.end, m.key) for m in mentions)
    alias_spans = [(start, end) for start, end, _ in hits]
    for pattern, key in lexicon.honour_patterns():
        for match in re.finditer(pattern, text):
            # a piece already read as part of a longer honour ("世赛金奖选手…组长") is not a medal
            if any(match.start() < a_end and match.end() > a_start and (a_end - a_start) > (match.end() - match.start())
                   for a_start, a_end in alias_spans):
                continue
            piece = text[match.start():match.end() - 2]
            if re.search(r"[，,；;。]", piece) and re.search(r"国赛|全国|省赛|市赛|省级|市级|行业|[一二三]等奖", piece):
                continue  # "世赛金牌，国赛银牌": the silver belongs to another competition
            hits.append((match.start(), match.end(), key))
    ranked = _national_class_one(text)
    if ranked:
        hits.append(ranked)
    found: list[tuple[int, int, str]] = []
    for start, end, key in sorted(hits):
        after = text[end:end + 14]
        before = text[max(0, start - 8):start]
        if "教练" in after or "教练" in before:
            # the coach of a medallist, not the medallist (also via an implied name: 国赛金牌 ⇒ 职业技能大赛金牌)
            coaches = [f"{k}指导教练" for k in (key, *lexicon.honours().get(key, {}).get("implies", []))]
            coach = next((c for c in coaches if c in lexicon.honours()), None)
            if coach:
                key = coach
            elif key == "世界技能大赛铜牌以上":
                key = "世界技能大赛奖牌指导教练"
        # a piece said across clauses ("世赛金牌没拿到，只拿了银牌"): the negation before the medal word counts
        neg_at = end - 2 if re.search(r"[，,；;]", text[start:end]) else start
        if NEG_BEFORE.search(text[max(0, neg_at - 8):neg_at]) or NEG_AFTER.search(text[end:end + 16]):
            continue
        for pattern, becomes in lexicon.honour_qualifiers().get(key, ()):
            if re.search(pattern, text[max(0, start - 10):end + 16]):
                key = becomes  # "一等奖，不过是学生组的": the group the clause does not list
                break
        found.append((start, end, key))
    return found


CLASS_ONE = re.compile(r"(国家级|国家|全国)?一类(技能|职业技能)?(竞赛|大赛|比赛|赛事|赛项|赛)")
CLASS_ONE_UNKNOWN_TEAM = "国家级一类技能竞赛前5名（赛项人数未说明）"
PLACE_WORDS = {"冠军": 1, "亚军": 2, "季军": 3}
TEAM_PATTERNS = (  # checked in this order: "三个人" and "两个人" contain "个人"
    (3, re.compile(r"(三|3|仨)(个)?人|仨(组队|一组|一起)")),
    (2, re.compile(r"(双|两|俩|2|二)(个)?人|搭档|俩(组队|一组|一起)")),
    (1, re.compile(r"个人|单人|独自")),
)


def _team_size(text: str) -> int | None:
    """赛项人数 stated in the text: 1 (个人/单人), 2 (双人/两人搭档), 3 (三人组队), else None."""
    for size, pattern in TEAM_PATTERNS:
        if pattern.search(text):
            return size
    return None


def _class_one_place(text: str) -> tuple[int, int, int] | None:
    """(start, end, place) of a 国家级一类技能竞赛 placing ("第3名", "得了第三", "季军", "前五")."""
    m = CLASS_ONE.search(text)
    if not m:
        return None
    tail = text[m.end():m.end() + 30]
    # "前5名" restates the clause itself (an alias); only a stated place (第N名/冠亚季军) is ranked here
    pm = re.search(r"第\s*" + NUM + r"\s*(名)?|(冠军|亚军|季军)", tail)
    if not pm:
        return None
    if pm.group(3):
        place = PLACE_WORDS[pm.group(3)]
    else:
        value = cn_number(pm.group(1) or "")
        if value is None:
            return None
        place = int(value)
    return m.start(), m.end() + pm.end(), place


def class_one_key(place: int, team: int | None) -> str:
    """川 附件1 六（二）3: 前5名（双人赛项前3名、三人赛项前2名）. Places 3–5 with the team size
    unstated leave the team condition open; 1–2 qualify whatever the team size."""
    limit = {1: 5, 2: 3, 3: 2}
    if team is None:
        if place <= 2:
            return "国家级一类技能竞赛前5名"
        return CLASS_ONE_UNKNOWN_TEAM if place <= 5 else "国家级一类技能竞赛获奖（未达破格名次）"
    return "国家级一类技能竞赛前5名" if place <= limit[team] else "国家级一类技能竞赛获奖（未达破格名次）"


CLASS_ONE_KEYS = ("国家级一类技能竞赛前5名", CLASS_ONE_UNKNOWN_TEAM, "国家级一类技能竞赛获奖（未达破格名次）")


def _national_class_one(text: str) -> tuple[int, int, str] | None:
    """国家级一类技能竞赛 placings with the team size found anywhere in the text."""
    found = _class_one_place(text)
    if not found:
        return None
    start, end, place = found
    return start, end, class_one_key(place, _team_size(text))


# ------------------------------------------------------------------------------------------- regions


def _regions(text: str, taken: list[tuple[int, int]]) -> tuple[list[str], str | None, bool]:
    """(covered region keys in order, uncovered place, region_from_province)."""
    vocab = {alias: ("place", key) for alias, key in lexicon.region_aliases().items()}
    mentions = _scan(text, vocab, taken)
    covered: list[str] = []
    uncovered: list[str] = []
    for m in mentions:
        if lexicon.is_covered(m.key):
            covered.append(m.key)
        else:
            uncovered.append(m.key)
    covered = list(dict.fromkeys(covered))
    from_province = False
    if "湖北" in uncovered:
        hubei_cities = set(lexicon._raw().get("hubei_other_cities", []))
        named_other = any(text[m.start:m.end] in hubei_cities for m in mentions)
        if "黄石" in covered:
            uncovered = [u for u in uncovered if u != "湖北"]
        elif not named_other:
            covered.append("黄石")
            uncovered = [u for u in uncovered if u != "湖北"]
            from_province = True
    return covered, (uncovered[0] if uncovered else None), from_province


# ------------------------------------------------------------------------------------------- levels


@dataclass
class _Levels:
    skill: str | None = None
    title: str | None = None
    target: str | None = None
    lacks: tuple[str, ...] = ()
    open_question: bool = False


def _wished(text: str, start: int) -> bool:
    """True when a wish verb (想/要/打算/准备…) precedes the mention in its clause and no held-marker
    (是/有/取得了…) stands between them: "准备弄个高级技师" → wanted; "想问下我是技师" → held."""
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)]
    clause = text[breaks[-1] if breaks else 0:start]
    wish = None
    for wish in WISH_IN_CLAUSE.finditer(clause):
        pass
    if wish is None:
        return False
    between = clause[wish.end():]
    return not re.search(r"(我是|本人是|已经是|已是|现在是|目前是|持有|取得了|拿到了|考到了|评上了|有了|用|凭|拿着|以|从|作为)", between)


def _levels(text: str, taken: list[tuple[int, int]]) -> _Levels:
    vocab = dict(lexicon.level_aliases())
    mentions = _scan(text, vocab, taken + _exclusion_spans(text))
    out = _Levels()
    lacks: list[str] = []
    credentials: list[_Mention] = []
    targets: list[_Mention] = []
    for m in mentions:
        before = text[max(0, m.start - 6):m.start]
        after = text[m.end:m.end + 8]
        if NEG_BEFORE.search(text[max(0, m.start - 8):m.start]) or NEG_AFTER.search(text[m.end:m.end + 16]):
            lacks.append(m.key)
            continue
        if HYPOTHETICAL_HELD.search(before):
            credentials.append(m)  # "那我要是高级技师呢": a supposed credential, not a wish
            continue
        if _wished(text, m.start):
            targets.append(m)  # "希望今年拿到技师证": wanted, even after 拿到/考到
            continue
        if PAST_BEFORE.search(before[-4:]) and not TARGET_MODAL.search(before[-3:]):
            credentials.append(m)
            continue
        is_target = bool(TARGET_BEFORE.search(before[-6:]))
        if not is_target and re.match(r"(职称)?(吗|么|呢|行不行|行吗|行么|行不|成吗|成不|够没|够不够|够吗|够了吗|够不|有戏|有没有戏|有希望|有没有希望|没戏|可以吗|可不可以|需要|要什么|有什么条件|的条件|要几年|需几年|要多少年|需要几年|需要多少年|要满)", after):
            asking = re.sub(r"想(知道|问|了解|咨询|请教|确认|打听)", "", before)
            is_target = bool(credentials) or bool(TARGET_MODAL.search(asking))
        if not is_target and NEGATIVE_ASK_AFTER.match(text[m.end:m.end + 14]):
            is_target = True  # "中级是不是评不上了" / "副高是不是没戏了": asked about, not held
        if not is_target and re.match(
            r"(职称|评价|认定|职业技能评价|资格|等级)?(能|可以|可不可以|能不能|可否|是否可以)(直接|破格)?"
            r"(报|申报|评|考|申请|参加|参评)?了?(吗|么|呢|嘛|[不没](?=[，。？?！!,、]|$)|(?<=[报评考请加])(?=[，。？?！!,、]|$))", after
        ):
            is_target = True
        if is_target:
            targets.append(m)
        else:
            credentials.append(m)
    for m in credentials:
        if m.kind == "skill":
            if out.skill is None or lexicon.level(m.key).rank > lexicon.level(out.skill).rank:
                out.skill = m.key
        else:
            if out.title is None or lexicon.level(m.key).rank > lexicon.level(out.title).rank:
                out.title = m.key
    if targets:
        out.target = targets[0].key
    # "评高级" / "报副高" with a bare 高级: a title target
    if out.target is None and re.search(r"(评|申报|参评|报)(个)?高级(?!工|技师|技工|职称|工程师)", text):
        out.target = "副高级"
    for word, generic in ((r"职称", "职称"), (r"(技能等级|职业资格|技能证|等级证|技能等级证)", "技能等级")):
        if re.search(r"(没有|没|无|还没有|尚无|未取得)(任何)?" + word, text) or re.search(
            r"(任何|什么|啥|一个|一样)?" + word + r"(证书|证)?(一个|一样|啥|什么|任何)?(都|也|还|暂时|目前)?(没有|没|无)"
            r"(?!要求|限制|规定|关系|影响|满|到|几)", text
        ) or re.search(r"(任何|什么|啥|一个)" + word + r"(都|也)(没|不是)", text):
            lacks.append(generic)
    out.lacks = tuple(dict.fromkeys(lacks))
    out.open_question = bool(OPEN_TARGET.search(text)) or bool(re.search(r"(什么|哪些|哪个)(职称|等级|级别)", text))
    if out.open_question and out.target is None:
        out.target = None
    return out


def mentioned_levels(text: str) -> list[str]:
    """Level keys named anywhere in the text (held or wanted), in order of appearance."""
    norm = normalise(text)
    mentions = _scan(norm, dict(lexicon.level_aliases()), _exclusion_spans(norm))
    return list(dict.fromkeys(m.key for m in mentions))


# ------------------------------------------------------------------------------------------- years


# 累计/一共/总共/前前后后/加起来…: the total years in the profession (四川 附件2 “累计从事本专业…达到N年”)
CUMULATIVE_CUES = re.compile(
    r"累计|一共|总共|总计|合计|共计|前前后后|前后加|加起来|加在一起|算起来|算下来|满打满算|从业|工龄|参加工作|"
    r"本专业|本行|这行|本行业|这个行业|这个专业|相关工作.{0,2}(干|做)"
)
# 取得/拿到…以来/后: years since the credential ("前前后后" is not a 后)
SINCE_CUES = re.compile(r"取得|拿到|拿证|考到|考取|获得|评上|评到|拿了|考了|证书|以来|之后|(?<![前后])后(?!后)")


@dataclass
class _Years:
    years_min: float | None = None
    years_max: float | None = None
    obtained: str | None = None
    basis: str | None = None
    found: bool = False


def _years(text: str, as_of: date | None) -> _Years:
    out = _Years()
    # remove phrases whose numbers are not the person's years
    masked = re.sub(r"近\s*" + NUM + r"\s*年(年度)?(考核)?", lambda m: "＃" * len(m.group(0)), text)
    masked = re.sub(r"有效期\s*" + NUM + r"\s*年", lambda m: "＃" * len(m.group(0)), masked)
    # "到哪一年" / "哪几年" ask for a year of the policy, not the person's service years
    masked = re.sub(r"哪(一|几)?年", lambda m: "＃" * len(m.group(0)), masked)
    masked = re.sub(r"\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日起施行", lambda m: "＃" * len(m.group(0)), masked)

    def basis_near(start: int) -> str | None:
        window = masked[max(0, start - 14):start]
        # the number's own clause decides first: "副高，本专业前前后后一共干了六年" is cumulative
        clause = re.split(r"[，。,.;；！!？?、]", window)[-1]
        if CUMULATIVE_CUES.search(clause):
            return "cumulative"
        for part in (clause, window):
            if SINCE_CUES.search(part):
                return "since_credential"
            if re.search(r"工作|干了|从事|做了|工龄|上班", part):
                return "work"
        return None

    # explicit dates: 2022年6月(15日)
    date_match = re.search(r"((?:19|20)\d{2})\s*(?:年|\.|-|/)\s*(?:(\d{1,2})\s*(?:月|\.|-|/)?\s*(?:(\d{1,2})\s*[日号])?)?", masked)
    if date_match and not re.match(r"\s*年(以上|多|半|了)", masked[date_match.end(1):date_match.end(1) + 4]):
        year, month, day = date_match.group(1), date_match.group(2), date_match.group(3)
        if month and 1 <= int(month) <= 12:
            # an impossible day ("2月30日") is dropped: the month is still known
            valid_day = day and 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]
            out.obtained = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if valid_day else "")
        else:
            out.obtained = year
        out.found = True
        out.basis = "since_credential"
        return out
    rel = re.search(r"(大前年|前年|去年|今年)", masked)
    if rel and as_of is not None and re.search(r"(取得|拿到|拿的|考到|考的|考取|获得|评上|评的|拿证|通过|评到)", masked):
        offset = {"大前年": 3, "前年": 2, "去年": 1, "今年": 0}[rel.group(1)]
        out.obtained = str(as_of.year - offset)
        out.found = True
        out.basis = "since_credential"
        return out

    # durations
    patterns: tuple[tuple[str, str], ...] = (
        # 差两个月满三年 → 3年 − 2个月
        ("short_of", r"(差|还差)\s*" + NUM + r"\s*个(多)?月(就|才)?满\s*" + NUM + r"\s*年"),
        # 三年零两个月 / 3年零2个月 / 两年又八个月 / 3年2个月
        ("years_months", NUM + r"\s*年\s*(零|又|加|再)?\s*" + NUM + r"\s*个(多)?月"),
        ("years_months", NUM + r"\s*年\s*(零|又)\s*" + NUM + r"\s*(多)?月"),
        ("below", r"(还没满|还没有满|还没|没满|未满|不满|不到|还不到|没到|差.{0,4}满|快满|快|将近|接近|差不多快)\s*" + NUM + r"\s*(个)?(整)?年"),
        ("below_m", r"(还没满|没满|未满|不满|不到|还不到)\s*" + NUM + r"\s*个月"),
        ("range", r"(?<![\d一二三四五六七八九十])([一二三四五六七八九])([二三四五六七八九十])\s*(个)?年(?!级)"),
        ("half", NUM + r"\s*年半"),
        ("more", NUM + r"\s*(多年|年多|来年)"),
        ("atleast", r"(超过|多于|大于)\s*" + NUM + r"\s*年"),
        ("atleast2", NUM + r"\s*年(以上|及以上|多以上|\+)"),
        ("ago", NUM + r"\s*年前"),
        ("few_months", r"(?<![差满])(才|刚|就|只有|仅)?(几|两三|三四|四五|五六|七八|八九)个(多)?月"),
        ("months", NUM + r"\s*个(多)?月"),
        ("exact", r"(满|整整|已满|已经满|刚满|足)?\s*" + NUM + r"\s*(整)?年"),
        ("half_only", r"(半年)"),
    )
    for kind, pattern in patterns:
        for m in re.finditer(pattern, masked):
            if kind == "few_months":
                out.years_max = 1 - JUST_UNDER
                out.found = True
                out.basis = basis_near(m.start())
                return out
            if kind == "half_only":
                out.years_min = out.years_max = 0.5
                out.found = True
                out.basis = basis_near(m.start())
                return out
            if kind == "range":
                lo_n, hi_n = cn_number(m.group(1)), cn_number(m.group(2))
                if lo_n is None or hi_n is None or hi_n != lo_n + 1:
                    continue
                out.years_min, out.years_max = lo_n, hi_n + 1 - JUST_UNDER
                out.found = True
                out.basis = basis_near(m.start())
                return out
            nums = [g for g in m.groups() if g and cn_number(g) is not None and not re.fullmatch(r"[满整足]", g)]
            if not nums:
                continue
            n = cn_number(nums[0])
            if n is None or n > 60:
                continue
            # a leading 4-digit year was handled above; skip "2年度"
            if masked[m.end():m.end() + 1] == "度":
                continue
            if kind == "short_of":
                months, whole = cn_number(m.group(2)), cn_number(m.group(5))
                if months is None or whole is None or whole > 60:
                    continue
                out.years_max = whole - months / 12
                out.years_min = None if m.group(3) else out.years_max
            elif kind == "years_months":
                months = cn_number(m.group(3))
                if months is None or months >= 12:
                    continue
                out.years_min = out.years_max = n + months / 12
                if m.group(4):
                    out.years_max = n + (months + 1) / 12 - JUST_UNDER
            elif kind == "below":
                out.years_max = n - JUST_UNDER
            elif kind == "below_m":
                out.years_max = n / 12 - JUST_UNDER
            elif kind == "half":
                out.years_min = out.years_max = n + 0.5
            elif kind == "more":
                out.years_min, out.years_max = n, n + 1 - JUST_UNDER
            elif kind in ("atleast", "atleast2"):
                out.years_min = n
            elif kind == "ago":
                out.years_min = out.years_max = n
            elif kind == "months":
                out.years_min = out.years_max = n / 12
                if m.group(2):
                    out.years_max = (n + 1) / 12 - JUST_UNDER
            else:
                out.years_min = out.years_max = n
            out.found = True
            out.basis = basis_near(m.start())
            return out
    return out


# ------------------------------------------------------------------------------------------- main


def _assessment(text: str) -> bool | None:
    if re.search(r"考核.{0,6}(不合格|没合格|没有合格|未合格|没通过|没有通过|未通过|不称职|基本称职|基本合格)", text):
        return False
    if re.search(r"(不合格|没合格|没通过).{0,4}考核", text):
        return False
    if re.search(r"考核.{0,6}(合格|称职|优秀|通过|都过|没问题)", text):
        return True
    return None


def _direction(text: str, levels: _Levels) -> str | None:
    if levels.target:
        return SKILL_TO_TITLE if lexicon.level(levels.target).kind == "title" else None
    has_title_words = bool(TITLE_WORDS.search(text))
    has_skill_words = bool(SKILL_WORDS.search(text))
    if has_title_words and not has_skill_words:
        return SKILL_TO_TITLE
    if has_skill_words and not has_title_words:
        return TITLE_TO_SKILL
    return None


# a follow-up that switches the target: "那正高呢？" "要是评正高级呢" "换成技师呢"
SWITCH_CUE = re.compile(r"呢|换成|换到|改成|改为|改评|改考|要是|如果|假如|假设|的话|那|又如何|会怎样|怎么样|行吗|可以吗|能行吗")
HELD_IN_TURN = re.compile(r"我是|我有|本人是|已经|已是|取得|拿到|持有|有了|我要是|要是我|如果我|假如我|假设我|我现在|我目前|我已")
# "那三年以后呢" / "再过一年呢": the same person some years later (prior years + N)
LATER_YEARS = re.compile(
    r"(?:(?:再过|再等|再干|再做|再熬|等|过)了?\s*" + NUM + r"\s*(个)?(年|个月)(?:以后|之后|后)?"
    r"|" + NUM + r"\s*(个)?(年|个月)(?:以后|之后|后))"
)


def _switch_target(norm: str, levels: _Levels, prior: Facts) -> None:
    """In a short follow-up after a targeted question, a level of the same kind as the earlier
    target, named with a switch cue and no held-marker, is the new target ("那正高呢")."""
    if not prior.target or levels.target or len(re.sub(r"[，。,.!！?？\s]", "", norm)) > 16:
        return
    if not SWITCH_CUE.search(norm) or HELD_IN_TURN.search(norm):
        return
    kind = lexicon.level(prior.target).kind
    for key in mentioned_levels(norm):
        if lexicon.level(key).kind != kind or key not in (levels.skill, levels.title):
            continue
        levels.target = key
        if levels.skill == key:
            levels.skill = None
        if levels.title == key:
            levels.title = None
        return


def _later_years(norm: str, prior: Facts | None) -> _Years | None:
    """"那三年以后呢": the prior years plus N (durations only; a stated date is left as it was)."""
    if prior is None or prior.obtained or not (prior.years_min is not None or prior.years_max is not None):
        return None
    if re.search(r"取得|拿到|拿证|考到|评上|获得|之前|以前|前", norm):
        return None
    m = LATER_YEARS.search(norm)
    if not m:
        return None
    groups = [g for g in m.groups()]
    num = groups[0] if groups[0] is not None else groups[3]
    unit = groups[2] if groups[0] is not None else groups[5]
    n = cn_number(num or "")
    if n is None:
        return None
    delta = n if unit == "年" else n / 12
    lo = prior.years_min + delta if prior.years_min is not None else None
    hi = prior.years_max + delta if prior.years_max is not None else None
    return _Years(years_min=lo, years_max=hi, basis=prior.years_basis, found=True)


def _bare_years_answer(text: str) -> _Years | None:
    """A follow-up answer that is just a number ("5", "五") after we asked for years."""
    m = re.fullmatch(r"[，。,.!！?？\s]*" + NUM + r"[，。,.!！?？\s]*", text)
    if m and cn_number(m.group(1)) is not None:
        n = cn_number(m.group(1))
        return _Years(years_min=n, years_max=n, found=True)
    return None


def extract_facts(text: str, prior: Facts | None = None, as_of: date | None = None) -> Facts:
    """Facts stated in `text`, merged over `prior` (values stated now win; honours accumulate)."""
    norm = normalise(text)
    taken: list[tuple[int, int]] = []
    honours = _honours(norm, taken)
    regions, uncovered, from_province = _regions(norm, taken)
    if not regions and not uncovered:
        implied = [lexicon.honour_regions()[h] for h in honours if h in lexicon.honour_regions()]
        if implied:
            region = implied[0]
            regions, from_province = (["黄石"], True) if region == "湖北" else ([region], False)
    levels = _levels(norm, taken)
    if prior is not None:
        _switch_target(norm, levels, prior)
    years = _years(norm, as_of)
    if not years.found and prior is not None and prior.asked == "years":
        years = _bare_years_answer(norm) or years
    later = _later_years(norm, prior)
    if later is not None:
        years = later
    new = Facts(
        region=regions[0] if regions else None,
        regions=regions,
        uncovered_region=uncovered if not regions else None,
        region_from_province=from_province,
        skill_level=levels.skill,
        title_level=levels.title,
        lacks=list(levels.lacks),
        target=levels.target,
        direction=_direction(norm, levels),
        years_min=years.years_min,
        years_max=years.years_max,
        years_basis=years.basis,
        obtained=years.obtained,
        honours=honours,
        assessment_ok=_assessment(norm),
    )
    placing = _class_one_place(norm)
    if placing or (prior is not None and prior.contest_place is not None):
        new.contest_place = placing[2] if placing else None
        new.contest_team = _team_size(norm)
    if prior is None:
        return new
    return merge(prior, new, years.found, open_question=levels.open_question)


def merge(prior: Facts, new: Facts, years_stated: bool, open_question: bool = False) -> Facts:
    """Carry prior facts forward; anything stated in this turn replaces its slot."""
    merged = replace(prior)
    if new.regions:
        merged.region, merged.regions, merged.uncovered_region = new.region, new.regions, None
        merged.region_from_province = new.region_from_province
    elif new.uncovered_region:
        merged.region, merged.regions, merged.uncovered_region = None, [], new.uncovered_region
        merged.region_from_province = False
    if new.skill_level:
        merged.skill_level = new.skill_level
    if new.title_level:
        merged.title_level = new.title_level
    if new.target:
        merged.target = new.target
    elif open_question:
        merged.target = None
    if new.direction:
        merged.direction = new.direction
    if years_stated:
        merged.years_min, merged.years_max = new.years_min, new.years_max
        merged.obtained, merged.years_basis = new.obtained, new.years_basis
    merged.honours = list(dict.fromkeys([*prior.honours, *new.honours]))
    if new.contest_place is not None or new.contest_team is not None:
        # a new placing or the team size of the earlier one ("三人赛项"): re-read the class-one honour
        merged.contest_place = new.contest_place if new.contest_place is not None else prior.contest_place
        merged.contest_team = new.contest_team if new.contest_team is not None else (
            prior.contest_team if new.contest_place is None else None)
        if merged.contest_place is not None:
            merged.honours = [h for h in merged.honours if h not in CLASS_ONE_KEYS]
            merged.honours.append(class_one_key(merged.contest_place, merged.contest_team))
    held = {merged.skill_level, merged.title_level}
    merged.lacks = [x for x in dict.fromkeys([*prior.lacks, *new.lacks]) if x not in held]
    if merged.title_level and "职称" in merged.lacks:
        merged.lacks.remove("职称")
    if merged.skill_level and "技能等级" in merged.lacks:
        merged.lacks.remove("技能等级")
    if new.assessment_ok is not None:
        merged.assessment_ok = new.assessment_ok
    merged.asked = prior.asked
    return merged


ELIGIBILITY_CUES = re.compile(
    r"能不能|能否|可不可以|可以|可否|能.{0,8}[吗么]|能评|能申报|能报|能考|能拿|能升|能参评|够不够|够没|够吗|够了吗|够格|符合|满足|资格|"
    r"还差|还要|几年|多少年|多久|什么时候|何时|哪年|哪一年|直通|破格|绿色通道|直接申报|直接认定|晋升|晋级|评上|有没有机会|"
    r"行不行|有戏|申报什么|评什么|考什么|报什么|对应.{0,4}(职称|等级)|能走|条件|"
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
    r"(户口|户籍|社保|社会保险|公积金)(关系)?(在|是|落在|挂在|转到).{0,8}?(?=[，。,.;；！!？?]|的|$)|"
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
HOW_MANY = re.compile(r"几年|多少年|多久|多长时间|什么条件|啥条件|哪些条件|要啥|需要什么|要什么|怎么申报|如何申报|怎样申报")
PRO_EXAMS = re.compile(r"翻译|会计|统计|审计|经济师|出版|通信|计算机技术与软件|资格考试")
LOOKUP_ONLY = re.compile(
    r"流程|程序|材料|在哪|哪里|受理|提交|公示|网站|电话|费用|收费|报名时间|截止|步骤|怎么办理|去哪|"
    r"综合评审|评审方式|评价方式|考核方式|怎么评的|如何评价|怎样评价"
)
# "能评职称吗" / "可以考技能等级不": a cue about the asker's own path with only a generic object.
GENERIC_OWN_PATH = re.compile(r"(能|可以|可不可以|能不能|可否)(评|申报|报|考|参评|申请)个?(职称|技能等级|等级证|技能证)")


def is_eligibility_question(text: str, facts: Facts) -> bool:
    """True for can-I-apply / what-can-I-apply-for / how-many-years questions about a person's
    path; False for pure lookups ("申报流程是什么") and fact-table questions (待遇比照 …)."""
    from .facts_tables import fact_topic

    norm = normalise(text)
    if not norm:
        return False
    if OTHER_HR_TOPIC.search(norm):
        return False  # 个税/社保/公积金/落户…: not a pathway question
    stated = extract_facts(norm, None)
    open_question = bool(OPEN_TARGET.search(norm) or re.search(r"(什么|哪些|哪个|哪一?级)(职称|技能等级|等级)", norm))
    credential_stated = bool(stated.skill_level or stated.title_level or stated.honours or stated.lacks)
    personal = bool(credential_stated or stated.has_years or stated.target or open_question)
    first_person = bool(PERSON_CUES.search(norm))
    if not (credential_stated or stated.target or first_person) and POLICY_BACKGROUND.search(norm):
        return False  # "…改革的目标是到哪一年建成": about the document, not a person
    topic = fact_topic(norm)
    if topic == "treatment":
        return False  # 待遇/比照 questions are fact-table questions even when a level is named
    if facts.contest_place is not None and _team_size(norm) and (facts.asked == "honour" or len(norm) <= 16):
        return True  # "是三人赛项": the team size of the placing asked about
    if _continues_conversation(norm, stated, facts, personal):
        return True
    if not first_person and not stated.has_years and HOW_MANY.search(norm):
        return False  # "…要过几年才能申报" asks for the rule itself: a lookup
    if PRO_EXAMS.search(norm) and not stated.target:
        return False  # 翻译/会计等专业技术人员职业资格考试 are not levels this module decides
    if facts.asked and (personal or stated.regions or stated.uncovered_region or _bare_years_answer(norm)):
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
    from .facts_tables import fact_topic

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
    from .facts_tables import fact_topic

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
    r"不同|区别|差别|差异|比较|对比|一样吗|一样不|不一样|有何不同|相比|[跟和与].{1,4}比|哪个|哪边|哪里|哪儿|最短|最长|更快|更容易|各|分别|两地|都要|都是"
)
