"""Several people in one question: "三名员工技师证分别于2021年5月、2022年1月、2023年6月取得".

An HR officer asks for a group at once. One date per person cannot be bound to "the" credential,
so the question is read once per person: `per_person(text)` returns the text rewritten for each
listed date or duration (the list replaced by that one item), or [] when the text lists none.
Reasoning then decides each and answers for all when the verdicts agree.
"""
from __future__ import annotations

import re

_NUM = r"[0-9０-９一二三四五六七八九十两半]+"
_ITEM = (rf"(?:(?:19|20)\d{{2}}年(?:\d{{1,2}}月)?(?:\d{{1,2}}[日号])?"
         rf"|(?:19|20)\d{{2}}[.\-/]\d{{1,2}}(?:[.\-/]\d{{1,2}})?"
         rf"|{_NUM}年(?:多|半)?(?:零?{_NUM}个?月)?|{_NUM}个月)")
_SEP = r"(?:、|，|,|和|及|与|跟|；|;)"
LIST = re.compile(rf"分别(?:是|为|于|在|有|干了|满|已满)?\s*(?P<items>{_ITEM}(?:\s*{_SEP}\s*{_ITEM})+)")
ITEM = re.compile(_ITEM)
GROUP = re.compile(r"[两二三四五六七八九十几多0-9]+(?:位|名|个|人)|他们|她们|大家|各自|每个人|每人|都")


def per_person(text: str) -> list[str]:
    """One text per listed person (the "分别…" list replaced by one item), or [] for a single person."""
    m = LIST.search(text)
    if not m or not GROUP.search(text):
        return []
    items = ITEM.findall(m.group("items"))
    if len(items) < 2:
        return []
    head, tail = text[:m.start()], text[m.end():]
    joiner = "于" if re.match(r"分别于", m.group(0)) else ("为" if re.match(r"分别为", m.group(0)) else "")
    return [f"{head}{joiner}{item}{tail}" for item in items]


def items_of(text: str) -> list[str]:
    m = LIST.search(text)
    return ITEM.findall(m.group("items")) if m else []


# --- named people: "老王高级技师2015年，老李高级技师2019年，小张技师2020年" ------------------------

_SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
             "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
NAME = re.compile(rf"(?:老|小)[{_SURNAMES}](?![工级])|(?<![江])[{_SURNAMES}](?:工(?![程作资龄种人厂匠艺会业])|师傅|某某|某)|员工[A-Za-z甲乙丙丁]")
_FACT = re.compile(r"工|技师|职称|工程师|助理|中级|副高|正高|高级|初级|\d{4}|年")
_LEVEL_BEFORE = re.compile(r"(高级技师|技师|高级工|中级工|初级工|特级技师|首席技师|工程师|助理|职称)[：:]?$")
_SHARED = re.compile(r"均|都|全都|全部|各自|两人|二人|三人|几人|他们|她们|大家|请问")
_BREAK = re.compile(r"[，,；;。？?！!：:\n]")


def named_clauses(text: str) -> dict[str, str]:
    """Each named person's own words: a level said just before the name ("高级技师王师傅"), then the
    name through the following clauses that still carry a level or a date and name nobody else.
    {} unless two or more named people state facts."""
    names = list(NAME.finditer(text))
    leads = []
    for i, m in enumerate(names):
        prev_end = names[i - 1].end() if i else 0
        brk = [b.end() for b in _BREAK.finditer(text, prev_end, m.start())]
        start = brk[-1] if brk else prev_end
        leads.append(start if _LEVEL_BEFORE.search(text[start:m.start()]) else m.start())
    out: dict[str, str] = {}
    for i, m in enumerate(names):
        stop = leads[i + 1] if i + 1 < len(names) else len(text)
        end = m.end()
        while end < stop:
            brk = _BREAK.search(text, end, stop)
            piece_end = brk.start() if brk else stop
            if end > m.end() and not _FACT.search(text, end, piece_end):
                break
            end = piece_end
            if not brk:
                break
            nxt = _BREAK.search(text, brk.end(), stop)
            if not _FACT.search(text, brk.end(), nxt.start() if nxt else stop) or _SHARED.match(text, brk.end()):
                break  # "…，均拟申报技师": said of them all, not of this one
            end = brk.end()
        own = text[leads[i]:end].strip("，,；;：: ")
        if _FACT.search(own.replace(m.group(0), "", 1)):
            out.setdefault(m.group(0), own)
    return out if len(out) >= 2 else {}


def without(text: str, clauses: dict[str, str]) -> str:
    """The text with every named person's own words taken out (what they share: place, question)."""
    for own in clauses.values():
        text = text.replace(own, "")
    return re.sub(r"^[，,；;：:\s]+|[，,；;]{2,}", lambda m: "" if m.start() == 0 else "，", text)
