"""Skill and title levels named in a question, each read as held, wanted (the target) or lacked
from the cues around it; a bare "评高级" is a 副高 target; an open "能评什么" has no target."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon
from .cues import (
    CLAUSE_BREAK,
    HYPOTHETICAL_HELD,
    NEG_AFTER,
    NEG_BEFORE,
    NEGATIVE_ASK_AFTER,
    OPEN_TARGET,
    PAST_BEFORE,
    TARGET_BEFORE,
    TARGET_MODAL,
    WISH_IN_CLAUSE,
    AliasMention,
    normalise,
    scan,
)

MODAL_ONE = re.compile(r"(能不能|能否|可不可以|可否|能)[^，,。？?！!\s是有]{0,2}(个|一个)$")


def exclusion_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for phrase in lexicon.skill_alias_exclusions():
        for m in re.finditer(re.escape(phrase), text):
            spans.append((m.start(), m.end()))
    return spans


@dataclass
class LevelReading:
    skill: str | None = None
    title: str | None = None
    target: str | None = None
    lacks: tuple[str, ...] = ()
    open_question: bool = False


def wished(text: str, start: int) -> bool:
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


def read_levels(text: str, taken: list[tuple[int, int]]) -> LevelReading:
    vocab = dict(lexicon.level_aliases())
    mentions = scan(text, vocab, taken + exclusion_spans(text))
    out = LevelReading()
    lacks: list[str] = []
    credentials: list[AliasMention] = []
    targets: list[AliasMention] = []
    for m in mentions:
        before = text[max(0, m.start - 6):m.start]
        after = text[m.end:m.end + 8]
        asked_with_mei = bool(re.match(r"(职称|证书?)?没[？?。！!]*$", text[m.end:m.end + 6])
                              and re.search(r"(够|能|可以|可)(报|评|申报|考|参评)?$", before))  # "够报中级职称没": a question
        if not asked_with_mei and (NEG_BEFORE.search(text[max(0, m.start - 8):m.start]) or NEG_AFTER.search(text[m.end:m.end + 16])):
            lacks.append(m.key)
            continue
        if HYPOTHETICAL_HELD.search(before):
            credentials.append(m)  # "那我要是高级技师呢": a supposed credential, not a wish
            continue
        if wished(text, m.start):
            targets.append(m)  # "希望今年拿到技师证": wanted, even after 拿到/考到
            continue
        if PAST_BEFORE.search(before[-4:]) and not TARGET_MODAL.search(before[-3:]):
            credentials.append(m)
            continue
        if re.match(r"(职称|证书?|等级)?(去|来)(考|评|报|申报|申请|参加|参评|换)", after):
            credentials.append(m)  # "拿中级职称去考技师" / "用高级工证来评职称": the means, held
            continue
        # "能不能X个助理工程师": a modal and 个 around any verb (a typo such as 平 for 评) asks for it
        # "评体育系列的助理级职称": a named 系列 between the verb and the level
        unseries = re.sub(r"[^评报考申请参聘，,。？?\s]{1,6}系列的?$", "", text[max(0, m.start - 14):m.start])
        # "能考电工技师不": a trade named between the verb and the level
        untrade = re.sub(r"[^评报考申请参聘是有，,。？?\s]{0,5}(工|员|师)$", "", text[max(0, m.start - 10):m.start])
        is_target = bool(TARGET_BEFORE.search(before[-6:]) or MODAL_ONE.search(before) or TARGET_BEFORE.search(unseries[-6:])
                         or (untrade != text[max(0, m.start - 10):m.start] and TARGET_BEFORE.search(untrade[-6:])))
        if not is_target and re.match(r"(职称)?(破格|直接)?(吗|么|呢|行不行|中不中|成不成|得行不|得不得行|要得不|要不要得|有没有(办法|路子|门路|机会|可能)|有(办法|路子)|行吗|行么|行不|成吗|成不|(现在|今年|目前)?够(了|年限|年头|条件|资格)?了?[吧吗没不]|(报|评|考|申报)得(了|成|到)|够没|够不够|够吗|够了吗|够不|有戏|有没有戏|有希望|有没有希望|没戏|可以吗|可不可以|需要|要什么|有什么条件|的条件|要几年|需几年|要多少年|需要几年|需要多少年|要满)", after):
            asking = re.sub(r"想(知道|问|了解|咨询|请教|确认|打听)", "", before)
            is_target = bool(credentials) or bool(TARGET_MODAL.search(asking)) or bool(re.match(r"(破格|直接)", after))
        if not is_target and NEGATIVE_ASK_AFTER.match(text[m.end:m.end + 14]):
            is_target = True  # "中级是不是评不上了" / "副高是不是没戏了": asked about, not held
        if not is_target and re.match(
            r"(职称|评价|认定|评聘|聘任|评审|职业技能评价|资格|等级)?(还|也|现在|今年)?(能|可以|可不可以|能不能|可否|是否可以)(直接|破格)?"
            r"(报|申报|评|考|申请|参加|参评|弄|搞|整|办|拿|聘)?(上|到|下来)?了?(吗|么|呢|嘛|吧|[不没](?=[，。？?！!,、]|$)|没有(?=[，。？?！!,、]|$)|(?<=[报评考请加格上到])(?=[，。？?！!,、]|$))", after
        ):
            is_target = True
        if is_target and re.match(r"(职称|证书?)?(之前|以前|之后|以后|那年|那会儿?|的时候)", after):
            is_target = False  # "评中级之前已经干了五年": the event of getting it, not a wish
        if is_target and re.match(r"(证书?|职称)?(已经|都|有)?[0-9一二两三四五六七八九十几]+(个多|个)?(年|个月)(多|半)?了", after) \
                and re.search(r"拿|考|评", before[-2:]):
            is_target = False  # "拿高级技师三年了": held that long
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
    if out.target is None and re.search(r"(评|申报|参评|报)(个)?助理(?=[吗么呢不没，。？?！!]|$)", text):
        out.target = "助理级"  # "能评助理不": the 助理级 title
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
    mentions = scan(norm, dict(lexicon.level_aliases()), exclusion_spans(norm))
    return list(dict.fromkeys(m.key for m in mentions))
