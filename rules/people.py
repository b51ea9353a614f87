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
