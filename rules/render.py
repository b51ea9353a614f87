"""Rendering: decisions and readings → Chinese text. Never decides, never parses the question.

`understood(facts)` is the one-line summary of what was understood (the chat's facts panel uses
it too), with held and wanted apart; the other functions word the parts of an answer that the
reading and the validity check add.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from . import lexicon
from .years import format_years


def level_label(key: str | None) -> str | None:
    if not key:
        return None
    try:
        return lexicon.level(key).label
    except KeyError:
        return key


def target_label(key: str) -> str:
    try:
        level = lexicon.level(key)
    except KeyError:
        return key
    return f"{level.key}职称" if level.kind == "title" else level.label


def years_phrase(facts: dict[str, Any]) -> str | None:
    obtained = facts.get("obtained")
    if obtained:
        parts = str(obtained).split("-")
        if len(parts) >= 3:
            return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日取得"
        if len(parts) == 2:
            return f"{parts[0]}年{int(parts[1])}月取得"
        return f"{parts[0]}年取得"
    lo, hi = facts.get("years_min"), facts.get("years_max")
    if lo is not None and hi is not None:
        if lo == hi:
            return f"满{format_years(lo)}"
        if hi - lo < 1:
            return f"{format_years(lo)}多"
        return f"{format_years(lo)}至{format_years(hi)}"
    if lo is not None:
        return f"满{format_years(lo)}"
    if hi is not None:
        return f"不满{format_years(round(hi + 0.01, 2))}"
    return None


def understood(facts: dict[str, Any] | None) -> str:
    """"地区：上海；现有：技师（二级）（2022年6月取得）；想申报：中级职称" — held and wanted apart; the
    years are shown next to the credential they were stated for."""
    facts = facts or {}
    parts: list[str] = []
    if facts.get("subject") == "other":
        parts.append("问的是：他人（不是您本人）")
    regions = [r for r in facts.get("regions") or [] if r]
    if len(regions) >= 2:
        parts.append("地区：" + "、".join(regions))
    elif facts.get("region"):
        parts.append(f"地区：{facts['region']}")
    elif facts.get("uncovered_region"):
        parts.append(f"地区：{facts['uncovered_region']}（未收录）")
    years = years_phrase(facts)
    years_of = facts.get("years_of")
    keys = [k for k in (facts.get("skill_level"), facts.get("title_level")) if k]
    held = []
    for key in keys:
        label = level_label(key) or key
        if years and (years_of == key or (not years_of and len(keys) == 1)):
            label += f"，{years}" if len(keys) == 1 else f"（{years}）"
            years = None
        held.append(label)
    lacks = [x for x in facts.get("lacks") or [] if x]
    if held:
        parts.append("现有：" + "、".join(held))
    elif lacks:
        parts.append("现有：无" + "、".join(lacks))
    if years and not (years_of and keys and years_of not in keys):  # years of a level no longer held are not shown
        basis = "累计工作" if facts.get("years_basis") == "cumulative" else "年限"
        parts.append(f"{basis}：{years}")
    honours = [h for h in facts.get("honours") or [] if h]
    if honours:
        parts.append("荣誉：" + "、".join(honours))
    if facts.get("assessment_ok") is True:
        parts.append("近3年考核：合格")
    elif facts.get("assessment_ok") is False:
        parts.append("近3年考核：不合格")
    unmet = {"recommendation": "单位推荐：没有", "ability_test": "水平能力测试：未通过"}
    parts += [unmet[k] for k in facts.get("unmet") or [] if k in unmet]
    target = facts.get("target")
    if target:
        parts.append(f"想申报：{target_label(target)}")
    set_aside = [e["words"] for e in facts.get("evidence") or [] if e.get("role") in ("set_aside", "other_region", "unlisted")]
    if set_aside:
        parts.append("未计入：" + "、".join(dict.fromkeys(set_aside)))
    return "；".join(parts)


def confirm_answer(facts: dict[str, Any], question: str) -> str:
    """A `clarify` answer for a reading that is not sure enough to decide on."""
    summary = understood(facts)
    lead = f"我理解的是：{summary}。" if summary else ""
    return f"**先确认一下，再给您结论。** {lead}\n\n{question}"


VALIDITY_REASON = {
    "expired": "已于{d}失效（有效期已过）",
    "not_yet": "自{d}起施行，在{as_of}尚未施行",
}


def validity_note(doc: str, title: str, state: str, day: date | None, as_of: date) -> str:
    """Why a path resting on a document not in force cannot be confirmed."""
    when = VALIDITY_REASON[state].format(d=f"{day:%Y年%-m月%-d日}" if day else "", as_of=f"{as_of:%Y年%-m月%-d日}")
    return (f"**不能据此确认可以申报。** 这条路径依据的{doc}《{title}》{when}，按{as_of:%Y年%-m月%-d日}计不是现行有效文件；"
            "请以现行规定或当地人社部门的答复为准。")


def hypothetical_note(facts: dict[str, Any]) -> str:
    summary = understood(facts)
    return f"（按您假设的情况：{summary}。您原来的情况不变。）" if summary else "（按您假设的情况回答。）"


def other_person_note() -> str:
    return "（以下按您所说的这位的情况判断，不是您本人的。）"


def series_answer(region_label: str, series: str, listed: list[str], mark: str) -> str:
    return (f"**结论：不能走贯通申报。** {region_label}文件列出的贯通系列是：{'、'.join(listed)}{mark}，"
            f"不含{series}系列，所以不能按贯通政策申报{series}系列职称（或凭{series}系列职称申报技能等级）。"
            "如需评审该系列职称，请按该系列本身的评审条件办理。")


ROLE_WORDS = {"held": "现有", "wanted": "想申报", "negated": "没有", "bound": "取得时间/年限", "work": "工作年限",
              "rewritten": "按提问日期换算", "set_aside": "未计入：不是职业技能等级", "other_region": "未计入：外地荣誉", "unlisted": "未计入：文件未列的荣誉",
              "work_place": "工作地", "previous": "以前/户籍地", "stated": "所说的系列"}


def source_words(facts: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(the person's own words, what reading made of them) for the facts panel, de-duplicated."""
    out: list[tuple[str, str]] = []
    for e in (facts or {}).get("evidence") or []:
        role = "work_place" if e.get("kind") == "region" and e.get("role") == "work" else e.get("role")
        label = ROLE_WORDS.get(role or "")
        words = e.get("words")
        if label and words and (words, label) not in out:
            if role == "bound" and e.get("value"):
                label = f"{level_label(e['value']) or e['value']}的取得时间/年限"
            if role == "rewritten" and e.get("value"):
                label = f"按提问日期换算为{e['value']}"
            out.append((words, label))
    return out[:12]


def short_verdict(eligible: bool | None) -> str:
    """One person's verdict in a group answer."""
    return {True: "可以申报", False: "暂不能申报"}.get(eligible, "还无法判断（缺少信息）")


def deadline_note(day) -> str:
    """Years counted to the filing deadline the person stated (黄石: 以受理材料截止时间为准)."""
    return f"（年限按您说的受理材料截止时间 {day:%Y年%m月%d日} 计算：文件规定所有涉及时间的计算均以受理材料截止时间为准。）"
