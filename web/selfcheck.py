"""The 资格自测 tab: a form → the same facts the chat carries → a checked verdict.

The honour list offered for a region is the honours its rules accept, each in the wording of the
region's own documents (falling back to the lexicon's first spelling), never internal labels.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from rules import lexicon
from web.context import AppContext, as_of_date, esc, squash

NO_CREDENTIAL = "none"
ANY_TARGET = "any"
UNKNOWN_MONTH = 0
MARK = {True: "✅", False: "❌", None: "？"}


def credential_choices() -> list[tuple[str, str]]:
    out = [(f"技能等级 · {lvl.label}", f"skill:{lvl.key}") for lvl in lexicon.skill_levels()
           if lvl.rank >= 1]
    out += [(f"职称 · {lvl.label}", f"title:{lvl.key}") for lvl in lexicon.title_levels()]
    out.append(("暂无技能等级或职称", NO_CREDENTIAL))
    return out


def target_choices() -> list[tuple[str, str]]:
    out = [("不限：看看我现在能申报什么", ANY_TARGET)]
    out += [(f"职称 · {lvl.label}", lvl.key) for lvl in lexicon.title_levels()]
    out += [(f"技能等级 · {lvl.label}", lvl.key) for lvl in lexicon.skill_levels() if lvl.rank >= 2]
    return out


def region_choices() -> list[tuple[str, str]]:
    return [(lexicon.region_label(key), key) for key in lexicon.regions()]




@lru_cache(maxsize=8)
def _region_honours(region: str, region_text: str) -> tuple[tuple[str, str], ...]:
    from rules import rulebook

    names = lexicon.honours()
    out: dict[str, str] = {}
    for rule in rulebook.load().region_rules(region):
        for key in rule.from_honours:
            aliases = list(names.get(key, {}).get("aliases") or [])
            if not aliases:
                continue  # an internal near-miss label (e.g. "…（非总决赛）"), not an honour people hold
            in_text = [a for a in aliases if squash(a) in region_text]
            label = max(in_text, key=len) if in_text else aliases[0]
            if key not in out and label not in out.values():
                out[key] = label
    return tuple((label, key) for key, label in out.items())


def honour_choices(ctx: AppContext, region: str | None) -> list[tuple[str, str]]:
    """(label in the documents' words, honour key) for the honours the region's rules accept."""
    if not region:
        return []
    from rules import rulebook

    docs = [d for d, meta in rulebook.load().documents.items() if meta.region == region]
    text = "".join(squash(c["text"]) for d in docs for c in ctx.clauses_by_doc.get(d, []))
    return list(_region_honours(region, text))
def build_self_check_facts(region: str | None, credential: str | None, year: Any, month: Any,
                           honours: list[str] | None, assessment: str | None, target: str | None) -> dict:
    """The form → a `rules.Facts` dict (the same shape the chat carries between turns)."""
    import rules

    facts = rules.Facts()
    facts.region = region or None
    if region:
        facts.regions = [region]
    kind = None
    if credential and credential != NO_CREDENTIAL:
        kind, key = credential.split(":", 1)
        if kind == "skill":
            facts.skill_level = key
        else:
            facts.title_level = key
    elif credential == NO_CREDENTIAL:
        facts.lacks = ["技能等级", "职称"]
    if year:
        y = int(year)
        m = int(month or UNKNOWN_MONTH)
        facts.obtained = f"{y:04d}-{m:02d}" if m else f"{y:04d}"
        facts.years_basis = "since_credential"
    facts.honours = list(honours or [])
    facts.assessment_ok = {"合格": True, "不合格": False}.get(assessment or "")
    if target and target != ANY_TARGET:
        facts.target = target
        target_kind = lexicon.level(target).kind
        if kind == "skill":
            facts.direction = "skill_to_title" if target_kind == "title" else "skill_to_skill"
        elif kind == "title":
            facts.direction = "title_to_skill" if target_kind == "skill" else None
    elif kind == "skill":
        facts.direction = "skill_to_title"
    elif kind == "title":
        facts.direction = "title_to_skill"
    return facts.to_dict()


def _level_phrase(key: str) -> str:
    level = lexicon.level(key)
    return f"{key}职称" if level.kind == "title" else key


def self_check_question(facts: dict) -> str:
    """The form restated as the question a person would ask ("我在上海，2021年6月取得技师，……现在能
    申报什么？"): the router treats it as an eligibility question, and the same facts also travel
    in `facts`, so nothing depends on re-reading the sentence."""
    parts = [f"我在{facts['region']}"] if facts.get("region") else []
    held = facts.get("skill_level") or facts.get("title_level")
    if held:
        obtained = facts.get("obtained")
        if obtained:
            y, *m = obtained.split("-")
            when = f"{y}年{int(m[0])}月" if m else f"{y}年"
            parts.append(f"{when}取得{_level_phrase(held)}")
        else:
            parts.append(f"现有{_level_phrase(held)}")
    elif "职称" in (facts.get("lacks") or []):
        parts.append("没有职业技能等级，也没有职称")
    if facts.get("honours"):
        parts.append("获得过" + "、".join(facts["honours"]))
    if facts.get("assessment_ok") is True:
        parts.append("近3年年度考核合格")
    elif facts.get("assessment_ok") is False:
        parts.append("近3年年度考核不合格")
    ask = f"能申报{_level_phrase(facts['target'])}吗？" if facts.get("target") else "现在能申报什么？"
    return "，".join(parts) + ("，" if parts else "") + ask


def render_verdict_html(answer: dict) -> str:
    route = answer.get("route")
    d = answer.get("decision") or {}
    if route in ("error", "out_of_scope"):
        return f'<div class="gt-verdict unknown">？ {esc(answer.get("answer"))}</div>'
    eligible = d.get("eligible")
    target = d.get("target") or ""
    now = d.get("eligible_now") or []
    if eligible is True:
        what = "、".join(now) if now else target
        verdict = f'<div class="gt-verdict yes">✅ 现在可以申报：{esc(what)}</div>'
    elif eligible is False:
        verdict = f'<div class="gt-verdict no">❌ 目前还不能申报{esc(target)}</div>'
    else:
        ask = d.get("follow_up") or "还缺少判断所需的信息。"
        verdict = f'<div class="gt-verdict unknown">？ 还需要补充：{esc(ask)}</div>'
    parts = [verdict]
    nxt = d.get("next") or {}
    opens = nxt.get("opens_on") or (d.get("opens_on") if eligible is False else None)
    if nxt or opens:
        label = nxt.get("target") or target
        when = ""
        if opens:
            day = as_of_date(opens)
            when = f"{day.year}年{day.month}月{day.day}日起"
        elif nxt.get("remaining_years"):
            when = f"约再过{nxt['remaining_years']:g}年"
        parts.append(f'<div class="gt-card"><b>下一级：</b>{esc(label)}'
                     + (f"，{esc(when)}可以申报" if when else "") + "</div>")
    conditions = d.get("conditions") or []
    if conditions:
        items = []
        for c in conditions:
            ref = c.get("citation")
            ref_html = f' <span class="gt-ref">【{ref + 1}】</span>' if isinstance(ref, int) else ""
            items.append(f"<li>{MARK.get(c.get('met'), '？')} {esc(c.get('text'))}{ref_html}</li>")
        parts.append('<div class="gt-card"><h3>条件核对</h3><ul class="gt-check">' + "".join(items)
                     + '</ul><div class="gt-muted" style="margin-top:6px">✅ 满足　❌ 不满足　？ 需本人确认或信息不足</div></div>')
    return "".join(parts)
