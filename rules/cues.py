"""Cue patterns and helpers every slot reader of the extractor shares: normalisation, the
negation / held / wanted / wish cues around a level or honour, and the alias scan."""

from __future__ import annotations

import re
from dataclasses import dataclass

import zhconv

from . import lexicon
from .text import NUM, digit_years, scan_aliases

__all__ = ["NUM"]

FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

# "没(有)(能/去/曾)(评/拿/考/取得…)(上/到)(过)" + level: the level is not held. "有没有技师…" is a question.
_NEG_WORD = r"(?:从来没有|从来没|从没有|从没|从未|未曾|尚未|还没有|还没|莫得|没得|木有|没有|没|无|未|不曾|不是|还不是|并非|非)"
_NEG_VERB = (r"(?:取得|拿到|考到|考取|考上|获得|评上|评到|评下来|拿下|通过|申报|评审|晋升|升到|发证|下证|发下来|发|评|拿|考|报|弄|搞|升)")
NEG_BEFORE = re.compile(r"(?<!有)" + _NEG_WORD + r"(?:能|去|有|曾|曾经)?" + _NEG_VERB + r"?(?:上|到|下来|下)?(?:过)?"
                        r"(?:个|一个)?$")
# level + (也/都/还/嘛，) + 没(评/拿/考)(上/过): "副高也没评过", "高级技师还没考", "副高嘛，没评上"
NEG_AFTER = re.compile(
    r"^(?:证书|证|职称|等级|资格)?(?:[也都还呢嘛吧啊呀哈，,、…]|的话|倒是|其实|我|暂时|目前|至今|到现在|一直|始终|迄今|到今天|这么多年|"
    r"考了|报了|报名了|参加了|去考了|考过一次|考了[一二两三四五六七八九\d][次回遍]|[一二两三四五六七八九\d][次回遍]都|但是|可是|不过|结果|但|"
    r"考过了?|考完了?|考是考过了|过了|证|证书|考评|评审|考试|考核|鉴定|认定){0,4}"
    + _NEG_WORD + r"(?:(?:能|去|有|曾|曾经)?" + _NEG_VERB + r"(?:上|到|下来|下|出来)?(?:手)?(?:过)?(?:证书|证)?(?:呢|啊|呀|的)?"
    r"(?=[，。,.！!？?；;、~…]|$|也|但|可|不过|只|就|所以|能|现在|目前|是|我|想|打算|准备|请问|还)"
    r"|(?=[，。,.！!？?；;、~…]|$|过))"
)
PAST_BEFORE = re.compile(r"(取得|拿到|考到|考取|获得|评上|评到|考了|评了|拿了|聘上|聘了|聘为|被聘为|是|有|持有|持|具有|具备|已是|已经是|当了|做了|干了)"
                         r"(了)?$")
TARGET_BEFORE = re.compile(
    r"(申报|申请|参评|参加|评审|评|考|报考|报名|报|升|晋升|晋级|认定|走|冲|转|拿|跳|跨|申报评审|直接申报|破格申报|破格|聘任|聘|"
    r"弄|搞|整|混|往|朝|奔|(?<![手身线马网早晚路])上)"
    r"(不了|不上|不到|不成|得了|得上|不)?(上|到|成|出)?(我|他|她)?(个|一个|一下|下|张|一张|本|一本)?$"
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
OPEN_TARGET = re.compile(r"(能|可以|可)(再|往上|再往上|继续|接着|直接|破格)?(申报|申请|评|考|报|参评|拿|弄|搞|整)(个|一个)?(什么|哪些|哪个|哪一?级|啥|几级)")
TITLE_WORDS = re.compile(r"评职称|职称评审|申报职称|什么职称|哪些职称|哪个职称|哪一级职称|职称")
SKILL_WORDS = re.compile(r"技能等级|职业技能评价|技能评价|等级认定|技能鉴定|职业资格鉴定|考技能|什么等级|哪个等级|技能证")


@dataclass
class AliasMention:
    start: int
    end: int
    kind: str  # skill | title | honour | place
    key: str


def normalise(text: str) -> str:
    """Traditional → simplified, full-width digits → ASCII, spaces collapsed."""
    text = zhconv.convert(text or "", "zh-cn").translate(FULLWIDTH)
    # a space typed between two words on a phone is a clause break ("副高能报不 差几个月")
    text = re.sub(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])", "，", text)
    text = re.sub(r"[ \t\u3000]+", "", text)
    for wrong, right in lexicon.text_typos():
        text = text.replace(wrong, right)
    return digit_years(text)


def scan(text: str, vocab: dict[str, tuple[str, str]], taken: list[tuple[int, int]]) -> list[AliasMention]:
    """Longest-first, non-overlapping alias matches outside already-taken spans, in text order."""
    found = scan_aliases(text, vocab, taken)
    return [AliasMention(start, end, kind, key) for start, end, (kind, key) in sorted(found, key=lambda f: f[0])]
